"""Indicator evaluation: spans scored by overlap, held-out wordings apart, negations."""

import json
from pathlib import Path

from factories import store_rows
from typer.testing import CliRunner

from msht.cli import app
from msht.indicators.evaluate import score_indicators
from msht.pipeline.run import run_project
from msht.synth import generate

A = ("intel", "IR/1", "Intelligence")
B = ("crime", "CR/1", "MO")


def test_hits_are_scored_by_overlap_with_held_out_wordings_apart() -> None:
    signs = [
        (A, "GEN-06", 10, 40, False),  # found
        (A, "GEN-04", 50, 80, True),  # held out, missed
        (B, "GEN-06", 0, 20, True),  # held out, found
    ]
    negations = [(B, "GEN-05", 30, 60, False), (A, "GEN-03", 90, 99, False)]
    hits = [
        (A, "GEN-06", 35, 45),
        (B, "GEN-06", 5, 10),
        (B, "GEN-05", 40, 50),  # a negated mention matched
        (A, "GEN-17", 0, 5),  # nothing there
    ]
    scores = score_indicators(hits, signs, negations)
    assert (scores.micro_precision, scores.micro_recall) == (0.5, round(2 / 3, 4))
    assert (scores.heldout_recall, scores.known_recall) == (0.5, 1.0)
    assert scores.negated_matched == 0.5 and scores.hits == 4
    assert scores.by_indicator["GEN-06"] == {
        "precision": 1.0,
        "recall": 1.0,
        "f1": 1.0,
        "support": 2,
        "hits": 2,
        "heldout_recall": 1.0,
        "heldout_support": 1,
        "missed_as": {},
    }
    assert scores.by_indicator["GEN-04"]["heldout_recall"] == 0.0
    assert scores.by_indicator["GEN-17"]["precision"] == 0.0


def test_a_missed_sign_tells_what_it_was_taken_for() -> None:
    signs = [
        (A, "CUCK-01", 10, 40, True),
        (A, "CRIM-02", 60, 90, True),
        (B, "GEN-12", 0, 9, True),
        (B, "GEN-16", 5, 15, False),  # a true sign beside the pay one
    ]
    hits = [
        (A, "GEN-03", 20, 30),  # read as fear, not cuckooing
        (A, "GEN-04", 55, 65),  # read as violence and, in the same place, as fear
        (A, "GEN-03", 85, 95),
        (A, "GEN-16", 95, 99),  # beside the sign, not on it
        (B, "GEN-12", 20, 30),  # its own indicator, elsewhere in the text
        (B, "GEN-16", 6, 12),  # right, and over the missed pay sign: not a misreading
    ]
    by = score_indicators(hits, signs, []).by_indicator
    assert by["CUCK-01"]["missed_as"] == {"GEN-03": 1}
    assert by["CRIM-02"]["missed_as"] == {"GEN-03": 1, "GEN-04": 1}
    assert by["GEN-12"]["missed_as"] == {}
    assert by["GEN-03"]["missed_as"] == {}  # hits without truth miss nothing


def test_a_run_records_signs_with_provenance_and_msht_eval_indicators_scores_them(
    tmp_path: Path,
) -> None:
    root = tmp_path / "p"
    # ~500 signs in held-out wordings: at 2,000 people there are ~210, and held-out recall
    # moved from 0.65 to 0.79 with the seed alone (seeds 1-5), so it could not be asserted
    generate(root, 5000, 5)
    result = run_project(root)
    assert result.summary.extra["indicators"]["hits"] > 100
    hits = store_rows(
        root,
        "SELECT h.*, t.narrative FROM indicator_hit h JOIN intelligence_report t "
        "ON t.id = h.record_id WHERE h.event_type = 'IntelligenceReport'",
    )
    assert hits and all(h["narrative"][h["span_start"] : h["span_end"]] == h["text"] for h in hits)
    assert all(h["source_evaluation"] and h["event_date"] for h in hits)
    done = CliRunner().invoke(app, ["eval", "indicators", str(root), "--json"])
    assert done.exit_code == 0, done.output
    scores = json.loads(done.output)
    assert {"micro_precision", "micro_recall", "micro_f1", "heldout_recall", "by_indicator"} <= set(
        scores
    )
    # the lexicon finds the wordings it was written for, and never a negated mention
    assert scores["micro_precision"] >= 0.9 and scores["known_recall"] >= 0.9
    # issue 5's targets: F1 0.940, held-out recall 0.731, negated 0 on this project
    assert scores["micro_f1"] >= 0.9 and scores["heldout_recall"] >= 0.7
    assert scores["negated_matched"] <= 0.02
