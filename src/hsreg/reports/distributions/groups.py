"""The intervention form's drug groups as HISREG's figures count them (issue 16, Figur 8 and
37-42): each group is the parent answer (``*_given``), a box of the group, or a finished drug
course of one of its drugs. The boxes are the data dictionary's, mapped to the drug catalog as
the HISREG export maps them (hisreg/sources_intervention.py GROUPS and LOCAL), so the figures
and the export agree.

R (``R/hisregPrepVar.R``): ``Antibiotisk_v2`` counts RIFAMPICIN_CLINDAMYCIN,
TETRACYCLIN_LYMECYCLIN, AMOXICILIN and SYSTEMIC_ANTIBIOTIC_THERAPY_OTHER among the episodes with
SYSTEMIC_ANTIBIOTIC_THERAPY == 1; ``AntiinflammatoriskBeh`` DAPSON … METFORMIN and
ANTIINFLAMMATORY_TREATMENT_OTHER among ANTIINFLAMMATORY_TREATMENT == 1;
``LokalisertMedisinsk_v2`` the four local boxes among BASED_MEDICAL_TREATMENT == 1;
``MedisinskBeh_v2`` / ``MedisinskBeh_gr`` the five parent answers among the medical episodes.
An intervention saved before the parent answers existed has them empty: a box or a course of
the group then says yes, as the export reads it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import BooleanField, Exists, OuterRef, Q, Value
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from hsreg.guideline.catalog import DRUGS
from hsreg.records.models import Status, YesNoUnknown
from hsreg.treatments.models import DrugCourse

YES = int(YesNoUnknown.YES)


def course(drugs: Sequence[str]) -> Any:
    """Whether the intervention has a finished drug course of one of ``drugs``."""
    known = [d for d in drugs if d in DRUGS]
    if not known:
        return Value(False, output_field=BooleanField())
    return Exists(
        DrugCourse.objects.filter(
            intervention=OuterRef("pk"), status=Status.FINISHED, drug__in=known
        )
    )


#: (column, label, drugs of the box, the form's own box field or None), in R's order
ANTIBIOTIC_BOXES: tuple[tuple[str, Promise, tuple[str, ...], str | None], ...] = (
    (
        "ab_rifampicin",
        gettext_lazy("Rifampicin and clindamycin"),
        ("rifampicin_clindamycin",),
        None,
    ),
    (
        "ab_tetracycline",
        gettext_lazy("Tetracycline or lymecycline"),
        ("tetracycline", "lymecycline"),
        None,
    ),
    (
        "ab_amoxicillin",
        gettext_lazy("Amoxicillin with clavulanic acid"),
        ("amoxicillin_clavulanate",),
        None,
    ),
    ("ab_other", gettext_lazy("Other"), ("doxycycline",), "antibiotic_other"),
)
ANTIINFLAMMATORY_BOXES: tuple[tuple[str, Promise, tuple[str, ...], str | None], ...] = (
    ("ai_dapsone", gettext_lazy("Dapsone"), ("dapsone",), None),
    ("ai_prednisolone", gettext_lazy("Prednisolone"), ("prednisolone",), None),
    ("ai_ciclosporin", gettext_lazy("Ciclosporin"), ("ciclosporin",), None),
    ("ai_acitretin", gettext_lazy("Acitretin"), ("acitretin",), None),
    ("ai_isotretinoin", gettext_lazy("Isotretinoin"), ("isotretinoin",), None),
    ("ai_metformin", gettext_lazy("Metformin"), ("metformin",), None),
    (
        "ai_other",
        gettext_lazy("Other"),
        ("methotrexate", "colchicine", "hormonal"),
        "antiinflammatory_other",
    ),
)
#: R's LokalisertMedisinsk_v2 order: triamcinolone, azelaic acid, clindamycin, resorcinol
LOCAL_BOXES: tuple[tuple[str, Promise, tuple[str, ...], str | None], ...] = (
    (
        "loc_triamcinolone",
        gettext_lazy("Triamcinolone"),
        ("triamcinolone_intralesional",),
        "local_triamcinolone",
    ),
    ("loc_azelaic_acid", gettext_lazy("Azelaic acid"), (), "local_azelaic_acid"),
    ("loc_clindamycin", gettext_lazy("Clindamycin"), ("clindamycin_topical",), "local_clindamycin"),
    ("loc_resorcinol", gettext_lazy("Resorcinol 15 %"), (), "local_resorcinol"),
)
BOXES = (*ANTIBIOTIC_BOXES, *ANTIINFLAMMATORY_BOXES, *LOCAL_BOXES)
#: the intervention's own fields the groups read
FORM_FIELDS = (
    "biologic_given",
    "biologic_other",
    "antibiotic_given",
    "antiinflammatory_given",
    "analgesic_given",
    "analgesic_other",
    "local_given",
    *sorted({box for *_rest, box in BOXES if box is not None}),
)


def courses() -> dict[str, Any]:
    """The courses the groups read, one column each, to annotate episode rows with."""
    return {f"{column}_course": course(drugs) for column, _label, drugs, _box in BOXES if drugs}


COLUMNS = (*FORM_FIELDS, *(f"{column}_course" for column, _l, drugs, _b in BOXES if drugs))


def box(column: str) -> Q:
    """The box ``column`` (one of BOXES) ticked: its course or its field."""
    for name, _label, drugs, field in BOXES:
        if name == column:
            parts = [Q(**{f"{name}_course": True})] if drugs else []
            if field is not None:
                parts.append(Q(**{field: True}))
            return Q(*parts, _connector=Q.OR)
    raise KeyError(column)


def _any_box(boxes: Sequence[tuple[str, Any, Any, Any]]) -> Q:
    return Q(*(box(column) for column, *_rest in boxes), _connector=Q.OR)


def antibiotic() -> Q:
    """SYSTEMIC_ANTIBIOTIC_THERAPY == 1: answered yes, or a box of the group."""
    return Q(antibiotic_given=YES) | _any_box(ANTIBIOTIC_BOXES)


def antiinflammatory() -> Q:
    """ANTIINFLAMMATORY_TREATMENT == 1."""
    return Q(antiinflammatory_given=YES) | _any_box(ANTIINFLAMMATORY_BOXES)


def local() -> Q:
    """BASED_MEDICAL_TREATMENT == 1."""
    return Q(local_given=YES) | _any_box(LOCAL_BOXES)


def biologic() -> Q:
    """BIOLOGICAL_TREATMENT == 1 (the stored ``biologic``: a course of a biologic)."""
    return Q(biologic_given=YES) | Q(biologic=True) | Q(biologic_other=True)


def analgesic(fields: Sequence[str]) -> Q:
    """ANALGESICS == 1: answered yes, or one of the analgesic boxes ``fields``."""
    return (
        Q(analgesic_given=YES)
        | Q(analgesic_other=True)
        | Q(*(Q(**{f: True}) for f in fields), _connector=Q.OR)
    )
