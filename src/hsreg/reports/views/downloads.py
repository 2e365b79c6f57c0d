"""Every chart's table as a CSV or XLSX file (issue 16): ``/reports/charts/<chart>.csv`` and
``.xlsx``, beside the chart's SVG and PNG (views.pages.chart finds the numbers exactly as for
the chart file: those its page kept for the same audience, or counted anew for this reader, so
the file holds no count the reader's page hides). Each download is one audit row, as every
export (reports.exports)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

from hsreg.audit.models import Action
from hsreg.audit.services import log

from ..charts.tables import csv_bytes, tabulated, xlsx_bytes
from ..exports import CSV_TYPE, XLSX_TYPE
from ..selectors import ChartId, Params

#: the chart files that are tables
TABLE_FORMATS = ("csv", "xlsx")


def _title(data: Any, words: list[str]) -> str:
    indicator = getattr(data, "indicator", None)
    title = str(indicator.title) if indicator is not None else str(getattr(data, "title", ""))
    note = getattr(data, "note", "")
    return ". ".join(part for part in (title, note, "; ".join(words)) if part)


def table_download(
    request: HttpRequest,
    *,
    chart: ChartId,
    params: Params,
    data: Any,
    fmt: str,
    words: list[str],
) -> HttpResponse:
    """The table of ``chart``'s numbers ``data`` as a ``fmt`` file, logged as an export: which
    figure, year, level and format (no count, no patient)."""
    table = tabulated(chart.kind, data)
    title = _title(data, words)
    if fmt == "xlsx":
        response = HttpResponse(xlsx_bytes(title, table), content_type=XLSX_TYPE)
    else:
        response = HttpResponse(csv_bytes(title, table), content_type=CSV_TYPE)
    name = f"hisreg-{chart}-{params.year}-{params.level}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    patch_cache_control(response, private=True, no_cache=True)
    log(
        actor=request.actor,  # type: ignore[attr-defined]
        action=Action.EXPORT,
        target=f"report figure {chart}",
        detail={"format": fmt, "year": params.year, "level": params.level, "filters": words},
    )
    return response
