"""The clinical forms: medical history, the patient's report (DLQI, pain, the follow-up) and the
doctor's assessment with its grid of body regions.

Scores are never computed here: assessments.scoring calls the guideline engine, both when a form
is saved and for the live preview (records:live), which reads the same form leniently.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hsreg.formats import show_date
from hsreg.guideline import scores
from hsreg.guideline.hsiga import SOURCE as HS_IGA_SOURCE
from hsreg.guideline.staging import (
    HURLEY_STAGES,
    LESION_DEFINITIONS,
    SEVERITY_NAMES,
    hurley_name,
)
from hsreg.patients.case_document import PAIRING_DAYS
from hsreg.patients.selectors import current
from hsreg.records.forms import RecordForm, When, group, limits, only_when, set_range
from hsreg.records.layout import Group
from hsreg.records.models import Record
from hsreg.treatments.forms import limit_interventions, surgical_intervention_ids
from hsreg.web.language import pick

from .models import (
    CDLQI_7,
    HURLEY,
    PAIN_FIELDS,
    DoctorAssessment,
    MedicalHistory,
    PatientReport,
    Region,
    RegionFinding,
)
from .scoring import (
    RegionCounts,
    band_label,
    cdlqi_item_scores,
    dlqi_item_scores,
    instrument_name,
    report_band_label,
    report_dlqi_total,
    score_assessment,
)

COUNTS = ("nodules", "abscesses", "draining_tunnels")
#: XB-6: the CDLQI's answers to items 1-6 and 8-10 (no "not relevant")
CDLQI_ANSWER = [(code, label) for code, label in CDLQI_7 if code != 6]
PREVENTED_SCHOOL = 6
#: XB-6: the CDLQI's items as the clinic's form labels them (stored in dlqi_1 ... dlqi_10)
CDLQI_LABELS = {
    "dlqi_1": _('1. Itchy, "scratchy", sore or painful skin'),
    "dlqi_2": _("2. Embarrassed, self-conscious, upset or sad because of the skin"),
    "dlqi_3": _("3. Skin affected friendships"),
    "dlqi_4": _("4. Changed or wore different or special clothes or shoes because of the skin"),
    "dlqi_5": _("5. Skin trouble affected going out, playing or doing hobbies"),
    "dlqi_6": _("6. Avoided swimming or other sports because of the skin"),
    "dlqi_8": _("8. Trouble with being called names, teased, bullied, asked questions or avoided"),
    "dlqi_9": _("9. Sleep affected by the skin problem"),
    "dlqi_10": _("10. Treatment for the skin has been a problem"),
}
DLQI_ONLY = ("dlqi_7", "dlqi_7_problems")
CDLQI_ONLY = ("cdlqi_7_period", "cdlqi_7")


def branches(layout: tuple[Any, ...]) -> tuple[dict[str, When], list[str]]:
    """The questions of a layout in order, and the ``When`` each is asked under (as
    RecordForm computes them for a form's class LAYOUT)."""
    branch: dict[str, When] = {}
    order: list[str] = []

    def walk(items: tuple[Any, ...], inherited: When | None) -> None:
        for item in items:
            if isinstance(item, str):
                order.append(item)
                if inherited is not None:
                    branch[item] = inherited
            else:
                walk(item.items, item.when or inherited)

    walk(layout, None)
    return branch, order


CELLS = (*COUNTS, "hurley", "longest_distance_cm", "separated_by_normal_skin")
AGES = ("age_first_boil", "age_first_gp", "age_diagnosis")


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def lenient_values(
    form: RecordForm, relevant: Callable[[str], bool]
) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """What can be read from a form being typed: the valid answers, and (label, reason) of the
    ``relevant`` answers left out. An unsaved page (not bound) is read from its initial
    answers."""
    if form.is_bound:
        form.is_valid()
        ignored = [
            (str(form.fields[name].label), str(error))
            for name, errors in form.errors.items()
            if name in form.fields and relevant(name)
            for error in errors
        ]
        return dict(form.cleaned_data), ignored
    values: dict[str, Any] = {}
    for name, form_field in form.fields.items():
        try:
            values[name] = form_field.clean(form[name].value())
        except forms.ValidationError:
            continue
    return values, []


def check_control_date(form: RecordForm, values: dict[str, Any]) -> None:
    """A control is not dated before the intervention it follows up."""
    followed, day = values.get("intervention"), values.get("date")
    if (
        followed is not None
        and day is not None
        and day < followed.date
        and "date" not in form.errors
    ):
        form.add_error(
            "date",
            gettext("A control cannot be dated before the intervention it follows up (%(day)s).")
            % {"day": show_date(followed.date)},
        )


class MedicalHistoryForm(RecordForm):
    LAYOUT = (
        group(
            _("Registration"),
            "date",
            "height_cm",
            "age_first_boil",
            "age_first_gp",
            "age_diagnosis",
            "months_gp_to_specialist",
        ),
        group(
            _("Earlier treatment of HS"),
            "prior_surgery",
            group(
                _("Which surgery"),
                "surgery_excision",
                "surgery_drainage",
                "surgery_co2_laser",
                "surgery_deroofing",
                "surgery_other",
                "surgery_unknown",
                when=When("prior_surgery", ("1",)),
            ),
            "prior_medication",
            group(
                _("Which medication"),
                "medication_antibiotic",
                "medication_isotretinoin",
                "medication_acitretin",
                "medication_metformin",
                "medication_antiinflammatory",
                "medication_biologic",
                "medication_hormonal",
                "medication_psychiatric",
                when=When("prior_medication", ("1",)),
            ),
        ),
        group(
            _("HS in the family"),
            "family_history",
            group(
                _("Which relatives"),
                "family_father",
                "family_mother",
                "family_siblings",
                "family_children",
                "family_other",
                "family_unknown",
                when=When("family_history", ("1",)),
            ),
        ),
        group(
            _("Other diseases"),
            "acne",
            "skin_disease",
            only_when("skin_disease", "1", items=["skin_disease_type"]),
            "pilonidal",
            "rheumatic",
            only_when("rheumatic", "1", items=["rheumatic_type"]),
            "bowel_disease",
            only_when("bowel_disease", "1", items=["bowel_disease_type"]),
            "diabetes",
            only_when("diabetes", "1", items=["diabetes_type"]),
            "hypertension",
            "cardiovascular",
            group(
                _("Which heart or vascular disease"),
                "cardio_angina",
                "cardio_infarction",
                "cardio_failure",
                "cardio_arrhythmia",
                "cardio_other",
                when=When("cardiovascular", ("1",)),
            ),
            "other_disease",
            only_when("other_disease", "1", items=["other_disease_text"]),
        ),
        group(_("Comment"), "comment"),
    )

    class Meta:
        model = MedicalHistory
        exclude = [
            "patient",
            "unit",
            "status",
            "created_by",
            "finished_at",
            "replaces",
            "correction_reason",
        ]

    def clean_record(self, values: dict[str, Any]) -> None:
        """An age asked about cannot exceed the patient's age on the form's date."""
        day = values.get("date")
        if day is None:
            return
        age = age_on(self.patient.birth_date, day)
        for name in AGES:
            value = values.get(name)
            if value is not None and value > age and name not in self.errors:
                self.add_error(
                    name,
                    gettext("Cannot be more than the patient's age on the date (%(age)s).")
                    % {"age": age},
                )


class PatientReportForm(RecordForm):
    UNKNOWN_FOR = PAIN_FIELDS
    EXTRA_FINISH_REQUIRED = ("intervention",)
    CONTROL_TABLES = {"preintervention": "patientcontrol"}
    CONTROL_NAMES = {"PREINTERVENTION_DATE": "CONTROL_DATE", "WORK": "WORKSTATUS"}
    LAYOUT = (
        group(
            _("Occasion"),
            "date",
            "occasion",
            only_when("occasion", "3m", "6m", items=["intervention"]),
        ),
        group(_("Smoking and work"), "smoking", "work"),
        group(
            _("Boils and pain"),
            "boils_last_4_weeks",
            "worst_boil_pain",
            group(
                _("Pain (0 = none, 10 = worst)"),
                "vas_total",
                "vas_axilla_right",
                "vas_axilla_left",
                "vas_groin_right",
                "vas_groin_left",
                "vas_other",
            ),
        ),
        group(
            _("Dermatology Life Quality Index (DLQI)"),
            "dlqi_1",
            "dlqi_2",
            "dlqi_3",
            "dlqi_4",
            "dlqi_5",
            "dlqi_6",
            "dlqi_7",
            only_when("dlqi_7", "0", items=["dlqi_7_problems"]),
            "dlqi_8",
            "dlqi_9",
            "dlqi_10",
            note=_("About the last week. Scored by MO-1a: not relevant counts 0."),
        ),
        group(
            _("Follow-up"),
            "satisfaction",
            "would_repeat",
            "would_recommend",
            "still_on_treatment",
            only_when("still_on_treatment", "1", items=["dose_change"]),
            group(
                "",
                "stop_reason",
                only_when("stop_reason", "2", items=["stop_adverse_effect"]),
                when=When("still_on_treatment", ("0",)),
            ),
            group(
                _("Complications after the operation"),
                "wound_infection",
                "delayed_healing",
                "scar_problems",
                "nerve_damage",
                "sepsis",
                "bleeding",
                "other_complications",
                only_when("other_complications", "1", items=["other_complications_text"]),
                when=When("intervention", dynamic="surgical_interventions"),
            ),
            when=When("occasion", ("3m", "6m")),
        ),
        group(_("Comment"), "comment"),
    )

    class Meta:
        model = PatientReport
        exclude = [
            "patient",
            "unit",
            "status",
            "created_by",
            "finished_at",
            "replaces",
            "correction_reason",
            "dlqi_total",
            # set by the form (XB-6: by the patient's age) or by the patient's submission
            "dlqi_instrument",
            "reported_by",
            "reported_channel",
            "reported_at",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._surgical: list[str] | None = None
        limit_interventions(self)
        self.fields["intervention"].help_text = _(
            "A 3- or 6-month control follows up one of the patient's finished interventions."
        )
        self.instrument = self._instrument()
        if self.instrument == "cdlqi":
            self._use_cdlqi()
        else:
            for name in CDLQI_ONLY:
                del self.fields[name]

    def _instrument(self) -> str:
        """XB-6: a stored form keeps its instrument; a new one is the CDLQI for a patient
        under 16 today."""
        if self.instance.pk:
            return str(self.instance.dlqi_instrument)
        age = max(0, age_on(self.patient.birth_date, timezone.localdate()))
        return scores.quality_of_life_instrument(age)

    def _use_cdlqi(self) -> None:
        """The CDLQI's group (XB-6) instead of the DLQI's: its labels and answers, item 7 as
        school time or holiday and then how much."""
        self.LAYOUT = CDLQI_LAYOUT  # type: ignore[misc,assignment]
        self._branch, self._order = branches(CDLQI_LAYOUT)  # type: ignore[misc]
        for name in DLQI_ONLY:
            del self.fields[name]
        for name, label in CDLQI_LABELS.items():
            self.fields[name].label = label
            self.fields[name].choices = [("", "—"), *CDLQI_ANSWER]  # type: ignore[attr-defined]
        self.fields["cdlqi_7"].help_text = _(
            '"Prevented school" is an answer for school time only; it scores as very much.'
        )

    def surgical_interventions(self) -> list[str]:
        if self._surgical is None:
            self._surgical = surgical_intervention_ids(self)
        return self._surgical

    def clean_record(self, values: dict[str, Any]) -> None:
        check_control_date(self, values)
        if (
            self.instrument == "cdlqi"
            and values.get("cdlqi_7") == PREVENTED_SCHOOL
            and values.get("cdlqi_7_period") != 1
            and "cdlqi_7" not in self.errors
        ):
            self.add_error(
                "cdlqi_7", gettext('"Prevented school" is an answer for school time only.')
            )

    def before_save(self, record: Record) -> None:
        assert isinstance(record, PatientReport)  # noqa: S101
        record.dlqi_instrument = self.instrument
        record.dlqi_total = report_dlqi_total(record)

    def instrument_name(self) -> str:
        return instrument_name(self.instrument)

    def reported_channel_label(self) -> str:
        """How the patient sent the report (SMS link, e-mail link, clinic tablet, ...)."""
        from hsreg.questionnaires.models import Channel  # noqa: PLC0415 - app above this

        channel = self.instance.reported_channel
        return str(Channel(channel).label) if channel in Channel.values else channel

    def instrument_rule(self) -> str:
        return "XB-6" if self.instrument == "cdlqi" else "MO-1a"

    def stored_band(self) -> str:
        return report_band_label(self.instance)

    def live_context(self) -> dict[str, Any]:
        """The DLQI (MO-1a) or, under 16, the CDLQI (XB-6) of the answers typed so far."""
        values, ignored = lenient_values(self, lambda name: name.startswith(("dlqi_", "cdlqi_")))
        answers = [values.get(f"dlqi_{n}") for n in range(1, 11)]
        if self.instrument == "cdlqi":
            items = cdlqi_item_scores(answers, values.get("cdlqi_7"))
            total = scores.cdlqi_total(items)
        else:
            problems = values.get("dlqi_7_problems") if values.get("dlqi_7") == 0 else None
            items = dlqi_item_scores(answers, problems)
            total = scores.dlqi_total(items)
        band, label = band_label(self.instrument, total)
        return {
            "kind": "patient",
            "instrument": instrument_name(self.instrument),
            "instrument_rule": self.instrument_rule(),
            "dlqi": total,
            "dlqi_band": band,
            "dlqi_band_label": label,
            "dlqi_unanswered": sum(1 for i in items if i is None),
            "ignored": ignored,
        }


def hs_iga_live(regions: list[RegionCounts], grade: int | None) -> dict[str, Any]:
    """XB-7 for the live scores: the grade with the counts it was set by and its source (it
    goes beyond the NFDV guideline, 2019, so the form says so). Without counts per region
    there is no HS-IGA."""
    counts = scores.hs_iga_counts(regions) if regions else None
    return {
        "hs_iga": grade,
        "hs_iga_upper": counts.upper_body if counts else None,
        "hs_iga_lower": counts.lower_body if counts else None,
        "hs_iga_other": counts.other if counts else None,
        "hs_iga_source": pick(HS_IGA_SOURCE).strip(),
    }


def _cdlqi_group() -> Group:
    return group(
        _("Children's Dermatology Life Quality Index (CDLQI)"),
        "dlqi_1",
        "dlqi_2",
        "dlqi_3",
        "dlqi_4",
        "dlqi_5",
        "dlqi_6",
        "cdlqi_7_period",
        only_when("cdlqi_7_period", "1", "2", items=["cdlqi_7"]),
        "dlqi_8",
        "dlqi_9",
        "dlqi_10",
        note=_("About the last week. The patient is under 16: the children's DLQI (XB-6)."),
    )


#: PatientReportForm's layout for a patient under 16 (XB-6): the CDLQI's group in the DLQI's
CDLQI_LAYOUT: tuple[Group, ...] = tuple(
    _cdlqi_group() if "dlqi_1" in g.items else g for g in PatientReportForm.LAYOUT
)


class DoctorAssessmentForm(RecordForm):
    EXTRA_FINISH_REQUIRED = ("intervention",)
    CONTROL_TABLES = {"preinterventiondoctor": "doctorcontrol"}
    CONTROL_NAMES = {"PREINTERVENTIONDOCTOR_DATE": "CONTROL_DATE"}
    LAYOUT = (
        group(
            _("Occasion"),
            "date",
            "occasion",
            only_when("occasion", "3m", "6m", items=["intervention"]),
        ),
        group(_("Lesions per body region"), template="assessments/_region_grid.html"),
        group(
            _("Totals and Hurley stage"),
            "nodules",
            "abscesses",
            "draining_tunnels",
            "hurley",
            note=_(
                "Type the totals only when no region is counted: counts per region replace them, "
                "and the worst region's Hurley stage is the patient's (ST-1)."
            ),
            extra="assessments/_hurley_stages.html",
        ),
        group(_("Weight and inflammatory activity"), "weight_kg", "inflammatory_activity"),
        group(
            _("Diagnosis criteria (DX-1)"),
            "typical_lesions",
            "typical_location",
            "chronic_relapsing",
        ),
        group(_("Comment"), "comment"),
    )

    class Meta:
        model = DoctorAssessment
        fields = [
            "date",
            "occasion",
            "intervention",
            "nodules",
            "abscesses",
            "draining_tunnels",
            "hurley",
            "weight_kg",
            "inflammatory_activity",
            "typical_lesions",
            "typical_location",
            "chronic_relapsing",
            "comment",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_interventions(self)
        for name in COUNTS:
            self.fields[name].help_text = f"{pick(LESION_DEFINITIONS[name])} (ST-3)"
        stored = {}
        if self.instance.pk and not self.is_bound:
            stored = {r.region: r for r in self.instance.regions.all()}
        for region, label in Region.choices:
            for cell in CELLS:
                name = f"{region}-{cell}"
                self.fields[name] = self._cell(cell, f"{label}: {self._cell_label(cell)}")
                if region in stored:
                    self.initial[name] = getattr(stored[region], cell)

    @staticmethod
    def _cell_label(cell: str) -> str:
        return str(RegionFinding._meta.get_field(cell).verbose_name)

    @staticmethod
    def _cell(cell: str, label: str) -> forms.Field:
        model_field = RegionFinding._meta.get_field(cell)
        attrs = {"aria-describedby": f"def-{cell}"} if cell in COUNTS else {}
        if cell == "hurley":
            return forms.TypedChoiceField(
                label=label,
                choices=[("", "–"), *((k, hurley_name(k)) for k, _v in HURLEY)],
                coerce=int,
                empty_value=None,
                required=False,
            )
        if cell == "separated_by_normal_skin":
            return forms.NullBooleanField(label=label, required=False)
        if cell == "longest_distance_cm":
            found: forms.Field = forms.DecimalField(
                label=label, max_digits=5, decimal_places=1, required=False
            )
        else:
            found = forms.IntegerField(
                label=label, required=False, widget=forms.NumberInput(attrs=attrs)
            )
        low, high = limits(model_field)  # type: ignore[arg-type]
        set_range(found, 0 if low is None else low, high)
        return found

    def grid(self) -> list[dict[str, Any]]:
        """Rows of the region grid: the region and its bound cells in CELLS order."""
        return [
            {
                "region": region,
                "label": label,
                "cells": [self[f"{region}-{cell}"] for cell in CELLS],
            }
            for region, label in Region.choices
        ]

    def grid_headers(self) -> list[str]:
        return [self._cell_label(cell) for cell in CELLS]

    def region_counts(self, values: dict[str, Any]) -> list[RegionCounts]:
        """The regions with anything entered; a count left empty there is 0."""
        found = []
        for region in Region.values:
            cells = {cell: values.get(f"{region}-{cell}") for cell in CELLS}
            if all(v is None or v == "" for v in cells.values()):
                continue
            distance = cells["longest_distance_cm"]
            found.append(
                RegionCounts(
                    region=region,
                    nodules=cells["nodules"] or 0,
                    abscesses=cells["abscesses"] or 0,
                    draining_tunnels=cells["draining_tunnels"] or 0,
                    hurley=cells["hurley"],
                    longest_distance_cm=float(distance) if distance is not None else None,
                    separated_by_normal_skin=cells["separated_by_normal_skin"],
                )
            )
        return found

    def clean_record(self, values: dict[str, Any]) -> None:
        check_control_date(self, values)
        regions = self.region_counts(values)
        if regions:
            for name in COUNTS:
                total = sum(getattr(r, name) for r in regions)
                high = limits(DoctorAssessment._meta.get_field(name))[1]  # type: ignore[arg-type]
                if total > high:
                    self.add_error(
                        name,
                        gettext("The regions add up to %(total)s; HISREG allows at most %(high)s.")
                        % {"total": total, "high": high},
                    )
                else:
                    values[name] = total
            stages = [r.hurley for r in regions if r.hurley is not None]
            if stages:
                values["hurley"] = max(stages)
        elif self.finishing:
            for name in COUNTS:
                if values.get(name) is None and name not in self.errors:
                    self.add_error(
                        name,
                        gettext(
                            "Count the lesions per region or type this total: the guideline "
                            "asks for IHS4 at every assessment (ST-2)."
                        ),
                    )

    def height_cm(self) -> int | None:
        """The patient's height from their current medical history (for BMI)."""
        if not hasattr(self, "_height"):
            self._height = (
                current(MedicalHistory, patient=self.patient)
                .filter(height_cm__isnull=False)
                .order_by("-date", "-id")
                .values_list("height_cm", flat=True)
                .first()
            )
        return self._height

    def scores_of(self, values: dict[str, Any]) -> Any:
        weight = values.get("weight_kg")
        return score_assessment(
            regions=self.region_counts(values),
            nodules=values.get("nodules"),
            abscesses=values.get("abscesses"),
            draining_tunnels=values.get("draining_tunnels"),
            hurley=values.get("hurley"),
            weight_kg=float(weight) if weight else None,
            height_cm=float(height) if (height := self.height_cm()) else None,
        )

    def before_save(self, record: Record) -> None:
        assert isinstance(record, DoctorAssessment)  # noqa: S101
        found = self.scores_of(self.cleaned_data)
        record.nodules = found.nodules
        record.abscesses = found.abscesses
        record.draining_tunnels = found.draining_tunnels
        record.hurley = found.hurley
        record.ihs4 = found.ihs4
        record.ihs4_category = found.ihs4_category
        record.an_count = found.an_count
        record.sartorius = found.sartorius
        record.bmi = found.bmi

    def children(self) -> Callable[[Any], None]:
        regions = self.region_counts(self.cleaned_data)

        def write(record: DoctorAssessment) -> None:
            RegionFinding.objects.filter(assessment=record).delete()
            RegionFinding.objects.bulk_create(
                RegionFinding(
                    assessment=record,
                    region=r.region,
                    nodules=r.nodules,
                    abscesses=r.abscesses,
                    draining_tunnels=r.draining_tunnels,
                    hurley=r.hurley,
                    longest_distance_cm=(
                        Decimal(str(r.longest_distance_cm))
                        if r.longest_distance_cm is not None
                        else None
                    ),
                    separated_by_normal_skin=r.separated_by_normal_skin,
                )
                for r in regions
            )

        return write

    @classmethod
    def copy_children(cls, original: Record) -> Callable[[Any], None]:
        rows = list(RegionFinding.objects.filter(assessment=original))

        def copy(record: DoctorAssessment) -> None:
            for row in rows:
                row.pk = None
                row.assessment = record
            RegionFinding.objects.bulk_create(rows)

        return copy

    def paired_report(self, day: date | None) -> PatientReport | None:
        """The patient's report joined with an assessment on ``day`` (as the case document
        pairs them): the nearest within PAIRING_DAYS."""
        if day is None:
            return None
        reports = [
            r
            for r in current(PatientReport, patient=self.patient).filter(dlqi_total__isnull=False)
            if abs((r.date - day).days) <= PAIRING_DAYS
        ]
        return min(reports, key=lambda r: (abs((r.date - day).days), r.date), default=None)

    def live_context(self) -> dict[str, Any]:
        """IHS4 (ST-2), AN (MO-2), worst Hurley (ST-1), modified Sartorius (XS-3), BMI and HS-IGA
        (XB-7, beyond the NFDV guideline 2019) of the grid as typed; cells that cannot be read
        are left out and listed."""
        values, ignored = lenient_values(
            self, lambda name: "-" in name or name in (*COUNTS, "hurley", "weight_kg")
        )
        regions = self.region_counts(values)
        found = self.scores_of(values)
        lacking = [
            str(Region(r.region).label)
            for r in regions
            if scores.sartorius_region(r) is None  # type: ignore[arg-type]
        ]
        report = self.paired_report(values.get("date"))
        return {
            "kind": "doctor",
            "from_regions": bool(regions),
            "nodules": found.nodules,
            "abscesses": found.abscesses,
            "draining_tunnels": found.draining_tunnels,
            "ihs4": found.ihs4,
            "ihs4_category": found.ihs4_category,
            "ihs4_category_label": (
                pick(SEVERITY_NAMES[found.ihs4_category]) if found.ihs4_category else ""
            ),
            "an": found.an_count,
            "hurley": found.hurley,
            "hurley_name": hurley_name(found.hurley) if found.hurley else "",
            "sartorius": found.sartorius,
            "sartorius_lacking": lacking,
            "bmi": found.bmi,
            "has_weight": bool(values.get("weight_kg")),
            "has_height": self.height_cm() is not None,
            "dlqi": report.dlqi_total if report else None,
            "dlqi_date": report.date if report else None,
            **hs_iga_live(regions, found.hs_iga),
            "ignored": ignored,
        }

    def stored_category(self) -> str:
        category = self.instance.ihs4_category
        return pick(SEVERITY_NAMES[category]) if category in SEVERITY_NAMES else ""

    def stored_hurley(self) -> str:
        return hurley_name(self.instance.hurley) if self.instance.hurley else ""

    def stored_hs_iga(self) -> dict[str, Any]:
        """XB-7 of the saved regions (no HS-IGA without them), as the live scores show it."""
        if self.instance.pk is None:
            return hs_iga_live([], None)
        regions = [
            RegionCounts(r.region, r.nodules, r.abscesses, r.draining_tunnels)
            for r in self.instance.regions.all()
        ]
        return hs_iga_live(regions, scores.hs_iga(regions) if regions else None)

    def hurley_stages(self) -> list[tuple[str, str]]:
        return [(hurley_name(k), pick(text)) for k, text in HURLEY_STAGES.items()]

    def lesion_definitions(self) -> list[tuple[str, str]]:
        return [(f"def-{k}", pick(text)) for k, text in LESION_DEFINITIONS.items()]
