from django.urls import path

from . import views

app_name = "units"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("<int:resh_id>/", views.edit, name="edit"),
]
