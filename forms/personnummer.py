"""Spot Swedish personal identity numbers in free text, so a form can warn before saving.

The program must hold no data about clients (DESIGN.md §7). This module only finds candidates;
it never changes the text. A candidate counts only when its date is real and its Luhn check digit
is right, which keeps false alarms on order numbers, phone numbers and the like rare.
"""

import datetime
import re
from dataclasses import dataclass

_NUMBER = re.compile(
    r"""
    (?<![^\W_])                 # not glued to a letter or digit on the left
    (?<!\+)                     # nor to a "+": that is an international phone number
    (?P<century>18|19|20)?      # YYYYMMDD when present, YYMMDD otherwise
    (?P<date>[0-9]{6})          # YYMMDD; the day is +60 in a samordningsnummer
    (?P<separator>[-+\ ]?)      # "+" marks 100 years or older (10-digit form only)
    (?P<serial>[0-9]{4})        # three serial digits and the check digit
    (?![^\W_])                  # not glued to a letter or digit on the right
    """,
    re.VERBOSE,
)

# A samordningsnummer (coordination number) is written with the day of birth plus 60.
_COORDINATION_DAY_OFFSET = 60


@dataclass(frozen=True, slots=True)
class Match:
    """A personal number found in a text: ``text[start:end] == match.text``."""

    start: int
    end: int
    text: str


def find_personal_numbers(text: str | None) -> list[Match]:
    """Every substring of ``text`` that is a plausible personnummer or samordningsnummer.

    Accepted forms: ``YYMMDD-NNNN``, ``YYMMDDNNNN``, ``YYMMDD+NNNN``, ``YYYYMMDD-NNNN`` and
    ``YYYYMMDDNNNN`` (century 18, 19 or 20), each also with a space as the separator. A match is
    guaranteed to have a real calendar date (day minus 60 for a samordningsnummer) and a valid
    Luhn check digit over ``YYMMDDNNNN``, and to stand alone: no letter or digit directly before
    or after it, and no ``+`` directly before it. Matches come in text order and never overlap.
    An empty text or ``None`` gives ``[]``. Whether the date lies in the past is not checked.
    """
    if not text:
        return []
    return [
        Match(start=found.start(), end=found.end(), text=found.group())
        for found in _NUMBER.finditer(text)
        if _is_personal_number(found)
    ]


def contains_personal_number(text: str | None) -> bool:
    """Whether ``find_personal_numbers(text)`` would find anything."""
    return bool(find_personal_numbers(text))


def _is_personal_number(found: re.Match[str]) -> bool:
    century, date, separator = found["century"], found["date"], found["separator"]
    if century and separator == "+":
        return False
    return _is_real_date(century, date) and _luhn_is_valid(date + found["serial"])


def _is_real_date(century: str | None, yymmdd: str) -> bool:
    # Without a century, 2000 + YY stands in for the year: it is a leap year exactly when YY is
    # divisible by 4, so 29 February passes whenever a plausible century makes it real, and the
    # answer does not depend on today's date.
    year = int((century or "20") + yymmdd[:2])
    month, day = int(yymmdd[2:4]), int(yymmdd[4:])
    if day > _COORDINATION_DAY_OFFSET:
        day -= _COORDINATION_DAY_OFFSET
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return True


def _luhn_is_valid(digits: str) -> bool:
    # Weights 2, 1, 2, 1, ... from the left over the ten digits; digits of each product summed.
    total = 0
    for position, digit in enumerate(digits):
        product = int(digit) * (2 if position % 2 == 0 else 1)
        total += product - 9 if product > 9 else product
    return total % 10 == 0
