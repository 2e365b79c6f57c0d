"""``hsreg worker`` and the worker ``hsreg demo`` starts, as real processes in a fresh data
directory with SQLite: the nightly job scheduled once however often a worker starts, a clean
stop on Ctrl-C, and the demo's worker running the nightly job at start and stopping with it."""

from __future__ import annotations

import os
import queue
import signal
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

from tests.test_cli_registry import HSREG, ROOT, environment, free_port, hsreg

NIGHTLY = "hsreg.jobs.nightly.nightly"


def jobs(data_dir: Path) -> list[tuple[str, str, str]]:
    """(status, run_after, arguments) of the nightly jobs in the demo's SQLite database."""
    with sqlite3.connect(data_dir / "hsreg.sqlite3") as database:
        return database.execute(
            "SELECT status, run_after, args_kwargs FROM django_tasks_database_dbtaskresult "
            "WHERE task_path = ? ORDER BY enqueued_at",
            [NIGHTLY],
        ).fetchall()


def reader(process: subprocess.Popen[str]) -> queue.Queue[str]:
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(
        target=lambda: [lines.put(line) for line in process.stdout or ()], daemon=True
    ).start()
    return lines


def wait_for(lines: queue.Queue[str], text: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while text not in lines.get(timeout=max(0.1, deadline - time.monotonic())):
        pass


def test_worker_refuses_a_database_not_migrated(tmp_path: Path) -> None:
    result = hsreg("worker", "--batch", data_dir=tmp_path, HSREG_SECRET_KEY="x" * 50)
    assert result.returncode == 2, result.stderr
    assert "migration(s) not applied: run hsreg migrate first" in result.stderr
    assert "Traceback" not in result.stderr


def test_worker_schedules_the_nightly_job_once_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    secret = {"HSREG_SECRET_KEY": "x" * 50}
    assert hsreg("migrate", data_dir=tmp_path, **secret).returncode == 0
    for _start in range(2):  # two starts (or two workers): one scheduled run
        result = hsreg("worker", "--batch", data_dir=tmp_path, **secret)
        assert result.returncode == 0, result.stderr
        assert "the nightly job next at " in result.stdout
        assert "T02:00" in result.stdout
    ((status, _run_after, arguments),) = jobs(tmp_path)
    assert status == "READY"
    assert '"scheduled": true' in arguments
    process = subprocess.Popen(
        [str(HSREG), "worker"],
        cwd=ROOT,
        env=environment(tmp_path, **secret),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,  # the library's worker logs on standard error
        text=True,
    )
    lines = reader(process)
    try:
        wait_for(lines, "Ctrl-C stops.")
        wait_for(lines, "Starting worker")  # the library's worker, its Ctrl-C handling set up
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=60)
    time.sleep(0.5)  # the reader's last lines
    output = "".join(lines.get() for _ in range(lines.qsize()))
    assert process.returncode == 0, output
    assert "hsreg worker: stopped." in output
    assert "Traceback" not in output
    assert len(jobs(tmp_path)) == 1


def _workers_of(data_dir: Path) -> list[int]:
    """The processes running ``hsreg worker`` for ``data_dir`` (read from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
            environ = (entry / "environ").read_bytes()
        except (OSError, ValueError):
            continue
        if b"worker" in command and f"HSREG_DATA_DIR={data_dir}".encode() in environ:
            found.append(int(entry.name))
    return found


def test_demo_runs_the_nightly_job_at_start_and_stops_its_worker(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [str(HSREG), "demo", "--port", str(free_port()), "--patients", "25"],
        cwd=ROOT,
        env=environment(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        wait_for(reader(process), "Ctrl-C stops the demo.")
        assert _workers_of(tmp_path)
        deadline = time.monotonic() + 120
        while [s for s, _after, a in jobs(tmp_path) if '"scheduled"' not in a] != ["SUCCESSFUL"]:
            assert time.monotonic() < deadline, jobs(tmp_path)
            time.sleep(0.5)
        assert [s for s, _after, a in jobs(tmp_path) if '"scheduled": true' in a] == ["READY"]
    finally:
        os.killpg(process.pid, signal.SIGINT)  # Ctrl-C in the terminal: the whole group
        _, errors = process.communicate(timeout=60)
    assert process.returncode == 0, errors
    assert "Traceback" not in errors
    assert not _workers_of(tmp_path)
