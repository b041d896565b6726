"""Reading the truth files of a synthetic project (`truth/*.csv`), checked row by row."""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from msht.errors import MshtError


def truth_rows(path: Path, columns: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number, row) of a truth CSV whose `columns` must be present and filled; errors
    name the file, and the row and field."""
    if not path.is_file():
        raise MshtError(f"{path}: no truth file (columns {', '.join(columns)})")
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in columns if c not in (reader.fieldnames or [])]
        if missing:
            raise MshtError(f"{path}: missing column(s) {', '.join(missing)}")
        for number, row in enumerate(reader, start=2):
            for column in columns:
                if not row[column]:
                    raise MshtError(f"{path}: row {number}, field {column}: empty")
            yield number, row


#: Columns `victims.csv` must have.
VICTIM_COLUMNS = ("person_id", "network_id", "role")


def read_planted(path: Path) -> dict[str, list[tuple[str, str]]]:
    """network id → [(person id, role)] from `victims.csv`; errors name file, row, field."""
    networks: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for number, row in truth_rows(path, VICTIM_COLUMNS):
        if row["role"] not in ("victim", "controller"):
            raise MshtError(
                f"{path}: row {number}, field role: {row['role']!r} is not victim or controller"
            )
        networks[row["network_id"]].append((row["person_id"], row["role"]))
    return dict(networks)
