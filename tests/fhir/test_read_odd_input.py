"""Odd input to every FHIR read route with a valid token (issue 14): odd ids, odd search
parameter values (GET and POST _search) and odd parameter names never give a 5xx: a 200, a
400 naming the parameter, or a 404, each an OperationOutcome when it is not a result."""

from __future__ import annotations

import json
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hsreg.fhir.read_views import KINDS
from hsreg.fhir.search import DATE_PREFIXES

pytestmark = pytest.mark.django_db

TYPES = [kind.type for kind in KINDS]
PARAMETERS = sorted({p for kind in KINDS for p in kind.parameters} | {"_count", "_offset"})
ODD = [
    "",
    " ",
    "\x00",
    "0",
    "-1",
    "9" * 40,
    "1e5",
    "²",
    "Patient/",
    "Patient/9999999999999999999999",
    "|",
    "||",
    "a|b|c",
    ",,,",
    "ge",
    "ge2026-02-30",
    "eq2026-1-1",
    "lt0000-01-01",
    "9999",
    "da-1-ihs4",
    "da-99999999999999999999-ihs4",
    "hs-0",
    "' OR 1=1 --",
    "%00",
    "ÆØÅ",
    "\u202e",
    "x" * 5000,
]
text = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
values = st.one_of(
    st.sampled_from(ODD),
    text,
    st.builds(lambda p, t: p + t, st.sampled_from(DATE_PREFIXES), text),
)
SETTINGS = settings(
    max_examples=60,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def check(response, *, routed: bool = True) -> None:
    """Never a 5xx; a FHIR answer on every route (an id with a ``/`` in it matches no route:
    Django's own 404)."""
    assert response.status_code < 500, response.content[:300]
    if response.status_code != 200 and routed:
        assert response.status_code in (400, 404), response.status_code
        found = json.loads(response.content)
        assert found["resourceType"] == "OperationOutcome"


@pytest.mark.parametrize("type_name", TYPES)
@pytest.mark.parametrize("odd", ODD)
def test_odd_ids(api, world, type_name, odd):
    if not odd.strip("/"):
        pytest.skip("an empty id is the type's search")
    check(api.get(f"/fhir/{type_name}/{quote(odd, safe='')}"), routed="/" not in odd)


@pytest.mark.parametrize("odd", ODD)
def test_odd_everything_ids(api, world, odd):
    if not odd:
        pytest.skip("no id: another route")
    check(api.get(f"/fhir/Patient/{quote(odd, safe='')}/$everything"), routed="/" not in odd)


@pytest.mark.parametrize("type_name", TYPES)
@pytest.mark.parametrize("parameter", PARAMETERS)
def test_every_odd_value_of_every_parameter(api, world, type_name, parameter):
    for odd in ODD:
        check(api.get(f"/fhir/{type_name}?{urlencode({parameter: odd})}"))


@SETTINGS
@given(
    type_name=st.sampled_from(TYPES),
    query=st.lists(st.tuples(st.sampled_from([*PARAMETERS, "x", "_sort"]), values), max_size=4),
    post=st.booleans(),
)
def test_odd_searches(api, world, type_name, query, post):
    if post:
        response = api.post(
            f"/fhir/{type_name}/_search",
            urlencode(query),
            content_type="application/x-www-form-urlencoded",
        )
    else:
        response = api.get(f"/fhir/{type_name}?{urlencode(query)}")
    check(response)


@SETTINGS
@given(type_name=st.sampled_from(TYPES), odd=text.filter(lambda t: t.strip("/.") != ""))
def test_odd_generated_ids(api, world, type_name, odd):
    check(api.get(f"/fhir/{type_name}/{quote(odd, safe='')}"), routed="/" not in odd)
