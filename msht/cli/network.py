"""Network commands: build the entity graph and its metrics; export it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from msht.cli.app import ProjectDir, _show_run, app
from msht.cli.present import TaskSink, console, fail, print_scores, progress_bar
from msht.cli.resolve import eval_app
from msht.errors import MshtError
from msht.exports.watermark import DEFAULT_MARKING


@app.command()
def network(directory: ProjectDir) -> None:
    """Build the entity graph, its metrics and the groups around flagged people again on the
    current store, with the structured indicators and risk profiles that rest on them, as a
    new version; `msht run` does it too."""
    from msht.pipeline.run import network_again

    try:
        with progress_bar() as bar:
            result = network_again(directory, TaskSink(bar))
    except MshtError as exc:
        raise fail(exc) from exc
    _show_run(result)


@app.command("export")
def export_command(
    fmt: Annotated[str, typer.Argument(metavar="FORMAT", help="anx, graphml, xlsx or csv.")],
    directory: ProjectDir,
    out: Annotated[Path, typer.Option(help="File to write (csv: entities; links beside it).")],
    by: Annotated[str, typer.Option(help="Who exports (printed on the export).")],
    recipient: Annotated[
        str, typer.Option(help="Who receives the export (kept in the audit log).")
    ],
    purpose: Annotated[str, typer.Option(help="Why it is exported (kept in the audit log).")],
    person: Annotated[
        str | None, typer.Option(help="Export this entity and its neighbourhood.")
    ] = None,
    hops: Annotated[int, typer.Option(help="Links from --person to include.")] = 1,
    entity: Annotated[
        list[str] | None, typer.Option(help="Export these entities (repeat the option).")
    ] = None,
    group: Annotated[str | None, typer.Option(help="Export this network group.")] = None,
    division: Annotated[
        str | None, typer.Option(help="Export this division's places and their links.")
    ] = None,
    marking: Annotated[str, typer.Option(help="Security marking.")] = DEFAULT_MARKING,
) -> None:
    """Export the entity graph, or part of it, watermarked with who, when and the marking."""
    from msht.exports.export import FORMATS, ExportRequest
    from msht.exports.selection import Filter
    from msht.pipeline.exporting import export_graph

    if fmt not in FORMATS:
        raise fail(MshtError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}"))
    try:
        chosen = Filter(person, hops, entity, group, division)
        request = ExportRequest(fmt, out, by, chosen, marking, recipient=recipient, purpose=purpose)
        selection, written = export_graph(directory, request)
    except MshtError as exc:
        raise fail(exc) from exc
    console.print(
        f"Exported {selection.nodes.num_rows:,} entities and {selection.edges.num_rows:,} links "
        f"({selection.description}) to {', '.join(str(p) for p in written)}, marked {marking}."
    )


@eval_app.command("network")
def eval_network(
    directory: ProjectDir,
    truth: Annotated[Path | None, typer.Option(help="Truth folder (default: DIR/truth).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Planted networks held whole by one detected group, flagged victims, and the
    investigation list, against the truth of a synthetic project."""
    from msht.pipeline.network_eval import evaluate_network

    try:
        scores = evaluate_network(directory, truth)
    except MshtError as exc:
        raise fail(exc) from exc
    print_scores("Network groups against the planted networks", scores.as_dict(), as_json)
