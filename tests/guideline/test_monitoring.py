"""MO-1..3: DLQI, the HiSCR baseline Reading, change from baseline, and the XS scores as the
evaluation reports them."""

from __future__ import annotations

from .builders import as_json, case, evaluated, texts, visit

DOXY = {
    "drug": "doxycycline",
    "start": "2025-09-01",
    "end": "2025-12-01",
    "stop_reason": "remission",
}
ADA = {"drug": "adalimumab", "start": "2026-01-10", "regimen": "weekly_40"}


def test_mo1a_dlqi_of_the_latest_assessment_from_its_items() -> None:
    items = [3, 2, 2, 1, 2, 1, 3, 2, 1, None]
    result = as_json(case(assessments=[visit("2026-05-01", dlqi_items=items)]))
    assert result["dlqi"]["score"] == 17
    assert result["dlqi"]["band"] == "very_large"
    assert result["dlqi"]["label"] == "very large effect on the patient's life"


def test_mo1a_dlqi_all_3_is_extremely_large() -> None:
    result = as_json(case(assessments=[visit("2026-05-01", dlqi_items=[3] * 10)]), "en")
    assert (result["dlqi"]["score"], result["dlqi"]["band"]) == (30, "extremely_large")
    assert result["dlqi"]["label"] == "extremely large effect on the patient's life"
    nb = as_json(case(assessments=[visit("2026-05-01", dlqi_items=[3] * 10)]), "nb")
    assert nb["dlqi"]["label"] == "ekstremt stor effekt på pasientens liv"


def test_mo1a_two_unanswered_items_leave_the_dlqi_unscored() -> None:
    items = [3, None, None, 1, 2, 1, 3, 2, 1, 0]
    result = evaluated(case(assessments=[visit("2026-05-01", dlqi_items=items)]))
    assert result.dlqi.score is None


def test_mo2_reading_baseline_is_the_latest_assessment_on_or_before_the_biologic_start() -> None:
    document = case(
        assessments=[
            visit("2025-08-01", 20, 5, 2),
            visit("2026-01-03", 10, 4, 2),
            visit("2026-01-10", 8, 4, 2),  # on the start date: still the baseline
            visit("2026-04-10", 4, 2, 1),
        ],
        treatments=[DOXY, ADA],
    )
    hiscr = evaluated(document).hiscr
    assert (str(hiscr.baseline_date), hiscr.baseline_basis) == ("2026-01-10", "biologic_start")
    assert (hiscr.baseline_an, hiscr.an, hiscr.an_reduction_pct) == (12, 6, 50.0)
    assert hiscr.achieved is True


def test_mo2_reading_without_a_biologic_the_most_recent_systemic_course() -> None:
    document = case(
        assessments=[visit("2025-06-01", 30, 5, 2), visit("2025-08-20", 10, 2, 1),
                     visit("2026-01-01", 4, 1, 1)],
        treatments=[DOXY, {"drug": "clindamycin_topical", "start": "2025-12-01"}],
    )  # fmt: skip
    hiscr = evaluated(document).hiscr
    assert (str(hiscr.baseline_date), hiscr.baseline_basis) == ("2025-08-20", "systemic_start")
    assert hiscr.achieved is True


def test_mo2_reading_without_a_course_the_first_assessment() -> None:
    document = case(assessments=[visit("2026-03-01", 4, 2, 0), visit("2026-01-01", 6, 2, 0)])
    result = as_json(document)
    assert (result["hiscr"]["baseline_date"], result["hiscr"]["baseline_basis"]) == (
        "2026-01-01",
        "first_assessment",
    )
    assert result["hiscr"]["achieved"] is False  # AN 8 → 6: 25 %
    assert any("Reading: the baseline is the first assessment" in t for t in texts(result, "MO-2"))


def test_mo2_reading_biologic_started_before_any_assessment_falls_back() -> None:
    document = case(
        assessments=[visit("2026-02-01", 10, 2, 0), visit("2026-05-01", 2, 1, 0)],
        treatments=[ADA],
    )
    hiscr = evaluated(document).hiscr
    assert (str(hiscr.baseline_date), hiscr.baseline_basis) == ("2026-02-01", "first_assessment")
    assert hiscr.achieved is True


def test_mo2_planned_course_does_not_move_the_baseline() -> None:
    planned = {"drug": "adalimumab", "start": "2026-07-01"}
    document = case(assessments=[visit("2026-01-01", 8, 0, 0), visit("2026-05-01", 4, 0, 0)],
                    treatments=[planned])  # fmt: skip
    assert evaluated(document).hiscr.baseline_basis == "first_assessment"


