"""The role × view matrix (accounts.access.ACCESS) walked over every URL of hsreg, for every
role, and unit isolation on every route that names a patient (issue 4 points 2 and 3; RG-2).

The routes are read from Django's URL resolver, not listed here, so a new page is covered the
day it is added - and fails here until its line is in ACCESS.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, path, reverse
from django.utils import timezone

from hsreg.accounts.access import ACCESS, API_CLIENT, ONE_FACTOR, PUBLIC, SIGNED_IN
from hsreg.accounts.login import SCRIPT_VIEWS
from hsreg.accounts.models import Membership, Role
from hsreg.accounts.services import create_user
from hsreg.assessments.models import DoctorAssessment
from hsreg.audit.models import Action, AuditEvent, Outcome
from hsreg.config import urls
from hsreg.patients.services import register_patient
from hsreg.records.services import save_record
from hsreg.units.models import Unit
from hsreg.worklists.models import DueItem, DueKind
from tests.registry.conftest import PASSWORD, make_number
from tests.signin import sign_in

pytestmark = pytest.mark.django_db


def routes(patterns=None, prefix: str = "") -> Iterator[tuple[str, list[str]]]:
    """(URL name, its keyword arguments) of every named route."""
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            namespace = f"{prefix}{p.namespace}:" if p.namespace else prefix
            for name, kwargs in routes(p.url_patterns, namespace):
                yield name, [*p.pattern.converters, *kwargs]
        elif isinstance(p, URLPattern) and p.name:
            yield f"{prefix}{p.name}", list(p.pattern.converters)


ALL_ROUTES = sorted({(name, tuple(kwargs)) for name, kwargs in routes()})


def test_every_route_has_a_rule_and_every_rule_a_route():
    names = {name for name, _ in ALL_ROUTES}
    assert sorted(names - ACCESS.keys()) == []  # a page nobody decided about
    assert sorted(ACCESS.keys() - names) == []  # a rule for a page that is gone


@pytest.fixture
def world(unit, other_unit):
    """A patient with a finished assessment at ``unit``, another at ``other_unit``, and one
    user per role at ``unit``."""

    def patient_at(u, n):
        patient = register_patient(
            unit=u, national_id=make_number(n), first_name="Kari", last_name=f"Test{n}"
        )
        record = DoctorAssessment(patient=patient, unit=u, date=patient.registered_at.date())
        save_record(record=record, actor=None, finish=False)
        return patient, record

    mine, my_record = patient_at(unit, 1)
    theirs, their_record = patient_at(other_unit, 2)
    users = {}
    for role in Role:
        user = create_user(username=f"u-{role}", password=PASSWORD, units=[unit])
        Membership.objects.filter(user=user).update(role=role)
        users[role] = user
    return {
        "mine": (mine, my_record),
        "theirs": (theirs, their_record),
        "users": users,
    }


def url_for(name: str, kwargs: tuple[str, ...], patient, record) -> str:
    values = {
        "patient_id": patient.pk,
        "record_id": record.pk,
        "kind": "doctor-assessment",
        "name": "evaluations",
        "pk": 1,  # an application (accounts): the rule decides before the lookup
        "user_id": 1,  # a member of the unit (accounts): the rule decides before the lookup
        "resh_id": record.unit_id,  # the unit of my patient's form (units)
        "indicator_id": "hisreg_reduksjon_ihs4",  # reports
        "chart": "indicator-hisreg_reduksjon_ihs4",
        "fmt": "csv",
        "run_id": "00000000-0000-0000-0000-000000000000",  # an annual report run (reports)
        "token": "no-such-link",  # the patient's pages (questionnaires): an unknown link
        "invitation_id": 1,  # an invitation (questionnaires): the rule decides before the lookup
        "index": 1,
        "delegation_id": 1,  # an H-resept delegation (TX-6): none, so not found for every unit
        "qid": "dlqi",  # a FHIR Questionnaire (public)
        "client_id": "no-such-client",  # an API client (coordinator): the rule decides first
        "service_id": "hsreg-patient-view",  # a CDS Hooks service (a signed JWT, issue 14)
        # a FHIR resource (issue 14): the public CodeSystem opens; the rest need a token
        "resource_id": "hsreg-observation",
        "rest": "Encounter",  # any other path under /fhir/: FHIR's 404
    }
    missing = set(kwargs) - values.keys()
    assert not missing, f"{name}: teach this test a value for {missing}"
    return reverse(name, kwargs={k: values[k] for k in kwargs})


@pytest.mark.parametrize("role", list(Role))
def test_each_role_opens_exactly_the_pages_of_its_rule(world, role):
    client = sign_in(Client(), world["users"][role])
    patient, record = world["mine"]
    for name, kwargs in ALL_ROUTES:
        if name == "logout":
            continue  # would end this client's session for the routes after it
        rule = ACCESS[name]
        response = client.get(url_for(name, kwargs, patient, record))
        if rule == API_CLIENT:  # a system's bearer token, never a session (issue 14)
            assert response.status_code in (401, 405), name
            continue
        opens = rule in (PUBLIC, ONE_FACTOR, SIGNED_IN) or role in rule
        assert response.status_code < 500, name
        if opens:
            assert response.status_code != 403, f"{role} should open {name}"
        else:
            assert response.status_code == 403, f"{role} must not open {name}"


def test_without_a_login_every_page_but_the_public_ones_sends_to_the_login(world):
    client = Client()
    patient, record = world["mine"]
    for name, kwargs in ALL_ROUTES:
        response = client.get(url_for(name, kwargs, patient, record))
        if name.startswith("patient:") or name == "fhir:unknown":
            # no login; an unknown link (or FHIR path) is a neutral 404
            assert response.status_code in (200, 302, 404, 405), name
        elif ACCESS[name] == PUBLIC:
            assert response.status_code in (200, 302, 405), name
        elif ACCESS[name] == API_CLIENT:  # no bearer token: 401 (or 405 for a GET)
            assert response.status_code in (401, 405), name
        elif name in SCRIPT_VIEWS:  # a script's request: 401 in JSON (issue 12)
            assert response.status_code == 401, name
            assert response.json()["error"] == "session_expired", name
        else:
            assert response.status_code == 302, name
            assert response["Location"].startswith("/login/"), name


def test_with_a_password_but_no_second_factor_no_patient_data_is_reachable(world):
    """A user who has given their password but no code reaches only the one-factor pages."""
    client = Client()
    client.force_login(world["users"][Role.REGISTRAR])
    patient, record = world["mine"]
    for name, kwargs in ALL_ROUTES:
        if ACCESS[name] in (PUBLIC, ONE_FACTOR):
            continue
        response = client.get(url_for(name, kwargs, patient, record))
        assert "Kari" not in response.content.decode()
        if ACCESS[name] == API_CLIENT:  # a session opens nothing there (issue 14)
            assert response.status_code in (401, 405), name
            continue
        if name in SCRIPT_VIEWS:  # a script's request: 401 in JSON (issue 12)
            assert response.status_code == 401, name
            continue
        assert response.status_code == 302, name
        assert "/login/" not in response["Location"]  # to the second-factor step instead


@pytest.mark.parametrize("role", [Role.REGISTRAR, Role.UNIT_LEADER])
def test_another_units_patient_is_not_found_on_every_route(world, role):
    """Every route that names a patient answers 404 for a patient of another unit, also when
    the id of the other unit's form is guessed, and logs the attempt as denied."""
    client = sign_in(Client(), world["users"][role])
    theirs, their_record = world["theirs"]
    mine, _ = world["mine"]
    patient_routes = [(n, k) for n, k in ALL_ROUTES if "patient_id" in k and role in ACCESS[n]]
    assert len(patient_routes) >= 7  # the patient page, the forms, the access log
    for name, kwargs in patient_routes:
        for method in ("get", "post"):
            before = AuditEvent.objects.filter(outcome=Outcome.DENIED).count()
            response = getattr(client, method)(url_for(name, kwargs, theirs, their_record))
            if response.status_code == 405:
                continue
            assert response.status_code == 404, f"{method} {name}"
            assert "Test2" not in response.content.decode()
            denied = AuditEvent.objects.filter(outcome=Outcome.DENIED)
            assert denied.count() == before + 1, f"{method} {name}"
            assert denied.first().patient_id == theirs.pk
        # the other unit's form through my own patient's URL: still not found
        if "record_id" in kwargs:
            response = client.get(url_for(name, kwargs, mine, their_record))
            assert response.status_code in (404, 405), name


