"""The demo's printed login works with both factors: the demo user is enrolled in advance
and the printed recovery code (or the TOTP key) gets them in (issue 4: "the demo may pre-enrol
the TOTP secret and print a current code or a recovery code — say so")."""

from __future__ import annotations

from base64 import b32decode

from django.test import Client
from django.urls import reverse

from hsreg.seeding import demo

from .conftest import log_in


def test_the_printed_recovery_code_logs_the_demo_user_in(db, tmp_path):
    login = demo.ensure_demo_user(tmp_path)
    lines = "\n".join(login.second_factor_lines())
    assert login.recovery_code in lines
    assert login.totp_secret in lines
    assert "pre-enrolled" in lines
    assert (tmp_path / demo.TOTP_KEY_FILE).stat().st_mode & 0o077 == 0

    client = Client()
    log_in(client, login.username, login.password)
    response = client.post(reverse("accounts:mfa_verify"), {"code": login.recovery_code})
    assert response["Location"] == reverse("web:home")
    assert client.get(reverse("web:home")).status_code == 200

    again = demo.ensure_demo_user(tmp_path)
    assert again.recovery_code != login.recovery_code  # the used one is gone; a new one
    assert again.totp_secret == login.totp_secret  # the app set up once keeps working
    assert b32decode(again.totp_secret).hex() == (tmp_path / demo.TOTP_KEY_FILE).read_text().strip()
