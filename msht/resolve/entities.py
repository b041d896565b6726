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

from msht.engine.base import Engine

#: Entity type → (store table, id prefix of resolved entities, SQL key of a record).
KEYED: dict[str, tuple[str, str, str]] = {
    "Address": (
        "address",
        "ADR-",
        # postcode | flat | house number | first word of the street: "3 Meadow Rd" and
        # "3 Meadow Road, Chatham" agree; without a postcode the whole text must agree
        """CASE WHEN postcode IS NOT NULL THEN postcode || '|'
             || coalesce(regexp_extract(lower(coalesce(full_text, line1)),
                  '(?:flat|apartment|apt|unit|room) *([0-9]+[a-z]?)', 1), '')
             || coalesce(regexp_extract(lower(coalesce(full_text, line1)),
                  '^([0-9]+[a-z]?)/', 1), '') || '|'
             || coalesce(regexp_extract(lower(coalesce(full_text, line1)),
                  '([0-9]+[a-z]?),? +[a-z]', 1), '') || '|'
             || coalesce(regexp_extract(lower(coalesce(full_text, line1)),
                  '[0-9]+[a-z]?,? +([a-z]+)', 1), '')
           ELSE nullif(regexp_replace(lower(coalesce(full_text, line1)), '[^a-z0-9]+', '', 'g'), '')
           END""",
    ),
    "Premises": (
        "premises",
        "PRM-",
        """CASE WHEN business_name IS NOT NULL THEN coalesce(postcode, '') || '|' ||
           regexp_replace(regexp_replace(lower(business_name),
             '\\b(ltd|limited|the|and|co|uk)\\b', ' ', 'g'), '[^a-z0-9]+', '', 'g') END""",
    ),
    "Vehicle": ("vehicle", "VEH-", "vrm"),
    "Phone": ("phone", "PHN-", "number"),
    "IdentityDocument": (
        "identity_document",
        "DOC-",
        """CASE WHEN number IS NOT NULL THEN coalesce(document_type, 'other') || ':' ||
           upper(regexp_replace(number, '[^A-Za-z0-9]+', '', 'g')) END""",
    ),
}
#: Premises names at least this alike (same postcode) are one premises.
PREMISES_LIKENESS = 0.9


def keyed_clusters(engine: Engine, entity: str) -> dict[str, str]:
    """Record id → cluster label (its key, or its own id when it has no key)."""
    table, _, key = KEYED[entity]
    if table not in engine.tables():
        return {}
    rows = engine.query(f"SELECT id, {key} AS key FROM {table}").to_pylist()
    labels = {r["id"]: r["key"] if r["key"] else f"record:{r['id']}" for r in rows}
    if entity == "Premises":
        labels = _fuzzy_premises(labels)
    return labels


def _fuzzy_premises(labels: dict[str, str]) -> dict[str, str]:
    """Join premises keys of one postcode whose names are alike (typos, "&" for "and")."""
    by_postcode: dict[str, set[str]] = defaultdict(set)
    for key in labels.values():
        if "|" in key:
            postcode, _ = key.split("|", 1)
            if postcode:
                by_postcode[postcode].add(key)
    alias: dict[str, str] = {}
    for keys in by_postcode.values():
        for a, b in combinations(sorted(keys), 2):
            name_a, name_b = a.split("|", 1)[1], b.split("|", 1)[1]
            if SequenceMatcher(None, name_a, name_b).ratio() >= PREMISES_LIKENESS:
                alias[b] = alias.get(a, a)
    return {record: alias.get(key, key) for record, key in labels.items()}


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
