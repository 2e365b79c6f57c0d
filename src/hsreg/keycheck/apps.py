from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class KeycheckConfig(AppConfig):
    name = "hsreg.keycheck"
    verbose_name = _("Key check")

    def ready(self) -> None:
        from .services import stamp_new_database  # noqa: PLC0415

        post_migrate.connect(stamp_new_database, sender=self, dispatch_uid="hsreg.keycheck")
