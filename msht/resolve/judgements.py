"""Human judgements on pairs of person records: same, different or unsure.

Judgements are kept in the project (`resolve/judgements.jsonl`, one JSON object per line,
append-only) until the serving store takes them over. They override the model: "same" joins
two records, "different" keeps them apart through any chain of links. A judgement that
contradicts earlier ones is refused, naming the judgements it conflicts with.
"""

from __future__ import annotations

import fcntl
import json
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from msht.errors import MshtError
from msht.resolve.cluster import cluster_sorted, entity_pairs

Verdict = Literal["same", "different", "unsure"]
VERDICTS: tuple[Verdict, ...] = ("same", "different", "unsure")


@dataclass(frozen=True)
class Judgement:
    """One person's verdict on whether two records are the same human."""

    verdict: Verdict
    record_a: str
    record_b: str
    by: str
    reason: str
    at: str

    def pair(self) -> tuple[str, str]:
        """The two records, in a fixed order."""
        a, b = sorted((self.record_a, self.record_b))
        return a, b


def read_judgements(path: Path) -> list[Judgement]:
    """Every judgement in the file, oldest first; MshtError naming the line when malformed."""
    if not path.is_file():
        return []
    found = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            judgement = Judgement(**raw)
        except (json.JSONDecodeError, TypeError) as exc:
            raise MshtError(f"{path}: line {number}: not a judgement ({exc})") from exc
        if judgement.verdict not in VERDICTS:
            raise MshtError(f"{path}: line {number}, field verdict: {judgement.verdict!r}")
        found.append(judgement)
    return found


def effective(judgements: list[Judgement]) -> dict[tuple[str, str], Judgement]:
    """The latest judgement on each pair (a later one replaces an earlier one)."""
    latest: dict[tuple[str, str], Judgement] = {}
    for judgement in judgements:
        latest[judgement.pair()] = judgement
    return latest


def constraints(
    judgements: list[Judgement],
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The "same" pairs and the "different" pairs in force ("unsure" constrains nothing)."""
    latest = effective(judgements).values()
    same = [j.pair() for j in latest if j.verdict == "same"]
    different = [j.pair() for j in latest if j.verdict == "different"]
    return same, different


def conflict(
    judgements: list[Judgement], new: Judgement, entities: dict[str, str] | None = None
) -> str | None:
    """Why `new` contradicts the judgements in force, or None if it does not.

    Reversing a verdict on the same pair is a conflict too: first withdraw it with "unsure".
    """
    latest = effective(judgements)
    earlier = latest.get(new.pair())
    if (
        earlier is not None
        and new.verdict != "unsure"
        and earlier.verdict not in (new.verdict, "unsure")
    ):
        return (
            f"{earlier.by} judged {new.record_a} and {new.record_b} {earlier.verdict} on "
            f"{earlier.at}; record 'unsure' first to withdraw that"
        )
    kept = [j for j in latest.values() if j.pair() != new.pair()]
    same, different = constraints(kept)
    if new.verdict == "same":
        # the model's entities count as joined: a "same" may not bridge a "different" via them
        same += entity_pairs(entities or {})
    records = {new.record_a, new.record_b, *(r for pair in same + different for r in pair)}
    labels = cluster_sorted(records, [], [], same, different)
    joined = labels[new.record_a] == labels[new.record_b]
    if new.verdict == "same" and not joined:
        sides = {labels[new.record_a], labels[new.record_b]}
        for x, y in different:
            if {labels[x], labels[y]} == sides:
                inside, outside = (x, y) if labels[x] == labels[new.record_a] else (y, x)
                return (
                    f"{new.record_a} and {new.record_b} cannot be the same: it would join "
                    f"{inside} and {outside}, judged different"
                )
    elif new.verdict == "different" and joined:
        return (
            f"{new.record_a} and {new.record_b} cannot be different: earlier 'same' "
            "judgements already join them"
        )
    return None


def new_judgement(
    verdict: Verdict, record_a: str, record_b: str, by: str, reason: str, known: set[str]
) -> Judgement:
    """A judgement made now, after checking its records exist and differ and that it says
    who made it and why; MshtError otherwise."""
    if verdict not in VERDICTS:
        raise MshtError(f"verdict must be one of {', '.join(VERDICTS)}, not {verdict!r}")
    for record in (record_a, record_b):
        if record not in known:
            raise MshtError(f"unknown person record {record!r}: see `msht explain-match` ids")
    if record_a == record_b:
        raise MshtError("a judgement needs two different records")
    if not by.strip() or not reason.strip():
        raise MshtError("a judgement needs who made it (--by) and why (--reason)")
    return Judgement(
        verdict=verdict,
        record_a=record_a,
        record_b=record_b,
        by=by,
        reason=reason,
        at=datetime.now(UTC).isoformat(timespec="seconds"),
    )


def add_judgement(
    path: Path,
    verdict: Verdict,
    record_a: str,
    record_b: str,
    by: str,
    reason: str,
    known: set[str],
    entities: dict[str, str] | None = None,
) -> Judgement:
    """Validate and append a judgement to the project's file; MshtError when a record is
    unknown or it conflicts.

    `entities` (record → current entity id) lets the check see the model's links too."""
    new = new_judgement(verdict, record_a, record_b, by, reason, known)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as fh:
        # Locked from the check to the write: two people judging at once cannot both pass
        # the conflict check with judgements that contradict each other.
        fcntl.flock(fh, fcntl.LOCK_EX)
        problem = conflict(read_judgements(path), new, entities)
        if problem is not None:
            raise MshtError(f"judgement refused: {problem}")
        fh.write(json.dumps(asdict(new), ensure_ascii=False) + "\n")
    return new
