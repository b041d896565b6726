"""Complementary suppression of the disparity table: no hidden group's counts or rate can be
worked out from the groups shown and the totals (the population and the cohort size)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from hypothesis import given, settings
from hypothesis import strategies as st

from msht.risk.disparity import SUPPRESS_UNDER, suppression

Counts = Mapping[str, tuple[int, int]]


def _assignments(groups: int, people: int, in_cohort: int) -> Iterator[list[tuple[int, int]]]:
    """Every (people, in cohort) of `groups` groups of at least one person each that add up
    to the hidden total: what someone holding the totals and the table could believe."""
    if groups == 1:
        if people >= 1 and 0 <= in_cohort <= people:
            yield [(people, in_cohort)]
        return
    for n in range(1, people - groups + 2):
        for k in range(min(n, in_cohort) + 1):
            for rest in _assignments(groups - 1, people - n, in_cohort - k):
                yield [(n, k), *rest]


def _worked_out(counts: Counts, hidden: set[str]) -> set[str]:
    """Hidden groups whose people, cohort count or rate is the same in every table that
    agrees with the totals and the groups shown (worked out by enumeration, apart from the
    rules under test)."""
    names = sorted(hidden)
    people = sum(counts[g][0] for g in names)
    in_cohort = sum(counts[g][1] for g in names)
    # per hidden group: the people, cohort counts and rates it could have
    could: list[tuple[set[int], set[int], set[float]]] = [(set(), set(), set()) for _ in names]
    for assignment in _assignments(len(names), people, in_cohort):
        for (n, k), (ns, ks, rates) in zip(assignment, could, strict=True):
            ns.add(n)
            ks.add(k)
            rates.add(k / n)
        if all(len(values) > 1 for values3 in could for values in values3):
            return set()
    return {g for g, values3 in zip(names, could, strict=True) if min(map(len, values3)) < 2}


def test_one_small_group_takes_the_next_smallest_with_it() -> None:
    # C alone hidden would be 60 - 40 - 17 people, 15 - 10 - 5 of them in the cohort
    counts = {"A": (40, 10), "B": (17, 5), "C": (3, 0)}
    assert _worked_out(counts, {"C"}) == {"C"}
    assert suppression(counts) == {"C": "primary", "B": "secondary"}
    assert not _worked_out(counts, {"B", "C"})
    counts = {**counts, "D": (30, 8)}
    assert suppression(counts) == {"C": "primary", "B": "secondary"}
    assert suppression({"A": (40, 10), "B": (17, 2), "C": (3, 3)}) == {
        "B": "primary",
        "C": "primary",
    }


def test_a_partner_without_cohort_members_is_not_enough() -> None:
    # C (3 people, none in the cohort) with D (6, none) alone: both would read "none in the
    # cohort", a rate of 0; the smallest group that keeps C's rate unknown is A
    counts = {"A": (12, 5), "B": (40, 10), "C": (3, 0), "D": (6, 0)}
    assert _worked_out(counts, {"C", "D"}) == {"C", "D"}
    assert suppression(counts) == {"C": "primary", "A": "secondary"}
    assert not _worked_out(counts, {"A", "C"})


def test_small_counts_outside_the_cohort_are_primary_and_none_or_all_is_shown() -> None:
    assert suppression({"A": (20, 17), "B": (30, 5), "C": (30, 5)}) == {
        "A": "primary",
        "B": "secondary",
    }
    assert suppression({"A": (10, 0), "B": (10, 10), "C": (30, 5)}) == {}


def test_a_cohort_too_small_to_hide_in_hides_the_whole_characteristic() -> None:
    counts = {"A": (50, 3), "B": (40, 0), "C": (60, 0)}
    assert suppression(counts) == {"A": "primary", "B": "secondary", "C": "secondary"}
    assert suppression({"A": (50, 0), "B": (40, 0)}) == {}


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from("ABCD"),
        st.integers(1, 9).flatmap(lambda n: st.tuples(st.just(n), st.integers(0, n))),
        min_size=1,
    )
)
def test_no_hidden_group_can_be_worked_out(counts: dict[str, tuple[int, int]]) -> None:
    hidden = suppression(counts)
    for group, (n, k) in counts.items():
        small = n < SUPPRESS_UNDER or 0 < k < SUPPRESS_UNDER or 0 < n - k < SUPPRESS_UNDER
        assert (hidden.get(group) == "primary") == small
    people = sum(n for n, _ in counts.values())
    in_cohort = sum(k for _, k in counts.values())
    coverable = len(counts) >= 2 and min(in_cohort, people - in_cohort) >= SUPPRESS_UNDER
    if hidden and coverable:
        assert not _worked_out(counts, set(hidden))
    elif hidden:
        assert set(hidden) == set(counts)  # nothing can hide them: nothing is shown
