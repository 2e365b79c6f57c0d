from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "hsreg.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # the audit rows of logins, failed logins, lockouts and logouts (accounts.signals), and
        # a form kept after an expired session stays only for its own user (accounts.kept_forms)
        from . import kept_forms, signals  # noqa: F401, PLC0415
