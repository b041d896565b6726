"""Benchmark the indicators stage on DuckDB: seconds, peak RSS, texts scanned, signs found.

Usage: python benchmarks/indicators.py [SOURCE_RECORDS | PROJECT_DIR ...]
(default: 53000, the default synthetic project of 20,000 people). A number synthesises a
project with about that many source records (rows of all its source files) and runs it once
(`msht run`, not timed here); a directory is a project already run, used as it is. Then the
stage — every free-text field scanned into `indicator_hit`, and the structured indicators
into `indicator_person` — is timed from process start to exit, `RUNS` times, printing every
run, the median, min and max, and the reference loop (this shared machine's speed drifts).
Each run builds a new store version from the current one and throws it away, so the
project's store is left as it was.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from measure import machine_speed, measure

from msht.engine.warehouse import Warehouse
from msht.indicators.matcher import Matcher
from msht.indicators.stage import HITS, scan_project
from msht.indicators.structured import STRUCTURED, build_structured
from msht.pipeline.run import lexicon_folder
from msht.project.config import load_project

#: Source records (rows) per synthetic person (53,097 rows from 20,000 people by default).
RECORDS_PER_PERSON = 2.65
#: Times the stage is run.
RUNS = 3


class _DiscardError(Exception):
    """Raised to throw the timed store version away."""


def stage(root: Path, out: Path) -> None:
    """One run of the stage on a throw-away version of the project's current store; the
    seconds of its parts and what they found written to `out` as JSON."""
    project = load_project(root)
    warehouse = Warehouse(project.path("store"), project.config.engine)
    parts: dict[str, float] = {}
    try:
        with warehouse.new_version(
            "benchmark", from_current=True, keep=lambda t: t not in (HITS, STRUCTURED)
        ) as store:
            start = time.perf_counter()
            matcher = Matcher.load(lexicon_folder(project))
            parts["lexicon_s"] = time.perf_counter() - start
            found = scan_project(store, matcher)
            parts.update(texts=found.texts, hits=found.hits, scan_s=found.seconds)
            start = time.perf_counter()
            parts["structured_rows"] = build_structured(store)
            parts["structured_s"] = time.perf_counter() - start
            raise _DiscardError
    except _DiscardError:
        pass
    out.write_text(json.dumps(parts), encoding="utf-8")


def _project(msht: str, size: str, tmp: Path) -> Path:
    """The project to time: `size` as a directory, or one synthesised and run at that size."""
    if not size.isdigit():
        return Path(size)
    out = tmp / "p"
    people = max(100, round(int(size) / RECORDS_PER_PERSON))
    measure([msht, "synth", "--out", str(out), "--people", str(people)])
    measure([msht, "run", str(out)])
    return out


def _source_records(project: Path) -> int:
    """Rows of all source files, from the newest run that ingested them (a later `msht
    network` or `msht resolve` records none)."""
    for path in sorted((project / "runs").glob("*/summary.json"), reverse=True):
        sources = json.loads(path.read_text(encoding="utf-8")).get("sources") or {}
        if sources:
            return sum(s.get("rows_in", 0) for s in sources.values())
    return 0


def main(sizes: list[str]) -> None:
    """Time the indicators stage on a project of each size (or each project given)."""
    msht = str(Path(sys.executable).parent / "msht")
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            out = _project(msht, size, Path(tmp))
            print(f"{_source_records(out):,} source records ({out}):")
            runs, peak = [], 0
            parts_file = Path(tmp) / "parts.json"
            for _ in range(RUNS):
                speed = machine_speed()
                cmd = [sys.executable, __file__, "--stage", str(out), str(parts_file)]
                secs, rss = measure(cmd)
                runs.append(secs)
                peak = max(peak, rss)
                print(
                    f"  indicators stage: {secs:.1f} s, peak RSS {rss / 2**20:,.0f} MiB"
                    f" (reference loop {speed:.2f} s)"
                )
            print(
                f"  indicators stage: median of {RUNS} runs {statistics.median(runs):.1f} s"
                f" (min {min(runs):.1f}, max {max(runs):.1f}), peak RSS {peak / 2**20:,.0f} MiB"
            )
            parts = json.loads(parts_file.read_text(encoding="utf-8"))
            print(
                f"    last run: lexicon {parts['lexicon_s']:.1f} s,"
                f" free text {parts['scan_s']:.1f} s ({parts['texts']:,} texts,"
                f" {parts['hits']:,} signs), structured {parts['structured_s']:.1f} s"
                f" ({parts['structured_rows']:,} rows)"
            )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--stage"]:
        stage(Path(sys.argv[2]), Path(sys.argv[3]))
    else:
        main(sys.argv[1:] or ["53000"])