def view_not_in_the_table(request):
    from django.http import HttpResponse

    return HttpResponse("should never be seen")


urlpatterns = [path("unlisted/", view_not_in_the_table, name="unlisted"), *urls.urlpatterns]


@override_settings(ROOT_URLCONF=__name__)
def test_a_route_missing_from_the_table_is_denied_for_everyone(world):
    """Fail closed: a page added without its line in ACCESS opens for no role."""
    for role in Role:
        response = sign_in(Client(), world["users"][role]).get("/unlisted/")
        assert response.status_code == 403
    assert Client().get("/unlisted/").status_code == 403
    assert AuditEvent.objects.filter(action=Action.DENIED, target="unlisted").exists()


@pytest.mark.parametrize("name", ["evaluations", "labs", "followups", "screening"])
def test_worklists_never_list_another_units_patients(world, name):
    """A due item of another unit's patient is not on this unit's lists, nor counted."""
    kinds = {
        "evaluations": DueKind.WEEK_12,
        "labs": DueKind.LAB,
        "followups": DueKind.FOLLOWUP_3,
        "screening": DueKind.SCREENING,
    }
    today = timezone.localdate()
    for patient, _ in (world["mine"], world["theirs"]):
        DueItem.objects.create(
            patient=patient,
            kind=kinds[name],
            opens_on=today - timedelta(days=3),
            due_on=today + timedelta(days=3),
            rule_id="TX-9",
        )
    client = sign_in(Client(), world["users"][Role.REGISTRAR])
    page = client.get(reverse("worklists:list", kwargs={"name": name}))
    assert page.status_code == 200
    listed = [item.patient_id for item in page.context["items"]]
    assert listed == [world["mine"][0].pk]
    counts = {n: count for n, _, count in client.get(reverse("worklists:index")).context["lists"]}
    assert counts[name] == 1


