"""The line every export carries: who exported it, when, and its security marking."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

#: Government Security Classifications: police intelligence on people is this by default.
DEFAULT_MARKING = "OFFICIAL-SENSITIVE"


@dataclass(frozen=True)
class Watermark:
    """Who, when and how marked; `text` is the line printed on the export."""

    who: str
    when: datetime
    marking: str = DEFAULT_MARKING

    @property
    def text(self) -> str:
        """The watermark line."""
        stamp = self.when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return f"{self.marking} — exported from msht by {self.who} at {stamp}"


def watermark(who: str, marking: str = DEFAULT_MARKING) -> Watermark:
    """A watermark for an export made now."""
    return Watermark(who, datetime.now(UTC), marking)
