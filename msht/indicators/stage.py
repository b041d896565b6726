"""The indicators stage of a run: every free-text field of every event record scanned, each
sign found written to `indicator_hit` with its provenance, date, 3x5x2 grading and whom it
is about (the person record named first in its sentence, if any).

Free-text fields are the event properties of type `text` in the POLE model (crime MOs,
intelligence narratives, custody notes, visit findings, public reports, NRM and MS1
accounts). The matcher is Python, so texts are read from the engine as Arrow, in order.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import pyarrow as pa

from msht.engine.base import Engine
from msht.indicators.matcher import Matcher, sentence_around
from msht.indicators.subjects import about, candidates
from msht.model.events import DUTY_TO_NOTIFY, EVENT_TYPES
from msht.model.schema import Schema, pole_schema

#: One row per sign found in a field of a record.
HITS = "indicator_hit"
HITS_SCHEMA = pa.schema(
    [
        ("record_id", pa.string()),
        ("event_type", pa.string()),
        ("source", pa.string()),
        ("source_record_id", pa.string()),
        ("field", pa.string()),
        ("indicator_id", pa.string()),
        ("span_start", pa.int64()),
        ("span_end", pa.int64()),
        ("text", pa.string()),
        ("event_date", pa.date32()),
        ("source_evaluation", pa.string()),
        ("intelligence_assessment", pa.string()),
        ("handling_code", pa.string()),
        ("about", pa.string()),
        ("about_role", pa.string()),
    ]
)
_GRADES = ("source_evaluation", "intelligence_assessment", "handling_code")


def text_fields(schema: Schema) -> dict[str, tuple[str, str, list[str]]]:
    """Event type → (table, date SQL, its free-text properties)."""
    dates = {t: (table, date) for t, (table, date) in EVENT_TYPES.items()}
    dates[DUTY_TO_NOTIFY[0]] = DUTY_TO_NOTIFY[1:]
    found = {}
    for name, entity in schema.entities.items():
        texts = [p for p, d in entity.properties.items() if d.type == "text"]
        if entity.category == "event" and texts and name in dates:
            found[name] = (dates[name][0], dates[name][1], texts)
    return found


@dataclass(frozen=True)
class IndicatorReport:
    """What the stage scanned and found, for the run summary."""

    texts: int
    hits: int
    seconds: float

    def as_summary(self) -> dict[str, object]:
        """The `indicators` section of summary.json."""
        return {"texts": self.texts, "hits": self.hits, "seconds": round(self.seconds, 3)}


def _scan(
    engine: Engine,
    matcher: Matcher,
    event_type: str,
    table: str,
    date: str,
    field: str,
    rows: dict[str, list[object]],
) -> int:
    grades = ", ".join(
        f"e.{g}" if table == "intelligence_report" else f"CAST(NULL AS VARCHAR) AS {g}"
        for g in _GRADES
    )
    data = engine.query(
        f"SELECT e.id, e.source, e.source_record_id, e.{field} AS body, "
        f"CAST({date} AS DATE) AS event_date, {grades} "
        f"FROM {table} e WHERE e.{field} IS NOT NULL ORDER BY e.id"
    ).to_pylist()
    people = candidates(engine, table)
    for r in data:
        body = str(r["body"])
        for m in matcher.find(body):
            start, end = sentence_around(body, m.start)
            mention = (m.start - start, m.end - start)
            person = about(body[start:end], people.get(r["id"], ()), mention) or (None, None)
            values = (
                r["id"],
                event_type,
                r["source"],
                r["source_record_id"],
                field,
                m.indicator_id,
                m.start,
                m.end,
                m.text,
                r["event_date"],
                *(r[g] for g in _GRADES),
                *person,
            )
            for name, value in zip(HITS_SCHEMA.names, values, strict=True):
                rows[name].append(value)
    return len(data)


def scan_project(engine: Engine, matcher: Matcher) -> IndicatorReport:
    """Write `HITS` from every free-text field the store has."""
    start = time.perf_counter()
    tables = set(engine.tables())
    rows: dict[str, list[object]] = {name: [] for name in HITS_SCHEMA.names}
    texts = 0
    for event_type, (table, date, fields) in text_fields(pole_schema()).items():
        if table in tables:
            for field in fields:
                texts += _scan(engine, matcher, event_type, table, date, field, rows)
    hits = pa.table(rows, schema=HITS_SCHEMA)
    engine.create_table(HITS, hits)
    return IndicatorReport(texts, hits.num_rows, time.perf_counter() - start)
