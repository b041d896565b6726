"""Every engine behaves the same: round trips keep Arrow types, and shared SQL gives one result."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pytest
from spark_support import SPARK_MARKS, require_spark

from msht.engine import EngineKind, open_engine
from msht.engine.base import Engine
from msht.errors import EngineError

KINDS = ["duckdb", pytest.param("spark", marks=SPARK_MARKS)]
# Every test runs on both engines; the Spark runs carry the spark and xdist_group marks.
pytestmark = pytest.mark.parametrize("kind", KINDS, indirect=True)

SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("n", pa.int64()),
        ("flag", pa.bool_()),
        ("day", pa.date32()),
        ("tags", pa.list_(pa.string())),
        ("seen_at", pa.timestamp("us")),
    ]
)
ROWS = [
    {
        "id": "a",
        "n": 1,
        "flag": True,
        "day": dt.date(2020, 2, 29),
        "tags": ["x", None, "y"],
        "seen_at": dt.datetime(2024, 3, 31, 1, 30),
    },
    {"id": "b", "n": None, "flag": None, "day": None, "tags": [], "seen_at": None},
    {
        "id": "c",
        "n": -(2**62),
        "flag": False,
        "day": dt.date(1, 1, 1),
        "tags": None,
        "seen_at": dt.datetime(1900, 1, 1),
    },
    {
        "id": None,
        "n": 7,
        "flag": True,
        "day": dt.date(9999, 12, 31),
        "tags": ["é"],
        "seen_at": None,
    },
]
SAMPLE = pa.Table.from_pylist(ROWS, schema=SCHEMA)


def _location(kind: str, folder: Path) -> Path:
    return folder / ("store.duck" if kind == "duckdb" else "store.parquet")


@pytest.fixture
def kind(request: pytest.FixtureRequest) -> EngineKind:
    if request.param == "spark":
        require_spark()
    value: EngineKind = request.param
    return value


@pytest.fixture
def engine(kind: EngineKind, tmp_path: Path) -> Iterator[Engine]:
    store = open_engine(kind, _location(kind, tmp_path))
    store.create_table("sample", SAMPLE)
    yield store
    store.close()


def test_round_trip_keeps_types_and_nulls(engine: Engine) -> None:
    back = engine.query("SELECT * FROM sample ORDER BY id")
    assert back.schema.equals(SCHEMA)
    assert back.to_pylist() == sorted(ROWS, key=lambda r: (r["id"] is None, r["id"] or ""))


def test_empty_table_keeps_schema(engine: Engine) -> None:
    engine.create_table("nothing", SCHEMA.empty_table())
    back = engine.query("SELECT * FROM nothing")
    assert back.num_rows == 0
    assert back.schema.equals(SCHEMA)
    assert engine.scalar("SELECT count(*) FROM nothing") == 0
    assert engine.scalar("SELECT id FROM nothing") is None


def test_create_table_as_replace_and_tables(engine: Engine) -> None:
    engine.create_table_as("flagged", "SELECT id, n FROM sample WHERE flag ORDER BY id")
    assert engine.tables() == ["flagged", "sample"]
    assert engine.query("SELECT * FROM flagged ORDER BY n").to_pylist() == [
        {"id": "a", "n": 1},
        {"id": None, "n": 7},
    ]
    # Replacing a table that the new content is computed from.
    engine.create_table_as("flagged", "SELECT id, n * 2 AS n FROM flagged WHERE id IS NOT NULL")
    assert engine.query("SELECT * FROM flagged").to_pylist() == [{"id": "a", "n": 2}]
    engine.create_table("sample", SAMPLE.slice(0, 1))
    assert engine.scalar("SELECT count(*) FROM sample") == 1


def test_stored_sums_stay_whole_numbers(engine: Engine) -> None:
    # DuckDB's sum of integers is a 128-bit integer, which Parquet cannot hold.
    engine.create_table_as("totals", "SELECT sum(n) AS total, count(*) AS rows FROM sample")
    back = engine.query("SELECT * FROM totals")
    assert back.schema.types == [pa.int64(), pa.int64()]
    assert back.to_pylist() == [{"total": 8 - 2**62, "rows": 4}]


def test_query_result_types_agree(engine: Engine) -> None:
    result = engine.query(
        """
        SELECT count(*) AS rows, count(n) AS with_n, CAST(sum(n) AS BIGINT) AS total,
               min(day) AS first_day, max(seen_at) AS last_seen, bool_or(flag) AS any_flag,
               max(array_length(tags)) AS most_tags, max(year(day)) AS last_year,
               max(length(id)) AS longest_id, max(strpos(id, 'b')) AS b_at,
               list_sort(list(id) FILTER (WHERE id IS NOT NULL)) AS ids
        FROM sample
        """
    )
    assert result.schema.equals(
        pa.schema(
            [
                ("rows", pa.int64()),
                ("with_n", pa.int64()),
                ("total", pa.int64()),
                ("first_day", pa.date32()),
                ("last_seen", pa.timestamp("us")),
                ("any_flag", pa.bool_()),
                ("most_tags", pa.int64()),
                ("last_year", pa.int64()),
                ("longest_id", pa.int64()),
                ("b_at", pa.int64()),
                ("ids", pa.list_(pa.string())),
            ]
        )
    ), result.schema
    assert result.to_pylist() == [
        {
            "rows": 4,
            "with_n": 3,
            "total": 8 - 2**62,
            "first_day": dt.date(1, 1, 1),
            "last_seen": dt.datetime(2024, 3, 31, 1, 30),
            "any_flag": True,
            "most_tags": 3,
            "last_year": 9999,
            "longest_id": 1,
            "b_at": 1,
            "ids": ["a", "b", "c"],
        }
    ]


def test_list_functions_and_null_ordering_agree(engine: Engine) -> None:
    rows = engine.query(
        "SELECT id, list_contains(tags, 'x') AS has_x, tags[1] AS first, tags[-1] AS last, "
        "tags[length(id)] AS computed FROM sample ORDER BY id"
    ).to_pylist()
    assert rows == [
        {"id": "a", "has_x": True, "first": "x", "last": "y", "computed": "x"},
        {"id": "b", "has_x": False, "first": None, "last": None, "computed": None},
        {"id": "c", "has_x": None, "first": None, "last": None, "computed": None},
        {"id": None, "has_x": False, "first": "é", "last": "é", "computed": None},
    ]


def test_scalar(engine: Engine) -> None:
    assert engine.scalar("SELECT count(*) FROM sample WHERE flag") == 2
    assert engine.scalar("SELECT id FROM sample WHERE n > 100") is None


def test_errors_are_engine_errors(engine: Engine) -> None:
    with pytest.raises(EngineError):
        engine.query("SELECT no_such_column FROM sample")
    with pytest.raises(EngineError):
        engine.query("SELECT * FROM no_such_table")


def test_read_only_and_opened_twice(kind: EngineKind, tmp_path: Path) -> None:
    location = _location(kind, tmp_path)
    with open_engine(kind, location) as writer:
        writer.create_table("sample", SAMPLE)
    first = open_engine(kind, location, read_only=True)
    second = open_engine(kind, location, read_only=True)
    assert first.scalar("SELECT count(*) FROM sample") == 4
    assert second.scalar("SELECT count(*) FROM sample") == 4
    with pytest.raises(EngineError):
        first.create_table("other", SAMPLE)
    with pytest.raises(EngineError):
        first.create_table_as("other", "SELECT 1 AS one")
    assert first.tables() == ["sample"]
    first.close()
    # Closing one reader leaves the other working.
    assert second.scalar("SELECT count(*) FROM sample WHERE flag") == 2
    assert second.tables() == ["sample"]
    second.close()


def test_opening_a_missing_store_read_only_fails(kind: EngineKind, tmp_path: Path) -> None:
    with pytest.raises(EngineError, match=r"no \w+ store"):
        open_engine(kind, _location(kind, tmp_path), read_only=True)


DATES = [
    ("01", "03/04/1990", dt.date(1990, 4, 3)),
    ("02", "3/4/1990", dt.date(1990, 4, 3)),
    ("03", "29/02/2020", dt.date(2020, 2, 29)),
    ("04", "29/02/2021", None),  # no such day
    ("05", "31/04/2020", None),
    ("06", "13/13/2020", None),
    ("07", "03/04/90", None),  # two-digit year: DuckDB would read year 90
    ("08", " 03/04/1990", None),  # DuckDB would skip the space
    ("09", "03/04/1990 12:00", None),
    ("10", "1990-04-03", None),
    ("11", "", None),
    ("12", None, None),
    ("13", "00/04/1990", None),
    ("14", "03/04/0990", None),  # years before 1000 are refused on both engines
    ("15", "19900403", None),
]
COMPACT = {"15": dt.date(1990, 4, 3)}  # %Y%m%d wants exactly eight digits


def test_parse_date_sql_gives_the_same_dates(engine: Engine) -> None:
    engine.create_table(
        "raw",
        pa.table(
            {"id": [d[0] for d in DATES], "text": pa.array([d[1] for d in DATES], pa.string())}
        ),
    )
    day_month_year = engine.sql_dialect.parse_date_sql("text", "%d/%m/%Y")
    iso = engine.sql_dialect.parse_date_sql("text", "%Y-%m-%d")
    compact = engine.sql_dialect.parse_date_sql("text", "%Y%m%d")
    result = engine.query(
        f"SELECT id, {day_month_year} AS dmy, {iso} AS iso, {compact} AS compact "
        "FROM raw ORDER BY id"
    )
    assert result.schema.field("dmy").type == pa.date32()
    rows = result.to_pylist()
    assert [(r["id"], r["dmy"]) for r in rows] == [(d[0], d[2]) for d in DATES]
    assert {r["id"]: r["iso"] for r in rows if r["iso"]} == {"10": dt.date(1990, 4, 3)}
    assert {r["id"]: r["compact"] for r in rows if r["compact"]} == COMPACT


def test_compact_dates_need_every_digit(engine: Engine) -> None:
    texts = ["19900403", "1990043", "199043", "19900231", "2020022\N{FULLWIDTH DIGIT NINE}"]
    engine.create_table("raw", pa.table({"text": texts}))
    compact = engine.sql_dialect.parse_date_sql("text", "%Y%m%d")
    rows = engine.query(f"SELECT text, {compact} AS day FROM raw ORDER BY text").to_pylist()
    assert {r["text"]: r["day"] for r in rows} == dict.fromkeys(texts) | {
        "19900403": dt.date(1990, 4, 3)
    }


AGES = [
    ("birthday", dt.date(2000, 6, 15), dt.date(2018, 6, 15), 18),
    ("day before", dt.date(2000, 6, 15), dt.date(2018, 6, 14), 17),
    ("leapling, common year, 28 Feb", dt.date(2004, 2, 29), dt.date(2022, 2, 28), 17),
    ("leapling, common year, 1 Mar", dt.date(2004, 2, 29), dt.date(2022, 3, 1), 18),
    ("leapling, leap year", dt.date(2004, 2, 29), dt.date(2024, 2, 29), 20),
    ("new year's eve", dt.date(1999, 12, 31), dt.date(2000, 1, 1), 0),
    ("before birth", dt.date(2000, 1, 2), dt.date(2000, 1, 1), -1),
    ("unknown", None, dt.date(2000, 1, 1), None),
]


def test_age_in_years_sql_gives_the_same_ages(engine: Engine) -> None:
    engine.create_table(
        "people",
        pa.table(
            {
                "case": [a[0] for a in AGES],
                "dob": pa.array([a[1] for a in AGES], pa.date32()),
                "on_day": pa.array([a[2] for a in AGES], pa.date32()),
            }
        ),
    )
    age = engine.sql_dialect.age_in_years_sql("dob", "on_day")
    result = engine.query(
        f"SELECT \"case\", {age} AS age, date_diff('day', dob, on_day) AS days FROM people"
    )
    assert result.schema.field("age").type == pa.int64()
    assert result.schema.field("days").type == pa.int64()
    got = {r["case"]: r["age"] for r in result.to_pylist()}
    assert got == {a[0]: a[3] for a in AGES}
    days = {r["case"]: r["days"] for r in result.to_pylist()}
    assert days["new year's eve"] == 1 and days["unknown"] is None


def test_rewritten_functions_give_the_same_results(engine: Engine) -> None:
    engine.create_table(
        "items",
        pa.table(
            {
                "k": [1, 2, 3, 4],
                "tags": pa.array([["a", "b"], [], None, ["c"]], pa.list_(pa.string())),
                "pos": pa.array([2, 1, 1, None], pa.int64()),
                "ref": ["AB-12/x", "no match", None, "CD-7"],
            }
        ),
    )
    rows = engine.query(
        "SELECT k, tags[pos] AS at_pos, regexp_extract(ref, '([A-Z]+)-([0-9]+)') AS whole, "
        "regexp_extract(ref, '([A-Z]+)-([0-9]+)', 2) AS number, "
        "regexp_replace(ref, '[0-9]', '#', 'g') AS masked FROM items ORDER BY k"
    ).to_pylist()
    assert rows == [
        {"k": 1, "at_pos": "b", "whole": "AB-12", "number": "12", "masked": "AB-##/x"},
        {"k": 2, "at_pos": None, "whole": "", "number": "", "masked": "no match"},
        {"k": 3, "at_pos": None, "whole": None, "number": None, "masked": None},
        {"k": 4, "at_pos": None, "whole": "CD-7", "number": "7", "masked": "CD-#"},
    ]


def test_chunked_tables_keep_every_row(kind: EngineKind, tmp_path: Path) -> None:
    parts = [pa.table({"a": pa.array(["x"] * n, pa.string())}) for n in (1, 0, 0, 2)]
    with open_engine(kind, tmp_path / f"chunks-{kind}") as engine:
        engine.create_table("t", pa.concat_tables(parts))
        assert engine.scalar("SELECT count(*) AS n FROM t") == 3
