"""Odd input: the fixed list every field and parameter is swept with, and a hypothesis
strategy of odd text and numbers for the mixes.

Text is what a browser or a script can send: lone surrogates cannot be UTF-8, so they travel
as the bytes a careless client sends for them (``surrogatepass``: ``%ED%A0%80``), which the
server must decode without falling over.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import quote_plus

from hypothesis import strategies as st

#: every field and query parameter of every route gets each of these (issue 11 point 9)
ODD: tuple[str, ...] = (
    "",
    " ",
    " \t\n ",
    "²",
    "٣",
    "５",
    "1²",
    "\x00",
    "1\x00",
    "\x01\x08\x1b[31m\x7f\x85",
    "\ud800",
    "a\udfff",
    "x" * 10_001,
    "9" * 5_000,
    "-" + "9" * 4_301,
    str(10**20),
    "9223372036854775808",
    "-1",
    "-0",
    "1e309",
    "-1e309",
    "NaN",
    "inf",
    "0.5",
    "1,5",
    "0x1f",
    "9999-12-31",
    "0000-00-00",
    "0001-01-01",
    "2025-02-30",
    "31.12.9999",
    "%0a",
    "\r\nSet-Cookie: x=y",
    "' OR 1=1 --",
    '"><script>alert(1)</script>',
    "{{ 7*7 }} %s %(x)s",
    "😀🇳🇴",
    "\u202e\u200f\u200b\ufeff",
    "ｑ",
    "null",
)

#: the few values that most often break a field's cross checks, tried one field at a time
#: with every other field as the page gives it
SHARP: tuple[str, ...] = ("²", "\x00", "9" * 5_000, str(10**20), "9999-12-31", "-1", "1e309")

_characters = st.characters(
    categories=("Cc", "Cf", "Cs", "Nd", "Nl", "No", "So", "Zs", "Lo", "Mn"),
)

odd_text: st.SearchStrategy[str] = st.one_of(
    st.sampled_from(ODD),
    st.text(_characters, max_size=12),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.integers(min_value=4_290, max_value=5_100).map(lambda n: "9" * n),
    st.floats().map(repr),
    st.dates(min_value=date(1, 1, 1)).map(date.isoformat),
    st.tuples(st.sampled_from(["x", "æ", "😀", "\x00", "1"]), st.integers(250, 12_000)).map(
        lambda pair: pair[0] * pair[1]
    ),
    st.text(max_size=20),
)


def wire(text: str) -> bytes:
    """``text`` as the bytes a client sends (a lone surrogate as its three raw bytes)."""
    return text.encode("utf-8", "surrogatepass")


def urlencode(pairs: list[tuple[str, str]]) -> str:
    return "&".join(f"{quote_plus(wire(k))}={quote_plus(wire(v))}" for k, v in pairs)


def short(text: str) -> str:
    """A value as a report names it: its repr, a long one by its length."""
    if len(text) > 40:
        return f"{text[:8]!r}… ({len(text)} chars)"
    return repr(text)
