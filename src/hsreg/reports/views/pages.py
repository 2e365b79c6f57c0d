"""(being written)"""

from django.http import Http404, HttpRequest, HttpResponse


def _missing(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404


index = indicator = chart = distributions = averages = trends = administrative = annual_pdf = (
    _missing
)
