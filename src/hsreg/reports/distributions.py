"""The annual report's descriptive figures: distributions (who was treated and how), averages
with confidence intervals, before/after comparisons, treatment trends per health region and the
administrative tables (HISREG's Tabell 1-2 and Figur 1-42).

Every figure is counted in the database: one aggregate query per source (the episodes, the
patients' first episodes, the control reports, the medical histories, each form table), with a
filtered COUNT per category, so the number of queries is fixed however many patients the
registry holds. The results are small frozen dataclasses of labels and numbers, which the charts
(reports.charts), the pages and the PDF (reports.annual) lay out.

Labels are resolved in the active language when the figures are computed: compute them inside
``translation.override("nb")`` for the published report.

Who is counted:

- **episodes** (forløp): the finished interventions of the year (reports.episodes), at the unit
  when one is given;
- **patients**: each patient once, by their first episode of the year (age, sex, smoking and work
  status before treatment), as the registry's "Andel pasienter" figures count them;
- **controls**: the control report that judges an episode (3 months after medical, 6 months
  after surgical or combined treatment), counted once per episode;
- **means** are hidden below 10 records (reports.suppression), shares of the trends below 5.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_cte import CTE, with_cte

from hsreg.assessments.models import (
    HURLEY,
    SATISFACTION,
    SMOKING,
    WORK,
    DoctorAssessment,
    MedicalHistory,
    PatientReport,
)
from hsreg.guideline.catalog import DRUGS
from hsreg.guideline.followup import window_days
from hsreg.patients.models import Enrolment, Sex
from hsreg.records.kinds import KINDS
from hsreg.records.models import Status, YesNoUnknown
from hsreg.treatments.models import (
    MEDICAL_TYPES,
    SURGICAL_TYPES,
    DrugCourse,
    Intervention,
    InterventionType,
)
from hsreg.units.models import HealthRegion, Unit
from hsreg.web.language import lang

from . import suppression
from .definitions import MIN_DENOMINATOR
from .episodes import (
    BIOLOGICS,
    COMPLICATIONS,
    NO,
    YES,
    baseline,
    complication_answered,
    episode_rows,
    judged_occasion,
)
from .stats import mean_interval

#: how many years the trends and the tables of episodes and patients per year go back
TREND_YEARS = 5
#: the age bands of the registry's figures: (lowest age, first age above), open at the ends
AGE_BANDS: tuple[tuple[int | None, int | None], ...] = (
    (None, 10),
    *((low, low + 10) for low in range(10, 80, 10)),
    (80, None),
)
#: the treated intervention types, in the registry's order (rows of the tables per type)
TREATED_TYPES = (InterventionType.SURGICAL, InterventionType.MEDICAL, InterventionType.BOTH)
#: the types that record a decision on treatment (not "did not attend"): the trends' base
DECIDED_TYPES = (*TREATED_TYPES, InterventionType.NONE_BY_DOCTOR, InterventionType.NONE_BY_PATIENT)

LOCAL_ROUTES = frozenset({"topical", "intralesional"})
ANTIBIOTICS = sorted(
    d.id for d in DRUGS.values() if d.tetracycline_class or d.id == "rifampicin_clindamycin"
)
LOCAL_DRUGS = sorted(d.id for d in DRUGS.values() if d.route in LOCAL_ROUTES)
#: systemic drugs that are neither biologics nor antibiotics: anti-inflammatory and the rest
OTHER_SYSTEMIC = sorted(
    d.id for d in DRUGS.values() if d.systemic and not d.biologic and d.id not in ANTIBIOTICS
)
SURGERY_FIELDS = (
    "surgery_excision_suture",
    "surgery_excision_granulation",
    "surgery_excision_graft",
    "surgery_laser",
    "surgery_deroofing",
    "surgery_other",
)
ANALGESIC_FIELDS = ("analgesic_nsaid", "analgesic_paracetamol", "analgesic_opioid")
LOCAL_FIELDS = (
    "local_triamcinolone",
    "local_clindamycin",
    "local_resorcinol",
    "local_azelaic_acid",
)
#: HISREG's yes/no answers in the order of its figures: no, yes, don't know
YES_NO_ORDER = (YesNoUnknown.NO, YesNoUnknown.YES, YesNoUnknown.UNKNOWN)

Label = str | Promise


# --- results ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Category:
    label: str
    n: int


@dataclass(frozen=True, slots=True)
class Distribution:
    """Counts per category out of ``total``. With ``multiple`` a record may be in several
    categories (types of surgery in one intervention), so the counts may add up to more."""

    id: str
    title: str
    categories: list[Category]
    total: int
    scope: str = ""  # "Hele landet" or the unit's name
    multiple: bool = False

    def percent(self, category: Category) -> float | None:
        return 100 * category.n / self.total if self.total else None


@dataclass(frozen=True, slots=True)
class AverageRow:
    label: str
    n: int
    mean: float | None
    ci_low: float | None
    ci_high: float | None
    hidden: bool  # fewer than 10 records: no figure
    total: bool = False  # the national (or all types) row


@dataclass(frozen=True, slots=True)
class Average:
    """A mean per unit or per intervention type, with its 95 % interval."""

    id: str
    title: str
    measure: str  # "bmi", "dlqi", "vas", "ihs4"
    by: str  # "unit" or "type"
    rows: list[AverageRow]


@dataclass(frozen=True, slots=True)
class BeforeAfterRow:
    """The same episodes' mean before treatment and at the control."""

    label: str
    n: int
    before: AverageRow
    after: AverageRow
    hidden: bool
    total: bool = False


