"""Who may open which page: the role × view matrix, in one table (RG-2, issue 4).

Every URL name of hsreg is a key of ``ACCESS``. Its rule is one of:

- ``PUBLIC``: anyone, logged in or not (the login page, applying for an account);
- ``ONE_FACTOR``: a user who has given their password but not yet a second factor: choosing a
  new password, enrolling and giving the TOTP code, logging out. Nothing here shows patient data;
- ``SIGNED_IN``: both factors passed, whatever the role (the start page, choosing a unit);
- ``API_CLIENT``: a system, not a person: the view itself demands an OAuth 2.0 bearer token
  with the SMART scope the call needs (apiclients.auth.client_actor, through the API faces'
  decorators), and answers 401 without one; a browser session opens nothing here;
- a set of roles: both factors passed, and the role at the current unit is in the set.

``AccessMiddleware`` applies the table before any view runs and fails closed: a URL name that
is not in the table, or a user without a current unit's role, is denied. A denial is a 403 and
one audit row; patient data of another unit is a 404 from the selectors, never a 403, so ids
cannot be probed. A request without a session, or with the password only, is answered by
accounts.login (``signed_out``, ``second_factor``): the login or second-factor page with the
page asked for as ``next``, a form's POST kept for after the login, a script's request a 401.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django_otp import user_has_device

from hsreg.audit.models import Action, Outcome
from hsreg.audit.services import log

from .login import refuse_long_username, second_factor, signed_out
from .models import Role

PUBLIC: Final = "public"
ONE_FACTOR: Final = "one-factor"
SIGNED_IN: Final = "signed-in"
API_CLIENT: Final = "api-client"
Rule = str | frozenset[Role]

CLINICAL = frozenset({Role.REGISTRAR, Role.UNIT_LEADER})
UNIT_LEADER = frozenset({Role.UNIT_LEADER})
COORDINATOR = frozenset({Role.COORDINATOR})
REVIEWERS = UNIT_LEADER | COORDINATOR
#: every role: reports show aggregates only, never a patient
REPORT_READERS = frozenset(Role)

ACCESS: dict[str, Rule] = {
    # the way in and out
    "login": PUBLIC,
    "set_language": PUBLIC,
    "logout": ONE_FACTOR,
    # every signed-in user, with or without a unit chosen
    "web:home": SIGNED_IN,
    "accounts:choose_unit": SIGNED_IN,
    # the unit's patients and their forms
    "patients:search": CLINICAL,
    "patients:create": CLINICAL,
    "patients:detail": CLINICAL,
    # the patient's consent that this unit sees their forms from other units (issue 11)
    "patients:consent": CLINICAL,
    "patients:consent_withdraw": CLINICAL,
    "records:new": CLINICAL,
    "records:live": CLINICAL,
    "records:detail": CLINICAL,
    "records:edit": CLINICAL,
    "records:correct": CLINICAL,
    "records:discard": CLINICAL,
    "worklists:index": CLINICAL,
    "worklists:list": CLINICAL,
    # H-resept delegation (TX-6, issue 15): the practice asks, the department decides; the
    # selectors decide which delegation a unit sees (its own practice's or department's)
    "delegations:index": CLINICAL,
    "delegations:request": CLINICAL,
    "delegations:detail": CLINICAL,
    "delegations:approve": CLINICAL,
    "delegations:reject": CLINICAL,
    "delegations:withdraw": CLINICAL,
    "delegations:renew": CLINICAL,
    "delegations:patient": CLINICAL,
    "delegations:departments": COORDINATOR,
    # the patients' questionnaires and access-log links (issue 13): sending them, the clinic
    # tablet's hand-over, the unit's figures; the automatic controls' switch is the leader's
    "questionnaires:unit": CLINICAL,
    "questionnaires:automatic": UNIT_LEADER,
    "questionnaires:patient": CLINICAL,
    "questionnaires:contact": CLINICAL,
    "questionnaires:send": CLINICAL,
    "questionnaires:send_access_log": CLINICAL,
    "questionnaires:withdraw": CLINICAL,
    "questionnaires:tablet": CLINICAL,
    "questionnaires:hand_over": CLINICAL,
    "questionnaires:link": CLINICAL,
    "questionnaires:response": CLINICAL,
    # who has seen a patient, and its export for the patient's right of access
    "audit:access_log": UNIT_LEADER,
    "audit:access_log_csv": UNIT_LEADER,
    # the review of the audit log: the unit leader's unit, or all of it for the coordinator
    "audit:events": REVIEWERS,
    "audit:events_csv": REVIEWERS,
    # accounts (helper A): applying for access, the first login's steps, the coordinator's
    # decision on applications
    "accounts:apply": PUBLIC,
    "accounts:apply_done": PUBLIC,
    "accounts:password_change": ONE_FACTOR,
    "accounts:mfa_enrol": ONE_FACTOR,
    "accounts:mfa_verify": ONE_FACTOR,
    "accounts:applications": COORDINATOR,
    "accounts:application": COORDINATOR,
    "accounts:approve": COORDINATOR,
    "accounts:reject": COORDINATOR,
    "accounts:new_password": COORDINATOR,  # a new one-time password (issue 11)
    # patient objections (reservasjon), helper B: registry staff only
    "objections:index": COORDINATOR,
    # the unit's users (unit leader) and the registry's units (coordinator), helper C
    "accounts:members": UNIT_LEADER,
    "accounts:member_role": UNIT_LEADER,
    "accounts:member_remove": UNIT_LEADER,
    "units:index": COORDINATOR,
    "units:create": COORDINATOR,
    "units:edit": COORDINATOR,
    # reports (issue 5): aggregates for every role, the exports by role
    "reports:index": REPORT_READERS,
    "reports:indicator": REPORT_READERS,
    "reports:chart": REPORT_READERS,
    "reports:distributions": REPORT_READERS,
    "reports:averages": REPORT_READERS,
    "reports:trends": REPORT_READERS,
    "reports:administrative": REPORT_READERS,
    "reports:overrides": REPORT_READERS,
    "reports:delegations": REPORT_READERS,  # delegated courses per region (TX-6, issue 15)
    "reports:annual": REPORT_READERS,
    "reports:annual_run": REPORT_READERS,
    "reports:annual_pdf": REPORT_READERS,
    "reports:coverage": COORDINATOR,
    "reports:unit_csv": UNIT_LEADER,
    "reports:research": COORDINATOR,
    "reports:research_file": COORDINATOR,
    # the open results: published, no login
    "open:open_results": PUBLIC,
    "open:open_results_csv": PUBLIC,
    # the FHIR Questionnaires (issue 13): definitions only, no patient data, read-only
    "fhir:questionnaires": PUBLIC,
    "fhir:questionnaire": PUBLIC,
    "fhir:transaction": API_CLIENT,
    "fhir_base": API_CLIENT,  # the same transaction at [base] without the slash
    "fhir:unknown": PUBLIC,  # any other path under /fhir/: a 404 OperationOutcome, no data
    # the FHIR read side (issue 14): the CapabilityStatement and hsreg's CodeSystems are
    # public; every read, search and $everything needs an API client's bearer token
    "fhir:metadata": PUBLIC,
    "fhir:codesystem": PUBLIC,
    "fhir:everything": API_CLIENT,
    "fhir:patient_search": API_CLIENT,
    "fhir:patient_search_post": API_CLIENT,
    "fhir:patient_read": API_CLIENT,
    "fhir:organization_search": API_CLIENT,
    "fhir:organization_search_post": API_CLIENT,
    "fhir:organization_read": API_CLIENT,
    "fhir:condition_search": API_CLIENT,
    "fhir:condition_search_post": API_CLIENT,
    "fhir:condition_read": API_CLIENT,
    "fhir:observation_search": API_CLIENT,
    "fhir:observation_search_post": API_CLIENT,
    "fhir:observation_read": API_CLIENT,
    "fhir:questionnaireresponse_search": API_CLIENT,
    "fhir:questionnaireresponse_search_post": API_CLIENT,
    "fhir:questionnaireresponse_read": API_CLIENT,
    "fhir:medicationstatement_search": API_CLIENT,
    "fhir:medicationstatement_search_post": API_CLIENT,
    "fhir:medicationstatement_read": API_CLIENT,
    "fhir:procedure_search": API_CLIENT,
    "fhir:procedure_search_post": API_CLIENT,
    "fhir:procedure_read": API_CLIENT,
    # the patient's own pages (issue 13): no login; the link's token and the birth date
    # (questionnaires.patient_views), never the clinician's session
    "patient:tablet": PUBLIC,
    "patient:language": PUBLIC,
    "patient:start": PUBLIC,
    "patient:screen": PUBLIC,
    "patient:review": PUBLIC,
    "patient:done": PUBLIC,
    "patient:access_log": PUBLIC,
    "patient:not_found": PUBLIC,
    # API clients (issue 14): the token endpoint and the SMART configuration are public (the
    # client authenticates with its id and secret, not a session); the coordinator lists
    # and revokes clients
    "oauth2_provider:token": PUBLIC,
    "smart_configuration": PUBLIC,
    "apiclients:index": COORDINATOR,
    "apiclients:revoke": COORDINATOR,
    # XB-5: the coordinator records the biologics' funding status (Nye metoder)
    "treatments:funding": COORDINATOR,
    # CDS Hooks (issue 14): discovery shows no patient data; a service or its feedback is
    # called by a record system with a JWT it signed (hsreg.cdshooks.jwt), never a session
    "cdshooks:discovery": PUBLIC,
    "cdshooks:service": API_CLIENT,
    "cdshooks:feedback": API_CLIENT,
    # the guideline engine as a service (issue 14 point 4): the evaluation needs a token with
    # system/GuidanceResponse.c; its OpenAPI document describes the interface only
    "engine_api:evaluate": API_CLIENT,
    "engine_api:openapi-json": PUBLIC,
}


def rule_for(view_name: str) -> Rule | None:
    return ACCESS.get(view_name)


def allowed(rule: Rule, role: Role | None) -> bool:
    """Whether a fully logged-in user with ``role`` at their current unit may pass ``rule``."""
    if rule in (PUBLIC, ONE_FACTOR, SIGNED_IN):
        return True
    return role is not None and role in rule


class AccessMiddleware:
    """Applies ``ACCESS`` to every request that reached a view (after ActorMiddleware)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        match = request.resolver_match
        name = match.view_name if match else ""
        rule = rule_for(name)
        if name == "login":
            return refuse_long_username(request)
        if rule in (PUBLIC, API_CLIENT):
            return None
        user = request.user
        if not user.is_authenticated:
            if rule is None:
                raise PermissionDenied("not in the access table")
            return signed_out(request, name)
        if rule != ONE_FACTOR and (
            user.must_change_password  # type: ignore[union-attr]
            or not user.is_verified()  # type: ignore[union-attr]
        ):
            # a verified user has a confirmed device: its query is only for the others
            return second_factor(request, name, next_step(user))
        actor = request.actor  # type: ignore[attr-defined]
        if rule is None or not allowed(rule, actor.role):
            log(
                actor=actor,
                action=Action.DENIED,
                outcome=Outcome.DENIED,
                target=name or request.path[:200],
                detail={"rule": "unknown view" if rule is None else "role"},
            )
            raise PermissionDenied("your role at this unit does not open this page")
        return None


def next_step(user: Any) -> str | None:
    """The URL name of what a password-only user must do before anything else: choose their
    own password after a one-time one, then enrol a second factor."""
    if user.must_change_password:
        return "accounts:password_change"
    if not user_has_device(user):
        return "accounts:mfa_enrol"
    return None
