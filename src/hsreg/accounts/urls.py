from django.urls import path

from . import members, views

app_name = "accounts"
urlpatterns = [
    path("choose/", views.choose_unit_view, name="choose_unit"),
    path("apply/", views.apply, name="apply"),
    path("apply/sent/", views.apply_done, name="apply_done"),
    path("password/", views.password_change, name="password_change"),
    path("mfa/enrol/", views.mfa_enrol, name="mfa_enrol"),
    path("mfa/verify/", views.mfa_verify, name="mfa_verify"),
    path("applications/", views.applications, name="applications"),
    path("applications/<int:pk>/", views.application, name="application"),
    path("applications/<int:pk>/approve/", views.approve, name="approve"),
    path("applications/<int:pk>/reject/", views.reject, name="reject"),
    path("applications/<int:pk>/new-password/", views.new_password, name="new_password"),
    # the unit's users, managed by the unit leader (accounts.members)
    path("users/", members.members, name="members"),
    path("users/<int:user_id>/role/", members.member_role, name="member_role"),
    path("users/<int:user_id>/remove/", members.member_remove, name="member_remove"),
]
