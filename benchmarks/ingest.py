"""Benchmark ingest end to end on DuckDB: rows per second and peak RSS of `msht run`.

Usage: python benchmarks/ingest.py [PEOPLE]   (default: the ~1M-row synthetic project)
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from measure import measure
from synth import MILLION_ROWS_PEOPLE


def main(people: int) -> None:
    """Synthesise once, then time `msht run` (process start to exit)."""
    msht = str(Path(sys.executable).parent / "msht")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "p"
        measure([msht, "synth", "--out", str(out), "--people", str(people)])
        secs, rss = measure([msht, "run", str(out)])
        summary = json.loads((out / "runs" / "latest" / "summary.json").read_text())
        rows = sum(s["rows_in"] for s in summary["sources"].values())
        ingest = summary["stages"]["ingest"]
        print(f"people            {people:,}")
        print(f"source rows       {rows:,}")
        print(f"msht run seconds  {secs:.1f}  (ingest stage {ingest:.1f})")
        print(f"rows per second   {rows / secs:,.0f} end to end, {rows / ingest:,.0f} in ingest")
        print(f"peak RSS          {rss / 2**20:,.0f} MiB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else MILLION_ROWS_PEOPLE)
