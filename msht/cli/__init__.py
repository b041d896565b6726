"""The `msht` command line: parse arguments, call one library function, present the result."""

from __future__ import annotations

from msht.cli import audit as _audit
from msht.cli import indicators as _indicators  # noqa: F401 - registers its commands
from msht.cli import network as _network  # noqa: F401 - registers its commands
from msht.cli import resolve as _resolve  # noqa: F401 - registers its commands
from msht.cli import risk as _risk  # noqa: F401 - registers its commands
from msht.cli import users as _users
from msht.cli.app import app

app.add_typer(_audit.app, name="audit")
app.add_typer(_users.app, name="user")


def main() -> None:
    """Entry point of the `msht` console script."""
    app()


__all__ = ["app", "main"]
