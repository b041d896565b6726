"""Blocking recall against a truth file, and list columns exploded as Splink explodes them."""

from pathlib import Path

import pyarrow as pa

from msht.engine import open_engine
from msht.resolve.blocking import blocking_recall, exploded_sql
from msht.resolve.prepare import PERSON_INPUT


def test_two_list_columns_explode_to_every_combination(tmp_path: Path) -> None:
    with open_engine("duckdb", tmp_path / "store") as engine:
        lists = {"phones": [["1", "2"]], "documents": [["x", "y"]]}
        engine.create_table("t", pa.table({"id": ["r"], **lists}))
        rows = engine.query(f"SELECT * FROM {exploded_sql('t', ['id', *lists])} AS e")
        found = zip(rows["phones"].to_pylist(), rows["documents"].to_pylist(), strict=True)
        assert sorted(found) == [
            ("1", "x"),
            ("1", "y"),
            ("2", "x"),
            ("2", "y"),
        ]


def test_blocking_recall_counts_true_pairs_any_rule_compares(tmp_path: Path) -> None:
    ids = ["s:1", "s:2", "s:3", "s:4"]
    truth = tmp_path / "records.csv"
    truth.write_text("source,record_id,person_id\ns,1,P1\ns,2,P1\ns,3,P1\ns,4,P2\n")
    with open_engine("duckdb", tmp_path / "store") as engine:
        engine.create_table(
            "person",
            pa.table({"id": ids, "source": ["s"] * 4, "source_record_id": ["1", "2", "3", "4"]}),
        )
        engine.create_table(
            PERSON_INPUT,
            pa.table(
                {
                    "unique_id": list(range(len(ids))),
                    "record_id": ids,
                    "surname": ["khan", None, "khan", "khan"],
                    "forename_fuzzy_keys": [["amir", "mir"], ["ami", "amir"], ["zed"], ["amir"]],
                }
            ),
        )
        # P1 has three pairs: 1-3 share a surname; 1-2 share a fuzzy key and 2 has no surname
        assert blocking_recall(engine, [["surname"]], truth) == (1, 3)
        forename_only = (
            "l.forename_fuzzy_keys = r.forename_fuzzy_keys "
            "AND (l.surname IS NULL OR r.surname IS NULL)"
        )
        assert blocking_recall(engine, [["surname"], forename_only], truth) == (2, 3)
        assert blocking_recall(engine, [], truth) == (0, 3)
