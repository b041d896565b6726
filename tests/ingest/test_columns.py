from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
from hypothesis import given
from hypothesis import strategies as st

from msht.ingest.columns import WHITESPACE_RUNS
from msht.ingest.transforms import _string

SPACES = st.sampled_from([" ", "  ", "\t", "\u00a0", "\u2003", "\u3000", "\n"])
WORDS = st.text(alphabet=st.characters(categories=["L", "N", "P"]), min_size=1, max_size=8)


@given(st.lists(st.tuples(WORDS, SPACES), min_size=1, max_size=6))
def test_arrow_string_transform_matches_the_python_one(parts: list[tuple[str, str]]) -> None:
    text = "".join(w + s for w, s in parts).strip()
    arrow = pc.replace_substring_regex(pa.array([text]), WHITESPACE_RUNS, " ")[0].as_py()
    assert arrow == _string(text)