def test_the_role_follows_the_unit_chosen(world, unit, other_unit):
    """A user with several units works with the role of the one chosen now: registrar at one
    unit, reporting only at the other, they see patients only while the first is current."""
    user = world["users"][Role.REGISTRAR]
    Membership.objects.create(user=user, unit=other_unit, role=Role.REPORTING)
    client = sign_in(Client(), user)
    mine = reverse("patients:detail", kwargs={"patient_id": world["mine"][0].pk})
    assert client.get(mine).status_code == 200
    client.post(reverse("accounts:choose_unit"), {"unit": other_unit.pk})
    assert client.get(mine).status_code == 403
    assert client.get(reverse("patients:search")).status_code == 403
    client.post(reverse("accounts:choose_unit"), {"unit": unit.pk})
    assert client.get(mine).status_code == 200
    # a unit the user is not a member of cannot be chosen
    stranger = Unit.objects.create(resh_id=1234, name="Annen", health_trust="X", region="midt")
    assert client.post(reverse("accounts:choose_unit"), {"unit": stranger.pk}).status_code == 404


def test_a_user_without_a_role_at_a_current_unit_opens_no_role_page(world, other_unit):
    """Fail closed for an unknown role: a user with no unit, or with several and none chosen,
    has no role, and every page that needs one is refused."""
    nobody = create_user(username="uten-enhet", password=PASSWORD, units=[])
    torn = create_user(
        username="to-enheter", password=PASSWORD, units=[world["mine"][0].units.get(), other_unit]
    )
    type(torn).objects.filter(pk=torn.pk).update(current_unit=None)
    patient, record = world["mine"]
    for user in (nobody, torn):
        client = sign_in(Client(), user)
        for name, kwargs in ALL_ROUTES:
            if isinstance(ACCESS[name], frozenset):
                response = client.get(url_for(name, kwargs, patient, record))
                assert response.status_code == 403, (user.username, name)


