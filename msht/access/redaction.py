"""What a partner may see: only items shared with its organisation, redacted (R09, R19)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Protocol

#: What a partner sees in place of a withheld value.
WITHHELD = "[withheld: R19]"

#: Fields withheld from partners wherever they appear (nested too): where a victim lives
#: and how to reach them (R19); free text — evidence details, sign text spans, notes, the
#: reasons given for moves — which may quote either and cannot be checked for them
#: reliably; and the police source records behind an entity or evidence (R09).
WITHHELD_FIELDS = frozenset(
    {"address", "contact", "detail", "text", "records", "reason", "record_id"}
)

#: Handling codes of the 3x5x2 grading that allow sharing without a disclosure. Any other
#: code (C, or one msht does not know) needs a reviewer's recorded disclosure.
SHAREABLE_CODES = frozenset({"P"})


class ShareLike(Protocol):
    """What visibility needs of a share (msht.store.reviews.Share has it)."""

    @property
    def organisation(self) -> str:
        """The partner the item is shared with."""

    @property
    def disclosed(self) -> bool:
        """Whether handling-code C material was disclosed to it."""


def redact_for_partner(entity: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of `entity` (an entity, profile or review item as a mapping) with every
    WITHHELD_FIELDS value, at any depth, replaced by WITHHELD."""
    return {key: _redact(key, value) for key, value in entity.items()}


def _redact(key: str, value: Any) -> Any:
    if key in WITHHELD_FIELDS:
        return WITHHELD
    if isinstance(value, Mapping):
        return redact_for_partner(value)
    if isinstance(value, list | tuple):
        return [_redact("", item) for item in value]
    return value


def visible_to_partner(
    handling_code: str | None, shares: Iterable[ShareLike], organisation: str | None
) -> bool:
    """Whether a partner of `organisation` may see an item: it must be shared with that
    organisation, and an item with handling code C (or none, or unknown) only after a
    disclosure to it."""
    if not organisation:
        return False
    for share in shares:
        if share.organisation == organisation:
            return handling_code in SHAREABLE_CODES or share.disclosed
    return False
