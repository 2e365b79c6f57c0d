"""XB-3 through the real ``hsreg evaluate`` process: a bimekizumab course is not due for its
week-16 evaluation at day 104 and is evaluated by XB-3 (week 16) from day 105."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from .test_cli import hsreg

START = date(2026, 1, 5)


def bimekizumab_case(on_day: int) -> dict[str, Any]:
    """An adult on bimekizumab (XB-2) from START, assessed at baseline and on ``on_day``."""
    assessed = (START + timedelta(days=on_day)).isoformat()
    return {
        "as_of": assessed,
        "patient": {"birth_date": "1980-01-01"},
        "assessments": [
            {"date": START.isoformat(), "nodules": 9, "abscesses": 1, "draining_tunnels": 2,
             "dlqi": 18},
            {"date": assessed, "nodules": 3, "abscesses": 0, "draining_tunnels": 2, "dlqi": 6},
        ],
        "treatments": [{"drug": "bimekizumab", "start": START.isoformat()}],
    }  # fmt: skip


def evaluate_file(tmp_path: Path, document: dict[str, Any]) -> dict[str, Any]:
    path = tmp_path / "case.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    result = hsreg("evaluate", "--lang", "en", str(path))
    assert result.returncode == 0, result.stderr
    evaluation: dict[str, Any] = json.loads(result.stdout)
    return evaluation


@pytest.mark.parametrize(("on_day", "decision", "kind"), [(104, "not_due", None),
                                                          (105, "continue", "week_16")])  # fmt: skip
def test_xb3_hsreg_evaluate_bimekizumab_day_104_105(
    tmp_path: Path, on_day: int, decision: str, kind: str | None
) -> None:
    response = evaluate_file(tmp_path, bimekizumab_case(on_day))["response"]
    assert (response["decision"], response["assessment_week"]) == (decision, 16)
    assert response["evaluation"] == kind
    assert response["next_evaluation_from"] == (
        (START + timedelta(days=105)).isoformat() if decision == "not_due" else None
    )


def test_xb3_hsreg_evaluate_explains_by_xb3_beyond_the_guideline(tmp_path: Path) -> None:
    evaluation = evaluate_file(tmp_path, bimekizumab_case(105))
    (why,) = [e["text"] for e in evaluation["explanations"] if e["rule_id"] == "XB-3"]
    assert "Beyond the NFDV guideline (2019), XB-3" in why
    assert "Week-16 evaluation of bimekizumab" in why
    assert not [e for e in evaluation["explanations"] if e["rule_id"] == "TX-9"]
