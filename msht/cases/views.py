"""What the API shows: the review queue, an item with its history and what changed, an
entity and a profile with its explanation. Each view of a person is a consultation in the
audit log (DPA 2018 s.62), with the purpose the user gave."""

from __future__ import annotations

from functools import cache
from typing import Any, cast

from sqlalchemy import (
    CompoundSelect,
    Integer,
    Select,
    String,
    Table,
    bindparam,
    func,
    literal,
    null,
    select,
    union_all,
)
from sqlalchemy import cast as cast_
from sqlalchemy.orm import Session

from msht.audit.log import consulted, entry
from msht.cases.actor import Actor
from msht.cases.errors import Invalid, NotFound
from msht.cases.review import get_item
from msht.cases.scope import redacted, require_visible, shared_with
from msht.store.published import Entity, Evidence, Profile, SignHit
from msht.store.reviews import Note, ReviewItem, Share, Transition


def _consulted(session: Session, actor: Actor, ids: list[str], purpose: str) -> None:
    if not purpose.strip():
        raise Invalid("purpose", "say why you are viewing this person (DPA 2018 s.62)", "query")
    made = entry(
        username=actor.username,
        role=actor.role,
        action="consultation",
        record_ids=ids,
        reason=purpose.strip(),
        detail={},
    )
    consulted(session, made)


def _row(obj: Any) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in _columns(obj.__table__)}


@cache
def _columns(table: Table) -> tuple[str, ...]:
    # Iterating a table's columns builds a new collection each time: a tenth of an audited
    # view's CPU when done per row.
    return tuple(c.name for c in table.columns)


def _table(model: type[Any]) -> Table:
    return cast(Table, model.__table__)


def _rows(
    session: Session, query: Select[Any] | CompoundSelect[Any], entity_id: str
) -> list[dict[str, Any]]:
    """Plain rows of a Core query about one entity (no ORM objects: a profile has dozens of
    evidence rows)."""
    return [
        dict(row)
        for row in session.connection().execute(query, {"entity_id": entity_id}).mappings()
    ]


# A profile's reads, built once: building a statement cost more than running it.
_ENTITY = bindparam("entity_id", type_=String)
_PROFILE = select(_table(Profile)).where(Profile.entity_id == _ENTITY)
#: A profile's evidence and signs are read in one statement, the rows of both tables side
#: by side, each saying which it is (one round trip fewer for every profile shown: under
#: load each one waits its turn among every other request's work).
_FOUND_IN: dict[str, Table] = {"evidence": _table(Evidence), "sign": _table(SignHit)}
_FOUND_COLUMNS = {c.name: c.type for table in _FOUND_IN.values() for c in table.columns}


def _found_in(kind: str, table: Table) -> Select[Any]:
    own = {c.name: c for c in table.columns}
    return select(
        literal(kind, String).label("kind"),
        *(own.get(name, cast_(null(), of).label(name)) for name, of in _FOUND_COLUMNS.items()),
    ).where(table.c.entity_id == _ENTITY)


_BOTH = union_all(*(_found_in(kind, table) for kind, table in _FOUND_IN.items()))
_FOUND = _BOTH.order_by(_BOTH.selected_columns.kind, _BOTH.selected_columns.id)


def _found(session: Session, entity_id: str) -> dict[str, list[dict[str, Any]]]:
    """A profile's evidence and signs (by kind, in id order), each row with its own table's
    columns only."""
    found: dict[str, list[dict[str, Any]]] = {kind: [] for kind in _FOUND_IN}
    for row in _rows(session, _FOUND, entity_id):
        kind = row["kind"]
        found[kind].append({name: row[name] for name in _columns(_FOUND_IN[kind])})
    return found


def _item(item: ReviewItem, profile: Profile | None, entity: Entity | None) -> dict[str, Any]:
    view = _row(item)
    for private in ("reviewed_factors", "reviewed_fingerprint", "version", "queue_rank"):
        view.pop(private)
    view["label"] = entity.label if entity else None
    view["score"] = profile.score if profile else None
    view["tier"] = profile.tier if profile else None
    view["in_cohort"] = bool(profile and profile.cohort)
    view["changed_since_review"] = bool(
        profile and item.reviewed_fingerprint and profile.fingerprint != item.reviewed_fingerprint
    )
    return view


