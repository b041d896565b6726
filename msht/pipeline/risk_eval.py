"""`msht eval risk` and `msht explain`: the review cohort against the truth, and one
person's profile as a reviewer reads it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import select

from msht.audit.log import record
from msht.engine.dialect import text_literal
from msht.errors import MshtError
from msht.pipeline.accounts import login_name
from msht.pipeline.resolution import current_store, true_entities
from msht.pipeline.serving import serving_session
from msht.project.config import load_project
from msht.resolve.evaluate import read_truth
from msht.risk.disparity import Disparity, disparity
from msht.risk.evaluate import RiskScores, read_roles, score_risk
from msht.risk.profiles import EVIDENCE_TABLE, PROFILES
from msht.store.reviews import ReviewItem


def evaluate_risk(root: Path, truth: Path | None = None) -> RiskScores:
    """Score the current store's review cohort against `truth/victims.csv`."""
    project = load_project(root)
    folder = truth if truth is not None else project.path("truth")
    roles = read_roles(folder / "victims.csv")
    records = read_truth(folder / "records.csv")
    with current_store(project) as engine:
        if PROFILES not in engine.tables():
            raise MshtError("the current store has no risk profiles: run `msht run`")
        entities_of = true_entities(engine, records)
        cohort = set(
            engine.query(f"SELECT entity_id FROM {PROFILES} WHERE cohort")["entity_id"].to_pylist()
        )
    return score_risk(roles, entities_of, cohort)


def disparity_of(root: Path) -> list[Disparity]:
    """Cohort rates by nationality, sex and age band in the current store (R12)."""
    with current_store(load_project(root)) as engine:
        if PROFILES not in engine.tables():
            raise MshtError("the current store has no risk profiles: run `msht run`")
        return disparity(engine)


def profile_of(
    root: Path, entity_id: str, purpose: str, by: str | None = None
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """One person's profile (factors decoded) and its evidence, for `msht explain`: a
    consultation in the audit log, made by `by` (default: the login name) for `purpose`;
    refused when a review removed the person's flag (R07)."""
    if not purpose.strip():
        raise MshtError("say why you are viewing this person (--purpose; DPA 2018 s.62)")
    viewer = by or login_name()
    with serving_session(root) as session:
        removed = session.scalars(
            select(ReviewItem.id).where(ReviewItem.entity_id == entity_id, ReviewItem.flag_removed)
        ).first()
        if removed is not None:
            raise MshtError(
                f"{entity_id}'s flag was removed by review item {removed}: not shown (R07)"
            )
        found = _profile(root, entity_id)
        record(
            session,
            username=viewer,
            role="cli",
            action="consultation",
            record_ids=[entity_id],
            reason=purpose.strip(),
            detail={"via": "msht explain"},
        )
    return found


def _profile(root: Path, entity_id: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    with current_store(load_project(root)) as engine:
        if PROFILES not in engine.tables():
            raise MshtError("the current store has no risk profiles: run `msht run`")
        quoted = text_literal(entity_id)
        found = engine.query(f"SELECT * FROM {PROFILES} WHERE entity_id = {quoted}").to_pylist()
        if not found:
            raise MshtError(f"no risk profile for {entity_id!r}: no rule applies to them")
        evidence = engine.query(
            f"SELECT * FROM {EVIDENCE_TABLE} WHERE entity_id = {quoted} "
            "ORDER BY rule_id, event_date, source, source_record_id"
        ).to_pylist()
    profile = found[0]
    profile["factors"] = json.loads(profile["factors"])
    return profile, evidence
