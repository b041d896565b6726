"""`msht audit`: check the audit log's hash chain and export a period of it for the ICO."""

from __future__ import annotations

import getpass
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from msht.cli.present import console, err_console, fail
from msht.errors import MshtError

# Not imported from msht.cli.app, which imports this module to register it.
app = typer.Typer(
    help="The tamper-evident audit log (DPA 2018 s.62): check it, export it for the ICO.",
    no_args_is_help=True,
)

ProjectDir = Annotated[
    Path, typer.Argument(help="Project folder (holds msht.yaml).", file_okay=False)
]
#: Days are given as YYYY-MM-DD; the log keeps UTC times, so a day is a UTC day.
DAY = ["%Y-%m-%d"]


@app.command()
def verify(directory: ProjectDir) -> None:
    """Check every entry against its hash and the one before it; exit 1 naming the first bad
    entry if any was altered, removed, reordered or inserted."""
    from msht.audit import verify as verify_log
    from msht.pipeline.serving import serving_session

    try:
        with serving_session(directory) as session:
            result = verify_log(session)
    except MshtError as exc:
        raise fail(exc) from exc
    if not result.ok:
        err_console.print(
            f"[red]Audit log broken at entry {result.first_bad}[/red] ({result.problem}): "
            f"{result.explanation}. The {result.entries:,} entries before it are sound."
        )
        raise typer.Exit(code=1)
    console.print(f"Audit log sound: {result.entries:,} entries, every hash and link checked.")


@app.command()
def export(
    directory: ProjectDir,
    out: Annotated[Path, typer.Option("--out", help="File to write (JSON Lines).", dir_okay=False)],
    start: Annotated[
        datetime | None,
        typer.Option("--from", formats=DAY, help="First day, UTC (default: the first entry)."),
    ] = None,
    end: Annotated[
        datetime | None,
        typer.Option("--to", formats=DAY, help="Last day, UTC (default: the newest entry)."),
    ] = None,
    recipient: Annotated[str, typer.Option(help="Who receives the file.")] = "ICO",
    reason: Annotated[
        str | None, typer.Option(help="Why (default: 'audit log requested by RECIPIENT').")
    ] = None,
    user: Annotated[
        str | None, typer.Option(help="Who exports, as recorded (default: your login name).")
    ] = None,
) -> None:
    """Write the entries of a period, with a header to check them by, for the ICO; the
    export is itself recorded in the log."""
    from msht.audit import export_audit
    from msht.pipeline.serving import serving_session

    try:
        with serving_session(directory) as session:
            result = export_audit(
                session,
                out,
                start.date() if start else None,
                end.date() if end else None,
                username=user or getpass.getuser(),
                role="admin",
                reason=reason or f"audit log requested by {recipient}",
                recipient=recipient,
            )
    except MshtError as exc:
        raise fail(exc) from exc
    span = f" (entries {result.first} to {result.last})" if result.count else ""
    console.print(
        f"Wrote {result.count:,} entries{span} to [bold]{out}[/bold] for {recipient}; "
        f"recorded as audit entry {result.entry}. SHA-256 {result.sha256}"
    )
    if not result.verification.ok:
        err_console.print(
            f"[red]The audit log is broken at entry {result.verification.first_bad}[/red] "
            f"({result.verification.problem}); the file's header says so."
        )
