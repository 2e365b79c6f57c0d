"""What a refused FHIR write answers: one OperationOutcome with an ``issue`` per problem, each
naming the element it is about by its FHIRPath (``Bundle.entry[3].resource.valueInteger``), so
the sending system can show its user what to correct (issue 14: "Bad input → 4xx with an
OperationOutcome naming each element path; never a 500").

The writes collect every problem they find before answering (``Problems``), and raise
``Refused`` once; the view turns it into the response. The texts are English machine texts
for the sending system's log (not gettext'd, COMMON.md), and never carry a value the client
sent beyond a short code: no names, no national id numbers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.http import HttpResponse
from pydantic import ValidationError as PydanticError

from hsreg.fhir.responses import fhir_response

#: at most this many issues in one answer (a Bundle of garbage must not answer megabytes)
MAX_ISSUES = 50


class Refused(Exception):  # noqa: N818 - a refusal, not an error of hsreg
    """A write refused as a whole: ``issues`` are (path, text) pairs; ``status`` is 400 for
    what cannot be read, 422 for what breaks a rule of the form, 404 for a patient not found,
    409 for an identifier reused for another transaction."""

    def __init__(
        self, issues: Iterable[tuple[str, str]], *, status: int = 422, code: str = "invalid"
    ) -> None:
        self.issues = list(issues)[:MAX_ISSUES]
        super().__init__("; ".join(f"{path}: {text}" for path, text in self.issues))
        self.status = status
        self.code = code

    def response(self) -> HttpResponse:
        return fhir_response(
            {
                "resourceType": "OperationOutcome",
                "issue": [
                    {
                        "severity": "error",
                        "code": self.code,
                        "diagnostics": text,
                        **({"expression": [path]} if path else {}),
                    }
                    for path, text in self.issues
                ],
            },
            status=self.status,
        )


class Problems:
    """The problems found so far, in the order found, each once (a path may have several)."""

    def __init__(self) -> None:
        self.found: dict[tuple[str, str], None] = {}

    def add(self, path: str, text: str) -> None:
        self.found.setdefault((path, text))

    def __bool__(self) -> bool:
        return bool(self.found)

    def raise_if_any(self, *, status: int = 422) -> None:
        if self.found:
            raise Refused(self.found, status=status)


def value_path(resource: Mapping[str, Any], path: str) -> str:
    """``path`` + ``.value<Type>`` when the element at the end of ``path`` (an answer, found in
    ``resource``) has one: ``...answer[0]`` -> ``...answer[0].valueCoding``."""
    element = element_at(resource, path)
    if isinstance(element, Mapping):
        for key in element:
            if isinstance(key, str) and key.startswith("value"):
                return f"{path}.{key}"
    return path


def element_at(resource: Any, path: str) -> Any:
    """The element a FHIRPath of plain steps (``Root.item[2].answer[0]``) names in
    ``resource``, or None when it is not there."""
    here = resource
    for step in path.replace("[", ".[").split(".")[1:]:
        if step.startswith("["):
            index = step.strip("[]")
            if not (index.isdigit() and isinstance(here, list) and int(index) < len(here)):
                return None
            here = here[int(index)]
        elif isinstance(here, Mapping):
            here = here.get(step)
        else:
            return None
    return here


def pydantic_issues(error: PydanticError, *, root: str) -> list[tuple[str, str]]:
    """The problems fhir.resources' validation found, each at its element's path under
    ``root`` (the resource's own path, e.g. ``Bundle.entry[2].resource``)."""
    issues = []
    for found in error.errors()[:MAX_ISSUES]:
        path = root
        for part in found["loc"]:
            path += f"[{part}]" if isinstance(part, int) else f".{part}"
        issues.append((path, str(found["msg"])[:200]))
    return issues


#: RecordForm.clean_date's refusal names the patient's birth date; the API says it without it
DATE_TEXT = "The date must lie between the patient's birth and today."


def form_text(form: forms.BaseForm, name: str) -> str:
    """The reasons the clinic's form gives for field ``name``, as one text: the field's label
    and its messages, the date's without the patient's birth date (COMMON.md, privacy)."""
    texts = [
        DATE_TEXT if error.code == "date" else " ".join(str(m) for m in error.messages)
        for error in form.errors.as_data().get(name, [])
    ]
    label = form.fields[name].label if name in form.fields else ""
    text = " ".join(texts)
    return f"{label}: {text}" if label else text
