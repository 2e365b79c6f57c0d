"""Account pages: choosing the current unit, applying for access, the coordinator's decision,
the first password and the second factor (RG-2, issue 4).

Who may open each page is decided by accounts.access.ACCESS before the view runs; the views
below only add the order of the first login (one-time password → own password → enrolment →
verified), so that each step's page sends a user who is elsewhere in it to their step."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from hsreg.numbers import whole_number

from . import mfa
from .access import next_step
from .forms import ApplicationForm, ApproveForm, CodeForm, NewPasswordForm, RejectForm
from .login import safe_next
from .models import Application, ApplicationStatus, Role
from .selectors import awaiting_first_login, user_units
from .services import (
    approve_application,
    change_password,
    choose_unit,
    reject_application,
    send_new_one_time_password,
    submit_application,
)

RECENT_DECISIONS = 20


@login_required
@require_POST
def choose_unit_view(request: HttpRequest) -> HttpResponse:
    unit_id = whole_number(request.POST.get("unit", ""), max_digits=9)  # a RESH id
    unit = None if unit_id is None else user_units(user=request.user).filter(pk=unit_id).first()
    if unit is None:
        raise Http404("Not one of your units")
    choose_unit(user=request.user, unit=unit)  # type: ignore[arg-type]
    return redirect("web:home")


# --- applying for an account ("Ny bruker") -----------------------------------------------


@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest) -> HttpResponse:
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        submit_application(actor=request.actor, fields=form.cleaned_data)  # type: ignore[attr-defined]
        return redirect("accounts:apply_done")
    return render(request, "accounts/apply.html", {"form": form})


@require_GET
def apply_done(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/apply_done.html")


# --- the coordinator's decision ----------------------------------------------------------


@require_GET
def applications(request: HttpRequest) -> HttpResponse:
    pending = Application.objects.filter(status=ApplicationStatus.PENDING).select_related("unit")
    decided = (
        Application.objects.exclude(status=ApplicationStatus.PENDING)
        .select_related("unit", "decided_by")
        .order_by("-decided_at")[:RECENT_DECISIONS]
    )
    return render(
        request,
        "accounts/applications.html",
        {"pending": pending, "decided": decided, "first_login": awaiting_first_login()},
    )


def _application_page(
    request: HttpRequest,
    application: Application,
    approve_form: ApproveForm | None = None,
    reject_form: RejectForm | None = None,
) -> HttpResponse:
    suggested = Role.REPORTING if application.solution == "reporting" else Role.REGISTRAR
    return render(
        request,
        "accounts/application.html",
        {
            "application": application,
            "approve_form": approve_form or ApproveForm(initial={"role": suggested}),
            "reject_form": reject_form or RejectForm(),
        },
    )


@require_GET
def application(request: HttpRequest, pk: int) -> HttpResponse:
    return _application_page(request, get_object_or_404(Application, pk=pk))


@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(Application, pk=pk)
    form = ApproveForm(request.POST)
    if not form.is_valid():
        return _application_page(request, application, approve_form=form)
    try:
        user = approve_application(
            actor=request.actor,  # type: ignore[attr-defined]
            application=application,
            role=Role(form.cleaned_data["role"]),
            login_url=request.build_absolute_uri(reverse("login")),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Approved: %(user)s can log in; the one-time password was sent to %(email)s.")
            % {"user": user.get_full_name() or user.username, "email": application.email},
        )
    return redirect("accounts:applications")


@require_POST
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(Application, pk=pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        return _application_page(request, application, reject_form=form)
    try:
        reject_application(
            actor=request.actor,  # type: ignore[attr-defined]
            application=application,
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Rejected; the reason was sent to the applicant."))
    return redirect("accounts:applications")


@require_POST
def new_password(request: HttpRequest, pk: int) -> HttpResponse:
    """A new one-time password for the user of an approved application who has not logged in
    and chosen their own (the earlier one expired or was used)."""
    application = get_object_or_404(Application, pk=pk)
    try:
        user = send_new_one_time_password(
            actor=request.actor,  # type: ignore[attr-defined]
            application=application,
            login_url=request.build_absolute_uri(reverse("login")),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("A new one-time password for %(user)s was sent to %(email)s.")
            % {"user": user.get_full_name() or user.username, "email": application.email},
        )
    return redirect("accounts:applications")


# --- first login: own password, then the second factor -----------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    """The user's own password: at first login after the one-time password, or later with
    both factors given (a password alone does not let anyone change it)."""
    user: Any = request.user
    if not user.must_change_password:
        step = next_step(user)
        if step is not None:
            return redirect(step)
        if not user.is_verified():
            return redirect("accounts:mfa_verify")
    form = NewPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        change_password(
            actor=request.actor,  # type: ignore[attr-defined]
            user=user,
            password=form.cleaned_data["new_password1"],
        )
        update_session_auth_hash(request, user)  # stays logged in, with a new session id
        messages.success(request, _("Your password has been changed."))
        return redirect(next_step(user) or "web:home")
    return render(
        request, "accounts/password_change.html", {"form": form, "first": user.must_change_password}
    )


@never_cache
@require_http_methods(["GET", "POST"])
def mfa_enrol(request: HttpRequest) -> HttpResponse:
    """Setting up the authenticator app: QR code and key, then a code from the app. The
    recovery codes are shown once, in the answer to the code."""
    user: Any = request.user
    step = next_step(user)
    if step != "accounts:mfa_enrol":
        return redirect(step or "web:home")
    device = mfa.pending_device(user=user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = mfa.confirm_enrolment(
                actor=request.actor,  # type: ignore[attr-defined]
                device=device,
                code=form.cleaned_data["code"],
            )
        except mfa.NoticeNotSentError:
            form.add_error(
                None,
                _(
                    "The e-mail that tells you about the new second factor could not be sent, "
                    "so it was not set up. Try again with the next code in a moment; if it "
                    "keeps failing, contact the registry."
                ),
            )
        else:
            if codes is not None:
                device.refresh_from_db()
                _second_factor_given(request, device)
                return render(request, "accounts/recovery_codes.html", {"codes": codes})
            form.add_error(
                "code", _("The code is wrong or too old. Type the code the app shows now.")
            )
    return render(
        request,
        "accounts/mfa_enrol.html",
        {"form": form, "qr": mfa.qr_svg(device), "secret": mfa.secret(device)},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def mfa_verify(request: HttpRequest) -> HttpResponse:
    """The second factor at each login: the app's code, or one of the recovery codes. Then the
    page the user asked for (``next``, same-host paths only: accounts.login.safe_next), else
    the start page."""
    user: Any = request.user
    step = next_step(user)
    if step is not None:
        return redirect(step)
    wanted = safe_next(request, request.GET.get("next"))
    if user.is_verified():
        return redirect(wanted or "web:home")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = mfa.verify(actor=request.actor, code=form.cleaned_data["code"])  # type: ignore[attr-defined]
        if device is not None:
            _second_factor_given(request, device)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.warning(
                    request,
                    ngettext(
                        "You used a recovery code; %(count)d is left.",
                        "You used a recovery code; %(count)d are left.",
                        left,
                    )
                    % {"count": left},
                )
            return redirect(wanted or "web:home")
        form.add_error(
            "code", _("The code is wrong or too old. Wait for the next code and try again.")
        )
    return render(request, "accounts/mfa_verify.html", {"form": form})


def _second_factor_given(request: HttpRequest, device: Any) -> None:
    """Marks the session verified by ``device`` and gives it a new id (the old one is deleted
    on the server), as the password login does: a session id seen before the second factor,
    in a log, a proxy or over a shoulder, opens nothing after it."""
    otp_login(request, device)
    request.session.cycle_key()
