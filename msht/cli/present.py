"""Rich rendering of results: progress bars, run summaries, calibration tables."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

console = Console(stderr=False)
err_console = Console(stderr=True)


def fail(exc: Exception) -> typer.Exit:
    """Print `exc` as an error, whole on one line (never wrapped: it names a file, row and
    field someone may copy or search for), and the exit to raise: code 1."""
    err_console.print(f"[red]error:[/red] {escape(str(exc))}", soft_wrap=True)
    return typer.Exit(code=1)


@contextmanager
def progress_bar() -> Iterator[Progress]:
    """A progress display for long stages (transient: it clears when done)."""
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    ) as bar:
        yield bar


class TaskSink:
    """Adapts library progress callbacks `(task, amount[, total])` to Rich tasks.

    `amount` is what was done since the last call, or with `cumulative=True` all done so far.
    """

    def __init__(self, bar: Progress, cumulative: bool = False) -> None:
        self.bar = bar
        self.cumulative = cumulative
        self.tasks: dict[str, Any] = {}

    def __call__(self, name: str, amount: int, total: int | None = None) -> None:
        """Move the bar called `name`, creating it on first use."""
        if name not in self.tasks:
            self.tasks[name] = self.bar.add_task(name, total=total)
        if self.cumulative:
            self.bar.update(self.tasks[name], completed=amount, total=total)
        else:
            self.bar.update(self.tasks[name], advance=amount, total=total)


def run_table(summary: dict[str, Any]) -> Table:
    """Per-source reconciliation: rows in = loaded + quarantined."""
    table = Table(title=f"Run {summary['run_id']}", show_lines=False)
    for col in ("source", "rows in", "loaded", "quarantined", "reasons / error"):
        table.add_column(
            col, justify="right" if col[0] in "rlq" and col != "reasons / error" else "left"
        )
    totals = [0, 0, 0]
    for name, s in summary["sources"].items():
        note = s.get("error") or ", ".join(f"{k} {v}" for k, v in s["quarantine_reasons"].items())
        style = "red" if "error" in s else None
        table.add_row(
            name,
            f"{s['rows_in']:,}",
            f"{s['loaded']:,}",
            f"{s['quarantined']:,}",
            note,
            style=style,
        )
        totals = [totals[0] + s["rows_in"], totals[1] + s["loaded"], totals[2] + s["quarantined"]]
    table.add_row("[bold]total", *(f"[bold]{t:,}" for t in totals), "")
    return table


def stages_table(stages: dict[str, float]) -> Table:
    """Seconds per stage."""
    table = Table(title="Stages")
    table.add_column("stage")
    table.add_column("seconds", justify="right")
    for name, secs in stages.items():
        table.add_row(name, f"{secs:.2f}")
    return table


def resolve_table(resolved: dict[str, Any]) -> Table:
    """Records and resolved entities per type, with what the person model did."""
    merges, splits = resolved.get("merges", 0), resolved.get("splits", 0)
    table = Table(
        title=f"Entity resolution (person model {resolved.get('model', '?')}; "
        f"{resolved.get('pairs_above_threshold', 0):,} linking pairs; "
        f"{merges} merges, {splits} splits of earlier ids)"
    )
    table.add_column("entity type")
    table.add_column("records", justify="right")
    table.add_column("entities", justify="right")
    for entity_type, records in resolved.get("records", {}).items():
        table.add_row(entity_type, f"{records:,}", f"{resolved['entities'][entity_type]:,}")
    left_out = [b["rule"] for b in resolved.get("blocking", []) if not b.get("used", True)]
    if left_out:
        table.caption = f"blocking rules left out as too loose for this data: {left_out}"
    return table


def network_line(network: dict[str, Any]) -> str:
    """One line on what the network stage built."""
    return (
        f"Network: {network.get('nodes', 0):,} entities, {network.get('edges', 0):,} edges; "
        f"{network.get('flagged', 0):,} people flagged as potential victims, "
        f"{network.get('groups', 0):,} groups around them, "
        f"{network.get('for_investigation', 0):,} people listed for investigation."
    )


def print_scores(title: str, scores: dict[str, Any], as_json: bool) -> None:
    """Scores as one JSON object, or as a table of measures (floats to four places)."""
    if as_json:
        print(json.dumps(scores))
        return
    table = Table(title=title)
    table.add_column("measure")
    table.add_column("value", justify="right")
    for key, value in scores.items():
        shown = (
            "—" if value is None else f"{value:.4f}" if isinstance(value, float) else f"{value:,}"
        )
        table.add_row(key, shown)
    console.print(table)


def print_evaluation(
    scores: dict[str, Any],
    as_json: bool,
    title: str,
    detail: tuple[str, str, str],
    lowest: int | None = None,
) -> None:
    """An evaluation as one JSON object, or as two tables: the headline scores, then one
    measure of each part (`detail`: key of the parts, their title, the measure), only the
    `lowest` parts by that measure when given."""
    if as_json:
        print(json.dumps(scores))
        return
    key, detail_title, measure = detail
    headline = {k: v for k, v in scores.items() if k != key}
    print_scores(title, headline, False)
    parts = list(scores[key].items())
    if lowest is not None:
        parts = sorted(parts, key=lambda kv: kv[1][measure])[:lowest]
    print_scores(detail_title, {k: v[measure] for k, v in parts}, False)