@dataclass(frozen=True, slots=True)
class BeforeAfter:
    id: str
    title: str
    measure: str
    by: str
    rows: list[BeforeAfterRow]


@dataclass(frozen=True, slots=True)
class ShiftCategory:
    label: str
    before: int
    after: int


@dataclass(frozen=True, slots=True)
class Shift:
    """A category (DLQI band, Hurley stage) before treatment and at the control, among the
    ``total`` episodes with both."""

    id: str
    title: str
    categories: list[ShiftCategory]
    total: int
    scope: str = ""


@dataclass(frozen=True, slots=True)
class TrendPoint:
    n: int
    total: int
    percent: float | None
    hidden: bool  # fewer than 5 episodes in the region that year


@dataclass(frozen=True, slots=True)
class TrendSeries:
    label: str
    points: dict[int, TrendPoint]
    national: bool = False


@dataclass(frozen=True, slots=True)
class Trend:
    id: str
    title: str
    years: list[int]
    series: list[TrendSeries]


@dataclass(frozen=True, slots=True)
class TableRow:
    label: str
    values: list[int]
    total: bool = False  # a sum row


@dataclass(frozen=True, slots=True)
class Table:
    """A table of counts: ``columns`` are the headers of the value columns."""

    id: str
    title: str
    row_header: str
    columns: list[str]
    rows: list[TableRow] = field(default_factory=list)


# --- what is counted ----------------------------------------------------------------------

ALL = Q(pk__isnull=False)


@dataclass(frozen=True, slots=True)
class _Spec:
    """One distribution as a query: who is counted at all, and who in each category."""

    id: str
    title: Label
    total: Q
    categories: tuple[tuple[Label, Q], ...]
    multiple: bool = False


def _band_label(low: int | None, high: int | None) -> str:
    if low is None:
        return f"<{high}"
    if high is None:
        return f"≥{low}"
    return f"{low}–{high - 1}"


def _band(column: str, low: int | None, high: int | None) -> Q:
    q = Q(**{f"{column}__isnull": False})
    if low is not None:
        q &= Q(**{f"{column}__gte": low})
    if high is not None:
        q &= Q(**{f"{column}__lt": high})
    return q


def _bands(column: str, bands: Sequence[tuple[int | None, int | None]]) -> tuple[Any, ...]:
    return tuple((_band_label(low, high), _band(column, low, high)) for low, high in bands)


def _coded(column: str, choices: Iterable[tuple[Any, Label]]) -> tuple[Any, ...]:
    return tuple((label, Q(**{column: value})) for value, label in choices)


def _field_label(model: Any, name: str) -> Label:
    return model._meta.get_field(name).verbose_name  # type: ignore[no-any-return]


def _drug_name(drug_id: str) -> str:
    return DRUGS[drug_id].name.in_lang(lang())


def _any(fields: Iterable[str]) -> Q:
    return Q(*(Q(**{f: True}) for f in fields), _connector=Q.OR)


