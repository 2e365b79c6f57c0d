"""The drug catalog: every drug a case document may name, with its place in the guideline.

`line` is where the NFDV guideline puts the drug: ``local`` (TX-2, TX-3), ``first`` (TX-4),
``second`` (TX-6), ``third`` (TX-11), ``special_cases`` (TX-11: low evidence, special cases
only) or ``None`` for drugs beyond the guideline (`in_guideline` false). `rule_id` is the rule
that describes the drug: for the IL-17 inhibitors approved for HS after the NFDV guideline
(2019) the rule of RULES.md's section XB (secukinumab XB-1, bimekizumab XB-2).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .text import Lang, Text

Line = Literal["local", "first", "second", "third", "special_cases"]
Route = Literal["topical", "intralesional", "oral", "subcutaneous", "intravenous"]
#: XB-5: whether a biologic is funded for HS in the specialist health service (Nye metoder)
FundingStatus = Literal["approved", "not_approved", "under_review"]

SYSTEMIC_ROUTES: frozenset[Route] = frozenset({"oral", "subcutaneous", "intravenous"})


@dataclass(frozen=True, slots=True)
class Drug:
    id: str
    name: Text
    atc: str | None
    line: Line | None
    rule_id: str
    in_guideline: bool
    route: Route
    biologic: bool
    tetracycline_class: bool
    dosing: Text
    #: a systemic antibiotic (HISREG's SYSTEMIC_ANTIBIOTIC_THERAPY group)
    antibiotic: bool = False

    @property
    def systemic(self) -> bool:
        return self.route in SYSTEMIC_ROUTES


# fmt: off
_TABLE: tuple[tuple[str, str, str, str | None, Line | None, str, Route], ...] = (
    # id                           Norwegian name                 English name                    ATC                  line             rule     route
    ("clindamycin_topical",         "Klindamycin 1 % liniment",    "Clindamycin 1% lotion",        "D10AF01",           "local",         "TX-2",  "topical"),
    ("triamcinolone_intralesional", "Triamcinolon intralesjonelt", "Triamcinolone, intralesional", "H02AB08",           "local",         "TX-3",  "intralesional"),
    ("tetracycline",                "Tetrasyklin",                 "Tetracycline",                 "J01AA07",           "first",         "TX-4",  "oral"),
    ("lymecycline",                 "Lymesyklin",                  "Lymecycline",                  "J01AA04",           "first",         "TX-4",  "oral"),
    ("doxycycline",                 "Doksysyklin",                 "Doxycycline",                  "J01AA02",           "first",         "TX-4",  "oral"),
    ("adalimumab",                  "Adalimumab",                  "Adalimumab",                   "L04AB04",           "second",        "TX-6",  "subcutaneous"),
    ("infliximab",                  "Infliksimab",                 "Infliximab",                   "L04AB02",           "third",         "TX-11", "intravenous"),
    ("rifampicin_clindamycin",      "Rifampicin + klindamycin",    "Rifampicin + clindamycin",     "J04AB02 + J01FF01", "third",         "TX-11", "oral"),
    ("acitretin",                   "Acitretin",                   "Acitretin",                    "D05BB02",           "third",         "TX-11", "oral"),
    ("ciclosporin",                 "Ciklosporin",                 "Ciclosporin",                  "L04AD01",           "third",         "TX-11", "oral"),
    ("isotretinoin",                "Isotretinoin",                "Isotretinoin",                 "D10BA01",           "special_cases", "TX-11", "oral"),
    ("dapsone",                     "Dapson",                      "Dapsone",                      "J04BA02",           "special_cases", "TX-11", "oral"),
    ("metformin",                   "Metformin",                   "Metformin",                    "A10BA02",           "special_cases", "TX-11", "oral"),
    ("prednisolone",                "Prednisolon",                 "Prednisolone",                 "H02AB06",           "special_cases", "TX-11", "oral"),
    ("methotrexate",                "Metotreksat",                 "Methotrexate",                 "L04AX03",           "special_cases", "TX-11", "oral"),
    ("colchicine",                  "Kolkisin",                    "Colchicine",                   "M04AC01",           "special_cases", "TX-11", "oral"),
    ("hormonal",                    "Hormonell behandling",        "Hormonal therapy",             "G03",               "special_cases", "TX-11", "oral"),
    ("secukinumab",                 "Sekukinumab",                 "Secukinumab",                  "L04AC10",           None,            "XB-1",  "subcutaneous"),
    ("bimekizumab",                 "Bimekizumab",                 "Bimekizumab",                  "L04AC21",           None,            "XB-2",  "subcutaneous"),
    # HISREG's intervention form names it (AMOXICILIN); no guideline regimen has it (RG-1)
    ("amoxicillin_clavulanate",     "Amoksicillin + klavulansyre", "Amoxicillin + clavulanic acid", "J01CR02",          None,            "RG-1",  "oral"),
)
# fmt: on

_BIOLOGICS = frozenset({"adalimumab", "infliximab", "secukinumab", "bimekizumab"})
_TETRACYCLINE_CLASS = frozenset({"tetracycline", "lymecycline", "doxycycline"})
_ANTIBIOTICS = _TETRACYCLINE_CLASS | {"rifampicin_clindamycin", "amoxicillin_clavulanate"}

_THIRD_LINE_DOSING = Text(
    "Tredjelinje; dosering etter preparatomtalen.", "Third line; dosing by the product information."
)
_LOW_EVIDENCE = Text(
    "Lav evidens: forbeholdt spesielle tilfeller.", "Low evidence: reserved for special cases."
)
# XB-1, XB-2: IL-17 inhibitors approved for HS after the guideline was written.
_DOSING: dict[str, Text] = {
    "clindamycin_topical": Text(
        "2 ganger daglig i 12 uker, ved Hurley I eller mild Hurley II; ikke lenger enn anbefalt "
        "(antibiotikaresistens).",
        "Twice daily for 12 weeks, at Hurley I or mild Hurley II; not beyond the recommended "
        "time (antibiotic resistance).",
    ),
    "triamcinolone_intralesional": Text(
        "10 mg/ml, 0,1–0,5 ml per lesjon, ved akutt inflammerte noduli og abscesser.",
        "10 mg/ml, 0.1–0.5 ml per lesion, for acutely inflamed nodules and abscesses.",
    ),
    "tetracycline": Text("500 mg × 2 daglig i 3–4 måneder.", "500 mg twice daily for 3–4 months."),
    "lymecycline": Text("300 mg × 2 daglig i 3–4 måneder.", "300 mg twice daily for 3–4 months."),
    "doxycycline": Text("100 mg × 2 daglig i 3–4 måneder.", "100 mg twice daily for 3–4 months."),
    "adalimumab": Text(
        "Voksne: 160 mg uke 0, 80 mg uke 2, fra uke 4 40 mg hver uke eller 80 mg hver 2. uke. "
        "Ungdom (12–17 år, ≥ 30 kg): 80 mg uke 0, deretter 40 mg hver 2. uke fra uke 1. H-resept.",
        "Adults: 160 mg week 0, 80 mg week 2, from week 4 40 mg every week or 80 mg every 2 "
        "weeks. Adolescents (12–17 years, ≥ 30 kg): 80 mg week 0, then 40 mg every 2 weeks from "
        "week 1. Prescribed on H-resept.",
    ),
    "infliximab": Text(
        "5 mg/kg intravenøst uke 0, 2 og 6, deretter hver 8. uke.",
        "5 mg/kg intravenously at weeks 0, 2 and 6, then every 8 weeks.",
    ),
    "rifampicin_clindamycin": Text(
        "Rifampicin 300 mg × 2 og klindamycin 300 mg × 2 daglig i 3 måneder (tredjelinje i Norge "
        "på grunn av resistensrisiko).",
        "Rifampicin 300 mg twice daily and clindamycin 300 mg twice daily for 3 months (third "
        "line in Norway because of the risk of resistance).",
    ),
    "amoxicillin_clavulanate": Text(
        "Utenfor NFDV-retningslinjen: registreres fordi HISREGs intervensjonsskjema spør om det; "
        "dosering etter preparatomtalen.",
        "Beyond the NFDV guideline: recorded because HISREG's intervention form asks about it; "
        "dosing by the product information.",
    ),
    "acitretin": _THIRD_LINE_DOSING,
    "ciclosporin": _THIRD_LINE_DOSING,
    "secukinumab": Text(
        "Utover NFDV-retningslinjen (2019), XB-1 (EU-godkjent for HS 2023; SUNSHINE/SUNRISE, "
        "Lancet 2023): voksne, 300 mg subkutant uke 0, 1, 2, 3 og 4, deretter 300 mg hver 4. "
        "uke; etter respons kan dosen økes til 300 mg hver 2. uke.",
        "Beyond the NFDV guideline (2019), XB-1 (EU approval for HS 2023; SUNSHINE/SUNRISE, "
        "Lancet 2023): adults, 300 mg subcutaneously at weeks 0, 1, 2, 3 and 4, then 300 mg "
        "every 4 weeks; by response the dose may be raised to 300 mg every 2 weeks.",
    ),
    "bimekizumab": Text(
        "Utover NFDV-retningslinjen (2019), XB-2 (EU-godkjent for HS 2024; BE HEARD I/II, "
        "Lancet 2024): voksne, 320 mg subkutant hver 2. uke til uke 16, deretter 320 mg hver "
        "4. uke.",
        "Beyond the NFDV guideline (2019), XB-2 (EU approval for HS 2024; BE HEARD I/II, "
        "Lancet 2024): adults, 320 mg subcutaneously every 2 weeks up to week 16, then 320 mg "
        "every 4 weeks.",
    ),
}

DRUGS: dict[str, Drug] = {
    drug_id: Drug(
        id=drug_id,
        name=Text(nb, en),
        atc=atc,
        line=line,
        rule_id=rule_id,
        in_guideline=line is not None,
        route=route,
        biologic=drug_id in _BIOLOGICS,
        tetracycline_class=drug_id in _TETRACYCLINE_CLASS,
        dosing=_DOSING.get(drug_id, _LOW_EVIDENCE),
        antibiotic=drug_id in _ANTIBIOTICS,
    )
    for drug_id, nb, en, atc, line, rule_id, route in _TABLE
}

# XB-5: funding changes by national decision (Nye metoder), not by guideline, so it is data:
# this default (as of January 2026) stands until the registry coordinator records otherwise
# (the case document's `funding_status` overrides it per drug). Infliximab is the guideline's
# own third line (TX-11).
DEFAULT_FUNDING: dict[str, FundingStatus] = {
    "adalimumab": "approved",
    "infliximab": "approved",
    "secukinumab": "not_approved",
    "bimekizumab": "not_approved",
}
FUNDING_AS_OF = Text("per januar 2026", "as of January 2026")
FUNDING_STATUS_NAMES: dict[str, Text] = {
    "approved": Text(
        "godkjent for HS i spesialisthelsetjenesten",
        "approved for HS in the specialist health service",
    ),
    "not_approved": Text("ikke godkjent for HS (Nye metoder)", "not approved for HS (Nye metoder)"),
    "under_review": Text("til vurdering i Nye metoder", "under review by Nye metoder"),
}

BEYOND_GUIDELINE = Text("utenfor NFDV-retningslinjen", "beyond the NFDV guideline")

TETRACYCLINES: tuple[str, ...] = tuple(d.id for d in DRUGS.values() if d.tetracycline_class)
BIOLOGICS: tuple[str, ...] = tuple(d.id for d in DRUGS.values() if d.biologic)
# TX-12: the third-line drugs the system offers after adalimumab has failed.
THIRD_LINE: tuple[str, ...] = ("infliximab", "rifampicin_clindamycin", "acitretin", "ciclosporin")
LOCAL: tuple[str, ...] = ("clindamycin_topical", "triamcinolone_intralesional")


def describe(drug: Drug, lang: Lang) -> dict[str, object]:
    """One catalog entry as JSON-ready data, with both names and the texts in ``lang``."""
    return {
        "id": drug.id,
        "name": drug.name.in_lang(lang),
        "name_nb": drug.name.nb,
        "name_en": drug.name.en,
        "atc": drug.atc,
        "line": drug.line,
        "rule_id": drug.rule_id,
        "in_guideline": drug.in_guideline,
        "note": None if drug.in_guideline else BEYOND_GUIDELINE.in_lang(lang),
        "route": drug.route,
        "biologic": drug.biologic,
        "tetracycline_class": drug.tetracycline_class,
        "dosing": drug.dosing.in_lang(lang),
        # XB-5: the default funding status (a case document's `funding_status` overrides it)
        "funding_status": DEFAULT_FUNDING.get(drug.id),
    }


def drug_name(drug_id: str) -> Text:
    """The drug's name as running text uses it ("står på adalimumab"), marked when it lies
    beyond the guideline."""
    drug = DRUGS[drug_id]
    name = Text(
        drug.name.nb[0].lower() + drug.name.nb[1:], drug.name.en[0].lower() + drug.name.en[1:]
    )
    if drug.in_guideline:
        return name
    return name + Text(" (", " (") + BEYOND_GUIDELINE + Text(")", ")")


def funding_text(drug_id: str, status: FundingStatus) -> Text:
    """XB-5: a biologic's funding status in words, with where it comes from."""
    name, status_name = DRUGS[drug_id].name, FUNDING_STATUS_NAMES[status]
    return Text(
        f"Finansiering (XB-5, utover NFDV-retningslinjen (2019); Nye metoder, standard "
        f"{FUNDING_AS_OF.nb}, oppdateres av registerkoordinator): {name.nb} {status_name.nb}.",
        f"Funding (XB-5, beyond the NFDV guideline (2019); Nye metoder, default "
        f"{FUNDING_AS_OF.en}, updated by the registry coordinator): {name.en} {status_name.en}.",
    )
