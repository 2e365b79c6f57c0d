"""Any valid case document evaluates, and its result keeps the guideline's invariants.

Hypothesis builds case documents from the whole input space (dates, courses, screening,
vaccines, regions); whatever it finds, the engine must answer without an exception, cite only
rules of RULES.md in both languages, and never contradict itself.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hsreg.guideline import DRUGS, RULES, evaluate
from hsreg.guideline.case import REGIONS, SCREENING_TESTS

AS_OF = date(2026, 6, 1)
days_back = st.integers(min_value=0, max_value=3 * 365)
maybe_bool = st.one_of(st.none(), st.booleans())


def when(back: int) -> str:
    return (AS_OF - timedelta(days=back)).isoformat()


@st.composite
def assessments(draw: st.DrawFn) -> dict[str, Any]:
    document: dict[str, Any] = {"date": when(draw(days_back))}
    if draw(st.booleans()):
        chosen = draw(st.lists(st.sampled_from(REGIONS), min_size=1, max_size=4, unique=True))
        document["regions"] = [
            {
                "region": region,
                "nodules": draw(st.integers(0, 12)),
                "abscesses": draw(st.integers(0, 6)),
                "draining_tunnels": draw(st.integers(0, 4)),
                "hurley": draw(st.one_of(st.none(), st.integers(1, 3))),
                "longest_distance_cm": draw(
                    st.one_of(st.none(), st.sampled_from([1, 5, 10, 12.5]))
                ),
                "separated_by_normal_skin": draw(maybe_bool),
            }
            for region in chosen
        ]
    else:
        document |= {
            "nodules": draw(st.integers(0, 30)),
            "abscesses": draw(st.integers(0, 10)),
            "draining_tunnels": draw(st.integers(0, 8)),
            "hurley": draw(st.one_of(st.none(), st.integers(1, 3))),
        }
    document["inflammatory_activity"] = draw(st.sampled_from([None, "mild", "moderate", "severe"]))
    if draw(st.booleans()):
        document["dlqi"] = draw(st.one_of(st.none(), st.integers(0, 30)))
    else:
        document["dlqi_items"] = draw(
            st.lists(st.one_of(st.none(), st.integers(0, 3)), min_size=10, max_size=10)
        )
    document["pain_vas"] = draw(st.one_of(st.none(), st.sampled_from([0, 2.5, 3, 6, 9.5, 10])))
    document["non_inflammatory_nodules"] = draw(st.one_of(st.none(), st.integers(0, 5)))
    return document


@st.composite
def treatments(draw: st.DrawFn) -> dict[str, Any]:
    start = draw(st.integers(min_value=-60, max_value=3 * 365))  # negative: planned
    course: dict[str, Any] = {"drug": draw(st.sampled_from(list(DRUGS))), "start": when(start)}
    if draw(st.booleans()):
        course["end"] = when(start - draw(st.integers(0, 400)))
        course["stop_reason"] = draw(st.sampled_from([
            None, "inadequate_effect", "adverse_effect", "inadequate_effect_and_adverse_effect",
            "remission", "surgery", "patient_wish", "other",
        ]))  # fmt: skip
    if course["drug"] == "adalimumab":
        course["regimen"] = draw(st.sampled_from([None, "weekly_40", "biweekly_80"]))
    return course


@st.composite
def case_documents(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "as_of": AS_OF.isoformat(),
        "patient": {
            "birth_date": when(draw(st.integers(5 * 365, 80 * 365))),
            "weight_kg": draw(st.one_of(st.none(), st.sampled_from([25, 29.9, 30, 60, 120]))),
            "height_cm": draw(st.one_of(st.none(), st.sampled_from([140, 165, 190]))),
            "smoking": draw(st.sampled_from([None, "current", "former", "never"])),
        },
        "diagnosis": {
            "typical_lesions": draw(maybe_bool),
            "typical_location": draw(maybe_bool),
            "chronic_relapsing": draw(maybe_bool),
        },
        "assessments": draw(st.lists(assessments(), max_size=5, unique_by=lambda a: a["date"])),
        "treatments": draw(st.lists(treatments(), max_size=4)),
        "screening": {
            "tests_done": draw(st.lists(st.sampled_from(SCREENING_TESTS), unique=True)),
            "igra": draw(st.sampled_from([None, "positive", "negative"])),
            "chest_xray": draw(st.sampled_from([None, "normal", "abnormal"])),
            "cancer_within_5_years": draw(maybe_bool),
            "demyelinating_disease": draw(maybe_bool),
            "pregnant_or_planning": draw(maybe_bool),
            "tb_symptoms": draw(maybe_bool),
            "tb_exposure": draw(maybe_bool),
            "tb_treated_before": draw(maybe_bool),
            "tb_referral_cleared": draw(maybe_bool),
            "heart_failure_nyha": draw(st.one_of(st.none(), st.integers(0, 4))),
        },
        "vaccinations": [
            {"vaccine": v, "date": when(draw(days_back)), "live": draw(maybe_bool)}
            for v in draw(
                st.lists(st.sampled_from(["influenza", "pneumococcal", "dtap_ipv", "mmr"]))
            )
        ],
        "lab_checks": [when(b) for b in draw(st.lists(days_back, max_size=4))],
    }


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case_documents())
def test_any_valid_case_evaluates_consistently(document: dict[str, Any]) -> None:
    evaluation = evaluate(document)
    for lang in ("nb", "en"):
        output = json.loads(json.dumps(evaluation.to_dict(lang)))  # JSON all the way down
        for explanation in output["explanations"]:
            assert explanation["rule_id"] in RULES
            assert explanation["text"].strip()
    for explanation in evaluation.explanations:
        assert explanation.text.nb != explanation.text.en or explanation.text.nb.startswith(
            "HS-PGA"
        )

    eligibility = evaluation.biologic_eligibility
    met = {name: c.met for name, c in eligibility.criteria.items()}
    if eligibility.status == "eligible":
        assert met["C0"]
        assert met["C1"] or met["C2"]
        assert met["C3"]
        assert met["C4"]
        assert evaluation.recommendation.options  # something is always recommended then
    if eligibility.status == "insufficient_data":
        assert eligibility.missing
    else:
        assert eligibility.missing == ()
    if met["C2"]:
        assert met["C0"]

    hiscr = evaluation.hiscr
    assert not hiscr.hiscr90 or hiscr.hiscr75
    assert not hiscr.hiscr75 or hiscr.achieved
    screening = evaluation.screening
    assert ("pregnancy" in screening.warnings) is (
        document["screening"]["pregnant_or_planning"] is True
    )
    assert "pregnancy" not in screening.contraindications
    if evaluation.response.decision in (
        "continue",
        "extend_12_weeks",
        "stop",
        "clinical_judgement",
    ):
        assert evaluation.response.day is not None
        assert evaluation.response.day >= 77
    if (evaluation.staging.hurley or 0) >= 2:
        assert "surgery" in evaluation.recommendation.options
    assert evaluation.dlqi.score is None or 0 <= evaluation.dlqi.score <= 30
