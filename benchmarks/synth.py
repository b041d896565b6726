"""Benchmark `msht synth`: seconds and peak RSS for the default project and for ~1M rows.

Usage: python benchmarks/synth.py [PEOPLE ...]   (default: 20000 and the ~1M-row size)
"""

from __future__ import annotations

import csv
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from measure import measure

#: Population that gives about 1,000,000 source rows with the default generator settings.
MILLION_ROWS_PEOPLE = 372_000


def rows_written(project: Path) -> int:
    """Source rows in the project's truth-independent count (summary of the data folder)."""
    count = 0
    for path in (project / "data").rglob("*"):
        if path.suffix in {".csv", ".jsonl"}:
            with path.open("rb") as fh:
                count += sum(1 for _ in fh) - (1 if path.suffix == ".csv" else 0)
    return count


def main(sizes: list[int]) -> None:
    """Print one line per size."""
    bin_dir = Path(sys.executable).parent
    print(f"{'people':>9} {'rows (truth records)':>21} {'seconds':>8} {'peak RSS MiB':>13}")
    for people in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "p"
            secs, rss = measure(
                [str(bin_dir / "msht"), "synth", "--out", str(out), "--people", str(people)]
            )
            with (out / "truth" / "records.csv").open(encoding="utf-8") as fh:
                records = sum(1 for _ in csv.reader(fh)) - 1
            print(f"{people:>9,} {records:>21,} {secs:>8.1f} {rss / 2**20:>13,.0f}", flush=True)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [20_000, MILLION_ROWS_PEOPLE])
