"""Account commands: `msht user add|disable|role|list`. Passwords never go on the command
line (shell history, process lists): they come from standard input or a hidden prompt."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from msht.cli.present import console, err_console
from msht.errors import MshtError

app = typer.Typer(help="Manage accounts: add, disable, change role, list.", no_args_is_help=True)

ProjectDir = Annotated[
    Path, typer.Argument(help="Project folder (holds msht.yaml).", file_okay=False)
]
Username = Annotated[str, typer.Argument(help="User name (lower case).")]
Organisation = Annotated[
    str | None,
    typer.Option(help="Partner organisation id (partners only; see msht/access/partners.yaml)."),
]


def _fail(exc: MshtError) -> typer.Exit:
    err_console.print(f"[red]error:[/red] {exc}")
    return typer.Exit(code=1)


@app.command()
def add(
    directory: ProjectDir,
    username: Username,
    role: Annotated[str, typer.Option(help="analyst, reviewer, partner or admin.")],
    organisation: Organisation = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Add an account; the password is read from standard input or a hidden prompt."""
    from msht.access.users import add_user
    from msht.pipeline.serving import open_store
    from msht.store.database import transaction

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        with transaction(open_store(directory)) as session:
            change = add_user(session, username, password, role, organisation)
    except MshtError as exc:
        raise _fail(exc) from exc
    where = f" of {change.after['organisation']}" if change.after["organisation"] else ""
    console.print(f"Added [bold]{change.username}[/bold] as {role}{where}.")


@app.command()
def disable(directory: ProjectDir, username: Username) -> None:
    """Disable an account: it can no longer sign in."""
    from msht.access.users import disable_user
    from msht.pipeline.serving import open_store
    from msht.store.database import transaction

    try:
        with transaction(open_store(directory)) as session:
            change = disable_user(session, username)
    except MshtError as exc:
        raise _fail(exc) from exc
    already = " (it was already)" if change.before["disabled"] else ""
    console.print(f"Disabled [bold]{change.username}[/bold]{already}.")


@app.command("role")
def role_command(
    directory: ProjectDir,
    username: Username,
    role: Annotated[str, typer.Argument(help="analyst, reviewer, partner or admin.")],
    organisation: Organisation = None,
) -> None:
    """Give an account another role (a partner needs --organisation)."""
    from msht.access.users import set_role
    from msht.pipeline.serving import open_store
    from msht.store.database import transaction

    try:
        with transaction(open_store(directory)) as session:
            change = set_role(session, username, role, organisation)
    except MshtError as exc:
        raise _fail(exc) from exc
    console.print(
        f"[bold]{change.username}[/bold]: {change.before['role']} → {change.after['role']}."
    )


@app.command("list")
def list_command(directory: ProjectDir) -> None:
    """List the accounts with role, organisation and state."""
    from msht.access.users import list_users
    from msht.pipeline.serving import open_store
    from msht.store.database import transaction

    try:
        with transaction(open_store(directory)) as session:
            users = list_users(session)
    except MshtError as exc:
        raise _fail(exc) from exc
    now = datetime.now(UTC)
    table = Table(title=f"{len(users)} accounts")
    for col in ("user", "role", "organisation", "state", "created"):
        table.add_column(col)
    for user in users:
        state = "disabled" if user.disabled else "active"
        if user.locked_until is not None and user.locked_until > now:
            state += f", locked until {user.locked_until:%Y-%m-%d %H:%M} UTC"
        created = f"{user.created_at:%Y-%m-%d}"
        table.add_row(user.username, user.role, user.organisation or "", state, created)
    console.print(table)
