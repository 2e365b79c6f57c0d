"""Realistic results for a demo screening before a biologic (SC-1 Reading, results).

Drawn from their own random source, seeded by the patient and the date, so adding results did
not change any other draw of a run: the demo's stories and figures stay what they were.
"""

from __future__ import annotations

import random

from hsreg.guideline.screening import BLOOD_TESTS
from hsreg.treatments.models import Screening

#: how often a result is positive / abnormal in an HS clinic's screening (mostly inflammation:
#: a raised CRP or a mild anaemia; serology rarely positive)
FINDING_RATE = {
    "hiv": 0.003,
    "hepatitis_b": 0.01,
    "hepatitis_c": 0.006,
    "blood_tests": 0.12,
    "urine_dipstick": 0.06,
}
POSITIVE = {"hiv", "hepatitis_b", "hepatitis_c"}
#: an incomplete screening: the share of tests taken whose result has not come back yet
AWAITED = 0.35


def record_results(s: Screening, *, taken: list[str], complete: bool, key: str) -> None:
    """Sets the result of each test ``taken`` on ``s``: IGRA negative and chest X-ray normal
    (SC-2, so the demo's eligible patients stay eligible), the others mostly negative or
    normal; for an incomplete screening some results are still awaited (not recorded)."""
    rng = random.Random(f"screening-results-{key}")  # noqa: S311 - synthetic data
    for result, rate in FINDING_RATE.items():
        tests = BLOOD_TESTS if result == "blood_tests" else (result,)
        if not any(t in taken for t in tests):
            continue
        if not complete and rng.random() < AWAITED:
            continue
        found = rng.random() < rate
        if result in POSITIVE:
            setattr(s, result, "positive" if found else "negative")
        else:
            setattr(s, result, "abnormal" if found else "normal")
    if "igra" in taken:
        s.igra = "negative"
    if "chest_xray" in taken:
        s.chest_xray = "normal"
