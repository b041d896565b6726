"""Edge cases found in review: each once lost or altered data silently."""

from __future__ import annotations

from pathlib import Path

from factories import MakeProject, store_rows
from test_bad_files import HEADER, _mapping, _quarantine, _xlsx

from msht.pipeline.run import run_project


def _one(root: Path, sql: str) -> object:
    (row,) = store_rows(root, sql)
    return next(iter(row.values()))


def test_a_long_quoted_note_is_one_record(make_project: MakeProject) -> None:
    note = "\n".join(f"n{i}," for i in range(60))  # 60 lines: over the old limit of 50
    body = HEADER + f'N1,"{note}",,,,,,\n' + "G2,Nowak,,,,,,\n"
    root = make_project({"src": _mapping()}, {"data/src/a.csv": body})
    s = run_project(root).summary.sources["src"]
    assert (s["rows_in"], s["loaded"], s["quarantined"]) == (2, 2, 0)


def test_a_jsonl_string_may_hold_a_unicode_line_separator(make_project: MakeProject) -> None:
    lines = '{"Ref": "J1", "Name": "Ali\u2028Khan"}\n{"Ref": "J2", "Name": "Li"}\n'
    root = make_project({"src": _mapping("jsonl", "jsonl")}, {"data/src/a.jsonl": lines})
    s = run_project(root).summary.sources["src"]
    assert (s["rows_in"], s["loaded"]) == (2, 2)


def test_xlsx_cells_beyond_the_header_are_quarantined(make_project: MakeProject) -> None:
    header = HEADER.strip().split(",")
    data = _xlsx([header, ["X1", "Smith", *[None] * 6], ["X2", "Jones", *[None] * 6, "stray"]])
    root = make_project({"src": _mapping("xlsx", "xlsx")}, {"data/src/a.xlsx": data})
    s = run_project(root).summary.sources["src"]
    assert (s["loaded"], s["quarantine_reasons"]) == (1, {"wrong_column_count": 1})
    assert _quarantine(root)[0]["source_row"] == 3


def test_a_repeated_column_name_fails_the_source(make_project: MakeProject) -> None:
    body = HEADER.replace("Age", "Name") + "R1,A,,B,,,,\n"
    root = make_project({"src": _mapping()}, {"data/src/a.csv": body})
    result = run_project(root)
    assert result.failed_sources == ["src"]
    assert "repeated" in result.summary.sources["src"]["error"]


def test_an_integer_beyond_int64_is_a_wrong_type(make_project: MakeProject) -> None:
    body = HEADER + "R1,Smith,,99999999999999999999999,,,,\n"
    root = make_project({"src": _mapping()}, {"data/src/a.csv": body})
    assert run_project(root).summary.sources["src"]["quarantine_reasons"] == {"wrong_type": 1}


def test_a_bare_year_is_not_read_as_an_excel_serial(make_project: MakeProject) -> None:
    body = HEADER + "R1,Smith,1990,,,,,\n"
    root = make_project({"src": _mapping()}, {"data/src/a.csv": body})
    s = run_project(root).summary.sources["src"]
    assert s["quarantine_reasons"] == {"unparseable_date": 1}


def test_one_column_feeding_two_code_lists_is_converted_for_each(make_project: MakeProject) -> None:
    mapping = _mapping().replace(
        "      postcode: Postcode\n",
        "      postcode: Postcode\n      sex: {column: Kind, values: {van: unknown}}\n",
    )
    body = HEADER + "R1,Smith,,,,,AB12CDE,van\n"
    root = make_project({"src": mapping}, {"data/src/a.csv": body})
    assert run_project(root).summary.sources["src"]["loaded"] == 1
    assert _one(root, "SELECT vehicle_type FROM vehicle") == "van"
    assert _one(root, "SELECT sex FROM person") == "unknown"


def test_an_unknown_encoding_fails_only_that_source(make_project: MakeProject) -> None:
    root = make_project({"src": _mapping(encoding="utf-9")}, {"data/src/a.csv": HEADER})
    result = run_project(root)
    assert result.failed_sources == ["src"]
    assert "utf-9" in result.summary.sources["src"]["error"]


def test_link_dates_are_checked_only_where_the_link_is_made(make_project: MakeProject) -> None:
    mapping = _mapping().replace("      dob: DOB\n", "") + (
        "links:\n  - {role: drives, from: person, to: vehicle, start: DOB}\n"
    )
    body = HEADER + "R1,Smith,not a date,,,,,\n" + "R2,Jones,not a date,,,,AB12CDE,\n"
    root = make_project({"src": mapping}, {"data/src/a.csv": body})
    s = run_project(root).summary.sources["src"]
    assert (s["loaded"], s["quarantine_reasons"]) == (1, {"unparseable_date": 1})
    assert _quarantine(root)[0]["source_record_id"] == "R2"


NAMES = """
source: src
files: "data/src/*.csv"
format: csv
record_id: Ref
entities:
  person:
    type: Person
    properties:
      full_name: Name
      forenames: {column: Name, transform: forenames}
      surname: Surname
      phone: Phone
      postcode: Postcode
      dob: DOB
"""


def test_null_tokens_are_no_value_even_where_a_fast_path_would_read_them(
    make_project: MakeProject,
) -> None:
    # "None" has the shape of a name, "NULL" of nothing in particular: both mean no value.
    body = "Ref,Name,Surname,Phone,Postcode,DOB\n"
    body += "A1,None,None,null,NULL,None\nA2,John Smith,Smith,07700 900123,ME4 4TZ,01/02/1990\n"
    root = make_project({"src": NAMES}, {"data/src/a.csv": body})
    assert run_project(root).summary.sources["src"]["loaded"] == 2
    rows = store_rows(
        root,
        "SELECT full_name, forenames, surname, phone, postcode, dob FROM person "
        "ORDER BY source_record_id",
    )
    assert list(rows[0].values()) == [None] * 6
    assert list(rows[1].values())[:5] == ["John Smith", "John", "Smith", "+447700900123", "ME4 4TZ"]
