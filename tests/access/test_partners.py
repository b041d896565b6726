from __future__ import annotations

from pathlib import Path

import pytest

from msht.access.errors import AccessError
from msht.access.partners import load_partners, partner, partners
from msht.errors import ConfigError


def test_shipped_partners_include_glaa_councils_and_ngos() -> None:
    assert partner("glaa").name == "Gangmasters and Labour Abuse Authority"
    kinds = {p.kind for p in partners().values()}
    assert kinds == {"law_enforcement", "local_authority", "ngo", "government"}
    assert partner("medway-council").kind == "local_authority"


def test_an_unknown_organisation_lists_the_known_ones() -> None:
    with pytest.raises(AccessError, match="unknown partner organisation 'GLAA'; known: glaa"):
        partner("GLAA")


def test_a_duplicate_id_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "partners.yaml"
    path.write_text(
        "- {id: glaa, name: A, kind: ngo}\n- {id: glaa, name: B, kind: ngo}\n", encoding="utf-8"
    )
    with pytest.raises(ConfigError, match=r"partners.yaml: 1.id: 'glaa' is listed twice"):
        load_partners(path)


def test_an_unknown_kind_names_the_entry(tmp_path: Path) -> None:
    path = tmp_path / "partners.yaml"
    path.write_text("- {id: glaa, name: A, kind: charity}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_partners(path)
    assert caught.value.key == "0.kind"
