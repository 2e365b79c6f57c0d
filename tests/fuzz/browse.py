"""A small browser for the odd-input tests: it reads a page's forms as a person's browser
would (html.parser), sends what they would send, and notes every answer that is a server
error or shows a traceback.

Every request runs inside a savepoint that is rolled back after it, and the client's cookies
are put back as they were: each request meets the same world (a discarded draft, an approved
application or a logout do not change what the next request sees), and a database error in
one request (PostgreSQL refusing a NUL) cannot poison the next.
"""

from __future__ import annotations

import traceback
from copy import deepcopy
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.urls import Resolver404, resolve

from .odd import short, urlencode, wire

#: what a traceback looks like in a page (Django's debug page, or one printed by a view)
TRACEBACK_MARKS = (b"Traceback (most recent call last)", b'.py", line ', b"django/core/handlers")
TEXT_TYPES = ("text/", "application/json", "image/svg")


@dataclass
class Field:
    name: str
    kind: str  # input type, "select", "textarea" or "button"
    default: list[str] = field(default_factory=list)  # the values the page would send

    @property
    def fuzzable(self) -> bool:
        return self.name != "csrfmiddlewaretoken"


@dataclass
class Form:
    action: str  # the path it goes to, with its query
    method: str  # "get" or "post"
    multipart: bool
    fields: dict[str, Field] = field(default_factory=dict)

    def key(self) -> tuple[str, str, tuple[str, ...]]:
        return (urlsplit(self.action).path, self.method, tuple(sorted(self.fields)))

    def names(self) -> list[str]:
        return [name for name, f in self.fields.items() if f.fuzzable]

    def defaults(self) -> dict[str, list[str]]:
        return {name: list(f.default) for name, f in self.fields.items()}


class FormParser(HTMLParser):
    """The forms of a page with their fields and what each would send untouched, and the
    page's links (href, src)."""

    def __init__(self, base: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base = base
        self.forms: list[Form] = []
        self.links: list[str] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._select_first: str | None = None
        self._option: tuple[str | None, bool] | None = None
        self._option_text = ""
        self._textarea: Field | None = None
        self._button_taken = False
        self._textarea_start = False

    def _add(self, name: str, kind: str) -> Field:
        assert self._form is not None
        return self._form.fields.setdefault(name, Field(name, kind))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        for link in (a.get("href"), a.get("src"), a.get("data")):
            if link and tag in ("a", "img", "object", "link"):
                self.links.append(urljoin(self.base, link))
        if tag == "form":
            action = urljoin(self.base, a.get("action") or self.base)
            method = (a.get("method") or "get").lower()
            multipart = a.get("enctype", "") == "multipart/form-data"
            self._form = Form(action, method, multipart)
            self._button_taken = False
            self.forms.append(self._form)
            return
        if tag == "option" and self._select is not None:
            self._option = (a.get("value"), "selected" in a)
            self._option_text = ""
            return
        if self._form is None or not a.get("name"):
            return
        name, kind = a["name"], a.get("type", "text").lower()
        if tag == "input":
            f = self._add(name, kind)
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    f.default.append(a.get("value", "on"))
            elif kind in ("submit", "image", "button", "reset"):
                if kind == "submit" and not self._button_taken:
                    f.default = [a.get("value", "")]
                    self._button_taken = True
            else:
                f.default = [a.get("value", "")]
        elif tag == "button":
            f = self._add(name, "button")
            if a.get("type", "submit") == "submit" and not self._button_taken:
                f.default = [a.get("value", "")]
                self._button_taken = True
        elif tag == "select":
            self._select = self._add(name, "select")
            self._select_first = None
        elif tag == "textarea":
            self._textarea = self._add(name, "textarea")
            self._textarea.default = [""]
            self._textarea_start = True

    def _option_end(self) -> None:
        assert self._select is not None
        assert self._option is not None
        value, selected = self._option
        value = self._option_text.strip() if value is None else value
        if self._select_first is None:
            self._select_first = value
        if selected:
            self._select.default = [value]
        self._option = None

    def handle_data(self, data: str) -> None:
        if self._option is not None:
            self._option_text += data
        if self._textarea is not None:
            if self._textarea_start:  # a browser drops the newline right after <textarea>
                data = data.removeprefix("\n")
                self._textarea_start = False
            self._textarea.default = [self._textarea.default[0] + data]

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "option" and self._select is not None and self._option is not None:
            self._option_end()
        elif tag == "select" and self._select is not None:
            if not self._select.default and self._select_first is not None:
                self._select.default = [self._select_first]
            self._select = None

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)