def _counts(specs: Sequence[_Spec], *, of: str, distinct: bool) -> dict[str, Count]:
    """The filtered counts of ``specs`` for one aggregate query: ``{id}__total`` and
    ``{id}__{i}`` per category."""
    counts: dict[str, Count] = {}
    for spec in specs:
        counts[f"{spec.id}__total"] = Count(of, distinct=distinct, filter=spec.total)
        for i, (_label, q) in enumerate(spec.categories):
            counts[f"{spec.id}__{i}"] = Count(of, distinct=distinct, filter=spec.total & q)
    return counts


def _distribution(spec: _Spec, counted: Mapping[str, Any], scope: str) -> Distribution:
    categories = [
        Category(str(label), counted[f"{spec.id}__{i}"] or 0)
        for i, (label, _q) in enumerate(spec.categories)
    ]
    return Distribution(
        spec.id,
        str(spec.title),
        categories,
        counted[f"{spec.id}__total"] or 0,
        scope,
        spec.multiple,
    )


def _year_bounds(year: int, as_of: date) -> tuple[date, date]:
    return date(year, 1, 1), min(date(year, 12, 31), as_of)


def _interventions(
    *, first: int, last: int, as_of: date, unit: Unit | None
) -> QuerySet[Intervention]:
    """The episodes' interventions (finished, dated in the years and by ``as_of``)."""
    qs = Intervention.objects.filter(
        status=Status.FINISHED,
        date__gte=date(first, 1, 1),
        date__lte=min(date(last, 12, 31), as_of),
    )
    return qs.filter(unit=unit) if unit is not None else qs


def _scope(unit: Unit | None) -> str:
    return unit.name if unit is not None else _("Whole country")


def _course(drugs: Sequence[str]) -> Exists:
    return Exists(
        DrugCourse.objects.filter(
            intervention=OuterRef("pk"), status=Status.FINISHED, drug__in=list(drugs)
        )
    )


# --- distributions ------------------------------------------------------------------------


def _patient_specs() -> list[_Spec]:
    return [
        _Spec("age", gettext_lazy("Age at intervention"), ALL, _bands("age", AGE_BANDS)),
        _Spec("sex", gettext_lazy("Sex"), Q(sex__isnull=False), _coded("sex", Sex.choices)),
        _Spec(
            "smoking",
            gettext_lazy("Smoking before treatment"),
            Q(base_smoking__isnull=False),
            _coded("base_smoking", SMOKING),
        ),
        _Spec(
            "work",
            gettext_lazy("Work status before treatment"),
            Q(base_work__isnull=False),
            _coded("base_work", WORK),
        ),
    ]


def _episode_specs() -> list[_Spec]:
    surgical = Q(type__in=SURGICAL_TYPES)
    medical = Q(type__in=MEDICAL_TYPES)
    return [
        _Spec(
            "hurley",
            gettext_lazy("Hurley stage before treatment"),
            Q(base_hurley__isnull=False),
            _coded("base_hurley", HURLEY),
        ),
        _Spec(
            "intervention_type",
            gettext_lazy("Type of intervention"),
            Q(type__isnull=False),
            _coded("type", InterventionType.choices),
        ),
        _Spec(
            "surgery_type",
            gettext_lazy("Type of surgery"),
            surgical,
            tuple((_field_label(Intervention, f), Q(**{f: True})) for f in SURGERY_FIELDS),
            multiple=True,
        ),
        _Spec(
            "medical_type",
            gettext_lazy("Type of medical treatment"),
            medical,
            (
                (gettext_lazy("Biologic treatment"), Q(biologic=True)),
                (gettext_lazy("Antibiotic treatment"), Q(antibiotic=True)),
                (
                    gettext_lazy("Anti-inflammatory or other systemic treatment"),
                    Q(other_systemic=True),
                ),
                (gettext_lazy("Analgesics"), _any(ANALGESIC_FIELDS)),
                (
                    gettext_lazy("Local medical treatment"),
                    _any(LOCAL_FIELDS) | Q(local_drug=True),
                ),
            ),
            multiple=True,
        ),
        _Spec(
            "biologic_type",
            gettext_lazy("Type of biologic treatment"),
            medical,
            tuple((_drug_name(d), Q(**{f"bio_{d}": True})) for d in BIOLOGICS),
            multiple=True,
        ),
    ]


def _judging() -> Q:
    """A control form that judges its episode (reports.episodes.judged_occasion)."""
    return Q(occasion=judged_occasion("intervention__"))


