"""The ``Idempotency-Key`` header on the API's POSTs (issue 13): a client that lost the
answer to a create sends the same request with the same key again and gets the first
answer again (``Idempotent-Replayed: true``), with nothing written twice. The same key
with another request is 422; sent while the first is still running, 409. Only a
successful (2xx) answer is kept, so a refused request can be corrected and retried under
its key. Keys are each member's own and kept a day (community/idempotency.py)."""

from __future__ import annotations

import hashlib
import re
from typing import Any

from flask import current_app, g, request
from flask.blueprints import BlueprintSetupState
from flask_login import current_user

from community.idempotency import IdempotentAnswers
from web.api import api
from web.errors import error_response

HEADER = "Idempotency-Key"
KEY_FORM = re.compile(r"[\x21-\x7e]{1,255}")  # visible ASCII


@api.record_once
def keep_answers(state: BlueprintSetupState) -> None:
    """At start-up, not at a first request that two threads might share. The table is
    made with the store's (community/application.py)."""
    state.app.extensions["idempotent_answers"] = IdempotentAnswers(
        state.app.extensions["community"].engine)


def _answers() -> IdempotentAnswers:
    found: IdempotentAnswers = current_app.extensions["idempotent_answers"]
    return found


def _fingerprint() -> str:
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode())
    if request.mimetype.startswith("multipart/"):
        # Reading the raw body would leave the form unparsed: hash what was parsed.
        for name, value in sorted(request.form.items(multi=True)):
            digest.update(f"{name}={value}\n".encode())
        for name, upload in sorted(request.files.items(multi=True), key=lambda f: f[0]):
            digest.update(f"{name}:{upload.filename}:".encode())
            digest.update(hashlib.sha256(upload.stream.read()).digest())
            upload.stream.seek(0)
    else:
        digest.update(request.get_data(cache=True))
    return digest.hexdigest()


@api.before_request
def replay_a_retried_create() -> Any:
    key = request.headers.get(HEADER)
    if request.method != "POST" or key is None or not current_user.is_authenticated:
        return None
    if not KEY_FORM.fullmatch(key):
        return error_response(400, f"the {HEADER} header is not a key",
                              {HEADER: "must be 1 to 255 visible characters"})
    found = _answers().claim(current_user.id, key, _fingerprint())
    if found.fresh:
        g.idempotency_key = key
        return None
    if not found.same_request:
        return error_response(422, f"this {HEADER} was used for another request; "
                                   "use a new key for a new request")
    if found.status is None:
        return error_response(409, f"the first request with this {HEADER} is still "
                                   "being answered; try again in a moment")
    return current_app.response_class(found.body, status=found.status,
                                      content_type=found.content_type,
                                      headers={"Idempotent-Replayed": "true"})


@api.after_request
def keep_the_answer(response: Any) -> Any:
    key = g.pop("idempotency_key", None)
    if key is not None:
        if 200 <= response.status_code < 300:
            _answers().keep(current_user.id, key, response.status_code,
                            response.content_type or "", response.get_data())
        else:
            _answers().give_back(current_user.id, key)
    return response


@api.teardown_request
def give_the_key_back(error: BaseException | None) -> None:
    """A request that failed before an answer was made frees its key for the retry."""
    key = g.pop("idempotency_key", None)
    if key is not None:
        _answers().give_back(current_user.id, key)
