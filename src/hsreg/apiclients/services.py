"""Making and revoking API clients; every change is audited (hsreg.audit)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import AccessToken, Application, RefreshToken

from hsreg.accounts.actor import Actor
from hsreg.accounts.models import Membership, Role, User
from hsreg.accounts.services import create_user
from hsreg.audit.models import Action
from hsreg.audit.services import log
from hsreg.units.models import Unit

from . import scopes as smart
from .models import USERNAME_PREFIX, ApiClient


def _validated_scopes(text: str) -> str:
    chosen = smart.split(text)
    if not chosen:
        raise ValidationError({"scopes": _("Give at least one scope.")})
    unknown = smart.unknown(chosen)
    if unknown:
        raise ValidationError(
            {
                "scopes": _("Unknown scope %(scope)s; hsreg grants: %(known)s.")
                % {"scope": unknown[0], "known": " ".join(smart.SCOPES)}
            }
        )
    return " ".join(chosen)


@transaction.atomic
def create_client(
    *, actor: Actor, unit: Unit, name: str, scopes: str, jwks_url: str = ""
) -> tuple[ApiClient, str]:
    """A new client of ``unit`` allowed ``scopes`` (space-separated, from scopes.SCOPES), its
    service user and its OAuth application. Returns the client and its secret, which is
    stored hashed only: shown once, here. ``jwks_url`` (optional) is where the client
    publishes the keys it signs CDS Hooks calls with (hsreg.cdshooks). ValidationError naming
    ``name``, ``scopes`` or ``jwks_url``."""
    allowed = _validated_scopes(scopes)
    client = ApiClient(
        name=name, unit=unit, scopes=allowed, created_by=actor.known_user, jwks_url=jwks_url
    )
    client.clean_fields(exclude=["application", "user", "unit", "created_by", "revoked_by"])
    username = USERNAME_PREFIX + name
    if (
        ApiClient.objects.filter(name=name).exists()
        or User.objects.filter(username=username).exists()
    ):
        raise ValidationError({"name": _("A client or user of this name exists already.")})
    # The service user: never a login (no usable password, not active), a registrar of its
    # unit so that the selectors give it that unit's patients and nothing else.
    user = create_user(username=username, password=None, units=[unit], role=Role.REGISTRAR)
    user.is_active = False
    user.save(update_fields=["is_active"])
    secret = generate_client_secret()
    client.application = Application.objects.create(
        name=username,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
        client_secret=secret,  # hashed by DOT on save (hash_client_secret)
        hash_client_secret=True,
        skip_authorization=True,
    )
    client.user = user
    client.save()
    log(
        actor=actor,
        action=Action.CREATE,
        target=f"api client {name}",
        detail={
            "client_id": client.client_id,
            "unit": unit.pk,
            "scopes": allowed,
            "jwks_url": jwks_url,
        },
    )
    return client, secret


@transaction.atomic
def revoke_client(*, actor: Actor, client: ApiClient) -> ApiClient:
    """Revokes ``client`` at once: its tokens are deleted (a call with one is a 401 from
    then on), its secret replaced by one nobody knows, its service user's membership of the
    unit removed. The rows stay, so the audit log keeps naming it. Revoking twice is a no-op."""
    client = ApiClient.objects.select_for_update().get(pk=client.pk)
    if client.revoked_at is not None:
        return client
    application = client.application
    RefreshToken.objects.filter(application=application).delete()
    AccessToken.objects.filter(application=application).delete()
    application.client_secret = generate_client_secret()
    application.save()
    Membership.objects.filter(user=client.user).delete()
    client.revoked_at = timezone.now()
    client.revoked_by = actor.known_user
    client.save(update_fields=["revoked_at", "revoked_by"])
    log(
        actor=actor,
        action=Action.CHANGE,
        target=f"api client {client.name}",
        detail={"client_id": client.client_id, "revoked": True},
    )
    return client
