"""The descriptive figures' shared parts: the registry's categories (age bands, types, drug
groups), the result dataclasses the charts, pages and PDF lay out, and the query helpers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from hsreg.guideline.catalog import DRUGS
from hsreg.records.models import Status, YesNoUnknown
from hsreg.treatments.models import (
    DrugCourse,
    Intervention,
    InterventionType,
)
from hsreg.units.models import Unit
from hsreg.web.language import lang

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
#: the systemic antibiotics (HISREG's SYSTEMIC_ANTIBIOTIC_THERAPY group, amoxicillin included)
ANTIBIOTICS = sorted(d.id for d in DRUGS.values() if d.antibiotic)
LOCAL_DRUGS = sorted(d.id for d in DRUGS.values() if d.route in LOCAL_ROUTES)
#: systemic drugs that are neither biologics nor antibiotics: anti-inflammatory and the rest
OTHER_SYSTEMIC = sorted(
    d.id for d in DRUGS.values() if d.systemic and not d.biologic and d.id not in ANTIBIOTICS
)
SURGERY_FIELDS = Intervention.SURGERY_KINDS
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
    n: int | None  # None: hidden (a small count per unit, or its complement; .protect)
    key: int | None = None  # the unit's RESH id in a figure per unit


@dataclass(frozen=True, slots=True)
class Distribution:
    """Counts per category out of ``total``. With ``multiple`` a record may be in several
    categories (types of surgery in one intervention), so the counts may add up to more."""

    id: str
    title: str
    categories: list[Category]
    total: int | None  # None: hidden (.protect)
    scope: str = ""  # "Hele landet" or the unit's name
    multiple: bool = False
    #: the rest of the country beside the unit (same categories; filters' ``compare``)
    compared: Distribution | None = None
    #: what the caption adds: the follow-up period of a figure of controls (periods, D4)
    note: str = ""

    def percent(self, category: Category) -> float | None:
        if not self.total or category.n is None:
            return None
        return 100 * category.n / self.total


@dataclass(frozen=True, slots=True)
class AverageRow:
    label: str
    n: int | None  # None: hidden (a small count per unit, or its complement; .protect)
    mean: float | None
    ci_low: float | None
    ci_high: float | None
    hidden: bool  # fewer than 10 records: no figure
    total: bool = False  # the national (or all types) row
    key: int | None = None  # the unit's RESH id (a row per unit)


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
    n: int | None  # None: hidden (.protect)
    before: AverageRow
    after: AverageRow
    hidden: bool
    total: bool = False
    key: int | None = None  # the unit's RESH id (a row per unit)


@dataclass(frozen=True, slots=True)
class BeforeAfter:
    id: str
    title: str
    measure: str
    by: str
    rows: list[BeforeAfterRow]
    note: str = ""  # the follow-up period (periods, D4)


@dataclass(frozen=True, slots=True)
class ShiftCategory:
    label: str
    before: int | None  # None: hidden (a small count of one unit, or its complement; .protect)
    after: int | None


@dataclass(frozen=True, slots=True)
class Shift:
    """A category (DLQI band, Hurley stage) before treatment and at the control, among the
    ``total`` episodes with both."""

    id: str
    title: str
    categories: list[ShiftCategory]
    total: int | None  # None: hidden (.protect)
    scope: str = ""
    note: str = ""  # the follow-up period (periods, D4)


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
    values: list[int | None]  # None: hidden (a small count per unit, or its complement)
    total: bool = False  # a sum row
    key: int | None = None  # the unit's RESH id (a unit's row)


@dataclass(frozen=True, slots=True)
class Table:
    """A table of counts: ``columns`` are the headers of the value columns."""

    id: str
    title: str
    row_header: str
    columns: list[str]
    rows: list[TableRow] = field(default_factory=list)
    #: the sums within a row, as (column of the total, columns added up): a Sum column, or
    #: "registered" = "with" + "without a medical history" (the groups of .protect)
    row_sums: tuple[tuple[int, tuple[int, ...]], ...] = ()


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
