"""Whom a sign is about: the person it is done to, else the one named first."""

from pathlib import Path

import pytest

from msht.errors import ConfigError
from msht.indicators.subjects import Candidate, about, load_agents

PEOPLE: list[Candidate] = [
    ("P-PHONG", "suspect", ("phong",)),
    ("P-JUAN", "victim", ("juan",)),
    ("P-RYAN", "victim", ("ryan",)),
    ("P-ETHAN", "suspect", ("ethan",)),
    ("P-WILL", "witness", ("will",)),
]


def _about(sentence: str, sign: str) -> str | None:
    start = sentence.index(sign)
    found = about(sentence, PEOPLE, (start, start + len(sign)))
    return found[0] if found else None


@pytest.mark.parametrize(
    ("sentence", "sign", "person"),
    [
        # the one the sign is done to, named inside it, though another is named first
        ("Phong refused to take Juan to hospital.", "refused to take Juan to hospital", "P-JUAN"),
        ("Ethan keeps Ryan's passport.", "keeps Ryan's passport", "P-RYAN"),
        # one named after "by", "to", "known as" acts or is owed: the first named is the one
        ("Ryan's passport is kept by Ethan.", "passport is kept by Ethan", "P-RYAN"),
        ("Juan owes a man known as Phong more every month.", "owes a man known as Phong", "P-JUAN"),
        ("Juan sends his wages to Phong.", "sends his wages to Phong", "P-JUAN"),
        ("Phong lied to Juan about the job.", "lied to Juan about the job", "P-JUAN"),
        ("Juan is always seen with Phong.", "always seen with Phong", "P-JUAN"),
        # a name must be written as one: "will" is no Will
        ("Phong said they will hurt Juan if he talks.", "they will hurt Juan", "P-JUAN"),
        # nobody named inside the sign: the first named in the sentence
        ("Juan has fresh cuts and Phong drove him.", "fresh cuts", "P-JUAN"),
    ],
)
def test_a_sign_is_about_the_person_it_is_done_to(sentence: str, sign: str, person: str) -> None:
    assert _about(sentence, sign) == person


def test_a_sentence_naming_nobody_or_only_who_acts_is_about_nobody() -> None:
    assert about("The IP was frightened.", PEOPLE, (7, 22)) is None
    assert _about("He was driven to work by Juan.", "driven to work by Juan") is None
    assert about("Juan was frightened.", PEOPLE) == ("P-JUAN", "victim")


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("before: []\n", "before"),
        ("before: ['\\\\bby(']\n", "before"),
        ("before: ['\\\\bby', '']\n", "before"),
        ("before: ['(?:to)?']\n", "before"),
        ("before: ['\\\\bby']\nafter: ['x']\n", "after"),
    ],
)
def test_a_broken_agents_file_is_refused_naming_file_and_key(
    tmp_path: Path, text: str, said: str
) -> None:
    source = tmp_path / "agents.yaml"
    source.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as refused:
        load_agents(source)
    assert "agents.yaml" in str(refused.value) and said in str(refused.value)


def test_the_agents_file_shipped_reads_a_name_after_an_agent_word() -> None:
    agents = load_agents()
    assert agents.search("ryan's passport is kept by ")
    assert agents.search("she owes a lot of money to ")
    assert not agents.search("he lied to ")