def test_mo2_no_assessment_after_the_baseline_is_null() -> None:
    result = as_json(case(assessments=[visit("2026-01-03", 10, 4, 2)], treatments=[ADA]))
    assert result["hiscr"]["achieved"] is None
    assert "HiSCR needs an assessment after the baseline; there is none." in texts(result, "MO-2")


def test_mo2_reading_baseline_an_0_is_null_with_its_reason() -> None:
    document = case(assessments=[visit("2026-01-01", 0, 0, 2), visit("2026-05-01", 1, 0, 0)])
    result = as_json(document)
    assert result["hiscr"]["achieved"] is None
    assert result["hiscr"]["hiscr75"] is None
    assert "Reading: the AN count at baseline is 0, so HiSCR is not evaluable." in texts(
        result, "MO-2"
    )


def test_mo3_hiscr_is_asked_for_every_patient_on_a_biologic() -> None:
    on_biologic = as_json(case(assessments=[visit("2026-01-03", 10, 4, 2)], treatments=[ADA]))
    assert texts(on_biologic, "MO-3")
    not_on_biologic = as_json(case(assessments=[visit("2026-01-03", 10, 4, 2)]))
    assert not texts(not_on_biologic, "MO-3")


def test_xs1_hiscr75_and_90_in_the_evaluation() -> None:
    # AN 20 → 3: 85 %; AN 20 → 2: exactly 90 %.
    document = case(assessments=[visit("2026-01-01", 16, 4, 1), visit("2026-05-01", 2, 1, 1)])
    hiscr = evaluated(document).hiscr
    assert (hiscr.an_reduction_pct, hiscr.achieved, hiscr.hiscr75, hiscr.hiscr90) == (
        85.0, True, True, False,
    )  # fmt: skip
    document["assessments"][1]["nodules"] = 1
    assert evaluated(document).hiscr.hiscr90 is True


def test_xs2_ihs4_55_in_the_evaluation() -> None:
    document = case(assessments=[visit("2026-01-01", 10, 3, 2), visit("2026-05-01", 4, 1, 1)])
    result = evaluated(document).ihs4_55
    assert (result.baseline, result.current, result.achieved) == (24, 10, True)


def test_xs4_nrs30_in_the_evaluation() -> None:
    document = case(
        assessments=[visit("2026-01-01", pain_vas=8), visit("2026-05-01", pain_vas=5.5)]
    )
    pain = evaluated(document).pain
    assert (pain.baseline, pain.score, pain.nrs30) == (8, 5.5, True)


def test_xs5_hs_pga_of_the_latest_assessment() -> None:
    document = case(assessments=[visit("2026-05-01", 0, 0, 0, non_inflammatory_nodules=3)])
    assert evaluated(document).hs_pga.category == "minimal"


def test_mo1_change_from_baseline_in_every_measure() -> None:
    document = case(
        assessments=[
            visit("2026-01-01", 10, 3, 2, hurley=3, dlqi=21, pain_vas=7.5),
            visit("2026-05-01", 4, 1, 1, hurley=2, dlqi=9, pain_vas=3),
        ]
    )
    change = as_json(document)["change"]
    assert change["ihs4"] == {"baseline": 24, "current": 10, "change": -14}
    assert change["an_count"] == {"baseline": 13, "current": 5, "change": -8}
    assert change["hurley"] == {"baseline": 3, "current": 2, "change": -1}
    assert change["dlqi"] == {"baseline": 21, "current": 9, "change": -12}
    assert change["pain_vas"] == {"baseline": 7.5, "current": 3, "change": -4.5}
    assert change["sartorius"]["change"] is None
    assert any("Hurley/IHS4, Sartorius and/or HiSCR, pain VAS and DLQI" in t
               for t in texts(as_json(document), "MO-1"))  # fmt: skip


def test_mo2_an_increase_is_worded_as_an_increase() -> None:
    document = case(assessments=[visit("2026-01-01", 2, 0, 0), visit("2026-05-01", 5, 0, 0)])
    result = as_json(document)
    assert result["hiscr"]["an_reduction_pct"] == -150.0
    assert any("AN 2 → 5 (150 % increase" in t for t in texts(result, "MO-2"))
    nb = as_json(document, "nb")
    assert any("AN 2 → 5 (150 % økning" in t for t in texts(nb, "MO-2"))
