"""Moving review items through the workflow: transitions, four-eyes closing, assignment,
notes and partner sharing. Every change writes its audit entry in the same transaction."""

from __future__ import annotations

from calendar import monthrange
from datetime import date
from typing import Any, cast

from sqlalchemy import Table, delete, func, select, update
from sqlalchemy.orm import Session

from msht.access.errors import AccessError
from msht.access.partners import partner
from msht.audit.log import record
from msht.cases.actor import Actor
from msht.cases.errors import Conflict, Invalid, NotFound
from msht.cases.locks import hold_publish_lock
from msht.cases.workflow import load_workflow
from msht.store.base import utcnow
from msht.store.published import Evidence, GroupMember, Profile, SignHit
from msht.store.reviews import Note, ReviewItem, Share, Transition


def _audit(
    session: Session,
    actor: Actor,
    item: ReviewItem,
    action: str,
    reason: str,
    detail: dict[str, Any],
    recipient: str | None = None,
) -> None:
    """The audit entry of a change to `item`, naming the person and the item."""
    record(
        session,
        username=actor.username,
        role=actor.role,
        action=action,
        record_ids=[item.entity_id, f"review:{item.id}"],
        reason=reason,
        recipient=recipient,
        detail=detail,
    )


def get_item(session: Session, item_id: int) -> ReviewItem:
    """The item, or NotFound."""
    item = session.get(ReviewItem, item_id)
    if item is None:
        raise NotFound(f"no review item {item_id}")
    return item


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day where it is shorter)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, monthrange(year, month)[1]))


def move(
    session: Session,
    item: ReviewItem,
    to_state: str,
    actor: Actor,
    reason: str,
    outcome: str | None = None,
) -> Transition:
    """Record one move of `item` and change its state (the checks are `transition`'s)."""
    now = utcnow()
    step = Transition(
        item_id=item.id,
        from_state=item.state,
        to_state=to_state,
        outcome=outcome,
        by=actor.username,
        at=now,
        reason=reason,
    )
    session.add(step)
    if to_state == load_workflow().initial:  # back to triage: a new review, no outcome yet
        item.outcome, item.close_requested_by = None, None
    item.state = to_state
    item.updated_at = now
    return step


def transition(
    session: Session,
    item_id: int,
    to_state: str,
    actor: Actor,
    reason: str,
    outcome: str | None = None,
    today: date | None = None,
) -> ReviewItem:
    """Move an item to `to_state`, as the workflow allows; closing needs a proposal with an
    outcome, then the sign-off of a second person (four eyes)."""
    actor.require("review:write")
    flow = load_workflow()
    if not reason.strip():
        raise Invalid("reason", "say why (it is kept in the item's history and the audit log)")
    item = get_item(session, item_id)
    if to_state not in flow.states:
        raise Invalid("to", f"unknown state {to_state!r}; states: {', '.join(flow.states)}")
    if not flow.allowed(item.state, to_state):
        allowed = ", ".join(flow.moves.get(item.state, [])) or "none"
        raise Conflict(
            f"item {item_id} is {item.state}: it cannot move to {to_state} (allowed: {allowed})"
        )
    if to_state == flow.signoff:
        if outcome not in flow.outcomes:
            raise Invalid("outcome", f"closing needs an outcome: {', '.join(flow.outcomes)}")
        item.outcome = outcome
        item.close_requested_by = actor.username
    elif to_state == flow.closed:
        actor.require("review:signoff")
        if actor.username == item.close_requested_by:
            raise Conflict(
                f"item {item_id}: {actor.username} proposed closing it; a second "
                "person must sign off (four eyes)"
            )
        _close(session, item, today or utcnow().date())
    else:
        if item.state == flow.signoff:
            item.outcome, item.close_requested_by = None, None
    move(session, item, to_state, actor, reason.strip(), item.outcome)
    erased = to_state == flow.closed and item.flag_removed
    # removing a flag erases the profile, its evidence and signs from the store (R07)
    _audit(
        session,
        actor,
        item,
        "erasure" if erased else "alteration",
        reason.strip(),
        {"to": to_state, "outcome": item.outcome},
    )
    return item


