"""Prepared person records: names folded to plain letters, placeholders dropped."""

from pathlib import Path

import pyarrow as pa
import pytest

from msht.engine import open_engine
from msht.resolve.names import shipped_variants
from msht.resolve.prepare import PERSON_INPUT, deletion_keys, prepare_person_input


def _prepared(tmp_path: Path, people: list[dict[str, str | None]]) -> list[dict[str, object]]:
    engine = open_engine("duckdb", tmp_path / "store")
    n = len(people)
    person = pa.table(
        {
            "id": [f"s:{i}:p" for i in range(n)],
            "source": ["s"] * n,
            **{
                col: pa.array([p.get(col) for p in people], pa.string())
                for col in (
                    "full_name",
                    "forenames",
                    "surname",
                    "phone",
                    "postcode",
                    "pnc_id",
                    "ni_number",
                )
            },
            "dob": pa.array([None] * n, pa.date32()),
            "age_estimate": pa.array([None] * n, pa.int64()),
            "age_estimated_on": pa.array([None] * n, pa.date32()),
        }
    )
    engine.create_table("person", person)
    empty = {"id": pa.array([], pa.string())}
    engine.create_table(
        "link",
        pa.table(
            {
                **empty,
                "role": pa.array([], pa.string()),
                "from_type": pa.array([], pa.string()),
                "from_id": pa.array([], pa.string()),
                "to_type": pa.array([], pa.string()),
                "to_id": pa.array([], pa.string()),
            }
        ),
    )
    engine.create_table("phone", pa.table({**empty, "number": pa.array([], pa.string())}))
    engine.create_table("address", pa.table({**empty, "postcode": pa.array([], pa.string())}))
    engine.create_table(
        "identity_document",
        pa.table(
            {
                **empty,
                "document_type": pa.array([], pa.string()),
                "number": pa.array([], pa.string()),
                "held_by_other": pa.array([], pa.bool_()),
            }
        ),
    )
    prepare_person_input(engine, shipped_variants())
    rows = engine.query(f"SELECT * FROM {PERSON_INPUT} ORDER BY unique_id").to_pylist()
    engine.close()
    return rows


@pytest.mark.parametrize(
    ("written", "plain"),
    [
        ("Łukasz", "lukasz"),
        ("Jiří", "jiri"),
        ("Muñoz", "munoz"),
        ("Ștefan", "stefan"),
        ("Ionuț", "ionut"),
        ("Nguyễn", "nguyen"),
        ("Đặng", "dang"),
        ("Straße", "strasse"),
        ("Žaneta", "zaneta"),
        ("O'Brien-Smith", "obriensmith"),
    ],
)
def test_names_fold_to_plain_letters(tmp_path: Path, written: str, plain: str) -> None:
    (row,) = _prepared(tmp_path, [{"forenames": "Anna", "surname": written}])
    assert row["surname"] == plain


def test_placeholders_are_no_name_even_in_several_words(tmp_path: Path) -> None:
    rows = _prepared(
        tmp_path,
        [
            {"full_name": "Not Known"},
            {"forenames": "Not Known", "surname": "Not Known"},
            {"full_name": "Darren"},
            {"full_name": "Erin Norris"},
        ],
    )
    assert [(r["forename"], r["surname"]) for r in rows] == [
        (None, None),
        (None, None),
        ("darren", None),
        ("erin", "norris"),
    ]
    assert rows[3]["forename_keys"] == ["erin"]


def test_an_initial_is_no_name_but_is_kept_as_an_initial(tmp_path: Path) -> None:
    rows = _prepared(tmp_path, [{"full_name": "Erin N."}, {"forenames": "J", "surname": "Khan"}])
    assert [(r["forename"], r["surname"], r["surname_initial"]) for r in rows] == [
        ("erin", None, "n"),
        (None, "khan", "k"),
    ]
    assert rows[0]["surname_fuzzy_keys"] is None
    assert rows[1]["forename_initial"] == "j"


def test_fuzzy_keys_meet_across_one_typing_slip_and_known_variants(tmp_path: Path) -> None:
    rows = _prepared(
        tmp_path,
        [
            {"forenames": "Joseph", "surname": "Hashemi"},
            {"forenames": "Jospeh", "surname": "Hashmei"},  # two letters swapped in each
            {"forenames": "Joe", "surname": "Hashem"},  # a nickname; a letter missing
            {"forenames": "Josh", "surname": "Hassan"},
        ],
    )

    def share(a: int, b: int, column: str) -> bool:
        return bool(set(rows[a][column]) & set(rows[b][column]))  # type: ignore[arg-type]

    assert share(0, 1, "forename_fuzzy_keys") and share(0, 1, "surname_fuzzy_keys")
    assert share(0, 2, "forename_fuzzy_keys") and share(0, 2, "surname_fuzzy_keys")
    assert not share(0, 3, "forename_fuzzy_keys") and not share(0, 3, "surname_fuzzy_keys")


@pytest.mark.parametrize(
    ("a", "b", "meet"),
    [
        ("olivia", "oliia", True),  # a letter missing
        ("olivia", "olivai", True),  # two letters swapped
        ("olivia", "olovia", True),  # a letter wrong
        ("olivia", "oliver", False),  # two slips apart
        ("ian", "dan", False),  # short names are too alike to be loose with
    ],
)
def test_deletion_keys(a: str, b: str, meet: bool) -> None:
    assert bool(deletion_keys(a) & deletion_keys(b)) is meet
