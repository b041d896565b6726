"""A flag a review removed leaves the POLE store's derived tables too, not only the serving
store (R07: no informal lists).

Each run builds profiles and network flags from the records again. The pipeline takes the
people it withholds (`withheld.py`) out before anything is counted from the flags: the
network's reach counts, investigation list and groups, and the risk profiles, are built
again without them (`msht/network/withhold.py`), so the run summary counts none of them
either. `publish` then purges the people's own rows here: after a run, a safety net that
finds them gone already; for a caller that publishes a store built without withholding,
all that is done — their risk profile and its evidence, their network flag, and the flag on
their row of the reach and group tables go (group counts follow, and a group left with no
flagged member goes), while counts of flagged people around others stay as they were
built: only a network build can recount them. Their records and the signs found in them
stay: they are facts of the sources, and the next run needs them to see whether new
evidence has arrived.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from msht.engine.base import Engine
from msht.network.tables import FLAGGED, GROUP_MEMBERS, GROUPS, REACH
from msht.risk.profiles import EVIDENCE_TABLE, PROFILES

#: Tables whose rows about a person are the flag itself: dropped.
DROPPED = (PROFILES, EVIDENCE_TABLE, FLAGGED)
#: Tables with a `flagged` column on each person's row: set to false.
UNFLAGGED = (REACH, GROUP_MEMBERS)


def purge_removed(store: Engine, people: set[str]) -> dict[str, int]:
    """Take the flags of `people` out of the derived tables of `store` (a run's version);
    rows changed per table."""
    if not people:
        return {}
    present = set(store.tables())
    removed = pa.array(sorted(people), pa.string())
    changed: dict[str, int] = {}
    for table in DROPPED:
        if table in present:
            data = store.query(f"SELECT * FROM {table}")
            hit = pc.is_in(data["entity_id"], value_set=removed)
            if (count := pc.sum(hit).as_py() or 0) > 0:
                store.create_table(table, data.filter(pc.invert(hit)))
                changed[table] = count
    for table in UNFLAGGED:
        if table in present:
            data = store.query(f"SELECT * FROM {table}")
            hit = pc.and_(pc.is_in(data["entity_id"], value_set=removed), data["flagged"])
            if (count := pc.sum(hit).as_py() or 0) > 0:
                column = data.schema.get_field_index("flagged")
                flags = pc.and_(data["flagged"], pc.invert(hit))
                store.create_table(table, data.set_column(column, "flagged", flags))
                changed[table] = count
    if GROUP_MEMBERS in changed and GROUPS in present:
        dropped = _recount_groups(store)
        if dropped:
            changed[GROUPS] = dropped
    return changed


def _recount_groups(store: Engine) -> int:
    """Each group's count of flagged members, from its members; a group left with none is
    dropped with its members (groups are found around flagged people). Groups dropped."""
    groups = store.query(f"SELECT * FROM {GROUPS}")
    counts = store.query(
        f"SELECT group_id, sum(CASE WHEN flagged THEN 1 ELSE 0 END) AS n FROM {GROUP_MEMBERS} "
        "GROUP BY group_id"
    )
    by_group = dict(zip(counts["group_id"].to_pylist(), counts["n"].to_pylist(), strict=True))
    flagged = pa.array(
        [by_group.get(g) or 0 for g in groups["group_id"].to_pylist()],
        groups.schema.field("flagged").type,
    )
    column = groups.schema.get_field_index("flagged")
    groups = groups.set_column(column, "flagged", flagged)
    empty = groups.filter(pc.equal(flagged, 0))["group_id"]
    if len(empty):
        members = store.query(f"SELECT * FROM {GROUP_MEMBERS}")
        gone = pc.is_in(members["group_id"], value_set=empty)
        store.create_table(GROUP_MEMBERS, members.filter(pc.invert(gone)))
        groups = groups.filter(pc.not_equal(flagged, 0))
    store.create_table(GROUPS, groups)
    return len(empty)
