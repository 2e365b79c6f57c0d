"""Odd text in the patient search finds nobody instead of answering 500 (issue 11 point 9):
digits other than 0-9 (``²``: ``str.isdigit`` accepts it, ``int`` refused it), a NUL byte
(PostgreSQL refuses it in text) and registry ids longer than 4,300 digits (``int`` refuses
them). Run on SQLite and on PostgreSQL (HSREG_TEST_DB=postgresql)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from hsreg.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

ODD = [
    "²",
    "#²",
    "1²3",
    "١٢٣",  # Arabic-Indic digits
    "٣" * 11,  # eleven of them: not a national id number either
    "Nord\x00mann",
    "\x00",
    "#\x00",
    "9" * 5000,
    "#" + "9" * 5000,
    "9" * 20,
]


@pytest.mark.parametrize("query", ODD, ids=range(len(ODD)))
def test_odd_search_text_finds_nobody_and_never_fails(client_in, patient, query):
    response = client_in.get(reverse("patients:search"), {"q": query})
    assert response.status_code == 200
    assert response.context["patients"] == []
    assert not AuditEvent.objects.filter(target="search").exclude(patient_id=patient.pk).exists()


def test_the_usual_searches_still_find_the_patient(client_in, patient):
    padded = "0" * 30 + str(patient.pk)  # leading zeros are no longer than a registry id
    for query in (patient.national_id, f"#{patient.pk}", padded, "Nord", "kari nord"):
        response = client_in.get(reverse("patients:search"), {"q": query})
        assert [p.pk for p in response.context["patients"]] == [patient.pk], query