def _control_specs() -> list[_Spec]:
    answered = complication_answered((YES, NO))
    any_yes = complication_answered((YES,))
    surgical = Q(intervention__type__in=SURGICAL_TYPES)
    yes_no = [(v, YesNoUnknown(v).label) for v in YES_NO_ORDER]
    return [
        _Spec(
            "complications",
            gettext_lazy("Complications after surgery (6-month control)"),
            surgical & answered,
            (
                *((_field_label(PatientReport, c), Q(**{c: YES})) for c in COMPLICATIONS),
                (gettext_lazy("No complications"), ~any_yes),
            ),
            multiple=True,
        ),
        _Spec(
            "satisfaction",
            gettext_lazy("How satisfied were you with the treatment given?"),
            Q(satisfaction__isnull=False),
            _coded("satisfaction", SATISFACTION),
        ),
        _Spec(
            "would_repeat",
            gettext_lazy("Would you accept the same treatment again?"),
            Q(would_repeat__isnull=False),
            _coded("would_repeat", yes_no),
        ),
        _Spec(
            "would_recommend",
            gettext_lazy("Would you recommend the treatment to a family member or a close friend?"),
            Q(would_recommend__isnull=False),
            _coded("would_recommend", yes_no),
        ),
    ]


def _history_specs() -> list[_Spec]:
    return [
        _Spec(
            "age_first_boil",
            gettext_lazy("Age at first boil"),
            Q(age_first_boil__isnull=False),
            _bands("age_first_boil", AGE_BANDS),
        )
    ]


#: the columns the distributions read from each patient's first episode and from each episode
PATIENT_COLUMNS = ("id", "age", "sex", "base_smoking", "base_work")
EPISODE_COLUMNS = (
    "id",
    "type",
    "base_hurley",
    "biologic",
    "antibiotic",
    "other_systemic",
    "local_drug",
    *SURGERY_FIELDS,
    *ANALGESIC_FIELDS,
    *LOCAL_FIELDS,
    *(f"bio_{d}" for d in BIOLOGICS),
)


def _materialised(rows: QuerySet[Any], columns: Sequence[str], name: str) -> QuerySet[Any]:
    """``rows`` as a materialised common table expression of ``columns``: each correlated
    sub-select (a baseline, a drug course) runs once per row, where an aggregate over the
    annotated rows themselves would repeat it in every filtered count that reads it."""
    cte = CTE(rows.values(*columns), name=name, materialized=True)
    materialised: QuerySet[Any] = with_cte(cte, select=cte.queryset())
    return materialised


def _first_episodes(*, year: int, as_of: date, unit: Unit | None) -> QuerySet[Any]:
    """Each patient's first episode of the year (at the unit), with their work status before
    it: one row per patient."""
    earlier = _interventions(first=year, last=year, as_of=as_of, unit=unit).filter(
        Q(date__lt=OuterRef("date")) | Q(date=OuterRef("date"), pk__lt=OuterRef("pk")),
        patient=OuterRef("patient"),
    )
    rows = episode_rows(as_of=as_of, years=(year, year)).filter(~Exists(earlier))
    if unit is not None:
        rows = rows.filter(unit=unit)
    return rows.annotate(base_work=baseline(PatientReport, "work"))


def _episodes_with_drugs(*, year: int, as_of: date, unit: Unit | None) -> QuerySet[Any]:
    rows = episode_rows(as_of=as_of, years=(year, year))
    if unit is not None:
        rows = rows.filter(unit=unit)
    return rows.annotate(
        antibiotic=_course(ANTIBIOTICS),
        other_systemic=_course(OTHER_SYSTEMIC),
        local_drug=_course(LOCAL_DRUGS),
        **{f"bio_{d}": _course([d]) for d in BIOLOGICS},
    )


def _control_reports(*, year: int, as_of: date, unit: Unit | None) -> QuerySet[PatientReport]:
    first, last = _year_bounds(year, as_of)
    reports = PatientReport.objects.filter(
        _judging(),
        status=Status.FINISHED,
        date__lte=as_of,
        intervention__status=Status.FINISHED,
        intervention__date__gte=first,
        intervention__date__lte=last,
    )
    return reports.filter(intervention__unit=unit) if unit is not None else reports


