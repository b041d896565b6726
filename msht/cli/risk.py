"""Risk commands: a person's profile as a reviewer reads it; the cohort against the truth."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from msht.cli.app import ProjectDir, app
from msht.cli.present import console, fail, print_evaluation
from msht.cli.resolve import eval_app
from msht.errors import MshtError


@app.command()
def explain(
    directory: ProjectDir,
    person: Annotated[str, typer.Argument(help="Person entity id, e.g. PER-000123.")],
    purpose: Annotated[
        str, typer.Option(help="Why you are viewing this person (kept in the audit log).")
    ],
    by: Annotated[
        str | None, typer.Option(help="Who is viewing, as audited (default: your login name).")
    ] = None,
) -> None:
    """Print a person's risk profile: every factor, its rule and points, and its evidence
    with source, record, date and grading. Audited as a consultation; refused for a person
    whose flag a review removed (R07)."""
    from msht.pipeline.risk_eval import profile_of

    try:
        profile, evidence = profile_of(directory, person, purpose, by)
    except MshtError as exc:
        raise fail(exc) from exc
    cohort = "in the review cohort" if profile["cohort"] else "not in the review cohort"
    console.print(
        f"[bold]{person}[/bold]: score {profile['score']} ({profile['tier']}), factors from "
        f"{profile['groups']} group(s), {cohort}; rule set {profile['rule_set_version']}, "
        f"review by {profile['review_by']}."
    )
    for factor in profile["factors"]:
        console.print(
            f"\n[bold]+{factor['points']}[/bold] {factor['description']} "
            f"({factor['group']}; rule {factor['rule_id']} v{factor['rule_version']})"
        )
        for item in (e for e in evidence if e["rule_id"] == factor["rule_id"]):
            grading = "".join(
                g or ""
                for g in (
                    item["source_evaluation"],
                    item["intelligence_assessment"],
                    item["handling_code"],
                )
            )
            graded = f" [{grading}]" if grading else ""
            console.print(
                f"  - {item['source']} {item['source_record_id']}"
                f" ({item['event_date'] or 'no date'}){graded}: {item['detail']}",
                markup=False,
            )


@eval_app.command("risk")
def eval_risk(
    directory: ProjectDir,
    truth: Annotated[Path | None, typer.Option(help="Truth folder (default: DIR/truth).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Recall and precision of the planted victims in the review cohort, its size, the
    controllers in it, and recall by exploitation type."""
    from msht.pipeline.risk_eval import evaluate_risk

    try:
        scores = evaluate_risk(directory, truth).as_dict()
    except MshtError as exc:
        raise fail(exc) from exc
    print_evaluation(
        scores,
        as_json,
        "Review cohort against the planted victims",
        ("by_type", "Recall by exploitation type", "recall"),
    )


@app.command("disparity")
def disparity_command(
    directory: ProjectDir,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON lines.")] = False,
) -> None:
    """Review-cohort rates by nationality, sex and age band against the resolved population,
    with rate ratios and 95% intervals. Groups with under 5 people, in the cohort or outside
    it, are suppressed (primary), and so are as many others as keep them from being worked
    out from the totals (secondary). (Statistics only: no rule reads these characteristics.)"""
    from rich.table import Table

    from msht.pipeline.risk_eval import disparity_of

    try:
        groups = disparity_of(directory)
    except MshtError as exc:
        raise fail(exc) from exc
    if as_json:
        for group in groups:
            print(json.dumps(group.as_dict()))
        return
    table = Table(
        title="Review cohort by protected characteristic (R12)",
        caption=(
            "suppressed (primary): under 5 people, in the cohort or outside it; "
            "suppressed (secondary): hidden too, so that no suppressed group's counts can be "
            "worked out from the totals"
        ),
    )
    for column in (
        "characteristic",
        "group",
        "people",
        "in cohort",
        "rate (95% CI)",
        "ratio to the rest (95% CI)",
    ):
        table.add_column(column)
    for g in groups:
        if g.people is None:
            why = f"suppressed ({g.suppressed})" if g.suppressed else "suppressed"
            table.add_row(g.characteristic, g.group, why, "", "", "")
            continue
        ratio = (
            "—" if g.ratio is None else f"{g.ratio:.2f} ({g.ratio_low:.2f} to {g.ratio_high:.2f})"
        )
        table.add_row(
            g.characteristic,
            g.group,
            f"{g.people:,}",
            f"{g.in_cohort:,}",
            f"{g.rate:.3f} ({g.rate_low:.3f} to {g.rate_high:.3f})",
            ratio,
        )
    console.print(table)
