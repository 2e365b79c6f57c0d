"""The Norwegian bokmål catalog: complete, compiled and faithful to the placeholders, and
Norwegian is what a user sees unless they switch to English.

The .po file is read with a small parser (the gettext tools are not a Python dependency); the
.mo file Django serves is read with the standard library's ``gettext`` module, so a catalog
edited but not compiled again fails here rather than showing English in production.
"""

from __future__ import annotations

import ast
import gettext as stdlib_gettext
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation

import hsreg

LC_MESSAGES = Path(hsreg.__file__).parent / "locale" / "nb" / "LC_MESSAGES"
PO = LC_MESSAGES / "django.po"
MO = LC_MESSAGES / "django.mo"

#: %(name)s, %(n)d, %s, %d, %% and {name}: what Python and Django substitute
PLACEHOLDER = re.compile(r"%\([^)]+\)[sdfir]|%[sdfir%]|\{[^{}]*\}")


@dataclass
class Entry:
    msgid: str
    msgid_plural: str | None = None
    msgstrs: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)


def parse_po(text: str) -> list[Entry]:
    """The entries of a .po file (the header included, as msgid ""), in file order."""
    entries: list[Entry] = []
    flags: set[str] = set()
    current: Entry | None = None
    target: str | None = None  # which string continuation lines extend

    def extend(value: str) -> None:
        assert current is not None
        if target == "msgid":
            current.msgid += value
        elif target == "msgid_plural":
            current.msgid_plural = (current.msgid_plural or "") + value
        else:
            current.msgstrs[-1] += value

    for line in text.splitlines():
        if line.startswith("#,"):
            flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("msgid "):
            current = Entry(msgid=ast.literal_eval(line[6:]), flags=flags)
            entries.append(current)
            flags, target = set(), "msgid"
        elif line.startswith("msgid_plural "):
            target = "msgid_plural"
            extend(ast.literal_eval(line[13:]))
        elif line.startswith("msgstr"):
            assert current is not None
            keyword, value = line.split(" ", 1)
            current.msgstrs.append(ast.literal_eval(value))
            target = keyword
        elif line.startswith('"'):
            extend(ast.literal_eval(line))
    return entries


@pytest.fixture(scope="module")
def entries() -> list[Entry]:
    return [e for e in parse_po(PO.read_text(encoding="utf-8")) if e.msgid]


@pytest.fixture(scope="module")
def mo() -> stdlib_gettext.GNUTranslations:
    with MO.open("rb") as f:
        return stdlib_gettext.GNUTranslations(f)


def test_the_parser_reads_a_catalog_with_plurals_and_continued_lines() -> None:
    parsed = parse_po(
        'msgid ""\nmsgstr ""\n"Language: nb\\n"\n\n'
        "#, python-format\n"
        'msgid ""\n"%(n)s dose "\n"left"\nmsgid_plural "%(n)s doses left"\n'
        'msgstr[0] "%(n)s dose "\n"igjen"\nmsgstr[1] "%(n)s doser igjen"\n'
    )
    assert parsed[0].msgstrs == ["Language: nb\n"]
    assert parsed[1].msgid == "%(n)s dose left"
    assert parsed[1].msgid_plural == "%(n)s doses left"
    assert parsed[1].msgstrs == ["%(n)s dose igjen", "%(n)s doser igjen"]
    assert parsed[1].flags == {"python-format"}


def test_the_catalog_is_bokmal_with_two_plural_forms() -> None:
    header = parse_po(PO.read_text(encoding="utf-8"))[0]
    assert header.msgid == ""
    assert "Language: nb\n" in header.msgstrs[0]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header.msgstrs[0]
    assert "fuzzy" not in header.flags


def test_every_message_is_translated_and_none_is_fuzzy(entries: list[Entry]) -> None:
    assert len(entries) > 600
    untranslated = [e.msgid for e in entries if not all(s.strip() for s in e.msgstrs)]
    assert untranslated == []
    assert [e.msgid for e in entries if "fuzzy" in e.flags] == []
    plurals = [e for e in entries if e.msgid_plural is not None]
    assert plurals
    assert all(len(e.msgstrs) == 2 for e in plurals)
    assert all(len(e.msgstrs) == 1 for e in entries if e.msgid_plural is None)


def test_the_mo_file_was_compiled_from_the_current_po(
    entries: list[Entry], mo: stdlib_gettext.GNUTranslations
) -> None:
    """Same number of messages, and each one says what the .po says."""
    catalog = mo._catalog  # type: ignore[attr-defined]  # the stdlib keeps it here
    singular_keys = {k for k in catalog if isinstance(k, str) and k}
    plural_keys = {k[0] for k in catalog if isinstance(k, tuple)}
    assert len(singular_keys) + len(plural_keys) == len(entries)
    for e in entries:
        if e.msgid_plural is None:
            assert mo.gettext(e.msgid) == e.msgstrs[0], e.msgid
        else:
            assert mo.ngettext(e.msgid, e.msgid_plural, 1) == e.msgstrs[0], e.msgid
            assert mo.ngettext(e.msgid, e.msgid_plural, 5) == e.msgstrs[1], e.msgid


