"""The coordinator's research extract: one row per episode, patients pseudonymised
(reports.pseudonyms), no national id, name or date; as CSV (the registry's format,
reports.csvfiles) or XLSX (numbers as numbers, openpyxl's write-only mode)."""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import IO, Any, Literal

from django.db.models import F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce, Least
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

from hsreg.accounts.actor import Actor
from hsreg.assessments.models import DoctorAssessment, MedicalHistory, PatientReport
from hsreg.audit.models import Action
from hsreg.audit.services import log
from hsreg.records.models import Status
from hsreg.spreadsheet import csv_row, xlsx_row
from hsreg.treatments.models import Intervention
from hsreg.units.models import HealthRegion

from .csvfiles import CSV_TYPE, XLSX_TYPE, decimal_comma
from .episodes import control, episode_rows
from .pseudonyms import pseudonym, research_key

Format = Literal["csv", "xlsx"]

#: column -> what it holds (the extract's own documentation: the page and the XLSX's 2nd sheet)
RESEARCH_COLUMNS: dict[str, str | Promise] = {
    "pseudonym": _("the patient's pseudonym (keyed hash; the same patient has the same one)"),
    "resh_id": _("the unit's RESH id"),
    "health_region": _("the unit's health region"),
    "year": _("the year of the intervention"),
    "intervention_month": _("whole months from the patient's first registration to the intervention"),
    "control_month": _("whole months from the first registration to the control that judges the episode"),
    "age": _("age in whole years at the intervention"),
    "sex": _("female or male"),
    "intervention_type": _("1 surgical, 2 medical, 3 both, 4 none (doctor), 5 none (patient), 6 did not attend"),
    "surgical": _("1 when surgical or both"),
    "medical": _("1 when medical or both"),
    "biologic": _("1 when the intervention starts a biologic"),
    "base_ihs4": _("IHS4 before treatment"),
    "base_hurley": _("Hurley stage before treatment"),
    "base_an": _("AN count before treatment"),
    "base_abscesses": _("abscesses before treatment"),
    "base_tunnels": _("draining tunnels before treatment"),
    "base_bmi": _("BMI before treatment"),
    "base_dlqi": _("DLQI before treatment"),
    "base_vas": _("pain VAS (0-10) before treatment"),
    "base_smoking": _("smoking before treatment: 1 smokes, 2 former smoker, 3 never smoked, 9 don't know"),
    "ctl_ihs4": _("IHS4 at the control"),
    "ctl_hurley": _("Hurley stage at the control"),
    "ctl_an": _("AN count at the control"),
    "ctl_abscesses": _("abscesses at the control"),
    "ctl_tunnels": _("draining tunnels at the control"),
    "ctl_dlqi": _("DLQI at the control"),
    "ctl_vas": _("pain VAS (0-10) at the control"),
    "ctl_satisfaction": _("satisfaction at the control (1 satisfied ... 5 dissatisfied, 9 don't know)"),
    "complications_answered": _("1 when the control report answered a complication question"),
    "complication": _("1 when any complication was answered yes"),
}  # fmt: skip
_FROM_EPISODE = (
    "unit_id",
    "region",
    "year",
    "age",
    "sex",
    "type",
    "surgical",
    "medical",
    "biologic",
    "base_ihs4",
    "base_hurley",
    "base_an",
    "base_abscesses",
    "base_tunnels",
    "base_bmi",
    "base_dlqi",
    "base_vas",
    "base_smoking",
    "ctl_ihs4",
    "ctl_hurley",
    "ctl_an",
    "ctl_abscesses",
    "ctl_tunnels",
    "ctl_dlqi",
    "ctl_vas",
    "ctl_satisfaction",
    "complications_answered",
    "complication",
)
_TENTHS = {"base_vas", "ctl_vas"}
CHUNK = 2000


def months_between(start: date, end: date) -> int:
    """Whole months from ``start`` to ``end`` (a month is complete on the same day-of-month)."""
    return (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)


def _first_form(model: Any) -> Subquery:
    """The date of the patient's earliest finished form of ``model``."""
    forms = model.objects.filter(patient=OuterRef("patient"), status=Status.FINISHED)
    return Subquery(forms.order_by("date").values("date")[:1])


