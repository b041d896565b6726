"""Benchmark ingest end to end on DuckDB: rows per second and peak RSS of `msht run`.

`msht run` also resolves entities; the ingest stage's own seconds (from summary.json, from
reading the first file to the last table written) give the ingest rate, the process time
(start to exit) the whole run's.

Usage: python benchmarks/ingest.py [PEOPLE] [RUNS]   (default: the ~1M-row synthetic project,
three runs). The machine's speed drifts from minute to minute (it is a shared virtual
machine), so every run is printed, then the median.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from measure import machine_speed, measure
from synth import MILLION_ROWS_PEOPLE


def main(people: int, runs: int) -> None:
    """Synthesise once, then time `msht run` (process start to exit) `runs` times."""
    msht = str(Path(sys.executable).parent / "msht")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "p"
        measure([msht, "synth", "--out", str(out), "--people", str(people)])
        times, peaks, ingests = [], [], []
        for run in range(1, runs + 1):
            speed = machine_speed()
            secs, rss = measure([msht, "run", str(out)])
            summary = json.loads((out / "runs" / "latest" / "summary.json").read_text())
            rows = sum(s["rows_in"] for s in summary["sources"].values())
            ingest = summary["stages"]["ingest"]
            ingests.append(ingest)
            times.append(secs)
            peaks.append(rss)
            mib = rss / 2**20
            print(
                f"run {run}: ingest {ingest:.1f} s ({rows / ingest:,.0f} rows/s), whole run"
                f" {secs:.1f} s, peak RSS {mib:,.0f} MiB (reference loop {speed:.2f} s)"
            )
        median = statistics.median(times)
        ingest_median = statistics.median(ingests)
        print(f"people            {people:,}")
        print(f"source rows       {rows:,}")
        print(
            f"ingest seconds    {ingest_median:.1f} median of {runs} (fastest {min(ingests):.1f})"
        )
        fastest = rows / min(ingests)
        print(f"ingest rows/s     {rows / ingest_median:,.0f} median, {fastest:,.0f} fastest")
        print(f"msht run seconds  {median:.1f} median (ingest, resolve, process start and exit)")
        print(f"peak RSS          {max(peaks) / 2**20:,.0f} MiB (all processes together)")


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:3]]
    main(args[0] if args else MILLION_ROWS_PEOPLE, args[1] if len(args) > 1 else 3)
