"""Checking an uploaded document: what a member may attach to a QIP, and what they
hear, under the field "file", when it is refused."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import zipfile

import pytest

from community.documents import MAX_DOCUMENT_BYTES, check_upload, safe_name
from domain.errors import Invalid
from domain.values import DocumentKind

PDF = b"%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"
ALLOWED = "must be a PDF, Word, Excel, PowerPoint, CSV, text, PNG or JPEG file"


def office_file(folder: str) -> bytes:
    """The smallest zip that looks like an Office Open XML document of one kind."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{folder}/main.xml", "<main/>")
    return buffer.getvalue()


DOCX, XLSX, PPTX = office_file("word"), office_file("xl"), office_file("ppt")


def refusal(filename: str, data: bytes, declared_type: str | None = None) -> str:
    with pytest.raises(Invalid) as raised:
        check_upload(filename, data, declared_type)
    assert set(raised.value.fields) == {"file"}
    return raised.value.fields["file"]


@pytest.mark.parametrize("filename, data, content_type", [
    ("business case.pdf", PDF, "application/pdf"),
    ("plan.docx", DOCX, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("audit.xlsx", XLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("talk.pptx", PPTX,
     "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    ("old plan.doc", OLE, "application/msword"),
    ("old audit.xls", OLE, "application/vnd.ms-excel"),
    ("old talk.ppt", OLE, "application/vnd.ms-powerpoint"),
    ("waits.csv", "team,days\nSt Mary’s,12\n".encode(), "text/csv"),
    ("notes.txt", "Café notes\n".encode(), "text/plain"),
    ("chart.png", PNG, "image/png"),
    ("photo.jpg", JPEG, "image/jpeg"),
    ("photo.jpeg", JPEG, "image/jpeg"),
    ("SHOUTING.PDF", PDF, "application/pdf"),
])
def test_each_allowed_kind_of_file_is_accepted_with_the_type_we_decide(
        filename: str, data: bytes, content_type: str) -> None:
    upload = check_upload(filename, data, None)

    assert upload.content_type == content_type
    assert upload.name == filename
    assert upload.size == len(data)
    assert upload.sha256 == hashlib.sha256(data).hexdigest()


def test_the_type_the_browser_declares_is_ignored() -> None:
    assert check_upload("plan.pdf", PDF, "text/html").content_type == "application/pdf"
    assert refusal("plan.pdf", PNG, "application/pdf") == "says it is a PDF but is not one"


def test_an_empty_file_is_refused() -> None:
    assert refusal("plan.pdf", b"") == "is empty"


def test_a_file_of_exactly_ten_megabytes_is_accepted() -> None:
    data = PDF + b" " * (MAX_DOCUMENT_BYTES - len(PDF))

    assert check_upload("big.pdf", data, "application/pdf").size == 10 * 1024 * 1024


def test_one_byte_over_ten_megabytes_is_refused_saying_how_big_it_is() -> None:
    data = PDF + b" " * (MAX_DOCUMENT_BYTES + 1 - len(PDF))

    assert refusal("big.pdf", data) == "is 10.1 MB; the limit is 10 MB"


def test_a_larger_file_is_refused_with_its_size_to_a_tenth_of_a_megabyte() -> None:
    assert refusal("big.pdf", PDF * (int(12.3 * 1024 * 1024) // len(PDF))) == \
        "is 12.3 MB; the limit is 10 MB"


@pytest.mark.parametrize("filename", ["setup.exe", "page.html", "logo.svg", "bundle.zip",
                                      "passwd", "plan.pdf.exe", ""])
def test_a_file_of_a_kind_not_on_the_list_is_refused(filename: str) -> None:
    assert refusal(filename, PDF) == ALLOWED


@pytest.mark.parametrize("filename, data, message", [
    ("plan.pdf", PNG, "says it is a PDF but is not one"),
    ("plan.docx", XLSX, "says it is a Word document but is not one"),
    ("plan.docx", b"PK\x03\x04 not really a zip", "says it is a Word document but is not one"),
    ("audit.xlsx", DOCX, "says it is an Excel workbook but is not one"),
    ("talk.pptx", PDF, "says it is a PowerPoint presentation but is not one"),
    ("audit.xls", PDF, "says it is an Excel workbook but is not one"),
    ("chart.png", JPEG, "says it is a PNG image but is not one"),
    ("photo.jpg", PNG, "says it is a JPEG image but is not one"),
    ("waits.csv", "St Mary’s,12\n".encode("cp1252"),
     "says it is a CSV file but is not UTF-8 text"),
    ("notes.txt", b"a\x00b", "says it is a text file but is not UTF-8 text"),
    ("notes.txt", PNG, "says it is a text file but is not UTF-8 text"),
])
def test_a_file_whose_content_is_not_what_its_name_says_is_refused(
        filename: str, data: bytes, message: str) -> None:
    assert refusal(filename, data) == message


@pytest.mark.parametrize("filename, name", [
    ("../../etc/passwd", "passwd"),
    ("../../etc/plan.pdf", "plan.pdf"),
    ("C:\\x\\y.pdf", "y.pdf"),
    ("bad\x00\r\nname.pdf", "badname.pdf"),
    ("invoice\u202efdp.exe", "invoicefdp.exe"),  # the override would show "exe.pdf"
    ("  spaced out.pdf  ", "spaced out.pdf"),
    ("plan.pdf.", "plan.pdf"),  # as Windows itself would save it
    (".pdf", "document.pdf"),
    ("..", "document"),
    ("", "document"),
    (None, "document"),
    ("Überweisung – März.pdf", "Überweisung – März.pdf"),
])
def test_a_name_becomes_a_safe_display_name(filename: str | None, name: str) -> None:
    assert safe_name(filename) == name


def test_a_long_name_is_cut_to_120_characters_keeping_its_extension() -> None:
    name = check_upload("a" * 300 + ".pdf", PDF, None).name

    assert len(name) == 120
    assert name == "a" * 116 + ".pdf"


def test_an_upload_with_a_path_keeps_only_the_file_name() -> None:
    assert check_upload("C:\\Users\\me\\Desktop\\case.pdf", PDF, None).name == "case.pdf"
    assert check_upload("../../etc/case.pdf", PDF, None).name == "case.pdf"


def test_a_checked_upload_cannot_be_changed_afterwards() -> None:
    upload = check_upload("plan.pdf", PDF, None)

    with pytest.raises(dataclasses.FrozenInstanceError):
        upload.content_type = "text/html"  # type: ignore[misc]


def test_members_pick_what_a_document_is_for_from_five_kinds() -> None:
    assert [kind.label for kind in DocumentKind] == [
        "Business case", "Data", "Slides", "Template", "Other"]
    assert DocumentKind.parse("business_case") is DocumentKind.BUSINESS_CASE
