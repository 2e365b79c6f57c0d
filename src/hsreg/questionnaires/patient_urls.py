"""The patient's pages (no login: the link and the birth date), under /p/.

The fixed paths come before the token's; anything else under /p/ gets the same neutral page
as an unknown link (patient_views.not_found), never the clinicians' error page."""

from django.urls import path, re_path

from . import patient_views

app_name = "patient"

urlpatterns = [
    path("tablet/", patient_views.tablet, name="tablet"),
    path("language/", patient_views.language, name="language"),
    path("<str:token>/", patient_views.start, name="start"),
    path("<str:token>/s/<int:index>/", patient_views.screen, name="screen"),
    path("<str:token>/review/", patient_views.review, name="review"),
    path("<str:token>/done/", patient_views.done, name="done"),
    path("<str:token>/log/", patient_views.access_log, name="access_log"),
    re_path(r"^.*$", patient_views.not_found, name="not_found"),
]
