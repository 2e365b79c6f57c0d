"""The unit's pages about invitations (staff, logged in; accounts.access lists who opens
which)."""

from django.urls import path

from . import readback, views

app_name = "questionnaires"

urlpatterns = [
    path("", views.unit, name="unit"),
    path("automatic/", views.automatic, name="automatic"),
    path("patient/<int:patient_id>/", views.patient, name="patient"),
    path("patient/<int:patient_id>/contact/", views.contact, name="contact"),
    path("patient/<int:patient_id>/send/", views.send, name="send"),
    path("patient/<int:patient_id>/access-log/", views.send_access_log, name="send_access_log"),
    path(
        "patient/<int:patient_id>/report/<int:record_id>/response.json",
        readback.response,
        name="response",
    ),
    path("invitation/<int:invitation_id>/withdraw/", views.withdraw, name="withdraw"),
    path("invitation/<int:invitation_id>/tablet/", views.tablet, name="tablet"),
    path("invitation/<int:invitation_id>/hand-over/", views.hand_over, name="hand_over"),
    path("invitation/<int:invitation_id>/link/", views.link, name="link"),
]
