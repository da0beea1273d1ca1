"""Importing teams and members from CSV text (organisers only).

The same checks as ``community import`` and the upload page: nothing is written
unless every row is valid, and importing the same text again changes nothing.
"""

from __future__ import annotations

from typing import Any

from flask import jsonify
from flask_login import current_user

from community.importing import Result
from web.api import api
from web.api.openapi import BOOL, INT, STR, document, errors, obj, ref, request_schema
from web.api.requests import json_body, require_organiser
from web.errors import error_response
from web.onboarding import invitation_links
from web.services import community

MAX_CSV = 2_000_000  # characters; the whole request is limited to 2 MB anyway
CSV_TEXT = {"type": "string", "maxLength": MAX_CSV, "pattern": r"^[^\u0000]*$",
            "description": "the file's text: a first line naming the columns, commas "
                           "between values"}
PROBLEM = obj(["line", "field", "message"], {
    "line": {**INT, "description": "the line in the file; the column names are line 1"},
    "field": {**STR, "description": "the column, or `file` or `row`"},
    "message": STR,
    "file": {**STR, "description": "the file the problem is in"}})
PROBLEMS = {"type": "array", "items": ref("ImportProblem")}
RESULT = obj(["dry_run", "new", "unchanged", "problems", "invitations"], {
    "dry_run": BOOL,
    "new": {**INT, "description": "rows that are (or, in a dry run, would be) added"},
    "unchanged": {**INT, "description": "rows already in the community, left as they are"},
    "problems": PROBLEMS,
    "invitations": {"type": "array", "description": "a one-time link for each new member "
                                                   "to set a password",
                    "items": obj(["member_id", "email", "link"], {
                        "member_id": {"type": "string", "format": "uuid"},
                        "email": STR, "link": STR})}})

def _operation(what: str, request: dict[str, Any]) -> dict[str, Any]:
    return {"post": {
        "summary": f"Import {what} from CSV text (organisers only); with dry_run, only "
                   f"check it. Nothing is written unless every row is valid",
        "requestBody": {"required": True, "content": {"application/json": {
            "schema": request}}},
        "responses": {
            "200": {"description": "Checked, and imported unless a dry run",
                    "content": {"application/json": {"schema": ref("ImportResult")}}},
            "400": {"description": "Refused: `problems` lists every problem (line, "
                                   "field, message); nothing was written",
                    "content": {"application/json": {"schema": ref("ImportRefused")}}},
            **errors(401, 403, 409)}}}


document({
    "/imports/teams": _operation(
        "teams (columns name, trust, region, latitude, longitude, caseload)",
        obj(["csv"], {"csv": CSV_TEXT, "dry_run": BOOL}, False)),
    "/imports/members": _operation(
        "members (columns email, name, role, team, and optionally expertise, "
        "consents_to_contact); each new member gets an invitation link",
        obj(["csv"], {"csv": CSV_TEXT, "dry_run": BOOL,
                      "teams_csv": {**CSV_TEXT, "description": "a teams.csv to import with "
                                    "the members, all or nothing"}}, False)),
}, {
    "ImportProblem": PROBLEM,
    "ImportResult": RESULT,
    "ImportRefused": obj(["error"], {
        "error": obj(["code", "message", "fields"], {
            "code": STR, "message": STR,
            "fields": {"type": "object", "additionalProperties": STR}}),
        "problems": PROBLEMS}),
})


def _answer(result: Result) -> Any:
    problems = [p.as_dict() for p in result.problems]
    if not result.ok:
        body, status = error_response(
            400, result.summary(),
            {"csv": f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in the "
                    f"file: see problems"})
        return jsonify({**body.get_json(), "problems": problems}), status
    return jsonify(dry_run=result.dry_run, new=len(result.new),
                   unchanged=len(result.unchanged), problems=problems,
                   invitations=[{k: i[k] for k in ("member_id", "email", "link")}
                                for i in invitation_links(result)])


@api.post("/imports/teams")
def import_teams_csv() -> Any:
    require_organiser()
    body = json_body(request_schema("/imports/teams", "post"))
    return _answer(community().import_teams(body["csv"], dry_run=body.get("dry_run", False),
                                by=current_user.member_id))


@api.post("/imports/members")
def import_members_csv() -> Any:
    require_organiser()
    body = json_body(request_schema("/imports/members", "post"))
    return _answer(community().import_members(body["csv"],
                                  dry_run=body.get("dry_run", False),
                                  by=current_user.member_id, teams=body.get("teams_csv")))
