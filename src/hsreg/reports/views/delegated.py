"""The report page of delegated courses (TX-6 H-resept): per region and practice, small
counts hidden as on the other administrative tables (reports.delegated)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from hsreg.reports.delegated import delegated_tables
from hsreg.reports.selectors import Params
from hsreg.reports.views.pages import _common, _reader, _with_params


@_with_params("nation", ("nation",))
def delegated_courses(request: HttpRequest, params: Params) -> HttpResponse:
    reader = _reader(request, administration=True)
    tables = delegated_tables(year=params.year, as_of=params.as_of, reader=reader)
    context = {
        **_common(request, params, ("nation",)),
        "tables": tables,
        "exact_counts": reader.exact,
    }
    return render(request, "reports/delegated.html", context)
