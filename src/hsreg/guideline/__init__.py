"""The NFDV guideline for biologics in hidradenitis suppurativa, as code.

Pure Python: no Django, no I/O. Every score and threshold lives here (`scores`), every rule of
RULES.md has its module, and every result carries its explanation by rule id in Norwegian
bokmål and English.

    >>> from hsreg.guideline import evaluate
    >>> evaluation = evaluate({"as_of": "2026-02-02", "patient": {"birth_date": "1980-01-01"},
    ...     "assessments": [{"date": "2026-01-26", "nodules": 5, "abscesses": 1,
    ...                      "draining_tunnels": 2}]})
    >>> evaluation.staging.ihs4.score, evaluation.staging.ihs4.category
    (15, 'severe')

Bad input raises `CaseError`, whose `problems` name each field (``assessments[0].nodules``).
"""

from .case import Case, case_json_schema, load_json, parse_case
from .catalog import DRUGS, Drug
from .evaluation import Evaluation, evaluate
from .problems import CaseError, Problem
from .rules import RULES
from .text import LANGS, Explanation, Lang, Text

__all__ = [
    "DRUGS",
    "LANGS",
    "RULES",
    "Case",
    "CaseError",
    "Drug",
    "Evaluation",
    "Explanation",
    "Lang",
    "Problem",
    "Text",
    "case_json_schema",
    "evaluate",
    "load_json",
    "parse_case",
]
