"""How many truly matching pairs the blocking rules compare (recall of blocking).

A pair the rules never compare can never be linked, however good the model; so this is the
ceiling of pairwise recall, measured against a truth file.
"""

from __future__ import annotations

from pathlib import Path

from msht.engine.base import Engine
from msht.resolve.config import LIST_COLUMNS
from msht.resolve.prepare import PERSON_INPUT


def rule_condition(rule: list[str] | str) -> str:
    """A blocking rule as an SQL condition on l.* and r.* (DuckDB's dialect)."""
    if isinstance(rule, str):
        return f"({rule})"
    parts = [
        f"array_length(list_intersect(l.{c}, r.{c})) > 0" if c in LIST_COLUMNS else f"l.{c} = r.{c}"
        for c in rule
    ]
    return "(" + " AND ".join(parts) + ")"


def blocking_recall(
    engine: Engine, rules: list[list[str] | str], truth_file: Path
) -> tuple[int, int]:
    """(true pairs compared by at least one rule, true pairs) among the prepared records,
    the truth read from a CSV file of source,record_id,person_id (DuckDB only: it reads the
    file in place, so a read-only store will do)."""
    path = str(truth_file).replace("'", "''")
    any_rule = " OR ".join(rule_condition(r) for r in rules) or "false"
    row = engine.query(
        f"""
        WITH truth AS (
          SELECT p.id AS unique_id, t.person_id
          FROM read_csv('{path}', all_varchar = true, header = true) t
          JOIN person p ON p.source = t.source AND p.source_record_id = t.record_id
        )
        SELECT CAST(count(*) AS BIGINT) AS pairs,
               CAST(count(*) FILTER (WHERE {any_rule}) AS BIGINT) AS compared
        FROM truth a JOIN truth b ON a.person_id = b.person_id AND a.unique_id < b.unique_id
        JOIN {PERSON_INPUT} l ON l.unique_id = a.unique_id
        JOIN {PERSON_INPUT} r ON r.unique_id = b.unique_id
        """
    ).to_pylist()[0]
    return int(row["compared"] or 0), int(row["pairs"] or 0)
