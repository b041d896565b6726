"""The matcher: spans, inflection and word order, negation and hedging."""

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from msht.cli import app
from msht.indicators.contractions import contracted
from msht.indicators.lexicon import bounded
from msht.indicators.matcher import Matcher, sentence_around

MATCHER = Matcher.load()


def _ids(text: str) -> set[str]:
    return {m.indicator_id for m in MATCHER.find(text)}


@pytest.mark.parametrize(
    "text",
    [
        "Her passport was held by the employer.",
        "The employer keeps his passport.",
        "The boss has kept their passports since they arrived.",
    ],
)
def test_documents_held_by_another_in_any_order_or_tense(text: str) -> None:
    assert "GEN-06" in _ids(text)


@pytest.mark.parametrize(
    ("text", "indicator"),
    [
        ("There were no signs of injury.", "GEN-05"),
        ("He denied being threatened by anyone.", "GEN-04"),
        ("The house was not overcrowded.", "GEN-17"),
        ("She said nobody had taken her passport.", "GEN-06"),
        # contractions written without the apostrophe, as in texts and public reports
        ("He didnt have bruises on his arms.", "GEN-05"),
        ("The house wasnt overcrowded.", "GEN-17"),
        ("He doesnt seem scared of anyone.", "GEN-03"),
    ],
)
def test_a_negated_mention_is_not_a_sign(text: str, indicator: str) -> None:
    assert indicator not in _ids(text)


@pytest.mark.parametrize(
    ("text", "indicator"),
    [
        ("He says they'll kill his family if he talks.", "GEN-04"),
        ("He said he'd be killed if he went to the police.", "GEN-04"),
        ("I'm not allowed to leave.", "GEN-01"),
    ],
)
def test_a_space_of_a_pattern_matches_nothing_before_an_apostrophe(
    text: str, indicator: str
) -> None:
    # "(?:he|they) (?:will|'ll)": the space cannot come before the apostrophe of "they'll"
    assert indicator in _ids(text)


@pytest.mark.parametrize(
    "pattern",
    [
        "[] ]x (?:y|'s)",
        "[^] ]x (?:y|'s)",
        "(?#a b)c (?:d|'s)",
        "a\\ b (?:c|'s)",
        "(?<=a b)c (?:d|'s)",
    ],
)
def test_only_the_spaces_of_the_pattern_itself_before_an_apostrophe_change(pattern: str) -> None:
    changed = contracted(pattern)
    re.compile(changed)
    assert changed.count("(?=") == 1  # only the space before the group that holds "'s"


def test_a_space_before_no_apostrophe_stays() -> None:
    assert contracted("he (?:is|was) paid") == "he (?:is|was) paid"
    assert contracted("he (?:the )?'s") != "he (?:the )?'s"  # the group is optional


def test_spaces_in_look_behinds_keep_their_width() -> None:
    found = bounded("(?:deal|drugs?) (?:line|phone)s?(?<!work line)")
    assert found.pattern.search("drugs line") and not found.pattern.search("work line")
    assert found.pattern.search("drug's line") is None  # no space, no apostrophe before it


@pytest.mark.parametrize(
    "text",
    [
        "She can't leave, the boss keeps her passport.",
        "He was not hit, he says the boss keeps his passport.",
        "He has no injuries and the boss keeps his passport.",
    ],
)
def test_a_cue_does_not_reach_past_a_new_subject(text: str) -> None:
    assert "GEN-06" in _ids(text)


@pytest.mark.parametrize(
    "text",
    [
        "No evidence that he is threatened, the boss keeps his passport.",
        "She denies that she is scared, and the boss keeps her passport.",
        # an aside reporting the speaker is no new statement
        "He did not, it seems, have his passport taken by anyone.",
        "She has never, she says, had her passport kept by the boss.",
    ],
)
def test_a_clause_cue_or_an_aside_does_not_end_a_cues_reach(text: str) -> None:
    assert "GEN-06" not in _ids(text)


@pytest.mark.parametrize(
    ("text", "indicator"),
    [
        ("Phong denies that he hit Juan, and Juan says he is locked in every night.", "GEN-02"),
        ("The suspect denied he knew the victims, who said they were forced to work.", "GEN-01"),
    ],
)
def test_a_denial_does_not_reach_into_another_persons_account(text: str, indicator: str) -> None:
    assert indicator in _ids(text)


