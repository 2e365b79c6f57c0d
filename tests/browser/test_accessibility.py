"""axe-core on the main pages, in real Chromium (issue 12, "Done when"): no serious or critical
violation on the login page, the patient search, the patient page, every registry form, the
worklists, the reports (index, an indicator, distributions, averages), the open results, the
audit pages and the coordinator's pages; and the patients' questionnaires (issue 13): the
clinic's pages (a patient's questionnaires, the unit's figures, the clinic tablet's code) and
the patient's own (birth date, a screen, review, thanks, the tablet's neutral screen, the
access log), at 1280 and 390 px.

axe-core comes from the npm registry, pinned, installed by ``.ci/run`` into build/axe (never
committed). Without it this test fails under CI (CI=1, set by ``.ci/run``) and otherwise skips
saying how to install it: ``npm install --prefix build/axe axe-core@4.11.1``.

The pages' Content-Security-Policy forbids injected scripts, as it should; only this test's
browser context bypasses it (Playwright's ``bypass_csp``) to add axe's script tag."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from django.utils import timezone

from hsreg.accounts.actor import system_actor
from hsreg.accounts.models import Membership, Role
from hsreg.accounts.services import create_user
from hsreg.apiclients.services import create_client
from hsreg.patients.models import Patient
from hsreg.questionnaires import services
from hsreg.records.kinds import KINDS
from hsreg.seeding.generator import generate
from hsreg.seeding.journey import Options
from hsreg.seeding.units import SHOWCASE, ensure_units
from hsreg.seeding.writer import write_chunk
from hsreg.treatments.models import DrugCourse
from hsreg.units.models import Unit
from hsreg.worklists.selectors import LISTS
from tests.signin import enrol_totp

from .conftest import PASSWORD, SCREENSHOTS, give_code
from .test_questionnaire_staff import patient_pages

pytestmark = pytest.mark.browser

AXE = Path(__file__).parents[2] / "build" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
INSTALL = "npm install --prefix build/axe axe-core@4.11.1"
#: the impacts this test refuses; "moderate" and "minor" are reported by axe but not refused
REFUSED = ("serious", "critical")


def axe_script() -> Path:
    if AXE.exists():
        return AXE
    message = f"axe-core is not installed at {AXE}; install it with: {INSTALL}"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def violations(page) -> list[str]:
    """The serious and critical axe-core violations of the page as loaded, one line each."""
    page.add_script_tag(path=str(axe_script()))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    found = []
    for v in result["violations"]:
        if v["impact"] in REFUSED:
            targets = ", ".join(str(n["target"]) for n in v["nodes"][:3])
            found.append(f"{page.url}: {v['id']} ({v['impact']}): {v['help']} at {targets}")
    return found


@pytest.fixture
def axe_page(browser, live_server):
    """A page whose context bypasses the CSP, for this test only (axe's injected script)."""
    axe_script()
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 1280, "height": 900},
        locale="nb-NO",
        bypass_csp=True,
    )
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def registry(transactional_db):
    """Synthetic patients with whole histories at the demo's units, as `hsreg seed` writes
    them; the showcase unit's leader, enrolled with an authenticator."""
    ensure_units()
    write_chunk(list(generate(24, Options(seed=3, today=timezone.localdate()))), today=date.today())
    unit = Unit.objects.get(resh_id=SHOWCASE.resh_id)
    leader = create_user(
        username="leder",
        password=PASSWORD,
        units=[unit],
        role=Role.UNIT_LEADER,
        first_name="Lise",
        last_name="Leder",
    )
    enrol_totp(leader)
    return unit, leader


def sign_in(page, user) -> None:
    page.goto("/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    give_code(page, user)
    page.wait_for_url("**/")


def test_no_serious_or_critical_axe_violation_on_the_main_pages(axe_page, registry):
    page = axe_page
    unit, leader = registry
    found: list[str] = []

    def check(url: str) -> None:
        response = page.goto(url)
        assert response is not None, url
        assert response.status == 200, f"{url}: {response.status}"
        found.extend(violations(page))

    check("/login/")
    check("/open/")
    sign_in(page, leader)
    patient = (
        Patient.objects.filter(enrolments__unit=unit, drugcourses__isnull=False)
        .order_by("pk")
        .first()
    )
    assert patient is not None, "the seeded registry has a patient on a drug course"
    course = DrugCourse.objects.filter(patient=patient).order_by("pk").first()
    pages = [
        "/",
        f"/patients/?q={patient.last_name}",
        f"/patients/{patient.pk}/",
        f"/patients/{patient.pk}/forms/drug-course/{course.pk}/",
        *(
            f"/patients/{patient.pk}/forms/{slug}/new/"
            for slug in KINDS
            if slug != "medical-history"
        ),
        "/worklists/",
        *(f"/worklists/{name}/" for name in LISTS),
        "/reports/",
        "/reports/indicators/hisreg_reduksjon_ihs4/",
        "/reports/distributions/",
        "/reports/averages/",
        "/reports/trends/",
        "/reports/administrative/",
        "/audit/",
        f"/patients/{patient.pk}/access-log/",
        "/accounts/users/",
    ]
    for url in pages:
        check(url)
    # the patients' questionnaires (issue 13): the clinic's pages, then the patient's own
    tablet, _token = services.create_invitation(
        actor=system_actor(), unit=unit, patient=patient, channel="tablet", form="status"
    )
    for url in (
        f"/questionnaires/patient/{patient.pk}/",
        "/questionnaires/",
        f"/questionnaires/invitation/{tablet.pk}/tablet/",
    ):
        check(url)
    for _name in patient_pages(page, unit, n=901):
        found.extend(violations(page))

    # the medical history: the new form, or the patient's own (one per patient)
    page.goto(f"/patients/{patient.pk}/")
    with page.expect_navigation():
        page.click("#new-form-links [data-kind=medical-history]")
    found.extend(violations(page))

    # a phone: wide tables scroll in their own box, which must take the keyboard focus
    page.set_viewport_size({"width": 390, "height": 844})
    for url in (
        f"/patients/{patient.pk}/",
        f"/patients/{patient.pk}/forms/doctor-assessment/new/",
        "/reports/indicators/hisreg_reduksjon_ihs4/",
        "/open/",
        "/audit/",
        f"/questionnaires/patient/{patient.pk}/",
        "/questionnaires/",
    ):
        check(url)
    for _name in patient_pages(page, unit, n=902):
        found.extend(violations(page))
    page.set_viewport_size({"width": 1280, "height": 900})

    # the coordinator's pages
    office = Unit.objects.create(
        resh_id=4001031,
        name="HISREG registersekretariat",
        health_trust="Helse Bergen",
        region="vest",
    )
    Membership.objects.create(user=leader, unit=office, role=Role.COORDINATOR)
    leader.current_unit = office
    leader.save(update_fields=["current_unit"])
    create_client(  # the API clients' page (issue 14) with a client to list
        actor=system_actor(),
        unit=unit,
        name="dips-haukeland",
        scopes="system/Patient.rs system/Observation.crs",
        jwks_url="https://dips.example.no/.well-known/jwks.json",
    )
    for url in (
        "/accounts/applications/",
        "/registry/units/",
        "/registry/api-clients/",
        "/objections/",
        "/reports/coverage/",
        "/reports/exports/research/",
    ):
        check(url)
    page.set_viewport_size({"width": 390, "height": 844})  # its wide table on a phone
    check("/registry/api-clients/")
    page.screenshot(path=str(SCREENSHOTS / "api-clients-390.png"), full_page=True)
    assert not found, "\n".join(found)
