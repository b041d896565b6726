"""The selection as an i2 Analyst's Notebook chart (ANX: LCX XML), which ANB opens without
an import specification.

The root `Chart` is in the LCX namespace; its children are unqualified, in the order the
LCX schema's sequence gives (`CHART_ORDER`). Entities are icons (`End/Entity/Icon`) of an
`EntityType` whose icon name and colour are data (`anx.yaml`); links join two entities by
their `EntityId`s. Attributes carry msht's ids, counts and dates; cards carry the source
rows behind each item and, for intelligence, its 3x5x2 grading (as ANB's three grades). The
watermark is the chart summary's title, comments and custom properties.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

from msht.exports.anx_style import AnxStyle, bgr
from msht.exports.provenance import Provenance
from msht.exports.selection import Selection
from msht.exports.tabular import ILLEGAL
from msht.exports.watermark import Watermark

NAMESPACE = "http://www.i2group.com/Schemas/2001-12-07/LCXSchema"
#: Children of `Chart`, in the LCX schema's order (those msht writes).
CHART_ORDER = (
    "ApplicationVersion",
    "StrengthCollection",
    "GradeOne",
    "GradeTwo",
    "GradeThree",
    "AttributeClassCollection",
    "EntityTypeCollection",
    "LinkTypeCollection",
    "Summary",
    "ChartItemCollection",
)
#: 3x5x2 (College of Policing APP): source evaluation, intelligence assessment, handling code.
GRADES: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "GradeOne": (
        "source_evaluation",
        [("1", "Reliable"), ("2", "Untested"), ("3", "Not reliable")],
    ),
    "GradeTwo": (
        "intelligence_assessment",
        [
            ("A", "Known directly to the source"),
            ("B", "Known indirectly to the source but corroborated"),
            ("C", "Known indirectly to the source"),
            ("D", "Not known"),
            ("E", "Suspected to be false"),
        ],
    ),
    "GradeThree": (
        "handling_code",
        [("P", "Lawful sharing permitted"), ("C", "Lawful sharing permitted with conditions")],
    ),
}
#: Attribute classes: name → (ANB type, column of the entity or link row).
ENTITY_ATTRIBUTES = {
    "msht id": ("AttText", "entity_id"),
    "Records": ("AttNumber", "records"),
    "Sources": ("AttText", "sources"),
}
LINK_ATTRIBUTES = {
    "Role": ("AttText", "role"),
    "Links": ("AttNumber", "links"),
    "Sources": ("AttText", "sources"),
    "First date": ("AttText", "first_date"),
    "Last date": ("AttText", "last_date"),
}
#: Cards shown per item at most (the rest are counted on the last card).
MAX_CARDS = 50


def _text(value: Any) -> str:
    text = "; ".join(str(v) for v in value) if isinstance(value, list) else str(value)
    return ILLEGAL.sub("", text)


def _id(prefix: str, name: str) -> str:
    """An XML id (an NCName) for a named thing: letters, digits, '-', '_', '.' only."""
    return prefix + "".join(c if c.isalnum() or c in "-_." else "_" for c in name)


def _add(parent: ET.Element, tag: str, **attributes: Any) -> ET.Element:
    """A child element; attributes that are None are left out."""
    values = {k: _text(v) for k, v in attributes.items() if v is not None}
    return ET.SubElement(parent, tag, values)


def _header(chart: ET.Element, style: AnxStyle, types: list[str], roles: list[str]) -> None:
    _add(chart, "ApplicationVersion", Major=9, Minor=0, Point=0, Build=0)
    strengths = _add(chart, "StrengthCollection")
    _add(strengths, "Strength", Id="ST-Default", Name="Default", DotStyle="DotStyleSolid")
    for tag, (_, grades) in GRADES.items():
        strings = _add(_add(chart, tag), "StringCollection")
        for code, meaning in grades:
            _add(strings, "String", Id=_id(f"{tag}-", code), Text=f"{code} {meaning}")
    classes = _add(chart, "AttributeClassCollection")
    for name, (kind, _) in {**ENTITY_ATTRIBUTES, **LINK_ATTRIBUTES}.items():
        _add(
            classes,
            "AttributeClass",
            Id=_id("AC-", name),
            Name=name,
            Type=kind,
            IsUser="true",
            UserCanAdd="true",
            UserCanRemove="true",
            ShowValue="true",
        )
    entity_types = _add(chart, "EntityTypeCollection")
    for t in types:
        look = style.entity_types.get(t)
        _add(
            entity_types,
            "EntityType",
            Id=_id("ET-", t),
            Name=t,
            IconFile=look.icon if look else "General",
            Colour=bgr(look.colour) if look else 0,
        )
    link_types = _add(chart, "LinkTypeCollection")
    for role in roles:
        _add(link_types, "LinkType", Id=_id("LT-", role), Name=role, Colour=style.link_colour(role))


def _summary(chart: ET.Element, mark: Watermark, description: str) -> None:
    summary = _add(chart, "Summary")
    fields = _add(summary, "FieldCollection")
    _add(fields, "Field", Type="SummaryFieldTitle", Field=f"{mark.marking} — msht: {description}")
    _add(fields, "Field", Type="SummaryFieldComments", Field=mark.text)
    properties = _add(summary, "CustomPropertyCollection")
    stamp = mark.when.strftime("%Y-%m-%dT%H:%M:%SZ")
    for name, value in (
        ("Security marking", mark.marking),
        ("Exported by", mark.who),
        ("Exported at", stamp),
        ("Selection", description),
    ):
        _add(properties, "CustomProperty", Name=name, Type="String", Value=value)


def _attributes(item: ET.Element, row: dict[str, Any], classes: dict[str, tuple[str, str]]) -> None:
    present = [(n, row[c]) for n, (_, c) in classes.items() if row[c] not in (None, [])]
    if present:
        collection = _add(item, "AttributeCollection")
        for name, value in present:
            shown = value.isoformat() if isinstance(value, date) else value
            _add(
                collection,
                "Attribute",
                AttributeClass=name,
                AttributeClassReference=_id("AC-", name),
                Value=shown,
            )


def _cards(parent: ET.Element, rows: list[dict[str, Any]], what: str) -> None:
    if not rows:
        return
    cards = _add(parent, "CardCollection")
    for n, row in enumerate(rows[:MAX_CARDS], start=1):
        more = len(rows) - MAX_CARDS if n == MAX_CARDS and len(rows) > MAX_CARDS else 0
        reference = f"{row['source']}:{row['source_record_id']}"
        text = f"{row['source_file']}, row {row['source_row']}"
        if more:
            text += f" (and {more} more source rows not shown)"
        grades = {}
        for tag, (column, scale) in GRADES.items():
            codes = [code for code, _ in scale]
            if row.get(column) in codes:
                grades[f"{tag}Index"] = codes.index(row[column])
        _add(
            cards,
            "Card",
            Summary=f"{row.get('role') or what} — {reference}",
            Text=text,
            SourceReference=reference,
            SourceType=row["source"],
            DateSet="false",
            GradeOneIndex=grades.get("GradeOneIndex"),
            GradeTwoIndex=grades.get("GradeTwoIndex"),
            GradeThreeIndex=grades.get("GradeThreeIndex"),
        )


def _by(rows: list[dict[str, Any]], key: str) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        grouped[row[key]].append(row)
    return grouped


def write_anx(selection: Selection, out: Path, mark: Watermark, style: AnxStyle) -> list[Path]:
    """Write the selection as one ANX chart: every entity an icon, every edge a link."""
    ET.register_namespace("lcx", NAMESPACE)
    chart = ET.Element(f"{{{NAMESPACE}}}Chart", {"IdReferenceLinking": "false"})
    nodes = selection.nodes.to_pylist()
    edges = selection.edges.to_pylist()
    cards = selection.provenance or Provenance(
        selection.nodes.slice(0, 0), selection.edges.slice(0, 0)
    )
    records = _by(cards.records.to_pylist(), "entity_id") if selection.provenance else {}
    links = {r["link_id"]: r for r in cards.links.to_pylist()} if selection.provenance else {}
    types = sorted({n["entity_type"] for n in nodes})
    roles = sorted({e["role"] for e in edges})
    _header(chart, style, types, roles)
    _summary(chart, mark, selection.description)
    items = _add(chart, "ChartItemCollection")
    number: dict[str, int] = {}
    for i, node in enumerate(nodes, start=1):
        number[node["entity_id"]] = i
        item = _add(
            items,
            "ChartItem",
            Id=f"CI-E{i}",
            Label=node["label"] or node["entity_id"],
            Description=f"{node['entity_type']} {node['entity_id']}",
        )
        end = _add(item, "End", X=0, Y=0, Z=0)
        entity = _add(
            end, "Entity", EntityId=i, Identity=node["entity_id"], LabelIsIdentity="false"
        )
        icon = _add(entity, "Icon")
        _add(
            icon,
            "IconStyle",
            Type=node["entity_type"],
            EntityTypeReference=_id("ET-", node["entity_type"]),
        )
        _cards(entity, records.get(node["entity_id"], []), node["entity_type"])
        _attributes(item, node, ENTITY_ATTRIBUTES)
    for i, edge in enumerate(edges, start=1):
        when = edge["first_date"]
        item = _add(
            items,
            "ChartItem",
            Id=f"CI-L{i}",
            Label=edge["role"],
            DateSet="true" if when else "false",
            DateTime=f"{when.isoformat()}T00:00:00" if when else None,
        )
        link = _add(
            item, "Link", End1Id=number[edge["from_entity"]], End2Id=number[edge["to_entity"]]
        )
        _cards(link, [links[x] for x in edge["link_ids"] or [] if x in links], edge["role"])
        _add(
            link,
            "LinkStyle",
            Strength="Default",
            Type=edge["role"],
            LinkTypeReference=_id("LT-", edge["role"]),
            ArrowStyle="ArrowNone" if edge["role"].startswith("in-same-") else "ArrowOnHead",
            LineColour=style.link_colour(edge["role"]),
        )
        _attributes(item, edge, LINK_ATTRIBUTES)
    tree = ET.ElementTree(chart)
    ET.indent(tree)
    tree.write(out, encoding="utf-8", xml_declaration=True)
    return [out]
