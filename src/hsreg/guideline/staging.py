"""ST-1..3 staging of the latest assessment, with the definitions the forms show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from . import scores
from .history import Visit
from .text import Explanation, Text, Topic, d, explanations_field, join

WHY = Topic("staging")

# ST-1, Table 1: shown beside the Hurley choice.
HURLEY_STAGES: dict[int, Text] = {
    1: Text(
        "Ømme og dype 0,5–2 cm store noduli som ofte utvikler seg til abscesser. Ingen fistler "
        "eller arrdanning.",
        "Tender deep nodules of 0.5–2 cm, often becoming abscesses. No tunnels or scarring.",
    ),
    2: Text(
        "Residiverende noduli og abscesser, fistler som drenerer serøs væske eller puss, "
        "arrdanning.",
        "Recurrent nodules and abscesses, tunnels draining serous fluid or pus, scarring.",
    ),
    3: Text(
        "Omfattende inflammasjon i subcutis, konglomerat av dype abscesser og fistler med markert "
        "hypertrofisk arrdanning.",
        "Extensive subcutaneous inflammation, conglomerates of deep abscesses and tunnels with "
        "marked hypertrophic scarring.",
    ),
}

# ST-3, Table 3: shown where the counts are entered.
LESION_DEFINITIONS: dict[str, Text] = {
    "nodules": Text(
        "Inflammatorisk nodulus: solid, erytematøs, smertefull, fast, rund lesjon mindre enn 2 cm, "
        "i hud eller underhud.",
        "Inflammatory nodule: solid, erythematous, painful, firm, round lesion smaller than 2 cm, "
        "in the skin or subcutis.",
    ),
    "abscesses": Text(
        "Abscess: fluktuerende, erytematøs, smertefull, myk, rund lesjon større enn 2 cm.",
        "Abscess: fluctuant, erythematous, painful, soft, round lesion larger than 2 cm.",
    ),
    "draining_tunnels": Text(
        "Drenerende fistel: erytematøs, smertefull eller ikke, væskende, lineær lesjon over 2 cm "
        "med en eller flere åpninger på hudoverflaten.",
        "Draining tunnel: erythematous, painful or not, draining, linear lesion longer than 2 cm "
        "with one or more openings to the skin.",
    ),
}

REGION_NAMES: dict[str, Text] = {
    "axilla_left": Text("venstre aksille", "left axilla"),
    "axilla_right": Text("høyre aksille", "right axilla"),
    "groin_left": Text("venstre lyske", "left groin"),
    "groin_right": Text("høyre lyske", "right groin"),
    "gluteal_left": Text("venstre glutealt", "left gluteal"),
    "gluteal_right": Text("høyre glutealt", "right gluteal"),
    "inframammary_left": Text("venstre inframammært", "left inframammary"),
    "inframammary_right": Text("høyre inframammært", "right inframammary"),
    "genital": Text("genitalt", "genital"),
    "perianal": Text("perianalt", "perianal"),
    "other": Text("annen lokalisasjon", "other site"),
}

# Mild / moderate / severe: IHS4 categories (ST-2) and the clinician's inflammatory activity.
SEVERITY_NAMES: dict[str, Text] = {
    "mild": Text("mild", "mild"),
    "moderate": Text("moderat", "moderate"),
    "severe": Text("alvorlig", "severe"),
}
_ROMAN = {1: "I", 2: "II", 3: "III"}


@dataclass(frozen=True, slots=True)
class Ihs4:
    score: int | None
    category: scores.Ihs4Category | None


@dataclass(frozen=True, slots=True)
class Staging:
    date: date | None = None
    ihs4: Ihs4 = Ihs4(None, None)
    hurley: int | None = None
    an_count: int | None = None
    sartorius: int | None = None
    nodules: int | None = None
    abscesses: int | None = None
    draining_tunnels: int | None = None
    inflammatory_activity: str | None = None
    #: ``hurley_i_with_tunnels`` when a region staged Hurley I has draining tunnels (ST-1)
    warnings: tuple[str, ...] = ()
    #: the regions of that warning; empty when the counts are totals (then the worst region)
    hurley_i_tunnel_regions: tuple[str, ...] = ()
    explanations: tuple[Explanation, ...] = explanations_field()


HURLEY_I_WITH_TUNNELS = "hurley_i_with_tunnels"


def hurley_i_tunnels(visit: Visit) -> tuple[bool, tuple[str, ...]]:
    """ST-1: Hurley I has no tunnels. Whether the assessment stages a region Hurley I that has
    draining tunnels, and which regions (none listed when only totals are recorded: then the
    worst stage is I, so every region is, and any tunnel is in a Hurley I region)."""
    if visit.regions:
        regions = tuple(r.region for r in visit.regions if r.hurley == 1 and r.draining_tunnels > 0)
        return bool(regions), regions
    return visit.hurley == 1 and visit.lesions.draining_tunnels > 0, ()


def hurley_name(stage: int | None) -> str:
    return "?" if stage is None else _ROMAN[stage]


def stage(visit: Visit | None) -> Staging:
    """ST-1, ST-2 and XS-3 for the latest assessment (``None``: no assessment recorded)."""
    if visit is None:
        unknown = WHY(
            "ST-2",
            "Ingen vurdering er registrert: IHS4 og Hurley er ukjent.",
            "No assessment is recorded: IHS4 and Hurley are unknown.",
        )
        return Staging(explanations=(unknown,))
    n, a, t = visit.lesions
    score = visit.lesions.ihs4
    category = scores.ihs4_category(score)
    name, when = SEVERITY_NAMES[category], d(visit.date)
    sartorius = scores.sartorius(visit.regions)
    conflict, conflict_regions = hurley_i_tunnels(visit)
    ihs4_why = WHY(
        "ST-2",
        f"IHS4 {when.nb} = noduli {n} × 1 + abscesser {a} × 2 + drenerende fistler {t} × 4 "
        f"= {score}: {name.nb} (mild ≤ 3, moderat 4–10, alvorlig ≥ 11).",
        f"IHS4 on {when.en} = nodules {n} × 1 + abscesses {a} × 2 + draining tunnels {t} × 4 "
        f"= {score}: {name.en} (mild ≤ 3, moderate 4–10, severe ≥ 11).",
    )
    return Staging(
        date=visit.date,
        ihs4=Ihs4(score, category),
        hurley=visit.hurley,
        an_count=visit.lesions.an,
        sartorius=sartorius,
        nodules=n,
        abscesses=a,
        draining_tunnels=t,
        inflammatory_activity=visit.inflammatory_activity,
        warnings=(HURLEY_I_WITH_TUNNELS,) if conflict else (),
        hurley_i_tunnel_regions=conflict_regions,
        explanations=(
            ihs4_why,
            _hurley_why(visit),
            *([tunnel_warning(visit.date, conflict_regions)] if conflict else []),
            _sartorius_why(visit, sartorius),
        ),
    )


def tunnel_warning(assessed: date, regions: tuple[str, ...]) -> Explanation:
    """ST-1: the warning for an assessment staging Hurley I where tunnels are recorded."""
    where = (
        join([REGION_NAMES[r] for r in regions])
        if regions
        else Text("det verste området", "the worst region")
    )
    return WHY(
        "ST-1",
        f"Advarsel: Hurley I i {where.nb}, men drenerende fistler er registrert der "
        f"({d(assessed).nb}). Hurley I har ingen fistler: kontroller stadium og tellinger.",
        f"Warning: Hurley I in {where.en}, but draining tunnels are recorded there "
        f"({d(assessed).en}). Hurley I has no tunnels: check the stage and the counts.",
    )


def _hurley_why(visit: Visit) -> Explanation:
    if visit.hurley is None:
        return WHY(
            "ST-1",
            "Hurley-stadium er ikke registrert. Retningslinjen ønsker både Hurley og IHS4 ved "
            "hver vurdering.",
            "The Hurley stage is not recorded. The guideline asks for both Hurley and IHS4 at "
            "every assessment.",
        )
    stage_name = hurley_name(visit.hurley)
    worst = [r.region for r in visit.regions if r.hurley == visit.hurley]
    if worst:
        where = REGION_NAMES[worst[0]]
        return WHY(
            "ST-1",
            f"Hurley {stage_name}, vurdert etter verste område ({where.nb}).",
            f"Hurley {stage_name}, judged by the worst region ({where.en}).",
        )
    return WHY(
        "ST-1",
        f"Hurley {stage_name} (verste område, registrert av klinikeren).",
        f"Hurley {stage_name} (worst region, as recorded by the clinician).",
    )


def _sartorius_why(visit: Visit, sartorius: int | None) -> Explanation:
    if not visit.regions:
        return WHY(
            "XS-3",
            "Modifisert Sartorius krever tellinger per region; ingen regioner er registrert.",
            "The modified Sartorius score needs counts per region; no regions are recorded.",
        )
    if sartorius is None:
        lacking = join(
            [REGION_NAMES[r.region] for r in visit.regions if scores.sartorius_region(r) is None]
        )
        return WHY(
            "XS-3",
            "Modifisert Sartorius kan ikke beregnes: lengste avstand eller adskillelse med "
            f"normal hud mangler for {lacking.nb}.",
            "The modified Sartorius score cannot be computed: longest distance or separation by "
            f"normal skin is missing for {lacking.en}.",
        )
    involved = sum(1 for r in visit.regions if scores.sartorius_region(r))
    return WHY(
        "XS-3",
        f"Modifisert Sartorius = {sartorius} (affiserte regioner: {involved}).",
        f"Modified Sartorius score = {sartorius} (involved regions: {involved}).",
    )
