"""DLQI severity and Hurley stage before treatment and at the control."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy

from hsreg.assessments.models import (
    HURLEY,
)
from hsreg.treatments.models import (
    InterventionType,
)
from hsreg.units.models import Unit

#: how many years the trends and the tables of episodes and patients per year go back
from . import compare, protect
from .averages import (
    _type_label,
)
from .common import (
    Label,
    Shift,
    ShiftCategory,
    _band,
    _scope,
)
from .filters import NO_FILTERS, Filters
from .periods import followup_episodes, followup_note
from .protect import PUBLIC, Reader


def _grouped(
    qs: QuerySet[Any], group: str, aggregates: dict[str, Any]
) -> dict[Any, Mapping[str, Any]]:
    return {r[group]: r for r in qs.values(group).order_by().annotate(**aggregates)}


def shifts(
    *,
    year: int,
    as_of: date,
    unit: Unit | None = None,
    reader: Reader = PUBLIC,
    filters: Filters = NO_FILTERS,
) -> list[Shift]:
    """DLQI severity and Hurley stage before treatment and at the control, over the episodes
    with both (HISREG's Figur 20-25): all episodes, surgical and medical, one query. A unit's
    counts of 1-4 are hidden with their complements unless the ``reader`` may see them
    (protect.shift). ``filters`` narrow the episodes; with its ``compare`` each of a unit's
    shifts is followed by the rest of the country's (distributions.compare: one query more)."""
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
    # D4: the controls of the follow-up period, 1 July Y-1 to 30 June Y (periods)
    episodes = filters.narrow(followup_episodes(year=year, as_of=as_of))
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
                    f"{key}_shift{suffix}",
                    shown,
                    categories,
                    added(f"{key}__total"),
                    _scope(unit),
                    note=followup_note(year, as_of),
                )
            )
    if unit is None and not reader.exact:
        result = compare.national_shifts(result, filters)
    elif unit is not None and not reader.exact:
        result = [protect.shift(s, reader, unit=unit.resh_id) for s in result]
    if unit is None or not filters.compare:
        return result
    rest = shifts(
        year=year, as_of=as_of, unit=None, reader=reader, filters=filters.rest_of(unit.resh_id)
    )
    return compare.shifts(result, rest, filters)
