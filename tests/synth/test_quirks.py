from __future__ import annotations

import datetime as dt
import json
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest


def test_crime_export_is_utf8_with_bom(default_root: Path) -> None:
    raw = (default_root / "data/crime/crime_nominals_2025-26.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfNominal Ref,Crime Ref,")
    text = raw.decode("utf-8-sig")
    assert '"' in text and ", " in text.splitlines()[1]  # "SURNAME, Forename" is quoted


def test_custody_is_cp1252_with_accents_and_pounds(default_root: Path) -> None:
    raw = (default_root / "data/custody/custody_records.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    text = raw.decode("cp1252")
    assert "é" in text and "£" in text
    assert text.splitlines()[0].startswith("Custody No,Arrest Date Time,Surname,Forenames")


def test_partner_forms_use_semicolons_and_written_months(default_root: Path) -> None:
    lines = (default_root / "data/partner/partner_visits.csv").read_text("utf-8").splitlines()
    assert lines[0].startswith("Worker Ref;Visit Ref;Visit Date;")
    visit_date = lines[1].split(";")[2]
    assert re.fullmatch(r"\d{2}-[A-Z][a-z]{2}-\d{4}", visit_date), visit_date


def test_intel_has_real_date_cells_text_dobs_and_formula_like_strings(default_root: Path) -> None:
    path = default_root / "data/intel/intelligence_log_2025-26.xlsx"
    book = openpyxl.load_workbook(path, read_only=True)
    sheet = book["Intel Log"]
    rows = sheet.iter_rows(values_only=True)
    header = list(next(rows))
    date_col, dob_col, text_col = (header.index(c) for c in ("Date", "DOB", "Intelligence"))
    seen_text_dob = seen_date_dob = seen_formula = 0
    for cells in rows:
        row = (*cells, *([None] * (len(header) - len(cells))))  # trailing empty cells are absent
        assert isinstance(row[date_col], dt.datetime)
        dob = row[dob_col]
        seen_text_dob += isinstance(dob, str)
        seen_date_dob += isinstance(dob, dt.datetime)
        text = row[text_col]
        assert isinstance(text, str)
        seen_formula += text[:1] in "-+="
    book.close()
    assert seen_text_dob and seen_date_dob
    assert seen_formula  # written as strings, never as formulas
    with zipfile.ZipFile(path) as z:
        assert all(i.date_time == (2020, 1, 1, 0, 0, 0) for i in z.infolist())
        assert "<f>" not in z.read("xl/worksheets/sheet1.xml").decode()


def test_nrm_is_one_document_with_nested_referrals(default_root: Path) -> None:
    doc = json.loads((default_root / "data/nrm/nrm_referrals.json").read_text("utf-8"))
    first = doc["referrals"][0]
    assert set(first["potential_victim"]["name"]) == {"given", "family"}
    assert isinstance(first["potential_victim"]["languages"], list)
    assert {r["under_18"] for r in doc["referrals"]} <= {"yes", "no", "not_sure"}


def test_ms1_never_identifies_anyone(default_root: Path) -> None:
    lines = (default_root / "data/ms1/ms1_notifications.jsonl").read_text("utf-8").splitlines()
    assert lines
    for line in lines:
        record = json.loads(line)
        assert not {"name", "dob", "phone", "address", "person"} & set(record)


def test_missing_and_public_files(default_root: Path) -> None:
    header = (default_root / "data/missing/missing_episodes.csv").read_text("utf-8")
    assert header.startswith("Episode ID,Reported Missing,Found,")
    first = json.loads(
        (default_root / "data/public/public_reports.jsonl").read_text("utf-8").splitlines()[0]
    )
    assert {"report_id", "what_happened", "person_of_concern", "vehicle"} <= set(first)


def test_project_folder_is_complete(default_root: Path) -> None:
    assert (default_root / "msht.yaml").is_file()
    assert (default_root / "rules").is_dir()
    assert len(list((default_root / "sources").glob("*.yaml"))) >= 8
    names = {p.name for p in (default_root / "truth").iterdir()}
    assert names >= {
        "records.csv",
        "victims.csv",
        "indicators.csv",
        "negations.csv",
        "networks.csv",
    }
