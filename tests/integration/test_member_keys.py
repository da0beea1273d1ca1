"""Keys made for many members at once (``KeyStore.make_keys``, as the synthetic
community and imports use) seal and open as the keys made one at a time do.
On SQLite and PostgreSQL."""

from __future__ import annotations

from uuid import uuid4

from community import Community
from community.personal_data import KeyStore
from domain.member import Member
from domain.values import Role


def keys_of(app: Community) -> KeyStore:
    keys = app.mapper.keys
    assert isinstance(keys, KeyStore)
    return keys


def test_members_given_keys_together_read_back_whole_in_another_process(
        app: Community) -> None:
    members = [Member.join(email=f"person{i}@example.nhs.uk", name=f"Person {i}",
                           role=Role.ORGANISER, team_id=None, is_organiser=True)
               for i in range(3)]
    keys_of(app).make_keys([m.id for m in members])
    app.save(*members)

    fresh = KeyStore(keys_of(app).engine)
    assert all(fresh.key(m.id) == keys_of(app).key(m.id) is not None for m in members)
    app.repository.cache = None
    assert [app.member(m.id).name for m in members] == ["Person 0", "Person 1", "Person 2"]


def test_a_member_who_has_a_key_keeps_it_and_a_forgotten_one_gets_none(
        app: Community) -> None:
    keys = keys_of(app)
    kept, forgotten, new = uuid4(), uuid4(), uuid4()
    first = keys.key_to_seal(kept)
    keys.key_to_seal(forgotten)
    keys.forget(forgotten)

    KeyStore(keys.engine).make_keys([kept, forgotten, new])

    fresh = KeyStore(keys.engine)
    assert fresh.key(kept) == first
    assert fresh.key(forgotten) is None and fresh.is_forgotten(forgotten)
    assert fresh.key(new) is not None
