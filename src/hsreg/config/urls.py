"""The URL map: one include per app, each app owning its own paths."""

from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language
from oauth2_provider import views as oauth_views

from hsreg.apiclients.views import smart_configuration
from hsreg.fhir.writes import transaction as fhir_transaction
from hsreg.reports.urls import open_urlpatterns

urlpatterns = [
    path("i18n/setlang/", set_language, name="set_language"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("hsreg.web.urls")),
    path("accounts/", include("hsreg.accounts.urls")),
    path("patients/", include("hsreg.patients.urls")),
    path("patients/<int:patient_id>/", include("hsreg.records.urls")),
    path("", include("hsreg.audit.urls")),
    path("worklists/", include("hsreg.worklists.urls")),
    path("", include("hsreg.delegations.urls")),  # H-resept delegation (TX-6, issue 15)
    path("objections/", include("hsreg.objections.urls")),
    path("registry/units/", include("hsreg.units.urls")),
    path("reports/", include("hsreg.reports.urls")),
    path("open/", include((open_urlpatterns, "open"))),
    path("questionnaires/", include("hsreg.questionnaires.urls")),
    path("p/", include("hsreg.questionnaires.patient_urls")),
    path("fhir/", include("hsreg.fhir.urls")),
    # FHIR's base URL is [base] = .../fhir: a transaction is POST [base], which APPEND_SLASH
    # would redirect (and a client then lose its body)
    path("fhir", fhir_transaction, name="fhir_base"),
    # the guideline as CDS Hooks 2.0 services (issue 14): the specification's own paths
    path("", include("hsreg.cdshooks.urls")),  # /cds-services, without a trailing slash
    # API clients (issue 14): the OAuth 2.0 token endpoint only (client credentials), the
    # SMART configuration naming it, and the coordinator's list of clients
    path(
        "oauth/",
        include(
            ([path("token/", oauth_views.TokenView.as_view(), name="token")], "oauth2_provider")
        ),
    ),
    path(".well-known/smart-configuration", smart_configuration, name="smart_configuration"),
    path("registry/api-clients/", include("hsreg.apiclients.urls")),
    # XB-5: the coordinator's page of the biologics' funding status
    path("registry/funding/", include("hsreg.treatments.urls")),
    # the guideline engine as a service (issue 14 point 4): POST /api/evaluate, /api/openapi.json
    path("api/", include("hsreg.engine_api.urls")),
]
