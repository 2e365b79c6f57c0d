"""The FHIR R4 endpoints under /fhir/ (issue 14).

Public, no patient data: the CapabilityStatement, hsreg's CodeSystems and the patient
Questionnaires. Behind an API client's bearer token (accounts.access: API_CLIENT), for each
resource type of read_views.KINDS: search (``GET <Type>``, ``POST <Type>/_search``) and read
(``GET <Type>/<id>``), and ``Patient/<id>/$everything``. ``POST QuestionnaireResponse`` is the
writer's create, answered by the type's search view (read_views); the system-level
transaction (``POST /fhir/``) is hsreg.fhir.writes'.
"""

from django.urls import path

from . import read_views, views, writes

app_name = "fhir"

urlpatterns = [
    path("", writes.transaction, name="transaction"),
    path("metadata", read_views.metadata, name="metadata"),
    path("CodeSystem/<str:resource_id>", read_views.code_system, name="codesystem"),
    path("Questionnaire", views.questionnaire_search, name="questionnaires"),
    path("Questionnaire/<str:qid>", views.questionnaire_read, name="questionnaire"),
    path("Patient/<str:resource_id>/$everything", read_views.everything, name="everything"),
]

for _kind in read_views.KINDS:
    urlpatterns += [
        path(_kind.type, read_views.SEARCH[_kind.type], name=f"{_kind.slug}_search"),
        path(
            f"{_kind.type}/_search",
            read_views.SEARCH_POST[_kind.type],
            name=f"{_kind.slug}_search_post",
        ),
        path(
            f"{_kind.type}/<str:resource_id>",
            read_views.READ[_kind.type],
            name=f"{_kind.slug}_read",
        ),
    ]

# last: any other path under /fhir/ is FHIR's 404, an OperationOutcome
urlpatterns.append(path("<path:rest>", views.unknown, name="unknown"))
