"""Deployment hardening (issue 4 point 7), with the production settings: ``hsreg check
--deploy`` is clean; a real ``hsreg serve`` sends HSTS, CSP, nosniff, X-Frame-Options DENY and
Referrer-Policy, redirects plain http to https, sets Secure/HttpOnly/SameSite cookies, and its
access log holds no query string (a search by national id number puts the number there)
and no control character of a request (a %0a in a path would forge a line of it);
every form carries a CSRF token; the application's own log names no patient."""

from __future__ import annotations

import http.client
import importlib.util
import logging
import os
import queue
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from hsreg.accounts.models import Role
from hsreg.patients.national_id import synthetic_number
from hsreg.units.models import Unit
from tests.objections.conftest import member, verified

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "hsreg"
HSREG = Path(sys.executable).with_name("hsreg")
NUMBER = "17819012345"  # the shape of a synthetic national id number; never stored
ADMIN_PASSWORD = "deploy tests only 2026"  # noqa: S105


def production(data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment ``hsreg serve`` gets in production: a long random secret key, no demo,
    no debug, no plain-http switch, and none of the test run's own variables (the browser tests
    set DJANGO_ALLOW_ASYNC_UNSAFE, which the deploy check rightly refuses)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("HSREG_", "DJANGO_")) and k != "DATABASE_URL"
    }
    env.update(HSREG_DATA_DIR=str(data_dir), HSREG_SECRET_KEY=secrets.token_urlsafe(50))
    env.update(HSREG_PUBLIC_URL="https://hsreg.example.org")
    env.update(extra)
    return env


def hsreg(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(HSREG), *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
        check=False,
    )  # fmt: skip


# --- hsreg check --deploy -----------------------------------------------------------------


