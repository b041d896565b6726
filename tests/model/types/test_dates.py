from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from msht.errors import ValueProblem
from msht.model.types.dates import DATE_STYLES, format_date, parse_date

MONTHS = ["", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
FULL_MONTHS = ["", "January", "February", "March", "April", "May", "June", "July"]
FULL_MONTHS += ["August", "September", "October", "November", "December"]

days = st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31))


def excel_serial(d: date) -> int:
    """Reference: Excel counts a 1900-02-29 that never was, so later dates are one more."""
    serial = (d - date(1899, 12, 31)).days
    return serial + 1 if d >= date(1900, 3, 1) else serial


def written_forms(d: date) -> list[str]:
    return [
        f"{d:%d/%m/%Y}",
        f"{d.day}/{d.month}/{d.year}",
        f"{d:%d-%m-%Y}",
        f"{d:%d.%m.%Y}",
        f"{d:%d/%m/%Y} 14:05",
        f"{d:%d/%m/%Y} 09:30:59",
        d.isoformat(),
        f"{d.isoformat()}T10:11:12Z",
        f"{d.isoformat()} 10:11:12",
        str(excel_serial(d)),
        f"{excel_serial(d)}.75",
        f"{d.day} {MONTHS[d.month]} {d.year}",
        f"{d.day:02d}-{MONTHS[d.month].upper()}-{d.year}",
        f"{d.day} {FULL_MONTHS[d.month]} {d.year}",
        f"  {d:%d/%m/%Y}\t",
    ]


@given(days)
def test_every_written_form_gives_the_date_back(d: date) -> None:
    for text in written_forms(d):
        assert parse_date(text) == d, text


@given(days)
def test_compact_form_with_its_style(d: date) -> None:
    assert parse_date(f"{d:%Y%m%d}", styles=("ymd_compact",)) == d


@given(st.integers(min_value=0, max_value=99), st.data())
def test_two_digit_years_round_trip_inside_the_pivot_window(
    pivot: int, data: st.DataObject
) -> None:
    d = data.draw(
        st.dates(min_value=date(1901 + pivot, 1, 1), max_value=date(2000 + pivot, 12, 31))
    )
    assert parse_date(f"{d.day}/{d.month}/{d:%y}", pivot=pivot) == d


@given(days.filter(lambda d: d.day > 12))
def test_never_reads_month_first(d: date) -> None:
    with pytest.raises(ValueProblem) as problem:
        parse_date(f"{d.month:02d}/{d.day:02d}/{d.year}")
    assert problem.value.reason == "unparseable_date"


@given(st.text(max_size=30))
def test_any_text_gives_a_date_or_a_value_problem(text: str) -> None:
    try:
        result = parse_date(text, styles=DATE_STYLES)
    except ValueProblem as problem:
        assert problem.reason == "unparseable_date"
    else:
        assert isinstance(result, date)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("03/03/2021", date(2021, 3, 3)),
        ("3/3/2021", date(2021, 3, 3)),
        ("3/3/21", date(2021, 3, 3)),
        ("3/3/31", date(1931, 3, 3)),
        ("3/3/30", date(2030, 3, 3)),
        ("03-03-2021", date(2021, 3, 3)),
        ("03.03.2021", date(2021, 3, 3)),
        ("03/03/2021 14:05", date(2021, 3, 3)),
        ("03/03/2021 14:05:33", date(2021, 3, 3)),
        ("3 Mar 2021", date(2021, 3, 3)),
        ("03-Mar-2021", date(2021, 3, 3)),
        ("3 March 2021", date(2021, 3, 3)),
        ("3rd March 2021", date(2021, 3, 3)),
        ("2021-03-03", date(2021, 3, 3)),
        ("2021-03-03T23:59:59+01:00", date(2021, 3, 3)),
        ("2021-03-03 10:00:00", date(2021, 3, 3)),
        ("44562", date(2022, 1, 1)),
        ("44562.5", date(2022, 1, 1)),
        ("1", date(1900, 1, 1)),
        ("59", date(1900, 2, 28)),
        ("61", date(1900, 3, 1)),
        ("2958465", date(9999, 12, 31)),
    ],
)
def test_documented_examples(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "31/02/2020",
        "29/02/2021",
        "03/13/2021",
        "60",  # Excel's fake 1900-02-29
        "0",
        "2958466",
        "03/03-2021",
        "3 Foo 2021",
        "20210303",  # ymd_compact is not a default style
        "2021/03/03",
        "yesterday",
    ],
)
def test_rejects_with_unparseable_date(text: str) -> None:
    with pytest.raises(ValueProblem) as problem:
        parse_date(text)
    assert problem.value.reason == "unparseable_date"
    assert repr(text) in problem.value.message


def test_pivot_is_configurable() -> None:
    assert parse_date("1/1/50", pivot=50) == date(2050, 1, 1)
    assert parse_date("1/1/51", pivot=50) == date(1951, 1, 1)


def test_explicit_formats_are_tried_first() -> None:
    assert parse_date("2021|03|04", formats=("%Y|%m|%d",)) == date(2021, 3, 4)
    assert parse_date("04/03/2021", formats=("%Y|%m|%d",)) == date(2021, 3, 4)


def test_only_the_given_styles_are_used() -> None:
    with pytest.raises(ValueProblem):
        parse_date("44562", styles=("dmy", "iso"))


def test_an_unknown_style_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="mdy"):
        parse_date("01/02/2003", styles=("mdy",))


@given(days)
def test_format_date_is_iso_and_parses_back(d: date) -> None:
    assert format_date(d) == d.isoformat()
    assert parse_date(format_date(d)) == d


def test_excel_reference_agrees_with_the_known_epoch() -> None:
    assert date(1899, 12, 30) + timedelta(days=44562) == date(2022, 1, 1)
    assert excel_serial(date(2022, 1, 1)) == 44562
