"""django-oauth-toolkit's request validator, refusing revoked clients
(OAUTH2_PROVIDER["OAUTH2_VALIDATOR_CLASS"]).

Revoking a client (apiclients.services.revoke_client) deletes its tokens and replaces its
secret; this also refuses its client id at the token endpoint should anything of it
survive, so a revoked client gets ``invalid_client`` whatever it sends."""

from __future__ import annotations

from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator


class ApiClientValidator(OAuth2Validator):
    def _load_application(self, client_id: str, request: Any) -> Any:
        from .models import ApiClient  # noqa: PLC0415 - the app registry is ready by now

        application = super()._load_application(client_id, request)
        if application is None:
            return None
        if not ApiClient.objects.filter(application=application, revoked_at__isnull=True).exists():
            request.client = None
            return None
        return application
