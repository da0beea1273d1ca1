"""Attaching documents to a QIP on each real store: the event names the file (name,
type, size, hash), the bytes live outside the log, the same file is kept once, and a
refused attachment leaves nothing behind."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from community import Community
from community.documents import contents
from domain.errors import Conflict, Invalid, NotAllowed
from domain.qip import Qip
from tests.builders import SmallNetwork, small_network

PDF = b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"


@pytest.fixture
def network(app: Community) -> SmallNetwork:
    return small_network(app)


@pytest.fixture
def qip_id(app: Community, network: SmallNetwork) -> str:
    return str(app.draft_qip(by=network.nurse, title="Nurse specialist at every diagnosis",
                             key_area="cns_access"))


def stored_copies(app: Community) -> int:
    with app.documents.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(contents)).scalar_one()


def attached_events(app: Community, qip_id: str) -> list[object]:
    return [e for e in app.qip_events(qip_id) if isinstance(e, Qip.DocumentAttached)]


def test_the_event_names_the_file_and_the_bytes_are_outside_the_log(app, network, qip_id):
    document_id = app.attach_document(qip_id, by=network.nurse, filename="Business case.pdf",
                                      data=PDF, declared_type="application/octet-stream",
                                      kind="business_case", title="Business case 2013")

    [event] = attached_events(app, qip_id)
    assert (event.document_id, event.title, event.kind) == (
        document_id, "Business case 2013", "business_case")
    assert (event.name, event.content_type, event.size) == (
        "Business case.pdf", "application/pdf", len(PDF))
    assert len(event.sha256) == 64
    assert app.document_content(event.sha256) == PDF
    with app.documents.engine.connect() as conn:
        states = conn.execute(text("SELECT state FROM community_events")).scalars().all()
    # The event is a few hundred bytes, whatever the file's size.
    assert all(b"%PDF" not in bytes(state) for state in states)
    row = app.views.library.document(document_id)
    assert (row["qip_id"], row["title"], row["size"]) == (qip_id, "Business case 2013", len(PDF))


def test_the_same_content_attached_twice_is_stored_once(app, network, qip_id):
    first = app.attach_document(qip_id, by=network.nurse, filename="plan.pdf", data=PDF)
    second = app.attach_document(qip_id, by=network.lead, filename="plan (copy).pdf", data=PDF,
                                 title="The same plan")

    assert first != second
    assert [d["id"] for d in app.qip(qip_id).documents] == [first, second]
    assert stored_copies(app) == 1


def test_the_title_defaults_to_the_file_name(app, network, qip_id):
    app.attach_document(qip_id, by=network.nurse, filename="../../slides.pdf", data=PDF)

    [event] = attached_events(app, qip_id)
    assert (event.title, event.name, event.kind) == ("slides.pdf", "slides.pdf", "other")


@pytest.mark.parametrize("given, field", [
    ({"filename": "plan.pdf", "data": b""}, "file"),
    ({"filename": "plan.exe", "data": b"MZ\x90"}, "file"),
    ({"filename": "plan.pdf", "data": b"not a pdf"}, "file"),
    ({"filename": "plan.pdf", "data": PDF, "kind": "minutes"}, "kind"),
    ({"filename": "plan.pdf", "data": PDF, "title": "T" * 201}, "title"),
])
def test_a_refused_attachment_leaves_nothing(app, network, qip_id, given, field):
    with pytest.raises(Invalid) as refused:
        app.attach_document(qip_id, by=network.nurse, **given)

    assert set(refused.value.fields) == {field}
    assert attached_events(app, qip_id) == []
    assert stored_copies(app) == 0


def test_another_team_cannot_attach_and_nothing_is_stored(app, network, qip_id):
    with pytest.raises(NotAllowed):
        app.attach_document(qip_id, by=network.other_nurse, filename="plan.pdf", data=PDF)

    assert attached_events(app, qip_id) == []
    assert stored_copies(app) == 0


def test_a_stopped_qip_takes_no_documents(app, network, qip_id):
    app.stop_qip(qip_id, by=network.nurse, reason="No longer needed")

    with pytest.raises(Conflict):
        app.attach_document(qip_id, by=network.nurse, filename="plan.pdf", data=PDF)

    assert stored_copies(app) == 0


def test_a_table_of_values_is_recorded_whole_or_not_at_all(app, network, qip_id):
    app.revise_qip(qip_id, by=network.nurse, measures=[
        {"name": "CNS at diagnosis", "unit": "%"}, {"name": "Days to CNS", "direction": "down"}])

    with pytest.raises(Invalid) as refused:
        app.record_progress_table(qip_id, by=network.nurse, rows=[
            ("CNS at diagnosis", "2013-01-31", "61"), ("Days to CNS", "2013-01-31", "9"),
            ("CNS at diagnosis", "2013-02-28", "lots"), ("Days to CNS", "2013-01-31", "8")])

    assert refused.value.fields == {"rows[2].value": "must be a number",
                                    "rows[3].date": "Days to CNS already has a value for "
                                                    "2013-01-31"}
    assert app.qip(qip_id).progress == []
    assert app.record_progress_table(qip_id, by=network.nurse, rows=[
        ("CNS at diagnosis", "2013-01-31", "61"), ("Days to CNS", "2013-01-31", "9")]) == 2
    assert len(app.views.library.qip(qip_id, viewer_team_id=None, organiser=True)
               ["progress"]) == 2

