"""No 500 for odd input (issue 11 point 9): every form field and every query parameter of
every route, as every role, fed odd text and numbers, never answers a server error nor shows a
traceback.

The routes come from Django's URL resolver (as in tests/access/test_role_matrix.py), so a page
is covered the day it is added: ``real_urls`` must be taught a value for a new path argument,
or the first test fails. The fields come from the real pages: each page is opened as the role
would open it, its forms read (tests/fuzz/browse.py), and odd values sent where its fields are,
with the CSRF token the page gave. Query parameters are the names of the page's GET forms, the
names its links and other pages' links send it, and the known names the views read
(``KNOWN``).

Two passes per role: a deterministic sweep of the fixed odd values (tests/fuzz/odd.py ``ODD``)
over every field and parameter, and a bounded number of hypothesis examples per page mixing odd
values with what the page gives (derandomized, so CI is repeatable). Each request runs in a
rolled-back savepoint (browse.Browser), so every request meets the same small world.
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.test import Client, override_settings
from django.urls import path, reverse
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from hsreg.accounts.access import ACCESS, API_CLIENT, ONE_FACTOR, PUBLIC, SIGNED_IN
from hsreg.accounts.models import Role
from hsreg.accounts.services import create_user
from hsreg.config import urls
from hsreg.records.kinds import KINDS
from hsreg.reports.definitions import BY_ID
from hsreg.worklists.views import LIST_LABELS
from tests.access.test_role_matrix import routes
from tests.registry.conftest import PASSWORD
from tests.signin import sign_in

from .browse import TRACEBACK_MARKS, Browser, Finding, Form, parse, route_of
from .conftest import World
from .odd import ODD, SHARP, odd_text

pytestmark = pytest.mark.django_db

ALL_ROUTES = sorted({(name, tuple(kwargs)) for name, kwargs in routes()})

#: query parameters the views read (grep request.GET and the filter forms under src/hsreg),
#: sent to every route; a route's own names (its forms', its links') are swept one at a time
KNOWN = (
    "q", "page", "year", "level", "intervention", "occasion", "drug", "date", "since", "until",
    "username", "patient", "action", "outcome", "region", "first_year", "last_year", "fmt",
    "unit", "next", "language", "kind",
)  # fmt: skip
#: the names each route reads itself (besides those its forms and links show)
OWN: dict[str, tuple[str, ...]] = {
    "patients:search": ("q",),
    "records:new": ("occasion", "intervention", "date", "drug"),
    "audit:events": ("since", "until", "username", "patient", "action", "outcome", "page"),
    "audit:events_csv": ("since", "until", "username", "patient", "action", "outcome"),
    "audit:access_log": ("page",),
    "units:index": ("region",),
    "reports:research": ("first_year", "last_year", "fmt"),
    "reports:research_file": ("first_year", "last_year"),
    "login": ("next",),
    **{
        name: ("year", "level")
        for name in ACCESS
        if name.startswith(("reports:", "open:")) and "research" not in name
    },
}
#: POST-only routes whose fields are those of another page's form (hsreg.js posts the form
#: being typed to records:live)
FIELDS_FROM = {"records:live": "records:new"}
#: odd values of path arguments, by converter
ODD_PATH = {
    "int": ("0", "9223372036854775808", "9" * 40, "9" * 5_000),
    "slug": ("-", "x" * 5_000, "A_b-1"),
    "str": ("%00", "%0a", "%C2%B2", "%ED%A0%80", "x" * 5_000, "svg%20"),
    "uuid": ("00000000-0000-0000-0000-000000000000",),
    "path": ("%00", "a/%ED%A0%80/b", "x/" * 2_000),
}
#: routes swept with the sharpest values only, even by their primary role (none since the annual
#: report is made by the worker, hsreg.reports.annual_runs, and not by a request)
SLOW: frozenset[str] = frozenset()
EXAMPLES_PER_PAGE = 3  # hypothesis examples per page and role


def real_urls(world: World, name: str, kwargs: tuple[str, ...]) -> list[str]:
    """The URLs of route ``name`` in the world: one per real value of its path arguments
    (every kind of form, every worklist, both units...)."""
    patient = world.patient.pk
    if name.startswith("records:"):
        urls = []
        for kind in KINDS:
            record = world.finished[kind] if name in ("records:detail", "records:correct") else (
                world.drafts[kind]
            )  # fmt: skip
            values = {"patient_id": record.patient_id, "kind": kind, "record_id": record.pk}
            if name in ("records:new", "records:live"):
                values["patient_id"] = patient
            urls.append(reverse(name, kwargs={k: values[k] for k in kwargs}))
        if name == "records:new":  # the newcomer's medical history is a draft: new opens it
            urls.append(reverse(name, args=[world.newcomer.pk, "medical-history"]))
        return urls
    choices = {
        "patient_id": [patient],
        "pk": [world.application.pk],
        "user_id": [world.colleague.pk],
        "resh_id": [world.unit.resh_id, world.other_unit.resh_id],
        "indicator_id": sorted(BY_ID)[:2],
        "name": list(LIST_LABELS),
        "chart": ["indicator-hisreg_reduksjon_ihs4"],  # and every chart linked (see crawl)
        "fmt": ["csv", "xlsx"] if "research" in name else ["svg", "png"],
        "run_id": [_annual_run().pk] if "run_id" in kwargs else [],
        "qid": ["dlqi", "hsreg-patient-control-6m"],  # FHIR Questionnaires (issue 13)
        "token": [world.token],  # the patient's link (issue 13)
        "index": [1, 3],
        "invitation_id": [world.invitation.pk],
        "record_id": [world.finished["patient-report"].pk],  # its QuestionnaireResponse
        "client_id": ["no-such-client"],  # an API client (issue 14): revoke is a 404
        "service_id": ["hsreg-patient-view", "hsreg-order-sign"],  # CDS Hooks (issue 14)
        # a FHIR resource (issue 14): a patient, an Observation, a unit, a CodeSystem
        "resource_id": [patient, f"hs-{patient}", "hsreg-observation", world.unit.resh_id],
        "rest": ["Encounter", "Patient/1/extra"],  # FHIR's catch-all 404
        "delegation_id": [1],  # an H-resept delegation (TX-6): none here, so a 404 for all
    }
    missing = set(kwargs) - choices.keys()
    assert not missing, f"{name}: teach real_urls a value for {missing}"
    combos: list[dict[str, object]] = [{}]
    for k in kwargs:
        combos = [{**c, k: v} for c in combos for v in choices[k]]
    return [reverse(name, kwargs=c) for c in combos]


def _annual_run():
    """A made annual report (its page and its download), as the worker leaves one."""
    from hsreg.reports.models import AnnualReportRun

    run, _created = AnnualReportRun.objects.get_or_create(
        year=2025,
        as_of=date(2026, 1, 5),
        state=AnnualReportRun.State.READY,
        defaults={"pdf": b"%PDF-1.4\n%%EOF\n", "pages": 1, "seconds": 1.0},
    )
    return run


def odd_urls(name: str, kwargs: tuple[str, ...], real: str) -> Iterator[str]:
    """``real`` with one path argument at a time replaced by an odd value of its kind."""
    converters = routes_by_name()[name]["converters"]
    for k in kwargs:
        for odd in ODD_PATH[converters[k]]:
            yield real_with(name, kwargs, real, k, odd)


def routes_by_name() -> dict[str, dict[str, dict[str, str]]]:
    from django.urls import get_resolver

    found: dict[str, dict[str, dict[str, str]]] = {}

    def walk(patterns, prefix="", converters=None):
        from django.urls import URLPattern, URLResolver

        for p in patterns:
            conv = {**(converters or {}), **_converter_names(p.pattern.converters)}
            if isinstance(p, URLResolver):
                ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
                walk(p.url_patterns, ns, conv)
            elif isinstance(p, URLPattern) and p.name:
                found[f"{prefix}{p.name}"] = {"converters": conv}

    walk(get_resolver().url_patterns)
    return found


def _converter_names(converters: dict) -> dict[str, str]:
    from django.urls.converters import (
        IntConverter,
        PathConverter,
        SlugConverter,
        StringConverter,
        UUIDConverter,
    )

    names = {
        PathConverter: "path",
        IntConverter: "int",
        SlugConverter: "slug",
        StringConverter: "str",
        UUIDConverter: "uuid",
    }
    return {k: names[type(v)] for k, v in converters.items()}


def real_with(name: str, kwargs: tuple[str, ...], real: str, key: str, odd: str) -> str:
    """The URL ``real`` (of route ``name``) with path argument ``key`` set to ``odd``, built by
    reversing with a placeholder and putting the odd text (already percent-encoded where it
    must be) in its place."""
    from django.urls import resolve

    values = dict(resolve(real).kwargs)
    placeholder = {
        "int": 987654321,
        "slug": "placeholder-x",
        "str": "placeholderx",
        "path": "placeholderp",
        "uuid": "12345678-1234-5678-1234-567812345678",
    }
    kind = routes_by_name()[name]["converters"][key]
    values[key] = placeholder[kind]
    return reverse(name, kwargs=values).replace(str(placeholder[kind]), odd)


# --- the roles' browsers ---------------------------------------------------------------------


WHO = ["anonymous", "one-factor", *[str(r) for r in Role]]


def browser_for(who: str, world: World, findings: list[Finding]) -> Browser:
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    if who == "one-factor":  # a new user: password given, no authenticator yet
        user = create_user(username="fuzz-new", password=PASSWORD, units=[world.unit])
        client.force_login(user)
    elif who != "anonymous":
        sign_in(client, world.users[Role(who)])
    browser = Browser(client, who, findings)
    client.get(reverse("login"))  # the CSRF cookie every form's token is checked against
    browser.keep_cookies()
    return browser


def opens(who: str, name: str) -> bool:
    rule = ACCESS[name]
    if rule == PUBLIC:
        return True
    if rule == API_CLIENT:
        # a system's bearer token, never a session: the visitor without one sweeps it (401
        # before anything else is read); tests/fhir, tests/cdshooks and tests/engine_api send
        # odd input with a valid token
        return who == "anonymous"
    if who == "anonymous":
        return False
    if who == "one-factor":
        return rule == ONE_FACTOR
    return rule in (ONE_FACTOR, SIGNED_IN) or Role(who) in rule


@dataclass
class Site:
    """What one role found browsing: every page's URL, the forms (each once) and the query
    names each route is sent by forms and links."""

    pages: dict[str, str] = field(default_factory=dict)  # url -> route name
    forms: list[tuple[str, Form]] = field(default_factory=list)  # (route name, form)
    query_names: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))


def browse(browser: Browser, world: World) -> Site:
    """Opens every route's real URLs as the role, reading forms and links; chart links found
    on the report pages are browsed too (one per kind of chart)."""
    site = Site()
    seen_forms: set[tuple[str, str, tuple[str, ...]]] = set()
    queue = [(n, u) for n, kwargs in ALL_ROUTES for u in real_urls(world, n, kwargs)]
    charts: set[str] = set()
    while queue:
        name, url = queue.pop(0)
        site.pages[url] = name
        response = browser.send("get", url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        page = parse(response.content.decode(), f"http://testserver{url}")
        for form in page.forms:
            target = route_of(form.action)
            if target is None:
                continue
            if form.method == "get":
                site.query_names[target].update(form.names())
            elif form.key() not in seen_forms:
                seen_forms.add(form.key())
                site.forms.append((target, form))
        for link in page.links:
            target = route_of(link)
            if target is None:
                continue
            parts = urlsplit(link)
            site.query_names[target].update(k for k, _ in parse_qsl(parts.query))
            if target == "reports:chart":
                kind = parts.path.rsplit("/", 1)[-1].split("-", 1)[0]
                if kind not in charts:
                    charts.add(kind)
                    queue.append((target, parts.path))
    return site


# --- the sweeps ------------------------------------------------------------------------------

#: the role that sweeps a route with every odd value; the others sweep it with the sharpest
#: few (the first in this order that may open it)
PRIMARY = ("anonymous", "one-factor", str(Role.REPORTING), str(Role.REGISTRAR),
           str(Role.UNIT_LEADER), str(Role.COORDINATOR))  # fmt: skip

#: odd values for all the fields of one type at once, the others as the page gives them (so
#: a form's cross checks meet them beside valid answers)
TYPED: dict[str, tuple[str, ...]] = {
    "number": ("9" * 5_000, str(10**20), "-1", "²", "1e309", "NaN", "0.5"),
    "date": ("9999-12-31", "0001-01-01", "0000-00-00", "31.12.9999", "٢٠٢٥-٠١-٠١"),
    "text": ("\x00", "x" * 10_001, "\ud800", "\x1b\r\n"),
    "choice": ("²", "9" * 5_000, "\x00", str(10**20), "-1"),
}
KIND_OF = {
    "number": "number", "range": "number", "date": "date", "datetime-local": "date",
    "month": "date", "time": "date", "text": "text", "textarea": "text", "email": "text",
    "password": "text", "search": "text", "tel": "text", "url": "text", "file": "text",
    "select": "choice", "checkbox": "choice", "radio": "choice", "hidden": "choice",
    "button": "choice", "submit": "choice",
}  # fmt: skip


def primary(name: str) -> str:
    return next(who for who in PRIMARY if opens(who, name))


def rotation(names: list[str], values: tuple[str, ...]) -> Iterator[list[tuple[str, str]]]:
    """len(values) assignments in which every name gets every value once, each time beside
    other odd values (a Latin square)."""
    for i in range(len(values)):
        yield [(n, values[(i + j) % len(values)]) for j, n in enumerate(names)]


def with_defaults(form: Form, odd: dict[str, str]) -> list[tuple[str, str]]:
    pairs = []
    for name, values in form.defaults().items():
        if name in odd:
            pairs.append((name, odd[name]))
        else:
            pairs.extend((name, v) for v in values)
    return pairs


def post(browser: Browser, form: Form, odd: dict[str, str]) -> None:
    files = {n: odd.get(n, "").encode("utf-8", "surrogatepass") for n, f in form.fields.items()
             if f.kind == "file"}  # fmt: skip
    pairs = [(n, v) for n, v in with_defaults(form, odd) if n not in files]
    browser.send("post", form.action, pairs, multipart=form.multipart, files=files)


#: files an upload page asks for, as the page describes them, with ``{}`` where odd values go
UPLOADS = {
    "reports:coverage": (
        "resh_id;year;count\n102959;2024;{}\n",
        "resh_id;year;count\n102959;{};10\n",
        "resh_id;year;count\n{};2024;10\n",
        "resh_id,year,count\n102959,2024,{}\n",
        "{};year;count\n102959;2024;10\n",
    ),
}


def typed(form: Form, route: str) -> Iterator[dict[str, str]]:
    """Each type's odd values in all the form's fields of that type at once; dates also
    crossed (the first date at one end of the calendar, the others at the other); a file
    as its page describes it with an odd value in each place."""
    files = [n for n in form.names() if form.fields[n].kind == "file"]
    for template in UPLOADS.get(route, ()) if files else ():
        for value in ODD:
            yield dict.fromkeys(files, template.format(value))
    by_kind: dict[str, list[str]] = defaultdict(list)
    for name in form.names():
        by_kind[KIND_OF.get(form.fields[name].kind, "text")].append(name)
    for kind, names in by_kind.items():
        for value in TYPED[kind]:
            yield dict.fromkeys(names, value)
    dates = by_kind.get("date", [])
    if len(dates) > 1:
        yield {dates[0]: "0001-01-01", **dict.fromkeys(dates[1:], "9999-12-31")}
        yield {dates[0]: "9999-12-31", **dict.fromkeys(dates[1:], "0001-01-01")}


def sweep_queries(browser: Browser, site: Site, who: str) -> None:
    """Every page with every known parameter, each odd value in each (a rotation), and the
    page's own parameters one at a time with each odd value: every odd value by the route's
    primary role on its first URL, the sharpest on its other URLs and by the other roles on
    the first. A page the role may not open, and the other URLs of a route the role is not
    primary for, are asked once."""
    done: set[str] = set()
    for url, name in site.pages.items():
        names = sorted({*KNOWN, *site.query_names.get(name, ())})
        first = name not in done
        done.add(name)
        mine = primary(name) == who
        if not opens(who, name) or not (mine or first):
            browser.send("get", url, next(rotation(names, ODD)))
            continue
        values = ODD if mine and first and name not in SLOW else SHARP
        for pairs in rotation(names, values):
            browser.send("get", url, pairs)
        own = {*OWN.get(name, ()), *site.query_names.get(name, ())} - {"csrfmiddlewaretoken"}
        for param in sorted(own):
            for value in values:
                browser.send("get", url, [(param, value)])


def sweep_forms(browser: Browser, site: Site, who: str) -> None:
    """Every field of every form: each odd value in each (a rotation) by the primary role of
    the form's route, once per set of fields (a draft's form and a new one are alike); and
    each type's odd values in all fields of that type, beside what the page gives."""
    done: set[tuple[str, ...]] = set()
    for name, form in site.forms:
        names = form.names()
        shape = (name.split(":")[0], *sorted(names))
        if primary(name) == who and shape not in done:
            done.add(shape)
            for pairs in rotation(names, ODD):
                post(browser, form, dict(pairs))
        for odd in typed(form, name):
            post(browser, form, odd)


