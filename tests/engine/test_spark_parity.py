"""The same project run on DuckDB and on Spark gives the same POLE store, table for table."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
from typing import TYPE_CHECKING, Any

import pyarrow as pa
from openpyxl import Workbook
from spark_support import SPARK_MARKS, require_spark

from msht.engine.base import Engine
from msht.engine.warehouse import Warehouse
from msht.pipeline.run import run_project

if TYPE_CHECKING:  # only a type: `import conftest` may name another folder's conftest.py
    from factories import MakeProject

pytestmark = list(SPARK_MARKS)

PEOPLE = """
source: people
files: "data/people/*.csv"
format: csv
record_id: Ref
entities:
  person:
    type: Person
    properties:
      forenames: {column: Name, transform: forenames}
      surname: {column: Name, transform: surname}
      aliases: {column: Aliases, split: ";"}
      languages: {column: Languages, split: ";"}
      dob: DOB
      age_estimate: Age
      sex: {column: Sex, values: {M: male, F: female}}
      phone: Phone
  home:
    type: Address
    when: [Postcode]
    properties:
      full_text: {column: Address}
      postcode: Postcode
  crime:
    type: CrimeReport
    properties:
      reference: Ref
      narrative: Notes
links:
  - {role: resident-at, from: person, to: home}
  - {role: victim, from: person, to: crime}
"""
PEOPLE_CSV = (
    "Ref,Name,Aliases,Languages,DOB,Age,Sex,Phone,Address,Postcode,Notes\n"
    'R1,"SMITH, John",Johnny;J Smith,English,03/04/1990,,M,07700 900123,'
    '"1 High St, Chatham",me4 4tz,=1+1 looks like a formula\n'
    'R2,Anna Nowak,,Polish;English,1985-12-01,38,F,,,,"multi\nline note"\n'
    "R3,Bad Date,,,31/02/2020,,F,,,,\n"
    "R4,Ion Popescu,Ionut,,,,M,,,,\n"
    'R5,"SMITH, Jane",,,05/06/1992,,F,,"1 High St, Chatham",ME4 4TZ,\n'
)

VISITS = """
source: visits
files: "data/visits/*.jsonl"
format: jsonl
record_id: ref
entities:
  visit:
    type: PartnerVisit
    properties:
      reference: ref
      visit_date: date
      agency: {column: agency, values: {GLAA: glaa, Council: local_authority}}
      workers_engaged: workers
      concerns_raised: concerns
  site:
    type: Premises
    properties:
      business_name: business
      sector: {column: sector, values: {nails: nail_bar, "car wash": hand_car_wash}}
      postcode: postcode
links:
  - {role: happened-at, from: visit, to: site}
"""
VISITS_JSONL = "\n".join(
    json.dumps(record)
    for record in [
        {
            "ref": "V1",
            "date": "2024-05-01",
            "agency": "GLAA",
            "workers": 6,
            "concerns": True,
            "business": "Shiny Nails",
            "sector": "nails",
            "postcode": "CT1 1AA",
        },
        {
            "ref": "V2",
            "date": "02/05/2024",
            "agency": "Council",
            "workers": 0,
            "concerns": "no",
            "business": "Quick Wash",
            "sector": "car wash",
            "postcode": "ME4 4TZ",
        },
        {"ref": "V3", "date": "2024-05-03", "agency": "GLAA", "workers": "many", "business": "X"},
    ]
)

VEHICLES = """
source: vehicles
files: "data/vehicles/*.xlsx"
format: xlsx
record_id: Ref
dates: {styles: [dmy, iso, excel]}
entities:
  driver:
    type: Person
    properties:
      full_name: Driver
      dob: DOB
  car:
    type: Vehicle
    properties:
      vrm: VRM
      make: Make
      colour: Colour
links:
  - {role: drives, from: driver, to: car}
"""


def _vehicles_xlsx() -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Ref", "Driver", "DOB", "VRM", "Make", "Colour"])
    sheet.append(["C1", "Anna Nowak", dt.datetime(1985, 12, 1), "ab12 cde", "Ford", "Blue"])
    sheet.append(["C2", "Ion Popescu", "1979-07-14", "XY19ZZZ", "Vauxhall", None])
    sheet.append(["C3", "Nobody Known", 31000, "KM65 ABC", None, "Red"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _rows(store: Engine, table: str) -> tuple[pa.Schema, list[dict[str, Any]]]:
    data = store.query(f'SELECT * FROM "{table}"')
    if "run_id" in data.column_names:
        data = data.drop_columns(["run_id"])
    rows = sorted(data.to_pylist(), key=lambda r: json.dumps(r, default=str, sort_keys=True))
    return data.schema, rows


def test_duckdb_and_spark_build_the_same_store(make_project: MakeProject) -> None:
    require_spark()
    root = make_project(
        {"people": PEOPLE, "visits": VISITS, "vehicles": VEHICLES},
        {
            "data/people/a.csv": PEOPLE_CSV,
            "data/visits/v.jsonl": VISITS_JSONL,
            "data/vehicles/cars.xlsx": _vehicles_xlsx(),
            # flag the crime victims, so groups, reach and flags are compared with rows
            "rules/network.yaml": "flags: [{id: victims, event: CrimeReport, roles: [victim]}]\n",
        },
    )
    spark_root = root.parent / "project-spark"
    shutil.copytree(root, spark_root)

    on_duckdb = run_project(root, engine="duckdb")
    on_spark = run_project(spark_root, engine="spark")
    assert on_spark.summary.sources == on_duckdb.summary.sources
    assert on_duckdb.summary.sources["people"]["quarantined"] == 1
    assert not on_duckdb.failed_sources

    duck = Warehouse(root / "store", "duckdb").open_current()
    spark = Warehouse(spark_root / "store", "spark").open_current()
    assert duck is not None and spark is not None
    try:
        assert spark.tables() == duck.tables()
        assert {"person", "vehicle", "partner_visit", "premises", "link", "quarantine"} <= set(
            duck.tables()
        )
        filled = 0
        for table in duck.tables():
            duck_schema, duck_rows = _rows(duck, table)
            spark_schema, spark_rows = _rows(spark, table)
            assert spark_schema.equals(duck_schema), table
            assert spark_rows == duck_rows, table
            filled += bool(duck_rows)
        assert filled >= 8  # the comparison covered real rows, not only empty tables
        for table in (
            "network_flagged",
            "network_group",
            "network_group_member",
            "network_edge",
            "network_place",
            "network_address",
            "network_object",
            "network_premises",
            "network_reach",
        ):
            assert duck.scalar(f"SELECT count(*) FROM {table}") > 0, table
        people = duck.query("SELECT aliases FROM person WHERE aliases IS NOT NULL")
        assert ["Johnny", "J Smith"] in people.column("aliases").to_pylist()
        # A second reader of the same version has its own views: closing it changes nothing.
        again = Warehouse(spark_root / "store", "spark").open_current()
        assert again is not None
        assert again.scalar("SELECT count(*) FROM person") == duck.scalar(
            "SELECT count(*) FROM person"
        )
        again.close()
        assert spark.scalar("SELECT count(*) FROM vehicle") == 3
    finally:
        duck.close()
        spark.close()
