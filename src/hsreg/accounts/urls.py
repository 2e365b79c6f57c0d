from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [path("choose/", views.choose_unit_view, name="choose_unit")]
