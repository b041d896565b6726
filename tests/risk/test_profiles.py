"""Risk profiles: sums of named factors with evidence; E-graded intelligence ignored (R11);
protected characteristics change nothing (R01); explanation; the cohort against the truth."""

import json
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pyarrow as pa
import pytest
import sqlalchemy as sa
from network.stores import write_store
from typer.testing import CliRunner

from msht.cli import app
from msht.engine import open_engine
from msht.engine.base import Engine
from msht.engine.warehouse import Warehouse
from msht.pipeline.run import run_project
from msht.pipeline.serving import open_store
from msht.project.example import example_dir
from msht.risk.profiles import EVIDENCE_TABLE, PROFILES, build_profiles
from msht.risk.rules import Cohort, Rule, RuleSet, load_rules
from msht.store.audit import AuditEntry
from msht.store.reviews import ReviewItem
from msht.synth import generate

SIGNS = Rule(
    id="signs",
    description="Texts about them record signs of labour exploitation",
    group="exploitation_indicators",
    check="indicator_signs",
    parameters={"categories": ["labour"]},
    points=2,
    version=3,
)


def _hits(rows: list[tuple[str, str, str | None, str]]) -> pa.Table:
    """(record, indicator, intelligence assessment, person record it names) of intelligence
    reports."""
    n = len(rows)
    return pa.table(
        {
            "record_id": [r[0] for r in rows],
            "event_type": ["IntelligenceReport"] * n,
            "source": ["intel"] * n,
            "source_record_id": [r[0].upper() for r in rows],
            "field": ["narrative"] * n,
            "indicator_id": [r[1] for r in rows],
            "span_start": pa.array([0] * n, pa.int64()),
            "span_end": pa.array([5] * n, pa.int64()),
            "text": ["sign"] * n,
            "event_date": pa.array([date(2025, 5, 1)] * n, pa.date32()),
            "source_evaluation": ["2"] * n,
            "intelligence_assessment": [r[2] for r in rows],
            "handling_code": ["P"] * n,
            "about": [r[3] for r in rows],
            "about_role": ["subject"] * n,
        }
    )


def _reports_about(
    engine: Engine, records: dict[str, tuple[str, str]], links: list[tuple[str, str, str]]
) -> None:
    """A store of `records` linked (role, record, report) to intelligence reports."""
    write_store(engine, records, links)
    link = engine.query("SELECT * FROM link")
    kind = pa.array(["IntelligenceReport"] * link.num_rows)
    engine.create_table(
        "link", link.set_column(link.schema.get_field_index("to_type"), "to_type", kind)
    )


def test_intelligence_graded_e_or_ungraded_never_raises_a_factor(tmp_path: Path) -> None:
    records = {"a": ("Person", "PER-A"), "b": ("Person", "PER-B"), "c": ("Person", "PER-C")}
    links = [("subject", "a", "ir1"), ("subject", "b", "ir2"), ("subject", "c", "ir3")]
    rule_set = RuleSet(version="t", rules=(SIGNS,), cohort=Cohort(min_groups=1, min_score=2))
    with open_engine("duckdb", tmp_path / "store") as engine:
        _reports_about(engine, records, links)
        graded = [("ir1", "B", "a"), ("ir2", "E", "b"), ("ir3", None, "c")]
        engine.create_table("indicator_hit", _hits([(r, "LAB-01", g, p) for r, g, p in graded]))
        now = datetime(2026, 1, 15, tzinfo=UTC)
        report = build_profiles(engine, rule_set, {"LAB-01": "labour"}, now)
        profiles = engine.query(f"SELECT * FROM {PROFILES}").to_pylist()
        evidence = engine.query(f"SELECT * FROM {EVIDENCE_TABLE}").to_pylist()
    assert report.profiles == 1 and [p["entity_id"] for p in profiles] == ["PER-A"]
    profile = profiles[0]
    assert (profile["score"], profile["tier"], profile["cohort"]) == (2, "low", True)
    assert profile["rule_set_version"] == "t" and profile["review_by"] == date(2027, 1, 15)
    factor = json.loads(profile["factors"])[0]
    assert (factor["rule_id"], factor["rule_version"], factor["points"]) == ("signs", 3, 2)
    assert [(e["source_record_id"], e["intelligence_assessment"]) for e in evidence] == [
        ("IR1", "B")
    ]


def test_association_alone_puts_nobody_in_the_cohort(tmp_path: Path) -> None:
    # a factor from whom or what a person is linked to is shown, but is not enough alone
    linked = SIGNS.model_copy(update={"id": "linked", "association": True})
    own = SIGNS.model_copy(update={"id": "own", "group": "control"})
    records = {"a": ("Person", "PER-A")}

    def cohort(rules: tuple[Rule, ...], own_factor: bool = True) -> tuple[bool, int]:
        rule_set = RuleSet(
            version="t",
            rules=rules,
            cohort=Cohort(min_groups=1, min_score=2, own_factor=own_factor),
        )
        with open_engine("duckdb", tmp_path / "store") as engine:
            _reports_about(engine, records, [("subject", "a", "ir1")])
            engine.create_table("indicator_hit", _hits([("ir1", "LAB-01", "B", "a")]))
            build_profiles(
                engine, rule_set, {"LAB-01": "labour"}, datetime(2026, 1, 15, tzinfo=UTC)
            )
            found = engine.query(f"SELECT cohort, score FROM {PROFILES}").to_pylist()[0]
        return found["cohort"], found["score"]

    assert cohort((linked,)) == (False, 2)
    assert cohort((linked,), own_factor=False) == (True, 2)
    assert cohort((linked, own)) == (True, 4)


