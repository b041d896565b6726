import pytest
from hypothesis import given
from hypothesis import strategies as st

from msht.errors import ValueProblem
from msht.model.types.scalars import fold_code_map, map_code, parse_boolean, parse_integer

SPELLINGS = {"yes": True, "y": True, "true": True, "t": True, "1": True}
SPELLINGS |= {"no": False, "n": False, "false": False, "f": False, "0": False}


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_integers_in_every_spreadsheet_form(n: int) -> None:
    for text in (str(n), f" {n} ", f"{n}.0", f"{n}.", f"{n:,}", f"+{n}" if n >= 0 else str(n)):
        assert parse_integer(text) == n, text


@given(st.floats(allow_nan=False, allow_infinity=False).filter(lambda x: not x.is_integer()))
def test_fractions_are_not_integers(x: float) -> None:
    with pytest.raises(ValueProblem) as problem:
        parse_integer(repr(x))
    assert problem.value.reason == "wrong_type"


@pytest.mark.parametrize("text", ["12.5", "abc", "", "1,23", "12,34,567", "1 2", "٣", "0x10"])
def test_rejects_non_integers(text: str) -> None:
    with pytest.raises(ValueProblem) as problem:
        parse_integer(text)
    assert problem.value.reason == "wrong_type"
    assert repr(text) in problem.value.message


@given(st.sampled_from(sorted(SPELLINGS)), st.data())
def test_booleans_in_any_case(spelling: str, data: st.DataObject) -> None:
    text = "".join(c.upper() if data.draw(st.booleans()) else c for c in spelling)
    assert parse_boolean(f" {text} ") is SPELLINGS[spelling]


@pytest.mark.parametrize("text", ["maybe", "2", "yess", "-", "on"])
def test_rejects_non_booleans(text: str) -> None:
    with pytest.raises(ValueProblem) as problem:
        parse_boolean(text)
    assert problem.value.reason == "wrong_type"
    assert repr(text) in problem.value.message


ETHNICITY = fold_code_map({"W1": "white_british", "Black  British": "black_british", "A2": "asian"})


def test_fold_code_map_folds_case_and_whitespace() -> None:
    assert ETHNICITY == {"w1": "white_british", "black british": "black_british", "a2": "asian"}


def test_fold_code_map_refuses_clashing_keys() -> None:
    with pytest.raises(ValueError, match="'a'"):
        fold_code_map({"A": "x", "a": "y"})
    assert fold_code_map({"A": "x", "a": "x"}) == {"a": "x"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [("W1", "white_british"), (" w1 ", "white_british"), ("BLACK british", "black_british")],
)
def test_map_code_ignores_case_and_whitespace(text: str, expected: str) -> None:
    assert map_code(text, ETHNICITY) == expected


def test_map_code_without_a_table_returns_the_stripped_value() -> None:
    assert map_code("  Anything ", None) == "Anything"


def test_map_code_default() -> None:
    assert map_code("Z9", ETHNICITY, default="unknown") == "unknown"


def test_map_code_unknown_code_lists_the_allowed_keys() -> None:
    with pytest.raises(ValueProblem) as problem:
        map_code("Z9", ETHNICITY)
    assert problem.value.reason == "unknown_code"
    assert "'Z9'" in problem.value.message
    assert "'w1'" in problem.value.message


def test_map_code_shortens_a_long_list() -> None:
    table = fold_code_map({f"C{i:02d}": str(i) for i in range(20)})
    with pytest.raises(ValueProblem, match="and 12 more"):
        map_code("X", table)
