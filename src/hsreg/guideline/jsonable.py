"""Results as JSON-ready data: dataclasses to dicts, dates to ISO strings, texts in one language."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields, is_dataclass
from datetime import date
from typing import Any

from .text import Explanation, Lang, Text


def to_jsonable(value: Any, lang: Lang) -> Any:
    """Dataclasses to dicts, dates to ISO strings, texts to ``lang``; `Explanation` to
    ``{rule_id, text, topic}``. A converter is made once per type, so a thousand evaluations
    do not ask a thousand times what each value is."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    return (_CONVERTERS.get(kind) or _converter(kind))(value, lang)


_PLAIN = frozenset({str, int, float, bool, type(None)})
_CONVERTERS: dict[type, Callable[[Any, Lang], Any]] = {
    Text: lambda text, lang: text.in_lang(lang),
    Explanation: lambda e, lang: {
        "rule_id": e.rule_id,
        "text": e.text.in_lang(lang),
        "topic": e.topic,
    },
    date: lambda day, _: day.isoformat(),
    tuple: lambda items, lang: [to_jsonable(item, lang) for item in items],
    list: lambda items, lang: [to_jsonable(item, lang) for item in items],
    dict: lambda mapping, lang: {key: to_jsonable(item, lang) for key, item in mapping.items()},
}


def _converter(kind: type) -> Callable[[Any, Lang], Any]:
    if not is_dataclass(kind):
        raise TypeError(f"cannot turn {kind.__name__} into JSON")
    names = tuple(f.name for f in fields(kind) if f.metadata.get("json", True))

    def convert(value: Any, lang: Lang) -> dict[str, Any]:
        return {name: to_jsonable(getattr(value, name), lang) for name in names}

    _CONVERTERS[kind] = convert
    return convert
