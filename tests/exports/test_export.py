"""Exports read back by the tools analysts open them with, watermarked and injection-safe."""

import csv
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import networkx as nx
import pyarrow as pa
import pytest
import sqlalchemy as sa
from openpyxl import load_workbook
from typer.testing import CliRunner

from msht.cli import app
from msht.engine.warehouse import Warehouse
from msht.errors import MshtError
from msht.exports.export import ExportRequest, export
from msht.exports.selection import Filter, Selection, select
from msht.exports.tabular import links_path, neutralised, write_csv, write_xlsx
from msht.exports.watermark import Watermark
from msht.pipeline.run import run_project
from msht.pipeline.serving import open_store
from msht.store.audit import AuditEntry
from msht.synth import generate

NASTY = ['=HYPERLINK("http://x")', "+44 7700", "-1+2", "@SUM(A1)", "\tTAB", "plain"]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("export") / "p"
    generate(root, 800, 3)
    run_project(root)
    return root


def _crafted() -> Selection:
    nodes = pa.table(
        {
            "entity_id": ["PER-1", "PER-2"],
            "entity_type": ["Person", "Person"],
            "label": [NASTY[0], NASTY[1]],
            "records": pa.array([1, 2], pa.int64()),
            "sources": [["crime"], [NASTY[3]]],
        }
    )
    edges = pa.table(
        {
            "from_entity": ["PER-1"],
            "from_type": ["Person"],
            "role": ["associate-of"],
            "to_entity": ["PER-2"],
            "to_type": ["Person"],
            "first_date": pa.array([date(2025, 1, 2)], pa.date32()),
            "last_date": pa.array([None], pa.date32()),
            "links": pa.array([1], pa.int64()),
            "sources": [[NASTY[2]]],
            "link_ids": [[NASTY[4]]],
        }
    )
    return Selection(nodes, edges, "two people")


def test_text_that_could_start_a_formula_is_neutralised() -> None:
    assert [neutralised(v) for v in NASTY] == ["'" + v for v in NASTY[:5]] + ["plain"]
    assert neutralised(["=a", "b"]) == "'=a; b" and neutralised(3) == 3
    assert neutralised(date(2025, 1, 2)) == "2025-01-02" and neutralised(None) is None


def test_xlsx_and_csv_read_back_with_no_formula_and_a_watermark(tmp_path: Path) -> None:
    mark = Watermark("DC Test", datetime(2026, 11, 23, 9, 0, tzinfo=UTC), "=OFFICIAL, x")
    write_xlsx(_crafted(), tmp_path / "x.xlsx", mark)
    book = load_workbook(tmp_path / "x.xlsx")
    assert book.sheetnames == ["entities", "links"]
    assert book.properties.title == mark.text
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row if c.value is not None]
    texts = [c for c in cells if isinstance(c.value, str)]
    assert all(c.data_type == "s" for c in texts)  # text, never a formula
    # text a spreadsheet would run is kept as it was, and marked to be shown as text
    risky = [c for c in texts if str(c.value).startswith(("=", "+", "-", "@", "\t"))]
    assert {str(c.value) for c in risky} >= {
        NASTY[0],
        NASTY[1],
        NASTY[3],
        mark.text + "; two people",
    }
    assert all(c.quotePrefix for c in risky)
    assert not any(c.quotePrefix for c in texts if c.value == "plain" or c.value == "PER-1")
    write_csv(_crafted(), tmp_path / "x.csv", mark)
    for path in (tmp_path / "x.csv", links_path(tmp_path / "x.csv")):
        first, *rest = path.read_text(encoding="utf-8-sig").splitlines()
        assert first == f"# {mark.text}; two people"
        rows = list(csv.reader(rest))
        assert not any(v.startswith(("=", "+", "-", "@", "\t")) for r in rows for v in r)
    people = list(csv.reader((tmp_path / "x.csv").read_text(encoding="utf-8-sig").splitlines()[1:]))
    assert people[1][2] == "'" + NASTY[0] and people[2][4] == "'" + NASTY[3]


def test_graphml_reads_back_in_networkx_with_every_node_and_edge(
    project: Path, tmp_path: Path
) -> None:
    store = Warehouse(project / "store", "duckdb").open_current()
    assert store is not None
    try:
        request = ExportRequest(
            "graphml", tmp_path / "g.graphml", "DC --Test-", recipient="GLAA", purpose="op"
        )
        selection, written = export(store, request, open_store(project))
    finally:
        store.close()
    graph = nx.read_graphml(written[0], force_multigraph=True)
    assert graph.number_of_nodes() == selection.nodes.num_rows > 100
    assert graph.number_of_edges() == selection.edges.num_rows > 100
    assert "OFFICIAL-SENSITIVE" in graph.graph["watermark"]
    some = selection.nodes.to_pylist()[0]
    assert graph.nodes[some["entity_id"]]["entity_type"] == some["entity_type"]
    assert {d["role"] for _, _, d in graph.edges(data=True)} >= {"resident-at"}


