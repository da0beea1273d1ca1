"""The distance between two places, on towns whose distances are known."""

from __future__ import annotations

from typing import NamedTuple

import pytest

from domain.geography import distance_km


class Town(NamedTuple):
    latitude: float
    longitude: float


LONDON = Town(51.5074, -0.1278)
MANCHESTER = Town(53.4808, -2.2426)
EDINBURGH = Town(55.9533, -3.1883)


@pytest.mark.parametrize("a, b, km", [
    (LONDON, MANCHESTER, 262),
    (LONDON, EDINBURGH, 534),
])
def test_the_distance_between_two_towns_is_the_great_circle_one_to_a_kilometre(a, b, km):
    assert distance_km(a, b) == pytest.approx(km, abs=1)


def test_a_place_is_no_distance_from_itself_and_the_way_round_does_not_matter():
    assert distance_km(LONDON, LONDON) == 0
    assert distance_km(LONDON, MANCHESTER) == distance_km(MANCHESTER, LONDON)
