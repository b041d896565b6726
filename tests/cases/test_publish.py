from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine, func, select

import msht.cases.publish as publishing
from msht.audit.verify import verify
from msht.cases.actor import Actor
from msht.cases.publish import expire_due, publish
from msht.cases.review import add_note, transition
from msht.cases.withheld import find_withholding
from msht.engine.base import Engine as StoreEngine
from msht.engine.warehouse import Warehouse
from msht.errors import MshtError
from msht.store.audit import AuditEntry
from msht.store.database import transaction
from msht.store.published import Entity, Evidence, GroupMember, Profile, SignHit
from msht.store.reviews import Note, ReviewItem, Transition

ANALYST = Actor("ana", "analyst", frozenset({"review:read", "review:write"}))
REVIEWER = Actor("rev", "reviewer", frozenset({"review:read", "review:write", "review:signoff"}))


class _DiscardError(Exception):
    """Thrown to leave a new store version unused."""


def _again(
    project: Path,
    database: Engine,
    today: date | None = None,
    check: Callable[[StoreEngine], None] | None = None,
) -> publishing.Published:
    """Publish again, as a run does, into a new store version (then thrown away, after
    `check` has looked at it)."""
    done: publishing.Published | None = None
    try:
        with Warehouse(project / "store", "duckdb").new_version("run-2", True) as store:
            done = publish(store, database, "run-2", today or date.today())
            if check is not None:
                check(store)
            raise _DiscardError
    except _DiscardError:
        pass
    assert done is not None
    return done


def _count(database: Engine, table: type) -> int:
    with database.connect() as connection:
        return connection.execute(select(func.count()).select_from(table)).scalar_one()


def _items(database: Engine) -> list[ReviewItem]:
    with transaction(database) as session:
        return list(session.scalars(select(ReviewItem).order_by(ReviewItem.id)))


def _broken(*_args: object) -> tuple[list[str], list[str]]:
    """A `_follow_profiles` that fails half way through a publish."""
    raise RuntimeError("disk gone half way")


def _close(database: Engine, item_id: int, outcome: str) -> None:
    with transaction(database) as session:
        transition(session, item_id, "under_review", ANALYST, "picked up")
        transition(session, item_id, "awaiting_signoff", ANALYST, "done", outcome)
        transition(session, item_id, "closed", REVIEWER, "agreed")


def test_every_cohort_member_becomes_a_review_item_in_triage(
    built_project: Path, published: Engine
) -> None:
    warehouse = Warehouse(built_project / "store", "duckdb").open_current()
    assert warehouse is not None
    try:
        cohort = warehouse.scalar("SELECT count(*) FROM risk_profile WHERE cohort")
        profiles = warehouse.scalar("SELECT count(*) FROM risk_profile")
        evidence = warehouse.scalar("SELECT count(*) FROM risk_evidence")
    finally:
        warehouse.close()
    items = _items(published)
    assert len(items) == cohort > 5
    assert {i.state for i in items} == {"triage"}
    assert _count(published, Profile) == profiles and _count(published, Evidence) == evidence
    assert _count(published, SignHit) > 0 and _count(published, Entity) >= profiles
    with transaction(published) as session:
        assert verify(session).ok
        history = session.scalars(select(Transition).where(Transition.item_id == items[0].id))
        assert [(t.from_state, t.to_state, t.by) for t in history] == [(None, "triage", "system")]


def test_publishing_again_keeps_every_review_note_and_id(
    built_project: Path, published: Engine
) -> None:
    before = _items(published)
    with transaction(published) as session:
        transition(session, before[0].id, "under_review", ANALYST, "picked up")
        add_note(session, before[0].id, "spoke to the GLAA", ANALYST)
    done = _again(built_project, published)
    after = _items(published)
    assert done.new_items == 0 and done.reopened == 0
    assert [(i.id, i.entity_id) for i in after] == [(i.id, i.entity_id) for i in before]
    assert after[0].state == "under_review"
    assert _count(published, Note) == 1


