from __future__ import annotations

import random
from datetime import date

import pytest

from msht.model.types.phones import normalise_phone
from msht.model.types.postcodes import normalise_postcode
from msht.synth.catalogue import load
from msht.synth.geography import Geography
from msht.synth.names import name_book
from msht.synth.variation import Variation, typo


@pytest.fixture(scope="module")
def vary() -> Variation:
    return Variation(name_book(), load("geography")["abbreviations"])


def test_typo_changes_at_most_one_letter() -> None:
    rng = random.Random(1)
    for _ in range(500):
        word = typo(rng, "Katherine")
        assert abs(len(word) - 9) <= 1 and word[0] == "K"


def test_phone_forms_all_mean_the_same_number(vary: Variation) -> None:
    rng = random.Random(2)
    forms = {vary.phone(rng, "07412345678") for _ in range(300)}
    assert len(forms) >= 6
    assert {normalise_phone(f) for f in forms} == {"+447412345678"}


def test_postcode_forms_normalise_back(vary: Variation) -> None:
    rng = random.Random(3)
    forms = {vary.postcode(rng, "ME4 4TZ") for _ in range(400)}
    assert forms >= {"ME4 4TZ", "ME44TZ", "me4 4tz"}
    assert {normalise_postcode(f) for f in forms} == {"ME4 4TZ"}


def test_dates_of_birth_vary_but_stay_real(vary: Variation) -> None:
    rng = random.Random(4)
    dob = date(1990, 3, 7)
    seen = {vary.dob(rng, dob) for _ in range(2000)}
    assert date(1990, 7, 3) in seen and dob in seen
    assert any(d.year != 1990 for d in seen)


def test_names_get_nicknames_and_other_spellings(vary: Variation) -> None:
    rng = random.Random(5)
    assert {"Bill", "Will", "Billy"} & {vary.given(rng, "William", "british") for _ in range(300)}
    spellings = {vary.given(rng, "Mohammed", "arabic") for _ in range(300)}
    assert {"Muhammad", "Mohamed"} & spellings
    assert "Muhammad" not in {vary.given(rng, "Michael", "british") for _ in range(300)}


def test_address_lines_keep_number_and_street(vary: Variation) -> None:
    geo = Geography(0, 1000)
    rng = random.Random(6)
    town = geo.towns[0]
    for _ in range(50):
        home = geo.new_address(rng, town, flat_share=1.0)
        stem = home.street.name.split()[0]
        for _ in range(5):
            line = vary.line1(rng, home)
            assert str(home.number) in line and stem in line
        assert normalise_postcode(home.postcode) == home.postcode
