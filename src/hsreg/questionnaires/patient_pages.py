"""How every page under /p/ is answered: in the patient's language, without the clinician's
session, and with headers that keep the page and its token private.

``render_page`` renders without the request, so no context processor runs: nothing of a
clinician logged in on the same browser (``request.user``, their units, their language) can
reach a patient's page. The CSRF token is put in the context by hand.

``patient_page`` wraps each view: every answer is marked ``Cache-Control: no-store`` (no copy
for the Back button on a shared tablet), ``Referrer-Policy: same-origin`` (the link's token
never leaves for another site in a Referer header; the pages load nothing from elsewhere, and
the server's access log writes no Referer and masks the token, cli.accesslog) and
``X-Robots-Tag: noindex``. CSRF is Django's own check; a refused form gets the patient's own
page (``csrf_refused``, through web.views.csrf_failure).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers

from .patient_session import language

View = Callable[..., HttpResponse]


def render_page(
    request: HttpRequest, template: str, context: dict[str, Any] | None = None, *, status: int = 200
) -> HttpResponse:
    """``questionnaires/patient/<template>`` in the patient's language, without context
    processors."""
    lang = language(request)
    with translation.override(lang):
        html = render_to_string(
            f"questionnaires/patient/{template}",
            {
                **(context or {}),
                "lang": lang,
                "csrf_token": get_token(request),
                "here": request.path,
            },
        )
    response = HttpResponse(html, status=status)
    response["Content-Language"] = lang
    return response


def private(response: HttpResponse) -> HttpResponse:
    """The headers every answer of /p/ carries."""
    add_never_cache_headers(response)  # Cache-Control: ... no-store ..., private
    patch_vary_headers(response, ("Cookie",))
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def csrf_refused(request: HttpRequest) -> HttpResponse:
    """A patient's form whose CSRF token is missing or old (settings.CSRF_FAILURE_VIEW sends
    requests under /p/ here): the patient's own page, with the private headers."""
    return private(render_page(request, "expired_form.html", status=403))


def patient_page(view: View) -> View:
    """The wrapper of every patient view (see the module's docstring)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return private(view(request, *args, **kwargs))

    return wrapped
