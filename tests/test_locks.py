"""The two lock files pin every package they share to the same version.

pip-audit reads both at once (dev.py audit) and stops before auditing anything when one
package is pinned twice at different versions ("duplicate requirements"); the runtime and the
development environments would also differ in what they run. pip-compile keeps an earlier pin
of a file, so the two can drift apart when one is re-resolved: this test says so at once.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==(\S+)", re.MULTILINE)


def pins(name: str) -> dict[str, str]:
    return {p.lower(): v for p, v in PIN.findall((ROOT / name).read_text())}


def test_the_runtime_lock_is_a_subset_of_the_development_lock_at_the_same_versions():
    runtime, development = pins("requirements.lock"), pins("requirements-dev.lock")
    assert runtime, "no pins read from requirements.lock"
    assert {p: v for p, v in runtime.items() if development.get(p) != v} == {}
