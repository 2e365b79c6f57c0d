"""The doctor's assessment: the lesion counts per body region (the region grid) or their totals,
the Hurley stage, weight and the diagnosis criteria; the scores (IHS4, AN, worst Hurley,
modified Sartorius, BMI, HS-IGA) are computed when it is saved and live as it is typed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

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
from hsreg.records.forms import RecordForm, group, limits, only_when, set_range
from hsreg.records.models import Record
from hsreg.treatments.intervention_form import limit_interventions
from hsreg.web.language import pick

from ..baseline import score_control
from ..control import GATE, ControlPossible, control_questions, not_possible
from ..models import HURLEY, DoctorAssessment, MedicalHistory, PatientReport, Region, RegionFinding
from ..scoring import RegionCounts, score_assessment
from .common import CELLS, COUNTS, check_control_date, lenient_values


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


class DoctorAssessmentForm(ControlPossible, RecordForm):
    EXTRA_FINISH_REQUIRED = ("intervention",)
    CONTROL_TABLES = {"preinterventiondoctor": "doctorcontrol"}
    CONTROL_NAMES = {"PREINTERVENTIONDOCTOR_DATE": "CONTROL_DATE"}
    LAYOUT = (
        group(
            _("Occasion"),
            "date",
            "occasion",
            only_when("occasion", "3m", "6m", items=["intervention", *control_questions()]),
        ),
        group(_("Lesions per body region"), template="assessments/_region_grid.html", when=GATE),
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
            when=GATE,
        ),
        group(
            _("Weight and inflammatory activity"),
            "weight_kg",
            "inflammatory_activity",
            when=GATE,
        ),
        group(
            _("Diagnosis criteria (DX-1)"),
            "typical_lesions",
            "typical_location",
            "chronic_relapsing",
            when=GATE,
        ),
        group(_("Comment"), "comment"),
    )

    class Meta:
        model = DoctorAssessment
        fields = [
            "date",
            "occasion",
            "intervention",
            "control_possible",
            "impossible_reason",
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

    def region_counts_asked(self, values: dict[str, Any]) -> list[RegionCounts]:
        """The regions, none when the control could not be done (the grid is not asked)."""
        return [] if not_possible(self, values) else self.region_counts(values)

    def clean_record(self, values: dict[str, Any]) -> None:
        check_control_date(self, values)
        self.clean_control(values)
        if not_possible(self, values):
            return
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
            regions=self.region_counts_asked(values),
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
        score_control(record)

    def children(self) -> Callable[[Any], None]:
        regions = self.region_counts_asked(self.cleaned_data)

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
