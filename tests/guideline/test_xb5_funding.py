"""XB-5: each biologic's funding status (Nye metoder) is data: the catalog's default as of
January 2026, which the case document's ``funding_status`` (the registry coordinator's table)
overrides, shown beside every biologic option."""

from __future__ import annotations

from typing import get_args

import pytest

from hsreg.guideline import evaluate
from hsreg.guideline.case import case_json_schema
from hsreg.guideline.catalog import (
    BIOLOGICS,
    DEFAULT_FUNDING,
    DRUGS,
    FUNDING_STATUS_NAMES,
    FundingStatus,
    describe,
)
from hsreg.guideline.problems import CaseError

from .builders import as_json, case, eligible_case, texts, visit


def test_xb5_default_as_of_january_2026() -> None:
    assert DEFAULT_FUNDING == {
        "adalimumab": "approved",
        "infliximab": "approved",
        "secukinumab": "not_approved",
        "bimekizumab": "not_approved",
    }
    assert set(DEFAULT_FUNDING) == set(BIOLOGICS)
    assert set(FUNDING_STATUS_NAMES) == set(get_args(FundingStatus))


def test_xb5_recommendation_options_carry_the_funding_status_of_each_biologic() -> None:
    recommendation = evaluate(eligible_case()).recommendation
    assert recommendation.options == ("adalimumab", "surgery")
    assert recommendation.funding_status == {"adalimumab": "approved", "surgery": None}
    result = as_json(eligible_case())
    assert result["recommendation"]["funding_status"] == {"adalimumab": "approved", "surgery": None}
    (text,) = texts(result, "XB-5", "recommendation")
    assert (
        "Funding (XB-5, beyond the NFDV guideline (2019); Nye metoder, default as of January 2026"
        in text
    )
    assert text.endswith("Adalimumab approved for HS in the specialist health service.")


def test_xb5_non_biologic_options_have_none_and_no_funding_text() -> None:
    document = case(assessments=[visit("2026-05-25", 1, 0, 0, hurley=1)])
    recommendation = evaluate(document).recommendation
    assert recommendation.options
    assert set(recommendation.funding_status.values()) == {None}
    assert texts(as_json(document), "XB-5") == []


def test_xb5_the_case_document_overrides_the_default_per_drug() -> None:
    document = eligible_case(funding_status={"secukinumab": "approved",
                                             "adalimumab": "under_review"})  # fmt: skip
    evaluation = evaluate(document)
    assert evaluation.recommendation.funding_status["adalimumab"] == "under_review"
    funding = {o.drug: o.funding_status for o in evaluation.beyond_guideline.options}
    assert funding == {"secukinumab": "approved", "bimekizumab": "not_approved"}


@pytest.mark.parametrize(
    ("funding", "path", "message"),
    [
        ({"doxycycline": "approved"}, "funding_status.doxycycline", "must be a biologic"),
        ({"nodrug": "approved"}, "funding_status.nodrug", "must be a biologic"),
        ({"secukinumab": "yes"}, "funding_status.secukinumab", "must be one of: approved"),
        (["secukinumab"], "funding_status", "must be an object"),
    ],
)
def test_xb5_bad_funding_status_names_the_field(funding: object, path: str, message: str) -> None:
    with pytest.raises(CaseError) as raised:
        evaluate(eligible_case(funding_status=funding))
    ((where, why),) = [(p.path, p.message) for p in raised.value.problems]
    assert where.startswith(path)
    assert why.startswith(message)


def test_xb5_schema_lists_the_biologics_and_statuses() -> None:
    schema = case_json_schema()
    field = schema["properties"]["funding_status"]
    assert field["propertyNames"]["enum"] == list(BIOLOGICS)
    assert set(field["additionalProperties"]["enum"]) == set(get_args(FundingStatus))


def test_xb5_the_catalog_lists_the_default_beside_each_biologic() -> None:
    assert describe(DRUGS["bimekizumab"], "en")["funding_status"] == "not_approved"
    assert describe(DRUGS["adalimumab"], "nb")["funding_status"] == "approved"
    assert describe(DRUGS["doxycycline"], "en")["funding_status"] is None
