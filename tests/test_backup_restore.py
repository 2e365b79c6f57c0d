"""The restore drill of the README's "Backup and restore" (issue 11 point 2), with the real
``hsreg`` command and the environment the README documents, on SQLite and (HSREG_TEST_DB=
postgresql) on PostgreSQL: seed a registry, record an objection, back up, restore into a fresh
database; then the same rows in every table, the same audit rows (and on PostgreSQL the audit
log's triggers, refusing UPDATE), the objection still refused, the research pseudonyms
unchanged, and restore, serve and check refused under a wrong secret key or research key,
naming the key. The commands run are taken from the README section itself."""

from __future__ import annotations

import gzip
import io
import json
import os
import re
import shlex
import sqlite3
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
HSREG = Path(sys.executable).with_name("hsreg")
POSTGRESQL = os.environ.get("HSREG_TEST_DB") == "postgresql"
SECRET = "drill-secret-key-kept-in-the-secret-store-" + "s" * 20  # no comma: fallbacks are a list
RESEARCH = "drill research key, kept apart " + "r" * 20
ARCHIVE = "hsreg-backup.tar"  # the README's file name
#: the scripts of the drill: hsreg's settings, and the synthetic numbers `hsreg seed` makes
SETUP = {"DJANGO_SETTINGS_MODULE": "hsreg.config.settings", "HSREG_ACCEPT_SYNTHETIC_IDS": "1"}


def readme_commands() -> list[str]:
    """Every ``hsreg …`` line of the README's code blocks under "## Backup and restore"."""
    text = (ROOT / "README.md").read_text()
    section = text.split("## Backup and restore", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, re.S)
    return [
        line.split("  #")[0].strip()
        for b in blocks
        for line in b.splitlines()
        if line.startswith("hsreg ")
    ]


COMMANDS = readme_commands()


