"""The web server of ``hsreg serve`` and ``hsreg demo``: gunicorn with sync workers, forked
from the command's process (Django is set up already), its access log escaped
(cli.accesslog)."""

from __future__ import annotations

import os
import signal
import socket
import sys
from pathlib import Path
from typing import Any

from .common import EXIT_OK


def port_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host.strip("[]"), port))
        except OSError:
            return False
    return True


def _ignore_sigint(_worker: object) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _when_ready(ready: str) -> Any:
    def when_ready(arbiter: Any) -> None:
        arbiter.handle_int = arbiter.handle_term  # Ctrl-C: a graceful stop
        print(ready, flush=True)

    return when_ready


def run_server(*, bind: str, workers: int, access_log: bool, log_level: str, ready: str) -> int:
    """Serves hsreg.config.wsgi with gunicorn (sync workers, forked from this process, which
    has Django set up already). Prints ``ready`` once the socket listens. Returns when the
    server stops (Ctrl-C or SIGTERM); in a worker process, gunicorn exits by itself."""
    from django.db import connections  # noqa: PLC0415
    from gunicorn.app.base import BaseApplication  # noqa: PLC0415

    from .accesslog import ACCESS_LOG_FORMAT, EscapingLogger  # noqa: PLC0415

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            options = {
                "bind": [bind],
                "workers": workers,
                "worker_class": "sync",
                "accesslog": "-" if access_log else None,
                "access_log_format": ACCESS_LOG_FORMAT,
                "logger_class": EscapingLogger,
                "errorlog": "-",
                "loglevel": log_level,
                "proc_name": "hsreg",
                "when_ready": _when_ready(ready),
                # Ctrl-C in a terminal reaches the whole process group. Workers ignore it, and
                # the master stops them gracefully, as on SIGTERM: gunicorn's own Ctrl-C is a
                # quick stop that can cut a request short and log a traceback.
                "post_worker_init": _ignore_sigint,
            }
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            from hsreg.config.wsgi import application  # noqa: PLC0415

            return application

    from django.conf import settings  # noqa: PLC0415

    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # whitenoise's root
    connections.close_all()  # each worker opens its own
    master = os.getpid()
    try:
        Server().run()
    except SystemExit as stop:
        if os.getpid() != master:
            raise  # a worker leaving: gunicorn's own way out
        code = stop.code if isinstance(stop.code, int) else 0
        print("hsreg: the server has stopped.", file=sys.stderr)
        return code
    return EXIT_OK
