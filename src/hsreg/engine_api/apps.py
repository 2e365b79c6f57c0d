from django.apps import AppConfig


class EngineApiConfig(AppConfig):
    name = "hsreg.engine_api"
    label = "engine_api"
    verbose_name = "Guideline engine API"
