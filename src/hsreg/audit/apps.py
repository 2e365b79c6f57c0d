from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "hsreg.audit"
    verbose_name = "Audit log"
