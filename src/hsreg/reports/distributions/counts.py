"""The distributions (HISREG's "Andel pasienter/forløp" figures): counts per category, five
aggregate queries for the whole country, four at a unit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_cte import CTE, with_cte

from hsreg.assessments.models import (
    COMPLICATIONS,
    HURLEY,
    SATISFACTION,
    SMOKING,
    WORK,
    MedicalHistory,
    PatientReport,
)
from hsreg.patients.models import Sex
from hsreg.records.models import Status, YesNoUnknown
from hsreg.treatments.models import (
    MEDICAL_TYPES,
    SURGICAL_TYPES,
    Intervention,
    InterventionType,
)
from hsreg.units.models import Unit

from ..episodes import (
    BIOLOGICS,
    NO,
    YES,
    baseline,
    complication_answered,
    episode_rows,
    judged_occasion,
)

#: how many years the trends and the tables of episodes and patients per year go back
from . import compare, groups, protect
from .common import (
    AGE_BANDS,
    ALL,
    ANALGESIC_FIELDS,
    ANTIBIOTICS,
    LOCAL_DRUGS,
    LOCAL_FIELDS,
    OTHER_SYSTEMIC,
    SURGERY_FIELDS,
    YES_NO_ORDER,
    Category,
    Distribution,
    _any,
    _bands,
    _coded,
    _counts,
    _course,
    _distribution,
    _drug_name,
    _field_label,
    _interventions,
    _scope,
    _Spec,
)
from .filters import NO_FILTERS, Filters
from .periods import followup_period
from .protect import PUBLIC, Reader


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
            # R MedisinskBeh_v2: the five parent answers, or a box or course of the group
            (
                (gettext_lazy("Biologic treatment"), groups.biologic()),
                (gettext_lazy("Antibiotic treatment"), Q(antibiotic=True) | groups.antibiotic()),
                (
                    gettext_lazy("Anti-inflammatory or other systemic treatment"),
                    Q(other_systemic=True) | groups.antiinflammatory(),
                ),
                (gettext_lazy("Analgesics"), groups.analgesic(ANALGESIC_FIELDS)),
                (
                    gettext_lazy("Local medical treatment"),
                    _any(LOCAL_FIELDS) | Q(local_drug=True) | groups.local(),
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
    "unit_id",
    *groups.COLUMNS,
)


def _materialised(rows: QuerySet[Any], columns: Sequence[str], name: str) -> QuerySet[Any]:
    """``rows`` as a materialised common table expression of ``columns``: each correlated
    sub-select (a baseline, a drug course) runs once per row, where an aggregate over the
    annotated rows themselves would repeat it in every filtered count that reads it."""
    cte = CTE(rows.values(*columns), name=name, materialized=True)
    materialised: QuerySet[Any] = with_cte(cte, select=cte.queryset())
    return materialised


def _first_episodes(
    *, year: int, as_of: date, unit: Unit | None, filters: Filters = NO_FILTERS
) -> QuerySet[Any]:
    """Each patient's first episode of the year (at the unit), with their work status before
    it: one row per patient. With ``filters``, the first of the chosen episodes (R filters
    before it counts: hisregUtvalg)."""
    earlier = filters.narrow(_interventions(first=year, last=year, as_of=as_of, unit=unit)).filter(
        Q(date__lt=OuterRef("date")) | Q(date=OuterRef("date"), pk__lt=OuterRef("pk")),
        patient=OuterRef("patient"),
    )
    rows = filters.narrow(episode_rows(as_of=as_of, years=(year, year))).filter(~Exists(earlier))
    if unit is not None:
        rows = rows.filter(unit=unit)
    return rows.annotate(base_work=baseline(PatientReport, "work"))


def _episodes_with_drugs(
    *, year: int, as_of: date, unit: Unit | None, filters: Filters = NO_FILTERS
) -> QuerySet[Any]:
    rows = filters.narrow(episode_rows(as_of=as_of, years=(year, year)))
    if unit is not None:
        rows = rows.filter(unit=unit)
    return rows.annotate(
        antibiotic=_course(ANTIBIOTICS),
        other_systemic=_course(OTHER_SYSTEMIC),
        local_drug=_course(LOCAL_DRUGS),
        **{f"bio_{d}": _course([d]) for d in BIOLOGICS},
        **groups.courses(),
    )


def _control_reports(
    *, year: int, as_of: date, unit: Unit | None, filters: Filters = NO_FILTERS
) -> QuerySet[PatientReport]:
    first, last = followup_period(year, as_of)  # D4: the follow-up period (periods)
    reports = PatientReport.objects.filter(
        _judging(),
        status=Status.FINISHED,
        date__lte=as_of,
        intervention__status=Status.FINISHED,
        intervention__date__gte=first,
        intervention__date__lte=last,
    )
    reports = filters.narrow(reports, prefix="intervention__")
    return reports.filter(intervention__unit=unit) if unit is not None else reports


def _unit_distribution(*, year: int, as_of: date, filters: Filters = NO_FILTERS) -> Distribution:
    """Figur 1: the share of the year's episodes each unit registered."""
    rows = (
        filters.narrow(_interventions(first=year, last=year, as_of=as_of, unit=None))
        .values("unit_id", "unit__name")
        .order_by()
        .annotate(n=Count("id"))
    )
    categories = sorted(
        (Category(r["unit__name"], r["n"], r["unit_id"]) for r in rows),
        key=lambda c: (-(c.n or 0), c.label),
    )
    return Distribution(
        "units",
        _("Episodes registered by the participating units"),
        categories,
        sum(c.n for c in categories),
        _scope(None),
    )


