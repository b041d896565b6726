"""The `msht` command line: parse arguments, call one library function, present the result."""

from __future__ import annotations

from msht.cli import indicators as _indicators  # noqa: F401 - registers its commands
from msht.cli import network as _network  # noqa: F401 - registers its commands
from msht.cli import resolve as _resolve  # noqa: F401 - registers its commands
from msht.cli import risk as _risk  # noqa: F401 - registers its commands
from msht.cli.app import app


def main() -> None:
    """Entry point of the `msht` console script."""
    app()


__all__ = ["app", "main"]
