"""The engine's API under /api/ (config.urls includes it): ``engine_api:evaluate`` (API_CLIENT
in accounts.access) and ``engine_api:openapi-json`` (PUBLIC: it describes the interface only).
The namespace is the NinjaAPI's own (``urls_namespace``), so ninja's reverse() agrees. Ninja's
root page (``api-root``, a 404 that only names the docs page, which is off) is left out:
EngineApi.get_root_path finds the mount point without it."""

from .api import api

_patterns, _, app_name = api.urls
urlpatterns = [p for p in _patterns if getattr(p, "name", None) != "api-root"]
