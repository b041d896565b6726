"""The resolution commands' checks on the store they read."""

from pathlib import Path

import pyarrow as pa
import pytest

from msht.engine import open_engine
from msht.errors import MshtError
from msht.pipeline.resolution import check_prepared


def test_a_store_prepared_by_an_earlier_msht_is_refused_with_what_to_do(tmp_path: Path) -> None:
    with open_engine("duckdb", tmp_path / "store") as engine:
        # before record numbers, the store id was in unique_id and there was no record_id
        engine.create_table("resolve_person_input", pa.table({"unique_id": ["crime:1"]}))
        with pytest.raises(MshtError, match=r"earlier version of msht.*msht resolve DIR"):
            check_prepared(engine)
        engine.create_table(
            "resolve_person_input", pa.table({"unique_id": [0], "record_id": ["crime:1"]})
        )
        check_prepared(engine)
