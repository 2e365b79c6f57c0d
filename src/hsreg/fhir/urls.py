"""The FHIR R4 endpoints under /fhir/ (public, read-only: no patient data)."""

from django.urls import path

from . import views

app_name = "fhir"

urlpatterns = [
    path("Questionnaire", views.questionnaire_search, name="questionnaires"),
    path("Questionnaire/<str:qid>", views.questionnaire_read, name="questionnaire"),
]
