"""A corpus of bad files: each must give its named quarantine reason or source error."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from factories import MakeProject, store_rows

from msht.pipeline.run import run_project

MAPPING = """
source: src
files: "data/src/*.{ext}"
format: {fmt}
encoding: {encoding}
record_id: Ref
entities:
  person:
    type: Person
    properties:
      surname: {{column: Name, required: true}}
      dob: DOB
      age_estimate: Age
      phone: Phone
      postcode: Postcode
  vehicle:
    type: Vehicle
    when: [VRM]
    properties:
      vrm: VRM
      vehicle_type: Kind
"""
HEADER = "Ref,Name,DOB,Age,Phone,Postcode,VRM,Kind\n"
GOOD = "G1,Okafor,01/02/1990,,07700 900001,ME4 4TZ,AB12 CDE,van\n"

# (case, bad line, expected reason, expected field)
ROW_CASES = [
    ("unparseable date", "B1,Smith,31/02/2020,,,,,\n", "unparseable_date", "DOB"),
    ("missing required field", "B1,,01/01/1990,,,,,\n", "missing_required_field", "Name"),
    ("missing record id", ",Smith,01/01/1990,,,,,\n", "missing_required_field", "Ref"),
    ("wrong type", "B1,Smith,,thirty,,,,\n", "wrong_type", "Age"),
    ("broken quoting", 'B1,"Smith"x,,,,,,\n', "broken_quoting", "(row)"),
    ("wrong column count", "B1,Smith,,,\n", "wrong_column_count", "(row)"),
    ("over-long field", "B1," + "x" * 600 + ",,,,,,\n", "over_long_field", "Name"),
    ("invalid postcode", "B1,Smith,,,,NOT A POSTCODE,,\n", "invalid_postcode", "Postcode"),
    ("invalid phone", "B1,Smith,,,12,,,\n", "invalid_phone", "Phone"),
    ("invalid VRM", "B1,Smith,,,,,!!,\n", "invalid_vrm", "VRM"),
    ("unknown code", "B1,Smith,,,,,AB12CDE,hovercraft\n", "unknown_code", "Kind"),
    ("duplicate record id", "G1,Smith,,,,,,\n", "duplicate_record_id", "Ref"),
]


def _mapping(fmt: str = "csv", ext: str = "csv", encoding: str = "auto") -> str:
    return MAPPING.format(fmt=fmt, ext=ext, encoding=encoding)


def _quarantine(root: Path) -> list[dict[str, object]]:
    return store_rows(root, "SELECT * FROM quarantine ORDER BY source_row")


@pytest.mark.parametrize(
    ("case", "line", "reason", "field"), ROW_CASES, ids=[c[0] for c in ROW_CASES]
)
def test_bad_row_is_quarantined_with_reason(
    make_project: MakeProject, case: str, line: str, reason: str, field: str
) -> None:
    after = "G2,Nowak,03/04/1985,,,,,\n"
    root = make_project({"src": _mapping()}, {"data/src/a.csv": HEADER + GOOD + line + after})
    s = run_project(root).summary.sources["src"]
    assert s["rows_in"] == 3 == s["loaded"] + s["quarantined"]
    assert s["quarantine_reasons"] == {reason: 1}, case
    (q,) = _quarantine(root)
    assert (q["source_file"], q["source_row"], q["field"], q["reason"]) == (
        "data/src/a.csv",
        3,
        field,
        reason,
    )
    assert q["raw"]  # the row is kept, never lost


def test_undecodable_bytes_in_declared_utf8(make_project: MakeProject) -> None:
    data = (HEADER + GOOD).encode() + b"B1,Sm\xffith,,,,,,\n" + "G2,Zoë,,,,,,\n".encode()
    root = make_project({"src": _mapping(encoding="utf-8")}, {"data/src/a.csv": data})
    s = run_project(root).summary.sources["src"]
    assert s["quarantine_reasons"] == {"undecodable_bytes": 1}
    (q,) = _quarantine(root)
    assert q["source_row"] == 3 and "\\xff" in str(q["raw"])


def test_auto_encoding_reads_cp1252(make_project: MakeProject) -> None:
    data = (HEADER + "C1,Renée,,,,,,\n").encode("cp1252")
    root = make_project({"src": _mapping()}, {"data/src/a.csv": data})
    assert run_project(root).summary.sources["src"]["loaded"] == 1
    assert store_rows(root, "SELECT surname FROM person") == [{"surname": "Renée"}]


def test_auto_encoding_utf8_bom(make_project: MakeProject) -> None:
    data = b"\xef\xbb\xbf" + (HEADER + "C1,Zoë,,,,,,\n").encode()
    root = make_project({"src": _mapping()}, {"data/src/a.csv": data})
    assert run_project(root).summary.sources["src"]["loaded"] == 1


def test_unclosed_quote_loses_no_following_rows(make_project: MakeProject) -> None:
    body = HEADER + 'B1,"Smith,,,,,,\n' + "".join(f"G{i},Name{i},,,,,,\n" for i in range(2, 80))
    root = make_project({"src": _mapping()}, {"data/src/a.csv": body})
    s = run_project(root).summary.sources["src"]
    assert s["quarantine_reasons"] == {"broken_quoting": 1}
    assert s["loaded"] == 78


def test_invalid_json_line_is_quarantined(make_project: MakeProject) -> None:
    lines = '{"Ref": "J1", "Name": "Ali"}\n{"Ref": "J2", "Name": \n{"Ref": "J3", "Name": "Li"}\n'
    root = make_project({"src": _mapping("jsonl", "jsonl")}, {"data/src/a.jsonl": lines})
    s = run_project(root).summary.sources["src"]
    assert (s["loaded"], s["quarantine_reasons"]) == (2, {"invalid_json": 1})
    assert _quarantine(root)[0]["source_row"] == 2


def _xlsx(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def test_xlsx_formula_text_is_kept_as_text(make_project: MakeProject) -> None:
    header = HEADER.strip().split(",")
    data = _xlsx([header, ["X1", '=HYPERLINK("http://x")', None, None, None, None, None, None]])
    as_text = _mapping("xlsx", "xlsx").replace(
        "required: true}", "required: true, transform: string}"
    )
    root = make_project({"src": as_text}, {"data/src/a.xlsx": data})
    assert run_project(root).summary.sources["src"]["loaded"] == 1
    assert store_rows(root, "SELECT surname FROM person") == [{"surname": '=HYPERLINK("http://x")'}]


# (case, mapping kwargs, file name, content, words the error must contain)
SOURCE_CASES = [
    ("missing column", {}, "a.csv", "Ref,Name,DOB\nR1,X,\n", ["a.csv", "Phone"]),
    (
        "wrong delimiter",
        {},
        "a.csv",
        HEADER.replace(",", ";") + "R1;X;;;;;;\n",
        ["a.csv", "delimiter"],
    ),
    ("empty file", {}, "a.csv", "", ["a.csv", "empty"]),
    (
        "xlsx that is not a workbook",
        {"fmt": "xlsx", "ext": "xlsx"},
        "a.xlsx",
        HEADER,
        ["a.xlsx", "XLSX"],
    ),
    (
        "json that is not json",
        {"fmt": "json", "ext": "json"},
        "a.json",
        "{oops",
        ["a.json", "JSON"],
    ),
    (
        "json without record id",
        {"fmt": "json", "ext": "json"},
        "a.json",
        '[{"Name": "X"}]',
        ["a.json", "Ref"],
    ),
    ("no matching file", {}, "other.txt", "x", ["no file matches"]),
]


@pytest.mark.parametrize(
    ("case", "kw", "name", "content", "words"), SOURCE_CASES, ids=[c[0] for c in SOURCE_CASES]
)
def test_unusable_source_fails_alone_with_clear_error(
    make_project: MakeProject,
    case: str,
    kw: dict[str, str],
    name: str,
    content: str,
    words: list[str],
) -> None:
    ok = _mapping().replace("source: src", "source: ok").replace("data/src", "data/ok")
    root = make_project(
        {"src": _mapping(**kw), "ok": ok},
        {f"data/src/{name}": content, "data/ok/a.csv": HEADER + GOOD},
    )
    result = run_project(root)
    assert result.failed_sources == ["src"], case
    error = result.summary.sources["src"]["error"]
    for word in words:
        assert word in error, (case, error)
    assert result.summary.sources["ok"]["loaded"] == 1


def test_repeated_record_ids_first_good_occurrence_wins(make_project: MakeProject) -> None:
    # G3 first appears on a bad row, which must not claim the id; G1 repeats in a later file;
    # two rows without an id are each missing, not duplicates of one another; G5 is bad in
    # the first file, so the second file's G5 is its first good occurrence.
    first = HEADER + GOOD + "G3,Smith,31/02/2020,,,,,\nG3,Smith,,,,,,\n,A,,,,,,\n,B,,,,,,\n"
    first += "G5,Smith,31/02/2020,,,,,\n"
    second = HEADER + "G1,Nowak,,,,,,\nG4,Nowak,,,,,,\nG3,Nowak,,,,,,\nG4,Nowak,,,,,,\n"
    second += "G5,Nowak,,,,,,\n"
    root = make_project({"src": _mapping()}, {"data/src/a.csv": first, "data/src/b.csv": second})
    s = run_project(root).summary.sources["src"]
    assert (s["rows_in"], s["loaded"]) == (11, 4)
    assert s["quarantine_reasons"] == {
        "duplicate_record_id": 3,
        "missing_required_field": 2,
        "unparseable_date": 2,
    }
    where = [(q["source_file"], q["source_row"], q["reason"]) for q in _quarantine(root)]
    assert sorted(where) == [
        ("data/src/a.csv", 3, "unparseable_date"),
        ("data/src/a.csv", 5, "missing_required_field"),
        ("data/src/a.csv", 6, "missing_required_field"),
        ("data/src/a.csv", 7, "unparseable_date"),
        ("data/src/b.csv", 2, "duplicate_record_id"),
        ("data/src/b.csv", 4, "duplicate_record_id"),
        ("data/src/b.csv", 5, "duplicate_record_id"),
    ]
