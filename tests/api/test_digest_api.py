"""The digest choice over real HTTP: weekly until chosen, daily/weekly/never, a stale
version refused, and only one's own."""

from __future__ import annotations

from typing import Any

from community import Community
from domain.member import DigestFrequency
from tests.api.conftest import error_of, fields_of, json_of


def put(client: Any, body: Any) -> Any:
    return client.request("PUT", "/notifications/digest", json=body)


def test_a_member_gets_the_weekly_digest_until_she_chooses(nurse) -> None:
    assert json_of(nurse.get("/notifications/digest"), 200) == {"frequency": "weekly",
                                                                "version": 0}


def test_choosing_daily_is_saved_and_read_back(nurse, lead, community: Community,
                                               network) -> None:
    saved = json_of(put(nurse, {"frequency": "daily", "version": 0}), 200)

    assert saved["frequency"] == "daily" and saved["version"] > 0
    assert json_of(nurse.get("/notifications/digest"), 200) == saved
    assert community.notification_settings(network.nurse).digest is DigestFrequency.DAILY
    assert json_of(lead.get("/notifications/digest"), 200)["frequency"] == "weekly"


def test_a_change_from_a_stale_version_is_a_conflict(nurse, community: Community,
                                                     network) -> None:
    community.choose_digest(by=network.nurse, frequency="never")

    error_of(put(nurse, {"frequency": "daily", "version": 0}), 409)
    assert json_of(nurse.get("/notifications/digest"), 200)["frequency"] == "never"
    assert json_of(put(nurse, {"frequency": "weekly"}), 200)["frequency"] == "weekly"


def test_an_unknown_frequency_is_refused_naming_the_field(nurse) -> None:
    assert "frequency" in fields_of(put(nurse, {"frequency": "hourly"}))
    assert "frequency" in fields_of(put(nurse, {}))


def test_logged_out_no_one_reads_or_changes_a_digest_choice(anonymous) -> None:
    error_of(anonymous.get("/notifications/digest"), 401)
    error_of(put(anonymous, {"frequency": "never"}), 401)
