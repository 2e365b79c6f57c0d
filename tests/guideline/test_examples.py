"""The example cases of ../shared/cases give exactly their expected fields."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from hsreg.guideline import evaluate

ROOT = Path(__file__).parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
CASES = sorted((FIXTURES / "cases").glob("*.json"))


def _shared() -> Path | None:
    """The project's shared folder (spec, cases, reference data), when this checkout has one."""
    candidates = [os.environ.get("HSREG_SHARED_DIR"), *(p / "shared" for p in ROOT.parents)]
    for candidate in candidates:
        if candidate and (Path(candidate) / "guideline" / "RULES.md").is_file():
            return Path(candidate)
    return None


def lookup(data: Any, dotted: str) -> Any:
    for key in dotted.split("."):
        data = data[key]
    return data


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
@pytest.mark.parametrize("lang", ["nb", "en"])
def test_example_gives_exactly_its_expected_fields(path: Path, lang: str) -> None:
    example = json.loads(path.read_text())
    result = evaluate(example["input"]).to_dict(lang)  # type: ignore[arg-type]
    actual = {field: lookup(result, field) for field in example["expected"]}
    assert actual == example["expected"]


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_examples_folder_holds_the_same_case_documents(path: Path) -> None:
    example = ROOT / "examples" / (path.stem.removeprefix("example-") + ".json")
    assert json.loads(example.read_text()) == json.loads(path.read_text())["input"]


VENDORED = {
    "guideline/RULES.md": ROOT / "docs" / "guideline" / "RULES.md",
    "guideline/000_3334d53a7a236e95.txt": ROOT
    / "docs"
    / "guideline"
    / "nfdv-retningslinje-hs-biologiske.txt",
    "reference/vis-sig-hiscr-2022.csv": FIXTURES / "vis-sig-hiscr-2022.csv",
    **{f"cases/{p.name}": p for p in CASES},
}


@pytest.mark.parametrize("name", VENDORED)
def test_vendored_copies_match_the_shared_originals(name: str) -> None:
    shared = _shared()
    if shared is None:
        pytest.skip("no ../shared folder beside this checkout (set HSREG_SHARED_DIR to check)")
    assert VENDORED[name].read_bytes() == (shared / name).read_bytes()
