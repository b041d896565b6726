"""The selection as GraphML, which Gephi, yEd and networkx open with types and attributes."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from msht.exports.selection import Selection
from msht.exports.tabular import EDGE_COLUMNS, ILLEGAL, NODE_COLUMNS
from msht.exports.watermark import Watermark

_NS = "http://graphml.graphdrawing.org/xmlns"
_INTS = {"records", "links"}


def _text(value: Any) -> str:
    text = "; ".join(str(v) for v in value) if isinstance(value, list) else str(value)
    return ILLEGAL.sub("", text)


def _data(parent: ET.Element, key: str, value: Any) -> None:
    """A data element, left out for a missing value (GraphML's way of saying none)."""
    if value is not None:
        ET.SubElement(parent, f"{{{_NS}}}data", {"key": key}).text = _text(value)


def write_graphml(selection: Selection, out: Path, mark: Watermark) -> list[Path]:
    """One directed GraphML graph (each edge from the `from` entity of its links to the `to`
    one), node and edge attributes declared as keys, the watermark as graph data and as a
    comment."""
    ET.register_namespace("", _NS)
    root = ET.Element(f"{{{_NS}}}graphml")
    keys = [("graph", "watermark"), ("graph", "selection")]
    keys += [("node", c) for c in NODE_COLUMNS if c != "entity_id"]
    keys += [("edge", c) for c in EDGE_COLUMNS if c not in ("from_entity", "to_entity")]
    for scope, name in keys:
        kind = "long" if name in _INTS else "string"
        ET.SubElement(
            root,
            f"{{{_NS}}}key",
            {"id": f"{scope[0]}_{name}", "for": scope, "attr.name": name, "attr.type": kind},
        )
    graph = ET.SubElement(root, f"{{{_NS}}}graph", {"id": "msht", "edgedefault": "directed"})
    for name, value in (("watermark", mark.text), ("selection", selection.description)):
        _data(graph, f"g_{name}", value)
    for row in selection.nodes.to_pylist():
        node = ET.SubElement(graph, f"{{{_NS}}}node", {"id": row["entity_id"]})
        for c in NODE_COLUMNS[1:]:
            _data(node, f"n_{c}", row[c])
    for i, row in enumerate(selection.edges.to_pylist()):
        edge = ET.SubElement(
            graph,
            f"{{{_NS}}}edge",
            {"id": f"e{i}", "source": row["from_entity"], "target": row["to_entity"]},
        )
        for c in EDGE_COLUMNS:
            if c not in ("from_entity", "to_entity"):
                _data(edge, f"e_{c}", row[c])
    # a comment may not hold "--" (nor end with "-"), whoever the exporter says they are
    root.insert(0, ET.Comment(" " + re.sub("-(?=-)", "- ", _text(mark.text)) + " "))
    tree = ET.ElementTree(root)
    ET.indent(tree)
    tree.write(out, encoding="utf-8", xml_declaration=True)
    return [out]
