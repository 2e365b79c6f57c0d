from django.urls import path

from . import views

app_name = "delegations"
urlpatterns = [
    path("delegations/", views.index, name="index"),
    path("delegations/<int:delegation_id>/", views.detail, name="detail"),
    path("delegations/<int:delegation_id>/approve/", views.approve, name="approve"),
    path("delegations/<int:delegation_id>/reject/", views.reject, name="reject"),
    path("delegations/<int:delegation_id>/withdraw/", views.withdraw, name="withdraw"),
    path("delegations/<int:delegation_id>/renew/", views.renew, name="renew"),
    path("delegations/<int:delegation_id>/patient/", views.patient_summary, name="patient"),
    path("patients/<int:patient_id>/h-resept/", views.request_view, name="request"),
    path("registry/departments/", views.departments, name="departments"),
]
