import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from msht.errors import ValueProblem
from msht.model.types.postcodes import normalise_postcode, postcode_area, postcode_district

LETTER = st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
DIGIT = st.sampled_from("0123456789")
SHAPES = ["A9", "A99", "AA9", "AA99", "A9A", "AA9A"]
CANONICAL = re.compile(r"[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}|GIR 0AA")


@st.composite
def postcodes(draw: st.DrawFn) -> str:
    shape = draw(st.sampled_from(SHAPES))
    outward = "".join(draw(LETTER if c == "A" else DIGIT) for c in shape)
    inward = draw(DIGIT) + draw(LETTER) + draw(LETTER)
    return f"{outward} {inward}"


@st.composite
def retyped(draw: st.DrawFn, postcode: str) -> str:
    """The same postcode as someone might type it: any case, spaces anywhere or nowhere."""
    out = []
    for char in postcode.replace(" ", ""):
        out.append(draw(st.sampled_from(["", " ", "  "])))
        out.append(char.lower() if draw(st.booleans()) else char)
    out.append(draw(st.sampled_from(["", " ", "\t"])))
    return "".join(out)


@given(postcodes(), st.data())
def test_case_and_spacing_do_not_matter(postcode: str, data: st.DataObject) -> None:
    assert normalise_postcode(data.draw(retyped(postcode))) == postcode


@given(postcodes())
def test_idempotent(postcode: str) -> None:
    once = normalise_postcode(postcode.lower().replace(" ", ""))
    assert normalise_postcode(once) == once


@given(postcodes(), st.sampled_from(["O", "o"]))
def test_letter_o_for_zero_in_the_inward_digit(postcode: str, letter_o: str) -> None:
    zeroed = f"{postcode[:-3]}0{postcode[-2:]}"
    assert normalise_postcode(f"{postcode[:-3]}{letter_o}{postcode[-2:]}") == zeroed


@given(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -.", max_size=10))
def test_anything_else_is_rejected(text: str) -> None:
    try:
        result = normalise_postcode(text)
    except ValueProblem as problem:
        assert problem.reason == "invalid_postcode"
    else:
        assert CANONICAL.fullmatch(result)


@given(postcodes(), st.sampled_from(["1", "11", "9A", "!"]))
def test_extra_characters_are_rejected(postcode: str, extra: str) -> None:
    with pytest.raises(ValueProblem):
        normalise_postcode(postcode + extra)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (" me4 4tz", "ME4 4TZ"),
        ("ct11ab", "CT1 1AB"),
        ("SW1A1AA", "SW1A 1AA"),
        ("W1A 0AX", "W1A 0AX"),
        ("M1 1AE", "M1 1AE"),
        ("B33 8TH", "B33 8TH"),
        ("DN55 1PT", "DN55 1PT"),
        ("ME4 OTZ", "ME4 0TZ"),
        ("gir0aa", "GIR 0AA"),
    ],
)
def test_documented_examples(text: str, expected: str) -> None:
    assert normalise_postcode(text) == expected


@pytest.mark.parametrize(
    "text", ["ME4", "ME4 4T", "MEE4 4TZ", "ME4 44Z", "4ME 4TZ", "ME4 4TZ X", "MO4 4TZ O", "GIR 0AB"]
)
def test_rejects_with_invalid_postcode(text: str) -> None:
    with pytest.raises(ValueProblem) as problem:
        normalise_postcode(text)
    assert problem.value.reason == "invalid_postcode"
    assert repr(text) in problem.value.message


def test_only_the_inward_digit_is_corrected() -> None:
    with pytest.raises(ValueProblem):
        normalise_postcode("MEO 4TZ")  # an O in the outward code is a letter, not a slip


@pytest.mark.parametrize(
    ("text", "district", "area"),
    [("ME4 4TZ", "ME4", "ME"), ("sw1a1aa", "SW1A", "SW"), ("M1 1AE", "M1", "M")],
)
def test_district_and_area(text: str, district: str, area: str) -> None:
    assert postcode_district(text) == district
    assert postcode_area(text) == area
