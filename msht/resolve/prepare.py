"""The person records entity resolution compares, built from the POLE store in portable SQL.

Every column is derived from what any mapping can fill (the Person properties and the links
to phones, identity documents and addresses), never from one source's quirks. Names are
cleaned to lower-case letters; a placeholder such as "Unknown" becomes missing, so it neither
links records nor counts against a link.
"""

from __future__ import annotations

import unicodedata

import pyarrow as pa

from msht.engine.base import Engine
from msht.resolve.names import NameVariants

#: Table of prepared person records (input of the Splink model). Each has its store id in
#: `record_id` and its number (rank in id order, from 0) in `unique_id`, which Splink joins
#: on: blocking a million records on integers instead of text took 8 s instead of 14.
PERSON_INPUT = "resolve_person_input"
#: Table of name forms and the variant groups they belong to.
NAME_VARIANTS = "resolve_name_variant"
#: Table of each person record's cleaned names.
PERSON_NAMES = "resolve_person_name"
#: Table of name forms and their keys for blocking despite a typing slip.
FUZZY_KEYS = "resolve_name_fuzzy_keys"

#: Letters without a decomposition, and ligatures, spelt out before accents are dropped.
_SPELT = {
    "ß": "ss",
    "æ": "ae",
    "œ": "oe",
    "þ": "th",
    "ð": "d",
    "đ": "d",
    "ł": "l",
    "ø": "o",
    "\u0131": "i",
}


