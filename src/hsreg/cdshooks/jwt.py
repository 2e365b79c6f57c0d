"""Who is calling a CDS service: the JWT the calling record system signed (CDS Hooks 2.0,
"Trusting CDS Clients").

A record system is an API client of one unit (hsreg.apiclients) configured with the address
of its JWK Set (``ApiClient.jwks_url``). Each call carries ``Authorization: Bearer <JWT>``:

- header: ``alg`` ES384 or RS384 (the two the specification requires services to support; no
  other algorithm is tried, so no ``none`` or HMAC confusion), ``kid`` naming the key in the
  client's JWK Set, and optionally ``jku``, which must be the configured address: hsreg never
  fetches keys from an address the caller names;
- claims: ``sub`` the client id; ``iss`` the client id as well (hsreg's reading: the
  specification lets a client sign its own JWTs and names no other issuer registry, so the
  one identifier hsreg gave the client is its issuer); ``aud`` the URL of the service called
  (settings.PUBLIC_URL + the path); ``exp`` in the future and at most five minutes ahead;
  ``iat``; ``jti`` unique: a JWT id seen before is refused until the token has expired (kept
  in the database, cdshooks.models.UsedToken, so every worker knows it).

The signature is checked by jwcrypto against the key set fetched with ``requests`` from the
configured address and cached for ``JWKS_TTL``; an unknown ``kid`` fetches the set once more
(key rotation), at most once a minute. Every refusal is ``CallRefusedError`` (a 401).
"""

from __future__ import annotations

import hashlib
import json
import math
import time
from datetime import UTC, datetime
from typing import Any

import requests
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from jwcrypto import jwk, jws
from jwcrypto.common import JWException

from hsreg.apiclients.models import ApiClient

from .models import UsedToken

ALGORITHMS = ("ES384", "RS384")
MAX_LIFETIME = 300  # seconds: "no more than 5 minutes in the future"
LEEWAY = 30  # seconds of clock difference tolerated
MAX_TOKEN = 16_000  # characters of a JWT
JWKS_TTL = 600  # seconds a fetched key set is used
JWKS_REFETCH = 60  # at most one extra fetch a minute for an unknown kid
JWKS_TIMEOUT = 3.0  # seconds
MAX_JWKS = 100_000  # bytes of a key set


class CallRefusedError(Exception):
    """A call whose JWT is missing, malformed, badly signed, expired, replayed or not for
    this service: 401, with the reason (never a secret, never patient data)."""

    status = 401


def bearer(request: HttpRequest) -> str:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    kind, _sep, token = header.partition(" ")
    if kind.lower() != "bearer" or not token.strip():
        raise CallRefusedError("A call needs Authorization: Bearer <JWT> (CDS Hooks 2.0).")
    return token.strip()


def verify_call(request: HttpRequest, *, audiences: tuple[str, ...]) -> ApiClient:
    """The API client that signed the request's JWT for one of ``audiences``, or
    ``CallRefusedError``."""
    raw = bearer(request)
    if len(raw) > MAX_TOKEN:
        raise CallRefusedError("The JWT is too long.")
    token = jws.JWS()
    try:
        token.deserialize(raw)
        header = dict(token.jose_header)
        unverified = json.loads(token.objects.get("payload") or b"")
    except (JWException, ValueError, TypeError, UnicodeDecodeError):
        raise CallRefusedError("The bearer token is not a signed JWT.") from None
    alg, kid = header.get("alg"), header.get("kid")
    if alg not in ALGORITHMS:
        raise CallRefusedError("The JWT must be signed with ES384 or RS384.")
    if not isinstance(kid, str) or not kid:
        raise CallRefusedError("The JWT header must name its key (kid).")
    client = _client(unverified)
    if "jku" in header and header["jku"] != client.jwks_url:
        raise CallRefusedError("The JWT's jku is not the key set configured for this client.")
    key = _key(client.jwks_url, kid)
    try:
        token.verify(key, alg=alg)
        claims = json.loads(token.payload)
    except (JWException, ValueError, TypeError, UnicodeDecodeError):
        raise CallRefusedError("The JWT's signature is not valid.") from None
    _check_claims(claims, client=client, audiences=audiences)
    return client


