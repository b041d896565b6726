"""Ingest one source: read its files through its mapping, keep provenance, quarantine bad rows."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from msht.errors import SourceError
from msht.ingest.mapping import Mapping, PropertyMap
from msht.ingest.readers import BadRow, RawRow, read_file
from msht.ingest.rows import EntityPlan, Problem, apply_row, plan_entities
from msht.ingest.tables import TableBuilder, builders
from msht.ingest.transforms import compile_transform
from msht.model.schema import Property, Schema

#: Cell values that mean "no value".
NULLS = frozenset({"", "N/A", "n/a", "NULL", "null", "None", "none", "#N/A"})
_DATE_MAP = PropertyMap(column="(link date)")
#: Rows between two progress reports.
PROGRESS_EVERY = 5_000

Progress = Callable[[str, int], None]


@dataclass
class SourceStats:
    """What happened to one source's rows."""

    source: str
    files: list[str] = field(default_factory=list)
    rows_in: int = 0
    loaded: int = 0
    quarantined: int = 0
    reasons: Counter[str] = field(default_factory=Counter)
    error: str | None = None


def _printable(text: str) -> str:
    """Show undecodable bytes as \\xNN escapes, so the raw row is kept and storable."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


class SourceIngest:
    """Rows of one source, accumulated apart so that a source that fails adds nothing."""

    def __init__(self, mapping: Mapping, schema: Schema, root: Path, run_id: str) -> None:
        self.mapping = mapping
        self.root = root
        self.run_id = run_id
        self.plans: tuple[EntityPlan, ...] = plan_entities(mapping, schema)
        self.tables: dict[str, TableBuilder] = builders(schema)
        self.stats = SourceStats(mapping.source)
        self._seen: set[str] = set()
        date_prop = Property(type="date", description="link date")
        self._link_date = compile_transform("date", _DATE_MAP, date_prop, None, mapping.dates)

    def files(self) -> list[Path]:
        """The source's files, in name order; none is an error."""
        found = sorted(p for p in self.root.glob(self.mapping.files) if p.is_file())
        if not found:
            raise SourceError(self.mapping.source, self.mapping.files, "no file matches this glob")
        return found

    def _check_header(self, path: Path, header: list[str]) -> None:
        if self.mapping.format in ("json", "jsonl"):
            # JSON records omit absent keys; only the record id must appear somewhere.
            missing = {self.mapping.record_id} - set(header) if header else set()
        else:
            missing = self.mapping.columns() - set(header)
        if missing:
            raise SourceError(
                self.mapping.source, str(path), "column missing from the file", ", ".join(sorted(missing))
            )

    def _quarantine(self, rel: str, row: int, record_id: str | None, problems: list[Problem], raw: str) -> None:
        first = problems[0]
        self.tables["quarantine"].append(
            {
                "source": self.mapping.source,
                "source_file": rel,
                "source_row": row,
                "source_record_id": record_id,
                "field": first.field,
                "reason": first.reason,
                "detail": _printable(first.detail),
                "problems": json.dumps(
                    [{"field": p.field, "reason": p.reason, "detail": _printable(p.detail)} for p in problems],
                    ensure_ascii=False,
                ),
                "raw": _printable(raw),
                "run_id": self.run_id,
            }
        )
        self.stats.quarantined += 1
        self.stats.reasons[first.reason] += 1

    def _row(self, rel: str, row: RawRow) -> None:
        record_id = row.values.get(self.mapping.record_id, "").strip()
        raw = json.dumps(row.values, ensure_ascii=False)
        if record_id in NULLS:
            problem = Problem(self.mapping.record_id, "missing_required_field", "no record id")
            self._quarantine(rel, row.row, None, [problem], raw)
            return
        if record_id in self._seen:
            problem = Problem(self.mapping.record_id, "duplicate_record_id", f"{record_id!r} seen before")
            self._quarantine(rel, row.row, record_id, [problem], raw)
            return
        result = apply_row(row, self.plans, NULLS)
        links = self._links(row, result.problems)
        if result.problems:
            self._quarantine(rel, row.row, record_id, result.problems, raw)
            return
        self._seen.add(record_id)
        self.stats.loaded += 1
        prov = {"source": self.mapping.source, "source_record_id": record_id,
                "source_file": rel, "source_row": row.row, "run_id": self.run_id}
        ids = {}
        for key, (etype, table, props) in result.entities.items():
            ids[key] = (etype, f"{self.mapping.source}:{record_id}:{key}")
            self.tables[table].append({**props, **prov, "id": ids[key][1]})
        for link, (start, end) in zip(self.mapping.links, links, strict=True):
            if link.from_ in ids and link.to in ids:
                self.tables["link"].append(
                    {**prov, "id": f"{self.mapping.source}:{record_id}:{link.role}:{link.from_}:{link.to}",
                     "role": link.role, "from_type": ids[link.from_][0], "from_id": ids[link.from_][1],
                     "to_type": ids[link.to][0], "to_id": ids[link.to][1],
                     "start_date": start, "end_date": end}
                )

    def _links(self, row: RawRow, problems: list[Problem]) -> list[tuple[Any, Any]]:
        out = []
        for link in self.mapping.links:
            dates = []
            for column in (link.start, link.end):
                text = row.values.get(column, "").strip() if column else ""
                value = None
                if text not in NULLS:
                    try:
                        value = self._link_date(text)
                    except Exception as exc:  # noqa: BLE001 -- ValueProblem; reason kept below
                        problems.append(Problem(str(column), getattr(exc, "reason", "unparseable_date"), str(exc)))
                dates.append(value)
            out.append((dates[0], dates[1]))
        return out

    def run(self, progress: Progress | None = None) -> SourceStats:
        """Read every file of the source; raise SourceError if the source is unusable."""
        for path in self.files():
            rel = path.relative_to(self.root).as_posix()
            header, rows = read_file(self.mapping, path)
            self._check_header(path, header)
            self.stats.files.append(rel)
            n = 0
            for n, item in enumerate(rows, start=1):
                self.stats.rows_in += 1
                if isinstance(item, BadRow):
                    problem = Problem("(row)", item.reason, item.detail)
                    self._quarantine(rel, item.row, None, [problem], item.raw)
                else:
                    self._row(rel, item)
                if progress is not None and n % PROGRESS_EVERY == 0:
                    progress(self.mapping.source, PROGRESS_EVERY)
            if progress is not None:
                progress(self.mapping.source, n % PROGRESS_EVERY)
        return self.stats

