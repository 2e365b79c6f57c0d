"""The access log of ``hsreg serve``: gunicorn's, with every control character escaped.

A request path is decoded from its percent-escapes before it is logged, so ``GET /%0a...``
would write a line break of the client's choosing into the log and forge a line of it (a
request that never happened, a status that was never sent). Every value of a log line is
escaped here the way Apache's access log does it: a control character (C0, DEL and C1, which
some readers also take as line breaks) becomes ``\\xNN`` and a backslash is doubled (gunicorn
backslashes double quotes itself), so one request is always one line and a quoted field ends
where it seems to. The token of a patient's link is not logged (``_PATIENT_LINK``), nor a national id number:
``identifier=`` values and 11-digit numbers are masked (web.log_filters.mask, issue 14)."""

from __future__ import annotations

import re
from typing import Any

from gunicorn.glogging import Logger

from hsreg.web.log_filters import mask

#: gunicorn's access log line: the path without its query string (%(U)s, not %(r)s or %(q)s)
#: and no Referer (%(f)s), since a search by national id number puts the number in the URL.
ACCESS_LOG_FORMAT = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(L)s "%(a)s"'

#: a patient's link (/p/<token>/...): the token opens the link, so the log keeps only /p/…/
_PATIENT_LINK = re.compile(r"^/p/(?!tablet/|language/)[^/]+")

#: gunicorn's own wrapper (SafeAtoms) backslashes the double quotes afterwards
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\\]")


def escape(value: str) -> str:
    """``value`` with control characters as ``\\xNN`` and a backslash doubled."""
    return _UNSAFE.sub(_escaped, value)


def _escaped(match: re.Match[str]) -> str:
    char = match.group()
    return "\\\\" if char == "\\" else f"\\x{ord(char):02x}"


class EscapingLogger(Logger):  # type: ignore[misc]
    """gunicorn's logger whose access log lines carry no raw control character."""

    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        if isinstance(atoms.get("U"), str):
            atoms["U"] = _PATIENT_LINK.sub("/p/…", atoms["U"])
        # a FHIR search by identifier (issue 14): no id number in any atom (the request line,
        # the query string, the environ's RAW_URI ...)
        return {
            key: escape(mask(value)) if isinstance(value, str) else value
            for key, value in atoms.items()
        }