def _unit_distribution(*, year: int, as_of: date) -> Distribution:
    """Figur 1: the share of the year's episodes each unit registered."""
    rows = (
        _interventions(first=year, last=year, as_of=as_of, unit=None)
        .values("unit_id", "unit__name")
        .order_by()
        .annotate(n=Count("id"))
    )
    categories = sorted(
        (Category(r["unit__name"], r["n"]) for r in rows), key=lambda c: (-c.n, c.label)
    )
    return Distribution(
        "units",
        _("Episodes registered by the participating units"),
        categories,
        sum(c.n for c in categories),
        _scope(None),
    )


def distributions(*, year: int, as_of: date, unit: Unit | None = None) -> list[Distribution]:
    """Every distribution of the annual report for ``year`` (forms dated by ``as_of``), of the
    whole country or of one unit: five aggregate queries (four at a unit)."""
    scope = _scope(unit)
    specs_p, specs_e = _patient_specs(), _episode_specs()
    specs_c, specs_h = _control_specs(), _history_specs()
    patients = _materialised(
        _first_episodes(year=year, as_of=as_of, unit=unit), PATIENT_COLUMNS, "first_episode"
    ).aggregate(**_counts(specs_p, of="id", distinct=False))
    episodes = _materialised(
        _episodes_with_drugs(year=year, as_of=as_of, unit=unit), EPISODE_COLUMNS, "episode"
    ).aggregate(**_counts(specs_e, of="id", distinct=False))
    controls = _control_reports(year=year, as_of=as_of, unit=unit).aggregate(
        **_counts(specs_c, of="intervention", distinct=True)
    )
    treated = _interventions(first=year, last=year, as_of=as_of, unit=unit).values("patient")
    histories = MedicalHistory.objects.filter(
        status=Status.FINISHED, date__lte=as_of, patient__in=treated
    ).aggregate(**_counts(specs_h, of="patient", distinct=True))
    by_id = {
        **{s.id: _distribution(s, patients, scope) for s in specs_p},
        **{s.id: _distribution(s, episodes, scope) for s in specs_e},
        **{s.id: _distribution(s, controls, scope) for s in specs_c},
        **{s.id: _distribution(s, histories, scope) for s in specs_h},
    }
    if unit is None:
        by_id["units"] = _unit_distribution(year=year, as_of=as_of)
    order = (
        "units",
        "age",
        "sex",
        "smoking",
        "work",
        "hurley",
        "intervention_type",
        "surgery_type",
        "medical_type",
        "biologic_type",
        "age_first_boil",
        "complications",
        "satisfaction",
        "would_repeat",
        "would_recommend",
    )
    return [by_id[i] for i in order if i in by_id]


# --- averages -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Measure:
    id: str
    title: Label  # what is averaged, for the titles
    before: str  # the episode column before treatment
    after: str | None  # the column at the control, if the control measures it
    scale: float = 1.0  # VAS is stored in tenths


MEASURES: tuple[_Measure, ...] = (
    _Measure("bmi", gettext_lazy("BMI"), "base_bmi", None),
    _Measure("dlqi", gettext_lazy("DLQI sum"), "base_dlqi", "ctl_dlqi"),
    _Measure("vas", gettext_lazy("Pain (VAS 0-10)"), "base_vas", "ctl_vas", 0.1),
    _Measure("ihs4", gettext_lazy("IHS4 score"), "base_ihs4", "ctl_ihs4"),
)


@dataclass(frozen=True, slots=True)
class _Sums:
    """A group's count, sum and sum of squares: groups add up exactly (the units' rows to the
    national row), and give the mean and the sample standard deviation."""

    n: int = 0
    total: float = 0.0
    squares: float = 0.0

    def __add__(self, other: _Sums) -> _Sums:
        return _Sums(self.n + other.n, self.total + other.total, self.squares + other.squares)

    @property
    def mean(self) -> float:
        return self.total / self.n if self.n else 0.0

    @property
    def sd(self) -> float:
        if self.n < 2:
            return 0.0
        return math.sqrt(max(self.squares - self.n * self.mean**2, 0.0) / (self.n - 1))


def _sum_aggregates(key: str, column: str, where: Q | None = None) -> dict[str, Any]:
    present = Q(**{f"{column}__isnull": False}) & (where if where is not None else ALL)
    return {
        f"{key}__n": Count(column, filter=present),
        f"{key}__total": Sum(column, filter=present),
        f"{key}__squares": Sum(F(column) * F(column), filter=present),
    }


