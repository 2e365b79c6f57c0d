"""An API client: a system (a hospital record, the patient portal) that calls hsreg's APIs for
one unit (issue 14 point 2).

Its credentials are django-oauth-toolkit's ``Application`` (client id, the secret stored
hashed, the client-credentials grant only); this row says which unit it acts for, which SMART
scopes it may be given, who made it and when, and when it was revoked. Each client also has
a service user (``api-<name>``) with a registrar's membership of its unit, so the audit log
names the client and the selectors scope it exactly as they scope that unit's staff
(README, "Security for systems").

A record system calling the CDS Hooks services (hsreg.cdshooks) signs each call with its own
key instead of a token: ``jwks_url`` is where it publishes its public keys (CDS Hooks 2.0,
"Trusting CDS Clients"), configured here so that no call can point hsreg at a key of its own
choosing."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from oauth2_provider.settings import oauth2_settings

from hsreg.units.models import Unit

#: a client's name: its service user is ``api-<name>``
NAME_PATTERN = r"^[a-z0-9][a-z0-9-]{1,39}$"
USERNAME_PREFIX = "api-"


class ApiClient(models.Model):
    application = models.OneToOneField(
        oauth2_settings.APPLICATION_MODEL,
        on_delete=models.PROTECT,
        related_name="api_client",
        verbose_name=_("OAuth application"),
    )
    name = models.CharField(
        _("name"),
        max_length=40,
        unique=True,
        validators=[
            RegexValidator(
                NAME_PATTERN,
                _(
                    "2 to 40 characters: lower-case letters a-z, digits and hyphens, "
                    "starting with a letter or digit."
                ),
            )
        ],
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="api_clients", verbose_name=_("unit")
    )
    scopes = models.CharField(_("allowed scopes"), max_length=500)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="api_client",
        verbose_name=_("service user"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    jwks_url = models.URLField(
        _("JWKS address (CDS Hooks)"),
        max_length=500,
        blank=True,
        help_text=_(
            "Where the client publishes the public keys it signs its CDS Hooks calls with; "
            "empty: the client may not call the CDS services."
        ),
    )
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")

    def __str__(self) -> str:
        return self.name

    @property
    def scope_list(self) -> list[str]:
        return self.scopes.split()

    @property
    def client_id(self) -> str:
        return str(self.application.client_id)

    @property
    def active(self) -> bool:
        return self.revoked_at is None
