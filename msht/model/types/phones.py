"""Telephone numbers as E.164, UK by default, via Google's libphonenumber port."""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, ValidationResult

from msht.errors import ValueProblem

# A trailing extension ("ext 23", "x23", "extn. 23", "#23"); dropped, as our records key on
# the line, not the desk.
_EXTENSION = re.compile(r"[\s,;]*(?:e?xt(?:n|ension)?\.?:?|x|#)\s*[0-9]{1,7}$", re.IGNORECASE)
# The number runs from its first "+" or digit to its last digit; labels ("Mob:") before
# and notes ("(home)") after are cut off.
_NUMBER = re.compile(r"[+0-9].*[0-9]|[0-9]", re.DOTALL)
# libphonenumber takes ~50 us a number; most of ours are UK numbers with a 10-digit national
# significant number, always a possible length, so they skip it. Same answers: tested.
_PUNCTUATION = re.compile(r"[\s()\-./]+")
_UK_TEN_DIGITS = re.compile(r"(?:0|(?:\+|00)440?)([1-9][0-9]{9})", re.ASCII)


def _invalid(value: str, why: str) -> ValueProblem:
    return ValueProblem(
        "invalid_phone",
        f"{value!r} is not a telephone number ({why}); expected e.g. '01622 690690'",
    )


@lru_cache(maxsize=1 << 17)
def normalise_phone(value: str, region: str = "GB") -> str:
    """Return the number in E.164 form ("+447700900123"), read as dialled from `region`.

    Understands "+44 (0)...", "0044 ..." and a trailing extension (dropped). A number is
    accepted when its length is possible for its country, not only when it is allocated,
    so Ofcom drama numbers (07700 900xxx) pass. Raises ValueProblem ``invalid_phone``.
    """
    text = _EXTENSION.sub("", value.strip())
    span = _NUMBER.search(text)
    if span is None:
        raise _invalid(value, "no digits")
    number_text = span.group()
    if region == "GB":
        uk = _UK_TEN_DIGITS.fullmatch(_PUNCTUATION.sub("", number_text))
        if uk is not None:
            return f"+44{uk[1]}"
    if any(c.isalpha() for c in number_text):
        # libphonenumber would read letters as a keypad word ("0800 FLOWERS"); in our
        # records letters inside a number mean two numbers or a note, not a vanity number.
        raise _invalid(value, "letters inside the number")
    try:
        number = phonenumbers.parse(number_text, region)
    except NumberParseException as error:
        raise _invalid(value, str(error).split(") ", 1)[-1].rstrip(".")) from None
    # IS_POSSIBLE_LOCAL_ONLY ("690690" without its area code) is refused too: its E.164
    # form would be a different, wrong number.
    if phonenumbers.is_possible_number_with_reason(number) != ValidationResult.IS_POSSIBLE:
        raise _invalid(value, "wrong length for its country")
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)
