import pytest
from sqlalchemy import Engine, select

from msht.cases.actor import Actor
from msht.cases.errors import Conflict, Forbidden, Invalid, NotFound
from msht.cases.review import add_note, share, transition
from msht.cases.views import changes
from msht.cases.workflow import load_workflow
from msht.store.audit import AuditEntry
from msht.store.database import transaction
from msht.store.reviews import ReviewItem, Share

WRITE = frozenset({"review:read", "review:write"})
ANALYST = Actor("ana", "analyst", WRITE)
REVIEWER = Actor("rev", "reviewer", WRITE | {"review:signoff", "review:share"})
SECOND = Actor("rev2", "reviewer", WRITE | {"review:signoff", "review:share"})


def _first(database: Engine) -> int:
    with transaction(database) as session:
        return session.scalars(select(ReviewItem.id).order_by(ReviewItem.id)).first()  # type: ignore[return-value]


def test_moves_follow_the_workflow_and_others_are_refused(published: Engine) -> None:
    item = _first(published)
    with transaction(published) as session, pytest.raises(Conflict, match="allowed: under_review"):
        transition(session, item, "visited", ANALYST, "went round")
    with transaction(published) as session:
        transition(session, item, "under_review", ANALYST, "picked up")
        transition(session, item, "visit_planned", ANALYST, "GLAA visit Tuesday")
        transition(session, item, "visited", ANALYST, "seen at the car wash")
    with transaction(published) as session:
        assert session.get(ReviewItem, item).state == "visited"  # type: ignore[union-attr]


def test_closing_needs_an_outcome_and_a_second_person(published: Engine) -> None:
    item = _first(published)
    with transaction(published) as session:
        transition(session, item, "under_review", REVIEWER, "picked up")
    with transaction(published) as session, pytest.raises(Invalid, match="outcome"):
        transition(session, item, "awaiting_signoff", REVIEWER, "done")
    with transaction(published) as session:
        transition(session, item, "awaiting_signoff", REVIEWER, "done", "safeguarded")
    with transaction(published) as session, pytest.raises(Conflict, match="four eyes"):
        transition(session, item, "closed", REVIEWER, "I agree with myself")
    with transaction(published) as session, pytest.raises(Forbidden):
        transition(session, item, "closed", ANALYST, "analysts cannot sign off")
    with transaction(published) as session:
        closed = transition(session, item, "closed", SECOND, "agreed")
        assert closed.state == "closed" and closed.outcome == "safeguarded"


def test_refusals_change_nothing_and_successes_are_audited(published: Engine) -> None:
    item = _first(published)
    with published.connect() as connection:
        before = len(connection.execute(select(AuditEntry.seq)).all())
    for bad in (
        lambda s: transition(s, item, "nowhere", ANALYST, "x"),
        lambda s: transition(s, item, "under_review", ANALYST, "  "),
        lambda s: add_note(s, item, "", ANALYST),
        lambda s: transition(s, 999_999, "under_review", ANALYST, "x"),
        lambda s: share(s, item, "no-such-partner", REVIEWER, "x"),
        lambda s: share(s, item, "glaa", ANALYST, "analysts cannot share"),
    ):
        with pytest.raises((Invalid, NotFound, Forbidden)), transaction(published) as session:
            bad(session)
    with published.connect() as connection:
        assert len(connection.execute(select(AuditEntry.seq)).all()) == before
    with transaction(published) as session:
        share(session, item, "glaa", REVIEWER, "joint visit", disclose=True)
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
        assert entry is not None and entry.action == "disclosure" and entry.recipient == "glaa"
        assert session.scalars(select(Share)).one().disclosed


def test_the_workflow_file_is_consistent() -> None:
    flow = load_workflow()
    assert flow.initial in flow.states and flow.allowed("awaiting_signoff", "closed")
    assert any(o.removes_flag for o in flow.outcomes.values())


def test_what_changed_since_the_last_review_is_said_in_words() -> None:
    before = [
        {"rule_id": "a", "description": "Signs of labour exploitation", "evidence": 1},
        {"rule_id": "b", "description": "Missing from home", "evidence": 2},
    ]
    after = [
        {"rule_id": "a", "description": "Signs of labour exploitation", "evidence": 3},
        {"rule_id": "c", "description": "Lives at a crowded address", "evidence": 1},
    ]
    assert changes(before, after) == [
        "new factor: Lives at a crowded address",
        "factor gone: Missing from home",
        "Signs of labour exploitation: evidence 1 → 3",
    ]
    assert changes(None, after) == []
