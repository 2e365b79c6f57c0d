"""Which form supplies each thing the guideline panel says is missing, as a link.

The engine names missing data by its path in the case document (``assessments[1].dlqi``,
``screening.igra``, ``treatments[0].stop_reason``); the case document is built from the
patient's forms (patients.case_document), so each path leads back to a form: a new one to
fill in (the patient's report for a DLQI, the screening form, a drug course for an earlier
course), or the correction of the finished form that lacks the answer. No query: the forms are
those the page has already read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from hsreg.records.models import Record

from .case_document import PatientForms, case_assessments, case_vaccinations, latest_screening

_INDEXED = re.compile(r"^(?P<part>[a-z_]+)(?:\[(?P<index>\d+)\])?(?:\.(?P<field>[a-z_0-9]+))?$")
# fields of an assessment that the patient's report supplies (DLQI, pain: MO-1, MO-1a)
REPORT_FIELDS = frozenset({"dlqi", "dlqi_items", "pain_vas"})


@dataclass(frozen=True, slots=True)
class FormLink:
    """A link to the form that supplies a missing item: its address and what it says."""

    url: str
    text: str | Promise


@dataclass(frozen=True, slots=True)
class Links:
    """Builds the links for one patient from the forms the case document was made of."""

    patient_id: int
    forms: PatientForms
    as_of: date
    own_unit_id: int | None  # forms of another unit open read-only: linked to, not corrected

    def new(self, kind: str, text: str | Promise) -> FormLink:
        url = reverse("records:new", kwargs={"patient_id": self.patient_id, "kind": kind})
        return FormLink(url, text)

    def correct(self, kind: str, record: Record, text: str | Promise) -> FormLink:
        """The correction of the form that lacks the answer; another unit's form, which only
        that unit may correct, is linked to for reading."""
        own = record.unit_id == self.own_unit_id  # type: ignore[attr-defined]
        url = reverse(
            "records:correct" if own else "records:detail",
            kwargs={"patient_id": self.patient_id, "kind": kind, "record_id": record.pk},
        )
        return FormLink(url, text if own else _("Open the form (another unit's)"))

    def screening(self) -> FormLink:
        """The screening form: the latest one corrected, or a new one when there is none."""
        latest = latest_screening(self.forms)
        if latest is None:
            return self.new("screening", _("Screening form"))
        return self.correct("screening", latest, _("Complete the screening form"))

    def doctor_assessment(self) -> FormLink:
        return self.new("doctor-assessment", _("Doctor's assessment"))

    def latest_assessment(self) -> FormLink:
        """The correction of the latest doctor's assessment (ST-1's stage or counts)."""
        assessments = case_assessments(self.forms, as_of=self.as_of)
        if not assessments:
            return self.doctor_assessment()
        return self.correct(
            "doctor-assessment", assessments[-1], _("Correct the doctor's assessment")
        )

    def patient_report(self) -> FormLink:
        return self.new("patient-report", _("Patient's report"))

    def earlier_course(self) -> FormLink:
        """TX-6 Reading (C0 and the medical history): the earlier antibiotic course."""
        return self.new("drug-course", _("Register the earlier course with its stop reason"))

    def for_path(self, path: str) -> FormLink | None:
        """The form that supplies the case document's field ``path`` (None: no form does)."""
        match = _INDEXED.match(path)
        if match is None:
            return None
        part, field = match["part"], match["field"] or ""
        index = int(match["index"]) if match["index"] is not None else None
        if part == "assessments":
            return self._assessment(index, field)
        if part == "treatments":
            courses = self.forms.courses
            if index is None:
                return self.earlier_course()
            if index < len(courses):
                return self.correct("drug-course", courses[index], _("Correct the drug course"))
            return None
        if part == "screening":
            return self.screening()
        if part == "vaccinations" and index is not None:
            given = case_vaccinations(self.forms, as_of=self.as_of)
            if index < len(given):
                return self.correct("vaccination", given[index], _("Correct the vaccination"))
            return None
        if part in ("diagnosis", "patient"):
            return self.doctor_assessment()
        return None

    def _assessment(self, index: int | None, field: str) -> FormLink | None:
        if field in REPORT_FIELDS:
            return self.patient_report()
        if index is None:
            return self.doctor_assessment()
        assessments = case_assessments(self.forms, as_of=self.as_of)
        if index < len(assessments):
            return self.correct(
                "doctor-assessment", assessments[index], _("Correct the doctor's assessment")
            )
        return self.doctor_assessment()
