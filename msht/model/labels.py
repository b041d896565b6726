"""A readable label for each resolved entity, from the records it was resolved from."""

from __future__ import annotations

from collections.abc import Iterable

#: Per entity type, the SQL of each record's label (the smallest is the entity's label).
_LABELS = {
    "Person": (
        "person",
        "nullif(trim(coalesce(x.full_name, coalesce(x.forenames, '') || ' ' || "
        "coalesce(x.surname, ''))), '')",
    ),
    "Address": ("address", "coalesce(x.full_text, x.line1) || coalesce(', ' || x.postcode, '')"),
    "Premises": ("premises", "x.business_name || coalesce(', ' || x.postcode, '')"),
    "Vehicle": ("vehicle", "x.vrm"),
    "Phone": ("phone", "x.number"),
    "IdentityDocument": (
        "identity_document",
        "coalesce(x.document_type, 'document') || ' ' || x.number",
    ),
}


def labels_sql(tables: Iterable[str]) -> str:
    """SQL of entity id → label, over the entity types whose tables the store has."""
    present = set(tables)
    parts = [
        f"""SELECT r.entity_id, min({expr}) AS label FROM resolved_record r
            JOIN {table} x ON x.id = r.record_id
            WHERE r.entity_type = '{entity_type}' GROUP BY r.entity_id"""
        for entity_type, (table, expr) in _LABELS.items()
        if table in present
    ]
    return " UNION ALL ".join(parts) or "SELECT '' AS entity_id, '' AS label WHERE false"
