"""Read generated source files back, independently of the ingest readers."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import openpyxl

# file name, encoding, delimiter of each CSV source
CSV_FILES = {
    "crime": ("crime/crime_nominals_2025-26.csv", "utf-8-sig", ","),
    "custody": ("custody/custody_records.csv", "cp1252", ","),
    "partner": ("partner/partner_visits.csv", "utf-8", ";"),
    "missing": ("missing/missing_episodes.csv", "utf-8", ","),
}
RECORD_ID = {
    "crime": "Nominal Ref",
    "custody": "Custody No",
    "partner": "Worker Ref",
    "missing": "Episode ID",
    "intel": "Subject Ref",
    "nrm": "referral_id",
    "ms1": "notification_id",
    "public": "report_id",
}


def flatten(record: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in record.items():
        if isinstance(value, dict):
            out.update(flatten(value, f"{prefix}{key}."))
        elif isinstance(value, list):
            out[f"{prefix}{key}"] = ";".join(str(v) for v in value)
        else:
            out[f"{prefix}{key}"] = value
    return out


def rows(root: Path, source: str) -> list[tuple[int, dict[str, Any]]]:
    """(row number as the ingest counts it, values by column) for every row of a source."""
    data = root / "data"
    if source in CSV_FILES:
        name, encoding, delimiter = CSV_FILES[source]
        text = (data / name).read_bytes().decode(encoding)
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        header = next(reader)
        out = []
        line = 2
        for fields in reader:
            values = dict(zip(header, fields, strict=True))
            out.append((line, values))
            line += 1 + sum(f.count("\n") for f in fields)
        return out
    if source == "intel":
        book = openpyxl.load_workbook(
            data / "intel" / "intelligence_log_2025-26.xlsx", read_only=True
        )
        sheet = book["Intel Log"]
        it = sheet.iter_rows(values_only=True)
        header = [str(h) for h in next(it)]
        result = [
            (n, dict(zip(header, cells, strict=False))) for n, cells in enumerate(it, start=2)
        ]
        book.close()
        return result
    if source == "nrm":
        doc = json.loads((data / "nrm" / "nrm_referrals.json").read_text(encoding="utf-8"))
        return [(n, flatten(r)) for n, r in enumerate(doc["referrals"], start=1)]
    path = (
        data / source / ("ms1_notifications.jsonl" if source == "ms1" else "public_reports.jsonl")
    )
    lines = path.read_text(encoding="utf-8").splitlines()
    return [(n, flatten(json.loads(line))) for n, line in enumerate(lines, start=1)]
