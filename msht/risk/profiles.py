"""Risk profiles of potential victims: each a transparent sum of named factors (R02, R03).

A factor applies to a person when its rule's check finds at least `min_evidence` evidence
items; the profile's score is the sum of its factors' points, its tier the highest whose
least score it reaches; it joins the review cohort with factors from `min_groups` groups or
a score of `min_score` (seed 004: "a combination of risk factors"), and, unless the rule set
says otherwise, with a factor of its own: factors of `association` rules alone (whom or what
the person is linked to) put nobody in the cohort. Every profile records
the rule set's version, when it was computed and when it must be reviewed (R07). Nothing
here reads a protected characteristic (R01), and nothing scores a suspect (R04).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pyarrow as pa

from msht.engine.base import Engine
from msht.risk.checks import CHECKS, EVIDENCE
from msht.risk.rules import Rule, RuleSet

PROFILES = "risk_profile"
EVIDENCE_TABLE = "risk_evidence"
PROFILE_SCHEMA = pa.schema(
    [
        ("entity_id", pa.string()),
        ("score", pa.int64()),
        ("tier", pa.string()),
        ("groups", pa.int64()),
        ("cohort", pa.bool_()),
        ("factors", pa.string()),
        ("rule_set_version", pa.string()),
        ("computed_at", pa.timestamp("us", tz="UTC")),
        ("review_by", pa.date32()),
    ]
)
EVIDENCE_SCHEMA = pa.schema(
    [("rule_id", pa.string()), ("rule_version", pa.int64())]
    + [(c, pa.date32() if c == "event_date" else pa.string()) for c in EVIDENCE]
)


@dataclass(frozen=True)
class RiskReport:
    """What the stage built, for the run summary."""

    profiles: int
    cohort: int
    skipped_rules: list[str]

    def as_summary(self) -> dict[str, object]:
        """The `risk` section of summary.json."""
        return {"profiles": self.profiles, "cohort": self.cohort, "skipped": self.skipped_rules}


def _evidence(engine: Engine, rule: Rule, categories: Mapping[str, str]) -> list[dict[str, Any]]:
    check = CHECKS[rule.check]
    params = check.parameters.model_validate(rule.parameters)
    rows: list[dict[str, Any]] = engine.query(
        f"SELECT DISTINCT * FROM ({check.sql(params, categories)}) x"
    ).to_pylist()
    return rows


def _tier(score: int, tiers: Mapping[str, int]) -> str:
    for name, least in sorted(tiers.items(), key=lambda kv: -kv[1]):
        if score >= least:
            return name
    return "none"


def build_profiles(
    engine: Engine,
    rule_set: RuleSet,
    categories: Mapping[str, str],
    now: datetime | None = None,
    leave_out: Collection[str] = frozenset(),
) -> RiskReport:
    """Write `PROFILES` and `EVIDENCE_TABLE` from the rule set (rules whose tables the store
    lacks are skipped and named); `categories`: indicator id → its category. People in
    `leave_out` get no profile (a review removed their flag, R07)."""
    computed = now or datetime.now(UTC)
    review_by: date = (computed + timedelta(days=round(30.44 * rule_set.review_months))).date()
    tables = set(engine.tables())
    factors: dict[str, list[dict[str, Any]]] = defaultdict(list)
    evidence_rows: list[dict[str, Any]] = []
    skipped = []
    for rule in rule_set.rules:
        if not CHECKS[rule.check].needs <= tables:
            skipped.append(rule.id)
            continue
        by_person: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in _evidence(engine, rule, categories):
            by_person[row["entity_id"]].append(row)
        for entity, rows in by_person.items():
            if len(rows) < rule.min_evidence or entity in leave_out:
                continue
            rows.sort(key=lambda r: (str(r["event_date"]), r["source"], r["source_record_id"]))
            factors[entity].append(
                {
                    "rule_id": rule.id,
                    "rule_version": rule.version,
                    "group": rule.group,
                    "description": rule.description,
                    "points": rule.points,
                    "evidence": len(rows),
                }
            )
            evidence_rows += [{"rule_id": rule.id, "rule_version": rule.version, **r} for r in rows]
    linked = {rule.id for rule in rule_set.rules if rule.association}
    profiles: dict[str, list[Any]] = {name: [] for name in PROFILE_SCHEMA.names}
    for entity in sorted(factors):
        found = factors[entity]
        score = sum(f["points"] for f in found)
        groups = len({f["group"] for f in found})
        cohort = (groups >= rule_set.cohort.min_groups or score >= rule_set.cohort.min_score) and (
            not rule_set.cohort.own_factor or any(f["rule_id"] not in linked for f in found)
        )
        values = (
            entity,
            score,
            _tier(score, rule_set.tiers),
            groups,
            cohort,
            json.dumps(found),
            rule_set.version,
            computed,
            review_by,
        )
        for name, value in zip(PROFILE_SCHEMA.names, values, strict=True):
            profiles[name].append(value)
    table = pa.table(profiles, schema=PROFILE_SCHEMA)
    engine.create_table(PROFILES, table)
    engine.create_table(EVIDENCE_TABLE, pa.Table.from_pylist(evidence_rows, schema=EVIDENCE_SCHEMA))
    return RiskReport(table.num_rows, sum(table["cohort"].to_pylist()), skipped)
