"""The report of biologic courses started with the safety checks overridden (issue 12):
counts per unit, small counts as on the administrative page (reports.overrides)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ..overrides import override_table
from ..selectors import SCOPES, Params
from .pages import _common, _reader, _scope, _with_params


@_with_params("nation", SCOPES)
def overrides(request: HttpRequest, params: Params) -> HttpResponse:
    reader = _reader(request, administration=True)
    table = override_table(
        year=params.year, as_of=params.as_of, unit=_scope(request, params), reader=reader
    )
    context = {**_common(request, params, SCOPES), "table": table, "exact_counts": reader.exact}
    return render(request, "reports/overrides.html", context)
