"""Indicator commands: try the matcher on any text; score it on a synthetic project."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from msht.cli.app import ProjectDir, app
from msht.cli.present import fail, print_evaluation
from msht.cli.resolve import eval_app
from msht.errors import MshtError

indicators_app = typer.Typer(
    help="Signs of exploitation in free text (the indicator lexicon).", no_args_is_help=True
)
app.add_typer(indicators_app, name="indicators")


@indicators_app.command("scan")
def scan(
    file: Annotated[Path, typer.Argument(help="Plain UTF-8 text, one text per line.")],
) -> None:
    """Print one JSON object per line of FILE: the signs found, with character spans."""
    from msht.indicators.scan import scan_lines

    try:
        for result in scan_lines(file):
            print(json.dumps(result, ensure_ascii=False))
    except MshtError as exc:
        raise fail(exc) from exc


@eval_app.command("indicators")
def eval_indicators(
    directory: ProjectDir,
    truth: Annotated[Path | None, typer.Option(help="Truth folder (default: DIR/truth).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Precision, recall and F1 of the signs found against the truth of a synthetic project,
    recall on held-out wordings, and negated mentions wrongly matched."""
    from msht.pipeline.indicating import evaluate_indicators

    try:
        scores = evaluate_indicators(directory, truth).as_dict()
    except MshtError as exc:
        raise fail(exc) from exc
    print_evaluation(
        scores,
        as_json,
        "Indicators against the truth",
        ("by_indicator", "Lowest F1 by indicator", "f1"),
        lowest=10,
    )
