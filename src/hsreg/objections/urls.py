from django.urls import path

from . import views

app_name = "objections"
urlpatterns = [path("", views.index, name="index")]
