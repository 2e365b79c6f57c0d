"""Who sees and decides an H-resept delegation (TX-6): the practice that asked and the
department it was sent to; another unit, or another region's department, gets "not found"
(logged as denied); the department's read of the delegated patient writes a READ row
{"via": "delegation"} that the patient's access log lists."""

from __future__ import annotations

import pytest
from django.urls import reverse

from hsreg.accounts.models import Role
from hsreg.accounts.services import create_user
from hsreg.audit.models import Action, AuditEvent, Outcome
from hsreg.delegations.models import Delegation, DelegationStatus
from hsreg.delegations.services import request_delegation
from tests.registry.conftest import PASSWORD

from .conftest import actor

pytestmark = pytest.mark.django_db


@pytest.fixture
def delegation(patient, specialist):
    return request_delegation(actor=actor(specialist), patient=patient, drug="adalimumab")


def test_the_practice_requests_from_the_patient_page_with_the_tx6_summary(
    patient, specialist, doctor, client_of
):
    client = client_of(specialist)
    page = client.get(reverse("patients:detail", kwargs={"patient_id": patient.pk}))
    link = reverse("delegations:request", kwargs={"patient_id": patient.pk})
    assert link in page.content.decode()
    form = client.get(link)
    html = form.content.decode()
    assert form.status_code == 200
    assert 'id="eligibility-summary"' in html
    assert "TX-6" in html
    assert 'data-criterion="C0"' in html
    response = client.post(link, {"drug": "adalimumab"})
    delegation = Delegation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "delegations:detail", kwargs={"delegation_id": delegation.pk}
    )
    again = client.post(link, {"drug": "adalimumab"})
    assert again.status_code == 400
    assert "already pending" in again.content.decode() or "allerede" in again.content.decode()


def test_a_bad_drug_is_shown_on_its_field(patient, specialist, doctor, client_of):
    link = reverse("delegations:request", kwargs={"patient_id": patient.pk})
    response = client_of(specialist).post(link, {"drug": "doxycycline"})
    assert response.status_code == 400
    assert 'data-field="drug"' in response.content.decode()
    assert not Delegation.objects.exists()


def test_a_hospital_unit_sees_no_request_link_and_cannot_send(department, doctor, client_of):
    from hsreg.patients.services import register_patient
    from tests.registry.conftest import make_number

    own = register_patient(
        unit=department, national_id=make_number(40), first_name="Ola", last_name="Dahl"
    )
    client = client_of(doctor)
    page = client.get(reverse("patients:detail", kwargs={"patient_id": own.pk}))
    assert 'id="delegation-link"' not in page.content.decode()
    link = reverse("delegations:request", kwargs={"patient_id": own.pk})
    response = client.post(link, {"drug": "adalimumab"})
    assert response.status_code == 400
    assert not Delegation.objects.exists()


def test_the_department_sees_the_request_on_its_worklist_and_decides(delegation, doctor, client_of):
    client = client_of(doctor)
    menu = client.get(reverse("delegations:index"))
    html = menu.content.decode()
    assert 'id="menu-delegations"' in html
    assert f'data-delegation="{delegation.pk}"' in html
    detail = reverse("delegations:detail", kwargs={"delegation_id": delegation.pk})
    assert 'id="approve-form"' in client.get(detail).content.decode()
    refused = client.post(
        reverse("delegations:reject", kwargs={"delegation_id": delegation.pk}), {"reason": ""}
    )
    assert refused.status_code == 400
    assert 'data-field="reason"' in refused.content.decode()
    response = client.post(
        reverse("delegations:approve", kwargs={"delegation_id": delegation.pk}),
        {"valid_until": ""},
    )
    assert response.status_code == 302
    delegation.refresh_from_db()
    assert delegation.status == DelegationStatus.APPROVED


@pytest.mark.parametrize("who", ["other_department", "other_practice", "hospital"])
def test_another_unit_cannot_see_or_decide(delegation, patient, client_of, who, request):
    if who == "hospital":
        from hsreg.units.models import Unit

        unit = Unit.objects.create(
            resh_id=4203472, name="Hudavdelingen, Stavanger", health_trust="SUS", region="vest"
        )
    else:
        unit = request.getfixturevalue(who)
    outsider = create_user(
        username=f"x-{who}", password=PASSWORD, units=[unit], role=Role.UNIT_LEADER
    )
    client = client_of(outsider)
    for name, method in [
        ("delegations:detail", "get"),
        ("delegations:patient", "get"),
        ("delegations:approve", "post"),
        ("delegations:reject", "post"),
        ("delegations:withdraw", "post"),
        ("delegations:renew", "post"),
    ]:
        url = reverse(name, kwargs={"delegation_id": delegation.pk})
        before = AuditEvent.objects.filter(outcome=Outcome.DENIED).count()
        response = getattr(client, method)(url, {"reason": "x"})
        assert response.status_code == 404, name
        assert "Nordmann" not in response.content.decode()
        assert AuditEvent.objects.filter(outcome=Outcome.DENIED).count() == before + 1
    index = client.get(reverse("delegations:index")).content.decode()
    assert f'data-delegation="{delegation.pk}"' not in index
    delegation.refresh_from_db()
    assert delegation.status == DelegationStatus.PENDING


def test_the_practice_cannot_read_the_department_summary_page(delegation, specialist, client_of):
    url = reverse("delegations:patient", kwargs={"delegation_id": delegation.pk})
    assert client_of(specialist).get(url).status_code == 404


def test_the_departments_read_is_logged_and_in_the_patients_access_log(
    delegation, patient, practice, doctor, client_of
):
    url = reverse("delegations:patient", kwargs={"delegation_id": delegation.pk})
    response = client_of(doctor).get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nordmann" in html
    assert "TX-6" in html
    assert 'id="eligibility-summary"' in html
    row = AuditEvent.objects.get(target="delegated patient summary")
    assert (row.action, row.outcome, row.patient_id) == (Action.READ, Outcome.OK, patient.pk)
    assert row.detail == {"via": "delegation", "delegation": delegation.pk}
    assert row.unit_id == delegation.department_id
    leader = create_user(
        username="praksisleder", password=PASSWORD, units=[practice], role=Role.UNIT_LEADER
    )
    log_page = client_of(leader).get(reverse("audit:access_log", kwargs={"patient_id": patient.pk}))
    assert row in log_page.context["events"]
    assert "delegated patient summary" in log_page.content.decode()


def test_a_decided_rejection_closes_the_summary_to_the_department(delegation, doctor, client_of):
    Delegation.objects.filter(pk=delegation.pk).update(status=DelegationStatus.REJECTED)
    url = reverse("delegations:patient", kwargs={"delegation_id": delegation.pk})
    assert client_of(doctor).get(url).status_code == 404


def test_the_coordinator_configures_a_regions_department(department, other_department, client_of):
    coordinator = create_user(
        username="koord", password=PASSWORD, units=[department], role=Role.COORDINATOR
    )
    client = client_of(coordinator)
    url = reverse("delegations:departments")
    assert client.get(url).status_code == 200
    wrong = client.post(url, {"region": "vest", "unit": other_department.pk})
    assert wrong.status_code == 400  # a unit of another region
    ok = client.post(url, {"region": "nord", "unit": other_department.pk})
    assert ok.status_code == 302
    assert AuditEvent.objects.filter(target="regional department nord").exists()
