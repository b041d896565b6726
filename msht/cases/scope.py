"""What a partner may see: items shared with their organisation, anything but handling code P
only after a disclosure, and never a victim's address or contacts (R09, R19)."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import Select, and_, exists, or_, select
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
    mine = (Share.item_id == ReviewItem.id, Share.organisation == actor.organisation)
    disclosed = exists().where(*mine, Share.disclosed)
    restricted = exists().where(  # the profile's code too, whatever the item says
        Profile.entity_id == ReviewItem.entity_id, Profile.handling_code != "P"
    )
    return query.where(
        exists().where(*mine),
        or_(disclosed, and_(ReviewItem.handling_code == "P", ~restricted)),
    )


def visible_item(session: Session, actor: Actor, entity_id: str) -> ReviewItem | None:
    """The person's review item if the actor may see it; None for staff when there is none;
    NotFound for a partner it was not shared with (they learn nothing of its existence)."""
    query = shared_items(select(ReviewItem).where(ReviewItem.entity_id == entity_id), actor)
    item = session.scalars(query).first()
    if item is None and actor.scoped:
        raise NotFound(f"no entity {entity_id}")
    return item


def redacted(view: dict[str, Any], actor: Actor) -> dict[str, Any]:
    """The view with what a partner must not see withheld, at any depth."""
    return redact_for_partner(view) if actor.scoped else view
