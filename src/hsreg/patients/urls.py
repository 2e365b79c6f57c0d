from django.urls import path

from . import views

app_name = "patients"
urlpatterns = [
    path("", views.search, name="search"),
    path("new/", views.create, name="create"),
    path("<int:patient_id>/", views.detail, name="detail"),
    path("<int:patient_id>/consent/", views.consent, name="consent"),
    path("<int:patient_id>/consent/withdraw/", views.consent_withdraw, name="consent_withdraw"),
]
