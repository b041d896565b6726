from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
from hypothesis import given
from hypothesis import strategies as st

from msht.ingest.columns import WHITESPACE_RUNS
from msht.ingest.transforms import _string


@given(st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=30))
def test_arrow_string_transform_matches_the_python_one(raw: str) -> None:
    text = raw.strip()
    arrow = pc.replace_substring_regex(pa.array([text]), WHITESPACE_RUNS, " ")[0].as_py()
    assert arrow == _string(text)
