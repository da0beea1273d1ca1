"""Documents attached to QIPs and workshops: checked on the way in, kept by content hash.

An event records a document's name, type, size and hash; the bytes live in
``document_contents``, outside the event log, so events stay small and replay
fast, and the same file attached twice is stored once.
"""

from __future__ import annotations

import hashlib
import io
import math
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any

from sqlalchemy import Column, DateTime, Engine, Integer, LargeBinary, MetaData, String, Table, select
from sqlalchemy.dialects import postgresql, sqlite

from domain.errors import Invalid
from projections.reading import reading

MEGABYTE = 1024 * 1024
MAX_DOCUMENT_BYTES = 10 * MEGABYTE
MAX_NAME_LENGTH = 120
ALLOWED = "must be a PDF, Word, Excel, PowerPoint, CSV, text, PNG or JPEG file"


@dataclass(frozen=True)
class Upload:
    """A file that passed the checks: what its event records about it."""

    name: str
    content_type: str
    size: int
    sha256: str


def _starts(magic: bytes) -> Callable[[bytes], bool]:
    return lambda data: data.startswith(magic)


def _office_open_xml(folder: str) -> Callable[[bytes], bool]:
    """A zip holding the part folder of its kind: a .xlsx renamed .docx is caught."""
    def looks_right(data: bytes) -> bool:
        if not data.startswith(b"PK\x03\x04"):
            return False
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = archive.namelist()
        except Exception:  # crafted archives raise many kinds; any of them means "not one"
            return False
        return "[Content_Types].xml" in names and any(n.startswith(folder) for n in names)
    return looks_right


def _utf8_text(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return b"\x00" not in data


@dataclass(frozen=True)
class Format:
    content_type: str
    described: str  # in "says it is {described} but ..."
    looks_right: Callable[[bytes], bool]
    refusal: str = "is not one"


_OLE = _starts(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")  # Office 97-2003 files
_JPEG = Format("image/jpeg", "a JPEG image", _starts(b"\xff\xd8\xff"))
FORMATS: dict[str, Format] = {
    "pdf": Format("application/pdf", "a PDF", _starts(b"%PDF-")),
    "docx": Format("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                   "a Word document", _office_open_xml("word/")),
    "xlsx": Format("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   "an Excel workbook", _office_open_xml("xl/")),
    "pptx": Format("application/vnd.openxmlformats-officedocument.presentationml.presentation",
                   "a PowerPoint presentation", _office_open_xml("ppt/")),
    "doc": Format("application/msword", "a Word document", _OLE),
    "xls": Format("application/vnd.ms-excel", "an Excel workbook", _OLE),
    "ppt": Format("application/vnd.ms-powerpoint", "a PowerPoint presentation", _OLE),
    "csv": Format("text/csv", "a CSV file", _utf8_text, "is not UTF-8 text"),
    "txt": Format("text/plain", "a text file", _utf8_text, "is not UTF-8 text"),
    "png": Format("image/png", "a PNG image", _starts(b"\x89PNG\r\n\x1a\n")),
    "jpg": _JPEG,
    "jpeg": _JPEG,
}
CONTENT_TYPES = frozenset(f.content_type for f in FORMATS.values())


def safe_name(filename: str | None) -> str:
    """A name fit to show and to offer as a download: the last path part only
    (either slash), no control or invisible format characters (a right-to-left
    override can disguise "exe" as "pdf"), at most 120 characters keeping the
    extension, and never empty."""
    name = unicodedata.normalize("NFC", filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip()
    stem, dot, extension = name.rpartition(".")
    if not dot or len(extension) > 10:
        stem, extension = name, ""
    stem = stem.strip(" .") or "document"
    suffix = f".{extension.strip()}" if extension.strip() else ""
    return stem[:MAX_NAME_LENGTH - len(suffix)].rstrip() + suffix


def extension_of(name: str) -> str:
    _, dot, extension = name.rpartition(".")
    return extension.lower() if dot else ""


def check_upload(filename: str | None, data: bytes, declared_type: str | None = None) -> Upload:
    """The upload, or Invalid naming "file". The type comes from the extension,
    confirmed by the file's first bytes; ``declared_type`` (the browser's claim)
    is deliberately ignored: browsers send "application/vnd.ms-excel" for CSV
    on Windows and "application/octet-stream" for whatever they do not know."""
    if not data:
        raise Invalid({"file": "is empty"})
    if len(data) > MAX_DOCUMENT_BYTES:
        megabytes = math.ceil(len(data) * 10 / MEGABYTE) / 10  # 10 MB and 1 byte is "10.1"
        raise Invalid({"file": f"is {megabytes:.1f} MB; the limit is "
                               f"{MAX_DOCUMENT_BYTES // MEGABYTE} MB"})
    name = safe_name(filename)
    kind = FORMATS.get(extension_of(name))
    if kind is None:
        raise Invalid({"file": ALLOWED})
    if not kind.looks_right(data):
        raise Invalid({"file": f"says it is {kind.described} but {kind.refusal}"})
    return Upload(name=name, content_type=kind.content_type, size=len(data),
                  sha256=hashlib.sha256(data).hexdigest())


metadata = MetaData()
contents = Table(
    "document_contents", metadata,
    Column("sha256", String(64), primary_key=True),
    Column("content", LargeBinary, nullable=False),
    Column("size", Integer, nullable=False),
    Column("stored_at", DateTime(timezone=True), nullable=False),
)


@cache
def _insert_once(dialect: str) -> Any:
    """An insert that leaves an existing row alone: two uploads of one file racing
    both succeed, without a failed transaction to retry."""
    dialects: dict[str, Any] = {"postgresql": postgresql, "sqlite": sqlite}
    if dialect not in dialects:
        raise NotImplementedError(f"documents are stored on SQLite or PostgreSQL, not {dialect}")
    return dialects[dialect].insert(contents).on_conflict_do_nothing(
        index_elements=[contents.c.sha256])


class DocumentStore:
    """Documents' bytes by SHA-256. Put the bytes before saving the event that names
    them: an event then never names missing bytes, and bytes that no event names
    (the save failed) cost only space."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def create_tables(self) -> None:
        metadata.create_all(self.engine)

    def put(self, upload: Upload, data: bytes) -> None:
        self.put_bytes(upload.sha256, data)

    def put_bytes(self, sha256: str, data: bytes) -> None:
        """Keep ``data`` under its hash (a restore gives the hash from the backup)."""
        if hashlib.sha256(data).hexdigest() != sha256:
            raise ValueError("these bytes are not the upload's: their hash differs")
        row = {"sha256": sha256, "content": data, "size": len(data),
               "stored_at": datetime.now(UTC)}
        with self.engine.begin() as conn:
            conn.execute(_insert_once(conn.dialect.name), row)

    def get(self, sha256: str) -> bytes | None:
        with reading(self.engine) as conn:
            found = conn.execute(select(contents.c.content)
                                 .where(contents.c.sha256 == sha256)).scalar_one_or_none()
        return None if found is None else bytes(found)

    def has(self, sha256: str) -> bool:
        with reading(self.engine) as conn:
            return conn.execute(select(contents.c.sha256)
                                .where(contents.c.sha256 == sha256)).first() is not None
