"""Choosing a password (issue 13): long enough, and not one of the common passwords in
config/common_passwords.txt."""

from __future__ import annotations

import pytest

from community.passwords import MIN_LENGTH, check_new_password, hash_password, is_common
from domain.errors import Invalid


@pytest.mark.parametrize("password", ["1234567890", "qwertyuiop", "Password12", " basketball "])
def test_a_common_password_is_refused_whatever_its_case_or_spaces(password: str) -> None:
    with pytest.raises(Invalid) as refused:
        hash_password(password)

    assert "one of the most common passwords" in refused.value.fields["password"]


def test_the_refusal_names_the_field_the_form_has() -> None:
    with pytest.raises(Invalid) as refused:
        check_new_password("1qaz2wsx3edc", "new_password")

    assert set(refused.value.fields) == {"new_password"}


def test_an_uncommon_password_of_enough_characters_is_taken() -> None:
    assert not is_common("correct horse battery")
    assert check_new_password("plums in the larder") == "plums in the larder"


def test_the_list_holds_only_what_the_length_rule_does_not_already_refuse() -> None:
    from community.passwords import _common_passwords

    common = _common_passwords()
    assert len(common) > 1_500
    assert min(len(p) for p in common) >= MIN_LENGTH
