import phonenumbers
import pytest
from hypothesis import given
from hypothesis import strategies as st

from msht.errors import ValueProblem
from msht.model.types.phones import normalise_phone

# National significant numbers of UK mobiles: "7" and nine more digits.
mobiles = st.from_regex(r"7[0-9]{9}", fullmatch=True)


def written_forms(nsn: str) -> list[str]:
    spaced = f"{nsn[:4]} {nsn[4:]}"
    return [
        f"0{nsn}",
        f"0{spaced}",
        f"0{nsn[:4]}-{nsn[4:7]}-{nsn[7:]}",
        f"+44{nsn}",
        f"+44 {spaced}",
        f"+44 (0){spaced}",
        f"+44(0) {spaced}",
        f"0044 {spaced}",
        f"00 44 {spaced}",
        f"44{nsn}",
        f"(0{nsn[:4]}) {nsn[4:]}",
        f"Mob: 0{spaced}",
        f"0{spaced} ext 23",
        f"0{spaced} x23",
        f"0{spaced} (home)",
        f"  0{spaced}\t",
    ]


@given(mobiles)
def test_every_written_form_gives_the_same_e164(nsn: str) -> None:
    for text in written_forms(nsn):
        assert normalise_phone(text) == f"+44{nsn}", text


@given(st.from_regex(r"[1-9][0-9]{8,9}", fullmatch=True), st.data())
def test_agrees_with_libphonenumber_on_uk_numbers(nsn: str, data: st.DataObject) -> None:
    """The UK fast path must give what libphonenumber gives on its own."""
    prefix = data.draw(st.sampled_from(["0", "+44", "+44 (0)", "+440", "0044", "00440", "44"]))
    gaps = [data.draw(st.sampled_from(["", " ", "-", "."])) for _ in nsn]
    text = prefix + "".join(gap + digit for gap, digit in zip(gaps, nsn, strict=True))
    number = phonenumbers.parse(text, "GB")
    reason = phonenumbers.is_possible_number_with_reason(number)
    if reason == phonenumbers.ValidationResult.IS_POSSIBLE:
        assert normalise_phone(text) == phonenumbers.format_number(
            number, phonenumbers.PhoneNumberFormat.E164
        )
    else:
        with pytest.raises(ValueProblem):
            normalise_phone(text)


@given(mobiles)
def test_idempotent(nsn: str) -> None:
    once = normalise_phone(f"0{nsn}")
    assert normalise_phone(once) == once


@given(st.text(alphabet="0123456789 +()-x", max_size=20))
def test_anything_gives_e164_or_invalid_phone(text: str) -> None:
    try:
        result = normalise_phone(text)
    except ValueProblem as problem:
        assert problem.reason == "invalid_phone"
    else:
        assert result.startswith("+")
        assert result[1:].isdigit()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("07700 900123", "+447700900123"),
        ("+44 (0)7700 900123", "+447700900123"),
        ("0044 7700 900123", "+447700900123"),
        ("01622 690690", "+441622690690"),
        ("+40 721 234 567", "+40721234567"),
        ("07700 900123 ext 23", "+447700900123"),
        ("020 7946 0123", "+442079460123"),
    ],
)
def test_documented_examples(text: str, expected: str) -> None:
    assert normalise_phone(text) == expected


def test_region_sets_the_country_of_national_numbers() -> None:
    assert normalise_phone("0721 234 567", region="RO") == "+40721234567"


@pytest.mark.parametrize(
    "text",
    [
        "12345",
        "690690",  # local number without its area code
        "0800 FLOWERS",
        "07700 900123 / 07700 900124",
        "unknown",
        "+999 1234 5678",
        "0770090012345678",
    ],
)
def test_rejects_with_invalid_phone(text: str) -> None:
    with pytest.raises(ValueProblem) as problem:
        normalise_phone(text)
    assert problem.value.reason == "invalid_phone"
    assert repr(text) in problem.value.message