def test_signs_of_a_childs_situation_count_only_for_a_child(tmp_path: Path) -> None:
    # "old beyond her years" is a sign about a child; the same words about an adult are not
    records = {"a": ("Person", "PER-A"), "b": ("Person", "PER-B")}
    links = [("subject", "a", "ir1"), ("subject", "b", "ir2")]
    rule = SIGNS.model_copy(update={"parameters": {"categories": ["child", "labour"]}})
    rule_set = RuleSet(version="t", rules=(rule,), cohort=Cohort(min_groups=1, min_score=2))
    with open_engine("duckdb", tmp_path / "store") as engine:
        _reports_about(engine, records, links)
        signs = [("ir1", "CHILD-02", "B", "a"), ("ir2", "CHILD-02", "B", "b")]
        engine.create_table("indicator_hit", _hits(signs))
        engine.create_table(
            "indicator_person",
            pa.table({"entity_id": ["PER-A"], "indicator_id": ["STR-CHILD"]}),
        )
        categories = {"CHILD-02": "child", "LAB-01": "labour"}
        build_profiles(engine, rule_set, categories, datetime(2026, 1, 15, tzinfo=UTC))
        assert engine.query(f"SELECT entity_id FROM {PROFILES}").to_pylist() == [
            {"entity_id": "PER-A"}
        ]
        # a labour sign counts for the adult: only child-category signs need a child
        engine.create_table("indicator_hit", _hits([*signs, ("ir2", "LAB-01", "B", "b")]))
        build_profiles(engine, rule_set, categories, datetime(2026, 1, 15, tzinfo=UTC))
        found = engine.query(f"SELECT entity_id FROM {PROFILES} ORDER BY entity_id").to_pylist()
    assert [p["entity_id"] for p in found] == ["PER-A", "PER-B"]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("risk") / "p"
    generate(root, 5000, 5)  # small, yet with ~95 victims: a target is not one person's luck
    run_project(root)
    return root


def test_protected_characteristics_change_no_score(project: Path, tmp_path: Path) -> None:
    version = (project / "store" / "CURRENT").read_text(encoding="utf-8").strip()
    copy = tmp_path / "copy.duck"
    shutil.copytree(project / "store" / f"pole-{version}.duck", copy)
    store = open_engine("duckdb", copy)
    try:
        before = store.query(f"SELECT * FROM {PROFILES} ORDER BY entity_id").drop(["computed_at"])
        person = store.query("SELECT * FROM person")
        flipped = person
        for column, value in (("nationality", "Ruritanian"), ("sex", "other"), ("ethnicity", "X")):
            index = flipped.schema.get_field_index(column)
            flipped = flipped.set_column(
                index,
                column,
                pa.array([value] * flipped.num_rows, flipped.schema.field(column).type),
            )
        store.create_table("person", flipped)
        rules = load_rules(example_dir() / "rules")
        from msht.indicators.lexicon import load_lexicon, scoring_categories

        categories = scoring_categories(load_lexicon())
        build_profiles(store, rules, categories)
        after = store.query(f"SELECT * FROM {PROFILES} ORDER BY entity_id").drop(["computed_at"])
    finally:
        store.close()
    assert before.num_rows > 50 and after.equals(before)


def test_msht_explain_prints_every_factor_with_its_evidence(project: Path) -> None:
    store = Warehouse(project / "store", "duckdb").open_current()
    assert store is not None
    try:
        top = store.query(
            f"SELECT entity_id, factors FROM {PROFILES} ORDER BY score DESC, entity_id LIMIT 1"
        ).to_pylist()[0]
    finally:
        store.close()
    asked = ["--purpose", "weekly review meeting", "--by", "dc.test"]
    done = CliRunner().invoke(app, ["explain", str(project), top["entity_id"], *asked])
    assert done.exit_code == 0, done.output
    flat = " ".join(done.output.split())  # the console wraps long lines
    for factor in json.loads(top["factors"]):
        assert factor["description"][:40] in flat
        assert f"rule {factor['rule_id']} v{factor['rule_version']}" in flat
    assert "review by" in flat
    missing = CliRunner().invoke(app, ["explain", str(project), "PER-NOBODY", *asked])
    assert missing.exit_code != 0 and "no risk profile" in missing.output
    database = open_store(project)
    try:
        with database.connect() as connection:
            viewed = connection.execute(
                sa.select(AuditEntry).where(AuditEntry.action == "consultation")
            ).all()
    finally:
        database.dispose()
    assert [(e.username, e.reason, e.record_ids) for e in viewed] == [
        ("dc.test", "weekly review meeting", [top["entity_id"]])
    ]
    database = open_store(project)
    try:
        with database.begin() as connection:  # as if a review had removed the flag (R07)
            connection.execute(
                sa.update(ReviewItem)
                .where(ReviewItem.entity_id == top["entity_id"])
                .values(flag_removed=True)
            )
    finally:
        database.dispose()
    removed = CliRunner().invoke(app, ["explain", str(project), top["entity_id"], *asked])
    assert removed.exit_code != 0 and "removed by review" in " ".join(removed.output.split())


def test_msht_eval_risk_scores_the_cohort(project: Path) -> None:
    done = CliRunner().invoke(app, ["eval", "risk", str(project), "--json"])
    assert done.exit_code == 0, done.output
    scores = json.loads(done.output)
    assert {
        "recall",
        "precision",
        "cohort_size",
        "victims",
        "controllers_in_cohort",
        "by_type",
    } <= set(scores)
    # issue 5's targets hold on a small project too (0.947, 128 for 95, 3.1% on this one)
    assert scores["recall"] >= 0.9 and scores["cohort_size"] <= 2 * scores["victims"]
    assert scores["controller_share"] <= 0.05
