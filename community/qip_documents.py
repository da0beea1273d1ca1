"""What a team uploads to a QIP: documents (a business case, the data, the slides
shown at a workshop) and tables of measured values (a CSV of a run chart's points).

A document's bytes go to the ``DocumentStore`` first and the event that names them is saved
after: an event then never names bytes that are missing, and a failed save leaves
only unnamed bytes behind (see ``community.documents``).
"""

from __future__ import annotations

import re
from typing import Any
from uuid import UUID, uuid4

from community.documents import check_upload
from domain.errors import Conflict, Invalid
from domain.values import DocumentKind, QipStatus


class QipDocumentCommands:
    """Mixed into ``Community``, whose ``documents`` store, ``_qip_for_change``,
    ``save`` and ``today`` it uses."""

    def attach_document(self: Any, qip_id: object, *, by: UUID | None, filename: str | None,
                        data: bytes, declared_type: str | None = None, kind: object = "other",
                        title: object = "") -> str:
        """Attach a file to a QIP of the member's own team; the new document's id."""
        qip = self._qip_for_change(qip_id, by, None)
        try:
            document_kind = DocumentKind.parse(kind or DocumentKind.OTHER.value)
        except ValueError as error:
            raise Invalid({"kind": str(error)}) from None
        upload = check_upload(filename, data, declared_type)
        if qip.status is QipStatus.STOPPED:  # before the bytes: a refusal leaves nothing
            raise Conflict("documents cannot be added to a stopped QIP")
        document_id = str(uuid4())
        qip.attach_document(document_id=document_id, title=title, kind=document_kind.value,
                            name=upload.name, content_type=upload.content_type,
                            size=upload.size, sha256=upload.sha256, by=by or qip.owner_id,
                            attached_on=self.today())
        self.documents.put(upload, data)
        self.save(qip)
        return document_id

    def document_content(self: Any, sha256: str) -> bytes | None:
        return self.documents.get(sha256)

    def record_progress_table(self: Any, qip_id: object, *, by: UUID | None,
                              rows: list[tuple[object, object, object]]) -> int:
        """Rows of (measure, date, value), of one or more measures: every row is
        recorded, in one save, or none is. Problems are named by the row's position,
        ``rows[4].value``, so a file's lines can be named back to the person."""
        qip = self._qip_for_change(qip_id, by, None)
        if not rows:
            raise Invalid({"rows": "give at least one value"})
        by_measure: dict[object, list[int]] = {}
        for position, (measure, _, _) in enumerate(rows):
            by_measure.setdefault(measure, []).append(position)
        problems: dict[str, str] = {}
        for measure, positions in by_measure.items():
            try:
                qip.record_series(measure=measure, values=[rows[i][1:] for i in positions],
                                  by=by or qip.owner_id, field_prefix="values")
            except Invalid as error:
                problems.update({_row_field(field, positions): message
                                 for field, message in error.fields.items()})
        if problems:
            raise Invalid(dict(sorted(problems.items(), key=lambda item: _position(item[0]))))
        self.save(qip)
        return len(rows)


ROW_FIELD = re.compile(r"values\[(\d+)\]\.(\w+)")


def _row_field(field: str, positions: list[int]) -> str:
    """``values[2].date`` of one measure's series (or ``date`` when it had one value,
    ``measure`` when the name is unknown) as the row of the whole table it came from."""
    if found := ROW_FIELD.fullmatch(field):
        return f"rows[{positions[int(found[1])]}].{found[2]}"
    return f"rows[{positions[0]}].{field}"


def _position(field: str) -> tuple[int, str]:
    found = re.match(r"rows\[(\d+)\]", field)
    return (int(found[1]) if found else -1, field)
