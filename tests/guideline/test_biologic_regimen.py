"""biologic_regimen: the calendar of the current or planned biologic course, for adalimumab
(TX-7), infliximab (TX-11), secukinumab (XB-1) and bimekizumab (XB-2)."""

from __future__ import annotations

from datetime import date
from itertools import pairwise
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hsreg.guideline import evaluate
from hsreg.guideline.biologic_regimen import biologic, doses
from hsreg.guideline.case import parse_case
from hsreg.guideline.catalog import DRUGS, describe
from hsreg.guideline.history import resolve

from .builders import AS_OF, as_json, case, texts

ADULT = {"birth_date": "1980-05-05", "weight_kg": 80}


def regimen(drug: str, *, start: str = "2026-04-01", lang: str = "en", **patient: Any) -> Any:
    """The evaluation's biologic_regimen (and its JSON) for one course of ``drug``."""
    document = case(patient={**ADULT, **patient}, treatments=[{"drug": drug, "start": start}])
    return as_json(document, lang)


def test_tx7_adalimumab_adult_both_maintenance_options() -> None:
    result = regimen("adalimumab")
    assert result["biologic_regimen"] == {
        "drug": "adalimumab",
        "status": "ok",
        "population": "adult",
        "induction": [{"week": 0, "dose_mg": 160}, {"week": 2, "dose_mg": 80}],
        "maintenance": [
            {"start_week": 4, "dose_mg": 40, "every_weeks": 1},
            {"start_week": 4, "dose_mg": 80, "every_weeks": 2},
        ],
        "rule_id": "TX-7",
        "course": "ongoing",
        "start": "2026-04-01",
        "missing": [],
    }
    (why,) = texts(result, "TX-7", "biologic_regimen")
    assert why.startswith("Adult (≥ 18 years): 160 mg week 0")
    # adalimumab_regimen stays as it was
    assert result["adalimumab_regimen"]["population"] == "adult"
    assert len(result["adalimumab_regimen"]["calendar"]) > 0


def test_tx7_adalimumab_adolescent_and_child() -> None:
    teen = regimen("adalimumab", birth_date="2010-01-01", weight_kg=45)["biologic_regimen"]
    assert (teen["population"], teen["induction"]) == ("adolescent", [{"week": 0, "dose_mg": 80}])
    assert teen["maintenance"] == [{"start_week": 1, "dose_mg": 40, "every_weeks": 2}]
    unweighed = regimen("adalimumab", birth_date="2010-01-01", weight_kg=None)
    assert unweighed["biologic_regimen"]["status"] == "insufficient_data"
    assert unweighed["biologic_regimen"]["missing"] == ["patient.weight_kg"]
    child = regimen("adalimumab", birth_date="2016-01-01", weight_kg=35)
    assert child["biologic_regimen"]["status"] == "not_applicable"
    assert child["biologic_regimen"]["induction"] == []
    assert texts(child, "TX-7", "biologic_regimen")


def test_tx11_infliximab_5_mg_per_kg_weeks_0_2_6_then_every_8() -> None:
    result = regimen("infliximab", weight_kg=72.5)
    infliximab = result["biologic_regimen"]
    assert infliximab["rule_id"] == "TX-11"
    assert infliximab["population"] == "any"
    assert infliximab["induction"] == [{"week": w, "dose_mg": 362.5} for w in (0, 2, 6)]
    assert infliximab["maintenance"] == [{"start_week": 14, "dose_mg": 362.5, "every_weeks": 8}]
    (why,) = texts(result, "TX-11", "biologic_regimen")
    assert "72.5 kg: 362.5 mg" in why
    assert regimen("infliximab", weight_kg=80)["biologic_regimen"]["induction"][0]["dose_mg"] == 400


def test_tx11_infliximab_without_a_weight_is_insufficient_data() -> None:
    infliximab = regimen("infliximab", weight_kg=None)["biologic_regimen"]
    assert (infliximab["status"], infliximab["missing"]) == (
        "insufficient_data",
        ["patient.weight_kg"],
    )
    assert infliximab["induction"] == infliximab["maintenance"] == []


def test_xb1_secukinumab_weekly_to_week_4_then_both_maintenance_options() -> None:
    result = regimen("secukinumab")
    secukinumab = result["biologic_regimen"]
    assert (secukinumab["rule_id"], secukinumab["population"]) == ("XB-1", "adult")
    assert secukinumab["induction"] == [{"week": w, "dose_mg": 300} for w in (0, 1, 2, 3, 4)]
    assert secukinumab["maintenance"] == [
        {"start_week": 8, "dose_mg": 300, "every_weeks": 4},
        {"start_week": 8, "dose_mg": 300, "every_weeks": 2},
    ]
    (why,) = texts(result, "XB-1", "biologic_regimen")
    assert why.startswith("Beyond the NFDV guideline (2019): secukinumab (Cosentyx;")
    assert "SUNSHINE/SUNRISE, Lancet 2023" in why
    (hvorfor,) = texts(regimen("secukinumab", lang="nb"), "XB-1", "biologic_regimen")
    assert hvorfor.startswith("Utover NFDV-retningslinjen (2019): sekukinumab")


