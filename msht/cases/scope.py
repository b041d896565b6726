"""What a partner may see: items shared with their organisation, anything but handling code P
only after a disclosure, and never a victim's address or contacts (R09, R19)."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, and_, exists, or_, select
from sqlalchemy.orm import Session

from msht.access.redaction import redact_for_partner
from msht.cases.actor import Actor
from msht.cases.errors import NotFound
from msht.store.published import Profile
from msht.store.reviews import ReviewItem, Share

Query = TypeVar("Query", bound=Select[*tuple[Any, ...]])


def shared_items(query: Query, actor: Actor) -> Query:
    """`query` over review items, limited to those the actor may see."""
    if not actor.scoped:
        return query
    return shared_with(query, actor.organisation)


def shared_with(query: Query, organisation: str | ColumnElement[str] | None) -> Query:
    """`query` over review items, limited to those a partner of `organisation` (a name, or a
    bound parameter for a statement built once) may see."""
    mine = (Share.item_id == ReviewItem.id, Share.organisation == organisation)
    disclosed = exists().where(*mine, Share.disclosed)
    restricted = exists().where(  # the profile's code too, whatever the item says
        Profile.entity_id == ReviewItem.entity_id, Profile.handling_code != "P"
    )
    return query.where(
        exists().where(*mine),
        or_(disclosed, and_(ReviewItem.handling_code == "P", ~restricted)),
    )


def require_visible(session: Session, actor: Actor, entity_id: str) -> None:
    """NotFound for a partner unless the person's review item was shared with them (they
    learn nothing of its existence); staff see every person, so nothing is read for them."""
    if not actor.scoped:
        return
    query = shared_items(select(ReviewItem.id).where(ReviewItem.entity_id == entity_id), actor)
    if session.execute(query.limit(1)).first() is None:
        raise NotFound(f"no entity {entity_id}")


def redacted(view: dict[str, Any], actor: Actor) -> dict[str, Any]:
    """The view with what a partner must not see withheld, at any depth."""
    return redact_for_partner(view) if actor.scoped else view