def _client(claims: Any) -> ApiClient:
    """The active client named by ``sub`` (before the signature is checked: its key set is
    what checks it)."""
    sub = claims.get("sub") if isinstance(claims, dict) else None
    if not isinstance(sub, str) or not sub or len(sub) > 100:
        raise CallRefusedError("The JWT must name the client id as sub.")
    client = (
        ApiClient.objects.select_related("application", "user", "unit")
        .filter(application__client_id=sub, revoked_at__isnull=True)
        .first()
    )
    if client is None:
        raise CallRefusedError("The JWT's client is unknown or revoked.")
    if not client.jwks_url:
        raise CallRefusedError("This client has no key set configured for CDS Hooks.")
    return client


def _check_claims(claims: Any, *, client: ApiClient, audiences: tuple[str, ...]) -> None:
    if not isinstance(claims, dict):
        raise CallRefusedError("The JWT's claims must be a JSON object.")
    if claims.get("iss") != client.client_id or claims.get("sub") != client.client_id:
        raise CallRefusedError("The JWT's iss and sub must be the client id.")
    aud = claims.get("aud")
    named = [aud] if isinstance(aud, str) else aud if isinstance(aud, list) else []
    if not any(isinstance(a, str) and a.rstrip("/") in audiences for a in named):
        raise CallRefusedError("The JWT's aud is not this service's URL.")
    now = time.time()
    exp, iat = claims.get("exp"), claims.get("iat")
    if not _number(exp) or not _number(iat):
        raise CallRefusedError("The JWT needs exp and iat as numbers.")
    if exp < now - LEEWAY:
        raise CallRefusedError("The JWT has expired.")
    if exp > now + MAX_LIFETIME + LEEWAY or iat > now + LEEWAY:
        raise CallRefusedError("The JWT's exp may be at most 5 minutes ahead, its iat not ahead.")
    jti = claims.get("jti")
    if not isinstance(jti, str) or not 0 < len(jti) <= 256:
        raise CallRefusedError("The JWT needs a jti.")
    _use_once(client, jti, expires=exp + LEEWAY)


def _use_once(client: ApiClient, jti: str, *, expires: float) -> None:
    """Notes ``jti`` as used by ``client`` until ``expires`` (a POSIX time); refuses it when
    it was noted before. The table is shared by every worker (cdshooks.models.UsedToken)."""
    try:
        with transaction.atomic():
            UsedToken.objects.create(
                client=client,
                jti_hash=hashlib.sha256(jti.encode()).hexdigest(),
                expires_at=datetime.fromtimestamp(expires, tz=UTC),
            )
    except IntegrityError:
        raise CallRefusedError("The JWT's jti was used before (a replayed call).") from None


def _number(value: Any) -> bool:
    """A finite JSON number (not a boolean, not NaN or infinity)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _key(url: str, kid: str) -> jwk.JWK:
    """The key ``kid`` of the set at ``url``: the cached set, or a fresh one when the kid is
    new to it (at most once per ``JWKS_REFETCH``)."""
    name = "cdshooks:jwks:" + hashlib.sha256(url.encode()).hexdigest()
    text = cache.get(name)
    key = _find(text, kid) if text is not None else None
    if key is None and (text is None or cache.add(name + ":refetched", 1, JWKS_REFETCH)):
        text = _fetch(url)
        cache.set(name, text, JWKS_TTL)
        key = _find(text, kid)
    if key is None:
        raise CallRefusedError("The JWT's kid is not in the client's key set.")
    return key


def _find(text: str, kid: str) -> jwk.JWK | None:
    try:
        keys = jwk.JWKSet.from_json(text)
    except (JWException, ValueError, TypeError):
        return None
    key = keys.get_key(kid)
    return key if key is not None and key.get("kty") in ("EC", "RSA") else None


def _fetch(url: str) -> str:
    try:
        response = requests.get(
            url, timeout=JWKS_TIMEOUT, allow_redirects=False, headers={"Accept": "application/json"}
        )
    except requests.RequestException:
        raise CallRefusedError("The client's key set could not be fetched.") from None
    if response.status_code != 200 or len(response.content) > MAX_JWKS:
        raise CallRefusedError("The client's key set could not be fetched.")
    return response.text