def test_negation_stops_at_the_clause() -> None:
    text = "There were no injuries, but he was frightened and the boss kept his passport."
    found = _ids(text)
    assert "GEN-06" in found and "GEN-05" not in found


@pytest.mark.parametrize(
    "text",
    [
        "No pay, no days off.",
        "She has not been paid, no days off.",
        "Never paid and no days off.",
    ],
)
def test_each_item_of_a_list_of_absences_carries_its_own_cue(text: str) -> None:
    # "no days off" is itself the sign; the "no" of the item before it does not deny it
    assert "GEN-16" in _ids(text)


@pytest.mark.parametrize(
    "text",
    [
        "He did not have no days off.",
        "No evidence that, no days off.",
        "He denied having no food, no days off or no money.",
        "He denies being threatened, not being paid or having no days off.",
    ],
)
def test_a_cue_still_denies_a_negative_mention_with_no_list_break(text: str) -> None:
    assert "GEN-16" not in _ids(text)


@pytest.mark.parametrize(
    "text",
    [
        "He denied that Mr. Ali keeps his passport.",
        "There is no evidence that Dr. Patel kept her passport, e.g. in a drawer.",
        "There is no evidence that at 6.30am on 12.03.2024 the boss took her passport.",
    ],
)
def test_an_abbreviation_or_a_number_ends_neither_the_sentence_nor_its_negation(
    text: str,
) -> None:
    assert "GEN-06" not in _ids(text)
    assert "GEN-06" in _ids(text.replace("denied that", "said").replace("no evidence", "a report"))


@pytest.mark.parametrize(
    "text",
    [
        "He said no. The boss keeps his passport.",
        "She said she didn't. The boss keeps his passport.",
        "He denied supplying Class A. The boss keeps his passport.",
        "No concerns about Male A. The boss keeps his passport.",
        "He was not in the U.K. The boss keeps his passport.",
    ],
)
def test_a_full_stop_after_a_word_or_a_letter_still_ends_the_sentence(text: str) -> None:
    assert [(m.indicator_id, m.text) for m in MATCHER.find(text)] == [
        ("GEN-06", "boss keeps his passport")
    ]
    start = text.index("The boss")
    assert sentence_around(text, start + 4) == (start, len(text))


def test_spans_are_exact_and_in_order() -> None:
    text = "Seen at 9pm. The employer keeps his passport. Nothing else of note."
    matches = MATCHER.find(text)
    assert matches and all(text[m.start : m.end] == m.text for m in matches)
    assert [m.start for m in matches] == sorted(m.start for m in matches)
    assert MATCHER.find(text) == matches  # the second time from the sentence cache


def test_msht_indicators_scan_prints_one_json_object_per_line(tmp_path: Path) -> None:
    file = tmp_path / "texts.txt"
    file.write_text(
        "The employer keeps his passport.\n\nThere were no signs of injury.\n", encoding="utf-8"
    )
    done = CliRunner().invoke(app, ["indicators", "scan", str(file)])
    assert done.exit_code == 0, done.output
    lines = [json.loads(line) for line in done.output.splitlines()]
    assert [line["line"] for line in lines] == [1, 2, 3]
    first = lines[0]["matches"]
    assert any(m["indicator_id"] == "GEN-06" for m in first)
    for m in first:
        assert "The employer keeps his passport."[m["start"] : m["end"]] == m["text"]
    assert lines[1]["matches"] == [] and lines[2]["matches"] == []
    missing = CliRunner().invoke(app, ["indicators", "scan", str(tmp_path / "none.txt")])
    assert missing.exit_code != 0 and "no such file" in missing.output


def test_a_sign_or_a_cue_may_start_after_an_opening_quote_but_not_inside_a_word() -> None:
    quoted = "'The boss keeps my passport,' she said."
    assert "GEN-06" in {m.indicator_id for m in MATCHER.find(quoted)}
    assert "GEN-06" in {m.indicator_id for m in MATCHER.find(quoted.replace("'", "\u2019"))}
    denied = "'No, the boss never kept my passport,' she said."
    assert "GEN-06" not in {m.indicator_id for m in MATCHER.find(denied)}
    # an apostrophe inside a word starts no word: "o'held" holds no "held"
    word = bounded("held").pattern
    assert word.search("'held'") and word.search("\u2019held") and word.search("(held)")
    assert not word.search("o'held") and not word.search("o\u2019held")