# --- shared patients (issue 11 point 1) ----------------------------------------------------------

SHARED_WORD = "DELT-HEMMELIG"  # only in the other unit's forms


@pytest.fixture
def shared(world, unit, other_unit):
    """The other unit's patient ("theirs", with a finished and a draft form holding
    SHARED_WORD) enrolled at ``unit`` too, for a referral, and a finished form of ``unit``."""
    theirs, _ = world["theirs"]
    register_patient(
        unit=unit,
        national_id=theirs.national_id,
        first_name="Kari",
        last_name="Test2",
        care_relationship="referral",
    )
    day = theirs.registered_at.date()
    finished = save_record(
        record=DoctorAssessment(patient=theirs, unit=other_unit, date=day, comment=SHARED_WORD),
        actor=None,
        finish=True,
    )
    draft = save_record(
        record=DoctorAssessment(patient=theirs, unit=other_unit, date=day, comment=SHARED_WORD),
        actor=None,
        finish=False,
    )
    own = save_record(
        record=DoctorAssessment(patient=theirs, unit=unit, date=day), actor=None, finish=True
    )
    return {"patient": theirs, "finished": finished, "draft": draft, "own": own}


def _consent(patient, unit, user):
    from hsreg.accounts.actor import Actor
    from hsreg.patients.services import record_consent

    actor = Actor(user=user, unit=unit, role=Role.REGISTRAR, request_id="test")
    record_consent(actor=actor, patient=patient, reason="samtykke i konsultasjonen")


def _expected(name: str, record_key: str | None, consent: bool) -> set[int]:
    """The answers a clinical role of ``unit`` may get on a route naming the shared patient
    (and, for a form route, the other unit's finished form, its draft or the unit's own)."""
    if name == "questionnaires:response":
        return {404}  # a patient's report only: this world's forms are doctor's assessments
    if record_key is None or record_key == "own":
        return {200, 302, 405}  # its own forms and the patient page: as for any patient
    if name == "records:detail" and record_key == "finished" and consent:
        return {200}  # read-only, labelled with its unit
    return {404}  # the other unit's draft, or changing its forms, or reading without consent


@pytest.mark.parametrize("consent", [False, True], ids=["without-consent", "with-consent"])
@pytest.mark.parametrize("role", list(Role))
def test_every_route_naming_a_shared_patient_for_every_role(world, shared, unit, role, consent):
    """Every route that names a patient or a form, for every role at ``unit``, for a patient
    enrolled at both units: the clinical roles open the patient and their own forms, read the
    other unit's finished forms only with the patient's consent, never its drafts, and never
    change them (GET and POST); the other roles are refused by the table (403). The other
    unit's content never shows on a page it may not show."""
    user = world["users"][role]
    if consent:
        _consent(shared["patient"], unit, world["users"][Role.REGISTRAR])
    client = sign_in(Client(), user)
    patient = shared["patient"]
    patient_routes = [(n, k) for n, k in ALL_ROUTES if "patient_id" in k]
    assert len(patient_routes) >= 9
    # the consent's own routes last: withdrawing it changes what the others show
    patient_routes.sort(key=lambda route: route[0].startswith("patients:consent"))
    for name, kwargs in patient_routes:
        keys = ("finished", "draft", "own") if "record_id" in kwargs else (None,)
        for key in keys:
            record = shared[key] if key else shared["own"]
            url = url_for(name, kwargs, patient, record)
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                where = f"{role} {method} {name} {key} consent={consent}"
                assert response.status_code < 500, where
                if role not in (ACCESS[name] if isinstance(ACCESS[name], frozenset) else ()):
                    assert response.status_code == 403, where
                    continue
                if response.status_code == 405:
                    continue  # the method is refused before anything is read
                if name == "records:new" and method == "post":
                    continue  # a new form of the unit's own (a 400 for the empty form)
                assert response.status_code in _expected(name, key, consent) | {400}, where
                readable = name == "records:detail" and key == "finished" and consent
                if not readable and response.status_code != 302:
                    assert SHARED_WORD not in response.content.decode(), where
    # nothing of the other unit's changed
    assert DoctorAssessment.objects.get(pk=shared["finished"].pk).status == "finished"
    assert DoctorAssessment.objects.filter(pk=shared["draft"].pk).exists()
    assert not DoctorAssessment.objects.filter(replaces=shared["finished"]).exists()


