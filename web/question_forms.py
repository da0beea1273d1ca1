"""The forms of the question pages: asking, answering, editing one's own post,
inviting people to answer, reporting a post, the organisers' hiding and dismissing,
and choosing what to follow.

The forms only read what was posted; the limits (title and body length, tags,
invitees) are the domain's (``domain.question``), which refuses with field names the
forms share. ``refusals`` puts those refusals beside the fields in people's words.
"""

from __future__ import annotations

from typing import Any

from wtforms import HiddenField, SelectMultipleField, StringField, TextAreaField

from domain.errors import Invalid
from domain.question import BODY_MAX, INVITEES_MAX, REASON_MAX, TAG_MAX, TAGS_MAX, TITLE_MAX
from domain.values import KeyArea
from web.forms import EnumMultipleField, Form, IdListField, VersionField

# The limits the pages show in hints and maxlength attributes: the domain's, named once.
LIMITS = {"title": TITLE_MAX, "body": BODY_MAX, "tags": TAGS_MAX, "tag": TAG_MAX,
          "invitees": INVITEES_MAX, "reason": REASON_MAX}

BODY_HINT = ("You can use Markdown: **bold**, *italic*, a list with - at the start of each "
             "line, and links as [words](https://…). To tell a member, type @ and their "
             "name with a dot between its parts, for example @sara.south.")


# What a refusal names that the page has no box for (carried in hidden fields).
UNSEEN = {"qip_id": "The QIP this question is about",
          "team_id": "The team this question is about",
          "workshop_id": "The event this question is about",
          "invite_member_ids": "The people invited"}


def _worded(label: str, message: str) -> str:
    """A domain refusal ("is required", "must be at most 150 characters", "choose at
    least one key area") as a sentence about the field."""
    if message.startswith(("is ", "must ")):
        message = f"{label.removesuffix(' (optional)')} {message}"
    return message[:1].upper() + message[1:]


def refusals(form: Form, error: Invalid) -> None:
    """Put the domain's refusals beside the form's fields, saying how long a text that
    is too long was, so a pasted document's size is no mystery."""
    messages: dict[str, str] = {}
    for name, message in error.fields.items():
        field = form._fields.get(name)
        if field is None or isinstance(field, HiddenField):
            messages[f"_{name}"] = f"{UNSEEN.get(name, name.replace('_', ' '))}: {message}"
            continue
        words = _worded(str(field.label.text), message)
        if "at most" in message and "characters" in message and isinstance(field.data, str):
            words += f" (yours has {len(field.data.strip()):,})"
        messages[name] = words
    form.beside(messages)


class QuestionForm(Form):
    """What the asker writes, when asking and when editing."""

    title = StringField("Your question in one sentence")
    body = TextAreaField("Details")
    key_areas = EnumMultipleField("Key areas", KeyArea)
    tags = StringField("Tags (optional)")

    def tag_list(self) -> list[str]:
        return [t for t in (self.tags.data or "").split(",") if t.strip()]

    def key_area_list(self) -> list[Any]:
        return [a for a in self.key_areas.data or [] if a is not None]


class AskForm(QuestionForm):
    # What the question is about, carried from the page that linked here ("Ask the
    # team that ran this"); the command refuses one that does not exist.
    qip_id = HiddenField()
    team_id = HiddenField()
    workshop_id = HiddenField()


class FollowForm(Form):
    follow = HiddenField()  # "yes" to follow the question, "no" to stop


class EditQuestionForm(QuestionForm):
    version = VersionField()


class AnswerForm(Form):
    body = TextAreaField("Your answer")


class EditAnswerForm(Form):
    body = TextAreaField("Your answer")
    version = VersionField()


class InviteForm(Form):
    member_ids = IdListField("People who could answer", missing="is not a member")


class ReportForm(Form):
    reason = TextAreaField("Why are you reporting this?")


class HideForm(Form):
    reason = TextAreaField("Why are you hiding it?")


class DismissForm(Form):
    note = TextAreaField("A note on why (optional)")


class FollowsForm(Form):
    key_areas = EnumMultipleField("Key areas", KeyArea)
    team_ids = SelectMultipleField("Teams", validate_choice=False)
