"""Each Arrow fast path gives its Python normaliser's answer wherever it gives one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pyarrow as pa
from hypothesis import given
from hypothesis import strategies as st

from msht.errors import ValueProblem
from msht.model.types import arrow
from msht.model.types.dates import parse_date
from msht.model.types.names import clean_name, split_name
from msht.model.types.phones import normalise_phone
from msht.model.types.postcodes import normalise_postcode


# Text made of the characters these shapes are built from, so near misses are common.
def _texts(alphabet: str, max_size: int = 22) -> st.SearchStrategy[str]:
    return st.text(alphabet=alphabet, max_size=max_size)


def _python(normalise: Callable[[str], object], text: str) -> object:
    try:
        return normalise(text)
    except ValueProblem:
        return None


def _agree(fast: pa.Array, texts: list[str], normalise: Callable[[str], object]) -> None:
    """Assert agreement wherever the fast path answered."""
    for text, value in zip(texts, fast.to_pylist(), strict=True):
        if value is not None:
            assert value == _python(normalise, text), text


phone_like = st.one_of(
    _texts("0123456789 +()-./\t\u00a0x"),
    st.from_regex(r"(\+44 ?(\(0\))?|0044 ?|0)[1-9][0-9]{3} ?[0-9]{3} ?[0-9]{3}", fullmatch=True),
)


@given(st.lists(phone_like, max_size=30))
def test_uk_phones_agree_with_normalise_phone(texts: list[str]) -> None:
    _agree(arrow.uk_phones(pa.array(texts, pa.string())), texts, normalise_phone)


def test_uk_phones_handles_the_common_forms() -> None:
    texts = ["07700 900123", "+44 (0)7700 900123", "0044 7700-900-123", "(01622) 690690"]
    fast = arrow.uk_phones(pa.array(texts))
    assert fast.to_pylist() == ["+447700900123"] * 3 + ["+441622690690"]
    assert arrow.uk_phones(pa.array(["0762 12", "07700 900123 x2", ""])).null_count == 3


postcode_like = st.one_of(
    _texts("ABCDEGMNOSWZ0123456789 ", 9),
    st.from_regex(r"[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}", fullmatch=True),
)


@given(st.lists(postcode_like, max_size=30))
def test_uk_postcodes_agree_with_normalise_postcode(texts: list[str]) -> None:
    _agree(arrow.uk_postcodes(pa.array(texts, pa.string())), texts, normalise_postcode)


date_like = st.one_of(
    _texts("0123456789/-: ", 19),
    st.from_regex(
        r"[0-3][0-9]/[01][0-9]/[0-9]{4}( [0-2][0-9]:[0-5][0-9](:[0-5][0-9])?)?", fullmatch=True
    ),
    st.dates().map(lambda d: d.isoformat()),
    st.builds(lambda d, sep: d.isoformat(sep=sep), st.datetimes(), st.sampled_from("T ")),
    st.from_regex(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9:.Z+\-]{0,12}", fullmatch=True),
    st.dates().map(lambda d: d.strftime("%d/%m/%Y")),
)
STYLES = [("dmy", "iso"), ("iso", "dmy"), ("dmy",), ("iso",), ("excel", "ymd_compact")]


@given(st.lists(date_like, max_size=30), st.sampled_from(STYLES))
def test_dates_agree_with_parse_date(texts: list[str], styles: tuple[str, ...]) -> None:
    fast = arrow.dates(pa.array(texts, pa.string()), styles, ())
    assert fast is not None
    _agree(fast, texts, lambda t: parse_date(t, styles=styles))


def test_dates_handles_the_common_forms_and_leaves_impossible_ones() -> None:
    texts = ["03/04/1990", "1990-04-03", "03/04/1990 14:05", "1990-04-03T08:32:00"]
    texts += ["29/02/2021", "00/01/2020", "3/4/90", "1990-04-03 8:32"]
    fast = arrow.dates(pa.array(texts), ("dmy", "iso"), ())
    assert fast is not None
    assert fast.to_pylist() == [dt.date(1990, 4, 3)] * 4 + [None] * 4
    assert arrow.dates(pa.array(texts), ("dmy",), ("%d/%m/%Y",)) is None


word = st.from_regex(
    r"[A-Z][a-z]{1,8}|[A-Z]{2,6}|[a-z]{2,5}|Mr|MRS|Lady|de|Mc[A-Z][a-z]+", fullmatch=True
)
name_like = st.one_of(
    st.lists(word, min_size=1, max_size=4).map(" ".join),
    st.builds(lambda s, f: f"{s}, {' '.join(f)}", word, st.lists(word, min_size=1, max_size=3)),
    _texts("AbCdeZz ,'-", 16),
)
ORDERS = ["auto", "forenames_first", "surname_first"]


@given(st.lists(name_like, max_size=30), st.sampled_from(ORDERS))
def test_names_agree_with_clean_name_and_split_name(texts: list[str], order: str) -> None:
    array = pa.array(texts, pa.string())
    _agree(arrow.names(array, "name", order), texts, clean_name)
    _agree(arrow.names(array, "forenames", order), texts, lambda t: split_name(t, order)[0])
    _agree(arrow.names(array, "surname", order), texts, lambda t: split_name(t, order)[1])


def test_names_handles_the_common_forms() -> None:
    texts = pa.array(
        ["WARREN, Simon", "Ann Marie Jones", "Simon", "Mr John Smith", "McDONALD, Ian"]
    )
    assert arrow.names(texts, "name").to_pylist() == [
        "Warren Simon",
        "Ann Marie Jones",
        "Simon",
        None,
        None,
    ]
    assert arrow.names(texts, "forenames").to_pylist() == ["Simon", "Ann Marie", None, None, None]
    assert arrow.names(texts, "surname").to_pylist() == ["Warren", "Jones", "Simon", None, None]
    assert arrow.names(texts, "surname", "surname_first").to_pylist() == [
        None,
        "Ann",
        "Simon",
        None,
        None,
    ]
