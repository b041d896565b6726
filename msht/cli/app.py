"""Typer commands. Each parses its options, calls one library function and presents the result."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

import typer

from msht.cli.present import (
    TaskSink,
    console,
    err_console,
    fail,
    network_line,
    progress_bar,
    resolve_table,
    run_table,
    stages_table,
)
from msht.errors import MshtError

app = typer.Typer(
    name="msht",
    help="Find, explain and review signs of modern slavery across police and partner records.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

ProjectDir = Annotated[
    Path, typer.Argument(help="Project folder (holds msht.yaml).", file_okay=False)
]


@app.command()
def init(
    directory: ProjectDir,
    force: Annotated[bool, typer.Option(help="Overwrite an existing project's files.")] = False,
) -> None:
    """Create a new project folder from the shipped example (config, mappings, rules)."""
    from msht.project.example import init_project

    try:
        written = init_project(directory, force=force)
    except MshtError as exc:
        raise fail(exc) from exc
    console.print(f"Created project in [bold]{directory}[/bold] ({len(written)} files).")


def _calibration_table(rows: Any) -> Any:
    from rich.table import Table

    table = Table(title="Calibration of planted victims to the Kent figures (seeds 002, 003)")
    for col in ("dimension", "category", "target %", "actual %", "diff (points)", "within ±5"):
        table.add_column(col, justify="left" if col in ("dimension", "category") else "right")
    for r in rows:
        table.add_row(
            r.dimension,
            r.category,
            f"{100 * r.target_share:.1f}",
            f"{100 * r.actual_share:.1f}",
            f"{r.diff_points:+.1f}",
            "yes" if r.ok else "[red]NO",
        )
    return table


def _show_synth(out: Path, result: Any) -> None:
    console.print(_calibration_table(result.calibration))
    console.print(
        f"Wrote [bold]{sum(result.rows.values()):,}[/bold] rows from {len(result.rows)} sources "
        f"({result.people:,} people, {result.victims:,} planted victims in {result.networks:,} "
        f"networks) to [bold]{out}[/bold] in {result.seconds:.1f} s."
    )


@app.command()
def synth(
    out: Annotated[Path, typer.Option("--out", help="Folder to write the project into.")],
    people: Annotated[
        int, typer.Option(help="Size of the synthetic population.", min=100)
    ] = 20_000,
    seed: Annotated[int, typer.Option(help="Random seed: same seed, same bytes.")] = 0,
) -> None:
    """Write a synthetic multi-source project with planted exploitation networks and truth."""
    from msht.synth import generate

    try:
        with progress_bar() as bar:
            result = generate(out, people, seed, progress=TaskSink(bar, cumulative=True))
    except MshtError as exc:
        raise fail(exc) from exc
    _show_synth(out, result)


def _show_run(result: Any) -> None:
    summary = result.summary.as_dict()
    if summary.get("sources"):
        console.print(run_table(summary))
    if "resolve" in summary:
        console.print(resolve_table(summary["resolve"]))
    found = summary.get("indicators", {})
    if "hits" in found:
        console.print(
            f"Indicators: {found['hits']:,} signs of exploitation in {found['texts']:,} texts."
        )
    if "network" in summary:
        console.print(network_line(summary["network"]))
    if "risk" in summary:
        risk = summary["risk"]
        console.print(
            f"Risk: {risk['profiles']:,} profiles of potential victims, "
            f"{risk['cohort']:,} in the review cohort."
        )
    console.print(stages_table(summary["stages"]))
    console.print(f"Summary: [bold]{result.summary_path}[/bold]")
    for name in result.failed_sources:
        err_console.print(f"[red]source {name} failed:[/red] {summary['sources'][name]['error']}")


@app.command()
def run(
    directory: ProjectDir,
    engine: Annotated[
        str | None, typer.Option(help="Override the project's engine: duckdb or spark.")
    ] = None,
    incremental: Annotated[
        bool,
        typer.Option(help="Link only person records new since the last run, with the saved model."),
    ] = False,
) -> None:
    """Run the pipeline on a project; exits non-zero if any source failed."""
    from msht.pipeline.run import run_project

    mode: Literal["auto", "incremental"] = "incremental" if incremental else "auto"
    try:
        with progress_bar() as bar:
            result = run_project(
                directory, progress=TaskSink(bar), engine=engine, resolve_mode=mode
            )
    except MshtError as exc:
        raise fail(exc) from exc
    _show_run(result)
    if result.failed_sources:
        raise typer.Exit(code=1)


@app.command()
def demo(
    out: Annotated[Path, typer.Option(help="Folder for the demo project.")] = Path("demo"),
    people: Annotated[
        int, typer.Option(help="Size of the synthetic population.", min=100)
    ] = 20_000,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
    serve: Annotated[
        bool, typer.Option("--serve/--no-serve", help="Serve the web app after the run.")
    ] = True,
) -> None:
    """Make synthetic data, run the whole pipeline on it and show where everything is."""
    from msht.pipeline.demo import run_demo

    try:
        with progress_bar() as bar:
            done = run_demo(out, people, seed, TaskSink(bar, cumulative=True), TaskSink(bar))
    except MshtError as exc:
        raise fail(exc) from exc
    _show_synth(out, done.synth)
    _show_run(done.run)
    result = done.run
    console.print(
        f"\nDemo finished in {done.seconds:.1f} s.\n"
        f"  project:      {out}/msht.yaml (mappings in {out}/sources/)\n"
        f"  source data:  {out}/data/\n"
        f"  ground truth: {out}/truth/\n"
        f"  POLE store:   {out}/store/ (Parquet tables; CURRENT names the live version)\n"
        f"  resolution:   {out}/resolve/ (linkage settings, trained model, judgements); try\n"
        f"                msht eval resolve {out}  ·  msht explain-match {out} PER-000001\n"
        f"  rules:        {out}/rules/ (indicator flags, network and risk rules); try\n"
        f"                msht eval indicators {out}  ·  msht eval network {out}  ·  "
        f"msht eval risk {out}\n"
        f"                msht explain {out} PER-… --purpose WHY  ·  msht disparity {out}  ·  "
        f"msht export anx {out} --out chart.anx --by NAME --recipient WHO --purpose WHY \\\n"
        f"                  --group GRP-00001\n"
        f"  run summary:  {result.summary_path}"
    )
    _show_accounts(done.users)
    if result.failed_sources:
        raise typer.Exit(code=1)
    if serve:
        from msht.web.serve import serve as serve_api

        console.print(
            "Serving the API on http://127.0.0.1:8000 (OpenAPI at /openapi.json); Ctrl-C stops it."
        )
        serve_api(out)


def _show_accounts(users: list[tuple[str, str, str]]) -> None:
    from rich.table import Table

    table = Table(title="Demo accounts (passwords are new each run; sign in: POST /api/login)")
    for col in ("user", "role", "password"):
        table.add_column(col)
    for row in users:
        table.add_row(*row)
    console.print(table)


@app.command("expire")
def expire_command(directory: ProjectDir) -> None:
    """Send closed flags past their review-by date back to triage, to be re-justified or
    removed (R07). Each run does it when it publishes; run this daily between runs."""
    from datetime import date

    from msht.pipeline.serving import expire_reviews

    try:
        moved = expire_reviews(directory, date.today())
    except MshtError as exc:
        raise fail(exc) from exc
    console.print(f"{len(moved)} review item(s) back in triage: {', '.join(moved) or 'none'}.")


@app.command("serve")
def serve_command(
    directory: ProjectDir,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes.", min=1, max=64)] = 1,
) -> None:
    """Serve the JSON API of a project (review queue, profiles, judgements, audit)."""
    from msht.web.serve import serve as serve_api

    try:
        console.print(f"Serving the API of {directory} on http://{host}:{port}; Ctrl-C stops it.")
        serve_api(directory, host, port, workers)
    except MshtError as exc:
        raise fail(exc) from exc
