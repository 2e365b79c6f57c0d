from django.urls import path

from . import views

app_name = "worklists"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:name>/", views.worklist_view, name="list"),
]