def distributions(
    *,
    year: int,
    as_of: date,
    unit: Unit | None = None,
    reader: Reader = PUBLIC,
    filters: Filters = NO_FILTERS,
) -> list[Distribution]:
    """Every distribution of the annual report for ``year`` (forms dated by ``as_of``), of the
    whole country or of one unit: five aggregate queries (four at a unit). Counts of 1-4 per
    unit (the units' figure, a unit's categories) are hidden with their complements unless
    the ``reader`` may see them (protect.distribution). ``filters`` narrow the episodes
    (distributions.filters); with its ``compare`` a unit's figures get the rest of the
    country as their second series (distributions.compare: five queries more)."""
    scope = _scope(unit)
    specs_p, specs_e = _patient_specs(), _episode_specs()
    specs_c, specs_h = _control_specs(), _history_specs()
    patients = _materialised(
        _first_episodes(year=year, as_of=as_of, unit=unit, filters=filters),
        PATIENT_COLUMNS,
        "first_episode",
    ).aggregate(**_counts(specs_p, of="id", distinct=False))
    episodes = _materialised(
        _episodes_with_drugs(year=year, as_of=as_of, unit=unit, filters=filters),
        EPISODE_COLUMNS,
        "episode",
    ).aggregate(**_counts(specs_e, of="id", distinct=False))
    controls = _control_reports(year=year, as_of=as_of, unit=unit, filters=filters).aggregate(
        **_counts(specs_c, of="intervention", distinct=True)
    )
    treated = filters.narrow(_interventions(first=year, last=year, as_of=as_of, unit=unit))
    treated = treated.values("patient")
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
        by_id["units"] = _unit_distribution(year=year, as_of=as_of, filters=filters)
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
    chosen = [by_id[i] for i in order if i in by_id]
    if not reader.exact:
        chosen = protect.distributions(chosen, reader, unit=unit.resh_id if unit else None)
    if unit is None:
        return chosen if reader.exact else compare.national_distributions(chosen, filters)
    if not filters.compare:
        return chosen
    rest = distributions(
        year=year, as_of=as_of, unit=None, reader=reader, filters=filters.rest_of(unit.resh_id)
    )
    return compare.distributions(chosen, rest, filters)
