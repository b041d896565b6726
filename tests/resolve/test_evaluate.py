import pytest

from msht.resolve.evaluate import score


def test_pairwise_and_bcubed_scores() -> None:
    truth = {("s", "1"): "A", ("s", "2"): "A", ("s", "3"): "A", ("s", "4"): "B"}
    perfect = score({k: v.lower() for k, v in truth.items()}, truth)
    assert perfect.pairwise_f1 == 1.0 and perfect.bcubed_f1 == 1.0
    predicted = {("s", "1"): "x", ("s", "2"): "x", ("s", "3"): "y", ("s", "4"): "y"}
    got = score(predicted, truth)
    # predicted pairs: (1,2) right, (3,4) wrong; true pairs: (1,2), (1,3), (2,3)
    assert got.pairwise_precision == 0.5
    assert got.pairwise_recall == pytest.approx(1 / 3)
    assert got.bcubed_precision == pytest.approx((1 + 1 + 0.5 + 0.5) / 4)
    assert got.records == 4 and got.entities == 2
