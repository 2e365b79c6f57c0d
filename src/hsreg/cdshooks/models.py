"""What the CDS services must remember between calls, kept in the registry's database so that
every worker process and every app server sees the same (issue 14 point 3):

- ``UsedToken``: the JWT ids a client has used, until the token would have expired. A JWT is
  refused when its id is here already (CDS Hooks 2.0: a ``jti`` is used once), whichever
  worker took the first call; the unique constraint makes the check and the note one step.
- ``IssuedCard``: the cards a service gave a client, for ``CARD_MEMORY``, so that feedback on
  a card (``/cds-services/<id>/feedback``) is recorded with the card's patient and rules.

The nightly job deletes what is past its time (``forget_expired``).
"""

from __future__ import annotations

from datetime import timedelta

from django.db import models
from django.utils import timezone

#: how long an issued card's feedback is recorded with its patient and rules
CARD_MEMORY = timedelta(days=7)


class UsedToken(models.Model):
    client = models.ForeignKey("apiclients.ApiClient", on_delete=models.CASCADE)
    #: SHA-256 of the JWT's jti (its text is the client's and may be anything)
    jti_hash = models.CharField(max_length=64)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["client", "jti_hash"], name="jti_used_once")]


class IssuedCard(models.Model):
    uuid = models.CharField(primary_key=True, max_length=36)
    client = models.ForeignKey("apiclients.ApiClient", on_delete=models.CASCADE)
    service = models.CharField(max_length=40)
    patient = models.ForeignKey(
        "patients.Patient", null=True, on_delete=models.CASCADE, related_name="+"
    )
    rules = models.JSONField(default=list)
    issued_at = models.DateTimeField(default=timezone.now, db_index=True)


def forget_expired() -> int:
    """Deletes used JWT ids past their token's expiry and cards older than CARD_MEMORY;
    the number of rows deleted."""
    now = timezone.now()
    tokens, _ = UsedToken.objects.filter(expires_at__lt=now).delete()
    issued, _ = IssuedCard.objects.filter(issued_at__lt=now - CARD_MEMORY).delete()
    return tokens + issued
