"""The server's access log line (cli.accesslog): a patient's link is logged without its token
(issue 13: the token opens the link), control characters escaped."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from gunicorn.config import Config

from hsreg.cli.accesslog import EscapingLogger

TOKEN = "x" * 43


def atoms(path: str) -> dict[str, object]:
    logger = EscapingLogger(Config())
    response = SimpleNamespace(status="200 OK", response_length=10, sent=10, headers=[])
    request = SimpleNamespace(headers=[], method="GET", path=path, query="", version=(1, 1))
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": path,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
    }
    return logger.atoms(response, request, environ, timedelta(seconds=0.1))


@pytest.mark.parametrize(
    ("path", "logged"),
    [
        (f"/p/{TOKEN}/", "/p/…/"),
        (f"/p/{TOKEN}/s/2/", "/p/…/s/2/"),
        (f"/p/{TOKEN}/review/", "/p/…/review/"),
        ("/p/tablet/", "/p/tablet/"),
        ("/p/language/", "/p/language/"),
        ("/patients/12/", "/patients/12/"),
    ],
)
def test_a_patients_link_is_logged_without_its_token(path: str, logged: str) -> None:
    assert atoms(path)["U"] == logged


def test_a_control_character_in_the_path_is_escaped() -> None:
    assert atoms("/x\n200 forged")["U"] == "/x\\x0a200 forged"
