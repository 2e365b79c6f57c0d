"""The registry forms of one patient, under patients/<patient_id>/ (config/urls.py)."""

from django.urls import path

from . import views

app_name = "records"
urlpatterns = [
    path("forms/<slug:kind>/new/", views.new, name="new"),
    path("forms/<slug:kind>/live/", views.live, name="live"),
    path("forms/<slug:kind>/<int:record_id>/", views.detail, name="detail"),
    path("forms/<slug:kind>/<int:record_id>/edit/", views.edit, name="edit"),
    path("forms/<slug:kind>/<int:record_id>/correct/", views.correct, name="correct"),
    path("forms/<slug:kind>/<int:record_id>/discard/", views.discard, name="discard"),
]
