"""Every table of the serving store, imported together so the metadata is complete."""

from __future__ import annotations

from msht.store.audit import AuditEntry
from msht.store.base import Base
from msht.store.published import Entity, Evidence, GroupMember, Profile, Publication, SignHit
from msht.store.reviews import JudgementRow, Note, ReviewItem, Share, Transition
from msht.store.users import User

__all__ = [
    "AuditEntry",
    "Base",
    "Entity",
    "Evidence",
    "GroupMember",
    "JudgementRow",
    "Note",
    "Profile",
    "Publication",
    "ReviewItem",
    "Share",
    "SignHit",
    "Transition",
    "User",
]
