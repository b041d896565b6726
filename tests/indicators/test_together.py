"""Concept sets (`together:`): any order within a clause, exact spans, negation inside."""

from pathlib import Path

import pytest

from msht.errors import ConfigError
from msht.indicators.lexicon import load_lexicon
from msht.indicators.matcher import Matcher
from msht.indicators.negation import load_negation
from msht.indicators.together import clauses

LEXICON = """indicators:
  - id: TST-01
    description: Documents held by someone else, for the tests
    category: general
    types: [all]
    patterns: ["zzz never matches zzz"]
    together:
      - ['{id_document}', '{keep}', '{exploiter}']
      - ['no(?! concerns?) (?:gloves|ppe)', 'work(?:ing|s)?']
    examples: {positive: [the boss keeps his passport], negative: [he keeps his passport]}
"""


@pytest.fixture(name="matcher")
def _matcher(tmp_path: Path) -> Matcher:
    (tmp_path / "test.yaml").write_text(LEXICON, encoding="utf-8")
    return Matcher(load_lexicon(tmp_path), load_negation())


@pytest.mark.parametrize(
    "text",
    [
        "His ID is being looked after by the gangmaster.",
        "The gangmaster is looking after his ID.",
        "Her papers, she says, are kept by the agency.",
        "They were working with no gloves.",
    ],
)
def test_a_set_is_found_in_any_order_with_an_exact_span(matcher: Matcher, text: str) -> None:
    found = matcher.find(text)
    assert [m.indicator_id for m in found] == ["TST-01"]
    assert all(text[m.start : m.end] == m.text for m in found)


@pytest.mark.parametrize(
    "text",
    [
        "The gangmaster did not keep his passport.",  # a cue between the concepts
        "He denied that the gangmaster keeps his ID.",  # a cue before them
        "His passport is in his drawer. The gangmaster keeps the keys.",  # two sentences
        "The gangmaster keeps the van; his passport is at home.",  # two clauses
        "There was no concern that staff were working with no gloves.",  # a hedge
        "His passport is at home and he says that the man who employs him on the farm "
        "every weekend keeps the keys.",  # too far apart
    ],
)
def test_a_set_is_not_found_when_denied_split_or_far_apart(matcher: Matcher, text: str) -> None:
    assert matcher.find(text) == []


def test_a_set_of_one_concept_or_an_unknown_macro_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(
        LEXICON.replace("['{id_document}', '{keep}', '{exploiter}']", "['{id_document}']"),
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match=r"a\.yaml: indicators\.0\.together\.0"):
        load_lexicon(tmp_path)
    (tmp_path / "a.yaml").write_text(LEXICON.replace("{keep}", "{nothing}"), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"TST-01\.together\.0\.1: unknown macro"):
        load_lexicon(tmp_path)


def test_clauses_end_at_sentence_marks_and_contrast_words() -> None:
    text = "He has ID: it is his; but the boss has the van"
    assert [text[s:e] for s, e in clauses(text)] == [
        "He has ID",
        " it is his",
        " ",
        " the boss has the van",
    ]


def test_the_lexicon_generalises_beyond_its_patterns() -> None:
    matcher = Matcher.load()
    ids = {
        m.indicator_id for m in matcher.find("The agency is looking after his ID for safekeeping.")
    }
    assert "GEN-06" in ids


def test_an_unless_pattern_takes_away_only_a_mention_it_overlaps(tmp_path: Path) -> None:
    (tmp_path / "test.yaml").write_text(
        LEXICON.replace(
            "    examples:", "    unless: ['(?:car|van) (?:was|is) (?:found|kept)']\n    examples:"
        ),
        encoding="utf-8",
    )
    matcher = Matcher(load_lexicon(tmp_path), load_negation())
    assert matcher.find("The van was kept by the gangmaster with his passport.") == []
    # another clause's car takes nothing away, nor does a car that is not what was kept
    found = matcher.find("The car was found; the gangmaster keeps his passport.")
    assert [m.text for m in found] == ["gangmaster keeps his passport"]
    assert [m.text for m in matcher.find("The gangmaster keeps his passport in a car.")] == [
        "gangmaster keeps his passport"
    ]
    # in the same clause but not overlapping the mention: a word near it takes nothing away
    found = matcher.find("The gangmaster keeps his passport and the van was kept at the yard.")
    assert [m.text for m in found] == ["gangmaster keeps his passport"]


def test_a_bad_unless_pattern_is_refused_naming_it(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(
        LEXICON.replace("    examples:", "    unless: ['{nothing}']\n    examples:"),
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match=r"TST-01\.unless\.0: unknown macro"):
        load_lexicon(tmp_path)
