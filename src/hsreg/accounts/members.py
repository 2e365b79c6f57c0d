"""The unit leader's page of the unit's users ("Brukere ved enheten", RG-2, issue 4 point 2):
who is a member of the current unit, with which role, and since when; changing a member's
role and ending a membership.

Only unit leaders reach these views (accounts.access.ACCESS); the unit is always the actor's
current one, so a member of another unit is a 404 from the selector, never a 403. The rules
(the unit keeps a unit leader, nobody removes themselves, the coordinator role is not the
unit's to give) are in accounts.services, where the audited writes are."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .forms import MemberRoleForm
from .models import Membership, Role
from .selectors import unit_member, unit_members
from .services import MEMBER_ROLES, change_member_role, end_membership


@dataclass(frozen=True, slots=True)
class Row:
    """One member on the page, with the role form shown in their row."""

    membership: Membership
    form: MemberRoleForm | None  # None: the role is not the unit's to change (coordinator)
    is_me: bool
    refused: list[str]  # why a change of a role without a form was refused


def _role_form(membership: Membership, data: QueryDict | None = None) -> MemberRoleForm:
    # ids unique per row ("id_role_12"); the field's name stays "role"
    return MemberRoleForm(
        data,
        initial={"role": membership.role},
        auto_id=f"id_%s_{membership.user_id}",
    )


def _page(
    request: HttpRequest, failed: MemberRoleForm | None = None, failed_user: int | None = None
) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    rows = []
    for membership in unit_members(unit=actor.unit):
        mine = failed if membership.user_id == failed_user else None
        form, refused = None, []
        if membership.role in MEMBER_ROLES:
            form = mine if mine is not None else _role_form(membership)
        elif mine is not None:
            refused = list(mine.errors.get("role", []))
        rows.append(Row(membership, form, membership.user_id == actor.user.pk, refused))
    return render(
        request,
        "accounts/members/index.html",
        {"rows": rows, "unit": actor.unit},
        status=400 if failed is not None else 200,
    )


@require_GET
def members(request: HttpRequest) -> HttpResponse:
    return _page(request)


@require_POST
def member_role(request: HttpRequest, user_id: int) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    membership = unit_member(unit=actor.unit, user_id=user_id)
    form = _role_form(membership, request.POST)
    if form.is_valid():
        try:
            changed = change_member_role(
                actor=actor, membership=membership, role=Role(form.cleaned_data["role"])
            )
        except ValidationError as error:
            form.add_error("role", error)
        else:
            name = _name(membership)
            if changed:
                membership.refresh_from_db(fields=["role"])
                messages.success(
                    request,
                    _("The role of %(name)s at the unit is now: %(role)s.")
                    % {"name": name, "role": membership.get_role_display()},
                )
            else:
                messages.info(request, _("%(name)s already has this role.") % {"name": name})
            return redirect("accounts:members")
    return _page(request, failed=form, failed_user=membership.user_id)


@require_http_methods(["GET", "POST"])
def member_remove(request: HttpRequest, user_id: int) -> HttpResponse:
    """GET asks for confirmation; POST ends the membership."""
    actor = request.actor  # type: ignore[attr-defined]
    membership = unit_member(unit=actor.unit, user_id=user_id)
    error = None
    if request.method == "POST":
        try:
            end_membership(actor=actor, membership=membership)
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(
                request,
                _("%(name)s is no longer a member of %(unit)s.")
                % {"name": _name(membership), "unit": actor.unit.name},
            )
            return redirect("accounts:members")
    return render(
        request,
        "accounts/members/remove.html",
        {
            "membership": membership,
            "unit": actor.unit,
            "is_me": membership.user_id == actor.user.pk,
            "error": error,
        },
        status=400 if error else 200,
    )


def _name(membership: Membership) -> str:
    return membership.user.get_full_name() or membership.user.username
