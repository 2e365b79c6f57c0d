from django.apps import AppConfig


class FhirConfig(AppConfig):
    name = "hsreg.fhir"
    verbose_name = "FHIR"
