"""HISREG's Tabell 3-6: how complete selected variables are, before treatment and at the
follow-up, with "don't know" counted as missing or as filled in (the four "Kompletthet"
tables at the end of ``inst/FigTilAarsrapp2021.Rnw``).

R counts the rows of RegData of the report year (the complete episodes, R/lastShinyHisreg.R's
inner merges: reports.models.Episode.complete, D1); the follow-up tables those with a follow-up
registration (``OppflgRegStatus %in% 1:2``: here a finished control form, the patient's or the
doctor's, of the control that judges the episode). Each R variable is read from the hsreg
field named in ``Variable.source``; R's UtdanningSSB (education from Statistics Norway) has no
counterpart in hsreg and is left out (the table's note says so). One aggregate query.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_cte import CTE, with_cte

from hsreg.assessments.models import DoctorAssessment, MedicalHistory, PatientReport
from hsreg.records.models import Status
from hsreg.units.models import Unit

from .. import suppression
from ..episodes import baseline, control, episode_rows
from .common import Label, _scope
from .protect import PUBLIC, Reader


@dataclass(frozen=True, slots=True)
class Variable:
    """One row of a completeness table: R's variable, the hsreg column it is read from, and
    the codes that count as filled in when "don't know" counts as missing."""

    column: str
    label: Label
    r_name: str
    source: Label
    known: tuple[int, ...] | None = None  # None: any value is filled in


@dataclass(frozen=True, slots=True)
class CompletenessRow:
    label: str
    r_name: str
    source: str
    filled: int | None  # None: hidden (a small count of one unit)
    percent: float | None


@dataclass(frozen=True, slots=True)
class Completeness:
    id: str
    title: str
    rows: list[CompletenessRow]
    total: int | None  # the episodes (with a follow-up) the shares are of
    note: str
    scope: str = ""


_BASELINE = gettext_lazy("the episode's latest own finished before-treatment patient's report")
_DOCTOR = gettext_lazy("the episode's latest own finished before-treatment doctor's assessment")
_HISTORY = gettext_lazy("the patient's latest finished medical history")
_CONTROL = gettext_lazy("the finished patient's report of the control that judges the episode")

BEFORE: tuple[Variable, ...] = (
    Variable("age", gettext_lazy("Age"), "PasientAlder", gettext_lazy("Patient.birth_date")),
    Variable("sex", gettext_lazy("Sex"), "ErMann", gettext_lazy("Patient.sex")),
    Variable("c_smoking", gettext_lazy("Smoking"), "SMOKING", _BASELINE, (1, 2, 3)),
    Variable("c_work", gettext_lazy("Work status"), "WORK", _BASELINE, (1, 2, 3, 4, 5, 6)),
    Variable("c_surgery", gettext_lazy("Prior surgery"), "SURGERY", _HISTORY, (0, 1)),
    Variable(
        "c_medication",
        gettext_lazy("Medication history"),
        "MEDICATION_HISTORY_HS",
        _HISTORY,
        (0, 1),
    ),
    Variable("c_boils", gettext_lazy("Number of painful boils"), "ABSCESS", _BASELINE),
    Variable("c_dlqi", gettext_lazy("DLQI"), "DLQISUM", _BASELINE),
    Variable("c_family", gettext_lazy("HS in the family"), "FAMILY_ILLNES", _HISTORY, (0, 1)),
    Variable("base_bmi", gettext_lazy("BMI"), "BMI", _DOCTOR),
    Variable("base_ihs4", gettext_lazy("IHS4 score"), "IHS4SCORE", _DOCTOR),
)
AFTER: tuple[Variable, ...] = (
    Variable("p_smoking", gettext_lazy("Smoking"), "SMOKING_POST", _CONTROL, (1, 2, 3)),
    Variable(
        "p_work", gettext_lazy("Work status"), "WORKSTATUS_POST", _CONTROL, (1, 2, 3, 4, 5, 6)
    ),
    Variable("p_boils", gettext_lazy("Number of painful boils"), "ABSCESS_POST", _CONTROL),
    Variable("p_dlqi", gettext_lazy("DLQI"), "DLQISUM_POST", _CONTROL),
    Variable(
        "p_satisfaction", gettext_lazy("Satisfaction"), "SATISFACTION", _CONTROL, (1, 2, 3, 4, 5)
    ),
)
#: the patient's report's and the medical history's fields each column reads
SOURCES = {
    "c_smoking": "smoking",
    "c_work": "work",
    "c_boils": "boils_last_4_weeks",
    "c_dlqi": "dlqi_total",
    "p_smoking": "smoking",
    "p_work": "work",
    "p_boils": "boils_last_4_weeks",
    "p_dlqi": "dlqi_total",
    "p_satisfaction": "satisfaction",
    "c_surgery": "prior_surgery",
    "c_medication": "prior_medication",
    "c_family": "family_history",
}
FIELDS = {
    "c_smoking": "PatientReport.smoking",
    "c_work": "PatientReport.work",
    "c_boils": "PatientReport.boils_last_4_weeks",
    "c_dlqi": "PatientReport.dlqi_total",
    "c_surgery": "MedicalHistory.prior_surgery",
    "c_medication": "MedicalHistory.prior_medication",
    "c_family": "MedicalHistory.family_history",
    "base_bmi": "DoctorAssessment.bmi",
    "base_ihs4": "DoctorAssessment.ihs4",
    "p_smoking": "PatientReport.smoking",
    "p_work": "PatientReport.work",
    "p_boils": "PatientReport.boils_last_4_weeks",
    "p_dlqi": "PatientReport.dlqi_total",
    "p_satisfaction": "PatientReport.satisfaction",
}


def _history(field: str, as_of: date) -> Subquery:
    forms = MedicalHistory.objects.filter(
        patient=OuterRef("patient"), status=Status.FINISHED, date__lte=as_of
    )
    return Subquery(forms.order_by("-date", "-id").values(field)[:1])


def _judging_form(model: Any, as_of: date) -> Exists:
    return Exists(
        model.objects.filter(
            intervention=OuterRef("pk"),
            status=Status.FINISHED,
            date__lte=as_of,
            occasion=OuterRef("judged_at"),
        )
    )


def _rows(*, year: int, as_of: date, unit: Unit | None) -> Any:
    rows = episode_rows(as_of=as_of, years=(year, year)).filter(episode__complete=True)
    if unit is not None:
        rows = rows.filter(unit=unit)
    annotations: dict[str, Any] = {}
    for column, field in SOURCES.items():
        if column in ("c_surgery", "c_medication", "c_family"):
            annotations[column] = _history(field, as_of)
        elif column.startswith("c_"):
            annotations[column] = baseline(PatientReport, field)
        else:
            annotations[column] = control(PatientReport, field)
    rows = rows.annotate(
        **annotations,
        followed_up=_judging_form(PatientReport, as_of) | _judging_form(DoctorAssessment, as_of),
    )
    columns = ["id", "followed_up", *(v.column for v in (*BEFORE, *AFTER))]
    cte = CTE(rows.values(*columns), name="completeness", materialized=True)
    return with_cte(cte, select=cte.queryset())


def _filled(variable: Variable, *, unknown_missing: bool) -> Q:
    if variable.column == "sex":
        return Q(sex__isnull=False) & ~Q(sex="")
    if unknown_missing and variable.known is not None:
        return Q(**{f"{variable.column}__in": variable.known})
    return Q(**{f"{variable.column}__isnull": False})


#: (id, the variables, whether "don't know" is missing, whether of the followed-up episodes)
TABLES = (
    ("completeness_before_unknown_missing", BEFORE, True, False),
    ("completeness_before_unknown_filled", BEFORE, False, False),
    ("completeness_followup_unknown_filled", AFTER, False, True),
    ("completeness_followup_unknown_missing", AFTER, True, True),
)


def _title(table_id: str, year: int) -> str:
    titles = {
        "completeness_before_unknown_missing": _(
            "Completeness of selected variables before treatment, %(year)s. Don't know counts "
            "as missing"
        ),
        "completeness_before_unknown_filled": _(
            "Completeness of selected variables before treatment, %(year)s. Don't know counts "
            "as filled in"
        ),
        "completeness_followup_unknown_filled": _(
            "Completeness of selected variables at the follow-up, episodes of %(year)s. Don't "
            "know counts as filled in"
        ),
        "completeness_followup_unknown_missing": _(
            "Completeness of selected variables at the follow-up, episodes of %(year)s. Don't "
            "know counts as missing"
        ),
    }
    return titles[table_id] % {"year": year}


def _note(variables: Sequence[Variable], *, followup: bool) -> str:
    said = "; ".join(
        f"{v.label} ({v.r_name}): {FIELDS.get(v.column, v.source)}"
        + ("" if v.column not in FIELDS else f", {v.source}")
        for v in variables
    )
    base = (
        _(
            "Of the complete episodes of the year with a finished control form (the patient's "
            "or the doctor's) of the control that judges them (R: OppflgRegStatus 1 or 2)."
        )
        if followup
        else _(
            "Of the complete episodes of the year. R's UtdanningSSB (education from Statistics "
            "Norway) has no counterpart in hsreg and is left out."
        )
    )
    read_from = _("Variables and the hsreg fields they are read from")
    return f"{base} {read_from}: {said}."


def _hidden_at_unit(filled: int, total: int) -> bool:
    return suppression.small_count(filled) or suppression.small_count(total - filled)


def completeness(
    *, year: int, as_of: date, unit: Unit | None = None, reader: Reader = PUBLIC
) -> list[Completeness]:
    """Tabell 3-6 of the whole country or of ``unit``: one aggregate query. At a unit, for
    a reader from outside it, a share that gives a count of 1-4 filled in or missing is not
    shown, nor are any shares of fewer than 5 episodes (small counts per unit, protect)."""
    aggregates: dict[str, Any] = {
        "all": Count("id"),
        "followed": Count("id", filter=Q(followed_up=True)),
    }
    for table_id, variables, unknown_missing, followup in TABLES:
        where = Q(followed_up=True) if followup else Q()
        for v in variables:
            aggregates[f"{table_id}__{v.column}"] = Count(
                "id", filter=where & _filled(v, unknown_missing=unknown_missing)
            )
    counted = _rows(year=year, as_of=as_of, unit=unit).aggregate(**aggregates)
    protected = unit is not None and not reader.exact and reader.own != unit.resh_id
    result = []
    for table_id, variables, _unknown, followup in TABLES:
        total = counted["followed" if followup else "all"] or 0
        hide_all = protected and suppression.small_count(total)
        rows = []
        for v in variables:
            filled = counted[f"{table_id}__{v.column}"] or 0
            hidden = hide_all or (protected and _hidden_at_unit(filled, total))
            percent = 100 * filled / total if total and not hidden else None
            rows.append(
                CompletenessRow(
                    str(v.label), v.r_name, str(v.source), None if hidden else filled, percent
                )
            )
        result.append(
            Completeness(
                table_id,
                _title(table_id, year),
                rows,
                None if hide_all else total,
                _note(variables, followup=followup),
                _scope(unit),
            )
        )
    return result
