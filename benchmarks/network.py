"""Benchmark the network stage on DuckDB: seconds, peak RSS, graph and group sizes.

Usage: python benchmarks/network.py [SOURCE_RECORDS ...]   (default: 1000000).
For each size it synthesises a project with about that many source records (rows of all
its source files), runs it once (`msht run`, not timed here), then times `msht network DIR`
(the graph, its metrics and groups built again as a new store version) from process start
to exit, `RUNS` times, printing every run, the median and the reference loop (this shared
machine's speed drifts). Then `msht eval network` on the result.
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

#: Source records (rows) per synthetic person (53,097 rows from 20,000 people by default).
RECORDS_PER_PERSON = 2.65
#: Times the command is run.
RUNS = 3


def main(sizes: list[int]) -> None:
    """Synthesise and run a project of each size, then time `msht network` on it."""
    msht = str(Path(sys.executable).parent / "msht")
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "p"
            people = max(100, round(size / RECORDS_PER_PERSON))
            measure([msht, "synth", "--out", str(out), "--people", str(people)])
            measure([msht, "run", str(out)])
            summary = json.loads((out / "runs" / "latest" / "summary.json").read_text())
            rows = sum(s.get("rows_in", 0) for s in summary["sources"].values())
            print(f"{rows:,} source records ({people:,} synthetic people):")
            runs = []
            for _ in range(RUNS):
                speed = machine_speed()
                secs, rss = measure([msht, "network", str(out)])
                runs.append(secs)
                print(
                    f"  msht network: {secs:.1f} s, peak RSS {rss / 2**20:,.0f} MiB"
                    f" (reference loop {speed:.2f} s)"
                )
            print(f"  msht network: median of {RUNS} runs {statistics.median(runs):.1f} s")
            network = json.loads((out / "runs" / "latest" / "summary.json").read_text())
            print(f"    stage (last run): {network['network']}")
            scores = subprocess.run(
                [msht, "eval", "network", str(out), "--json"],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            print(f"    eval network: {scores.strip()}")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1_000_000])
