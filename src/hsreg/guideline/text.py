"""Bilingual texts and the explanations every result carries.

Every explanation is written in Norwegian bokmål and English at the place where the rule is
applied, so the reader of a rule sees what the clinician will be told. The language is chosen
only when an evaluation is turned into JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal, NamedTuple

Lang = Literal["nb", "en"]
LANGS: tuple[Lang, ...] = ("nb", "en")


class Text(NamedTuple):
    """One text in both languages. (A named tuple: an evaluation makes over a hundred.)"""

    nb: str
    en: str

    def in_lang(self, lang: Lang) -> str:
        return self.nb if lang == "nb" else self.en

    def __add__(self, other: tuple[object, ...]) -> Text:
        """Joins two texts language by language (not tuple concatenation)."""
        if not isinstance(other, Text):
            return NotImplemented
        return Text(self.nb + other.nb, self.en + other.en)


class Explanation(NamedTuple):
    """Why a result is what it is: the rule that produced it and the data it used.

    `topic` names the part of the evaluation the explanation belongs to (``staging``,
    ``biologic_eligibility`` …) so that a page can show it beside that part.
    """

    rule_id: str
    text: Text
    topic: str


@dataclass(frozen=True, slots=True)
class Topic:
    """Makes the explanations of one part of the evaluation: a module holds
    ``WHY = Topic("staging")`` and writes ``WHY("ST-2", "… alvorlig.", "… severe.")``, or
    ``WHY.reading(…)`` where it applies a Reading of RULES.md."""

    name: str

    def __call__(self, rule_id: str, nb: str, en: str) -> Explanation:
        return Explanation(rule_id, Text(nb, en), self.name)

    def reading(self, rule_id: str, nb: str, en: str) -> Explanation:
        """An explanation that applies a **Reading** of RULES.md, marked as such."""
        return Explanation(rule_id, reading(Text(nb, en)), self.name)

    def text(self, rule_id: str, text: Text) -> Explanation:
        return Explanation(rule_id, text, self.name)


def explanations_field() -> tuple[Explanation, ...]:
    """A result's own explanations; left out of its JSON, where they join the top-level list."""
    return field(default=(), metadata={"json": False})


def reading(text: Text) -> Text:
    """Marks a text as applying a **Reading** of RULES.md, as the clinician must be told."""
    return Text("Tolkning: " + text.nb, "Reading: " + text.en)


def d(value: date | None) -> Text:
    """A date as the reader writes it: 26.01.2026 in Norwegian, 2026-01-26 in English."""
    if value is None:
        return Text("ukjent", "unknown")
    return Text(f"{value.day:02}.{value.month:02}.{value.year}", value.isoformat())


def num(value: float | int | Decimal | None, decimals: int = 1) -> Text:
    """A number with a decimal comma in Norwegian and a point in English."""
    if value is None:
        return Text("ukjent", "unknown")
    if isinstance(value, int) and not isinstance(value, bool):
        return Text(str(value), str(value))
    rounded = f"{float(value):.{decimals}f}"
    if "." in rounded:
        rounded = rounded.rstrip("0").rstrip(".")
    return Text(rounded.replace(".", ","), rounded)


def join(parts: list[Text], sep: Text | None = None) -> Text:
    """Joins texts with ``sep`` (default ``", "``)."""
    separator = sep or Text(", ", ", ")
    if not parts:
        return Text("", "")
    out = parts[0]
    for part in parts[1:]:
        out = out + separator + part
    return out


def reduction(pct: float | None) -> Text:
    """A change from baseline in %: "40 % reduksjon", or for a rise "25 % økning"."""
    if pct is None:
        return Text("ukjent endring", "unknown change")
    if pct < 0:
        return Text(f"{num(-pct).nb} % økning", f"{num(-pct).en} % increase")
    return Text(f"{num(pct).nb} % reduksjon", f"{num(pct).en} % reduction")


def achievement(value: bool | None) -> Text:
    """A response criterion's outcome: achieved, not achieved or not evaluable."""
    if value is None:
        return Text("ikke vurderbar", "not evaluable")
    return Text("oppnådd", "achieved") if value else Text("ikke oppnådd", "not achieved")
