"""Why a review operation was refused; the API maps each to its HTTP status."""

from __future__ import annotations

from msht.errors import MshtError


class NotFound(MshtError):  # noqa: N818 -- named for the HTTP answer it becomes
    """No such item, entity or profile (HTTP 404)."""


class Conflict(MshtError):  # noqa: N818 -- named for the HTTP answer it becomes
    """The operation does not fit the item's state: a move the workflow does not allow, a
    close without a second person, or a change made meanwhile by someone else (HTTP 409)."""


class Forbidden(MshtError):  # noqa: N818 -- named for the HTTP answer it becomes
    """The user's role or organisation does not allow it (HTTP 403)."""


class Invalid(MshtError):  # noqa: N818 -- named for the HTTP answer it becomes
    """A value is missing or wrong; `field` names it (HTTP 422)."""

    def __init__(self, field: str, problem: str, where: str = "body") -> None:
        self.field = field
        self.where = where
        """Where the field is: `body` or `query`."""
        super().__init__(f"{field}: {problem}")
