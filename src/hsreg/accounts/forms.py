"""Forms of the account pages: applying for access, the coordinator's decision, the first
password and the second factor."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import PasswordChangeForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables

from hsreg.units.models import MAX_RESH_ID, HealthRegion, Unit

from .models import Application, Solution, User
from .services import APPLICANT_ROLES, MEMBER_ROLES

# The e-mail address becomes the username (accounts.services.approve_application), so it
# must fit the username's column.
USERNAME_LENGTH = User._meta.get_field("username").max_length


class ApplicationForm(forms.ModelForm):
    """ "Ny bruker": who you are, where you work and what you need (RG-2). A unit is chosen
    from the registry's units; a private practice the registry does not know yet is given by
    its name, RESH id and health region instead."""

    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.order_by("name"),
        required=False,
        empty_label=_("— my unit is not in the list —"),
        help_text=_("The department or practice you work at."),
    )
    practice_name = forms.CharField(
        label=_("Name of the private practice"),
        max_length=200,
        required=False,
        help_text=_("Only if your unit is not in the list."),
    )
    practice_resh_id = forms.IntegerField(
        label=_("RESH id of the practice"),
        min_value=1,
        max_value=MAX_RESH_ID,
        required=False,
        error_messages={
            "invalid": _("A RESH id is a whole number, at least 1."),
            "max_value": _("This number is too large to be a RESH id."),
        },
        help_text=_("The practice's id in the register of health organisations (RESH)."),
    )
    practice_region = forms.ChoiceField(
        label=_("Health region of the practice"),
        choices=[("", "—"), *HealthRegion.choices],
        required=False,
    )
    solution = forms.ChoiceField(
        label=_("Solution"), choices=Solution.choices, widget=forms.RadioSelect
    )

    class Meta:
        model = Application
        fields = [
            "first_name",
            "last_name",
            "email",
            "phone",
            "unit",
            "practice_name",
            "practice_resh_id",
            "practice_region",
            "solution",
            "justification",
        ]
        labels = {
            "first_name": _("First name"),
            "last_name": _("Last name"),
            "email": _("E-mail at work"),
            "phone": _("Phone"),
            "justification": _("Why you need access"),
        }
        help_texts = {
            "email": _("Your username, and where the one-time password is sent."),
            "justification": _("Your position and what you will register or report."),
        }
        widgets = {"justification": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        email = self.fields["email"]
        email.max_length = USERNAME_LENGTH
        email.widget.attrs["maxlength"] = str(USERNAME_LENGTH)
        email.validators = [
            *(v for v in email.validators if not isinstance(v, MaxLengthValidator)),
            MaxLengthValidator(
                USERNAME_LENGTH,
                message=_(
                    "An e-mail address of at most %(limit_value)d characters: it becomes "
                    "your username."
                ),
            ),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        practice = [data.get(f) for f in ("practice_name", "practice_resh_id", "practice_region")]
        if data.get("unit") is not None:
            if any(practice):
                self.add_error(
                    "unit", _("Choose a unit from the list or give a private practice, not both.")
                )
        elif not all(practice):
            for name, value in zip(
                ("practice_name", "practice_resh_id", "practice_region"), practice, strict=True
            ):
                if not value:
                    self.add_error(
                        name,
                        _(
                            "Choose your unit from the list, or give the practice's name, RESH id and health region."
                        ),
                    )
        elif Unit.objects.filter(pk=data["practice_resh_id"]).exists():
            self.add_error(
                "practice_resh_id",
                _("A unit with this RESH id is already in the registry: choose it from the list."),
            )
        return data


class ApproveForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Role at the unit"),
        choices=[(r.value, r.label) for r in APPLICANT_ROLES],
        widget=forms.RadioSelect,
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (sent to the applicant)"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class NewPasswordForm(PasswordChangeForm):
    """Django's password change (the current password, then the new one twice, checked by
    AUTH_PASSWORD_VALIDATORS: at least 12 characters, not a common password) that also
    refuses keeping the one-time password.

    The current password is compared with the stored one as it is: at first login it is the
    one-time password that opened this session, which no longer opens a login
    (``User.check_password``) but is what this form asks for."""

    @sensitive_variables("old_password")
    def clean_old_password(self) -> str:
        old_password: str = self.cleaned_data["old_password"]
        if not self.user.password_matches(old_password):
            raise forms.ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            )
        return old_password

    @sensitive_variables("password")
    def clean_new_password1(self) -> str:
        password: str = self.cleaned_data["new_password1"]
        if self.user.password_matches(password):
            raise forms.ValidationError(
                _("Choose a new password, not the one you have now."), code="password_unchanged"
            )
        return password

    def save(self, commit: bool = True) -> Any:
        # Refused on purpose: the password is saved by accounts.services.change_password,
        # which also ends the one-time password and writes the audit row.
        raise RuntimeError("save the password with accounts.services.change_password")


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "autocapitalize": "off"}
        ),
    )


class MemberRoleForm(forms.Form):
    """A member's role at the unit, chosen by the unit leader (never the coordinator role)."""

    role = forms.ChoiceField(
        label=_("Role at the unit"), choices=[(r.value, r.label) for r in MEMBER_ROLES]
    )
