"""Benchmark `msht synth`: seconds and peak RSS for the default project and for ~1M rows.

Usage: python benchmarks/synth.py [PEOPLE ...]   (default: 20000 and the ~1M-row size)
Each size runs in a fresh process so that peak RSS is its own.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

#: Population that gives about 1,000,000 source rows with the default generator settings.
MILLION_ROWS_PEOPLE = 372_000


def one(people: int) -> dict[str, float]:
    """Generate once in this process; rows, seconds and peak RSS (with forked writers)."""
    from msht.synth import generate

    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        result = generate(Path(tmp) / "p", people=people)
        seconds = time.perf_counter() - start
    peak = max(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    )
    return {
        "people": people,
        "rows": sum(result.rows.values()),
        "seconds": seconds,
        "peak_rss_mib": peak / 1024,
    }


def main(sizes: list[int]) -> None:
    """Print one line per size."""
    print(f"{'people':>9} {'source rows':>12} {'seconds':>8} {'rows/s':>9} {'peak RSS MiB':>13}")
    for people in sizes:
        out = subprocess.run(
            [sys.executable, __file__, "--one", str(people)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        r = json.loads(out)
        print(
            f"{r['people']:>9,} {r['rows']:>12,} {r['seconds']:>8.1f} "
            f"{r['rows'] / r['seconds']:>9,.0f} {r['peak_rss_mib']:>13,.0f}",
            flush=True,
        )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        print(json.dumps(one(int(sys.argv[2]))))
    else:
        main([int(a) for a in sys.argv[1:]] or [20_000, MILLION_ROWS_PEOPLE])
