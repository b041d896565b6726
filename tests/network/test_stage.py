"""The network stage in a run, and `msht network` on its own."""

from pathlib import Path

from factories import store_rows
from typer.testing import CliRunner

from msht.cli import app
from msht.engine.warehouse import Warehouse
from msht.pipeline.run import run_project
from msht.synth import generate


def test_a_run_builds_the_graph_and_msht_network_builds_it_again(tmp_path: Path) -> None:
    root = tmp_path / "p"
    generate(root, 1500, 5)
    result = run_project(root)
    network = result.summary.extra["network"]
    assert isinstance(network, dict) and network["nodes"] > 1000 and network["edges"] > 500
    edges = store_rows(root, "SELECT count(*) AS n FROM network_edge")[0]["n"]
    assert edges == network["edges"]
    # every edge joins two resolved entities, and each entity's degree is counted
    stray = store_rows(
        root,
        """SELECT count(*) AS n FROM network_edge e
           LEFT JOIN network_node a ON a.entity_id = e.from_entity
           LEFT JOIN network_node b ON b.entity_id = e.to_entity
           WHERE a.entity_id IS NULL OR b.entity_id IS NULL""",
    )[0]["n"]
    assert stray == 0
    before = store_rows(root, "SELECT count(*) AS n FROM resolved_record")[0]["n"]
    again = CliRunner().invoke(app, ["network", str(root)])
    assert again.exit_code == 0, again.output
    assert "network" in again.output
    # a new version: the graph again, the resolution kept as it was
    assert store_rows(root, "SELECT count(*) AS n FROM network_edge")[0]["n"] == edges
    assert store_rows(root, "SELECT count(*) AS n FROM resolved_record")[0]["n"] == before


def test_resolving_again_leaves_no_graph_of_the_old_entities(tmp_path: Path) -> None:
    from msht.pipeline.run import resolve_again

    root = tmp_path / "p"
    generate(root, 600, 3)
    run_project(root)
    resolve_again(root, "auto")
    store = Warehouse(root / "store", "duckdb").open_current()
    assert store is not None
    try:
        names = set(store.tables())
    finally:
        store.close()
    assert "resolved_record" in names and not any(n.startswith("network_") for n in names)
