"""The SMART configuration (public) and the registry coordinator's page of API clients.

``/.well-known/smart-configuration`` tells a system where to get a token and what it may ask
for (SMART App Launch v2, "Backend Services"); it holds no data, so it is PUBLIC in
accounts.access. The coordinator lists every client and revokes one (COORDINATOR; audited by
apiclients.services). Making a client is the command's (``hsreg apiclient create``): the
secret is shown once, on the terminal of whoever sets the system up, not in a browser."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import scopes as smart
from .selectors import all_clients, client_by_client_id
from .services import revoke_client

AUTH_METHODS = ["client_secret_basic", "client_secret_post"]


@require_GET
def smart_configuration(request: HttpRequest) -> JsonResponse:
    response = JsonResponse(
        {
            "token_endpoint": request.build_absolute_uri(reverse("oauth2_provider:token")),
            "grant_types_supported": ["client_credentials"],
            "token_endpoint_auth_methods_supported": AUTH_METHODS,
            "scopes_supported": list(smart.SCOPES),
            "capabilities": ["client-confidential-symmetric"],
        }
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "apiclients/index.html", {"clients": list(all_clients())})


@require_POST
def revoke(request: HttpRequest, client_id: str) -> HttpResponse:
    client = client_by_client_id(client_id=client_id)
    was_active = client.active
    revoke_client(actor=request.actor, client=client)  # type: ignore[attr-defined]
    if was_active:
        messages.success(
            request,
            _("The API client %(name)s is revoked; its tokens no longer work.")
            % {"name": client.name},
        )
    return redirect("apiclients:index")