#: What the queue reads of each item before its page is cut (plain columns: no ORM
#: objects for a page of 50).
_QUEUE_ITEM: tuple[Any, ...] = (
    ReviewItem.id,
    ReviewItem.entity_id,
    ReviewItem.state,
    ReviewItem.outcome,
    ReviewItem.assignee,
    ReviewItem.due,
    ReviewItem.review_by,
    ReviewItem.handling_code,
    ReviewItem.security_marking,
    ReviewItem.updated_at,
    ReviewItem.queue_rank,
    ReviewItem.reviewed_fingerprint,
)
#: Read to order the page and to tell what changed, not shown.
_QUEUE_ONLY = frozenset({"queue_rank", "reviewed_fingerprint"})


def review_queue(
    session: Session,
    actor: Actor,
    state: str | None = None,
    assignee: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> dict[str, Any]:
    """Items in any state (or `state`), highest score first; a partner sees only what was
    shared with them."""
    given = {
        "state": state,
        "assignee": assignee,
        "organisation": actor.organisation,
        "limit": limit,
        "offset": offset,
    }
    chosen, query = _queue_reads(state is not None, assignee is not None, actor.scoped)
    connection = session.connection()
    result = connection.execute(query, given)
    # Plain str keys: SQLAlchemy's labels are a str subclass, which the JSON encoder
    # walks as an object (measured: two thirds of a queue request's CPU).
    keys = list(map(str, result.keys()))
    items, total = [], 0
    for row in result.all():
        item = dict(zip(keys, row, strict=True))
        total = item.pop("total")
        item["in_cohort"] = bool(item.pop("cohort"))
        item["changed_since_review"] = bool(item["changed_since_review"])
        items.append(redacted(item, actor))
    if items:
        _consulted(session, actor, [i["entity_id"] for i in items], "review queue")
    elif offset:  # a page past the end: the total still has to be told
        counted = select(func.count()).select_from(chosen.subquery())
        total = connection.execute(counted, given).scalar() or 0
    return {"total": total, "items": items}


@cache
def _queue_reads(
    by_state: bool, by_assignee: bool, scoped: bool
) -> tuple[Select[*tuple[Any, ...]], Select[*tuple[Any, ...]]]:
    """The queue's items (before the page is cut) and its page with profiles, labels and
    the total, for the filters given, built once with bound values (building the statement
    cost more than running it)."""
    chosen = select(ReviewItem.id)
    if by_state:
        chosen = chosen.where(ReviewItem.state == bindparam("state", type_=String))
    if by_assignee:
        chosen = chosen.where(ReviewItem.assignee == bindparam("assignee", type_=String))
    if scoped:
        mine = shared_with(select(ReviewItem.id), bindparam("organisation", type_=String))
        chosen = chosen.where(ReviewItem.id.in_(mine.scalar_subquery()))
    # The page is read in the order of the rank's index and cut before anything is joined:
    # joining every item to its profile and sorting them all cost more than the rest of a
    # queue request, and grows with the queue.
    page = (
        chosen.with_only_columns(*_QUEUE_ITEM)
        .order_by(ReviewItem.queue_rank.desc(), ReviewItem.id)
        .limit(bindparam("limit", type_=Integer))
        .offset(bindparam("offset", type_=Integer))
        .subquery()
    )
    total = select(func.count()).select_from(chosen.subquery()).scalar_subquery()
    changed = (Profile.fingerprint != page.c.reviewed_fingerprint) & (
        page.c.reviewed_fingerprint.is_not(None)
    )
    query = (
        select(
            *(page.c[c.key] for c in _QUEUE_ITEM if c.key not in _QUEUE_ONLY),
            Profile.score,
            Profile.tier,
            Profile.cohort,
            changed.label("changed_since_review"),
            total.label("total"),
            Entity.label,
        )
        .outerjoin(Profile, Profile.entity_id == page.c.entity_id)
        .outerjoin(Entity, Entity.entity_id == page.c.entity_id)
        .order_by(page.c.queue_rank.desc(), page.c.id)
    )
    return chosen, query


def changes(before: list[dict[str, Any]] | None, after: list[dict[str, Any]]) -> list[str]:
    """What changed in a profile's factors since the last review, in words."""
    if before is None:
        return []
    old = {f["rule_id"]: f for f in before}
    new = {f["rule_id"]: f for f in after}
    said = [f"new factor: {new[r]['description']}" for r in sorted(set(new) - set(old))]
    said += [f"factor gone: {old[r]['description']}" for r in sorted(set(old) - set(new))]
    said += [
        f"{new[r]['description']}: evidence {old[r].get('evidence')} → {new[r].get('evidence')}"
        for r in sorted(set(old) & set(new))
        if old[r].get("evidence") != new[r].get("evidence")
    ]
    return said


def review_detail(session: Session, actor: Actor, item_id: int, purpose: str) -> dict[str, Any]:
    """An item with its full history, notes, shares and what changed since its last review."""
    item = get_item(session, item_id)
    try:
        require_visible(session, actor, item.entity_id)
    except NotFound as exc:  # the same answer as for an item that does not exist
        raise NotFound(f"no review item {item_id}") from exc
    profile = session.get(Profile, item.entity_id)
    view = _item(item, profile, session.get(Entity, item.entity_id))
    view["changes"] = changes(item.reviewed_factors, profile.factors) if profile else []
    view["history"] = [
        _row(t)
        for t in session.scalars(
            select(Transition).where(Transition.item_id == item.id).order_by(Transition.id)
        )
    ]
    view["notes"] = [
        _row(n)
        for n in session.scalars(select(Note).where(Note.item_id == item.id).order_by(Note.id))
    ]
    shares = select(Share).where(Share.item_id == item.id).order_by(Share.id)
    if actor.scoped:  # a partner learns nothing of other organisations' shares
        shares = shares.where(Share.organisation == actor.organisation)
    view["shares"] = [_row(s) for s in session.scalars(shares)]
    _consulted(session, actor, [item.entity_id, f"review:{item.id}"], purpose)
    return redacted(view, actor)


def entity_view(session: Session, actor: Actor, entity_id: str, purpose: str) -> dict[str, Any]:
    """An entity's summary (redacted for partners)."""
    require_visible(session, actor, entity_id)
    entity = session.get(Entity, entity_id)
    if entity is None:
        raise NotFound(f"no entity {entity_id}")
    _consulted(session, actor, [entity_id], purpose)
    return redacted(_row(entity), actor)


def profile_view(session: Session, actor: Actor, entity_id: str, purpose: str) -> dict[str, Any]:
    """A profile with every factor, its evidence (source, record, text, grading, date) and
    the signs found about the person: the explanation a reviewer reads (R02)."""
    require_visible(session, actor, entity_id)
    found = _rows(session, _PROFILE, entity_id)
    if not found:
        raise NotFound(f"no profile for {entity_id}")
    view = found[0]
    view.pop("fingerprint")
    view["factors"] = [dict(f) for f in view["factors"]]
    about = _found(session, entity_id)
    for factor in view["factors"]:
        factor["evidence_items"] = [
            e for e in about["evidence"] if e["rule_id"] == factor["rule_id"]
        ]
    view["signs"] = about["sign"]
    _consulted(session, actor, [entity_id], purpose)
    return redacted(view, actor)


def entity_list(
    session: Session, actor: Actor, kind: str | None, q: str | None, limit: int, offset: int
) -> dict[str, Any]:
    """Published entities by kind and label (staff only: the route checks the role)."""
    query = select(Entity.entity_id, Entity.kind, Entity.label, Entity.division)
    if kind:
        query = query.where(Entity.kind == kind)
    if q:
        query = query.where(Entity.label.ilike(f"%{q}%"))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.execute(query.order_by(Entity.entity_id).limit(limit).offset(offset)).all()
    found = [dict(r._mapping) for r in rows]
    if found:
        _consulted(session, actor, [r["entity_id"] for r in found], f"search: {q or kind or 'all'}")
    return {"total": total, "items": found}
