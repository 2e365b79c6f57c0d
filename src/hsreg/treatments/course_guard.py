"""The clinical-safety guard on the drug course form (issue 12): the part of
treatments.forms.DrugCourseForm that asks treatments.guards what is not in place for starting
a biologic (TX-6, SC-1, SC-2, VA-2, VA-3), refuses the finish until the override is ticked and
a reason given, shows the findings again when a form with an override typed comes back (a form
kept over an expired session), and saves through treatments.services.save_course.

Only a finish is checked (a draft is not a start: nothing derived reads drafts); what counts as
the decision to start (a new course, a correction of its drug or start) is guards.guarded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hsreg.accounts.actor import Actor
from hsreg.guideline.catalog import BIOLOGICS
from hsreg.records.layout import ShownField
from hsreg.records.models import Record, Status
from hsreg.web.language import pick

from . import guards
from .models import DrugCourse
from .overrides import Notice, notice
from .services import Override, save_course

if TYPE_CHECKING:
    from hsreg.records.forms import RecordForm

    _Base = RecordForm
else:
    _Base = object

#: the override box and its reason, declared on DrugCourseForm (form-only fields: the form
#: stores what the guard listed, treatments.services)
OVERRIDE = forms.BooleanField(
    label=_("Start the course all the same: I have assessed what is listed above"),
    required=False,
)
OVERRIDE_REASON = forms.CharField(
    label=_("Reason for starting the course all the same"),
    max_length=500,
    required=False,
    widget=forms.Textarea(attrs={"rows": 3}),
    help_text=_("Kept with the course and shown on the patient page and in the reports."),
)


class CourseGuard(_Base):
    """Mixed into DrugCourseForm before RecordForm; its clean_record calls ``check_guard``."""

    def start_guard(self) -> None:
        """Called at the end of the form's __init__."""
        #: treatments.guards' findings for this save ([] when nothing is missing or not checked)
        self.guard_findings: list[guards.Finding] = []
        #: what the save stores of the override (None: the course keeps what it holds)
        self.override_decision: Override | None = None
        record = self.instance
        if not self.is_bound and getattr(record, "override_reason", ""):
            self.initial["override_reason"] = record.override_reason

    def biologic_ids(self) -> list[str]:
        """The drugs the guard checks (the catalog's biologics), for the page's hint."""
        return list(BIOLOGICS)

    def guard_groups(self) -> list[dict[str, Any]]:
        """The findings by rule, in the user's language, for treatments/_course_guard.html."""
        shown = []
        found = self.guard_findings or self.typed_findings()
        for rule_id in guards.RULE_ORDER:
            texts = [pick(f.text) for f in found if f.rule_id == rule_id]
            if texts:
                shown.append(
                    {"rule_id": rule_id, "title": pick(guards.RULE_TITLES[rule_id]), "items": texts}
                )
        return shown

    def override_notice(self) -> Notice:
        """The stored override of the course shown read-only (drug_course_detail.html)."""
        record = self.instance
        assert isinstance(record, DrugCourse)  # noqa: S101
        return notice(record)

    def override_fields(self) -> list[ShownField]:
        """The override box and its reason, as records/_field.html shows a field."""
        return [ShownField(self[name], "", None) for name in ("override", "override_reason")]

    def as_course(self, values: dict[str, Any]) -> DrugCourse:
        """The course as typed (unsaved), for treatments.guards.check."""
        record = self.instance
        return DrugCourse(
            pk=record.pk,
            patient=self.patient,
            drug=values.get("drug") or "",
            date=values.get("date"),
            end=values.get("end"),
            stop_reason=values.get("stop_reason") or "",
            regimen=values.get("regimen") or "",
            replaces_id=record.replaces_id,
        )

    def typed_findings(self) -> list[guards.Finding]:
        """The findings again for a form shown, not finished, with an override already typed (a
        form kept over an expired session, accounts.kept_forms; a draft refused for another
        answer), so the list and the typed reason are shown as they were; [] otherwise."""
        if not self.is_bound or self.finishing:
            return []
        typed = self.data.get("override") or (self.data.get("override_reason") or "").strip()
        drug = self.data.get("drug") or ""
        if not typed or not guards.is_biologic(drug):
            return []
        try:
            start = forms.DateField().clean(self.data.get("date"))
        except forms.ValidationError:
            return []
        course = self.as_course({"drug": drug, "date": start})
        record = self.instance
        h_resept = guards.h_resept(
            unit=record.unit if record.unit_id else None,
            patient_id=self.patient.pk,
            drug=drug,
            start=start,
            end=None,
            today=timezone.localdate(),
        )
        return [*guards.check(patient=self.patient, course=course), *h_resept]

    def check_guard(self, values: dict[str, Any]) -> None:
        """treatments.guards on finishing: a biologic's start with findings is saved only with
        the override ticked and a reason; ending or adjusting a course keeps its override."""
        drug, start = values.get("drug") or "", values.get("date")
        if not guards.is_biologic(drug):
            self.override_decision = Override(())  # no biologic: no override to keep
            return
        if not self.finishing or start is None:
            return  # a draft is not a start: nothing derived reads drafts
        record = self.instance
        # a finished course checked again as stored is the decision already taken (the
        # instance still holds its stored values here: the form fills it in after clean)
        finished = record.pk is not None and record.status == Status.FINISHED
        earlier = record if finished else record.replaces
        today = timezone.localdate()
        starts = guards.guarded(
            drug=drug, start=start, end=values.get("end"), earlier=earlier, today=today
        )
        # TX-6 H-resept (delegations): a private practice starting or continuing a biologic
        # (a new course or a correction; a finished course checked again as stored is the
        # decision already taken)
        h_resept = guards.h_resept(
            unit=record.unit if record.unit_id and not finished else None,
            patient_id=self.patient.pk,
            drug=drug,
            start=start,
            end=values.get("end"),
            today=today,
        )
        if not starts and not h_resept:
            return
        checked = (
            guards.check(patient=self.patient, course=self.as_course(values)) if starts else []
        )
        self.guard_findings = [*checked, *h_resept]
        if not self.guard_findings:
            self.override_decision = Override(())
            return
        reason = (values.get("override_reason") or "").strip()
        if not values.get("override"):
            self.add_error(
                "override",
                gettext(
                    "Not saved: the safety checks listed are not in place. Tick this box and "
                    "give a reason to start the course all the same."
                ),
            )
        elif not reason:
            self.add_error("override_reason", gettext("Give the reason for the override."))
        else:
            keys = guards.overridden_keys(self.guard_findings)
            if not starts and earlier is not None:  # a course continued keeps its start's
                keys = [*(k for k in earlier.overridden if k not in keys), *keys]
            self.override_decision = Override(tuple(keys), reason)

    def commit(self, *, actor: Actor, loaded_version: int | None = None, token: str = "") -> Record:
        """Saves through treatments.services.save_course (records.services.save_record with
        the override and its audit row in the same transaction)."""
        record = self.instance
        assert isinstance(record, DrugCourse)  # noqa: S101
        self.before_save(record)
        return save_course(
            record=record,
            actor=actor,
            finish=self.finishing,
            override=self.override_decision,
            loaded_version=loaded_version,
            token=token,
        )
