"""Resolution of addresses, premises, vehicles, phones and identity documents by keys.

These entities have identifiers that are exact once normalised, so each record gets a key in
portable SQL and records with one key are one entity. Premises names are also compared
fuzzily within a postcode, and vehicle marks one character apart are listed as candidates
for a person to check (a misread plate), never merged.
"""

from __future__ import annotations

from collections import defaultdict
from difflib import SequenceMatcher
from itertools import combinations

import pyarrow as pa

from msht.engine.base import Engine
from msht.resolve.stable_ids import CLUSTERS, mapping_table

_FLAT = "(?:flat|apartment|apt|unit|room) *([0-9]+[a-z]?|[a-z])\\b"
_POSTCODE_TEXT = "[a-z]{1,2}[0-9][0-9a-z]? *[0-9][a-z]{2}"

#: What records write for "no address": each such record stays an address of its own, or
#: every homeless person in the data would seem to share one crowded house.
_NO_ADDRESS = ", ".join(
    f"'{text}'"
    for text in (
        "nfa",
        "n.f.a.",
        "no fixed abode",
        "no fixed address",
        "unknown",
        "not known",
        "n/a",
        "none",
        "no address",
    )
)
#: Address key: the UPRN when known; else postcode, flat, house number and first street word
#: ("3 Meadow Rd" and "3 Meadow Road, Chatham" agree); else postcode and the letters of the
#: first line (a house name); else the whole text. Never the postcode alone: many homes
#: share one, and people wrongly put at one address would look like an overcrowded house.
_ADDRESS = f"""
WITH a AS (
  SELECT id, uprn, postcode, lower(coalesce(full_text, line1)) AS text FROM address
), parts AS (
  SELECT id, uprn, postcode, text,
    coalesce(nullif(regexp_extract(text, '{_FLAT}', 1), ''),
             nullif(regexp_extract(text, '^([0-9]+[a-z]?)/', 1), ''), '') AS flat,
    regexp_replace(text, '{_FLAT}|^[0-9]+[a-z]?/', ' ', 'g') AS rest
  FROM a
), numbered AS (
  SELECT *, nullif(regexp_extract(rest, '([0-9]+[a-z]?),? +[a-z]', 1), '') AS number,
    regexp_extract(rest, '[0-9]+[a-z]?,? +([a-z]+)', 1) AS street,
    nullif(regexp_replace(split_part(regexp_replace(rest, '{_POSTCODE_TEXT}', '', 'g'), ',', 1),
      '[^a-z0-9]+', '', 'g'), '') AS first_line
  FROM parts
)
SELECT id, CASE
  WHEN uprn IS NOT NULL THEN 'uprn:' || uprn
  WHEN postcode IS NULL AND trim(text) IN ({_NO_ADDRESS}) THEN NULL
  WHEN postcode IS NOT NULL AND number IS NOT NULL
    THEN postcode || '|' || flat || '|' || number || '|' || street
  WHEN postcode IS NOT NULL AND first_line IS NOT NULL
    THEN postcode || '|' || flat || '|' || first_line
  WHEN postcode IS NULL THEN nullif(regexp_replace(
    regexp_replace(text, '{_POSTCODE_TEXT}', '', 'g'), '[^a-z0-9]+', '', 'g'), '')
  END AS key
FROM numbered
"""
#: Premises key: postcode and the business name without "Ltd", "The"…; a premises without
#: a postcode or with no name left is itself alone (one name may trade in many towns).
_PREMISES = """
WITH p AS (
  SELECT id, postcode, nullif(regexp_replace(regexp_replace(lower(business_name),
    '\\b(ltd|limited|the|and|co|uk)\\b', ' ', 'g'), '[^a-z0-9]+', '', 'g'), '') AS name
  FROM premises
)
SELECT id, CASE WHEN postcode IS NOT NULL AND name IS NOT NULL THEN postcode || '|' || name END
  AS key
FROM p
"""
#: Entity type → (store table, id prefix of resolved entities, SQL of (id, key) per record).
KEYED: dict[str, tuple[str, str, str]] = {
    "Address": ("address", "ADR-", _ADDRESS),
    "Premises": ("premises", "PRM-", _PREMISES),
    "Vehicle": ("vehicle", "VEH-", "SELECT id, vrm AS key FROM vehicle"),
    "Phone": ("phone", "PHN-", "SELECT id, number AS key FROM phone"),
    "IdentityDocument": (
        "identity_document",
        "DOC-",
        """SELECT id, CASE WHEN number IS NOT NULL THEN coalesce(document_type, 'other') || ':'
             || upper(regexp_replace(number, '[^A-Za-z0-9]+', '', 'g')) END AS key
           FROM identity_document""",
    ),
}
#: Premises names at least this alike (same postcode) are one premises.
PREMISES_LIKENESS = 0.9


def keyed_clusters(engine: Engine, entity: str) -> pa.Table | None:
    """Record id → cluster label (its key, or its own id when it has no key), as a table of
    schema `CLUSTERS`; None when the store has no table of `entity`."""
    table, _, sql = KEYED[entity]
    if table not in engine.tables():
        return None
    result = engine.query(
        f"SELECT id AS record, coalesce(nullif(key, ''), 'record:' || id) AS label FROM ({sql})"
    ).cast(CLUSTERS)
    if entity == "Premises":
        labels = _fuzzy_premises(
            dict(zip(result["record"].to_pylist(), result["label"].to_pylist(), strict=True))
        )
        result = mapping_table(labels, CLUSTERS)
    return result


def _fuzzy_premises(labels: dict[str, str]) -> dict[str, str]:
    """Join premises keys of one postcode whose names are alike (typos, "&" for "and")."""
    by_postcode: dict[str, set[str]] = defaultdict(set)
    for key in labels.values():
        if "|" in key:
            postcode, _ = key.split("|", 1)
            if postcode:
                by_postcode[postcode].add(key)
    alias: dict[str, str] = {}

    def root(key: str) -> str:
        while key in alias:
            key = alias[key]
        return key

    for keys in by_postcode.values():
        for a, b in combinations(sorted(keys), 2):
            name_a, name_b = a.split("|", 1)[1], b.split("|", 1)[1]
            if SequenceMatcher(None, name_a, name_b).ratio() >= PREMISES_LIKENESS:
                ra, rb = sorted((root(a), root(b)))
                if ra != rb:
                    alias[rb] = ra
    return {record: root(key) for record, key in labels.items()}


def vrm_candidates(engine: Engine) -> list[tuple[str, str]]:
    """Pairs of distinct VRMs one character apart (same length): possible misreads."""
    if "vehicle" not in engine.tables():
        return []
    marks = engine.query("SELECT DISTINCT vrm FROM vehicle WHERE vrm IS NOT NULL")
    by_pattern: dict[str, list[str]] = defaultdict(list)
    for vrm in sorted(str(v) for v in marks.column("vrm").to_pylist()):
        for i in range(len(vrm)):
            by_pattern[f"{vrm[:i]}?{vrm[i + 1 :]}"].append(vrm)
    pairs = {(a, b) for group in by_pattern.values() for a, b in combinations(group, 2)}
    return sorted(pairs)