def post_only_routes(browser: Browser, site: Site, world: World, who: str) -> None:
    """Routes that take only POST and no page's form goes to (records:live) get the fields
    of the form named in FIELDS_FROM, swept as a form of their own."""
    posted = {name for name, _ in site.forms}
    for name, source in FIELDS_FROM.items():
        if name in posted or not opens(who, name):
            continue
        for kind_url in [u for u, n in site.pages.items() if n == name]:
            kind = kind_url.rstrip("/").split("/")[-2]
            for target, form in site.forms:
                if target == source and f"/forms/{kind}/new/" in urlsplit(form.action).path:
                    live = Form(kind_url, "post", form.multipart, form.fields)
                    site.forms.append((name, live))


def hypothesis_pass(browser: Browser, site: Site, who: str) -> None:
    """A few hypothesis examples per page: some fields odd, the rest as the page gives
    them; the query parameters likewise."""
    run = settings(
        max_examples=EXAMPLES_PER_PAGE,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )

    def examples(names: list[str], send: Callable[[dict[str, str]], None]) -> None:
        if not names:
            return
        sparse = st.dictionaries(st.sampled_from(names), odd_text, min_size=1, max_size=3)
        dense = st.fixed_dictionaries({}, optional=dict.fromkeys(names, odd_text))

        @run
        @given(st.one_of(sparse, dense))
        def example(odd: dict[str, str]) -> None:
            before = len(browser.findings)
            send(odd)
            assert len(browser.findings) == before, browser.findings[-1]

        with contextlib.suppress(AssertionError):  # noted in findings; the next page goes on
            example()

    for _, form in site.forms:
        examples(form.names(), lambda odd, form=form: post(browser, form, odd))
    done: set[str] = set()
    for url, name in site.pages.items():
        if opens(who, name) and (primary(name) == who or name not in done):
            done.add(name)
            names = sorted({*OWN.get(name, ()), *site.query_names.get(name, ()), "page", "q"})
            examples(names, lambda odd, url=url: browser.send("get", url, list(odd.items())))


