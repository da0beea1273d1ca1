"""How far apart two places are: the one distance the directory's counterparts,
the pairing proposals and the demo all use."""

from __future__ import annotations

import math
from typing import Protocol

EARTH_RADIUS_KM = 6371.0  # the mean radius


class Place(Protocol):
    """Anything with a position: a team, a team profile, a candidate for pairing."""

    @property
    def latitude(self) -> float: ...

    @property
    def longitude(self) -> float: ...


def distance_km(a: Place, b: Place) -> float:
    """Great-circle distance (haversine), good to a few km across England."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return EARTH_RADIUS_KM * 2 * math.asin(math.sqrt(h))
