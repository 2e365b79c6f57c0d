from django.apps import AppConfig


class DelegationsConfig(AppConfig):
    """H-resept delegation (TX-6): a private practice's approval from its region's university
    hospital dermatology department to treat a patient with a biologic."""

    name = "hsreg.delegations"
    default_auto_field = "django.db.models.BigAutoField"
