"""Drawn charts kept by what they show: a chart's SVG or PNG is stored under a key made of its
kind, its data, the language and the charts' own code, so the same numbers are drawn once and
any change of the numbers is a new key.

Drawing is what the report pages spent their time on (issue 12, point 6): matplotlib takes
about 60 ms a chart, and the distributions page draws 21 of them, where its aggregate queries
take under 100 ms. The figures themselves are still counted afresh on every request
(reports.distributions), so a cached chart can never show other numbers than its page's
table: nothing has to be invalidated when a form is saved. A form that changes a figure gives
that figure a new key and it is drawn again on the next request; the charts it does not
change (most of them: the pages show the last whole year by default) stay drawn.

The store is Django's cache ``charts`` (settings.CACHES: files under HSREG_DATA_DIR, shared by
the worker processes of one machine; Redis or memcached for several machines). A chart whose
data cannot be written out faithfully (an object that is neither a dataclass nor a plain value)
is drawn every time rather than risk another chart's picture.

The pages do not draw at all: each chart is an ``<img>`` of the chart file (views.pages.chart).
A page keeps the numbers it counted (``keep``) under their digest and the *audience* they were
counted for (who reads, at which year, level and unit), and names the digest in the image's
address; the chart request of the same audience finds them (``kept``) and only draws, without
counting the figures again. Any other reader (another unit, another role) has another audience,
finds nothing and has the figures counted for them, as their page would.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from django.core.cache import InvalidCacheBackendError, caches
from django.core.cache.backends.base import BaseCache
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import get_language
from matplotlib.figure import Figure

from .output import png, svg

#: the charts' cache in settings.CACHES; the default cache when it is not configured
ALIAS = "charts"


@cache
def code_version() -> str:
    """A digest of the charts' source files: a new release that draws differently never
    serves a picture drawn by the old code from a shared cache."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _store() -> BaseCache:
    try:
        return caches[ALIAS]
    except InvalidCacheBackendError:
        return caches["default"]


class _UnkeyableError(TypeError):
    """A value of the chart's data that has no faithful text."""


def _text(value: Any) -> str:
    """Everything ``value`` holds as text, lazy translations in the active language: two
    values with the same text draw the same chart."""
    if value is None or isinstance(value, bool | int | float | str | date):
        return repr(value)
    if isinstance(value, Promise):
        return repr(str(value))
    if isinstance(value, Q):
        return f"Q{value!s}"
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = ",".join(
            f"{f.name}={_text(getattr(value, f.name))}" for f in dataclasses.fields(value)
        )
        return f"{type(value).__qualname__}({fields})"
    if isinstance(value, list | tuple):
        return "[" + ",".join(_text(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(f"{_text(k)}:{_text(v)}" for k, v in value.items()) + "}"
    raise _UnkeyableError(type(value).__qualname__)


def digest(data: Any) -> str | None:
    """A digest of everything ``data`` holds (labels in the active language, every number);
    None when ``data`` has no faithful text."""
    try:
        text = _text(data)
    except _UnkeyableError:
        return None
    return hashlib.sha256(text.encode()).hexdigest()


def key(kind: str, fmt: str, data: Any) -> str | None:
    """The cache key of the chart of ``data`` (a dataclass of labels and numbers) as ``kind``
    in ``fmt``, in the active language; None when ``data`` has no faithful text."""
    found = digest(data)
    if found is None:
        return None
    return f"hsreg-chart:{code_version()}:{kind}:{fmt}:{get_language() or ''}:{found}"


def _numbers_key(chart: str, version: str, audience: str) -> str:
    # the chart's name comes from the address: hashed with the rest, so a long or odd name can
    # never make an invalid key (memcached refuses spaces and keys over 250 characters)
    what = hashlib.sha256(f"{chart}|{audience}|{version}".encode()).hexdigest()
    return f"hsreg-chart-numbers:{code_version()}:{get_language() or ''}:{what}"


def keep(chart: str, data: Any, audience: str) -> str | None:
    """Keeps the numbers ``data`` of the chart ``chart`` (e.g. "distribution-age") as counted
    for ``audience`` (views.pages: the reader, year, level and unit), so the chart's file can
    draw them without counting again; returns their version (digest) for the chart's address,
    or None when ``data`` has no faithful text (the file then counts them itself)."""
    version = digest(data)
    if version is not None:  # written once: the same numbers are the same value
        _store().add(_numbers_key(chart, version, audience), data)
    return version


def kept(chart: str, version: str, audience: str) -> Any:
    """The numbers of ``chart`` at ``version`` kept by a page of the same ``audience``; None
    when no such page was shown (or the cache has let them go)."""
    if not version.isascii() or not version.isalnum() or len(version) != 64:
        return None
    return _store().get(_numbers_key(chart, version, audience))


def drawn(kind: str, fmt: str, data: Any, draw: Callable[[Any], Figure]) -> Any:
    """The chart of ``data`` drawn by ``draw`` as SVG markup (``fmt`` "svg") or PNG bytes
    ("png"), from the cache when the same data was drawn before."""
    write = svg if fmt == "svg" else png
    name = key(kind, fmt, data)
    if name is None:
        return write(draw(data))
    store = _store()
    found = store.get(name)
    if found is None:
        found = write(draw(data))
        store.set(name, found)
    return found