def research_queryset(*, years: tuple[int, int], as_of: date) -> QuerySet[Any]:
    """The episodes of ``years`` with what the extract needs, ordered by year, unit and patient.

    The patient's first registration is the earliest of their finished forms (medical history,
    doctor's assessment, patient's report, intervention); the dates are read only to count the
    months and never leave this module."""
    first = [Coalesce(_first_form(m), F("date")) for m in (MedicalHistory, DoctorAssessment,
                                                            PatientReport, Intervention)]  # fmt: skip
    return (
        episode_rows(as_of=as_of, years=years)
        .annotate(
            region=F("unit__region"),
            first_registered=Least(*first),
            control_date=Coalesce(
                control(PatientReport, "date"), control(DoctorAssessment, "date")
            ),
        )
        .values("id", "patient_id", "date", "first_registered", "control_date", *_FROM_EPISODE)
        .order_by("year", "unit_id", "patient_id", "date", "id")
    )


def research_rows(*, years: tuple[int, int], as_of: date, key: bytes) -> Iterator[list[Any]]:
    """The extract's rows in RESEARCH_COLUMNS' order, read in chunks (memory stays flat).
    Values are Python numbers; None where a form or answer is missing."""
    for r in research_queryset(years=years, as_of=as_of).iterator(chunk_size=CHUNK):
        values = {c: r[c] for c in _FROM_EPISODE}
        for name in ("surgical", "medical", "biologic", "complications_answered", "complication"):
            values[name] = None if values[name] is None else int(bool(values[name]))
        for name in _TENTHS:  # whole tenths (reports.episodes) back to the 0-10 scale
            values[name] = None if values[name] is None else round(float(values[name]) / 10, 1)
        if values["base_bmi"] is not None:
            values["base_bmi"] = round(float(values["base_bmi"]), 1)
        first = r["first_registered"]
        yield [
            pseudonym(r["patient_id"], key=key),
            values["unit_id"],
            HealthRegion(values["region"]).label if values["region"] else None,
            values["year"],
            months_between(first, r["date"]),
            months_between(first, r["control_date"]) if r["control_date"] else None,
            values["age"],
            values["sex"],
            values["type"],
            *(values[c] for c in list(RESEARCH_COLUMNS)[9:]),
        ]


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, float):
        return decimal_comma(value)
    return value


def write_research_csv(rows: Iterable[list[Any]], out: IO[bytes]) -> int:
    """``rows`` under RESEARCH_COLUMNS to ``out`` as CSV (BOM, semicolons, decimal comma)."""
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
    writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
    writer.writerow(RESEARCH_COLUMNS)
    count = 0
    for row in rows:
        writer.writerow(csv_row(_csv_cell(v) for v in row))
        count += 1
    text.flush()
    text.detach()
    return count


def write_research_xlsx(rows: Iterable[list[Any]], out: IO[bytes]) -> int:
    """``rows`` to ``out`` as an XLSX workbook in openpyxl's write-only mode (rows go to disk
    as they come), with a second sheet that says what each column holds."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("episodes")
    sheet.append(list(RESEARCH_COLUMNS))
    count = 0
    for row in rows:
        sheet.append(xlsx_row(row))
        count += 1
    about = book.create_sheet("columns")
    about.append(["column", "meaning"])
    for name, meaning in RESEARCH_COLUMNS.items():
        about.append(xlsx_row([name, str(meaning)]))
    book.save(out)
    return count


@dataclass(slots=True)
class ExportFile:
    file: IO[bytes]
    filename: str
    content_type: str
    rows: int = 0
    detail: dict[str, Any] = field(default_factory=dict)


def research_extract(*, actor: Actor, first_year: int, last_year: int, fmt: Format,
                     as_of: date) -> ExportFile:  # fmt: skip
    """The research extract of the episodes of ``first_year``-``last_year`` as CSV or XLSX in a
    temporary file (positioned at its start), and its audit row: format, years, row count."""
    key = research_key()
    rows = research_rows(years=(first_year, last_year), as_of=as_of, key=key)
    out = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the response, which closes it
    write = write_research_xlsx if fmt == "xlsx" else write_research_csv
    count = write(rows, out)
    out.seek(0)
    detail = {"format": fmt, "years": [first_year, last_year], "rows": count}
    log(actor=actor, action=Action.EXPORT, target="research extract", detail=detail)
    return ExportFile(
        file=out,
        filename=f"hsreg-research-{first_year}-{last_year}.{fmt}",
        content_type=XLSX_TYPE if fmt == "xlsx" else CSV_TYPE,
        rows=count,
        detail=detail,
    )
