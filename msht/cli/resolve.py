"""Entity-resolution commands: resolve, judge, explain-match, eval resolve."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from msht.cli.app import ProjectDir, _show_run, app
from msht.cli.present import TaskSink, console, fail, print_scores, progress_bar
from msht.errors import MshtError

eval_app = typer.Typer(help="Measure msht's results against ground truth.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")


@app.command()
def resolve(
    directory: ProjectDir,
    retrain: Annotated[bool, typer.Option(help="Train the person model again.")] = False,
    incremental: Annotated[
        bool,
        typer.Option(
            help="Ingest the sources again and link only the person records new since the "
            "last run, with the saved model (no retraining; earlier entities are kept)."
        ),
    ] = False,
) -> None:
    """Resolve entities again on the current store as a new version (ingest is not repeated,
    except with --incremental); then `msht network` builds the entity graph again."""
    from msht.pipeline.run import resolve_again
    from msht.resolve.stage import Mode

    if retrain and incremental:
        raise fail(MshtError("--retrain and --incremental exclude each other"))
    mode: Mode = "retrain" if retrain else "incremental" if incremental else "auto"
    try:
        with progress_bar() as bar:
            result = resolve_again(directory, mode, TaskSink(bar))
    except MshtError as exc:
        raise fail(exc) from exc
    _show_run(result)


@app.command()
def judge(
    directory: ProjectDir,
    verdict: Annotated[str, typer.Argument(help="same, different or unsure.")],
    record_a: Annotated[str, typer.Argument(help="A person record id (person.id).")],
    record_b: Annotated[str, typer.Argument(help="Another person record id.")],
    by: Annotated[str, typer.Option(help="Who makes the judgement.")],
    reason: Annotated[str, typer.Option(help="Why.")],
) -> None:
    """Record that two person records are (or are not) the same human; the next run obeys."""
    from msht.pipeline.resolution import judge as record_judgement

    if verdict not in ("same", "different", "unsure"):
        raise fail(MshtError(f"verdict must be same, different or unsure, not {verdict!r}"))
    try:
        made = record_judgement(directory, verdict, record_a, record_b, by, reason)  # type: ignore[arg-type]
    except MshtError as exc:
        raise fail(exc) from exc
    console.print(
        f"Recorded: {made.record_a} and {made.record_b} are {made.verdict} ({made.by}, {made.at})."
    )


def _waterfall(result: Any) -> Table:
    """A pair's waterfall (a PairExplanation) as a table."""
    table = Table(title=f"{result.record_a}  vs  {result.record_b}")
    for col in ("comparison", "level", "A", "B", "weight"):
        table.add_column(col, justify="right" if col == "weight" else "left")
    table.add_row("prior", "two random records", "", "", f"{result.prior_weight:+.2f}")
    for s in result.steps:
        tf = f" (tf {s.term_frequency_adjustment:+.2f})" if s.term_frequency_adjustment else ""
        table.add_row(s.comparison, s.level, s.value_a, s.value_b, f"{s.match_weight:+.2f}{tf}")
    table.add_row(
        "total",
        f"probability {result.match_probability:.4f}",
        "",
        "",
        f"{result.match_weight:+.2f}",
    )
    return table


@app.command("explain-match")
def explain_match(
    directory: ProjectDir,
    record_a: Annotated[str, typer.Argument(help="A person record id, or a person entity id.")],
    record_b: Annotated[
        str | None, typer.Argument(help="Another person record id (none for an entity).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show why two person records match or not (each comparison's match weight), or why a
    resolved entity holds its records (the waterfall of each pair linking them)."""
    from msht.pipeline.resolution import explain
    from msht.resolve.explain import PairExplanation

    try:
        result = explain(directory, record_a, record_b)
    except MshtError as exc:
        raise fail(exc) from exc
    if as_json:
        print(json.dumps(result.as_dict(), indent=2))
        return
    if isinstance(result, PairExplanation):
        console.print(_waterfall(result))
        return
    console.print(f"Entity [bold]{result.entity_id}[/bold]: {len(result.records)} records")
    for record in result.records:
        console.print(f"  {record}")
    for link in result.links:
        console.print(_waterfall(link))
    if result.links_not_shown:
        console.print(f"… and {result.links_not_shown} weaker linking pairs.")
    if not result.links:
        console.print("No scored pair links these records: they were joined by judgements.")
    if result.against:
        console.print(
            "Pairs of its records scored against a match (held together by the other pairs' "
            "evidence, a judgement, or an incremental run keeping earlier entities whole):"
        )
        for a, b, weight in result.against:
            console.print(f"  {a}  vs  {b}  {weight:+.2f}")
        if result.against_not_shown:
            console.print(f"… and {result.against_not_shown} more.")


@eval_app.command("resolve")
def eval_resolve(
    directory: ProjectDir,
    truth: Annotated[
        Path | None, typer.Option(help="Truth folder or records.csv (default: DIR/truth).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Pairwise and B-cubed precision, recall and F1 of person clusters against the truth."""
    from msht.pipeline.resolution import evaluate

    try:
        scores = evaluate(directory, truth)
    except MshtError as exc:
        raise fail(exc) from exc
    print_scores("Person resolution against the truth", scores.as_dict(), as_json)
