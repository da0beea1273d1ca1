"""Forgetting a member without editing the log: their personal fields are sealed with
their own key at rest, destroying the key turns them into a former member everywhere,
and every figure and rebuild stays as it was. Every test runs on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import date
from uuid import UUID

import pytest

from community import Community
from domain.errors import Invalid, NotAllowed
from tests.conftest import make_community
from tests.integration.network import Network, add_activity, build_network
from tests.integration.snapshots import view_tables

NINA_EMAIL = "nina.nurse@northshire.nhs.uk"


def raw_states(app: Community, topic_end: str) -> list[str]:
    return [n.state.decode() for n in app.recorder.select_notifications(start=None, limit=10_000)
            if n.topic.endswith(topic_end)]


@pytest.fixture
def net(app: Community) -> Network:
    network = build_network(app)
    add_activity(app, network)
    return network


def test_personal_fields_are_sealed_at_rest_and_read_back_whole(app: Community,
                                                                net: Network) -> None:
    joined = " ".join(raw_states(app, "Member.Joined"))
    contacts = " ".join(raw_states(app, "Contact.Made"))

    assert NINA_EMAIL not in joined and "Nina Nurse" not in joined
    assert "EBUS waits" not in contacts
    assert app.member(net.nurse).email == NINA_EMAIL
    assert app.member(net.nurse).name == "Nina Nurse"
    assert "Nina Nurse" in {m["name"] for m in app.views.directory.members(limit=100)[0]}


def test_a_forgotten_member_reads_as_a_former_member_and_the_figures_stay(
        app: Community, net: Network) -> None:
    figures = app.views.sustainability.report()
    teams = app.views.directory.teams()
    _, total_before = app.views.directory.members(limit=100)

    app.forget_member(net.nurse, by=net.organiser)

    member = app.member(net.nurse)
    assert (member.name, member.password_hash, member.phone) == ("Former member", None, "")
    assert member.email.endswith("@forgotten.invalid")
    listed, total = app.views.directory.members(limit=100)
    names = {m["name"] for m in listed}
    assert "Nina Nurse" not in names and "Former member" in names
    assert total == total_before
    assert app.views.sustainability.report() == figures
    assert app.views.directory.teams() == teams
    everything = json.dumps(view_tables(app), default=str)
    assert "Nina Nurse" not in everything and NINA_EMAIL not in everything
    assert "EBUS waits" not in everything  # the topic she wrote
    # And the log still rebuilds into the same views.
    before = view_tables(app)
    app.views.rebuild()
    assert view_tables(app) == before


def test_another_process_honours_the_forgetting(app: Community, net: Network,
                                                database_url: str) -> None:
    other = make_community(database_url)
    try:
        assert other.member(net.nurse).name == "Nina Nurse"
        app.forget_member(net.nurse, by=None)
        other.mapper.keys.ttl = 0  # its cache would otherwise keep the key up to 30 s
        other.repository.cache = None
        assert other.member(net.nurse).name == "Former member"
    finally:
        other.close()


def test_only_organisers_forget_and_only_once(app: Community, net: Network) -> None:
    with pytest.raises(NotAllowed):
        app.forget_member(net.lead, by=net.nurse)
    with pytest.raises(Invalid) as yourself:
        app.forget_member(net.organiser, by=net.organiser)
    app.forget_member(net.lead, by=net.organiser)
    with pytest.raises(Invalid) as again:
        app.forget_member(net.lead, by=net.organiser)

    assert set(yourself.value.fields) == set(again.value.fields) == {"member_id"}
    assert app.member(net.nurse).name == "Nina Nurse"  # nobody else is touched


def test_a_member_gets_everything_held_about_them(app: Community, net: Network) -> None:
    held = app.everything_about(net.nurse)

    assert held["member"]["email"] == NINA_EMAIL
    assert "password_hash" not in held["member"]
    topics = [e.get("topic") for e in held["events"] if e["what"] == "Contact.Made"]
    assert "EBUS waits" in topics
    assert all(UUID(e["record"]) for e in held["events"])
    json.dumps(held)  # all of it is JSON


def test_a_forgotten_member_cannot_log_in_even_where_their_record_was_cached(
        app: Community, net: Network, database_url: str) -> None:
    app.set_password(net.nurse, "a long enough passphrase")
    other = make_community(database_url)  # another web process, its cache warm
    try:
        assert other.authenticate(NINA_EMAIL, "a long enough passphrase") is not None
        app.forget_member(net.nurse, by=net.organiser)
        other.mapper.keys.ttl = 0  # its key store reloads within 30 s; here at once

        assert other.authenticate(NINA_EMAIL, "a long enough passphrase") is None
        assert app.authenticate(NINA_EMAIL, "a long enough passphrase") is None
    finally:
        other.close()


def test_an_edited_email_to_a_forgotten_member_reads_removed(app: Community,
                                                             net: Network) -> None:
    message, _ = app.propose_message(key="test:edit", to_member_id=net.nurse,
                                     subject="Your QIP", body="Dear Nina, how is it going?",
                                     reason="a test", by=net.organiser)
    app.edit_message(message, by=net.organiser, body="Dear Nina Nurse, any news?")
    edited = " ".join(raw_states(app, "Message.Edited"))
    assert "Nina" not in edited

    app.forget_member(net.nurse, by=net.organiser)

    shown = app.message(message)
    assert (shown.body, shown.to_name) == ("removed", "Former member")
    assert "Nina" not in json.dumps(view_tables(app), default=str)


def test_kept_network_health_figures_with_names_are_dropped(app: Community,
                                                            net: Network) -> None:
    from sqlalchemy import func, select

    from projections.network_health import kept_report
    from projections.network_health_kept import kept

    kept_report(app.views.engine, date(2012, 6, 30), "all", in_background=False)
    with app.views.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(kept)) == 1

    app.forget_member(net.nurse, by=net.organiser)

    with app.views.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(kept)) == 0


def test_a_forgotten_member_is_no_longer_found_by_their_name(app: Community,
                                                             net: Network) -> None:
    assert [m["name"] for m in app.views.directory.members(q="nina")[0]] == ["Nina Nurse"]

    app.forget_member(net.nurse, by=net.organiser)

    assert app.views.directory.members(q="nina") == ([], 0)
    assert app.views.directory.members(q="nin")[1] == 0  # nor by the start of it
    assert "Former member" in {m["name"] for m in app.views.directory.members(q="former")[0]}
