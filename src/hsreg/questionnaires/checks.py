"""Production checks of the patients' links (``hsreg check --deploy``).

A link in an SMS or e-mail is only as safe as the address it points at: in production it
must be the public site over HTTPS (HSREG_PUBLIC_URL), not the default of the demo on
127.0.0.1, and the SMS gateway must be reached over HTTPS, for the message carries the link.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Tags, Warning, register

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@register(Tags.security, deploy=True)
def check_public_links(**_: Any) -> list[Warning]:
    problems = []
    public = urlsplit(settings.PUBLIC_URL)
    if public.scheme != "https" or (public.hostname or "") in LOOPBACK:
        problems.append(
            Warning(
                "HSREG_PUBLIC_URL is not the public site over HTTPS: the links sent to "
                f"patients would point at {settings.PUBLIC_URL}.",
                hint="Set HSREG_PUBLIC_URL=https://<the public address of hsreg>.",
                id="hsreg.W101",
            )
        )
    if settings.SMS_URL.startswith("http://"):
        problems.append(
            Warning(
                "HSREG_SMS_URL is plain HTTP: the SMS gateway would receive the patients' "
                "links and numbers unencrypted.",
                hint="Use the gateway's https:// address.",
                id="hsreg.W102",
            )
        )
    return problems
