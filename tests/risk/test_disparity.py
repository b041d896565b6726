"""Disparity (R12): cohort rates by protected characteristic, with small counts suppressed
(and the groups that would give them away; those rules alone in test_disparity_suppression)."""

import math
from pathlib import Path

import pyarrow as pa

from msht.engine import open_engine
from msht.risk.disparity import _ratio, _wilson, disparity


def test_rates_intervals_and_suppression(tmp_path: Path) -> None:
    n = 60
    ids = [f"p{i}" for i in range(n)]
    # C is too small to show; B is hidden too, or C would be 60 - 40 - 17 people
    nationality = ["A"] * 40 + ["B"] * 17 + ["C"] * 3
    with open_engine("duckdb", tmp_path / "store") as engine:
        engine.create_table(
            "resolved_record",
            pa.table(
                {
                    "entity_type": ["Person"] * n,
                    "record_id": ids,
                    "entity_id": [f"PER-{i}" for i in range(n)],
                    "source": ["s"] * n,
                }
            ),
        )
        engine.create_table(
            "person",
            pa.table(
                {
                    "id": ids,
                    "nationality": nationality,
                    "sex": ["female"] * n,
                    "dob": pa.nulls(n, pa.date32()),
                    "age_estimate": pa.nulls(n, pa.int64()),
                    "age_estimated_on": pa.nulls(n, pa.date32()),
                }
            ),
        )
        # 10 of A and 5 of B are in the cohort
        cohort = [f"PER-{i}" for i in (*range(10), *range(40, 45))]
        engine.create_table("risk_profile", pa.table({"entity_id": cohort, "cohort": [True] * 15}))
        rows = {(d.characteristic, d.group): d for d in disparity(engine)}
    a, b, c = rows[("nationality", "A")], rows[("nationality", "B")], rows[("nationality", "C")]
    assert (a.people, a.in_cohort, a.rate, a.suppressed) == (40, 10, 0.25, None)
    assert (c.suppressed, b.suppressed) == ("primary", "secondary")
    for hidden in (b, c):
        shown = (hidden.people, hidden.in_cohort, hidden.rate, hidden.rate_low, hidden.ratio)
        assert shown == (None, None, None, None, None)
        assert hidden.as_dict()["ratio_high"] is None
    assert a.ratio == round(0.25 / (5 / 20), 3)
    assert a.rate_low is not None and a.rate_high is not None
    assert a.rate_low < 0.25 < a.rate_high
    assert rows[("age_band", "not recorded")].people == 60
    assert rows[("sex", "female")].suppressed is None


def test_interval_formulas() -> None:
    low, high = _wilson(10, 40)
    assert math.isclose(low, 0.1419, abs_tol=1e-3) and math.isclose(high, 0.4019, abs_tol=1e-3)
    ratio, rlow, rhigh = _ratio(10, 40, 5, 20)
    assert ratio == 1.0 and rlow is not None and rhigh is not None and rlow < 1 < rhigh
    assert _ratio(0, 40, 5, 20) == (None, None, None)
