"""The demo's data directory, its login and its user.

The demo keeps everything in one directory (HSREG_DATA_DIR, default the user's data dir): the
SQLite database, the demo user's password and the key of their authenticator (TOTP). Both
are generated once with `secrets` and kept in files only their owner can read (mode 0600), so
every run of ``hsreg demo`` prints the same login, and a rebuilt database gets the same one.

Patient data needs a second factor (accounts.access), so the demo user is enrolled in advance:
the printed login carries the TOTP key (for an authenticator app), the code of the moment
and a recovery code, which works once; the next start prints a fresh one.
"""

from __future__ import annotations

import os
import secrets
from base64 import b32encode
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from .units import DEMO_USER_UNITS, REGISTRY_OFFICE, SHOWCASE

USERNAME = "demo"
PASSWORD_FILE = "demo-password"  # noqa: S105 - the file name, not a password
TOTP_KEY_FILE = "demo-totp-key"


@dataclass(frozen=True, slots=True)
class Login:
    username: str
    password: str
    totp_secret: str = ""  # base32, as an authenticator app takes it
    totp_code: str = ""  # the code at the time of printing (valid about 30 seconds)
    recovery_code: str = ""  # works once

    def second_factor_lines(self) -> list[str]:
        """What the demo prints about the pre-enrolled second factor."""
        if not self.totp_secret:
            return []
        return [
            "  Second factor (pre-enrolled for the demo user):",
            f"    recovery code:  {self.recovery_code}  (works once; the next start prints a new one)",
            f"    TOTP key:       {self.totp_secret}  (type it into an authenticator app)",
            f"    TOTP code now:  {self.totp_code}  (valid for about 30 seconds)",
        ]


def data_dir() -> Path:
    """Where the demo keeps its data: HSREG_DATA_DIR, else the user's data dir (as the
    settings read it)."""
    return Path(os.environ.get("HSREG_DATA_DIR") or platformdirs.user_data_dir("hsreg"))


def _kept_secret(path: Path, make: Callable[[], str]) -> str:
    """A secret read from ``path``, or made and stored there readable by its owner only."""
    if path.exists():
        stored = path.read_text(encoding="utf-8").strip()
        if stored:
            return stored
        path.unlink()
    value = make()
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(value + "\n")
    return value


def demo_password(directory: Path) -> str:
    """The demo user's password: read from the data dir, or generated and stored there."""
    return _kept_secret(directory / PASSWORD_FILE, lambda: secrets.token_urlsafe(12))


def demo_totp_key(directory: Path) -> str:
    """The hex key of the demo user's TOTP device (20 random bytes), kept like the password
    so an authenticator app set up once keeps working after ``--reset``."""
    return _kept_secret(directory / TOTP_KEY_FILE, lambda: secrets.token_hex(20))


def demo_user_exists() -> bool:
    from hsreg.accounts.models import User  # noqa: PLC0415 - Django is set up by the caller

    return User.objects.filter(username=USERNAME).exists()


def demo_roles() -> dict[int, str]:
    """The demo user's role at each of their units (RESH id → role): unit leader at the
    showcase unit (patients, the unit's users, the audit log), registrar at the second,
    reporting only at the third, registrar at a private practice of the second's region (the
    H-resept delegation, TX-6) and registry coordinator at the registry's office (coverage
    upload, research extract, applications, units), so switching units shows what each role
    opens."""
    from hsreg.accounts.models import Role  # noqa: PLC0415

    return dict(
        zip(
            (u.resh_id for u in (*DEMO_USER_UNITS, REGISTRY_OFFICE)),
            (Role.UNIT_LEADER, Role.REGISTRAR, Role.REPORTING, Role.REGISTRAR, Role.COORDINATOR),
            strict=True,
        )
    )


def ensure_demo_user(directory: Path) -> Login:
    """The demo user, a member of four units with a role at each (``demo_roles``; the
    showcase unit current), with the stored password; created if missing, its password and
    roles set again if they no longer match. The registry's office is created if missing."""
    from hsreg.accounts.models import Membership, User  # noqa: PLC0415
    from hsreg.units.models import Unit  # noqa: PLC0415

    password = demo_password(directory)
    office = REGISTRY_OFFICE
    Unit.objects.get_or_create(
        resh_id=office.resh_id,
        defaults={
            "name": office.name,
            "health_trust": office.health_trust,
            "region": office.region,
            "kind": office.kind,
        },
    )
    units = {u.pk: u for u in Unit.objects.filter(pk__in=list(demo_roles()))}
    user = User.objects.filter(username=USERNAME).first()
    if user is None:
        user = User.objects.create_user(
            username=USERNAME, password=password, first_name="Demo", last_name="Hudlege"
        )
    elif not user.check_password(password):
        user.set_password(password)
        user.save(update_fields=["password"])
    for resh_id, role in demo_roles().items():
        if resh_id in units:
            Membership.objects.update_or_create(
                user=user, unit=units[resh_id], defaults={"role": role}
            )
    if user.current_unit_id is None and SHOWCASE.resh_id in units:
        user.current_unit = units[SHOWCASE.resh_id]
        user.save(update_fields=["current_unit"])
    return _with_second_factor(Login(USERNAME, password), key=demo_totp_key(directory))


def roles_text() -> str:
    """The demo user's roles, as the demo prints them (in English, as the rest of its text)."""
    from django.utils import translation  # noqa: PLC0415

    from hsreg.accounts.models import Membership  # noqa: PLC0415

    memberships = Membership.objects.filter(user__username=USERNAME).select_related("unit")
    with translation.override("en"):
        return "; ".join(
            f"{m.get_role_display().lower()} at {m.unit.name}"
            for m in memberships.order_by("unit__name")
        )


def _with_second_factor(login: Login, *, key: str) -> Login:
    """Enrols the demo user's TOTP device (with ``key``) and a recovery code if they have none
    left, and puts them in the printed login."""
    from django_otp.oath import totp  # noqa: PLC0415
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken  # noqa: PLC0415
    from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: PLC0415

    from hsreg.accounts.models import User  # noqa: PLC0415

    user = User.objects.get(username=login.username)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None or device.key != key:
        TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(user=user, name="demo", key=key, confirmed=True)
    recovery, _created = StaticDevice.objects.get_or_create(user=user, defaults={"name": "demo"})
    token = recovery.token_set.order_by("id").first()
    if token is None:
        token = StaticToken.objects.create(device=recovery, token=StaticToken.random_token())
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return Login(
        login.username,
        login.password,
        totp_secret=b32encode(device.bin_key).decode("ascii"),
        totp_code=f"{code:0{device.digits}d}",
        recovery_code=token.token,
    )