def _sums(row: Mapping[str, Any], key: str) -> _Sums:
    n = row[f"{key}__n"] or 0
    if not n:
        return _Sums()
    return _Sums(n, float(row[f"{key}__total"]), float(row[f"{key}__squares"]))


def _pooled(rows: Iterable[Mapping[str, Any]], by: str, key: str) -> dict[Any, _Sums]:
    """The sums of ``key`` per value of ``by`` (unit or type), from the rows per unit and
    type."""
    pooled: dict[Any, _Sums] = defaultdict(_Sums)
    for row in rows:
        pooled[row[by]] += _sums(row, key)
    return pooled


def _average_row(label: str, sums: _Sums, scale: float, *, total: bool = False) -> AverageRow:
    """A mean with its 95 % interval, hidden below 10 records (reports.suppression)."""
    if suppression.mean_hidden(sums.n):
        return AverageRow(label, sums.n, None, None, None, hidden=True, total=total)
    mean, sd = sums.mean * scale, sums.sd * scale
    low, high = mean_interval(mean, sd, sums.n)
    return AverageRow(label, sums.n, mean, low, high, hidden=False, total=total)


def _sorted_rows(rows: list[AverageRow]) -> list[AverageRow]:
    """Shown rows by their mean (lowest first, as the registry's figures), hidden rows last."""
    return sorted(rows, key=lambda r: (r.hidden, r.mean or 0.0, r.label))


def _episodes(*, year: int, as_of: date) -> QuerySet[Any]:
    return episode_rows(as_of=as_of, years=(year, year))


def _per_unit_and_type(
    *, year: int, as_of: date, aggregates: dict[str, Any]
) -> list[Mapping[str, Any]]:
    """The aggregates per unit and intervention type: one query, which the per-unit, per-type
    and national figures are all summed from."""
    episodes = _episodes(year=year, as_of=as_of)
    return list(episodes.values("unit_id", "type").order_by().annotate(**aggregates))


def _type_label(value: int) -> str:
    return str(InterventionType(value).label)


def _unit_names(resh_ids: Iterable[int]) -> dict[int, str]:
    return dict(Unit.objects.filter(pk__in=list(resh_ids)).values_list("resh_id", "name"))


def averages(*, year: int, as_of: date, unit: Unit | None = None) -> list[Average]:
    """Means before treatment of BMI, DLQI, VAS and IHS4 with 95 % intervals, per unit (with
    the national row; at a unit, its row and the national one) and per intervention type (of
    the unit's episodes at a unit): one aggregate query, and one for the units' names."""
    aggregates = {k: v for m in MEASURES for k, v in _sum_aggregates(m.id, m.before).items()}
    rows = _per_unit_and_type(year=year, as_of=as_of, aggregates=aggregates)
    chosen = [r for r in rows if unit is None or r["unit_id"] == unit.resh_id]
    names = _unit_names({r["unit_id"] for r in rows})
    national, own = _("Whole country"), _scope(unit)
    result: list[Average] = []
    for m in MEASURES:
        per_unit = _pooled(rows, "unit_id", m.id)
        lines = [
            _average_row(names[k], v, m.scale)
            for k, v in per_unit.items()
            if v.n and (unit is None or k == unit.resh_id)
        ]
        everyone = sum(per_unit.values(), _Sums())
        lines = [*_sorted_rows(lines), _average_row(national, everyone, m.scale, total=True)]
        title = _("Mean %(measure)s before treatment, per unit") % {"measure": m.title}
        result.append(Average(f"{m.id}_by_unit", title, m.id, "unit", lines))
        per_type = _pooled(chosen, "type", m.id)
        lines = [
            _average_row(_type_label(t), per_type[t], m.scale)
            for t in TREATED_TYPES
            if per_type[t].n
        ]
        selection = sum(per_type.values(), _Sums())
        lines = [*_sorted_rows(lines), _average_row(own, selection, m.scale, total=True)]
        title = _("Mean %(measure)s before treatment, per type of intervention") % {
            "measure": m.title
        }
        result.append(Average(f"{m.id}_by_type", title, m.id, "type", lines))
    return result


def _before_after_row(
    label: str, before: _Sums, after: _Sums, scale: float, *, total: bool = False
) -> BeforeAfterRow:
    b = _average_row(label, before, scale, total=total)
    a = _average_row(label, after, scale, total=total)
    return BeforeAfterRow(label, before.n, b, a, hidden=b.hidden or a.hidden, total=total)


