"""GET /api/v1/network: the live network as nodes, edges, measures and brokers."""

from __future__ import annotations

from tests.api.conftest import error_of, fields_of, json_of


def contact(client, to, day):
    json_of(client.post("/contacts", {"to_member_id": str(to), "topic": "Clinics",
                                      "made_on": day}), 201)


def test_an_organiser_sees_the_teams_tied_in_the_last_90_days_and_not_later_ties(
        organiser, nurse, other_nurse, network):
    contact(nurse, network.other_nurse, "2012-03-01")
    contact(other_nurse, network.nurse, "2012-03-10")
    contact(nurse, network.other_nurse, "2012-05-10")   # after the date: not counted

    found = json_of(organiser.get("/network", params={"as_of": "2012-03-31"}), 200)

    assert (found["as_of"], found["level"]) == ("2012-03-31", "team")
    names = {n["name"] for n in found["nodes"]}
    assert {"Northshire", "Southmoor"} <= {name.split()[0] for name in names}
    tied = [n for n in found["nodes"] if n["degree"] == 1]
    assert len(tied) == 2 and all(n["activity"] == 1 for n in tied)
    assert [e["weight"] for e in found["edges"]] == [2.0]   # two contacts, weight 1 each
    assert found["measures"]["reciprocity"] == 1.0
    assert found["measures"]["e_i_index"] == 1.0           # both contacts across teams
    assert found["measures"]["components"] == len(found["nodes"]) - 1
    assert found["brokers"] == []


def test_members_are_nodes_at_member_level_with_their_teams_region(
        organiser, nurse, network):
    contact(nurse, network.other_nurse, "2012-03-01")

    found = json_of(organiser.get("/network", params={"as_of": "2012-03-31",
                                                      "level": "member"}), 200)

    nodes = {n["name"]: n for n in found["nodes"]}
    assert nodes["Nina Nurse"]["degree"] == nodes["Sara South"]["degree"] == 1
    assert nodes["Nina Nurse"]["region"] and nodes["Liam Lead"]["degree"] == 0
    assert found["edges"] == [{"source": min(str(network.nurse), str(network.other_nurse)),
                               "target": max(str(network.nurse), str(network.other_nurse)),
                               "weight": 1.0}]
    assert found["measures"]["isolates"] == len(found["nodes"]) - 2


def test_ties_older_than_90_days_are_not_live(organiser, nurse, network):
    contact(nurse, network.other_nurse, "2011-11-01")

    found = json_of(organiser.get("/network", params={"as_of": "2012-03-31"}), 200)

    assert found["edges"] == [] and all(n["degree"] == 0 for n in found["nodes"])


def test_only_organisers_see_the_network(nurse, anonymous):
    assert error_of(nurse.get("/network"), 403)["code"] == "not_allowed"
    error_of(anonymous.get("/network"), 401)


def test_a_bad_date_or_level_is_named(organiser):
    assert fields_of(organiser.get("/network", params={"as_of": "31/03/2012"})) == {
        "as_of": "must be a date like 2013-03-31"}
    assert "level" in fields_of(organiser.get("/network", params={"level": "region"}))
