"""The one exception the guideline engine raises for bad input, and its problems.

A problem names the field by its path in the case document (``assessments[0].nodules``) and
says what the value must be; the CLI prints one per line, an API answers them with a 4xx.
The offending value itself is never repeated, so a message can be logged without carrying a
birth date or any other personal data.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pydantic import ValidationError

DOCUMENT = "(document)"

_STRUCTURAL_MESSAGES = {
    "missing": "is required",
    "extra_forbidden": "is not a known field (hsreg schema lists the fields)",
    "model_type": "must be an object",
    "model_attributes_type": "must be an object",
    "dict_type": "must be an object",
    "tuple_type": "must be a list",
    "list_type": "must be a list",
}


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a case document."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"

    def as_dict(self) -> dict[str, str]:
        return {"path": self.path, "message": self.message}


class CaseError(ValueError):
    """A case document that cannot be evaluated; ``problems`` lists everything found wrong."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def field_path(loc: Iterable[str | int]) -> str:
    """``("assessments", 0, "nodules")`` → ``assessments[0].nodules``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out or DOCUMENT


def problems_from(error: ValidationError) -> list[Problem]:
    """Pydantic's errors as problems, in document order, one per field."""
    errors = error.errors(include_url=False, include_context=True, include_input=False)
    failing = [tuple(e["loc"]) for e in errors]
    problems: list[Problem] = []
    for entry, loc in zip(errors, failing, strict=True):
        kind = entry["type"]
        if kind in ("too_short", "too_long"):
            # A list one of whose items failed also reports itself as too short: say it once.
            if any(other[: len(loc)] == loc and len(other) > len(loc) for other in failing):
                continue
            ctx = entry.get("ctx", {})
            size = ctx.get("min_length") if kind == "too_short" else ctx.get("max_length")
            message = f"must have exactly {size} items"
        else:
            message = _STRUCTURAL_MESSAGES.get(kind, entry["msg"])
        problem = Problem(field_path(loc), message)
        if problem not in problems:
            problems.append(problem)
    return problems
