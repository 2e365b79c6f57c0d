"""Logging filters of the server log (settings.LOGGING).

Django logs every 4xx answer that comes from an exception (a 403 from PermissionDenied, a 404
from Http404) on ``django.request`` with the exception attached, so the log printed a whole
traceback for each denied page (issue 12 point 5): noise that hides the real errors, for an
answer that is not an error of hsreg. ``ClientErrorsOnOneLine`` drops the traceback of records
below ERROR: "Forbidden (Permission denied): /path" stays, on one line. A 500 is logged as
ERROR and keeps its traceback. The paths in these lines are ``mask``-ed: no national id
number (issue 14)."""

from __future__ import annotations

import logging
import re

#: a FHIR search by ``identifier`` carries a national id number (issue 14): its value is never
#: logged, nor an 11-digit number in a path (a client using one as a resource id)
_IDENTIFIER = re.compile(r"(identifier=)[^&\s\"]*")
_ELEVEN_DIGITS = re.compile(r"(?<![0-9])[0-9]{11}(?![0-9])")


def mask(text: str) -> str:
    """``text`` without ``identifier=`` values and 11-digit numbers (each becomes ``…``)."""
    return _ELEVEN_DIGITS.sub("…", _IDENTIFIER.sub(r"\1…", text))


class ClientErrorsOnOneLine(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.ERROR:
            record.exc_info = None
            record.exc_text = None
            record.stack_info = None
        if isinstance(record.args, tuple):
            record.args = tuple(mask(a) if isinstance(a, str) else a for a in record.args)
        return True
