"""What Django's login page does not check before it authenticates: a username longer than
the users' column. AuthenticationForm sets the field's max_length after the field is made,
so no validator refuses it, and django-axes then stores the typed name in its attempt log
(255 characters), which PostgreSQL refuses with an error: a 500 (issue 11 point 9).

``refuse_long_username`` answers such a POST with the login page, the reason on the field and
a 400, before the login view, axes or the audit log see it."""

from __future__ import annotations

from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from .models import User

USERNAME_LENGTH: int = User._meta.get_field("username").max_length  # type: ignore[assignment]


def refuse_long_username(request: HttpRequest) -> HttpResponse | None:
    """The login page with the reason, if the POSTed username cannot be anyone's; else None."""
    if request.method != "POST" or len(request.POST.get("username", "")) <= USERNAME_LENGTH:
        return None
    form = AuthenticationForm(request, data={"username": "", "password": ""})
    form.errors.clear()
    form.add_error(
        "username",
        _("A username has at most %(count)d characters.") % {"count": USERNAME_LENGTH},
    )
    return render(
        request,
        "registration/login.html",
        {"form": form, "next": request.POST.get("next", "")},
        status=400,
    )
