from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorklistsConfig(AppConfig):
    name = "hsreg.worklists"
    verbose_name = _("Worklists")

    def ready(self) -> None:
        from . import services  # noqa: F401, PLC0415 - registers the refresh after every form change
