"""``/cds-services`` (CDS Hooks 2.0 fixes the paths, without a trailing slash): discovery,
each service, its feedback. Included at the root by config.urls."""

from django.urls import path

from . import views

app_name = "cdshooks"

urlpatterns = [
    path("cds-services", views.discovery, name="discovery"),
    path("cds-services/<slug:service_id>", views.service, name="service"),
    path("cds-services/<slug:service_id>/feedback", views.feedback, name="feedback"),
]
