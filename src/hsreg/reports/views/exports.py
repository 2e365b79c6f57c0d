"""(being written)"""

from django.http import Http404, HttpRequest, HttpResponse


def _missing(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404


unit_csv = research = research_file = open_results = open_results_csv = _missing
