from django.urls import path

from . import views

app_name = "apiclients"
urlpatterns = [
    path("", views.index, name="index"),
    path("<str:client_id>/revoke/", views.revoke, name="revoke"),
]
