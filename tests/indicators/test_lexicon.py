"""The lexicon: every entry's examples, and load errors naming file and key."""

import os
from pathlib import Path

import pytest

from msht.errors import ConfigError
from msht.indicators.lexicon import Examples, load_lexicon
from msht.indicators.matcher import Matcher

MATCHER = Matcher.load()
ENTRIES = [(i.id, i.spec.examples) for i in MATCHER.indicators]


def test_the_lexicon_covers_the_taxonomy_but_never_a_source_country() -> None:
    ids = {i for i, _ in ENTRIES}
    assert len(ids) >= 60 and "GEN-14" not in ids  # R01: nationality is never a sign


@pytest.mark.parametrize(("indicator_id", "examples"), ENTRIES, ids=[i for i, _ in ENTRIES])
def test_each_entry_finds_its_positive_examples_and_not_its_negative_ones(
    indicator_id: str, examples: Examples
) -> None:
    for text in examples.positive:
        assert indicator_id in {m.indicator_id for m in MATCHER.find(text)}, text
    for text in examples.negative:
        assert indicator_id not in {m.indicator_id for m in MATCHER.find(text)}, text


GOOD = """indicators:
  - id: TST-01
    description: A test indicator for the loader
    category: general
    types: [all]
    patterns: ["{document} {hold}"]
    examples: {positive: [passport held], negative: [passport lost]}
"""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (GOOD.replace("{document} {hold}", "{nothing}"), "TST-01.patterns.0: unknown macro"),
        (GOOD.replace("{document} {hold}", "(unclosed"), "not a valid pattern"),
        # balanced only once wrapped in word boundaries, where "held" would match in "withheld"
        (GOOD.replace("{document} {hold}", "passport)|(held"), "TST-01.patterns.0: not a valid"),
        # a space before the closing word boundary: it could never match
        (GOOD.replace("{document} {hold}", "{document} {hold} (?!by)"), "ends in a space"),
        (GOOD.replace("negative: [passport lost]", "negative: []"), "examples.negative"),
        (GOOD.replace("description: A test indicator for the loader", ""), "description"),
        (GOOD.replace("types: [all]", "types: [everything]"), "types.0"),
    ],
)
def test_a_bad_entry_is_refused_naming_file_and_key(
    tmp_path: Path, text: str, message: str
) -> None:
    (tmp_path / "mine.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"mine\.yaml") as caught:
        load_lexicon(tmp_path)
    assert message in str(caught.value)


def test_an_id_defined_twice_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(GOOD, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"TST-01: indicator also defined in a\.yaml"):
        load_lexicon(tmp_path)
    (tmp_path / "b.yaml").unlink()
    assert [i.id for i in load_lexicon(tmp_path)] == ["TST-01"]  # a project's own lexicon


def test_a_lexicon_file_changed_in_place_is_loaded_again(tmp_path: Path) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text(GOOD, encoding="utf-8")
    first = load_lexicon(tmp_path)
    assert load_lexicon(tmp_path)[0] is first[0]  # kept, not compiled again
    stamp = mine.stat()
    # the same size and, as within the clock's resolution, the same modification time
    mine.write_text(GOOD.replace("{hold}", "(lost)"), encoding="utf-8")
    os.utime(mine, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    assert mine.stat().st_size == stamp.st_size
    (changed,) = load_lexicon(tmp_path)
    assert changed.spec.patterns == ("{document} (lost)",)
    assert changed.patterns[0].pattern.search("passport lost")
    assert not first[0].patterns[0].pattern.search("passport lost")