def before_after(*, year: int, as_of: date, unit: Unit | None = None) -> list[BeforeAfter]:
    """Means of DLQI, VAS and IHS4 before treatment and at the judging control, over the same
    episodes (those with both), per unit and per intervention type: one aggregate query, and
    one for the units' names."""
    paired = [m for m in MEASURES if m.after is not None]
    aggregates: dict[str, Any] = {}
    for m in paired:
        both = Q(**{f"{m.before}__isnull": False, f"{m.after}__isnull": False})
        aggregates |= _sum_aggregates(f"{m.id}_before", m.before, both)
        aggregates |= _sum_aggregates(f"{m.id}_after", str(m.after), both)
    rows = _per_unit_and_type(year=year, as_of=as_of, aggregates=aggregates)
    chosen = [r for r in rows if unit is None or r["unit_id"] == unit.resh_id]
    names = _unit_names({r["unit_id"] for r in rows})
    national, own = _("Whole country"), _scope(unit)
    result: list[BeforeAfter] = []
    for m in paired:
        before = _pooled(rows, "unit_id", f"{m.id}_before")
        after = _pooled(rows, "unit_id", f"{m.id}_after")
        lines = [
            _before_after_row(names[k], before[k], after[k], m.scale)
            for k in sorted(before, key=lambda k: names[k])
            if before[k].n and (unit is None or k == unit.resh_id)
        ]
        lines.append(
            _before_after_row(
                national,
                sum(before.values(), _Sums()),
                sum(after.values(), _Sums()),
                m.scale,
                total=True,
            )
        )
        title = _("Mean %(measure)s before and after treatment, per unit") % {"measure": m.title}
        result.append(BeforeAfter(f"{m.id}_before_after_by_unit", title, m.id, "unit", lines))
        before = _pooled(chosen, "type", f"{m.id}_before")
        after = _pooled(chosen, "type", f"{m.id}_after")
        lines = [
            _before_after_row(_type_label(t), before[t], after[t], m.scale)
            for t in TREATED_TYPES
            if before[t].n
        ]
        lines.append(
            _before_after_row(
                own,
                sum(before.values(), _Sums()),
                sum(after.values(), _Sums()),
                m.scale,
                total=True,
            )
        )
        title = _("Mean %(measure)s before and after treatment, per type of intervention") % {
            "measure": m.title
        }
        result.append(BeforeAfter(f"{m.id}_before_after_by_type", title, m.id, "type", lines))
    return result


def _grouped(
    qs: QuerySet[Any], group: str, aggregates: dict[str, Any]
) -> dict[Any, Mapping[str, Any]]:
    return {r[group]: r for r in qs.values(group).order_by().annotate(**aggregates)}


def shifts(*, year: int, as_of: date, unit: Unit | None = None) -> list[Shift]:
    """DLQI severity and Hurley stage before treatment and at the control, over the episodes
    with both (HISREG's Figur 20-25): all episodes, surgical and medical, one query."""
    scales: tuple[tuple[str, Label, str, str, tuple[tuple[Label, Any, Any], ...]], ...] = (
        (
            "dlqi",
            gettext_lazy("DLQI severity before and after treatment"),
            "base_dlqi",
            "ctl_dlqi",
            (
                (gettext_lazy("Mild (DLQI < 10)"), None, 10),
                (gettext_lazy("Moderate (10 ≤ DLQI < 20)"), 10, 20),
                (gettext_lazy("Severe (DLQI ≥ 20)"), 20, None),
            ),
        ),
        (
            "hurley",
            gettext_lazy("Hurley stage before and after treatment"),
            "base_hurley",
            "ctl_hurley",
            tuple((label, value, value + 1) for value, label in HURLEY),
        ),
    )
    aggregates: dict[str, Any] = {}
    for key, _title, before, after, bands in scales:
        both = Q(**{f"{before}__isnull": False, f"{after}__isnull": False})
        aggregates[f"{key}__total"] = Count("id", filter=both)
        for i, (_label, low, high) in enumerate(bands):
            aggregates[f"{key}__{i}__before"] = Count("id", filter=both & _band(before, low, high))
            aggregates[f"{key}__{i}__after"] = Count("id", filter=both & _band(after, low, high))
    episodes = _episodes(year=year, as_of=as_of)
    if unit is not None:
        episodes = episodes.filter(unit_id=unit.resh_id)
    by_type = _grouped(episodes, "type", aggregates)
    groups: tuple[tuple[str, str, set[Any] | None], ...] = (
        ("", "", None),
        ("_surgical", _type_label(InterventionType.SURGICAL), {InterventionType.SURGICAL}),
        ("_medical", _type_label(InterventionType.MEDICAL), {InterventionType.MEDICAL}),
    )
    result: list[Shift] = []
    for suffix, type_label, types in groups:
        rows = [r for t, r in by_type.items() if types is None or t in types]
        for key, title, _before, _after, bands in scales:

            def added(name: str, rows: list[Mapping[str, Any]] = rows) -> int:
                return sum(r[name] or 0 for r in rows)

            categories = [
                ShiftCategory(str(label), added(f"{key}__{i}__before"), added(f"{key}__{i}__after"))
                for i, (label, _low, _high) in enumerate(bands)
            ]
            shown = f"{title}: {type_label}" if type_label else str(title)
            result.append(
                Shift(
                    f"{key}_shift{suffix}", shown, categories, added(f"{key}__total"), _scope(unit)
                )
            )
    return result


