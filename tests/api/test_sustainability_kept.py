"""GET /sustainability counts its activity figures once per log position
(web.api.sustainability_kept): asked again it answers the same, and a change
recorded in between shows at once."""

from __future__ import annotations

from tests.api.conftest import json_of


def test_a_contact_recorded_between_two_readings_shows_in_the_second(nurse, organiser, network):
    first = json_of(organiser.get("/sustainability"), 200)
    assert json_of(organiser.get("/sustainability"), 200) == first

    json_of(nurse.post("/contacts", {"to_member_id": str(network.other_nurse),
                                     "topic": "Nurse-led follow-up clinics",
                                     "made_on": "2013-06-04"}), 201)

    second = json_of(organiser.get("/sustainability"), 200)
    june = next(m for m in second["months"] if m["month"] == "2013-06")
    assert (june["contacts"], june["active_members"]) == (1, 2)
    assert second["after"]["contacts"] == first["after"]["contacts"] + 1


def test_each_as_of_date_is_counted_for_itself(nurse, organiser, network):
    json_of(nurse.post("/contacts", {"to_member_id": str(network.other_nurse),
                                     "topic": "Nurse-led follow-up clinics",
                                     "made_on": "2013-06-04"}), 201)

    before = json_of(organiser.get("/sustainability?as_of=2013-06-03"), 200)
    after = json_of(organiser.get("/sustainability?as_of=2013-06-04"), 200)

    assert (before["after"]["contacts"], after["after"]["contacts"]) == (0, 1)
