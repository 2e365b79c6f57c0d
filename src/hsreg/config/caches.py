"""Where the report charts' cache lives (settings.CACHES["charts"], reports.charts.cache).

By default it is files under HSREG_DATA_DIR: every worker process of ``hsreg serve`` on the
machine reads what another drew, and nothing else has to run. Several machines behind one
address each keep their own files unless HSREG_CHARTS_CACHE_URL names a Redis or memcached
server they share (``redis://host:6379/1``, ``rediss://…`` with TLS, ``memcached://host:11211``);
its Python client (``redis``, ``pymemcache``) must be installed, which is checked here at start
rather than at the first report page.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured

#: how long a drawn chart and the numbers a page kept for it stay (a week)
TIMEOUT = 7 * 24 * 3600
#: files kept before the oldest third is let go (a page keeps and draws up to 21 charts)
MAX_FILES = 3000

_SERVERS = {
    "redis": ("django.core.cache.backends.redis.RedisCache", "redis"),
    "rediss": ("django.core.cache.backends.redis.RedisCache", "redis"),
    "memcached": ("django.core.cache.backends.memcached.PyMemcacheCache", "pymemcache"),
}


def charts_cache(url: str, data_dir: Path) -> dict[str, Any]:
    """The ``charts`` cache: the server of ``url`` (HSREG_CHARTS_CACHE_URL) when given, else
    files in ``data_dir``/cache/charts. Raises ImproperlyConfigured naming the variable for a
    URL it cannot use."""
    url = url.strip()
    if not url:
        return {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": data_dir / "cache" / "charts",
            "TIMEOUT": TIMEOUT,
            "OPTIONS": {"MAX_ENTRIES": MAX_FILES},
        }
    scheme, _sep, address = url.partition("://")
    if scheme not in _SERVERS or not address:
        raise ImproperlyConfigured(
            "HSREG_CHARTS_CACHE_URL: give redis://host:port/db, rediss://host:port/db or "
            f"memcached://host:port, not {url!r}"
        )
    backend, client = _SERVERS[scheme]
    if importlib.util.find_spec(client) is None:
        raise ImproperlyConfigured(
            f"HSREG_CHARTS_CACHE_URL names a {scheme} server: install its Python client "
            f"({client}) beside hsreg"
        )
    location = url if scheme.startswith("redis") else address
    return {"BACKEND": backend, "LOCATION": location, "TIMEOUT": TIMEOUT}
