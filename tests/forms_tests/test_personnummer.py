"""Free text that holds a Swedish personal number is found, so the form can warn before saving."""

import pytest

from forms.personnummer import Match, contains_personal_number, find_personal_numbers


def check_digit(nine_digits):
    """The Luhn check digit, computed from the right (independent of the module's helper)."""
    total = 0
    for position, char in enumerate(reversed(nine_digits)):
        value = int(char) * (2 if position % 2 == 0 else 1)
        total += sum(divmod(value, 10))
    return str(-total % 10)


def number(yymmdd, serial="238"):
    """A ten-digit YYMMDDNNNN with the right check digit."""
    return yymmdd + serial + check_digit(yymmdd + serial)


def wrong_check_digit(ten_digits):
    return ten_digits[:-1] + str((int(ten_digits[-1]) + 1) % 10)


def test_the_test_luhn_helper_agrees_with_skatteverkets_published_examples():
    assert check_digit("121212121") == "2"  # 19121212-1212
    assert check_digit("701063239") == "1"  # samordningsnummer 701063-2391


@pytest.mark.parametrize(
    "text",
    [
        "121212-1212",
        "1212121212",
        "121212+1212",
        "121212 1212",
        "19121212-1212",
        "191212121212",
        "19121212 1212",
        "701063-2391",
        f"{number('850709')[:6]}-{number('850709')[6:]}",
        f"20{number('050101')}",
        f"18{number('991231')}",
    ],
)
def test_a_valid_number_matches_in_every_accepted_format(text):
    assert find_personal_numbers(text) == [Match(start=0, end=len(text), text=text)]


def test_the_match_spans_the_number_inside_a_sentence():
    text = "Klienten (19121212-1212) ringde i går."

    [match] = find_personal_numbers(text)

    assert match == Match(start=10, end=23, text="19121212-1212")
    assert text[match.start : match.end] == match.text


@pytest.mark.parametrize(
    "text",
    [
        "121212-1213",
        "1212121213",
        "121212+1213",
        "121212 1213",
        "19121212-1213",
        "191212121213",
        "701063-2392",
        wrong_check_digit(number("850709")),
    ],
)
def test_a_wrong_check_digit_does_not_match(text):
    assert find_personal_numbers(text) == []
    assert contains_personal_number(text) is False


@pytest.mark.parametrize(
    "text",
    [
        number("121312"),  # month 13
        number("120012"),  # month 00
        number("120100"),  # day 00
        number("120132"),  # 32 January
        number("120230"),  # 30 February
        number("120431"),  # 31 April
        number("230229"),  # 29 February; YY 23 is not a leap year in any century
        "19" + number("000229"),  # 1900 was not a leap year
        "21" + number("121212"),  # no living person was born in the 2100s
    ],
)
def test_an_impossible_date_does_not_match_even_with_a_right_check_digit(text):
    assert find_personal_numbers(text) == []


@pytest.mark.parametrize(
    "text",
    [
        number("240229"),
        "20" + number("240229"),
        number("000229"),  # could be 2000, a leap year
        "20" + number("000229"),
    ],
)
def test_29_february_matches_in_a_leap_year(text):
    assert find_personal_numbers(text) == [Match(start=0, end=len(text), text=text)]


@pytest.mark.parametrize(
    "text",
    [
        "701063-2391",
        number("121272"),  # 12 December + 60
        number("120161"),  # 1 January + 60
        number("240289"),  # 29 February 2024 + 60
        "19" + number("121272"),
    ],
)
def test_a_samordningsnummer_matches(text):
    assert contains_personal_number(text) is True


@pytest.mark.parametrize(
    "text",
    [
        number("120160"),  # day 0 + 60
        number("120192"),  # day 32 + 60
        number("120290"),  # 30 February + 60
        number("120491"),  # 31 April + 60
        number("230289"),  # 29 February + 60 in a non-leap year
    ],
)
def test_a_samordningsnummer_with_an_impossible_day_does_not_match(text):
    assert find_personal_numbers(text) == []


def test_a_plus_separator_is_only_accepted_without_the_century():
    assert find_personal_numbers("19121212+1212") == []


@pytest.mark.parametrize(
    "text",
    [
        "Order 00191212121200",  # 14-digit order number around a valid number
        "Order 19121212121200",
        "Order 0121212121200",
        "Ring +46701234567",
        "Ring +461212121212",  # Swedish prefix before ten digits that would be valid alone
        "Ring +201212121212",  # a country code that looks like a century
        "SE4519121212121200000000",  # IBAN
        "SE45 1912 1212 1212 0000 0000",  # IBAN as printed, in groups of four
        "ABC1212121212",
        "1212121212kr",
        "ärende121212-1212",
        "121212-1212Ö",
        "121212-12120",
        "9121212-1212",
    ],
)
def test_digits_inside_a_longer_number_or_word_do_not_match(text):
    assert find_personal_numbers(text) == []


def test_every_number_in_a_text_is_found_in_order():
    text = "Anna 191212121212, Bo 701063-2391 och Cecilia 121212+1212."

    assert find_personal_numbers(text) == [
        Match(start=5, end=17, text="191212121212"),
        Match(start=22, end=33, text="701063-2391"),
        Match(start=46, end=57, text="121212+1212"),
    ]


def test_numbers_separated_only_by_a_space_are_both_found():
    assert [m.text for m in find_personal_numbers("121212-1212 701063-2391")] == [
        "121212-1212",
        "701063-2391",
    ]


@pytest.mark.parametrize("text", ["", None, "Inga siffror här.", "Möte 2026-03-14 kl. 09.00"])
def test_text_without_a_number_finds_nothing(text):
    assert find_personal_numbers(text) == []
    assert contains_personal_number(text) is False
