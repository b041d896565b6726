"""Error types shared by every layer.

Each error says where the problem is (file, key or row, field) so that a person can fix
the input without reading code.
"""

from __future__ import annotations

from pydantic import ValidationError


class MshtError(Exception):
    """Base class of every error msht raises on purpose."""


class ConfigError(MshtError):
    """A configuration file (project, mapping, schema, rules) is invalid."""

    def __init__(self, file: str, key: str, problem: str) -> None:
        self.file = file
        self.key = key
        self.problem = problem
        where = f"{file}: {key}" if key else file
        super().__init__(f"{where}: {problem}")

    @classmethod
    def from_validation(cls, file: str, exc: ValidationError, prefix: str = "") -> ConfigError:
        """The first problem pydantic found, with its key path (under `prefix`)."""
        err = exc.errors()[0]
        loc = ".".join(str(p) for p in err["loc"])
        return cls(file, ".".join(p for p in (prefix, loc) if p), err["msg"])


class SourceError(MshtError):
    """A source cannot be read at all (missing column, wrong format); other sources go on."""

    def __init__(self, source: str, file: str, problem: str, column: str | None = None) -> None:
        self.source = source
        self.file = file
        self.column = column
        self.problem = problem
        col = f", column {column!r}" if column else ""
        super().__init__(f"source {source!r}: {file}{col}: {problem}")


class ValueProblem(MshtError):  # noqa: N818 -- a fault in the data, caught and counted
    """One value cannot be normalised; `reason` is a stable code used in quarantine counts."""

    def __init__(self, reason: str, message: str) -> None:
        self.reason = reason
        self.message = message
        super().__init__(f"{reason}: {message}")


class EngineError(MshtError):
    """The compute engine failed or is not available (e.g. pyspark not installed)."""
