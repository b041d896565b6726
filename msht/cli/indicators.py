"""Indicator commands: try the matcher on any text; score it on a synthetic project."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from msht.cli.app import ProjectDir, _fail, app
from msht.cli.present import print_scores
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
        raise _fail(exc) from exc


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
        result = evaluate_indicators(directory, truth)
    except MshtError as exc:
        raise _fail(exc) from exc
    scores = result.as_dict()
    if as_json:
        print(json.dumps(scores))
        return
    scores.pop("by_indicator")
    print_scores("Indicators against the truth", scores, False)
    worst = sorted(result.by_indicator.items(), key=lambda kv: kv[1]["f1"])[:10]
    print_scores("Lowest F1 by indicator", {k: v["f1"] for k, v in worst}, False)
