import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from unionportal import clock
from unionportal.validators import (
    credit_check_char,
    id_birth_date,
    id_check_char,
    id_gender,
    normalize_credit_code,
    normalize_id_number,
    normalize_mobile,
    validate_credit_code,
    validate_id_number,
    validate_mobile,
)

# The worked example of GB 11643-1999 and a published unified social credit code.
VALID_ID_X = "11010519491231002X"
VALID_ID = "110101199003074514"
VALID_CREDIT = "91350100M000100Y43"


def _codes(exc: pytest.ExceptionInfo) -> set[str]:
    return {e.code for e in exc.value.error_list}


def test_standard_id_example_has_check_character_x():
    assert id_check_char(VALID_ID_X[:17]) == "X"
    validate_id_number(VALID_ID_X)


def test_valid_id_number_passes_and_derives_gender_and_birth_date():
    validate_id_number(VALID_ID)
    assert id_birth_date(VALID_ID) == datetime.date(1990, 3, 7)
    assert id_gender(VALID_ID) == "M"
    assert id_gender(VALID_ID_X) == "F"


def test_wrong_check_digit_is_refused_with_chinese_message():
    wrong = VALID_ID[:17] + ("5" if VALID_ID[17] != "5" else "6")
    with pytest.raises(ValidationError) as exc:
        validate_id_number(wrong)
    assert _codes(exc) == {"id_check"}
    assert "校验位" in exc.value.messages[0]


@pytest.mark.parametrize("position", range(17))
def test_changing_any_single_digit_breaks_the_check(position):
    digit = VALID_ID[position]
    for replacement in "0123456789":
        if replacement == digit:
            continue
        changed = VALID_ID[:position] + replacement + VALID_ID[position + 1 :]
        if id_birth_date(changed) is None or changed[0] == "0":
            continue
        with pytest.raises(ValidationError):
            validate_id_number(changed)


def test_full_width_digits_and_lower_case_x_are_accepted_in_canonical_form():
    typed = "１１０１０５１９４９１２３１００２ｘ"
    assert normalize_id_number(typed) == VALID_ID_X
    validate_id_number(typed)
    assert normalize_id_number(" 11010519491231002x ") == VALID_ID_X
    validate_id_number("11010519491231002x")


def test_future_birth_date_is_invalid():
    first17 = "11010520990101001"
    future = first17 + id_check_char(first17)
    with pytest.raises(ValidationError) as exc:
        validate_id_number(future)
    assert _codes(exc) == {"id_birth"}


def test_impossible_birth_date_is_invalid():
    first17 = "11010519900230001"
    with pytest.raises(ValidationError) as exc:
        validate_id_number(first17 + id_check_char(first17))
    assert _codes(exc) == {"id_birth"}


@pytest.mark.parametrize(
    "value", ["", "1101051949123100", "11010519491231002Y", "A1010519491231002X"]
)
def test_malformed_id_numbers_are_refused(value):
    with pytest.raises(ValidationError) as exc:
        validate_id_number(value)
    assert _codes(exc) == {"id_format"}


def test_valid_credit_code_passes():
    assert credit_check_char(VALID_CREDIT[:17]) == "3"
    validate_credit_code(VALID_CREDIT)
    validate_credit_code(VALID_CREDIT.lower())
    assert normalize_credit_code("９１３５０１００Ｍ０００１００Ｙ４３") == VALID_CREDIT


def test_credit_code_with_wrong_check_character_is_refused():
    with pytest.raises(ValidationError) as exc:
        validate_credit_code(VALID_CREDIT[:17] + "4")
    assert _codes(exc) == {"credit_check"}
    assert "统一社会信用代码" in exc.value.messages[0]


@pytest.mark.parametrize("value", ["91350100M000100Y4", "91350100M000100I43", "9135O100M000100Y43"])
def test_malformed_credit_codes_are_refused(value):
    with pytest.raises(ValidationError) as exc:
        validate_credit_code(value)
    assert _codes(exc) == {"credit_format"}


def test_mobile_numbers():
    validate_mobile("13812345678")
    validate_mobile("１３８１２３４５６７８")
    assert normalize_mobile("+86 138-1234-5678") == "13812345678"
    for bad in ["1381234567", "23812345678", "12812345678", "138123456789"]:
        with pytest.raises(ValidationError):
            validate_mobile(bad)


# ---------------------------------------------------------------------------------------------
# Properties of the check characters (hypothesis)

ID_CHARS = "0123456789X"
CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


@st.composite
def valid_ids(draw) -> str:
    """A resident ID number with a correct GB 11643-1999 check character."""
    region = draw(st.integers(min_value=100000, max_value=999999))
    birth = draw(st.dates(min_value=datetime.date(1900, 1, 1), max_value=clock.today()))
    sequence = draw(st.integers(min_value=0, max_value=999))
    first17 = f"{region}{birth:%Y%m%d}{sequence:03d}"
    return first17 + id_check_char(first17)


@st.composite
def valid_credit_codes(draw) -> str:
    """A unified social credit code with a correct GB 32100-2015 check character."""
    alphabet = st.sampled_from(CREDIT_CHARS)
    head = "".join(draw(st.lists(alphabet, min_size=2, max_size=2)))
    region = f"{draw(st.integers(min_value=0, max_value=999999)):06d}"
    body = "".join(draw(st.lists(alphabet, min_size=9, max_size=9)))
    first17 = head + region + body
    return first17 + credit_check_char(first17)


def _single_changes(value: str, alphabet: str):
    for position, current in enumerate(value):
        for replacement in alphabet:
            if replacement != current:
                yield value[:position] + replacement + value[position + 1 :]


@settings(max_examples=60, deadline=None)
@given(valid_ids())
def test_every_single_character_change_of_a_valid_id_is_refused(number):
    validate_id_number(number)  # the generator's IDs are valid
    refused = 0
    for changed in _single_changes(number, ID_CHARS):
        with pytest.raises(ValidationError):
            validate_id_number(changed)
        refused += 1

    assert refused == 18 * 10


@settings(max_examples=60, deadline=None)
@given(valid_ids(), st.integers(min_value=0, max_value=15))
def test_swapping_two_neighbouring_digits_of_a_valid_id_is_refused(number, position):
    a, b = number[position], number[position + 1]
    if a == b:
        return
    swapped = number[:position] + b + a + number[position + 2 :]

    with pytest.raises(ValidationError):
        validate_id_number(swapped)


@settings(max_examples=60, deadline=None)
@given(valid_ids(), st.sampled_from(["full-width", "lower-case", "spaced"]))
def test_a_valid_id_as_people_type_it_is_accepted_in_canonical_form(number, style):
    typed = {
        "full-width": "".join(chr(ord(c) + 0xFEE0) for c in number),
        "lower-case": number.lower(),
        "spaced": f" {number[:6]} {number[6:14]} {number[14:]} ",
    }[style]

    validate_id_number(typed)
    assert normalize_id_number(typed) == number


@settings(max_examples=40, deadline=None)
@given(valid_credit_codes())
def test_every_single_character_change_of_a_valid_credit_code_is_refused(code):
    validate_credit_code(code)
    for changed in _single_changes(code, CREDIT_CHARS):
        with pytest.raises(ValidationError):
            validate_credit_code(changed)