def test_xb2_bimekizumab_every_2_weeks_to_week_14_then_every_4_from_week_16() -> None:
    result = regimen("bimekizumab")
    bimekizumab = result["biologic_regimen"]
    assert (bimekizumab["rule_id"], bimekizumab["population"]) == ("XB-2", "adult")
    assert [d["week"] for d in bimekizumab["induction"]] == [0, 2, 4, 6, 8, 10, 12, 14]
    assert {d["dose_mg"] for d in bimekizumab["induction"]} == {320}
    assert bimekizumab["maintenance"] == [{"start_week": 16, "dose_mg": 320, "every_weeks": 4}]
    (why,) = texts(result, "XB-2", "biologic_regimen")
    assert why.startswith("Beyond the NFDV guideline (2019): bimekizumab (Bimzelx;")
    assert "BE HEARD I/II, Lancet 2024" in why


@pytest.mark.parametrize("drug", ["secukinumab", "bimekizumab"])
def test_xb1_xb2_no_regimen_under_18(drug: str) -> None:
    result = regimen(drug, birth_date="2008-06-02")  # 17, one day short of 18 on AS_OF
    assert result["biologic_regimen"]["status"] == "not_applicable"
    assert result["biologic_regimen"]["induction"] == []
    assert regimen(drug, birth_date="2008-06-01")["biologic_regimen"]["status"] == "ok"


def test_none_without_a_biologic_course() -> None:
    assert as_json(case(patient=ADULT))["biologic_regimen"] is None
    doxycycline = case(patient=ADULT, treatments=[{"drug": "doxycycline", "start": "2026-01-01"}])
    assert as_json(doxycycline)["biologic_regimen"] is None
    ended = case(
        patient=ADULT,
        treatments=[{"drug": "adalimumab", "start": "2025-01-01", "end": "2026-01-01"}],
    )
    assert evaluate(ended).biologic_regimen is None


def test_tx7_xb2_an_ongoing_course_wins_over_a_planned_one() -> None:
    document = case(
        patient=ADULT,
        treatments=[
            {"drug": "adalimumab", "start": "2026-01-01"},
            {"drug": "bimekizumab", "start": "2026-07-01"},
        ],
    )
    assert as_json(document)["biologic_regimen"]["drug"] == "adalimumab"
    planned = case(
        patient=ADULT,
        treatments=[
            {"drug": "adalimumab", "start": "2025-01-01", "end": "2026-03-01"},
            {"drug": "bimekizumab", "start": "2026-07-01"},
        ],
    )
    result = as_json(planned)["biologic_regimen"]
    assert (result["drug"], result["course"], result["start"]) == (
        "bimekizumab",
        "planned",
        "2026-07-01",
    )


def test_xb1_xb2_catalog_marks_the_il17_inhibitors_with_their_xb_rule() -> None:
    assert DRUGS["secukinumab"].atc == "L04AC10"
    assert DRUGS["bimekizumab"].atc == "L04AC21"
    assert (DRUGS["secukinumab"].rule_id, DRUGS["bimekizumab"].rule_id) == ("XB-1", "XB-2")
    assert not any(d.rule_id.startswith("XB") for d in DRUGS.values() if d.in_guideline)
    entry = describe(DRUGS["bimekizumab"], "nb")
    assert entry["rule_id"] == "XB-2"
    assert str(entry["dosing"]).startswith("Utover NFDV-retningslinjen (2019), XB-2")


@given(
    drug=st.sampled_from(["adalimumab", "infliximab", "secukinumab", "bimekizumab"]),
    age=st.integers(min_value=12, max_value=90),
    weight=st.one_of(st.none(), st.integers(min_value=30, max_value=200)),
    until=st.integers(min_value=0, max_value=104),
)
def test_tx7_tx11_xb1_xb2_calendar_weeks_strictly_increase(
    drug: str, age: int, weight: int | None, until: int
) -> None:
    """Property: every maintenance option's unrolled calendar has strictly increasing weeks,
    starts at week 0, and holds only positive doses."""
    birth = f"{int(AS_OF[:4]) - age}-01-01"  # ``age`` on AS_OF
    history = resolve(
        parse_case(
            case(
                patient={"birth_date": birth, "weight_kg": weight},
                treatments=[{"drug": drug, "start": "2026-01-01"}],
            )
        ),
        date.fromisoformat(AS_OF),
    )
    result = biologic(history)
    assert result is not None
    for option in range(len(result.maintenance)):
        calendar = doses(result, option=option, until_week=until)
        weeks = [dose.week for dose in calendar]
        assert weeks == sorted(set(weeks))
        assert weeks[0] == 0
        assert all(dose.dose_mg > 0 for dose in calendar)
        assert all(0 < b - a <= 8 for a, b in pairwise(weeks))
