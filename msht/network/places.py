"""Where each address and premises is: its sector (premises) and police division.

Sources rarely say the division. A place's division is the one its records give, else the
division of its district (the project's `divisions`) as its records or the events that
happened there (crimes, intelligence reports) give it, else the division most places of its
postcode district (the outward code, "CT20") are in: learnt from the places whose district
is known, such as crime locations, so no postcode lookup is needed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from msht.engine.base import Engine
from msht.engine.dialect import text_literal
from msht.network.tables import PLACES


def _districts(divisions: Mapping[str, Sequence[str]]) -> str:
    rows = [
        f"SELECT {text_literal(d)} AS district, {text_literal(division)} AS division"
        for division, districts in divisions.items()
        for d in districts
    ]
    return " UNION ALL ".join(rows) or (
        "SELECT CAST(NULL AS VARCHAR) AS district, CAST(NULL AS VARCHAR) AS division WHERE false"
    )


#: Event tables with a district: where they happened says where the place is.
EVENT_DISTRICTS = ("crime_report", "intelligence_report")


def _event_districts(tables: set[str]) -> str:
    parts = [
        f"SELECT l.to_id AS record_id, e.district FROM link l JOIN {table} e "
        "ON e.id = l.from_id WHERE l.role = 'happened-at' AND e.district IS NOT NULL"
        for table in EVENT_DISTRICTS
        if table in tables
    ]
    rows = " UNION ALL ".join(parts) or (
        "SELECT CAST(NULL AS VARCHAR) AS record_id, CAST(NULL AS VARCHAR) AS district WHERE false"
    )
    return f"SELECT record_id, min(district) AS district FROM ({rows}) h GROUP BY record_id"


def places_sql(tables: set[str], divisions: Mapping[str, Sequence[str]]) -> str | None:
    """SQL of `PLACES` (entity_id, entity_type, sector, division); None without places."""
    parts = [
        f"""SELECT r.entity_id, '{entity_type}' AS entity_type, {sector} AS sector,
                   x.division, coalesce(x.district, h.district) AS district,
                   split_part(x.postcode, ' ', 1) AS outward
            FROM resolved_record r JOIN {table} x ON x.id = r.record_id
            LEFT JOIN happened h ON h.record_id = r.record_id
            WHERE r.entity_type = '{entity_type}'"""
        for entity_type, table, sector in (
            ("Premises", "premises", "x.sector"),
            ("Address", "address", "CAST(NULL AS VARCHAR)"),
        )
        if table in tables
    ]
    if not parts:
        return None
    return f"""
WITH happened AS ({_event_districts(tables)}),
records AS ({" UNION ALL ".join(parts)}),
districts AS ({_districts(divisions)}),
known AS (
  SELECT r.entity_id, r.entity_type, r.sector, r.outward, r.division AS given,
         d.division AS by_district, coalesce(r.division, d.division) AS division
  FROM records r LEFT JOIN districts d ON d.district = r.district
),
votes AS (
  SELECT outward, division, count(*) AS n FROM known
  WHERE division IS NOT NULL AND outward IS NOT NULL AND outward <> ''
  GROUP BY outward, division
),
ranked AS (
  SELECT outward, division,
         row_number() OVER (PARTITION BY outward ORDER BY n DESC, division) AS place
  FROM votes
)
SELECT k.entity_id, min(k.entity_type) AS entity_type, min(k.sector) AS sector,
       coalesce(min(k.given), min(k.by_district), min(o.division)) AS division
FROM known k LEFT JOIN ranked o ON o.outward = k.outward AND o.place = 1
GROUP BY k.entity_id
"""


def build_places(engine: Engine, divisions: Mapping[str, Sequence[str]]) -> None:
    """Write `PLACES` (empty of rows when the store has no place tables)."""
    sql = places_sql(set(engine.tables()), divisions) or (
        "SELECT CAST(NULL AS VARCHAR) AS entity_id, CAST(NULL AS VARCHAR) AS entity_type, "
        "CAST(NULL AS VARCHAR) AS sector, CAST(NULL AS VARCHAR) AS division WHERE false"
    )
    engine.create_table_as(PLACES, sql)
