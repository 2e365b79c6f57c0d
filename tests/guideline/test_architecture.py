"""The guideline core stays pure: no Django, no I/O, the clock read in one documented place."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

CORE = Path(__file__).parents[2] / "src" / "hsreg" / "guideline"
MODULES = sorted(CORE.glob("*.py"))
ALLOWED_IMPORTS = {
    "__future__", "calendar", "collections", "dataclasses", "datetime", "decimal", "fractions",
    "functools", "json", "math", "re", "typing", "pydantic", "pydantic_core",
}  # fmt: skip
FORBIDDEN_CALLS = {"open", "print", "input", "eval", "exec", "__import__"}


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_core_imports_only_the_standard_library_and_pydantic(path: Path) -> None:
    tree = ast.parse(path.read_text())
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            imported.add(node.module.split(".")[0])
    assert imported <= ALLOWED_IMPORTS, f"{path.name} imports {imported - ALLOWED_IMPORTS}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_core_does_no_io(path: Path) -> None:
    tree = ast.parse(path.read_text())
    calls = {
        node.func.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }
    assert not calls & FORBIDDEN_CALLS


def test_the_clock_is_read_only_where_as_of_defaults_to_today() -> None:
    readers = [p.name for p in MODULES if "today()" in p.read_text()]
    assert readers == ["evaluation.py"]
