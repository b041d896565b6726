"""Risk rules: validated on load; R01 refuses protected characteristics and proxies."""

from pathlib import Path

import pytest

from msht.errors import ConfigError
from msht.project.example import example_dir
from msht.risk.rules import load_rules

GOOD = """version: "t1"
proxies: [forenames]
rules:
  - id: crowded
    description: "Lives at an address where adults of many surnames live"
    group: accommodation
    check: crowded_address
    parameters: {min_adult_surnames: 4}
    points: 2
    version: 1
"""


def _load(tmp_path: Path, text: str) -> None:
    (tmp_path / "risk.yaml").write_text(text, encoding="utf-8")
    load_rules(tmp_path)


def test_the_example_rules_load() -> None:
    rules = load_rules(example_dir() / "rules")
    assert len(rules.rules) >= 10 and rules.review_months <= 12


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # R01: a protected property of the model, however it is written into the rule
        (
            GOOD.replace("{min_adult_surnames: 4}", "{min_adult_surnames: 4, by: nationality}"),
            "rules.crowded: uses 'nationality', a protected characteristic",
        ),
        (
            GOOD.replace("{min_adult_surnames: 4}", "{where: [person.ethnicity]}"),
            "uses 'ethnicity'",
        ),
        (GOOD.replace("{min_adult_surnames: 4}", "{field: forenames}"), "uses 'forenames'"),
        # a proxy the check itself reads, though no parameter names it
        (GOOD.replace("proxies: [forenames]", "proxies: [surname]"), "uses 'surname'"),
        (
            GOOD.replace(
                "{min_adult_surnames: 4}", "{min_adult_surnames: 4, x: person/nationality}"
            ),
            "uses 'nationality'",
        ),
        (GOOD.replace("check: crowded_address", "check: astrology"), "unknown check 'astrology'"),
        (
            GOOD.replace(
                '    description: "Lives at an address where adults of many surnames live"\n', ""
            ),
            "rules.0.description",
        ),
        (GOOD.replace("group: accommodation", "group: hunch"), "unknown group 'hunch'"),
        (
            GOOD.replace("{min_adult_surnames: 4}", "{min_adult_surnames: one}"),
            "rules.crowded.parameters.min_adult_surnames",
        ),
        (GOOD.replace("version: 1", "version: 0"), "rules.0.version"),
    ],
)
def test_a_bad_rule_is_refused_naming_file_rule_and_problem(
    tmp_path: Path, text: str, message: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        _load(tmp_path, text)
    assert "risk.yaml" in str(caught.value) and message in str(caught.value)


def test_a_project_without_rules_is_told_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no risk rules"):
        load_rules(tmp_path)


def test_a_sign_that_stands_for_a_protected_characteristic_is_never_scored() -> None:
    from msht.indicators.lexicon import load_lexicon, scoring_categories

    lexicon = load_lexicon()
    assert "GEN-08" in {i.id for i in lexicon}  # found and shown to reviewers
    assert "GEN-08" not in scoring_categories(lexicon)  # but no rule counts it
