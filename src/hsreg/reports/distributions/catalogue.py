"""Every distribution of the distributions page and the annual report, in the order of HISREG's
"Figurer og tabeller for årsrapport" (``inst/FigTilAarsrapp2021.Rnw``): counts.distributions'
figures and those issue 16 added, Figur 2 (patients.unit_patients), Figur 35
(followup.impossible_reasons) and Figur 37-39 (treatment.drug_types).

The figures of the controls count the episodes of the follow-up period (periods, D4) and say
so in their ``note``."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from hsreg.units.models import Unit

from . import compare, protect
from .common import Distribution
from .counts import distributions as counted
from .filters import NO_FILTERS, Filters
from .followup import impossible_reasons
from .patients import unit_patients
from .periods import followup_note
from .protect import PUBLIC, Reader
from .treatment import drug_types

#: counts.distributions' figures of the controls (counts._control_reports: the follow-up period)
CONTROLS = frozenset({"complications", "satisfaction", "would_repeat", "would_recommend"})
#: where the added figures go: after the figure named (HISREG's order)
AFTER = {
    "unit_patients": "units",
    "impossible_reason": "would_recommend",
    "antibiotic_type": "impossible_reason",
    "antiinflammatory_type": "antibiotic_type",
    "local_type": "antiinflammatory_type",
}


def distributions(
    *,
    year: int,
    as_of: date,
    unit: Unit | None = None,
    reader: Reader = PUBLIC,
    filters: Filters = NO_FILTERS,
) -> list[Distribution]:
    """counts.distributions with HISREG's Figur 2, 35 and 37-39 in their places: three
    aggregate queries more (two at a unit, four at a unit compared with the rest of the
    country). The added figures are protected as the others (protect.distributions for a
    unit's counts of 1-4; with filters, the whole country's too,
    compare.national_distributions) and, with ``filters.compare``, get the rest of the
    country as their second series (compare.distributions)."""
    base = counted(year=year, as_of=as_of, unit=unit, reader=reader, filters=filters)
    note = followup_note(year, as_of)
    base = [replace(d, note=note) if d.id in CONTROLS else d for d in base]
    added = [
        impossible_reasons(year=year, as_of=as_of, unit=unit, filters=filters),
        *drug_types(year=year, as_of=as_of, unit=unit, filters=filters),
    ]
    if unit is None:
        added.insert(0, unit_patients(year=year, as_of=as_of, filters=filters))
    if not reader.exact:
        added = protect.distributions(added, reader, unit=unit.resh_id if unit else None)
        if unit is None:
            added = compare.national_distributions(added, filters)
    if unit is not None and filters.compare:  # the rest of the country beside the unit
        others = filters.rest_of(unit.resh_id)
        rest = [
            impossible_reasons(year=year, as_of=as_of, filters=others),
            *drug_types(year=year, as_of=as_of, filters=others),
        ]
        if not reader.exact:
            rest = compare.national_distributions(rest, others)
        added = compare.distributions(added, rest, filters)
    result = list(base)
    for item in added:
        after = AFTER[item.id]
        at = next((i for i, d in enumerate(result) if d.id == after), len(result) - 1)
        result.insert(at + 1, item)
    return result
