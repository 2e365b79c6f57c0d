"""The administrative tables: episodes and patients per unit and year, forms per type and
status, patients by status."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import replace
from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _

from hsreg.assessments.models import (
    DoctorAssessment,
    MedicalHistory,
    PatientReport,
)
from hsreg.guideline.followup import window_days
from hsreg.patients.models import Enrolment
from hsreg.records.kinds import KINDS
from hsreg.records.models import Status
from hsreg.treatments.models import (
    SURGICAL_TYPES,
    Intervention,
    InterventionType,
)
from hsreg.units.models import Unit

from . import protect

#: how many years the trends and the tables of episodes and patients per year go back
from .common import (
    TREATED_TYPES,
    TREND_YEARS,
    Table,
    TableRow,
    _interventions,
    _year_bounds,
)
from .counts import (
    _judging,
)
from .protect import PUBLIC, Reader


def _per_unit_table(
    *,
    id: str,
    title: str,
    columns: list[str],
    counts: Mapping[int, list[int]],
    names: Mapping[int, str],
    sums: list[int] | None,
    sum_label: str,
    add_sum_column: bool,
    row_sums: tuple[tuple[int, tuple[int, ...]], ...] = (),
) -> Table:
    header = [*columns, _("Sum")] if add_sum_column else list(columns)
    if add_sum_column:
        row_sums = (*row_sums, (len(columns), tuple(range(len(columns)))))
    rows = []
    for resh in sorted(counts, key=lambda r: names.get(r, str(r))):
        values: list[int | None] = list(counts[resh])
        if add_sum_column:
            values.append(sum(counts[resh]))
        rows.append(TableRow(names.get(resh, str(resh)), values, key=resh))
    if sums is not None:
        total: list[int | None] = [*sums, sum(sums)] if add_sum_column else list(sums)
        rows.append(TableRow(sum_label, total, total=True))
    return Table(id, title, _("Unit"), header, rows, row_sums)


def _episodes_and_patients(
    *, year: int, as_of: date, unit: Unit | None, names: Mapping[int, str]
) -> list[Table]:
    """Tabell 1 and 2: episodes and unique patients per unit and year, the last five years."""
    years = list(range(year - TREND_YEARS + 1, year + 1))
    qs = _interventions(first=years[0], last=years[-1], as_of=as_of, unit=unit).annotate(
        year=ExtractYear("date")
    )
    per_unit = (
        qs.values("unit_id", "year")
        .order_by()
        .annotate(episodes=Count("id"), patients=Count("patient", distinct=True))
    )
    per_year = {
        r["year"]: r["patients"]
        for r in qs.values("year").order_by().annotate(patients=Count("patient", distinct=True))
    }
    episodes: dict[int, list[int]] = defaultdict(lambda: [0] * len(years))
    patients: dict[int, list[int]] = defaultdict(lambda: [0] * len(years))
    for r in per_unit:
        i = years.index(r["year"])
        episodes[r["unit_id"]][i] = r["episodes"]
        patients[r["unit_id"]][i] = r["patients"]
    columns = [str(y) for y in years]
    episode_sums = [sum(v[i] for v in episodes.values()) for i in range(len(years))]
    return [
        _per_unit_table(
            id="episodes_per_year",
            title=_("Episodes started in the last five years, per unit"),
            columns=columns,
            counts=episodes,
            names=names,
            sums=episode_sums if unit is None else None,
            sum_label=_("Sum"),
            add_sum_column=True,
        ),
        _per_unit_table(
            id="patients_per_year",
            title=_("Unique patients per year, per unit"),
            columns=columns,
            counts=patients,
            names=names,
            sums=[per_year.get(y, 0) for y in years] if unit is None else None,
            sum_label=_("Unique patients, whole country"),
            add_sum_column=False,
        ),
    ]


def _forms(*, year: int, as_of: date, unit: Unit | None, names: Mapping[int, str]) -> list[Table]:
    """Forms dated in the year, per form type and unit, finished and drafts: one query per
    form type."""
    first, last = _year_bounds(year, as_of)
    kinds = list(KINDS.values())
    finished: dict[int, list[int]] = defaultdict(lambda: [0] * len(kinds))
    drafts: dict[int, list[int]] = defaultdict(lambda: [0] * len(kinds))
    for i, kind in enumerate(kinds):
        qs = kind.model.objects.filter(
            date__gte=first, date__lte=last, status__in=(Status.FINISHED, Status.DRAFT)
        )
        if unit is not None:
            qs = qs.filter(unit=unit)
        for r in qs.values("unit_id", "status").order_by().annotate(n=Count("id")):
            target = finished if r["status"] == Status.FINISHED else drafts
            target[r["unit_id"]][i] = r["n"]
    columns = [str(k.title) for k in kinds]

    def sums(counts: Mapping[int, list[int]]) -> list[int] | None:
        if unit is not None:
            return None
        return [sum(v[i] for v in counts.values()) for i in range(len(kinds))]

    return [
        _per_unit_table(
            id="forms_finished",
            title=_("Finished forms dated in %(year)s, per unit") % {"year": year},
            columns=columns,
            counts=finished,
            names=names,
            sums=sums(finished),
            sum_label=_("Sum"),
            add_sum_column=True,
        ),
        _per_unit_table(
            id="forms_draft",
            title=_("Draft forms dated in %(year)s, per unit") % {"year": year},
            columns=columns,
            counts=drafts,
            names=names,
            sums=sums(drafts),
            sum_label=_("Sum"),
            add_sum_column=True,
        ),
    ]


def _patient_status(*, as_of: date, unit: Unit | None, names: Mapping[int, str]) -> Table:
    """The registered patients of each unit by how far their registration has come, by
    ``as_of``: medical history finished or not, an episode awaiting its control (its window
    still open), a control missed (the window closed without one), every control done."""
    controls = Q(
        Exists(
            PatientReport.objects.filter(
                intervention=OuterRef("pk"),
                status=Status.FINISHED,
                date__lte=as_of,
            ).filter(_judging())
        )
    ) | Q(
        Exists(
            DoctorAssessment.objects.filter(
                intervention=OuterRef("pk"),
                status=Status.FINISHED,
                date__lte=as_of,
            ).filter(_judging())
        )
    )
    _first, medical_last = window_days("medical")
    _first, surgical_last = window_days("surgical")
    window_open = Q(type__in=SURGICAL_TYPES, date__gt=as_of - timedelta(days=surgical_last)) | Q(
        type=InterventionType.MEDICAL, date__gt=as_of - timedelta(days=medical_last)
    )
    treated = Intervention.objects.filter(
        status=Status.FINISHED, date__lte=as_of, type__in=TREATED_TYPES
    ).annotate(controlled=controls)
    if unit is not None:
        treated = treated.filter(unit=unit)
    episodes = {
        r["unit_id"]: r
        for r in treated.values("unit_id")
        .order_by()
        .annotate(
            with_episode=Count("patient", distinct=True),
            awaiting=Count("patient", distinct=True, filter=Q(controlled=False) & window_open),
            missed=Count("patient", distinct=True, filter=Q(controlled=False) & ~window_open),
            open_episode=Count("patient", distinct=True, filter=Q(controlled=False)),
        )
    }
    history = Exists(
        MedicalHistory.objects.filter(
            patient=OuterRef("patient"), status=Status.FINISHED, date__lte=as_of
        )
    )
    enrolments = Enrolment.objects.annotate(has_history=history)
    if unit is not None:
        enrolments = enrolments.filter(unit=unit)
    registered = {
        r["unit_id"]: r
        for r in enrolments.values("unit_id")
        .order_by()
        .annotate(
            patients=Count("patient", distinct=True),
            with_history=Count("patient", distinct=True, filter=Q(has_history=True)),
        )
    }
    counts: dict[int, list[int]] = {}
    for resh in set(registered) | set(episodes):
        reg, epi = registered.get(resh, {}), episodes.get(resh, {})
        with_episode = epi.get("with_episode", 0)
        counts[resh] = [
            reg.get("patients", 0),
            reg.get("with_history", 0),
            reg.get("patients", 0) - reg.get("with_history", 0),
            with_episode,
            epi.get("awaiting", 0),
            epi.get("missed", 0),
            with_episode - epi.get("open_episode", 0),
        ]
    columns = [
        _("Registered patients"),
        _("With a finished medical history"),
        _("Without a finished medical history"),
        _("With a treatment episode"),
        _("With an episode awaiting its control"),
        _("With a control missed"),
        _("Every control done"),
    ]
    sums = None
    if unit is None:
        sums = [sum(v[i] for v in counts.values()) for i in range(len(columns))]
    return _per_unit_table(
        id="patient_status",
        title=_("Patients by status, per unit"),
        columns=columns,
        counts=counts,
        names=names,
        sums=sums,
        sum_label=_("Sum"),
        add_sum_column=False,
        # registered = with + without a medical history; with an episode = the open ones
        # (awaiting or missed, which may overlap) + every control done: near-sums, guarded
        row_sums=((0, (1, 2)), (3, (4, 5, 6))),
    )


def _tables(*, year: int, as_of: date, unit: Unit | None) -> list[Table]:
    names = dict(Unit.objects.values_list("resh_id", "name"))
    return [
        *_episodes_and_patients(year=year, as_of=as_of, unit=unit, names=names),
        *_forms(year=year, as_of=as_of, unit=unit, names=names),
        _patient_status(as_of=as_of, unit=unit, names=names),
    ]


def administrative(
    *, year: int, as_of: date, unit: Unit | None = None, reader: Reader = PUBLIC
) -> list[Table]:
    """The administrative tables: episodes and unique patients per unit and year (Tabell 1-2),
    forms per type and status per unit, and patients by status per unit. A fixed number of
    aggregate queries (one per form type and a few more).

    Counts of 1-4 per unit are hidden with their complements (protect.table) unless the
    ``reader`` may see them. A unit's tables for anyone else are its rows of the whole
    country's protected tables, so the unit's page hides what the national page hides."""
    if reader.exact or (unit is not None and reader.own == unit.resh_id):
        return _tables(year=year, as_of=as_of, unit=unit)
    protected = protect.tables(_tables(year=year, as_of=as_of, unit=None), reader)
    if unit is None:
        return protected
    return [replace(t, rows=[r for r in t.rows if r.key == unit.resh_id]) for t in protected]
