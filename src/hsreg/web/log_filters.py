"""Logging filters of the server log (settings.LOGGING).

Django logs every 4xx answer that comes from an exception (a 403 from PermissionDenied, a 404
from Http404) on ``django.request`` with the exception attached, so the log printed a whole
traceback for each denied page (issue 12 point 5): noise that hides the real errors, for an
answer that is not an error of hsreg. ``ClientErrorsOnOneLine`` drops the traceback of records
below ERROR: "Forbidden (Permission denied): /path" stays, on one line. A 500 is logged as
ERROR and keeps its traceback."""

from __future__ import annotations

import logging


class ClientErrorsOnOneLine(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.ERROR:
            record.exc_info = None
            record.exc_text = None
            record.stack_info = None
        return True