def parse(html: str, base: str) -> FormParser:
    parser = FormParser(base)
    parser.feed(html)
    parser.close()
    return parser


def route_of(url: str) -> str | None:
    """The URL name a same-site link goes to (None for another site or no route)."""
    parts = urlsplit(url)
    if parts.netloc not in ("", "testserver"):
        return None
    try:
        return resolve(parts.path).view_name
    except Resolver404:
        return None


@dataclass
class Finding:
    who: str
    method: str
    url: str
    sent: str
    status: int
    error: str

    def __str__(self) -> str:
        return (
            f"{self.who} {self.method} {self.url[:120]} {self.sent[:300]} -> {self.status}"
            f" {self.error}"
        )


def _where(exc_info: Any) -> str:
    """The exception and the line of hsreg (else the deepest line) that raised it."""
    if not exc_info:
        return ""
    kind, value, tb = exc_info
    frames = traceback.extract_tb(tb)
    ours = [f for f in frames if "/hsreg/" in f.filename and "/tests/" not in f.filename]
    at = (ours or frames)[-1]
    deepest = frames[-1]
    place = f"{at.filename.split('/src/')[-1]}:{at.lineno}"
    if deepest is not at:
        place += f" (raised in {deepest.filename.split('site-packages/')[-1]}:{deepest.lineno})"
    return f"{kind.__name__}: {str(value)[:160]} at {place}"


class Browser:
    """One role's client: sends requests in a rolled-back savepoint and notes findings."""

    def __init__(self, client: Any, who: str, findings: list[Finding]) -> None:
        self.client = client
        self.who = who
        self.findings = findings
        self.cookies = deepcopy(client.cookies)
        self.count = 0

    def keep_cookies(self) -> None:
        """The cookies of now are the ones every later request starts from."""
        self.cookies = deepcopy(self.client.cookies)

    def token(self) -> str:
        """The CSRF token the cookie holds (Django accepts it unmasked too)."""
        return str(self.cookies["csrftoken"].value)

    def send(
        self,
        method: str,
        url: str,
        pairs: list[tuple[str, str]] | None = None,
        *,
        multipart: bool = False,
        files: dict[str, bytes] | None = None,
        note: str = "",
    ) -> Any:
        pairs = pairs or []
        sid = transaction.savepoint()
        try:
            if method == "get":
                query = urlencode(pairs)
                sep = "&" if "?" in url else "?"
                response = self.client.get(f"{url}{sep}{query}" if query else url)
            elif multipart:
                data: dict[str, Any] = {}
                for k, v in pairs:
                    data.setdefault(k, []).append(wire(v))
                for k, content in (files or {}).items():
                    data[k] = SimpleUploadedFile("odd.csv", content, "text/csv")
                response = self.client.post(url, data)  # multipart, as the browser sends it
            else:
                body = urlencode(pairs).encode("ascii")
                response = self.client.post(
                    url, body, content_type="application/x-www-form-urlencoded"
                )
        finally:
            transaction.savepoint_rollback(sid)
            connection.needs_rollback = False
            self.client.cookies = deepcopy(self.cookies)
        self.count += 1
        self._judge(response, method, url, pairs, note)
        return response

    def _judge(
        self, response: Any, method: str, url: str, pairs: list[tuple[str, str]], note: str
    ) -> None:
        body = response.getvalue()
        content_type = response.get("Content-Type", "")
        error = ""
        if response.status_code >= 500:
            error = _where(getattr(response, "exc_info", None)) or "(no exception)"
        elif content_type.startswith(TEXT_TYPES) and any(m in body for m in TRACEBACK_MARKS):
            error = "a traceback in the page"
        if error:
            sent = note or ", ".join(
                f"{k}={short(v)}" for k, v in pairs if k != "csrfmiddlewaretoken"
            )
            self.findings.append(
                Finding(self.who, method.upper(), url, sent, response.status_code, error)
            )
