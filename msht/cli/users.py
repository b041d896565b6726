"""Account commands: `msht user add|disable|role|password|list`. Passwords never go on the
command line (shell history, process lists): they come from standard input or a hidden
prompt. Each change is an entry in the audit log, made by `--by` (default: your login)."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from msht.cli.present import console, fail
from msht.errors import MshtError

app = typer.Typer(
    help="Manage accounts: add, disable, change role, reset a password, list.",
    no_args_is_help=True,
)

ProjectDir = Annotated[
    Path, typer.Argument(help="Project folder (holds msht.yaml).", file_okay=False)
]
Username = Annotated[str, typer.Argument(help="User name (lower case).")]
Organisation = Annotated[
    str | None,
    typer.Option(help="Partner organisation id (partners only; see msht/access/partners.yaml)."),
]
PasswordStdin = Annotated[
    bool, typer.Option("--password-stdin", help="Read the password from standard input.")
]
By = Annotated[
    str | None,
    typer.Option("--by", help="Who makes the change, as audited (default: your login name)."),
]


def _password(from_stdin: bool) -> str:
    """One line of standard input, or a hidden prompt asked twice."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))


@app.command()
def add(
    directory: ProjectDir,
    username: Username,
    role: Annotated[str, typer.Option(help="analyst, reviewer, partner or admin.")],
    organisation: Organisation = None,
    password_stdin: PasswordStdin = False,
    by: By = None,
) -> None:
    """Add an account; the password is read from standard input or a hidden prompt."""
    from msht.pipeline.accounts import add_account

    password = _password(password_stdin)
    try:
        change = add_account(directory, username, password, role, organisation, by)
    except MshtError as exc:
        raise fail(exc) from exc
    where = f" of {change.after['organisation']}" if change.after["organisation"] else ""
    console.print(f"Added [bold]{change.username}[/bold] as {role}{where}.")


@app.command()
def disable(directory: ProjectDir, username: Username, by: By = None) -> None:
    """Disable an account: it can no longer sign in."""
    from msht.pipeline.accounts import disable_account

    try:
        change = disable_account(directory, username, by)
    except MshtError as exc:
        raise fail(exc) from exc
    already = " (it was already)" if change.before["disabled"] else ""
    console.print(f"Disabled [bold]{change.username}[/bold]{already}.")


@app.command("role")
def role_command(
    directory: ProjectDir,
    username: Username,
    role: Annotated[str, typer.Argument(help="analyst, reviewer, partner or admin.")],
    organisation: Organisation = None,
    by: By = None,
) -> None:
    """Give an account another role (a partner needs --organisation)."""
    from msht.pipeline.accounts import change_role

    try:
        change = change_role(directory, username, role, organisation, by)
    except MshtError as exc:
        raise fail(exc) from exc
    console.print(
        f"[bold]{change.username}[/bold]: {change.before['role']} → {change.after['role']}."
    )


@app.command("password")
def password_command(
    directory: ProjectDir,
    username: Username,
    password_stdin: PasswordStdin = False,
    by: By = None,
) -> None:
    """Give an account a new password and lift any lock-out; the password is read from
    standard input or a hidden prompt."""
    from msht.pipeline.accounts import reset_password

    password = _password(password_stdin)
    try:
        change = reset_password(directory, username, password, by)
    except MshtError as exc:
        raise fail(exc) from exc
    console.print(f"New password set for [bold]{change.username}[/bold]; any lock-out lifted.")


@app.command("list")
def list_command(directory: ProjectDir) -> None:
    """List the accounts with role, organisation and state."""
    from msht.access.users import list_users
    from msht.pipeline.serving import serving_session

    try:
        with serving_session(directory) as session:
            users = list_users(session)
    except MshtError as exc:
        raise fail(exc) from exc
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