def _accent_table() -> tuple[str, str]:
    """Every lower-case Latin letter with diacritics (Latin-1 to Extended-B, and Vietnamese)
    and its base letter, for SQL translate() (Spark has no strip_accents)."""
    accented, plain = [], []
    for code in [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
        letter = chr(code)
        if letter.lower() != letter:
            continue
        base = "".join(
            c for c in unicodedata.normalize("NFKD", letter) if not unicodedata.combining(c)
        )
        if len(base) == 1 and "a" <= base <= "z":
            accented.append(letter)
            plain.append(base)
    return "".join(accented), "".join(plain)


_ACCENTED, _PLAIN = _accent_table()


def _folded(expr: str) -> str:
    """`expr` in lower case with accents dropped and special letters spelt out."""
    text = f"lower({expr})"
    for letter, spelt in _SPELT.items():
        text = f"replace({text}, '{letter}', '{spelt}')"
    return f"translate({text}, '{_ACCENTED}', '{_PLAIN}')"


def _letters(expr: str, keep_spaces: bool) -> str:
    """`expr` in lower case, accents dropped, only letters (and single spaces) kept."""
    allowed = "a-z " if keep_spaces else "a-z"
    folded = _folded(expr)
    text = f"regexp_replace({folded}, '[^{allowed}]+', '', 'g')"
    if keep_spaces:
        text = f"regexp_replace(trim({text}), ' +', ' ', 'g')"
    return f"nullif({text}, '')"


def _name_or_null(expr: str, placeholders: tuple[str, ...], whole: bool = False) -> str:
    """NULL when `expr` (all its words together, if `whole`) is a placeholder."""
    listed = ", ".join(f"'{p}'" for p in placeholders)
    key = f"replace({expr}, ' ', '')" if whole else expr
    return f"CASE WHEN {key} IN ({listed}) THEN NULL ELSE {expr} END"


def _names_ctes(placeholders: tuple[str, ...]) -> str:
    """CTEs ending in `named`: each person record's cleaned forename and surname (NULL when
    missing, a placeholder, or a single letter, which is kept only as an initial)."""
    given = _letters("text", keep_spaces=True)
    family = _letters("text", keep_spaces=False)
    forename = _name_or_null("nullif(forename_raw, '')", placeholders)
    surname = _name_or_null("nullif(surname_raw, '')", placeholders)
    # Names repeat: each distinct text is cleaned once, then joined back (a third of the time).
    return f"""
given_texts AS (
  SELECT text, {_name_or_null(given, placeholders, whole=True)} AS clean
  FROM (SELECT DISTINCT coalesce(forenames, full_name) AS text FROM person)
), whole_texts AS (
  -- only records named by a full name alone need it cleaned (full names are many)
  SELECT text, {_name_or_null(given, placeholders, whole=True)} AS clean
  FROM (SELECT DISTINCT full_name AS text FROM person
        WHERE forenames IS NULL AND surname IS NULL)
), family_texts AS (
  SELECT text, {_name_or_null(family, placeholders, whole=True)} AS clean
  FROM (SELECT DISTINCT surname AS text FROM person)
), cleaned AS (
  -- "Not Known" is a placeholder as a whole, before any word of it is taken for a name
  SELECT p.id, p.source, p.dob, p.age_estimate, p.age_estimated_on, p.pnc_id, p.ni_number,
    p.postcode, g.clean AS given, w.clean AS whole, f.clean AS family,
    p.forenames IS NULL AND p.surname IS NULL AS from_full_name
  FROM person p
  LEFT JOIN given_texts g ON g.text = coalesce(p.forenames, p.full_name)
  LEFT JOIN whole_texts w ON w.text = p.full_name
  LEFT JOIN family_texts f ON f.text = p.surname
), split AS (
  SELECT *,
    split_part(given, ' ', 1) AS forename_raw,
    -- a full name of one word is read as a forename ("a man called Darren")
    CASE WHEN NOT from_full_name THEN family
         WHEN contains(coalesce(whole, ''), ' ') THEN regexp_extract(whole, '([a-z]+)$', 1)
         END AS surname_raw
  FROM cleaned
), words AS (
  SELECT *, {forename} AS forename_word, {surname} AS surname_word FROM split
), named AS (
  -- "Erin N." names a surname by its initial only: no name to compare, an initial to block on
  SELECT id, source, dob, age_estimate, age_estimated_on, pnc_id, ni_number, postcode,
    CASE WHEN length(forename_word) > 1 THEN forename_word END AS forename,
    CASE WHEN length(surname_word) > 1 THEN surname_word END AS surname,
    substr(forename_word, 1, 1) AS forename_initial,
    substr(surname_word, 1, 1) AS surname_initial
  FROM words
)"""


def person_names_sql(placeholders: tuple[str, ...]) -> str:
    """SQL of each person record's cleaned names, with the Person columns linkage reads."""
    return f"WITH {_names_ctes(placeholders)} SELECT * FROM named"


def name_forms_sql() -> str:
    """SQL of every distinct cleaned forename and surname, with its variant-group keys."""
    return f"""
WITH forms AS (
  SELECT forename AS form FROM {PERSON_NAMES} WHERE forename IS NOT NULL
  UNION SELECT surname AS form FROM {PERSON_NAMES} WHERE surname IS NOT NULL
)
SELECT f.form, k.name_keys FROM forms f LEFT JOIN {NAME_VARIANTS}_keys k ON k.form = f.form
"""


def deletion_keys(name: str, shortest: int = 4) -> set[str]:
    """The name and, if it has `shortest` letters or more, each form of it with one letter
    left out. Two names one typing slip apart (a letter wrong, missing, added, or two letters
    swapped) share at least one of these keys; shorter names are too alike to be so loose."""
    keys = {name}
    if len(name) >= shortest:
        keys.update(name[:i] + name[i + 1 :] for i in range(len(name)))
    return keys


def fuzzy_keys_table(forms: pa.Table) -> pa.Table:
    """(form, fuzzy_keys): each name form's variant-group keys and deletion keys, sorted."""
    names = forms.column("form").to_pylist()
    groups = forms.column("name_keys").to_pylist()
    keys = [
        sorted(deletion_keys(name).union(group or ()))
        for name, group in zip(names, groups, strict=True)
    ]
    return pa.table(
        {"form": pa.array(names, pa.string()), "fuzzy_keys": pa.array(keys, pa.list_(pa.string()))}
    )


def person_input_sql() -> str:
    """SQL of the prepared person records, one row per Person record of the store."""
    return f"""
WITH named AS (SELECT * FROM {PERSON_NAMES}), numbered AS (
  -- numbered on the ids alone: a window sorting whole prepared rows took seconds more
  SELECT id, CAST(row_number() OVER (ORDER BY id) - 1 AS BIGINT) AS number FROM named
), phones AS (
  SELECT l.from_id AS id, ph.number FROM link l JOIN phone ph ON ph.id = l.to_id
  WHERE l.role = 'uses-phone' AND l.from_type = 'Person'
  UNION ALL SELECT id, phone AS number FROM person WHERE phone IS NOT NULL
), phone_lists AS (
  SELECT id, list_sort(list(DISTINCT number) FILTER (WHERE number IS NOT NULL)) AS phones
  FROM phones GROUP BY id
), own_documents AS (
  -- a document the person merely holds may be someone else's (a sign of control), so only
  -- their own documents identify them
  SELECT l.from_id AS id, d.document_type, d.number FROM link l
  JOIN identity_document d ON d.id = l.to_id
  WHERE l.role = 'holds-document' AND NOT coalesce(d.held_by_other, false)
  UNION ALL SELECT l.to_id AS id, d.document_type, d.number FROM link l
  JOIN identity_document d ON d.id = l.from_id
  WHERE l.role = 'document-of' AND l.to_type = 'Person'
), document_lists AS (
  SELECT id, list_sort(list(DISTINCT coalesce(document_type, 'other') || ':'
    || upper(regexp_replace(number, '[^A-Za-z0-9]+', '', 'g'))) FILTER (WHERE number IS NOT NULL))
    AS documents
  FROM own_documents GROUP BY id
), homes AS (
  SELECT l.from_id AS id, min(a.postcode) AS postcode FROM link l
  JOIN address a ON a.id = l.to_id
  WHERE l.role = 'resident-at' AND l.from_type = 'Person' AND a.postcode IS NOT NULL
  GROUP BY l.from_id
), people AS (
  SELECT n.id AS record_id, n.source, n.forename, n.surname, n.forename_initial,
    n.surname_initial, n.dob, n.age_estimate, n.age_estimated_on, n.pnc_id, n.ni_number,
    coalesce(n.postcode, h.postcode) AS postcode,
    CASE WHEN array_length(pl.phones) > 0 THEN pl.phones END AS phones,
    CASE WHEN array_length(dl.documents) > 0 THEN dl.documents END AS documents
  FROM named n
  LEFT JOIN phone_lists pl ON pl.id = n.id
  LEFT JOIN document_lists dl ON dl.id = n.id
  LEFT JOIN homes h ON h.id = n.id
)
SELECT nb.number AS unique_id, p.record_id, p.source, p.forename, p.surname,
  CASE WHEN p.forename IS NOT NULL THEN coalesce(fk.name_keys, [p.forename]) END
    AS forename_keys,
  coalesce(fk.first_key, p.forename) AS forename_key,
  ff.fuzzy_keys AS forename_fuzzy_keys,
  CASE WHEN p.surname IS NOT NULL THEN coalesce(sk.name_keys, [p.surname]) END AS surname_keys,
  coalesce(sk.first_key, p.surname) AS surname_key,
  sf.fuzzy_keys AS surname_fuzzy_keys,
  p.forename_initial, p.surname_initial,
  p.dob, strftime(p.dob, '%Y-%m-%d') AS dob_text,
  strftime(p.dob, '%Y-%d-%m') AS dob_swapped,
  CAST(year(p.dob) AS BIGINT) AS dob_year,
  strftime(p.dob, '%m-%d') AS dob_month_day,
  coalesce(CAST(year(p.dob) AS BIGINT),
           CAST(year(p.age_estimated_on) AS BIGINT) - p.age_estimate) AS birth_year,
  p.postcode,
  regexp_extract(p.postcode, '^([A-Z0-9]+ [0-9])', 1) AS postcode_sector,
  split_part(p.postcode, ' ', 1) AS postcode_district,
  p.phones, p.documents, p.pnc_id, p.ni_number
FROM people p
JOIN numbered nb ON nb.id = p.record_id
LEFT JOIN {NAME_VARIANTS}_keys fk ON fk.form = p.forename
LEFT JOIN {NAME_VARIANTS}_keys sk ON sk.form = p.surname
LEFT JOIN {FUZZY_KEYS} ff ON ff.form = p.forename
LEFT JOIN {FUZZY_KEYS} sf ON sf.form = p.surname
"""


def variant_keys_sql() -> str:
    """Per name form: its variant group keys (sorted) and the first, for blocking."""
    return f"""
SELECT form, list_sort(list(DISTINCT group_key) FILTER (WHERE group_key IS NOT NULL)) AS name_keys,
  min(group_key) AS first_key
FROM {NAME_VARIANTS} GROUP BY form
"""


def prepare_person_input(engine: Engine, variants: NameVariants) -> int:
    """Build the prepared person table on `engine`; return its number of records."""
    engine.create_table(NAME_VARIANTS, variants.as_arrow())
    engine.create_table_as(f"{NAME_VARIANTS}_keys", variant_keys_sql())
    engine.create_table_as(PERSON_NAMES, person_names_sql(variants.placeholders))
    engine.create_table(FUZZY_KEYS, fuzzy_keys_table(engine.query(name_forms_sql())))
    engine.create_table_as(PERSON_INPUT, person_input_sql())
    count = engine.scalar(f"SELECT count(*) AS n FROM {PERSON_INPUT}")
    return int(count) if isinstance(count, int) else 0
