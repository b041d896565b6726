"""Sources ingested in parallel processes give exactly the tables of a serial run."""

from __future__ import annotations

from pathlib import Path

from factories import MakeProject
from test_ingest_small import CSV, PEOPLE

from msht.engine import open_engine
from msht.ingest.project import ingest_project
from msht.project.config import load_project


def _tables(root: Path, workers: int, tmp: Path) -> dict[str, list[dict[str, object]]]:
    project = load_project(root)
    with open_engine("duckdb", tmp / f"store-{workers}.duckdb") as engine:
        report = ingest_project(project, engine, "run", workers=workers)
        assert not report.failed
        return {
            t: engine.query(f'SELECT * FROM "{t}" ORDER BY ALL').to_pylist()
            for t in engine.tables()
        }


def test_parallel_ingest_equals_serial(make_project: MakeProject, tmp_path: Path) -> None:
    other = PEOPLE.replace("source: people", "source: others").replace("data/people", "data/others")
    root = make_project(
        {"people": PEOPLE, "others": other},
        {"data/people/a.csv": CSV, "data/others/b.csv": CSV.replace("\nR", "\nQ")},
    )
    serial, parallel = _tables(root, 1, tmp_path), _tables(root, 2, tmp_path)
    assert serial == parallel
    assert len(serial["person"]) == 4
