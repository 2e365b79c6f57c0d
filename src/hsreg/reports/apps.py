from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "hsreg.reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from . import episodes  # noqa: F401, PLC0415 - registers the refresh after every form change
