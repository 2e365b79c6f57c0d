"""FHIR search parameters as hsreg reads them, and the searchset Bundle they answer with
(FHIR R4 RESTful API, "search"; issue 14).

Each resource type names the parameters it takes (``read_views.KINDS``, the same table the
CapabilityStatement lists); any other parameter is refused with 400 and an OperationOutcome
naming it (FHIR's strict handling), as the Questionnaire search does, so a client never takes
an ignored filter for an empty match. A value hsreg cannot read is refused the same way.

- ``_id``, ``patient`` (``Patient/<id>`` or ``<id>``), ``code`` and ``identifier`` (``system|value``,
  ``value``, or ``system|``): a comma is OR, as FHIR says;
- a date parameter (``date``, ``effective``, ``authored``): FHIR's prefixes ``eq`` (default),
  ``ge``, ``le``, ``gt``, ``lt`` on a day, month or year; repeated, every one must hold;
- ``_count`` (default 50, at most 200) and ``_offset`` page the matches; the Bundle's
  ``self``, ``next`` and ``previous`` links carry both.

A search by ``identifier`` carries a national id number: it is also taken as a form body by
``POST <Type>/_search``, and the Bundle's links never repeat it: they name the matches by
``_id`` instead (the same search, without the number in a URL).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, QueryDict

DEFAULT_COUNT = 50
MAX_COUNT = 200
MAX_OFFSET = 10_000_000
#: paging and output, not filters: taken by every search
CONTROL = ("_count", "_offset", "_format")
JSON_FORMATS = ("json", "application/json", "application/fhir+json")
DATE_PREFIXES = ("eq", "ge", "le", "gt", "lt")
_DATE = re.compile(r"(?P<year>[0-9]{4})(?:-(?P<month>[0-9]{2})(?:-(?P<day>[0-9]{2}))?)?")
_DIGITS = re.compile(r"[0-9]{1,19}")
MAX_VALUES = 100  # values of one parameter (OR) hsreg reads
MAX_ID = 2**63 - 1


def is_pk(text: str) -> bool:
    """Whether ``text`` (an ``_id`` searched) can be a row's id: ASCII digits, at most 18 of
    them (within the databases' 64-bit ids), above 0."""
    return text.isascii() and text.isdigit() and len(text) <= 18 and int(text) > 0


class SearchError(ValueError):
    """A search hsreg refuses: 400 with an OperationOutcome naming ``parameter``."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message)
        self.parameter = parameter


@dataclass(frozen=True, slots=True)
class DateTest:
    """One ``date=ge2026-01-01``: the prefix and the day range the value covers."""

    prefix: str
    start: date
    end: date

    def holds(self, day: date) -> bool:
        return {
            "eq": self.start <= day <= self.end,
            "ge": day >= self.start,
            "gt": day > self.end,
            "le": day <= self.end,
            "lt": day < self.start,
        }[self.prefix]

    def lookups(self, field_name: str) -> dict[str, date]:
        """The same test as Django lookups on a date field."""
        return {
            "eq": {f"{field_name}__gte": self.start, f"{field_name}__lte": self.end},
            "ge": {f"{field_name}__gte": self.start},
            "gt": {f"{field_name}__gt": self.end},
            "le": {f"{field_name}__lte": self.end},
            "lt": {f"{field_name}__lt": self.start},
        }[self.prefix]


@dataclass(slots=True)
class Search:
    """A parsed search: each filter ``None`` when not given."""

    ids: list[str] | None = None
    patients: list[int] | None = None
    identifiers: list[tuple[str | None, str]] | None = None
    codes: list[tuple[str | None, str]] | None = None
    dates: list[DateTest] = field(default_factory=list)
    count: int = DEFAULT_COUNT
    offset: int = 0
    #: the parameters as given (for the links), ``identifier`` never among them
    given: list[tuple[str, str]] = field(default_factory=list)

    def code_matches(self, system: str, code: str) -> bool:
        """Whether ``system|code`` is one of the codes searched (no ``code``: every code)."""
        if self.codes is None:
            return True
        return any(code == c and s in (None, system) for s, c in self.codes)

    def date_matches(self, day: date) -> bool:
        return all(test.holds(day) for test in self.dates)

    def id_matches(self, resource_id: str) -> bool:
        return self.ids is None or resource_id in self.ids


def parameters(request: HttpRequest) -> QueryDict:
    """The search's parameters: the query string of a GET, the form body of a POST
    ``_search`` (FHIR allows both together; they are read as one)."""
    if request.method == "POST":
        merged = request.GET.copy()
        for key, values in request.POST.lists():
            for value in values:
                merged.appendlist(key, value)
        return merged
    return request.GET


def parse(query: QueryDict, *, allowed: Iterable[str], date_parameter: str = "") -> Search:
    """The search of ``query``, or ``SearchError`` for an unknown parameter or a value hsreg
    cannot read. ``allowed`` are the type's filters; ``date_parameter`` its date filter."""
    allowed = tuple(allowed)
    search = Search()
    for name in query:
        if name not in allowed and name not in CONTROL:
            supported = ", ".join((*allowed, "_count", "_offset"))
            raise SearchError(
                name, f"Unknown search parameter '{name[:60]}'. Supported: {supported}."
            )
        values = query.getlist(name)
        if name != "identifier":
            search.given.extend((name, v) for v in values)
        _READERS.get(name, _date_reader if name == date_parameter else _ignored)(
            search, name, values
        )
    return search


def _split(name: str, values: list[str]) -> list[str]:
    items = [v.strip() for value in values for v in value.split(",") if v.strip()]
    if len(items) > MAX_VALUES:
        raise SearchError(name, f"At most {MAX_VALUES} values of {name} are read.")
    return items


def _and(current: list[Any] | None, new: list[Any]) -> list[Any]:
    """Repeating a parameter is AND: only what both give."""
    return new if current is None else [v for v in current if v in new]


def _ids(search: Search, name: str, values: list[str]) -> None:
    search.ids = _and(search.ids, _split(name, values))


def _patients(search: Search, name: str, values: list[str]) -> None:
    found: list[int] = []
    for value in _split(name, values):
        text = value.removeprefix("Patient/")
        if not _DIGITS.fullmatch(text) or not 0 < int(text) <= MAX_ID:
            raise SearchError(name, "A patient is given as Patient/<id> or <id> (a registry id).")
        found.append(int(text))
    search.patients = _and(search.patients, found)


def _tokens(values: list[str], name: str) -> list[tuple[str | None, str]]:
    tokens: list[tuple[str | None, str]] = []
    for value in _split(name, values):
        system, bar, code = value.rpartition("|") if "|" in value else ("", "", value)
        if not code:
            raise SearchError(name, f"A {name} is given as system|value or value.")
        tokens.append((system if bar else None, code))
    return tokens


def _identifiers(search: Search, name: str, values: list[str]) -> None:
    search.identifiers = _and(search.identifiers, _tokens(values, name))


def _codes(search: Search, name: str, values: list[str]) -> None:
    search.codes = _and(search.codes, _tokens(values, name))


def _date_reader(search: Search, name: str, values: list[str]) -> None:
    for value in values:
        search.dates.append(parse_date(name, value))


def parse_date(name: str, value: str) -> DateTest:
    """``[prefix]YYYY[-MM[-DD]]`` (a time after the day is not read: hsreg's dates are days)."""
    text = value.strip()
    prefix = text[:2] if text[:2] in DATE_PREFIXES else "eq"
    text = text[2:] if text[:2] in DATE_PREFIXES else text
    match = _DATE.fullmatch(text)
    problem = f"A {name} is [eq|ge|le|gt|lt]YYYY[-MM[-DD]], e.g. ge2026-01-31."
    if match is None:
        raise SearchError(name, problem)
    try:
        year = int(match["year"])
        if match["day"]:
            start = end = date(year, int(match["month"]), int(match["day"]))
        elif match["month"]:
            month = int(match["month"])
            start = date(year, month, 1)
            end = date(year, month, calendar.monthrange(year, month)[1])
        else:
            start, end = date(year, 1, 1), date(year, 12, 31)
    except ValueError:
        raise SearchError(name, problem) from None
    return DateTest(prefix, start, end)


def _count(search: Search, name: str, values: list[str]) -> None:
    search.count = min(_whole(name, values[-1], MAX_COUNT * 1000), MAX_COUNT)


def _offset(search: Search, name: str, values: list[str]) -> None:
    search.offset = _whole(name, values[-1], MAX_OFFSET)


def _whole(name: str, value: str, high: int) -> int:
    text = value.strip()
    if not _DIGITS.fullmatch(text) or int(text) > high:
        raise SearchError(name, f"{name} is a whole number from 0 to {high}.")
    return int(text)


def _format(search: Search, name: str, values: list[str]) -> None:
    if any(v.strip() not in JSON_FORMATS for v in values):
        raise SearchError(name, "This server answers JSON only (_format=json).")


def _ignored(search: Search, name: str, values: list[str]) -> None:
    """A parameter a type takes but reads elsewhere (none today)."""


_READERS: dict[str, Callable[[Search, str, list[str]], None]] = {
    "_id": _ids,
    "patient": _patients,
    "identifier": _identifiers,
    "code": _codes,
    "_count": _count,
    "_offset": _offset,
    "_format": _format,
}


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a search: its resources (in order), how many match in all, and the
    patients whose data the page carries (each gets its audit row)."""

    resources: list[dict[str, Any]]
    total: int
    patient_ids: frozenset[int]


def bundle(
    request: HttpRequest,
    *,
    path: str,
    search: Search,
    page: Page,
    extra_links: list[tuple[str, str]] = (),  # type: ignore[assignment]
) -> dict[str, Any]:
    """The searchset Bundle of ``page``, with its ``self``, ``next`` and ``previous`` links
    on ``path``; ``extra_links`` are parameters the links add (``_id`` for ``identifier``)."""
    base = request.build_absolute_uri(path)
    fixed = [(k, v) for k, v in search.given if k not in ("_offset", "_count")] + list(extra_links)

    def link(relation: str, offset: int) -> dict[str, str]:
        query = urlencode([*fixed, ("_count", str(search.count)), ("_offset", str(offset))])
        return {"relation": relation, "url": f"{base}?{query}"}

    links = [link("self", search.offset)]
    if search.count and search.offset + search.count < page.total:
        links.append(link("next", search.offset + search.count))
    if search.offset > 0:
        links.append(link("previous", max(search.offset - max(search.count, 1), 0)))
    root = request.build_absolute_uri("/fhir/")
    result: dict[str, Any] = {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": page.total,
        "link": links,
    }
    if page.resources:
        result["entry"] = [
            {
                "fullUrl": f"{root}{resource['resourceType']}/{resource['id']}",
                "resource": resource,
                "search": {"mode": "match"},
            }
            for resource in page.resources
        ]
    return result


def window(items: list[Any], search: Search) -> list[Any]:
    """The page's slice of a list of matches."""
    return items[search.offset : search.offset + search.count]
