"""Reads of API clients: the coordinator's list and the CLI's."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from .models import ApiClient


def all_clients() -> QuerySet[ApiClient]:
    return ApiClient.objects.select_related("application", "unit", "created_by", "revoked_by")


def client_by_client_id(*, client_id: str) -> ApiClient:
    """The client of OAuth client id ``client_id``, or 404."""
    client = all_clients().filter(application__client_id=client_id[:100]).first()
    if client is None:
        raise Http404("No such API client")
    return client