# --- trends -------------------------------------------------------------------------------


def trends(*, year: int, as_of: date) -> list[Trend]:
    """Treatment choice per health region over the last five years: the share of episodes of
    each type of intervention, and of those that start a biologic, per region and year, with
    the national line (RG-1). One aggregate query."""
    years = list(range(year - TREND_YEARS + 1, year + 1))
    decided = Q(type__in=DECIDED_TYPES)
    choices: tuple[tuple[str, Label, Q], ...] = (
        *((f"type_{t.value}", t.label, Q(type=t.value)) for t in TREATED_TYPES),
        ("no_treatment", gettext_lazy("No intervention"), Q(no_treatment=True)),
        ("biologic", gettext_lazy("Starts a biologic"), Q(biologic=True)),
    )
    rows = (
        episode_rows(as_of=as_of, years=(years[0], years[-1]))
        .values("unit__region", "year")
        .order_by()
        .annotate(
            total=Count("id", filter=decided),
            **{key: Count("id", filter=decided & q) for key, _label, q in choices},
        )
    )
    tallies: dict[tuple[str, int], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for r in rows:
        for place in (r["unit__region"], "nation"):
            tally = tallies[(place, r["year"])]
            tally["total"] += r["total"]
            for key, _label, _q in choices:
                tally[key] += r[key]
    places = [(str(region.value), str(region.label), False) for region in HealthRegion]
    places.append(("nation", _("Whole country"), True))
    result: list[Trend] = []
    for key, label, _q in choices:
        series = []
        for place, name, national in places:
            points = {}
            for y in years:
                tally = tallies.get((place, y), {})
                total, n = tally.get("total", 0), tally.get(key, 0)
                hidden = suppression.too_few(total, MIN_DENOMINATOR)
                points[y] = TrendPoint(n, total, None if hidden else 100 * n / total, hidden)
            series.append(TrendSeries(name, points, national))
        result.append(
            Trend(
                f"trend_{key}",
                _("Share of episodes: %(choice)s, per health region") % {"choice": label},
                years,
                series,
            )
        )
    return result


# --- administrative -----------------------------------------------------------------------


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
) -> Table:
    header = [*columns, _("Sum")] if add_sum_column else list(columns)
    rows = []
    for resh in sorted(counts, key=lambda r: names.get(r, str(r))):
        values = list(counts[resh])
        rows.append(
            TableRow(
                names.get(resh, str(resh)), [*values, sum(values)] if add_sum_column else values
            )
        )
    if sums is not None:
        rows.append(TableRow(sum_label, [*sums, sum(sums)] if add_sum_column else sums, total=True))
    return Table(id, title, _("Unit"), header, rows)


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
    )


def administrative(*, year: int, as_of: date, unit: Unit | None = None) -> list[Table]:
    """The administrative tables: episodes and unique patients per unit and year (Tabell 1-2),
    forms per type and status per unit, and patients by status per unit. A fixed number of
    aggregate queries (one per form type and a few more)."""
    names = dict(Unit.objects.values_list("resh_id", "name"))
    return [
        *_episodes_and_patients(year=year, as_of=as_of, unit=unit, names=names),
        *_forms(year=year, as_of=as_of, unit=unit, names=names),
        _patient_status(as_of=as_of, unit=unit, names=names),
    ]
