"""The second factor (RG-2, issue 4): a TOTP authenticator app, with ten single-use recovery
codes for the day the phone is lost. django-otp keeps the devices and checks the codes (with
its exponential back-off after failed codes); this module only decides which device a typed
code is meant for and writes the audit rows.

Enrolment creates an unconfirmed TOTP device and shows its key as a QR code (an inline SVG
drawn by segno: no script or style, so the CSP needs no exception). The first correct code
confirms it; only then is the user counted as having a second factor
(``django_otp.user_has_device`` counts confirmed devices only)."""

from __future__ import annotations

import re
from base64 import b32encode
from typing import Any

import segno
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django_otp import verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from hsreg.audit.models import Action, Outcome
from hsreg.audit.services import log

from .actor import Actor
from .services import local_time

RECOVERY_CODES = 10
DEVICE_NAME = "authenticator"
_TOTP_CODE = re.compile(r"\d{6}")


def pending_device(*, user: Any) -> TOTPDevice:
    """The user's unconfirmed TOTP device, created on first sight. Reloading the enrolment
    page shows the same key, so a QR code already scanned stays valid."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def secret(device: TOTPDevice) -> str:
    """The key in base32, in groups of four, for typing into an app that cannot scan."""
    text = b32encode(device.bin_key).decode("ascii")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def qr_svg(device: TOTPDevice) -> SafeString:
    """The otpauth:// address of the device as an inline SVG QR code."""
    svg = segno.make(device.config_url, error="m").svg_inline(
        scale=5, title=_("QR code for your authenticator app"), svgclass="qr"
    )
    return mark_safe(svg)  # noqa: S308 - segno's SVG of our own URL; segno escapes the title


def _normal(code: str) -> str:
    return re.sub(r"[\s-]", "", code).lower()


def new_recovery_codes(*, user: Any) -> list[str]:
    """Replaces the user's recovery codes with ten new ones (shown once, then only their
    stored copies remain to be matched)."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=_("recovery codes"))
    codes = [StaticToken.random_token() for _i in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


class NoticeNotSentError(Exception):
    """The mail telling the user about a new second factor could not be sent, so the second
    factor was not set up."""


def confirm_enrolment(*, actor: Actor, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirms ``device`` if ``code`` is its current code, and returns the new recovery codes;
    ``None`` (and a failed audit row) if the code is wrong.

    The user is mailed that a second factor was set up (``_enrolment_notice``), in the same
    transaction: someone who has the password and sets up their own app is noticed by the
    account's owner. If the mail cannot be sent nothing is set up (``NoticeNotSentError``, and a
    failed audit row); the code typed stays used."""
    code = _normal(code)
    ok = bool(_TOTP_CODE.fullmatch(code)) and verify_token(actor.user, device.persistent_id, code)
    if not ok:
        log(actor=actor, action=Action.MFA_ENROL, outcome=Outcome.FAILED, target="totp")
        return None
    try:
        with transaction.atomic():
            device.refresh_from_db()
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=actor.user).exclude(pk=device.pk).delete()
            codes = new_recovery_codes(user=actor.user)
            event = log(actor=actor, action=Action.MFA_ENROL, target="totp")
            _enrolment_notice(user=actor.user, event_at=event.at)
    except OSError as error:  # smtplib's errors are OSErrors, as are refused connections
        log(
            actor=actor,
            action=Action.MFA_ENROL,
            outcome=Outcome.FAILED,
            target="totp",
            detail={"reason": "notice mail not sent"},
        )
        raise NoticeNotSentError from error
    return codes


def _enrolment_notice(*, user: Any, event_at: Any) -> None:
    """Tells the user by mail that a second factor was set up on their account, when, and whom
    to contact if it was not them. No secret in it: no key, code or recovery code. A user
    without an address (made by ``hsreg createuser`` without one) gets none."""
    if not user.email:
        return
    send_mail(
        _("hsreg: a second factor was set up on your account"),
        _(
            "A second factor (an authenticator app) was set up on your hsreg (HISREG) account "
            "%(username)s at %(time)s (Norwegian time). New recovery codes were made at the "
            "same time; earlier ones no longer work.\n\n"
            "If this was you, nothing more is needed. If it wasn't you, contact the registry "
            "at once at %(registry)s: someone may know your password."
        )
        % {
            "username": user.username,
            "time": local_time(event_at),
            "registry": settings.DEFAULT_FROM_EMAIL,
        },
        settings.DEFAULT_FROM_EMAIL,
        [user.email],
    )


def verify(*, actor: Actor, code: str) -> Any | None:
    """The device that accepts ``code``: six digits are a TOTP code, anything else a recovery
    code (which is used up). ``None`` and a failed audit row when no device accepts it.

    Each code is tried on one device only, so a wrong code counts once in django-otp's
    back-off of that device."""
    user = actor.user
    code = _normal(code)
    model = TOTPDevice if _TOTP_CODE.fullmatch(code) else StaticDevice
    device = None
    for candidate in model.objects.devices_for_user(user, confirmed=True):
        device = verify_token(user, candidate.persistent_id, code)
        if device is not None:
            break
    kind = "totp" if model is TOTPDevice else "recovery code"
    if device is None:
        log(actor=actor, action=Action.MFA_VERIFY, outcome=Outcome.FAILED, target=kind)
        return None
    remaining = (
        StaticToken.objects.filter(device__user=user).count() if model is StaticDevice else None
    )
    log(
        actor=actor,
        action=Action.MFA_VERIFY,
        target=kind,
        detail={"recovery_codes_left": remaining} if remaining is not None else None,
    )
    return device