# --- API clients (issue 14): a bearer token, never a session --------------------------------

#: the id of another unit's patient's resource, by FHIR read route (Organization: no patient
#: data, every unit is read)
API_READ_IDS = {
    "fhir:patient_read": "{patient}",
    "fhir:condition_read": "hs-{patient}",
    "fhir:observation_read": "da-{record}-ihs4",
    "fhir:everything": "{patient}",
    "fhir:questionnaireresponse_read": "{record}",
    "fhir:medicationstatement_read": "{record}",
    "fhir:procedure_read": "{record}",
}


def test_api_clients_read_only_their_units_patients_and_are_audited(world, unit, client):
    """For every API_CLIENT route: no token is a 401 (or 405 for a method the route has not);
    with a token of ``unit``'s client, another unit's patient is a 404 logged as denied, a
    search names none of their data, and my patient's read is a READ row of ``api-<name>``."""
    from hsreg.accounts.actor import system_actor
    from hsreg.apiclients.scopes import SCOPES
    from hsreg.apiclients.services import create_client
    from tests.apiclients.conftest import token_response

    found, secret = create_client(
        actor=system_actor(), unit=unit, name="matrix", scopes=" ".join(SCOPES)
    )
    token = token_response(client, found.client_id, secret).json()["access_token"]
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    mine, _my_record = world["mine"]
    theirs, their_record = world["theirs"]
    api_routes = [(n, k) for n, k in ALL_ROUTES if ACCESS[n] == API_CLIENT]
    assert len(api_routes) >= 22  # seven FHIR types x (search, _search, read), $everything
    for name, kwargs in api_routes:
        url = url_for(name, kwargs, theirs, their_record)
        for method in ("get", "post"):
            assert getattr(Client(), method)(url).status_code in (401, 405), f"{method} {name}"
        if name in API_READ_IDS:
            resource = API_READ_IDS[name].format(patient=theirs.pk, record=their_record.pk)
            url = reverse(name, kwargs={"resource_id": resource})
            before = AuditEvent.objects.filter(outcome=Outcome.DENIED).count()
            response = client.get(url, **bearer)
            assert response.status_code == 404, name
            assert "Test2" not in response.content.decode()
            assert response.json()["resourceType"] == "OperationOutcome"
            if "{patient}" in API_READ_IDS[name] or "da-" in API_READ_IDS[name]:
                # (their patient has no report, course or surgery: those ids are unknown)
                denied = AuditEvent.objects.filter(outcome=Outcome.DENIED)
                assert denied.count() == before + 1, name
                assert (denied.first().patient_id, denied.first().username) == (
                    theirs.pk,
                    "api-matrix",
                )
        elif name.startswith("fhir:") and name.endswith("_search"):
            # the unit's every Observation is searched within a date range (fhir)
            since = {"date": "ge1900-01-01"} if name == "fhir:observation_search" else {}
            response = client.get(reverse(name), {"_count": 200, **since}, **bearer)
            assert response.status_code == 200, name
            assert f"Patient/{theirs.pk}" not in response.content.decode(), name
            assert "Test2" not in response.content.decode(), name
    before = AuditEvent.objects.count()
    response = client.get(reverse("fhir:patient_read", args=[mine.pk]), **bearer)
    assert response.status_code == 200
    row = AuditEvent.objects.order_by("pk")[before:].get()
    assert (row.username, row.action, row.patient_id) == ("api-matrix", Action.READ, mine.pk)