class Registry:
    """One registry: its data directory and (PostgreSQL) its own database, and the
    environment the README gives ``hsreg``."""

    def __init__(self, tmp_path: Path, name: str, **keys: str) -> None:
        self.data_dir = tmp_path / name
        self.data_dir.mkdir()
        self.env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("HSREG_", "DJANGO_")) and k != "DATABASE_URL"
        }
        self.env.update(HSREG_DATA_DIR=str(self.data_dir), HSREG_SECRET_KEY=SECRET)
        self.env.update(HSREG_RESEARCH_KEY=RESEARCH)
        self.env.update(keys)
        self.url = ""
        if POSTGRESQL:
            self.url = database_url(name)
            recreate(self.url)
            self.env["DATABASE_URL"] = self.url

    def hsreg(self, command: str, **env: str) -> subprocess.CompletedProcess[str]:
        """Runs one of the README's commands, as written there, in this registry's folder."""
        assert command in COMMANDS, f"{command!r} is not a command of the README section"
        return subprocess.run(
            [str(HSREG), *shlex.split(command)[1:]], cwd=self.data_dir,
            env={**self.env, **env}, capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip

    def python(self, code: str, *args: str, **env: str) -> Any:
        """Runs ``code`` with Django set up on this registry; returns what it prints (JSON)."""
        program = "import django, json, sys\ndjango.setup()\n" + code
        result = subprocess.run(
            [sys.executable, "-c", program, *args], cwd=self.data_dir,
            env={**self.env, **SETUP, **env},
            capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        if POSTGRESQL:
            import psycopg

            with psycopg.connect(self.url, autocommit=True) as db:
                return [tuple(r) for r in db.execute(sql).fetchall()]  # type: ignore[arg-type]
        with sqlite3.connect(self.data_dir / "hsreg.sqlite3") as db:
            rows = db.execute(sql).fetchall()
        db.close()
        return rows

    def tables(self) -> dict[str, int]:
        if POSTGRESQL:
            names = [
                r[0]
                for r in self.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            ]
        else:
            names = [
                r[0]
                for r in self.query(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                )
            ]
        return {n: self.query(f'SELECT count(*) FROM "{n}"')[0][0] for n in sorted(names)}  # noqa: S608

    def audit_rows(self) -> list[tuple[Any, ...]]:
        return self.query("SELECT * FROM audit_auditevent ORDER BY id")

    def drop(self) -> None:
        if POSTGRESQL:
            drop(self.url)


def database_url(name: str) -> str:
    """A database of its own beside the test run's: <the test database's name>_<name>."""
    parts = urlsplit(os.environ["HSREG_TEST_DATABASE_URL"])
    return urlunsplit(parts._replace(path=f"{parts.path}_{name}"))


def _server(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/postgres")), parts.path.lstrip("/")


def recreate(url: str) -> None:
    import psycopg

    server, name = _server(url)
    with psycopg.connect(server, autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        db.execute(f'CREATE DATABASE "{name}"')


def drop(url: str) -> None:
    import psycopg

    server, name = _server(url)
    with psycopg.connect(server, autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


OBJECT = """
from django.contrib.auth import get_user_model
from hsreg.accounts.actor import actor_for
from hsreg.accounts.models import Membership, Role
from hsreg.objections.services import record_objection
from hsreg.patients.models import Patient
from hsreg.units.models import Unit

patient = Patient.objects.order_by("pk").first()
user = get_user_model().objects.create_user(username="koordinator", password=None)
unit = Unit.objects.order_by("pk").first()
Membership.objects.create(user=user, unit=unit, role=Role.COORDINATOR)
user.current_unit = unit
user.save(update_fields=["current_unit"])
recorded = record_objection(actor=actor_for(user, request_id="restore-drill"), national_id=patient.national_id)
print(json.dumps({"number": patient.national_id, "unit": unit.pk, "patient": recorded.patient_id}))
"""

FACTS = """
from django.core.exceptions import ValidationError
from hsreg.patients.models import Patient
from hsreg.patients.services import register_patient
from hsreg.reports.pseudonyms import pseudonym, research_key
from hsreg.units.models import Unit

key = research_key()
pseudonyms = {p: pseudonym(p, key=key) for p in Patient.objects.values_list("pk", flat=True)}
try:
    register_patient(unit=Unit.objects.get(pk=int(sys.argv[2])), national_id=sys.argv[1],
                     first_name="Kari", last_name="Nordmann")
except ValidationError as error:
    refused = [e.code for e in error.error_dict.get("national_id", [])]
else:
    refused = []
print(json.dumps({"pseudonyms": pseudonyms, "refused": refused}))
"""


@pytest.fixture
def registries(tmp_path: Path) -> Iterator[list[Registry]]:
    made: list[Registry] = []
    yield made
    for registry in made:
        registry.drop()


def test_the_readme_section_gives_the_commands_of_the_drill() -> None:
    assert f"hsreg backup --out {ARCHIVE}" in COMMANDS
    assert f"hsreg restore {ARCHIVE}" in COMMANDS
    assert {"hsreg seed --patients 30", "hsreg check", "hsreg serve"} <= set(COMMANDS)


def test_the_restore_drill(tmp_path: Path, registries: list[Registry]) -> None:
    source = Registry(tmp_path, "drill_source")
    registries.append(source)
    seeded = source.hsreg("hsreg seed --patients 30")
    assert seeded.returncode == 0, seeded.stderr
    objection = source.python(OBJECT)
    before = source.python(FACTS, objection["number"], str(objection["unit"]))
    assert before["refused"] == ["objected"]

    made = source.hsreg(f"hsreg backup --out {ARCHIVE}")
    assert made.returncode == 0, made.stderr
    archive = source.data_dir / ARCHIVE
    assert archive.stat().st_mode & 0o777 == 0o600
    manifest = manifest_of(archive)
    assert manifest["tables"] == source.tables()
    assert manifest["database"]["vendor"] == ("postgresql" if POSTGRESQL else "sqlite")
    assert "keycheck.0001_stamps" in manifest["migrations"]
    for key in (SECRET, RESEARCH):  # the keys are never in the archive
        assert key.encode() not in everything_in(archive)

    # a restore under a wrong key is refused before anything is loaded, naming the key
    for name, keys, words in (
        ("drill_wrong_secret", {"HSREG_SECRET_KEY": "another secret " + "x" * 40}, "HSREG_SECRET_KEY"),
        ("drill_wrong_research", {"HSREG_RESEARCH_KEY": "another research key"}, "research key"),
    ):  # fmt: skip
        wrong = Registry(tmp_path, name, **keys)
        registries.append(wrong)
        (wrong.data_dir / ARCHIVE).write_bytes(archive.read_bytes())
        refused = wrong.hsreg(f"hsreg restore {ARCHIVE}")
        assert_refused(refused, words, "Nothing was restored")
        assert not wrong.tables()

    target = Registry(tmp_path, "drill_restored")
    registries.append(target)
    (target.data_dir / ARCHIVE).write_bytes(archive.read_bytes())
    restored = target.hsreg(f"hsreg restore {ARCHIVE}")
    assert restored.returncode == 0, restored.stderr
    assert "as the manifest says" in restored.stdout
    assert target.tables() == source.tables()
    assert target.audit_rows() == source.audit_rows()
    if POSTGRESQL:
        triggers = "SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_auditevent'::regclass AND NOT tgisinternal ORDER BY tgname"
        assert target.query(triggers) == source.query(triggers)
        assert ("audit_auditevent_append_only",) in target.query(triggers)
        import psycopg

        with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
            target.query("UPDATE audit_auditevent SET id = id")
    after = target.python(FACTS, objection["number"], str(objection["unit"]))
    assert after["refused"] == ["objected"]  # the objection still holds
    assert after["pseudonyms"] == before["pseudonyms"]

    checked = target.hsreg("hsreg check")
    assert checked.returncode == 0, checked.stderr
    again = target.hsreg(f"hsreg restore {ARCHIVE}")
    assert_refused(again, "not empty", "empty database")
    for command in ("hsreg check", "hsreg serve"):
        wrong_secret = target.hsreg(command, HSREG_SECRET_KEY="another secret " + "x" * 40)
        assert_refused(wrong_secret, "wrong secret key", "HSREG_SECRET_KEY")
        wrong_research = target.hsreg(command, HSREG_RESEARCH_KEY="another research key")
        assert_refused(wrong_research, "wrong research key", "HSREG_RESEARCH_KEY")
        no_research = target.hsreg(command, HSREG_RESEARCH_KEY="")
        assert_refused(no_research, "missing research key", "research-key")


def test_a_rotated_secret_key_is_accepted_through_its_fallback_with_a_warning(
    tmp_path: Path, registries: list[Registry]
) -> None:
    source = Registry(tmp_path, "drill_rotation")
    registries.append(source)
    assert source.hsreg("hsreg seed --patients 30").returncode == 0
    objection = source.python(OBJECT)
    rotated = {
        "HSREG_SECRET_KEY": "the new secret " + "n" * 40,
        "HSREG_SECRET_KEY_FALLBACKS": SECRET,
    }
    checked = source.hsreg("hsreg check", **rotated)
    assert checked.returncode == 0, checked.stderr
    assert "HSREG_SECRET_KEY_FALLBACKS" in checked.stderr
    assert "keep it there" in checked.stderr
    facts = source.python(FACTS, objection["number"], str(objection["unit"]), **rotated)
    assert facts["refused"] == ["objected"]
    # the old key dropped from the fallbacks: refused, since its objections would be lost
    dropped = source.hsreg("hsreg check", HSREG_SECRET_KEY=rotated["HSREG_SECRET_KEY"])
    assert_refused(dropped, "missing secret key", "HSREG_SECRET_KEY_FALLBACKS")


@pytest.mark.skipif(POSTGRESQL, reason="the archive and the backup API are SQLite's here")
def test_a_damaged_archive_is_refused_and_nothing_is_restored(
    tmp_path: Path, registries: list[Registry]
) -> None:
    source = Registry(tmp_path, "damaged_source")
    assert source.hsreg("hsreg seed --patients 30").returncode == 0
    # a writer holds a transaction open: the online backup is not blocked by it
    writer = sqlite3.connect(source.data_dir / "hsreg.sqlite3", isolation_level=None)
    (due,) = writer.execute("SELECT COUNT(*) FROM worklists_dueitem").fetchone()
    assert due > 0
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("DELETE FROM worklists_dueitem")
    made = source.hsreg(f"hsreg backup --out {ARCHIVE}")
    writer.execute("ROLLBACK")
    writer.close()
    assert made.returncode == 0, made.stderr
    archive = source.data_dir / ARCHIVE
    assert manifest_of(archive)["tables"]["worklists_dueitem"] == due
    again = source.hsreg(f"hsreg backup --out {ARCHIVE}")
    assert_refused(again, "--out", "exists")

    target = Registry(tmp_path, "damaged_target")
    damage(archive, target.data_dir / ARCHIVE)
    refused = target.hsreg(f"hsreg restore {ARCHIVE}")
    assert_refused(refused, "checksum", "nothing was restored")
    assert not (target.data_dir / "hsreg.sqlite3").exists()


@pytest.mark.skipif(POSTGRESQL, reason="one vendor is enough for the migration path")
def test_a_backup_of_an_older_version_is_migrated_after_the_restore(tmp_path: Path) -> None:
    source = Registry(tmp_path, "older_source")
    assert source.hsreg("hsreg seed --patients 30").returncode == 0
    older = subprocess.run(
        [str(HSREG), "manage", "migrate", "keycheck", "zero"], env=source.env,
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert older.returncode == 0, older.stderr
    assert source.hsreg(f"hsreg backup --out {ARCHIVE}").returncode == 0
    assert "keycheck.0001_stamps" not in manifest_of(source.data_dir / ARCHIVE)["migrations"]
    target = Registry(tmp_path, "older_target")
    (target.data_dir / ARCHIVE).write_bytes((source.data_dir / ARCHIVE).read_bytes())
    restored = target.hsreg(f"hsreg restore {ARCHIVE}")
    assert restored.returncode == 0, restored.stderr
    assert "1 migration(s) applied" in restored.stdout
    assert "carries no key check" in restored.stderr
    assert target.query("SELECT kind FROM keycheck_keystamp ORDER BY kind") == [
        ("research",),
        ("secret",),
    ]
    assert target.hsreg("hsreg check").returncode == 0


# --- helpers ------------------------------------------------------------------------------


def assert_refused(result: subprocess.CompletedProcess[str], *words: str) -> None:
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in result.stderr, result.stderr


def manifest_of(archive: Path) -> dict[str, Any]:
    with tarfile.open(archive, "r:*") as tar:
        member = tar.extractfile("manifest.json")
        assert member is not None
        return dict(json.loads(member.read()))


def everything_in(archive: Path) -> bytes:
    """The archive's bytes, and each member's uncompressed bytes."""
    data = archive.read_bytes()
    with tarfile.open(archive, "r:*") as tar:
        for member in tar.getmembers():
            file = tar.extractfile(member)
            if file is not None:
                data += file.read()
    if data[:2] == b"\x1f\x8b":
        data += gzip.decompress(archive.read_bytes())
    return data


def damage(archive: Path, out: Path) -> None:
    """A copy of ``archive`` with one byte of its database changed and the manifest kept."""
    with tarfile.open(archive, "r:*") as tar, tarfile.open(out, "w:gz") as copy:
        for member in tar.getmembers():
            file = tar.extractfile(member)
            assert file is not None
            data = bytearray(file.read())
            if member.name != "manifest.json":
                data[len(data) // 2] ^= 0xFF
            copy.addfile(member, io.BytesIO(bytes(data)))
