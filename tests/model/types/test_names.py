from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from msht.errors import ValueProblem
from msht.model.types.names import TITLES, clean_name, join_names, name_key, split_name

LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéèëêáäâíïóöôúüçñøåæłšžßÉÖÜÇ"


@st.composite
def words(draw: st.DrawFn) -> str:
    """A name word: letter runs joined by hyphens or apostrophes, in some case style."""
    runs = draw(st.lists(st.text(alphabet=LETTERS, min_size=1, max_size=8), min_size=1, max_size=3))
    word = runs[0] + "".join(draw(st.sampled_from("-'")) + run for run in runs[1:])
    style = draw(st.sampled_from(["as is", "upper", "lower", "title"]))
    return {"upper": word.upper, "lower": word.lower, "title": word.title}.get(
        style, lambda: word
    )()


non_title_words = words().filter(lambda w: w.upper() not in TITLES)
titles = st.sampled_from(sorted(TITLES)).flatmap(
    lambda t: st.sampled_from([t, t.lower(), t.title() + "."])
)


@st.composite
def names(draw: st.DrawFn) -> tuple[str, str]:
    """A raw name with optional titles, and the same name without them."""
    body = " ".join(draw(st.lists(non_title_words, min_size=1, max_size=5)))
    prefix = " ".join(draw(st.lists(titles, max_size=2)))
    gap = draw(st.sampled_from([" ", "  ", "\t"]))
    return f"{prefix}{gap}{body}." if prefix else f" {body} ", body


def letters(text: str) -> Counter[str]:
    return Counter(c for c in text.casefold() if c.isalpha())


@given(names())
def test_clean_name_keeps_every_letter_but_the_titles(name: tuple[str, str]) -> None:
    raw, body = name
    assert letters(clean_name(raw)) == letters(body)


@given(names(), st.sampled_from(["auto", "forenames_first", "surname_first"]))
def test_split_name_keeps_every_letter_but_the_titles(name: tuple[str, str], order: str) -> None:
    raw, body = name
    forenames, surname = split_name(raw, order)
    assert surname is not None
    assert letters(join_names([forenames, surname]) or "") == letters(body)


@given(names())
def test_clean_name_is_idempotent(name: tuple[str, str]) -> None:
    once = clean_name(name[0])
    assert clean_name(once) == once


@given(names())
def test_forenames_first_agrees_with_clean_name(name: tuple[str, str]) -> None:
    assert join_names(split_name(name[0], "forenames_first")) == clean_name(name[0])


@given(st.text())
def test_name_key_is_idempotent(text: str) -> None:
    key = name_key(text)
    assert name_key(key) == key
    assert key == key.strip()
    assert "  " not in key


@given(names())
def test_name_key_ignores_case_and_accents(name: tuple[str, str]) -> None:
    body = name[1]
    assert name_key(body.upper()) == name_key(body.lower()) == name_key(body)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("JOHN SMITH", "John Smith"),
        ("o'neil", "O'Neil"),
        ("smith-jones", "Smith-Jones"),
        ("McDONALD", "McDONALD"),
        ("  Mr.  JOHN   smith, ", "John Smith"),
        ("DR PROF Jane Doe", "Jane Doe"),
        ("Zoë Ñúñez", "Zoë Ñúñez"),
        ("ZOË", "Zoë"),
        ("Ana de la Cruz", "Ana de la Cruz"),
        ("ana de la cruz", "Ana de la Cruz"),
        ("Lady", "Lady"),
        ('"Smith"', "Smith"),
    ],
)
def test_clean_name_examples(text: str, expected: str) -> None:
    assert clean_name(text) == expected


@pytest.mark.parametrize("text", ["123", "--", "Mr. 42"])
def test_clean_name_needs_a_letter(text: str) -> None:
    with pytest.raises(ValueProblem) as problem:
        clean_name(text)
    assert problem.value.reason == "wrong_type"
    assert repr(text) in problem.value.message


@pytest.mark.parametrize(
    ("text", "order", "expected"),
    [
        ("John Smith", "forenames_first", ("John", "Smith")),
        ("John Paul Smith", "forenames_first", ("John Paul", "Smith")),
        ("Ana de la Cruz", "forenames_first", ("Ana", "de la Cruz")),
        ("Ludwig van Beethoven", "auto", ("Ludwig", "van Beethoven")),
        ("van Gogh", "forenames_first", (None, "van Gogh")),
        ("SMITH John", "surname_first", ("John", "Smith")),
        ("van Dijk Jan", "surname_first", ("Jan", "van Dijk")),
        ("SMITH, John", "auto", ("John", "Smith")),
        ("Smith, Mr John Paul", "auto", ("John Paul", "Smith")),
        ("SMITH,", "auto", (None, "Smith")),
        ("SMITH John", "auto", ("John", "Smith")),
        ("SMITH JONES Mary", "auto", ("Mary", "Smith Jones")),
        ("J Smith", "auto", ("J", "Smith")),
        ("JOHN SMITH", "auto", ("John", "Smith")),
        ("John Smith", "auto", ("John", "Smith")),
        ("Mr Smith", "auto", (None, "Smith")),
        ("smith", "auto", (None, "Smith")),
    ],
)
def test_split_name_examples(
    text: str, order: str, expected: tuple[str | None, str | None]
) -> None:
    assert split_name(text, order) == expected


def test_split_name_needs_a_letter() -> None:
    with pytest.raises(ValueProblem) as problem:
        split_name("12, 34")
    assert problem.value.reason == "wrong_type"


def test_split_name_rejects_an_unknown_order() -> None:
    with pytest.raises(ValueError, match="backwards"):
        split_name("John Smith", "backwards")


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (["John", None, "Smith"], "John Smith"),
        ([" John ", ""], "John"),
        ([None, " "], None),
        ([], None),
    ],
)
def test_join_names(parts: list[str | None], expected: str | None) -> None:
    assert join_names(parts) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Zoë O'Brien-Smith", "zoe obriensmith"),
        ("ZOE O\u2019BRIEN SMITH", "zoe obrien smith"),
        ("  Łukasz   Søren ", "lukasz soren"),
        ("Straße", "strasse"),
        ("SMITH,John", "smith john"),
        ("J.R.R. Tolkien", "jrr tolkien"),
    ],
)
def test_name_key_examples(text: str, expected: str) -> None:
    assert name_key(text) == expected
