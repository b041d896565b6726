"""How many truly matching pairs the blocking rules compare (recall of blocking).

A pair the rules never compare can never be linked, however good the model; so this is the
ceiling of pairwise recall, measured against a truth file.
"""

from __future__ import annotations

from pathlib import Path

from msht.engine.base import Engine
from msht.resolve.config import LIST_COLUMNS, rule_columns
from msht.resolve.prepare import PERSON_INPUT


def exploded_sql(source: str, columns: list[str]) -> str:
    """`columns` of `source` (a table or a parenthesised query), one row per combination of
    the items of its list columns, as Splink explodes them for a blocking rule (one list per
    step: unnest twice in one SELECT would pair the items up instead)."""
    sql = source
    for column in columns:
        if column in LIST_COLUMNS:
            chosen = ", ".join(f"unnest({c}) AS {c}" if c == column else c for c in columns)
            sql = f"(SELECT {chosen} FROM {sql})"
    if sql == source:
        sql = f"(SELECT {', '.join(columns)} FROM {source})"
    return sql


def rule_condition(rule: list[str] | str) -> str:
    """A blocking rule as an SQL condition on l.* and r.* (list columns exploded)."""
    if isinstance(rule, str):
        return f"({rule})"
    return "(" + " AND ".join(f"l.{c} = r.{c}" for c in rule) + ")"


def blocking_recall(
    engine: Engine, rules: list[list[str] | str], truth_file: Path
) -> tuple[int, int]:
    """(true pairs compared by at least one rule, true pairs) among the prepared records,
    the truth read from a CSV file of source,record_id,person_id (DuckDB only: it reads the
    file in place, so a read-only store will do)."""
    path = str(truth_file).replace("'", "''")
    truth = f"""(
      SELECT i.*, t.person_id
      FROM read_csv('{path}', all_varchar = true, header = true) t
      JOIN person p ON p.source = t.source AND p.source_record_id = t.record_id
      JOIN {PERSON_INPUT} i ON i.record_id = p.id
    )"""
    compared = []
    for rule in rules:
        columns = ["unique_id", "person_id", *dict.fromkeys(rule_columns(rule))]
        side = exploded_sql(truth, columns)
        compared.append(
            f"""SELECT l.unique_id AS a, r.unique_id AS b FROM {side} l JOIN {side} r
                ON l.person_id = r.person_id AND l.unique_id < r.unique_id
                WHERE {rule_condition(rule)}"""
        )
    union = " UNION ".join(compared) or "SELECT NULL AS a, NULL AS b WHERE false"
    row = engine.query(
        f"""
        WITH truth AS (SELECT unique_id, person_id FROM {truth})
        SELECT (SELECT CAST(count(*) AS BIGINT) FROM truth a JOIN truth b
                  ON a.person_id = b.person_id AND a.unique_id < b.unique_id) AS pairs,
               (SELECT CAST(count(*) AS BIGINT) FROM ({union})) AS compared
        """
    ).to_pylist()[0]
    return int(row["compared"] or 0), int(row["pairs"] or 0)
