"""The guideline engine as a service (issue 14, point 4): ``POST /api/evaluate`` and its OpenAPI
document, a django-ninja face on the same engine, case document and evaluation as
``hsreg evaluate`` (engine_api.api)."""