def _close(session: Session, item: ReviewItem, today: date) -> None:
    """Keep what was reviewed; an outcome that removes the flag purges the profile (R07),
    any other outcome must be re-justified after the review period."""
    flow = load_workflow()
    hold_publish_lock(session)
    profile = session.get(Profile, item.entity_id)
    item.reviewed_fingerprint = profile.fingerprint if profile else item.reviewed_fingerprint
    item.reviewed_factors = profile.factors if profile else item.reviewed_factors
    assert item.outcome is not None  # a proposal always names one
    if flow.outcomes[item.outcome].removes_flag:
        item.flag_removed = True
        item.review_by = None
        purge_flag(session, item.entity_id)
    else:
        item.flag_removed = False
        item.review_by = add_months(today, flow.review_period_months)


_ITEMS = cast(Table, ReviewItem.__table__)
#: A review item's rank in the queue: its published profile's score, or -1 without one.
_RANK = func.coalesce(
    select(Profile.score).where(Profile.entity_id == _ITEMS.c.entity_id).scalar_subquery(), -1
)


def rank_items(session: Session, entity_id: str | None = None) -> None:
    """Set the queue rank of every review item (or `entity_id`'s) from the profiles
    published now. One Core statement, not the ORM: a new rank is not a change of the item,
    so its version stays and no reviewer's change made meanwhile is refused as stale."""
    ranked = update(_ITEMS).values(queue_rank=_RANK)
    if entity_id is not None:
        ranked = ranked.where(_ITEMS.c.entity_id == entity_id)
    session.execute(ranked)


def purge_flag(session: Session, entity_id: str) -> None:
    """Remove a person's profile, evidence and signs from the serving store, and their flag
    in network groups (R07: no informal lists)."""
    for table in (SignHit, Evidence):
        session.execute(delete(table).where(table.entity_id == entity_id))
    session.execute(delete(Profile).where(Profile.entity_id == entity_id))
    rank_items(session, entity_id)
    session.execute(
        update(GroupMember).where(GroupMember.entity_id == entity_id).values(flagged=False)
    )


def assign(
    session: Session, item_id: int, assignee: str | None, due: date | None, actor: Actor
) -> ReviewItem:
    """Give an item to someone, with a due date."""
    actor.require("review:write")
    item = get_item(session, item_id)
    item.assignee, item.due, item.updated_at = assignee, due, utcnow()
    _audit(
        session,
        actor,
        item,
        "alteration",
        "assignment",
        {"assignee": assignee, "due": due.isoformat() if due else None},
    )
    return item


def add_note(session: Session, item_id: int, text: str, actor: Actor) -> Note:
    """Add a note to an item."""
    actor.require("review:write")
    if not text.strip():
        raise Invalid("text", "a note cannot be empty")
    item = get_item(session, item_id)
    note = Note(item_id=item.id, by=actor.username, at=utcnow(), text=text.strip())
    session.add(note)
    item.updated_at = note.at
    _audit(session, actor, item, "alteration", "note added", {})
    return note


def share(
    session: Session,
    item_id: int,
    organisation: str,
    actor: Actor,
    reason: str,
    disclose: bool = False,
) -> Share:
    """Share an item with a partner organisation; `disclose` also releases handling-code C
    material to it, an audited disclosure (R09)."""
    actor.require("review:share")
    if not reason.strip():
        raise Invalid("reason", "a share or disclosure needs a reason")
    try:
        partner(organisation)
    except AccessError as exc:
        raise Invalid("organisation", str(exc)) from exc
    item = get_item(session, item_id)
    found = session.scalars(
        select(Share).where(Share.item_id == item.id, Share.organisation == organisation)
    ).first()
    if found is None:
        found = Share(
            item_id=item.id,
            organisation=organisation,
            by=actor.username,
            at=utcnow(),
            disclosed=disclose,
        )
        session.add(found)
    else:
        found.disclosed = found.disclosed or disclose
    _audit(
        session,
        actor,
        item,
        "disclosure",
        reason.strip(),
        {"handling_code_c": disclose},
        recipient=organisation,
    )
    return found
