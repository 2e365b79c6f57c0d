"""The registry commands of ``hsreg`` (seed, demo, serve, migrate, createuser, manage), run as
real processes with the virtual environment's ``hsreg``, each in a fresh data directory with
SQLite (DATABASE_URL unset): exit codes, messages naming the option, no traceback."""

from __future__ import annotations

import http.cookiejar
import os
import queue
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
HSREG = Path(sys.executable).with_name("hsreg")
TODAY = "2026-11-26"


def environment(data_dir: Path, **extra: str) -> dict[str, str]:
    """This process's environment without hsreg's and Django's settings (the test settings
    set some), with ``data_dir`` as HSREG_DATA_DIR."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("HSREG_") and k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env["HSREG_DATA_DIR"] = str(data_dir)
    env.update(extra)
    return env


def hsreg(
    *args: str, data_dir: Path, stdin: str | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(HSREG), *args],
        cwd=ROOT,
        env=environment(data_dir, **env),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def assert_refused(result: subprocess.CompletedProcess[str], *words: str) -> None:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in result.stderr


def seeded_rows(data_dir: Path) -> tuple[list[tuple[object, ...]], dict[str, int]]:
    with sqlite3.connect(data_dir / "hsreg.sqlite3") as db:
        patients = db.execute(
            "SELECT national_id, first_name, last_name, birth_date, sex FROM patients_patient "
            "ORDER BY id"
        ).fetchall()
        counts = {
            table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608
            for table in (
                "assessments_doctorassessment",
                "assessments_regionfinding",
                "assessments_patientreport",
                "treatments_drugcourse",
                "worklists_dueitem",
                "patients_enrolment",
            )
        }
    return patients, counts


# --- hsreg seed ---------------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["0", "-1", "x", "2.5"])
def test_seed_refuses_a_bad_number_of_patients(tmp_path: Path, bad: str) -> None:
    assert_refused(hsreg("seed", f"--patients={bad}", data_dir=tmp_path), "--patients")
    assert not (tmp_path / "hsreg.sqlite3").exists()


def test_seed_refuses_a_bad_date(tmp_path: Path) -> None:
    assert_refused(
        hsreg("seed", "--patients", "5", "--today", "2026-02-30", data_dir=tmp_path), "--today"
    )


def test_seed_migrates_and_is_deterministic(tmp_path: Path) -> None:
    runs = []
    for name in ("first", "second"):
        data_dir = tmp_path / name
        result = hsreg(
            "seed", "--patients", "20", "--seed", "1", "--today", TODAY, data_dir=data_dir
        )
        assert result.returncode == 0, result.stderr
        assert "Seeded 20 patients" in result.stdout
        runs.append(seeded_rows(data_dir))
    (patients, counts), again = runs
    assert len(patients) == 20
    assert counts["assessments_doctorassessment"] > 20
    assert counts["worklists_dueitem"] > 0
    assert (patients, counts) == again


def test_seed_refuses_a_database_with_patients(tmp_path: Path) -> None:
    assert hsreg("seed", "--patients", "3", data_dir=tmp_path).returncode == 0
    assert_refused(hsreg("seed", "--patients", "3", data_dir=tmp_path), "already has 3 patients")


# --- hsreg serve, migrate, createuser, manage ---------------------------------------------


def test_serve_needs_a_secret_key(tmp_path: Path) -> None:
    assert_refused(hsreg("serve", data_dir=tmp_path), "HSREG_SECRET_KEY")


def test_serve_refuses_pending_migrations(tmp_path: Path) -> None:
    result = hsreg("serve", data_dir=tmp_path, HSREG_SECRET_KEY="x" * 50)
    assert_refused(result, "hsreg migrate")


def test_serve_refuses_a_bad_bind(tmp_path: Path) -> None:
    result = hsreg("serve", "--bind", "localhost", data_dir=tmp_path, HSREG_SECRET_KEY="x" * 50)
    assert_refused(result, "--bind")


def test_migrate_then_createuser(tmp_path: Path) -> None:
    secret = {"HSREG_SECRET_KEY": "x" * 50}
    assert hsreg("seed", "--patients", "1", data_dir=tmp_path).returncode == 0
    assert hsreg("migrate", data_dir=tmp_path, **secret).returncode == 0
    unknown = hsreg(
        "createuser", "--username", "liv", "--unit", "999", "--password-stdin",
        data_dir=tmp_path, stdin="a long enough passphrase\n", **secret,
    )  # fmt: skip
    assert_refused(unknown, "--unit 999")
    weak = hsreg(
        "createuser", "--username", "liv", "--unit", "4208711", "--password-stdin",
        data_dir=tmp_path, stdin="short\n", **secret,
    )  # fmt: skip
    assert_refused(weak, "password:")
    made = hsreg(
        "createuser", "--username", "liv", "--unit", "4208711", "--unit", "4203318",
        "--password-stdin", data_dir=tmp_path, stdin="a long enough passphrase\n", **secret,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert "Oslo universitetssykehus" in made.stdout
    assert "Haukeland" in made.stdout
    again = hsreg(
        "createuser", "--username", "liv", "--unit", "4208711", "--password-stdin",
        data_dir=tmp_path, stdin="a long enough passphrase\n", **secret,
    )  # fmt: skip
    assert_refused(again, "--username liv")


def test_check_runs_without_a_database_and_says_the_keys_were_not_checked(
    tmp_path: Path,
) -> None:
    unreachable = "postgresql://hsreg@127.0.0.1:1/hsreg"  # nothing listens on port 1
    result = hsreg("check", data_dir=tmp_path, HSREG_SECRET_KEY="x" * 50, DATABASE_URL=unreachable)
    assert result.returncode == 0, result.stderr
    assert "the keys were not checked: the database cannot be used" in result.stderr


def test_manage_passes_through_to_django(tmp_path: Path) -> None:
    result = hsreg("manage", "check", data_dir=tmp_path, HSREG_SECRET_KEY="x" * 50)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


# --- hsreg demo ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _post_form(opener: Any, url: str, form: str, fields: dict[str, str]) -> Any:
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
    assert token
    data = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": token.group(1)}).encode()
    return opener.open(url, data=data, timeout=20)


def log_in(base: str, username: str, password: str, code: str) -> str:
    """Logs in through the login form (CSRF token and cookie), gives the second factor on the
    page the login leads to, and returns the page reached."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(base + "login/", timeout=20) as response:
        assert response.status == 200
        form = response.read().decode()
    fields = {"username": username, "password": password}
    with _post_form(opener, base + "login/", form, fields) as response:
        assert response.status == 200
        assert "/mfa/verify/" in response.url  # the password alone opens nothing
        verify_url, form = response.url, response.read().decode()
    with _post_form(opener, verify_url, form, {"code": code}) as response:
        assert response.status == 200
        assert response.url == base
        return response.read().decode()


