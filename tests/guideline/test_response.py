"""TX-9: the response decision at week 12 and, after an extension, at week 24."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from .builders import as_json, case, evaluated, texts, visit

START = date(2026, 1, 5)


def day(n: int) -> str:
    """The date of day ``n`` of the course (the start is day 0)."""
    return (START + timedelta(days=n)).isoformat()


def on_adalimumab(*visits: dict[str, Any], as_of: str = "2026-09-01") -> dict[str, Any]:
    """Baseline on the start date: AN 1000 (990 nodules, 10 abscesses), 5 tunnels, DLQI 20."""
    baseline = visit(day(0), 990, 10, 5, dlqi=20)
    return case(
        as_of=as_of,
        assessments=[baseline, *visits],
        treatments=[{"drug": "adalimumab", "start": day(0), "regimen": "biweekly_80"}],
    )


def decision(document: dict[str, Any]) -> str:
    return evaluated(document).response.decision


def test_tx9_not_on_a_biologic() -> None:
    assert decision(case(assessments=[visit("2026-05-01", 1, 1, 1)])) == "not_on_biologic"
    stopped = case(treatments=[{"drug": "adalimumab", "start": "2025-01-01", "end": "2025-06-01",
                                "stop_reason": "remission"}])  # fmt: skip
    assert decision(stopped) == "not_on_biologic"


def test_tx9_reading_day_76_is_not_yet_the_week_12_evaluation() -> None:
    response = as_json(on_adalimumab(visit(day(76), 100, 0, 0, dlqi=2)))["response"]
    assert response["decision"] == "not_due"
    assert response["next_evaluation_from"] == day(77)


def test_tx9_reading_day_77_serves_as_the_week_12_evaluation() -> None:
    response = as_json(on_adalimumab(visit(day(77), 100, 0, 0, dlqi=2)))["response"]
    assert (response["decision"], response["evaluation"], response["day"], response["week"]) == (
        "continue", "week_12", 77, 11,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("an_now", "pct", "expected"),
    [
        (751, 24.9, "stop"),
        (750, 25.0, "extend_12_weeks"),
        (501, 49.9, "extend_12_weeks"),
        (500, 50.0, "continue"),
    ],
)
def test_tx9_an_reduction_boundaries_25_and_50_percent(
    an_now: int, pct: float, expected: str
) -> None:
    # AN 1000 → an_now, the abscesses staying at 10.
    document = on_adalimumab(visit(day(84), an_now - 10, 10, 5, dlqi=10))
    response = evaluated(document).response
    assert (response.decision, response.an_reduction_pct) == (expected, pct)


def test_tx9_exactly_25_percent_extends_and_below_stops() -> None:
    base = case(
        as_of="2026-09-01",
        assessments=[visit(day(0), 4, 0, 0, dlqi=20), visit(day(84), 3, 0, 0, dlqi=20)],
        treatments=[{"drug": "adalimumab", "start": day(0)}],
    )
    assert decision(base) == "extend_12_weeks"  # 4 → 3: exactly 25 %
    base["assessments"][1]["nodules"] = 4
    assert decision(base) == "stop"


@pytest.mark.parametrize(("dlqi_now", "expected"), [(16, "continue"), (17, "clinical_judgement")])
def test_tx9_dlqi_fall_boundary_4_and_3(dlqi_now: int, expected: str) -> None:
    document = on_adalimumab(visit(day(84), 400, 5, 5, dlqi=dlqi_now))
    assert decision(document) == expected


def test_tx9_reading_an_halved_without_hiscr_is_clinical_judgement_naming_why() -> None:
    document = on_adalimumab(visit(day(84), 400, 5, 6, dlqi=5))  # one more draining tunnel
    result = as_json(document)
    assert result["response"]["decision"] == "clinical_judgement"
    [why] = texts(result, "TX-9")
    assert "not achieved: HiSCR (abscesses 10 → 5, tunnels 5 → 6)" in why
    assert "Reading:" in why


def test_tx9_reading_dlqi_fall_named_when_it_fails() -> None:
    result = as_json(on_adalimumab(visit(day(84), 400, 5, 5, dlqi=18)))
    [why] = texts(result, "TX-9")
    assert "not achieved: DLQI fall ≥ 4 (fall 2)" in why


def test_tx9_missing_dlqi_when_it_decides_is_insufficient_data() -> None:
    result = evaluated(on_adalimumab(visit(day(84), 400, 5, 5))).response
    assert (result.decision, result.missing) == ("insufficient_data", ("assessments[1].dlqi",))
    # …but not when the AN reduction alone decides.
    assert decision(on_adalimumab(visit(day(84), 900, 10, 5))) == "stop"


def test_tx9_reading_after_an_extension_day_160_is_not_yet_week_24() -> None:
    document = on_adalimumab(
        visit(day(84), 700, 10, 5, dlqi=15),  # 29.7 %: extend
        visit(day(160), 100, 0, 0, dlqi=2),
    )
    response = evaluated(document).response
    assert (response.decision, response.evaluation) == ("extend_12_weeks", "week_12")
    assert str(response.next_evaluation_from) == day(161)


@pytest.mark.parametrize(
    ("counts", "dlqi", "expected"),
    [
        ((100, 0, 0), 2, "continue"),  # adequate at week 24
        ((600, 10, 5), 10, "stop"),  # still partial: stop, third line
        ((100, 0, 0), 18, "stop"),  # HiSCR but DLQI fall 2
    ],
)
def test_tx9_reading_week_24_adequate_continues_otherwise_stops(
    counts: tuple[int, int, int], dlqi: int, expected: str
) -> None:
    document = on_adalimumab(
        visit(day(84), 700, 10, 5, dlqi=15),
        visit(day(161), *counts, dlqi=dlqi),
    )
    response = evaluated(document).response
    assert (response.decision, response.evaluation, response.day) == (expected, "week_24", 161)


def test_tx9_the_latest_evaluation_decides() -> None:
    document = on_adalimumab(
        visit(day(84), 100, 0, 0, dlqi=2),  # continue
        visit(day(120), 950, 10, 5, dlqi=19),  # later: < 25 % reduction
    )
    assert decision(document) == "stop"


def test_tx9_reading_baseline_an_0_is_clinical_judgement() -> None:
    document = case(
        as_of="2026-09-01",
        assessments=[visit(day(0), 0, 0, 3, dlqi=20), visit(day(90), 0, 0, 1, dlqi=5)],
        treatments=[{"drug": "adalimumab", "start": day(0)}],
    )
    assert decision(document) == "clinical_judgement"


def test_tx9_any_tnf_inhibitor_course_is_judged() -> None:
    """TX-9 judges infliximab's course as adalimumab's; an IL-17 inhibitor's is XB-3's
    (week 16, test_xb3_response.py)."""
    document = on_adalimumab(visit(day(90), 100, 0, 0, dlqi=2))
    document["patient"]["weight_kg"] = 80
    document["treatments"] = [{"drug": "infliximab", "start": day(0)}]
    response = evaluated(document).response
    assert (response.decision, response.drug) == ("continue", "infliximab")
    assert response.assessment_week == 12
