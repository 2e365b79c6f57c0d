from django.apps import AppConfig


class CdsHooksConfig(AppConfig):
    """The guideline as CDS Hooks 2.0 services for the record systems (issue 14 point 3)."""

    name = "hsreg.cdshooks"
    label = "cdshooks"
    verbose_name = "CDS Hooks"
