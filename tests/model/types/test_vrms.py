import pytest
from hypothesis import given
from hypothesis import strategies as st

from msht.errors import ValueProblem
from msht.model.types.vrms import format_vrm, normalise_vrm, vrm_misreads

CONFUSED = {"0": "O", "1": "I", "5": "S", "8": "B", "2": "Z", "6": "G"}
CONFUSED |= {b: a for a, b in CONFUSED.items()}

vrms = st.one_of(
    st.from_regex(r"[A-Z]{2}[0-9]{2}[A-Z]{3}", fullmatch=True),  # current
    st.from_regex(r"[A-Z][0-9]{1,3}[A-Z]{3}", fullmatch=True),  # prefix
    st.from_regex(r"[A-Z]{3}[0-9]{1,3}[A-Z]", fullmatch=True),  # suffix
    st.from_regex(r"[A-Z]{1,3}[0-9]{1,4}|[0-9]{1,4}[A-Z]{1,3}", fullmatch=True),  # dateless
)


@st.composite
def retyped(draw: st.DrawFn, vrm: str) -> str:
    out = []
    for char in vrm:
        out.append(draw(st.sampled_from(["", "", " ", "-", "."])))
        out.append(char.lower() if draw(st.booleans()) else char)
    return "".join(out) + draw(st.sampled_from(["", " "]))


@given(vrms, st.data())
def test_spacing_and_case_do_not_matter(vrm: str, data: st.DataObject) -> None:
    assert normalise_vrm(data.draw(retyped(vrm))) == vrm


@given(vrms)
def test_idempotent(vrm: str) -> None:
    assert normalise_vrm(normalise_vrm(vrm)) == normalise_vrm(vrm)


@given(vrms)
def test_misreads_are_one_confusion_away_and_symmetric(vrm: str) -> None:
    variants = vrm_misreads(vrm)
    assert vrm not in variants
    for variant in variants:
        changed = [(a, b) for a, b in zip(vrm, variant, strict=True) if a != b]
        assert len(changed) == 1
        assert CONFUSED[changed[0][0]] == changed[0][1]
        assert vrm in vrm_misreads(variant)


@given(vrms)
def test_format_vrm_normalises_back(vrm: str) -> None:
    assert normalise_vrm(format_vrm(vrm)) == vrm


@given(st.text(max_size=10))
def test_anything_gives_a_mark_or_invalid_vrm(text: str) -> None:
    try:
        result = normalise_vrm(text)
    except ValueProblem as problem:
        assert problem.reason == "invalid_vrm"
    else:
        assert 2 <= len(result) <= 7
        assert result.isascii() and result.isalnum()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ab12 cde", "AB12CDE"),
        ("AB12-CDE", "AB12CDE"),
        ("A123 BCD", "A123BCD"),
        ("ABC 123D", "ABC123D"),
        ("ABC 123", "ABC123"),
        ("1 ABC", "1ABC"),
        ("a.b.1", "AB1"),
    ],
)
def test_documented_examples(text: str, expected: str) -> None:
    assert normalise_vrm(text) == expected


@pytest.mark.parametrize("text", ["ABCDEFG", "1234", "A", "AB12CDEF", "AB12 CD!", "ÄB12CDE"])
def test_rejects_with_invalid_vrm(text: str) -> None:
    with pytest.raises(ValueProblem) as problem:
        normalise_vrm(text)
    assert problem.value.reason == "invalid_vrm"
    assert repr(text) in problem.value.message


@pytest.mark.parametrize(
    ("text", "expected"),
    [("AB12CDE", "AB12 CDE"), ("ab12 cde", "AB12 CDE"), ("A123BCD", "A123BCD"), ("ABC1", "ABC1")],
)
def test_format_vrm(text: str, expected: str) -> None:
    assert format_vrm(text) == expected


def test_misreads_example() -> None:
    assert vrm_misreads("AB12CDE") == {"A812CDE", "ABI2CDE", "AB1ZCDE"}
    assert vrm_misreads("XY99XYW") == frozenset()
    assert vrm_misreads("A1") == frozenset()  # "AI" has no digit, so is no mark
