"""Benchmark person resolution on DuckDB: seconds per stage, comparisons scored, peak RSS.

Usage: python benchmarks/resolve.py [PERSON_RECORDS ...]   (default: 100000 1000000).
For each size it synthesises a project with about that many person records, ingests it
(`msht run`, not timed here), then times `msht resolve DIR --retrain` (training included)
and `msht resolve DIR` (the saved model reused), each from process start to exit, each
`RUNS` times: this shared machine's speed drifts from minute to minute (a run of the same
work took from 47 to 60 s), so every run is printed, and the median.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from measure import machine_speed, measure

from msht.resolve.person import EXACT_UP_TO

#: Person records per synthetic person (53,097 records from 20,000 people by default).
RECORDS_PER_PERSON = 2.65
#: Times each command is run.
RUNS = 3


def _resolve(msht: str, out: Path, *options: str) -> None:
    label = " ".join(options) or "(model reused)"
    runs = []
    for _ in range(RUNS):
        speed = machine_speed()
        secs, rss = measure([msht, "resolve", str(out), *options])
        runs.append(secs)
        print(
            f"  msht resolve {label}: {secs:.1f} s, peak RSS {rss / 2**20:,.0f} MiB"
            f" (reference loop {speed:.2f} s)"
        )
    print(f"  msht resolve {label}: median of {RUNS} runs {statistics.median(runs):.1f} s")
    summary = json.loads((out / "runs" / "latest" / "summary.json").read_text())
    resolved = summary["resolve"]
    blocking = resolved["blocking"]
    compared = max((b["cumulative"] for b in blocking if b["used"]), default=0)
    persons = resolved["records"].get("Person", 0)
    sampled = " (estimated from a 10% sample)" if persons > EXACT_UP_TO else ""
    print(
        f"    person records {persons:,}, entities "
        f"{resolved['entities'].get('Person', 0):,}, comparisons {compared:,}{sampled}, "
        f"pairs above threshold {resolved['pairs_above_threshold']:,}"
    )
    for b in blocking:
        print(f"      {b['comparisons']:>12,} {'' if b['used'] else '(left out) '}{b['rule']}")
    stages = ", ".join(f"{k} {v:.1f}" for k, v in resolved["seconds"].items())
    print(f"    seconds per stage (last run): {stages}")


def main(sizes: list[int]) -> None:
    """Synthesise, ingest, then time resolution at each size."""
    msht = str(Path(sys.executable).parent / "msht")
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "p"
            people = max(100, round(size / RECORDS_PER_PERSON))
            measure([msht, "synth", "--out", str(out), "--people", str(people)])
            measure([msht, "run", str(out)])
            print(f"{size:,} person records wanted ({people:,} synthetic people):")
            _resolve(msht, out, "--retrain")
            _resolve(msht, out)
            scores = json.loads(
                subprocess.run(
                    [msht, "eval", "resolve", str(out), "--json"],
                    check=True,
                    capture_output=True,
                    text=True,
                ).stdout
            )
            print(
                "  accuracy: pairwise P/R/F1 "
                f"{scores['pairwise_precision']:.3f}/{scores['pairwise_recall']:.3f}/"
                f"{scores['pairwise_f1']:.3f}, B-cubed P/R/F1 {scores['bcubed_precision']:.3f}/"
                f"{scores['bcubed_recall']:.3f}/{scores['bcubed_f1']:.3f}"
            )


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [100_000, 1_000_000])
