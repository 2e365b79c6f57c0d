"""National id numbers through python-stdnum: birth date and sex derived, bad numbers refused
with a reason, synthetic test numbers only where the settings accept them."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from hsreg.patients.national_id import is_national_id, parse, synthetic_number

REAL_FORMAT = "15108695088"  # a valid fødselsnummer of the kind published as an example
D_NUMBER = "55108695088"  # the same with day + 40: not valid (check digits differ)


def test_a_fodselsnummer_gives_birth_date_and_sex():
    number = parse(REAL_FORMAT, accept_synthetic=False)
    assert number.birth_date == date(1986, 10, 15)
    assert number.sex == "female"
    assert not number.synthetic


def test_spaces_are_ignored():
    assert parse("151086 95088", accept_synthetic=False).number == REAL_FORMAT


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("1510869508", "length"),
        ("1510869508x", "length"),
        ("15108695089", "checksum"),
        (D_NUMBER, "checksum"),
        ("", "length"),
    ],
)
def test_bad_numbers_are_refused_with_a_reason(value, code):
    with pytest.raises(ValidationError) as error:
        parse(value, accept_synthetic=True)
    assert error.value.code == code


def test_a_valid_d_number_gives_the_real_birth_day():
    base = "5510869"  # day 15 + 40
    for individual in range(10, 60):
        candidate = f"{base}{individual:02d}"
        from stdnum.no import fodselsnummer

        k1 = fodselsnummer.calc_check_digit1(candidate)
        if len(k1) != 1:
            continue
        k2 = fodselsnummer.calc_check_digit2(candidate + k1)
        if len(k2) != 1:
            continue
        number = parse(candidate + k1 + k2, accept_synthetic=False)
        assert number.birth_date == date(1986, 10, 15)
        return
    pytest.fail("no valid D-number found in the range")


def test_synthetic_numbers_only_where_accepted():
    number = synthetic_number(date(1990, 5, 17), 123)
    assert number is not None
    assert number[2:4] == "85"  # month + 80
    parsed = parse(number, accept_synthetic=True)
    assert parsed.synthetic
    assert parsed.birth_date == date(1990, 5, 17)
    with pytest.raises(ValidationError) as error:
        parse(number, accept_synthetic=False)
    assert error.value.code == "synthetic"


def test_search_text_that_looks_like_an_id_number():
    assert is_national_id("151086 95088")
    assert not is_national_id("Nordmann")
    assert not is_national_id("1234")