def report(findings: list[Finding]) -> str:
    """The findings, one line per role, route and place that failed (its shortest input)."""
    shortest: dict[tuple[str, str, str, str], Finding] = {}
    for f in findings:
        key = (f.who, f.method, route_of(f.url) or f.url[:60], f.error.split(" at ")[-1])
        if key not in shortest or len(f.sent) < len(shortest[key].sent):
            shortest[key] = f
    return "\n".join(str(f) for f in shortest.values())


# --- the tests -------------------------------------------------------------------------------


def test_every_route_is_browsed_with_real_path_values(world):
    """A new route fails here until real_urls knows its path arguments' values."""
    for name, kwargs in ALL_ROUTES:
        assert real_urls(world, name, kwargs), name
    assert {n for n, _ in ALL_ROUTES} == set(ACCESS)


@pytest.mark.parametrize("who", WHO)
def test_odd_values_in_every_field_and_parameter_are_never_a_server_error(world, who):
    """The deterministic sweep and the hypothesis examples, for one role. Every form a page
    of the role shows is posted; every page is asked with odd parameters."""
    findings: list[Finding] = []
    browser = browser_for(who, world, findings)
    site = browse(browser, world)
    post_only_routes(browser, site, world, who)
    if who not in ("anonymous", "one-factor"):
        assert len(site.forms) >= 3, [f.action for _, f in site.forms]
    sweep_queries(browser, site, who)
    sweep_forms(browser, site, who)
    hypothesis_pass(browser, site, who)
    assert findings == [], f"{len(findings)} odd inputs answered 5xx:\n{report(findings)}"


