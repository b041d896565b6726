"""Spelling variants read alike, in place: "-ize" as "-ise" in texts and patterns."""

import re

import pytest

from msht.indicators.lexicon import bounded
from msht.indicators.matcher import Matcher
from msht.indicators.spelling import unified


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("organized", "organised"),
        ("RECOGNIZE", "RECOGNISE"),
        ("paralyzed with fear", "paralysed with fear"),
        ("authorization", "authorisation"),
        # a "z" of the stem stays
        ("size seize seized prize citizen child-sized Elizabeth", None),
    ],
)
def test_ize_reads_as_ise_in_place(written: str, read: str | None) -> None:
    assert unified(written) == (read if read is not None else written)
    assert len(unified(written)) == len(written)


@pytest.mark.parametrize("pattern", ["was sexualised online", "was sexualized online"])
@pytest.mark.parametrize("text", ["He was sexualised online.", "He was sexualized online."])
def test_a_pattern_finds_either_spelling(pattern: str, text: str) -> None:
    assert bounded(pattern).pattern.search(unified(text)) is not None


def test_spans_are_of_the_text_as_written() -> None:
    text = "She was terrorized by the gang."
    found = [m for m in Matcher.load().find(text) if m.indicator_id == "GEN-04"]
    assert (
        found and text[found[0].start : found[0].end] == found[0].text == "terrorized by the gang"
    )


@pytest.mark.parametrize("pattern", ["realiz(?:e|ed)", "penaliz\\w*", "organiz[a-z]+"])
def test_a_z_stem_the_matcher_cannot_read_is_refused(pattern: str) -> None:
    with pytest.raises(re.error, match="write it with '-is'"):
        bounded(pattern)
