"""The audit log's pages: one patient's access log, and the review of the whole log."""

from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("patients/<int:patient_id>/access-log/", views.access_log, name="access_log"),
    path("patients/<int:patient_id>/access-log.csv", views.access_log_csv, name="access_log_csv"),
    path("audit/", views.events, name="events"),
    path("audit/events.csv", views.events_csv, name="events_csv"),
]