@pytest.mark.parametrize("who", ["anonymous", str(Role.REGISTRAR), str(Role.COORDINATOR)])
def test_odd_path_values_are_never_a_server_error(world, who):
    """Huge ids, long slugs and percent-encoded control bytes in every path argument."""
    findings: list[Finding] = []
    browser = browser_for(who, world, findings)
    for name, kwargs in ALL_ROUTES:
        if not kwargs:
            continue
        real = real_urls(world, name, kwargs)[0]
        for url in odd_urls(name, kwargs, real):
            browser.send("get", url)
            browser.send("post", url, [("csrfmiddlewaretoken", browser.token())])
    assert findings == [], f"{len(findings)} odd paths answered 5xx:\n{report(findings)}"


def view_that_fails(request):
    raise ValueError(request.GET.get("q", ""))


urlpatterns = [path("fails/", view_that_fails, name="fails"), *urls.urlpatterns]


@override_settings(ROOT_URLCONF=__name__)
def test_a_server_error_page_never_shows_a_traceback_even_with_odd_input():
    """DEBUG is off: the 500 page is the registry's own, with no traceback, no code and no
    echo of the odd input that caused it."""
    ACCESS["fails"] = PUBLIC
    try:
        client = Client(raise_request_exception=False)
        for value in ODD:
            response = client.get("/fails/", {"q": value.encode("utf-8", "surrogatepass")})
            assert response.status_code == 500
            body = response.content
            assert not any(mark in body for mark in TRACEBACK_MARKS), value
            assert b"ValueError" not in body
    finally:
        del ACCESS["fails"]
