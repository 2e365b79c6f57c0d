"""The registry coordinator's page of the biologics' funding status (XB-5)."""

from django.urls import path

from . import views

app_name = "treatments"
urlpatterns = [
    path("", views.funding, name="funding"),
]
