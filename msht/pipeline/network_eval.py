"""`msht eval network`: the current store's groups against the planted networks."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from msht.errors import MshtError
from msht.network.evaluate import NetworkScores, score_network
from msht.network.tables import FLAGGED, GROUP_MEMBERS, INVESTIGATE
from msht.pipeline.resolution import current_store, true_entities
from msht.project.config import load_project
from msht.project.truth import read_planted
from msht.resolve.evaluate import read_truth


def evaluate_network(root: Path, truth: Path | None = None) -> NetworkScores:
    """Score the groups, flags and investigation list of the project at `root` against
    `truth/victims.csv` (planted people) and `truth/records.csv` (their records)."""
    project = load_project(root)
    folder = truth if truth is not None else project.path("truth")
    planted = read_planted(folder / "victims.csv")
    records = read_truth(folder / "records.csv")
    with current_store(project) as engine:
        if GROUP_MEMBERS not in engine.tables():
            raise MshtError("the current store has no network groups: run `msht network`")
        entities_of = true_entities(engine, records)
        members = engine.query(
            f"SELECT group_id, entity_id FROM {GROUP_MEMBERS} WHERE entity_type = 'Person'"
        ).to_pylist()
        flagged = set(engine.query(f"SELECT entity_id FROM {FLAGGED}")["entity_id"].to_pylist())
        listed = set(engine.query(f"SELECT entity_id FROM {INVESTIGATE}")["entity_id"].to_pylist())
    groups_of: dict[str, set[str]] = defaultdict(set)
    for m in members:
        groups_of[m["entity_id"]].add(m["group_id"])
    return score_network(planted, entities_of, groups_of, flagged, listed)