def test_a_failed_publish_leaves_the_previous_state(
    built_project: Path, published: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    items = _items(published)
    marked = items[0].entity_id
    with transaction(published) as session:  # a publish that committed would undo this
        session.execute(sa.update(Profile).where(Profile.entity_id == marked).values(score=-1))
    profiles = _count(published, Profile)

    # fails after every published table was emptied and filled again
    monkeypatch.setattr(publishing, "_follow_profiles", _broken)
    with pytest.raises(RuntimeError, match="half way"):
        _again(built_project, published)
    assert _count(published, Profile) == profiles > 0
    assert [(i.id, i.state) for i in _items(published)] == [(i.id, i.state) for i in items]
    with transaction(published) as session:
        assert session.get(Profile, marked).score == -1  # type: ignore[union-attr]
    monkeypatch.undo()
    _again(built_project, published)  # the same publish, not failing, does replace it
    with transaction(published) as session:
        assert session.get(Profile, marked).score > 0  # type: ignore[union-attr]


def test_a_flag_removed_by_review_leaves_every_table_and_stays_removed(
    built_project: Path, published: Engine
) -> None:
    item = _items(published)[0]
    current = Warehouse(built_project / "store", "duckdb").open_current()
    assert current is not None
    try:  # a cohort member, so the run's tables hold their profile and evidence
        sql = f"SELECT count(*) FROM risk_evidence WHERE entity_id = '{item.entity_id}'"
        assert int(str(current.scalar(sql))) > 0
    finally:
        current.close()
    _close(published, item.id, "no_further_action")
    for table in (Profile, Evidence, SignHit):
        with published.connect() as connection:
            left = connection.execute(
                select(func.count()).select_from(table).where(table.entity_id == item.entity_id)
            ).scalar_one()
        assert left == 0, table
    with transaction(published) as session:
        last = session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
        assert last is not None and last.action == "erasure"
        flagged = session.scalars(
            select(GroupMember.flagged).where(GroupMember.entity_id == item.entity_id)
        ).all()
        assert not any(flagged)
    person = f"'{item.entity_id}'"

    def purged(store: StoreEngine) -> None:  # and from the run's own derived tables
        for table in ("risk_profile", "risk_evidence", "network_flagged"):
            assert store.scalar(f"SELECT count(*) FROM {table} WHERE entity_id = {person}") == 0
        for table in ("network_reach", "network_group_member"):
            flags = store.query(f"SELECT flagged FROM {table} WHERE entity_id = {person}")
            assert not any(flags["flagged"].to_pylist()), table
        assert int(str(store.scalar("SELECT count(*) FROM risk_profile"))) > 0  # only that person
        counts = store.query(
            "SELECT g.flagged, (SELECT count(*) FROM network_group_member m WHERE "
            "m.group_id = g.group_id AND m.flagged) AS members FROM network_group g"
        )
        assert counts["flagged"].to_pylist() == counts["members"].to_pylist()

    done = _again(built_project, published, check=purged)
    assert done.withheld == 1 and done.reopened == 0
    with transaction(published) as session:
        assert session.get(Profile, item.entity_id) is None
        again = session.scalars(
            select(GroupMember.flagged).where(GroupMember.entity_id == item.entity_id)
        ).all()
        assert not any(again)
        assert session.get(ReviewItem, item.id).state == "closed"  # type: ignore[union-attr]


def test_a_failed_publish_after_a_purge_leaves_the_current_store_as_it_was(
    built_project: Path, published: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    item = _items(published)[0]
    _close(published, item.id, "no_further_action")
    warehouse = Warehouse(built_project / "store", "duckdb")
    version = warehouse.current_version()

    monkeypatch.setattr(publishing, "_follow_profiles", _broken)
    with (
        pytest.raises(RuntimeError, match="half way"),
        warehouse.new_version("run-3", True) as store,
    ):
        publish(store, published, "run-3", date.today())
    assert warehouse.current_version() == version
    current = warehouse.open_current()
    assert current is not None
    try:  # the purge happened only in the version thrown away
        sql = f"SELECT count(*) FROM risk_evidence WHERE entity_id = '{item.entity_id}'"
        assert int(str(current.scalar(sql))) > 0
    finally:
        current.close()


def test_a_flag_removed_while_publishing_fails_the_publish(
    built_project: Path, published: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    item = _items(published)[0]
    # nobody's flag was removed when the run purged, someone's is under the lock
    monkeypatch.setattr(publishing, "withheld_among", lambda *_: frozenset({item.entity_id}))
    with pytest.raises(MshtError, match="while this run was publishing"):
        _again(built_project, published)
    assert _count(published, Profile) > 0  # the previous published state is kept


def test_a_flag_removed_after_the_run_chose_whom_to_withhold_fails_the_publish(
    built_project: Path, published: Engine
) -> None:
    warehouse = Warehouse(built_project / "store", "duckdb")
    current = warehouse.open_current()
    assert current is not None
    try:  # as a run does, before it builds its counts again without them
        chosen = find_withholding(current, published)
    finally:
        current.close()
    assert chosen.people == frozenset() and len(chosen.fingerprints) > 0
    _close(published, _items(published)[0].id, "no_further_action")
    profiles = _count(published, Profile)
    with (
        pytest.raises(MshtError, match="while this run was publishing"),
        warehouse.new_version("run-2", True) as store,
    ):
        publish(store, published, "run-2", date.today(), withholding=chosen)
    assert _count(published, Profile) == profiles  # the previous published state is kept


def test_new_evidence_after_a_review_puts_the_item_back_in_triage(
    built_project: Path, published: Engine
) -> None:
    item = _items(published)[1]
    _close(published, item.id, "safeguarded")
    with transaction(published) as session:  # as if the review had seen older evidence
        session.execute(
            sa.update(ReviewItem)
            .where(ReviewItem.id == item.id)
            .values(reviewed_fingerprint="0" * 64)
        )
    done = _again(built_project, published)
    assert done.reopened == 1
    with transaction(published) as session:
        again = session.get(ReviewItem, item.id)
        assert again is not None and again.state == "triage"
        last = session.scalars(
            select(Transition).where(Transition.item_id == item.id).order_by(Transition.id.desc())
        ).first()
        assert last is not None and "new evidence" in last.reason


def test_a_flag_past_its_review_by_date_re_enters_triage(
    built_project: Path, published: Engine
) -> None:
    item = _items(published)[2]
    _close(published, item.id, "nrm_referral")
    closed = _items(published)[2]
    assert closed.review_by is not None and closed.review_by > date.today() + timedelta(days=300)
    with transaction(published) as session:
        assert expire_due(session, closed.review_by) == []
        assert expire_due(session, closed.review_by + timedelta(days=1)) == [closed.entity_id]
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
        assert entry is not None and entry.record_ids == [closed.entity_id]
    assert _items(published)[2].state == "triage"


def test_an_item_takes_its_profiles_handling_code_in_the_cohort_or_not(
    published: Engine,
) -> None:
    item = _items(published)[3]
    with transaction(published) as session:
        profile = {"entity_id": item.entity_id, "cohort": False, "handling_code": "C"}
        publishing._follow_profiles(session, [profile], "OFFICIAL-SENSITIVE")
    assert _items(published)[3].handling_code == "C"
    assert publishing.handling_code([{"handling_code": None}, {"handling_code": "P"}]) == "P"
    assert publishing.handling_code([{"handling_code": "P"}, {"handling_code": "C"}]) == "C"


def test_a_publish_names_the_people_whose_review_items_it_made(published: Engine) -> None:
    with transaction(published) as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "alteration")).first()
    assert entry is not None and entry.username == "system"
    assert set(entry.record_ids) == {i.entity_id for i in _items(published)}


def test_a_publish_ranks_items_by_score_without_touching_their_versions(
    built_project: Path, published: Engine
) -> None:
    with transaction(published) as session:  # ranks gone stale, as after a change of rules
        session.execute(sa.update(ReviewItem.__table__).values(queue_rank=0))
    before = {i.id: i.version for i in _items(published)}
    _again(built_project, published)
    with transaction(published) as session:
        ranks = session.execute(
            select(
                ReviewItem.id, ReviewItem.queue_rank, ReviewItem.version, Profile.score
            ).outerjoin(Profile, Profile.entity_id == ReviewItem.entity_id)
        ).all()
    assert ranks and all(
        rank == (score if score is not None else -1) for _, rank, _, score in ranks
    )
    assert len({rank for _, rank, _, _ in ranks}) > 3
    # a reviewer's change made while a run publishes is not refused as stale
    assert {i: version for i, _, version, _ in ranks} == before
