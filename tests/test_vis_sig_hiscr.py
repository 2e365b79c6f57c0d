"""MO-2, the done-when check: HiSCR as ``hsreg evaluate --jsonl`` computes it agrees with the
HiSCR recorded for each of the 400 patients of the vis-sig-hiscr-2022 data set.

Each row is one patient: abscesses, draining tunnels ("drain.fist") and inflammatory nodules
("infl.nod") at baseline and at week 16, the arm (ACT or PBO) and HiSCR ("Yes"/"No").
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "fixtures" / "vis-sig-hiscr-2022.csv"
BASELINE, WEEK_16 = "2022-01-03", "2022-04-25"


def read_patients() -> list[dict[str, str]]:
    with DATA.open(newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


def case_document(row: dict[str, str]) -> dict[str, Any]:
    """The case document of one patient: a baseline assessment and one at week 16."""

    def assessment(day: str, suffix: str) -> dict[str, Any]:
        return {
            "date": day,
            "nodules": int(row[f"infl.nod.{suffix}"]),
            "abscesses": int(row[f"abscesses.{suffix}"]),
            "draining_tunnels": int(row[f"drain.fist.{suffix}"]),
        }

    return {
        "as_of": "2022-06-01",
        "patient": {"birth_date": "1990-01-01"},
        "assessments": [assessment(BASELINE, "base"), assessment(WEEK_16, "w16")],
    }


def test_mo2_hiscr_of_400_patients_through_hsreg_evaluate_jsonl(tmp_path: Path) -> None:
    """MO-2: every patient's HiSCR from ``hsreg evaluate --jsonl`` equals the recorded one."""
    patients = read_patients()
    assert len(patients) == 400
    assert {p["HiSCR"] for p in patients} == {"Yes", "No"}

    cases = tmp_path / "vis-sig-hiscr-2022.jsonl"
    cases.write_text(
        "".join(json.dumps(case_document(p)) + "\n" for p in patients), encoding="utf-8"
    )
    result = subprocess.run(
        [sys.executable, "-m", "hsreg", "evaluate", "--jsonl", str(cases), "--lang", "en"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert len(lines) == 400

    responders: Counter[str] = Counter()
    recorded: Counter[str] = Counter()
    mismatches = []
    for number, (patient, line) in enumerate(zip(patients, lines, strict=True), start=1):
        hiscr = json.loads(line)["hiscr"]
        assert hiscr["baseline_date"] == BASELINE
        assert hiscr["date"] == WEEK_16
        expected = patient["HiSCR"] == "Yes"
        if hiscr["achieved"] is not expected:
            mismatches.append((number, patient, hiscr))
        if hiscr["achieved"]:
            responders[patient["TRT"]] += 1
        if expected:
            recorded[patient["TRT"]] += 1
    assert mismatches == []

    # Sanity: responders per arm, as the data set records them.
    assert set(recorded) == {"ACT", "PBO"}
    assert responders == recorded
    assert recorded == {"ACT": 109, "PBO": 33}
    assert responders["ACT"] > responders["PBO"]
