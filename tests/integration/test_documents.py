"""Documents' bytes kept by content hash on each real store, and sent back as a
download the browser will save rather than run."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from flask import Flask, Response
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.http import parse_options_header
from werkzeug.test import TestResponse

from community import Community
from community.documents import MAX_DOCUMENT_BYTES, DocumentStore, Upload, check_upload, contents
from web.downloads import document_response

PDF = b"%PDF-1.7\n" + bytes(range(256)) + b"\n%%EOF\n"  # every byte value, NUL included


@pytest.fixture
def store(app: Community) -> DocumentStore:
    documents = DocumentStore(app.views.engine)  # the store the app itself writes to
    documents.create_tables()
    return documents


def copies_of(store: DocumentStore, upload: Upload) -> int:
    with store.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(contents)
                            .where(contents.c.sha256 == upload.sha256)).scalar_one()


def test_a_stored_document_comes_back_byte_for_byte(store: DocumentStore) -> None:
    upload = check_upload("business case.pdf", PDF, "application/pdf")

    store.put(upload, PDF)

    assert store.has(upload.sha256)
    assert store.get(upload.sha256) == PDF


def test_a_document_never_stored_is_neither_had_nor_got(store: DocumentStore) -> None:
    unknown = "0" * 64

    assert not store.has(unknown)
    assert store.get(unknown) is None


def test_the_same_file_attached_twice_is_stored_once(store: DocumentStore) -> None:
    upload = check_upload("plan.pdf", PDF, None)
    again = check_upload("plan (copy).pdf", PDF, None)

    store.put(upload, PDF)
    store.put(again, PDF)

    assert copies_of(store, upload) == 1
    assert store.get(again.sha256) == PDF


def test_two_uploads_of_the_same_file_at_once_both_succeed_and_store_one_copy(
        store: DocumentStore) -> None:
    uploaders = 6
    for attempt in range(4):
        data = PDF + f"attempt {attempt}".encode()
        upload = check_upload("slides.pdf", data, None)
        together = threading.Barrier(uploaders, timeout=30)

        def put(together: threading.Barrier, upload: Upload, data: bytes) -> None:
            together.wait()  # all insert at the same moment
            store.put(upload, data)

        with ThreadPoolExecutor(uploaders) as pool:
            for finished in [pool.submit(put, together, upload, data) for _ in range(uploaders)]:
                finished.result()  # raises what the thread raised

        assert copies_of(store, upload) == 1
        assert store.get(upload.sha256) == data


def test_a_document_at_the_size_limit_is_stored_whole(store: DocumentStore) -> None:
    data = PDF + b"\xff" * (MAX_DOCUMENT_BYTES - len(PDF))
    upload = check_upload("audit data.pdf", data, None)

    store.put(upload, data)

    assert store.get(upload.sha256) == data


def test_bytes_that_are_not_the_uploads_are_not_stored(store: DocumentStore) -> None:
    upload = check_upload("plan.pdf", PDF, None)

    with pytest.raises(ValueError):
        store.put(upload, PDF + b"tampered")

    assert not store.has(upload.sha256)


# --- downloads ------------------------------------------------------------------


@pytest.fixture
def download() -> FlaskClient:
    """A tiny app sending back whatever name, type and bytes the test asks for."""
    app = Flask(__name__)

    @app.get("/download")
    def send() -> Response:
        sent = app.config["SEND"]
        return document_response(sent["name"], sent["type"], sent["data"])

    return app.test_client()


def fetch(client: FlaskClient, name: str, content_type: str, data: bytes = PDF) -> TestResponse:
    client.application.config["SEND"] = {"name": name, "type": content_type, "data": data}
    return client.get("/download")


def disposition(response: TestResponse) -> tuple[str, dict[str, str]]:
    return parse_options_header(response.headers["Content-Disposition"])


def test_a_download_is_a_sandboxed_private_attachment_with_our_type(
        download: FlaskClient) -> None:
    response = fetch(download, "business case.pdf", "application/pdf")

    assert response.status_code == 200
    assert response.data == PDF
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == "sandbox"
    assert response.headers["Cache-Control"] == "private, no-store"
    assert disposition(response) == ("attachment", {"filename": "business case.pdf"})


def test_a_text_download_says_it_is_utf8(download: FlaskClient) -> None:
    response = fetch(download, "waits.csv", "text/csv", "St Mary’s,12\n".encode())

    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"


@pytest.mark.parametrize("content_type", ["text/html", "image/svg+xml",
                                          "application/pdf\r\nSet-Cookie: a=b", ""])
def test_a_type_not_on_our_list_is_sent_as_plain_bytes(download: FlaskClient,
                                                       content_type: str) -> None:
    response = fetch(download, "page.html", content_type)

    assert response.headers["Content-Type"] == "application/octet-stream"
    assert "Set-Cookie" not in response.headers


def test_a_name_with_quotes_keeps_them_in_the_utf8_name_only(download: FlaskClient) -> None:
    response = fetch(download, 'the "new" pathway.pdf', "application/pdf")

    header = response.headers["Content-Disposition"]
    assert header == ("attachment; filename=\"the _new_ pathway.pdf\"; "
                      "filename*=UTF-8''the%20%22new%22%20pathway.pdf")
    assert disposition(response)[1]["filename"] == 'the "new" pathway.pdf'


def test_a_non_ascii_name_has_a_plain_fallback_and_the_exact_utf8_name(
        download: FlaskClient) -> None:
    response = fetch(download, "Überweisung – März.pdf", "application/pdf")

    header = response.headers["Content-Disposition"]
    assert 'filename="Uberweisung _ Marz.pdf"' in header
    assert "filename*=UTF-8''%C3%9Cberweisung%20%E2%80%93%20M%C3%A4rz.pdf" in header
    assert disposition(response)[1]["filename"] == "Überweisung – März.pdf"
    header.encode("ascii")  # a header must be ASCII to reach every browser


@pytest.mark.parametrize("name, saved_as", [
    ("plan\r\nSet-Cookie: session=stolen.pdf", "planSet-Cookie: session=stolen.pdf"),
    ("../../etc/passwd.pdf", "passwd.pdf"),
    ("C:\\Users\\me\\plan.pdf", "plan.pdf"),
    ("", "document"),
])
def test_a_hostile_name_cannot_add_headers_or_choose_a_folder(download: FlaskClient, name: str,
                                                              saved_as: str) -> None:
    response = fetch(download, name, "application/pdf")

    assert "Set-Cookie" not in response.headers
    assert disposition(response) == ("attachment", {"filename": saved_as})
