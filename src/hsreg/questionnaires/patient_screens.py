"""What a screen of the patient's questionnaire shows: each question with its current answer,
its error, and when it applies (enable_when), from questionnaires.definitions.

A question that depends on an answer given on an earlier screen is simply shown or left out.
One that depends on an answer on the same screen is shown with "Answer only if …" (so the
page works without JavaScript); patient.js hides it until the answer makes it relevant.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from .answers import instrument_for
from .definitions import Question, Screen, copyright_notice, screens
from .models import Invitation

UNKNOWN = "unknown"


@dataclass(frozen=True)
class Shown:
    """One question as the screen shows it."""

    question: Question
    value: str
    unknown: bool
    error: str
    #: "Answer only if …" when it depends on an answer on the same screen
    only_if: str
    #: for patient.js: the question it depends on and the answers that make it relevant
    depends_on: str
    depends_codes: str


def questionnaire(invitation: Invitation, *, lang: str, today: date) -> tuple[str, list[Screen]]:
    """The instrument (DLQI or CDLQI by the patient's age today, XB-6) and the screens of
    the invitation's form in ``lang``."""
    instrument = instrument_for(invitation.patient, today)
    return instrument, screens(invitation.form, instrument=instrument, lang=lang)


def _label(question: Question, code: str) -> str:
    return dict(question.options).get(code, code)


def _number(question: Question, value: str, lang: str) -> str:
    """A stored decimal as the patient writes it: 2,5 in Norwegian."""
    if question.kind == "decimal" and lang == "nb":
        return value.replace(".", ",")
    return value


def _only_if(controller: Question | None, codes: tuple[str, ...]) -> str:
    if controller is None:
        return ""
    answers = " / ".join(f"«{_label(controller, c)}»" for c in codes)
    return _("Answer only if you answered %(answers)s to «%(question)s».") % {
        "answers": answers,
        "question": controller.text,
    }


def shown_questions(
    screen: Screen,
    *,
    values: Mapping[str, str],
    earlier: Mapping[str, str],
    errors: Mapping[str, str],
    lang: str,
) -> list[Shown]:
    """The questions of ``screen`` to show. ``values`` are the answers of this screen (posted
    or kept), ``earlier`` those of the other screens."""
    here = {q.link_id: q for q in screen.questions}
    result = []
    for q in screen.questions:
        only_if = depends_on = depends_codes = ""
        if q.enable_when is not None:
            link_id, codes = q.enable_when
            if link_id in here:
                only_if = _only_if(here[link_id], codes)
                depends_on, depends_codes = link_id, " ".join(codes)
            elif earlier.get(link_id) not in codes:
                continue  # not relevant by an answer on an earlier screen
        value = str(values.get(q.link_id, ""))
        unknown = value == UNKNOWN or values.get(f"{q.link_id}-unknown") == "1"
        result.append(
            Shown(
                question=q,
                value="" if value == UNKNOWN else _number(q, value, lang),
                unknown=unknown,
                error=errors.get(q.link_id, ""),
                only_if=only_if,
                depends_on=depends_on,
                depends_codes=depends_codes,
            )
        )
    return result


def shows_copyright(screen: Screen, instrument: str) -> bool:
    """The DLQI's or CDLQI's copyright line belongs on the screens of its questions."""
    return screen.key.startswith(instrument) or any(
        q.link_id.startswith(f"{instrument}_") for q in screen.questions
    )


def copyright_of(screen: Screen, *, instrument: str, lang: str) -> str:
    return copyright_notice(instrument, lang) if shows_copyright(screen, instrument) else ""


def review_rows(
    all_screens: list[Screen], *, answers: Mapping[str, str], instrument: str, lang: str
) -> list[dict[str, Any]]:
    """Every screen with its questions and the answers given, for the review before submit.
    Questions left out by an earlier answer are not listed."""
    rows = []
    for index, screen in enumerate(all_screens):
        items = []
        for q in screen.questions:
            if q.enable_when is not None:
                link_id, codes = q.enable_when
                if answers.get(link_id) not in codes:
                    continue
            value = answers.get(q.link_id, "")
            if value == UNKNOWN:
                shown = _("Don't know")
            elif value == "":
                shown = _("Not answered")
            else:
                shown = _number(q, _label(q, value), lang)
            items.append({"question": q.text, "answer": shown, "missing": value == ""})
        rows.append(
            {
                "index": index,
                "title": screen.title,
                "items": items,
                "copyright": copyright_of(screen, instrument=instrument, lang=lang),
            }
        )
    return rows
