"""The guards: the strings a pattern's matches must hold, read soundly from its parse tree."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from msht.indicators.guard import Guarded, Screen, ends_in_space, fold, guarded, parsed
from msht.indicators.matcher import Matcher

MATCHER = Matcher.load()
GUARDS = [
    *(p for i in MATCHER.indicators for p in i.patterns),
    *(c for i in MATCHER.indicators for s in i.together for c in s),
]
SCREEN = Screen(GUARDS)
EXAMPLES = [
    text
    for i in MATCHER.indicators
    for text in (*i.spec.examples.positive, *i.spec.examples.negative)
]


def _needs(pattern: str) -> frozenset[str]:
    return guarded(re.compile(pattern, re.IGNORECASE)).needs


def test_a_guard_keeps_the_rarest_string_a_match_must_hold() -> None:
    assert _needs(r"(?:passports?|id cards?) (?:was )?held") == {"passport", "id card"}
    assert _needs(r"\bwages? (?:withheld|kept)") == {"wage"}
    # Of equals, the one string beats a union; a shorter string that another holds is enough.
    assert _needs(r"(?:kept|keeps|keeping) away") == {" away"}
    assert _needs(r"(?:held|took|held on to)") == {"held", "took"}


def test_a_guard_needs_nothing_when_a_match_can_hold_no_string() -> None:
    assert _needs(r"(?:passport)?\w+") == frozenset()
    assert _needs(r"(?:passport|\d+ years?)") == {"passport", " year"}
    assert _needs(r"(?:passport|\d+)") == frozenset()
    assert guarded(re.compile(r"\w+")).may_match(frozenset()) is True


@pytest.mark.parametrize(
    ("pattern", "dead"),
    [
        (r"handed it to (?!police)", True),  # the space before a look-ahead
        (r"to(?! police)", False),
        (r"(?:held |kept )", True),
        (r"(?:held|kept )", False),  # one alternative can still end in a word
        (r"passport\s+", True),
        (r"passport[ \t]", True),
        (r"passport(?: held)?", False),
        (r"passport\s*", False),
    ],
)
def test_a_pattern_that_must_end_in_a_space_is_told(pattern: str, dead: bool) -> None:
    # closed by a word boundary, such a pattern never matches before a word
    assert ends_in_space(parsed(pattern, re.IGNORECASE)) is dead
    text = "she handed it to him and the passport held kept them"
    assert (re.search(rf"(?:{pattern})(?!\w)", text) is not None) is not dead


def test_an_unscreened_text_always_runs_the_pattern() -> None:
    guard = guarded(re.compile("passport"))
    assert guard.may_match(None) and not guard.may_match(frozenset({"visa"}))


def test_non_ascii_letters_end_a_required_string_and_fold_to_their_ascii_match() -> None:
    assert _needs("café worker") == {" worker"}
    # The Kelvin sign, the long s and the dotted capital I match k, s and i in a pattern.
    assert fold("\u212aEEPS \u017fAFE \u0130D") == "keeps safe id"
    assert fold("Held £50") == "held £50"
    guard = guarded(re.compile("keeps", re.IGNORECASE))
    assert guard.pattern.search("\u212aEEPS") and guard.may_match(
        Screen([guard]).present("\u212aEEPS")
    )


def test_the_screen_finds_each_string_a_text_holds() -> None:
    screen = Screen([guarded(re.compile("passport|visa")), guarded(re.compile("id"))])
    assert screen.present("Her PASSPORT and ID were taken") == {"passport", "id"}
    assert screen.present("nothing here") == frozenset()


def _sound(text: str) -> None:
    present = SCREEN.present(text)
    for guard in GUARDS:
        if guard.pattern.search(text):
            assert guard.may_match(present), (guard.pattern.pattern, text)


def test_every_lexicon_guard_lets_through_every_example_its_pattern_matches() -> None:
    assert sum(1 for g in GUARDS if g.needs) / len(GUARDS) > 0.95  # nearly all are guarded
    for text in EXAMPLES:
        _sound(text)
        _sound(text.upper())


WORDS = sorted({w for text in EXAMPLES for w in re.findall(r"[\w']+", text)})


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(WORDS),
            st.sampled_from([" ", ", ", ". ", "\u2019", "\u212a", "\u0130", "\u017f", "£"]),
        ),
        min_size=1,
        max_size=30,
    ).map(" ".join)
)
def test_no_guard_ever_rules_out_a_text_its_pattern_matches(text: str) -> None:
    _sound(text)


def test_guards_do_not_change_what_the_matcher_finds() -> None:
    # The same lexicon with every guard emptied runs every pattern on every sentence.
    def bare(g: Guarded) -> Guarded:
        return Guarded(g.pattern, frozenset())

    unguarded = Matcher(
        [
            type(i)(
                i.spec,
                tuple(map(bare, i.patterns)),
                tuple(tuple(map(bare, s)) for s in i.together),
                tuple(map(bare, i.unless)),
            )
            for i in MATCHER.indicators
        ],
        MATCHER.negation,
    )
    for text in EXAMPLES:
        assert MATCHER.find(text) == unguarded.find(text), text
