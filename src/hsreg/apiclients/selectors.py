"""Reads of API clients: the coordinator's list and the CLI's."""

from __future__ import annotations

import re

from django.db.models import QuerySet
from django.http import Http404

from .models import ApiClient


def all_clients() -> QuerySet[ApiClient]:
    return ApiClient.objects.select_related("application", "unit", "created_by", "revoked_by")


#: the shape of the client ids django-oauth-toolkit makes (letters and digits): anything else
#: (a NUL byte, which PostgreSQL refuses in a query, say) is no client
CLIENT_ID = re.compile(r"[A-Za-z0-9]{1,100}")


def client_by_client_id(*, client_id: str) -> ApiClient:
    """The client of OAuth client id ``client_id``, or 404."""
    if not CLIENT_ID.fullmatch(client_id):
        raise Http404("No such API client")
    client = all_clients().filter(application__client_id=client_id).first()
    if client is None:
        raise Http404("No such API client")
    return client