def test_check_deploy_is_clean_with_the_production_settings(tmp_path: Path) -> None:
    result = hsreg("check", "--deploy", env=production(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_on_the_demo_settings_naming_each_problem(tmp_path: Path) -> None:
    result = hsreg("check", "--deploy", env=production(tmp_path, HSREG_DEMO="1"))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    for check in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert check in result.stderr


def test_check_deploy_names_a_patient_link_that_is_not_public_https(tmp_path: Path) -> None:
    """The links sent to patients (issue 13) must point at the public site over HTTPS, and
    the SMS gateway that carries them must be reached over HTTPS."""
    env = production(tmp_path, HSREG_SMS_URL="http://sms.example.org/send")
    del env["HSREG_PUBLIC_URL"]
    result = hsreg("check", "--deploy", env=env)
    assert result.returncode == 2
    assert "hsreg.W101" in result.stderr
    assert "hsreg.W102" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_deploy_fails_on_debug_and_needs_a_secret_key(tmp_path: Path) -> None:
    debug = hsreg("check", "--deploy", env=production(tmp_path, HSREG_DEBUG="1"))
    assert debug.returncode == 2
    assert "security.W018" in debug.stderr  # DEBUG on
    env = production(tmp_path)
    del env["HSREG_SECRET_KEY"]
    no_key = hsreg("check", "--deploy", env=env)
    assert no_key.returncode == 2
    assert "HSREG_SECRET_KEY" in no_key.stderr


# --- a real production server -------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """``hsreg serve --access-log`` with the production settings, spoken to as a TLS proxy
    would (X-Forwarded-Proto: https), through http.client so every header is seen as sent."""

    def __init__(self, data_dir: Path) -> None:
        self.env = production(data_dir, DJANGO_SUPERUSER_PASSWORD=ADMIN_PASSWORD)
        assert hsreg("migrate", env=self.env).returncode == 0
        made = hsreg(
            "manage", "createsuperuser", "--noinput", "--username", "admin",
            "--email", "admin@example.org", env=self.env,
        )  # fmt: skip
        assert made.returncode == 0, made.stderr
        self.port = free_port()
        self.process = subprocess.Popen(
            [str(HSREG), "serve", "--bind", f"127.0.0.1:{self.port}", "--workers", "1",
             "--access-log"],
            cwd=ROOT, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            start_new_session=True,
        )  # fmt: skip
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(
            target=lambda: [self.lines.put(line) for line in self.process.stdout or ()],
            daemon=True,
        ).start()
        self.output: list[str] = []
        deadline = time.monotonic() + 60
        while not any("serving" in line for line in self.output):
            self.output.append(self.lines.get(timeout=max(0.1, deadline - time.monotonic())))

    def request(
        self, method: str, path: str, *, https: bool = True, body: str = "", **headers: str
    ) -> http.client.HTTPResponse:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        sent = {"Host": f"127.0.0.1:{self.port}", **headers}
        if https:
            sent["X-Forwarded-Proto"] = "https"
        if body:
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body or None, headers=sent)
        response = connection.getresponse()
        response.read()
        connection.close()
        return response

    def stop(self) -> str:
        """Stops the server and returns everything it printed (the access log included)."""
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)
        time.sleep(0.2)
        while not self.lines.empty():
            self.output.append(self.lines.get())
        return "".join(self.output)


def cookie(response: http.client.HTTPResponse, name: str) -> tuple[str, set[str]]:
    """The value of cookie ``name`` set by ``response`` and its attributes, lower-cased."""
    for header in response.msg.get_all("Set-Cookie") or []:
        first, *attributes = (part.strip() for part in header.split(";"))
        key, _, value = first.partition("=")
        if key == name:
            return value, {a.lower() for a in attributes}
    raise AssertionError(f"no {name} cookie in {response.msg.get_all('Set-Cookie')}")


@pytest.fixture
def server(tmp_path: Path):
    running = Server(tmp_path)
    yield running
    if running.process.poll() is None:
        running.stop()


def test_production_headers_cookies_and_an_access_log_without_query_strings(server) -> None:
    plain = server.request("GET", "/login/", https=False)
    assert plain.status == 301
    assert plain.getheader("Location") == f"https://127.0.0.1:{server.port}/login/"

    page = server.request("GET", "/login/")
    assert page.status == 200
    assert page.getheader("Strict-Transport-Security") == (
        "max-age=31536000; includeSubDomains; preload"
    )
    policy = page.getheader("Content-Security-Policy") or ""
    for directive in ("default-src 'self'", "script-src 'self'", "style-src 'self'",
                      "object-src 'none'", "frame-ancestors 'none'"):  # fmt: skip
        assert directive in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert page.getheader("X-Content-Type-Options") == "nosniff"
    assert page.getheader("X-Frame-Options") == "DENY"
    assert page.getheader("Referrer-Policy") == "same-origin"
    token, csrf_flags = cookie(page, "csrftoken")
    assert {"secure", "samesite=lax"} <= csrf_flags

    origin = f"https://127.0.0.1:{server.port}"
    login = server.request(
        "POST",
        "/login/",
        body=urllib.parse.urlencode(
            {"username": "admin", "password": ADMIN_PASSWORD, "csrfmiddlewaretoken": token}
        ),
        Cookie=f"csrftoken={token}",
        Origin=origin,
        Referer=origin + "/login/",
    )
    assert login.status == 302, login.status
    session, session_flags = cookie(login, "sessionid")
    assert {"secure", "httponly", "samesite=lax"} <= session_flags

    search = server.request("GET", f"/patients/?q={NUMBER}", Cookie=f"sessionid={session}")
    assert search.status in (302, 403)
    log = server.stop()
    assert re.search(r'"GET /patients/ HTTP/1\.1" (302|403)', log), log
    assert NUMBER not in log
    assert "q=" not in log
    assert "?" not in log


def test_a_control_character_in_a_request_cannot_forge_an_access_log_line(server) -> None:
    forged = '127.0.0.1 - - [01/Jan/2026:00:00:00 +0000] "GET /admin/ HTTP/1.1" 200'
    path = "/login/%0a" + urllib.parse.quote(forged) + "%0d%00%7f%c2%85%5cx0a"
    # (gunicorn itself refuses a header with a control character; a quote it lets through)
    server.request("GET", path, **{"User-Agent": 'agent" 200 "forged'})
    log = server.stop()
    lines = log.splitlines()
    assert not any(line.startswith("127.0.0.1 - - [01/Jan/2026") for line in lines), log
    (line,) = [line for line in lines if line.startswith("127.0.0.1 - - [") and "/login/" in line]
    assert '/login/\\x0a127.0.0.1 - - [01/Jan/2026:00:00:00 +0000] \\"GET /admin/' in line, line
    assert "\\x0d\\x00\\x7f\\x85\\\\x0a HTTP/1.1" in line  # a typed backslash doubled
    assert line.endswith('"agent\\" 200 \\"forged"'), line
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f\x85]", log)


# --- the audit of the dependencies (dev.py test) -------------------------------------------


def load_dev() -> Any:
    spec = importlib.util.spec_from_file_location("dev", ROOT / "dev.py")
    assert spec
    assert spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_dependency_audit_fails_on_a_vulnerability_or_an_unaudited_package(
    monkeypatch, capsys
) -> None:
    dev = load_dev()
    clean = [{"name": "django", "version": "5.2.19", "vulns": []}]
    dev._judge(clean)
    assert "no known vulnerabilities" in capsys.readouterr().out
    vulnerable = [
        {
            "name": "django",
            "version": "5.2.1",
            "vulns": [{"id": "PYSEC-1", "fix_versions": ["5.2.2"]}],
        }
    ]
    with pytest.raises(SystemExit, match="known vulnerabilities"):
        dev._judge(clean + vulnerable)
    assert "PYSEC-1 (fixed in 5.2.2)" in capsys.readouterr().out
    unknown = [{"name": "segno", "skip_reason": "Dependency not found on PyPI"}]
    with pytest.raises(SystemExit, match="could not be audited"):
        dev._judge(clean + unknown)
    # nothing audited at all (no vulnerability source here): said loudly; fatal on request
    dev._judge(unknown)
    assert "NOT audited" in capsys.readouterr().out
    monkeypatch.setenv("HSREG_REQUIRE_AUDIT", "1")
    with pytest.raises(SystemExit, match="HSREG_REQUIRE_AUDIT"):
        dev._judge(unknown)


# --- CSRF and the application's own log ----------------------------------------------------


def test_every_post_form_carries_a_csrf_token_and_no_view_is_exempt_but_fhirs() -> None:
    forms = 0
    for template in SRC.rglob("templates/**/*.html"):
        text = template.read_text()
        for form in re.findall(r"<form\b[^>]*>.*?</form>", text, re.S | re.I):
            if re.search(r'method="post"', form, re.I):
                forms += 1
                assert "{% csrf_token %}" in form, f"{template}: {form[:120]}"
    assert forms >= 5
    for module in SRC.rglob("*.py"):
        text = module.read_text()
        if module.relative_to(SRC).parts[0] in ("fhir", "cdshooks"):
            # the FHIR face (issue 13, 14) and the CDS Hooks services (issue 14) are for
            # systems: they read no session cookie, so a cross-site request could borrow
            # nothing; their views answer their own 405 / 4xx
            assert "request.user" not in text, module
            assert "request.session" not in text, module
            continue
        assert "csrf_exempt" not in text, module


def test_a_post_without_the_csrf_token_is_refused(db) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "a", "password": "b"})
    assert response.status_code == 403


def test_the_application_log_names_no_patient(db, caplog) -> None:
    unit = Unit.objects.create(
        resh_id=102959, name="Hudavdelingen, Haukeland", health_trust="Helse Bergen", region="vest"
    )
    client = verified(member("lege", unit, Role.REGISTRAR))
    number = next(n for i in range(100) if (n := synthetic_number(date(1985, 3, 14), i)))
    with caplog.at_level(logging.DEBUG):
        client.get(reverse("patients:search"), {"q": number})
        bad = client.post(
            reverse("patients:create"),
            {"national_id": number, "first_name": "Kari", "last_name": ""},
        )
        assert bad.status_code == 400  # logged by django.request as a bad request
        created = client.post(
            reverse("patients:create"),
            {"national_id": number, "first_name": "Kari", "last_name": "Nordmann"},
        )
        assert created.status_code == 302
        client.get(created["Location"])
        client.get(reverse("patients:detail", args=[999_999]))  # a 404, logged
    assert caplog.records
    assert number not in caplog.text
    assert "Nordmann" not in caplog.text