def test_demo_builds_serves_and_logs_in(tmp_path: Path) -> None:
    port = free_port()
    process = subprocess.Popen(
        [str(HSREG), "demo", "--port", str(port), "--patients", "25"],
        cwd=ROOT,
        env=environment(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(
        target=lambda: [lines.put(line) for line in process.stdout or ()], daemon=True
    ).start()
    printed: dict[str, str] = {}
    try:
        deadline = time.monotonic() + 60
        wanted = {"Open", "Username", "Password", "recovery code"}
        while not wanted <= printed.keys():
            line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
            key, _, value = line.strip().partition(":")
            if key in wanted:
                printed[key] = value.split()[0]
        assert printed["Open"] == f"http://127.0.0.1:{port}/"
        page = log_in(
            printed["Open"], printed["Username"], printed["Password"], printed["recovery code"]
        )
        assert "Hudavdelingen, Oslo universitetssykehus" in page
        assert (tmp_path / "demo-password").stat().st_mode & 0o777 == 0o600
    finally:
        os.killpg(process.pid, signal.SIGINT)
        _, errors = process.communicate(timeout=30)
    assert process.returncode == 0, errors
    assert "Traceback" not in errors


def test_demo_refuses_a_port_in_use(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert_refused(hsreg("demo", "--port", str(port), data_dir=tmp_path), "--port")
