"""hsreg.numbers.whole_number: the one reading of a whole number someone else wrote (issue 11
point 9: ``²``, other scripts' digits and numbers of thousands of digits were 500s)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hsreg.numbers import whole_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0", 0),
        ("42", 42),
        ("000042", 42),  # leading zeros do not count as digits
        ("999999999", 999_999_999),
        ("1000000000", None),  # ten digits where nine are allowed
        ("", None),
        ("²", None),
        ("٣", None),
        ("５", None),
        ("-1", None),
        ("+1", None),
        (" 1", None),
        ("1e3", None),
        ("1" * 5000, None),
    ],
)
def test_only_ascii_digits_within_their_count_are_a_number(text, expected):
    assert whole_number(text, max_digits=9) == expected


@given(st.text())
def test_any_text_is_a_number_or_none_and_never_an_error(text):
    number = whole_number(text, max_digits=18)
    if number is not None:
        assert text.isascii()
        assert text.isdigit()
        assert number == int(text)
        assert number < 10**18
