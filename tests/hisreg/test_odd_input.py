"""Odd input never crashes the import's reading: any bytes as a file, any text in a cell, any
key give problems by file, line and column, never an exception."""

from __future__ import annotations

from pathlib import Path
from tempfile import TemporaryDirectory

from hypothesis import given, settings
from hypothesis import strategies as st

from hsreg.hisreg.checks import check_cells
from hsreg.hisreg.dictionary import header, variables
from hsreg.hisreg.people import whole
from hsreg.hisreg.problems import Problems
from hsreg.hisreg.readers import Line, read

TABLE = "doctorcontrol"


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_as_a_file_are_problems_or_lines(content):
    with TemporaryDirectory() as folder:
        path = Path(folder)
        (path / f"{TABLE}.csv").write_bytes(content)
        problems = Problems()
        lines = read(path, f"{TABLE}.csv", header(TABLE), problems, required=True)
        assert lines is None or isinstance(lines, list)
        assert lines is not None or problems
        assert all(p.file == f"{TABLE}.csv" for p in problems.found)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(variables(TABLE)), st.text(max_size=30))
def test_any_text_in_a_cell_is_accepted_or_reported_at_its_column(column, value):
    problems = Problems()
    bad = check_cells(TABLE, Line(5, {column: value.strip()}), problems)
    assert bad <= {column}
    assert all(
        (p.line, p.column) == (5, column) and str(p).startswith(f"{TABLE}.csv line 5, column ")
        for p in problems.found
    )


@given(st.text(max_size=20))
def test_a_key_is_a_whole_number_from_1_or_nothing(value):
    found = whole(value)
    assert found is None or (0 < found <= 2**31 - 1 and str(found) == value.lstrip("0"))
