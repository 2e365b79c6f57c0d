"""The rule ids of RULES.md with a short title each.

Every explanation cites one of these ids; a test checks that this table and RULES.md name the
same rules, so a rule added to the spec cannot be forgotten here.
"""

from __future__ import annotations

from .text import Text

RULES: dict[str, Text] = {
    "DX-1": Text("Diagnose (modifiserte Dessau-kriterier)", "Diagnosis (modified Dessau criteria)"),
    "ST-1": Text("Hurley-stadium", "Hurley stage"),
    "ST-2": Text("IHS4", "IHS4"),
    "ST-3": Text("Definisjon av lesjoner", "Lesion definitions"),
    "MO-1": Text("Vurdering av behandlingsrespons", "Judging treatment response"),
    "MO-1a": Text("DLQI", "DLQI"),
    "MO-2": Text("HiSCR", "HiSCR"),
    "MO-3": Text("HiSCR ved biologisk behandling", "HiSCR on biologic treatment"),
    "MO-4": Text("Registrering i HISREG", "Registration in HISREG"),
    "TX-1": Text("Behandling etter alvorlighetsgrad", "Treatment by severity"),
    "TX-2": Text("Topikal klindamycin", "Topical clindamycin"),
    "TX-3": Text("Intralesjonell triamcinolon", "Intralesional triamcinolone"),
    "TX-4": Text("Førstelinje: tetrasykliner", "First line: tetracyclines"),
    "TX-5": Text("Kombinasjon med kirurgi", "Combination with surgery"),
    "TX-6": Text("Andrelinje: indikasjon for adalimumab", "Second line: adalimumab indication"),
    "TX-7": Text("Dosering av adalimumab", "Adalimumab dosing"),
    "TX-8": Text("Tiltak ved siden av", "Accompanying measures"),
    "TX-9": Text("Respons etter 12 uker", "Response at 12 weeks"),
    "TX-10": Text("Langtidsbehandling", "Long-term treatment"),
    "TX-11": Text("Tredjelinje", "Third line"),
    "TX-12": Text("Neste steg", "Next step"),
    "SU-1": Text("Kirurgi", "Surgery"),
    "AD-1": Text("Adjuvant behandling", "Adjuvant care"),
    "SC-1": Text("Prøver før biologisk behandling", "Tests before a biologic"),
    "SC-2": Text("Anamnese før biologisk behandling", "History before a biologic"),
    "VA-1": Text("Vaksiner før oppstart", "Vaccines before start"),
    "VA-2": Text("Anbefalte vaksiner", "Recommended vaccines"),
    "VA-3": Text("Levende vaksiner", "Live vaccines"),
    "LM-1": Text("Blodprøvekontroller", "Laboratory follow-up"),
    "RG-1": Text("Registerets formål", "Purpose of the registry"),
    "RG-2": Text("Tilgang til registeret", "Access to the registry"),
    "RG-3": Text("Registrering ved behandlingsstedet", "Registration at the point of care"),
    "XS-1": Text("HiSCR75 / HiSCR90", "HiSCR75 / HiSCR90"),
    "XS-2": Text("IHS4-55", "IHS4-55"),
    "XS-3": Text("Modifisert Sartorius-skår", "Modified Sartorius score"),
    "XS-4": Text("NRS30", "NRS30"),
    "XS-5": Text("HS-PGA", "HS-PGA"),
    "XS-6": Text("Residiv i Dessau-kriteriene", "Dessau recurrence"),
    "XB-1": Text("Sekukinumab", "Secukinumab"),
    "XB-2": Text("Bimekizumab", "Bimekizumab"),
    "XB-3": Text("Respons på IL-17-hemmer (uke 16)", "Response on an IL-17 inhibitor (week 16)"),
    "XB-4": Text("Kontroller før IL-17-hemmer", "Checks before an IL-17 inhibitor"),
    "XB-5": Text("Finansieringsstatus (Nye metoder)", "Funding status (Nye metoder)"),
    "XB-6": Text("DLQI for barn (CDLQI)", "Children's DLQI (CDLQI)"),
    "XB-7": Text("HS-IGA", "HS-IGA"),
    "XB-8": Text("HiSCRs validerte område", "HiSCR's validated range"),
}

# RG-1: the four health regions whose treatment choices the registry compares.
HEALTH_REGIONS: dict[str, str] = {
    "helse_nord": "Helse Nord",
    "helse_midt": "Helse Midt-Norge",
    "helse_vest": "Helse Vest",
    "helse_sor_ost": "Helse Sør-Øst",
}
