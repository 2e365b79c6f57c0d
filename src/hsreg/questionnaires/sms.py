"""SMS backends for the patients' invitations, chosen by ``settings.SMS_URL``
(HSREG_SMS_URL), as Django's EMAIL_BACKEND chooses where mail goes:

- ``"console"``: the message is printed on standard output (the demo's worker; the demo's
  numbers are synthetic);
- ``"outbox"``: kept in memory in ``outbox`` (the tests; like ``django.core.mail.outbox``);
- ``"https://…"`` / ``"http://…"``: the SMS gateway's address. The message is POSTed as JSON
  ``{"to": ..., "message": ...}`` with ``Authorization: Bearer <HSREG_SMS_TOKEN>``; any answer
  but 2xx, or no answer within TIMEOUT_SECONDS, raises ``SmsError`` so the job that sends it
  is retried (hsreg.jobs.retry).

Nothing here logs the number or the message's text: both identify the patient (the number) or
open their link (the text). An error names the gateway's status, never what was sent.
"""

from __future__ import annotations

import json
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

TIMEOUT_SECONDS = 10


@dataclass(frozen=True)
class Sms:
    to: str
    body: str


#: the messages "sent" with SMS_URL = "outbox" (tests empty it between tests)
outbox: list[Sms] = []


class SmsError(Exception):
    """The gateway did not take the message (the job is retried)."""


def send_sms(to: str, body: str) -> None:
    """Sends one SMS through the backend of settings.SMS_URL."""
    url = settings.SMS_URL
    if url == "console":
        _console(to, body)
    elif url == "outbox":
        outbox.append(Sms(to=to, body=body))
    elif url.startswith(("https://", "http://")):
        _gateway(url, to, body)
    elif not url:
        raise ImproperlyConfigured(
            "No SMS gateway is set up: set HSREG_SMS_URL to the gateway's https:// address "
            "(or 'console' to print the messages)."
        )
    else:
        raise ImproperlyConfigured(
            "HSREG_SMS_URL must be 'console', 'outbox' or the gateway's https:// address."
        )


def _console(to: str, body: str) -> None:
    rule = "-" * 72
    sys.stdout.write(f"SMS to {to}\n{body}\n{rule}\n")
    sys.stdout.flush()


def _gateway(url: str, to: str, body: str) -> None:
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked by the caller
        url,
        data=json.dumps({"to": to, "message": body}).encode(),
        method="POST",
        headers={
            "Content-Type": "application/json",
            "Accept": "application/json",
            "Authorization": f"Bearer {settings.SMS_TOKEN}",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            status = response.status
    except urllib.error.HTTPError as error:
        # the gateway's answer may repeat the number: only its status is kept
        raise SmsError(f"the SMS gateway answered {error.code}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise SmsError(f"the SMS gateway cannot be reached ({type(reason).__name__})") from None
    if not 200 <= status < 300:
        raise SmsError(f"the SMS gateway answered {status}")