def test_a_neighbourhood_holds_the_entities_within_its_hops_and_their_links(
    project: Path,
) -> None:
    store = Warehouse(project / "store", "duckdb").open_current()
    assert store is not None
    try:
        busiest = store.query(
            "SELECT entity_id FROM network_degree WHERE entity_type = 'Person' "
            "ORDER BY neighbours DESC, entity_id LIMIT 1"
        )["entity_id"][0].as_py()
        alone = select(store, Filter(busiest, 0))
        near = select(store, Filter(busiest, 1))
        far = select(store, Filter(busiest, 2))
        with pytest.raises(MshtError, match="no entity 'PER-999999'"):
            select(store, Filter("PER-999999", 1))
        listed = select(store, Filter(entities=near.nodes["entity_id"].to_pylist()))
        edges = store.query("SELECT from_entity, to_entity FROM network_edge")
    finally:
        store.close()
    assert alone.nodes["entity_id"].to_pylist() == [busiest] and alone.edges.num_rows == 0
    whole = nx.Graph()
    whole.add_edges_from(
        zip(edges["from_entity"].to_pylist(), edges["to_entity"].to_pylist(), strict=True)
    )
    for selection, hops in ((near, 1), (far, 2)):
        ego = nx.ego_graph(whole, busiest, radius=hops)
        assert set(selection.nodes["entity_id"].to_pylist()) == set(ego.nodes)
        pairs = zip(
            selection.edges["from_entity"].to_pylist(),
            selection.edges["to_entity"].to_pylist(),
            strict=True,
        )
        assert {frozenset(p) for p in pairs} == {frozenset(e) for e in ego.edges}
    assert 1 < near.nodes.num_rows < far.nodes.num_rows
    assert listed.nodes.equals(near.nodes)


def test_msht_export_writes_the_file_and_refuses_an_unknown_format(
    project: Path, tmp_path: Path
) -> None:
    out = tmp_path / "n.xlsx"
    done = CliRunner().invoke(
        app,
        [
            "export",
            "xlsx",
            str(project),
            "--out",
            str(out),
            "--by",
            "DC Test",
            "--recipient",
            "Op Test",
            "--purpose",
            "tests",
        ],
    )
    assert done.exit_code == 0, done.output
    assert out.is_file() and "OFFICIAL-SENSITIVE" in done.output
    wrong = CliRunner().invoke(
        app,
        [
            "export",
            "pdf",
            str(project),
            "--out",
            str(out),
            "--by",
            "DC Test",
            "--recipient",
            "Op Test",
            "--purpose",
            "tests",
        ],
    )
    assert wrong.exit_code != 0 and "anx, graphml, xlsx, csv" in wrong.output


def test_every_export_is_in_the_audit_log_and_unrecorded_exports_leave_no_file(
    project: Path, tmp_path: Path
) -> None:
    store = Warehouse(project / "store", "duckdb").open_current()
    assert store is not None
    database = open_store(project)
    try:
        request = ExportRequest(
            "graphml",
            tmp_path / "a.graphml",
            "dc.test",
            Filter(group="GRP-00001"),
            recipient="Kent County Council",
            purpose="strategy meeting",
        )
        selection, written = export(store, request, database)
        with database.connect() as connection:
            entry = connection.execute(
                sa.select(AuditEntry)
                .where(AuditEntry.action == "export")
                .order_by(AuditEntry.seq.desc())
            ).first()
        assert entry is not None and entry.recipient == "Kent County Council"
        assert entry.reason == "strategy meeting" and entry.username == "dc.test"
        assert sorted(entry.record_ids) == sorted(selection.nodes.column("entity_id").to_pylist())
        assert written[0].is_file()
        with pytest.raises(MshtError, match="recipient and a purpose"):
            export(store, replace(request, recipient=" "), database)
        broken = sa.create_engine(f"sqlite:///{tmp_path / 'no-tables.sqlite'}")
        lost = replace(request, out=tmp_path / "b.graphml")
        with pytest.raises(sa.exc.OperationalError):
            export(store, lost, broken)
        assert not lost.out.exists()
    finally:
        store.close()
        database.dispose()
