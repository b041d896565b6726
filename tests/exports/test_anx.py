"""i2 ANX charts: valid against a schema written from the public LCX elements, every id
unique and every reference resolving, styled by data, carrying provenance and grading."""

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import xmlschema
from factories import store_rows
from typer.testing import CliRunner

from msht.cli import app
from msht.errors import ConfigError
from msht.exports.anx import CHART_ORDER, NAMESPACE
from msht.exports.anx_style import bgr, load_anx_style
from msht.pipeline.run import run_project
from msht.synth import generate

SCHEMA = xmlschema.XMLSchema(Path(__file__).parent / "data" / "lcx-subset.xsd")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("anx") / "p"
    generate(root, 2500, 5)
    run_project(root)
    return root


def _export(project: Path, out: Path, *options: str) -> ET.Element:
    done = CliRunner().invoke(
        app,
        [
            "export",
            "anx",
            str(project),
            "--out",
            str(out),
            "--by",
            "DC Test",
            "--recipient",
            "Op Test team",
            "--purpose",
            "test chart",
            *options,
        ],
    )
    assert done.exit_code == 0, done.output
    SCHEMA.validate(str(out))
    return ET.parse(out).getroot()


def _check_references(root: ET.Element) -> tuple[set[str], list[tuple[int, int]]]:
    """Ids unique; type, class and end references resolve; the identities and link ends."""
    ids = [e.get("Id") for e in root.iter() if e.get("Id") is not None]
    assert len(ids) == len(set(ids))
    known = set(ids)
    for e in root.iter():
        for attribute in ("EntityTypeReference", "LinkTypeReference", "AttributeClassReference"):
            if e.get(attribute) is not None:
                assert e.get(attribute) in known, (e.tag, e.get(attribute))
    entities = {int(e.get("EntityId", "0")): e.get("Identity") for e in root.iter("Entity")}
    assert len(entities) == len(list(root.iter("Entity")))
    ends = [(int(x.get("End1Id", "0")), int(x.get("End2Id", "0"))) for x in root.iter("Link")]
    assert all(a in entities and b in entities for a, b in ends)
    return {str(v) for v in entities.values()}, ends


def test_a_group_chart_is_valid_and_holds_the_group(project: Path, tmp_path: Path) -> None:
    group = store_rows(
        project,
        "SELECT group_id, members FROM network_group ORDER BY members DESC, group_id LIMIT 1",
    )[0]
    root = _export(project, tmp_path / "g.anx", "--group", group["group_id"])
    assert root.tag == f"{{{NAMESPACE}}}Chart"
    order = [child.tag for child in root]
    assert order == [t for t in CHART_ORDER if t in order] and "ChartItemCollection" in order
    identities, ends = _check_references(root)
    members = store_rows(
        project,
        f"SELECT entity_id FROM network_group_member WHERE group_id = '{group['group_id']}'",
    )
    assert identities == {m["entity_id"] for m in members} and len(ends) > 0
    properties = {p.get("Name"): p.get("Value") for p in root.iter("CustomProperty")}
    assert properties["Security marking"] == "OFFICIAL-SENSITIVE"
    assert properties["Exported by"] == "DC Test"
    # types carry their icon and colour from the data file, in ANB's BGR form
    style = load_anx_style()
    person = next(t for t in root.iter("EntityType") if t.get("Name") == "Person")
    assert person.get("IconFile") == style.entity_types["Person"].icon
    assert person.get("Colour") == str(bgr(style.entity_types["Person"].colour))


def test_cards_carry_source_rows_and_3x5x2_grading(project: Path, tmp_path: Path) -> None:
    root = _export(project, tmp_path / "all.anx")
    cards = list(root.iter("Card"))
    assert cards and all(c.get("SourceReference") for c in cards)
    graded = [c for c in cards if c.get("GradeOneIndex") is not None]
    assert graded and all(c.get("SourceType") == "intel" for c in graded)
    # the indices point at the grade strings of the report the card cites
    grades = {
        tag: [s.get("Text", "")[0] for s in root.iter(tag) for s in s.iter("String")]
        for tag in ("GradeOne", "GradeTwo", "GradeThree")
    }
    card = graded[0]
    source_record = card.get("SourceReference", "").split(":", 1)[1]
    report = store_rows(
        project,
        "SELECT source_evaluation, intelligence_assessment, handling_code "
        f"FROM intelligence_report WHERE source_record_id = '{source_record}'",
    )[0]
    assert grades["GradeOne"][int(card.get("GradeOneIndex", "-1"))] == report["source_evaluation"]
    assert (
        grades["GradeTwo"][int(card.get("GradeTwoIndex", "-1"))]
        == report["intelligence_assessment"]
    )
    assert grades["GradeThree"][int(card.get("GradeThreeIndex", "-1"))] == report["handling_code"]


def test_the_schema_catches_order_and_dangling_references(tmp_path: Path, project: Path) -> None:
    out = tmp_path / "g.anx"
    root = _export(project, out, "--division", "East")
    summary = root.find("Summary")
    assert summary is not None
    root.remove(summary)
    root.append(summary)  # after ChartItemCollection: out of the schema's order
    ET.ElementTree(root).write(tmp_path / "bad.anx")
    assert not SCHEMA.is_valid(str(tmp_path / "bad.anx"))
    root = ET.parse(out).getroot()
    next(root.iter("LinkStyle")).set("LinkTypeReference", "LT-nothing")
    ET.ElementTree(root).write(tmp_path / "bad2.anx")
    assert not SCHEMA.is_valid(str(tmp_path / "bad2.anx"))


def test_a_division_chart_holds_its_places_and_what_links_to_them(
    project: Path, tmp_path: Path
) -> None:
    root = _export(project, tmp_path / "d.anx", "--division", "West")
    identities, _ = _check_references(root)
    places = {
        r["entity_id"]
        for r in store_rows(
            project,
            "SELECT entity_id FROM network_place WHERE division = 'West'",
        )
    }
    linked = {
        r["other"]
        for r in store_rows(
            project,
            "SELECT to_entity AS other, from_entity AS place FROM network_edge UNION ALL "
            "SELECT from_entity, to_entity FROM network_edge",
        )
        if r["place"] in places
    }
    assert places and places <= identities and linked <= identities


def test_a_project_restyles_types_in_its_rules(project: Path, tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "anx.yaml").write_text(
        "entity_types:\n  Person: {icon: Man, colour: '#0000FF'}\n", encoding="utf-8"
    )
    style = load_anx_style(rules)
    assert style.entity_types["Person"].icon == "Man" and bgr("#0000FF") == 0xFF0000
    (rules / "anx.yaml").write_text(
        "entity_types:\n  Person: {icon: Man, colour: blue}\n", encoding="utf-8"
    )
    with pytest.raises(ConfigError, match=r"anx.yaml: entity_types.Person.colour"):
        load_anx_style(rules)
