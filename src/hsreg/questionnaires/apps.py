from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuestionnairesConfig(AppConfig):
    name = "hsreg.questionnaires"
    verbose_name = _("Patient questionnaires")

    def ready(self) -> None:
        from . import checks  # noqa: F401, PLC0415 - registers the deploy checks
