"""The user's language for the engine's two-language texts."""

from __future__ import annotations

from typing import Literal

from django.utils.translation import get_language

from hsreg.guideline.text import Text


def lang() -> Literal["nb", "en"]:
    """'en' when the active Django language is English, otherwise 'nb' (the default)."""
    return "en" if (get_language() or "nb").startswith("en") else "nb"


def pick(text: Text) -> str:
    return text.en if lang() == "en" else text.nb
