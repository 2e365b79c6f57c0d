"""Every rule of RULES.md is known to the engine and named by at least one test."""

from __future__ import annotations

import re
from pathlib import Path

from hsreg.guideline import RULES

ROOT = Path(__file__).parents[1]
RULE_ID = re.compile(r"\*\*(?:Reading \()?([A-Z]{2}-\d+[a-z]?)")
# Rules whose subject is built by a later issue; each names where.
LATER = {"RG-2": "accounts and access (issue 4)"}


def spec_rule_ids() -> list[str]:
    text = (ROOT / "docs" / "guideline" / "RULES.md").read_text()
    return sorted(set(RULE_ID.findall(text)))


def test_the_rule_table_matches_rules_md() -> None:
    assert sorted(RULES) == spec_rule_ids()


def _named(rule: str, text: str) -> bool:
    """``TX-6`` in a docstring or comment, or ``_tx6_`` in a test's name."""
    literal = rf"(?<![A-Za-z0-9]){re.escape(rule)}(?![0-9a-z])"
    in_name = rf"_{rule.lower().replace('-', '')}_"
    return bool(re.search(literal, text) or re.search(in_name, text))


def test_every_rule_is_named_by_a_test() -> None:
    tests = [
        p.read_text() for p in (ROOT / "tests").rglob("test_*.py") if p.name != Path(__file__).name
    ]
    untested = [
        rule
        for rule in spec_rule_ids()
        if rule not in LATER and not any(_named(rule, text) for text in tests)
    ]
    assert untested == []
