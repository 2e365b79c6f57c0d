"""The key check (keycheck.services) on the test database, which was stamped when it was
migrated: the keys it was set up with verify; another secret key or research key is refused
naming it; a rotated secret key is accepted through its fallback, with a warning, and stamped
beside the old one, which may then not be dropped; a backup's stamps are checked the same way."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import override_settings

from hsreg.keycheck.models import KeyStamp
from hsreg.keycheck.services import (
    KeyMismatchError,
    ensure_keys,
    secret_stamp,
    stamps,
    verify,
)

NEW = "a new secret key after the rotation " + "n" * 30


def test_the_database_was_stamped_when_it_was_set_up_and_its_keys_verify(db) -> None:
    kinds = sorted(KeyStamp.objects.values_list("kind", flat=True))
    assert kinds == ["research", "secret"]
    assert secret_stamp(settings.SECRET_KEY) in {s.value for s in stamps()}
    assert settings.SECRET_KEY not in str(list(KeyStamp.objects.values_list("value", flat=True)))
    result = ensure_keys()
    assert result.stamped == ()
    assert result.warnings == ()


def test_another_secret_key_is_refused_naming_it(db) -> None:
    with override_settings(SECRET_KEY=NEW), pytest.raises(KeyMismatchError) as refused:
        ensure_keys()
    assert refused.value.key == "HSREG_SECRET_KEY"
    assert "wrong secret key" in str(refused.value)
    assert "objected could be registered again" in str(refused.value)


def test_another_research_key_is_refused_naming_it(db) -> None:
    with (
        override_settings(HSREG_RESEARCH_KEY="another research key"),
        pytest.raises(KeyMismatchError) as refused,
    ):
        ensure_keys()
    assert refused.value.key == "research key"
    assert "every research pseudonym would change" in str(refused.value)


def test_a_missing_research_key_is_refused_and_not_made_anew(db, tmp_path) -> None:
    with (
        override_settings(HSREG_RESEARCH_KEY="", DATA_DIR=tmp_path),
        pytest.raises(KeyMismatchError, match="missing research key"),
    ):
        ensure_keys()
    assert not list(tmp_path.iterdir())


def test_a_rotation_is_accepted_through_the_fallback_which_must_then_stay(db) -> None:
    old = settings.SECRET_KEY
    with override_settings(SECRET_KEY=NEW, SECRET_KEY_FALLBACKS=[old]):
        result = ensure_keys()
    assert result.stamped == ("secret",)
    assert any("keep it there" in w for w in result.warnings)
    assert KeyStamp.objects.filter(kind="secret").count() == 2
    with (
        override_settings(SECRET_KEY=NEW, SECRET_KEY_FALLBACKS=[]),
        pytest.raises(KeyMismatchError, match="missing secret key"),
    ):
        ensure_keys()
    with (
        override_settings(SECRET_KEY=old, SECRET_KEY_FALLBACKS=[]),
        pytest.raises(KeyMismatchError, match="missing secret key"),
    ):
        ensure_keys()


def test_a_backups_stamps_are_verified_without_a_database(db) -> None:
    backup = stamps()
    assert verify(backup) == ()
    with override_settings(SECRET_KEY=NEW), pytest.raises(KeyMismatchError):
        verify(backup)
