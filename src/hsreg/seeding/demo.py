"""The demo's data directory, its login and its user.

The demo keeps everything in one directory (HSREG_DATA_DIR, default the user's data dir): the
SQLite database and the demo user's password. The password is generated once with `secrets`
and kept in a file only its owner can read (mode 0600), so every run of ``hsreg demo`` prints
the same login, and a rebuilt database gets the same one.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from .units import DEMO_USER_UNITS, SHOWCASE

USERNAME = "demo"
PASSWORD_FILE = "demo-password"  # noqa: S105 - the file name, not a password


@dataclass(frozen=True, slots=True)
class Login:
    username: str
    password: str


def data_dir() -> Path:
    """Where the demo keeps its data: HSREG_DATA_DIR, else the user's data dir (as the
    settings read it)."""
    return Path(os.environ.get("HSREG_DATA_DIR") or platformdirs.user_data_dir("hsreg"))


def demo_password(directory: Path) -> str:
    """The demo user's password: read from the data dir, or generated and stored there
    readable by its owner only."""
    path = directory / PASSWORD_FILE
    if path.exists():
        stored = path.read_text(encoding="utf-8").strip()
        if stored:
            return stored
        path.unlink()
    password = secrets.token_urlsafe(12)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(password + "\n")
    return password


def demo_user_exists() -> bool:
    from hsreg.accounts.models import User  # noqa: PLC0415 - Django is set up by the caller

    return User.objects.filter(username=USERNAME).exists()


def ensure_demo_user(directory: Path) -> Login:
    """The demo user, a member of three units (the showcase unit current), with the stored
    password; created if missing, its password reset if it no longer matches the file."""
    from hsreg.accounts.models import Membership, User  # noqa: PLC0415
    from hsreg.accounts.services import create_user  # noqa: PLC0415
    from hsreg.units.models import Unit  # noqa: PLC0415

    password = demo_password(directory)
    units = {u.pk: u for u in Unit.objects.filter(pk__in=[u.resh_id for u in DEMO_USER_UNITS])}
    user = User.objects.filter(username=USERNAME).first()
    if user is None:
        create_user(
            username=USERNAME,
            password=password,
            units=[units[u.resh_id] for u in DEMO_USER_UNITS if u.resh_id in units],
            first_name="Demo",
            last_name="Hudlege",
        )
    else:
        for unit in units.values():
            Membership.objects.get_or_create(user=user, unit=unit)
        if not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
        if user.current_unit_id is None and SHOWCASE.resh_id in units:
            user.current_unit = units[SHOWCASE.resh_id]
            user.save(update_fields=["current_unit"])
    return Login(USERNAME, password)
