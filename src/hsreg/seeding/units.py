"""The demo registry's units: about twenty Norwegian dermatology departments and private
practices across the four health regions (RG-1), each with a RESH id.

Names, health trusts and regions are real places; the RESH ids are invented (plausible whole
numbers), so the demo never claims to be a real unit's data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hsreg.units.models import Unit


@dataclass(frozen=True, slots=True)
class UnitSpec:
    resh_id: int
    name: str
    health_trust: str
    region: str  # units.models.HealthRegion value
    kind: str  # units.models.UnitKind value
    weight: int  # relative share of the demo's patients


# fmt: off
UNITS: tuple[UnitSpec, ...] = (
    # Helse Sør-Øst
    UnitSpec(4208711, "Hudavdelingen, Oslo universitetssykehus", "Oslo universitetssykehus HF", "sor_ost", "hospital", 14),
    UnitSpec(4208754, "Hudavdelingen, Akershus universitetssykehus", "Akershus universitetssykehus HF", "sor_ost", "hospital", 9),
    UnitSpec(4210236, "Hudpoliklinikken, Drammen sykehus", "Vestre Viken HF", "sor_ost", "hospital", 6),
    UnitSpec(4210561, "Hudavdelingen, Sykehuset i Vestfold", "Sykehuset i Vestfold HF", "sor_ost", "hospital", 5),
    UnitSpec(4211048, "Hudavdelingen, Sørlandet sykehus Kristiansand", "Sørlandet sykehus HF", "sor_ost", "hospital", 5),
    UnitSpec(4211392, "Hudpoliklinikken, Sykehuset Innlandet Lillehammer", "Sykehuset Innlandet HF", "sor_ost", "hospital", 4),
    UnitSpec(4211677, "Hudpoliklinikken, Sykehuset Telemark Skien", "Sykehuset Telemark HF", "sor_ost", "hospital", 3),
    UnitSpec(4211905, "Hudpoliklinikken, Sykehuset Østfold Kalnes", "Sykehuset Østfold HF", "sor_ost", "hospital", 4),
    # Helse Vest
    UnitSpec(4203318, "Hudavdelingen, Haukeland universitetssjukehus", "Helse Bergen HF", "vest", "hospital", 10),
    UnitSpec(4203472, "Hudavdelingen, Stavanger universitetssjukehus", "Helse Stavanger HF", "vest", "hospital", 6),
    UnitSpec(4203809, "Hudpoliklinikken, Haugesund sjukehus", "Helse Fonna HF", "vest", "hospital", 3),
    UnitSpec(4204127, "Hudpoliklinikken, Førde sentralsjukehus", "Helse Førde HF", "vest", "hospital", 2),
    # Helse Midt-Norge
    UnitSpec(4205564, "Hudavdelingen, St. Olavs hospital", "St. Olavs hospital HF", "midt", "hospital", 8),
    UnitSpec(4205893, "Hudpoliklinikken, Ålesund sjukehus", "Helse Møre og Romsdal HF", "midt", "hospital", 3),
    UnitSpec(4206240, "Hudpoliklinikken, Sykehuset Levanger", "Helse Nord-Trøndelag HF", "midt", "hospital", 2),
    # Helse Nord
    UnitSpec(4201115, "Hudavdelingen, Universitetssykehuset Nord-Norge Tromsø", "Universitetssykehuset Nord-Norge HF", "nord", "hospital", 5),
    UnitSpec(4201478, "Hudpoliklinikken, Nordlandssykehuset Bodø", "Nordlandssykehuset HF", "nord", "hospital", 3),
    # Private practices with reimbursement rights (avtalespesialister)
    UnitSpec(9711023, "Majorstuen Hudlegesenter", "Avtalespesialist, Helse Sør-Øst RHF", "sor_ost", "private", 3),
    UnitSpec(9712248, "Bergen Hudlegekontor", "Avtalespesialist, Helse Vest RHF", "vest", "private", 2),
    UnitSpec(9713306, "Trondheim Hudklinikk", "Avtalespesialist, Helse Midt-Norge RHF", "midt", "private", 2),
    UnitSpec(9714471, "Hudlegen i Bodø", "Avtalespesialist, Helse Nord RHF", "nord", "private", 1),
)
# fmt: on

#: the unit the demo user works in and where the first patients (one of each kind) are placed
SHOWCASE = UNITS[0]
#: the demo user's other units: a university hospital in another region and a private practice;
#: last a private practice of that hospital's region (Helse Vest), to ask Haukeland for H-resept
#: approval (TX-6) and decide it there
DEMO_USER_UNITS = (SHOWCASE, UNITS[8], UNITS[17], UNITS[18])
#: the registry's own office, where the demo user is registry coordinator (no patients: the
#: demo creates it, the seeding does not)
REGISTRY_OFFICE = UnitSpec(
    4001031, "HISREG registersekretariat", "Helse Bergen HF", "vest", "hospital", 0
)


def ensure_units() -> list[Unit]:
    """Creates the units that do not exist yet (by RESH id) and returns all of them; existing
    units are left as they are."""
    from hsreg.units.models import Unit  # noqa: PLC0415 - the specs above need no Django

    existing = set(
        Unit.objects.filter(resh_id__in=[u.resh_id for u in UNITS]).values_list("pk", flat=True)
    )
    Unit.objects.bulk_create(
        Unit(
            resh_id=u.resh_id,
            name=u.name,
            health_trust=u.health_trust,
            region=u.region,
            kind=u.kind,
            # the demo shows the automatic patient controls (questionnaires.schedule) here
            invites_patients=u.resh_id == SHOWCASE.resh_id,
        )
        for u in UNITS
        if u.resh_id not in existing
    )
    ensure_departments()
    return list(Unit.objects.filter(resh_id__in=[u.resh_id for u in UNITS]))


#: the university hospital dermatology department that decides H-resept delegation requests
#: of each region's private practices (TX-6; delegations.RegionalDepartment)
DEPARTMENTS = {"sor_ost": 4208711, "vest": 4203318, "midt": 4205564, "nord": 4201115}


def ensure_departments() -> None:
    """Configures each region's H-resept department (TX-6) where none is set yet."""
    from hsreg.delegations.models import RegionalDepartment  # noqa: PLC0415

    configured = set(RegionalDepartment.objects.values_list("region", flat=True))
    RegionalDepartment.objects.bulk_create(
        RegionalDepartment(region=region, unit_id=resh_id)
        for region, resh_id in DEPARTMENTS.items()
        if region not in configured
    )
