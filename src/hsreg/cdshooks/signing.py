"""The calling side of hsreg.cdshooks.jwt: how a record system signs a CDS Hooks call.

hsreg itself never signs calls; this is for the systems that call it and for whoever
stands in for one (the tests acting as a record system, the benchmark, a demo). It uses
jwcrypto, the same library that verifies, so a call signed here is exactly what a
conforming CDS client sends (CDS Hooks 2.0: ES384 or RS384, ``kid``, iss, sub, aud, exp at
most five minutes ahead, iat, a unique jti).
"""

from __future__ import annotations

import time
import uuid
from typing import Any

from jwcrypto import jwk, jwt

LIFETIME = 300  # seconds: the longest CDS Hooks allows


def new_signing_key(*, kid: str) -> jwk.JWK:
    """A fresh EC P-384 key pair (ES384) named ``kid``."""
    return jwk.JWK.generate(kty="EC", crv="P-384", kid=kid)


def public_jwks(*keys: jwk.JWK) -> dict[str, Any]:
    """The JWK Set a record system publishes at its jwks_url: the public halves only."""
    return {"keys": [key.export_public(as_dict=True) for key in keys]}


def call_jwt(
    *,
    key: jwk.JWK,
    client_id: str,
    audience: str,
    lifetime: int = LIFETIME,
    issued_at: float | None = None,
    jti: str | None = None,
    jku: str | None = None,
    issuer: str | None = None,
) -> str:
    """A signed JWT for one call of the service at ``audience`` (its full URL, e.g.
    ``https://hsreg.example.no/cds-services/hsreg-patient-view``) by the API client
    ``client_id``, with a fresh jti unless one is given."""
    now = int(time.time() if issued_at is None else issued_at)
    header: dict[str, Any] = {
        "alg": "ES384" if key.get("kty") == "EC" else "RS384",
        "typ": "JWT",
        "kid": key.get("kid"),
    }
    if jku is not None:
        header["jku"] = jku
    claims = {
        "iss": client_id if issuer is None else issuer,
        "sub": client_id,
        "aud": audience,
        "iat": now,
        "exp": now + lifetime,
        "jti": jti or uuid.uuid4().hex,
    }
    token = jwt.JWT(header=header, claims=claims)
    token.make_signed_token(key)
    return str(token.serialize())