def test_one_word_for_a_draft_and_none_of_the_typos_seen(entries: list[Entry]) -> None:
    """Issue 12: a draft is "utkast" everywhere (never "kladd"), and the typos a new user saw
    in the help texts ("Eksmpel", "heltal", "pilinoidal", "medsinsk", "Methorexate") are not
    in the catalog (records.help_texts writes the klokebok's help texts anew)."""
    texts = [(e.msgid, s) for e in entries if e.msgid for s in e.msgstrs]
    assert [m for m, s in texts if re.search(r"\bkladd", s, re.IGNORECASE)] == []
    for typo in ("Eksmpel", "heltal ", "pilinoidal", "medsinsk", "Methorexate"):
        assert [m for m, s in texts if typo in s or typo in m] == [], typo


def test_placeholders_are_kept(entries: list[Entry]) -> None:
    """A lost or renamed %(name)s would raise or print wrong values at runtime."""
    wrong = []
    for e in entries:
        sources = [e.msgid] if e.msgid_plural is None else [e.msgid, e.msgid_plural]
        for source, translated in zip(sources, e.msgstrs, strict=True):
            if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(translated)):
                wrong.append((source, translated))
    assert wrong == []


def test_leading_and_trailing_whitespace_is_kept(entries: list[Entry]) -> None:
    def edges(s: str) -> tuple[str, str]:
        return s[: len(s) - len(s.lstrip())], s[len(s.rstrip()) :]

    assert [e.msgid for e in entries if any(edges(s) != edges(e.msgid) for s in e.msgstrs)] == []


def test_django_translates_to_bokmal_and_keeps_english() -> None:
    with translation.override("nb"):
        assert translation.gettext("Patients") == "Pasienter"
        assert translation.gettext("Log in") == "Logg inn"
        assert translation.gettext("Don't know") == "Vet ikke"
        assert translation.gettext("Height (cm)") == "Høyde (cm)"
        assert translation.gettext("Stage I") == "Stadium I"
        assert translation.gettext("ALT") == "ALAT"
        assert translation.ngettext("%(years)s year", "%(years)s years", 3) % {"years": 3} == "3 år"
    with translation.override("en"):
        assert translation.gettext("Patients") == "Patients"
        assert translation.gettext("Log in") == "Log in"
        assert translation.ngettext("%(years)s year", "%(years)s years", 3) % {"years": 3} == (
            "3 years"
        )


def test_the_start_page_is_norwegian_until_the_user_switches_to_english(client_in) -> None:
    html = client_in.get("/").content.decode()
    assert '<html lang="nb">' in html
    assert "Pasienter" in html
    assert "Arbeidslister" in html

    response = client_in.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302

    html = client_in.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Patients" in html
    assert "Pasienter" not in html


def test_an_english_browser_still_gets_norwegian_until_english_is_chosen(client_in):
    """Norwegian bokmål is the default whatever the browser asks for (Accept-Language)."""
    page = client_in.get("/", headers={"accept-language": "en-US,en;q=0.9"})
    assert "Pasienter" in page.content.decode()
    client_in.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Patients" in client_in.get("/").content.decode()


@pytest.mark.skipif(
    shutil.which("xgettext") is None,
    reason="GNU gettext's xgettext is not installed (Debian package gettext; .ci/run installs it)",
)
def test_every_message_of_the_code_and_templates_is_in_the_catalog(
    entries: list[Entry], tmp_path: Path
) -> None:
    """Django's makemessages over a copy of the package finds no message the committed
    catalog lacks, and the catalog keeps none the code no longer uses: a string added to a
    page without its translation fails here, not in front of a Norwegian user."""
    package = Path(hsreg.__file__).parent
    copy = tmp_path / "hsreg"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    previous = Path.cwd()
    os.chdir(copy)
    try:
        call_command("makemessages", locale=["nb"], no_obsolete=True, verbosity=0)
    finally:
        os.chdir(previous)
    found = parse_po((copy / "locale/nb/LC_MESSAGES/django.po").read_text(encoding="utf-8"))
    wanted = {e.msgid for e in found if e.msgid}
    have = {e.msgid for e in entries if e.msgid}
    assert sorted(wanted - have) == []  # in the code, not in the catalog
    assert sorted(have - wanted) == []  # in the catalog, no longer in the code
