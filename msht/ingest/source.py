"""Ingest one source: read its files through its mapping, keep provenance, quarantine bad rows."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from msht.errors import SourceError
from msht.ingest.columns import Cell, Columns, build, convert_property, produced_mask, take
from msht.ingest.mapping import LinkMap, Mapping, PropertyMap
from msht.ingest.plan import EntityPlan, Problem, PropertyPlan, plan_entities
from msht.ingest.readers import Batch, read_file
from msht.ingest.tables import TableBuilder, builders
from msht.ingest.transforms import compile_transform
from msht.model.schema import Property, Schema

#: Cell values that mean "no value".
NULLS = frozenset({"", "N/A", "n/a", "NULL", "null", "None", "none", "#N/A"})

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


def _link_plan(mapping: Mapping, column: str) -> PropertyPlan:
    date = Property(type="date", description="link date")
    return PropertyPlan(
        name=column,
        label=column,
        columns=(column,),
        constant=None,
        convert=compile_transform("date", PropertyMap(column=column), date, None, mapping.dates),
        required=False,
        on_error="quarantine",
        split=None,
        limit=date.limit(),
    )


class SourceIngest:
    """Rows of one source, accumulated apart so that a source that fails adds nothing."""

    def __init__(self, mapping: Mapping, schema: Schema, root: Path, run_id: str) -> None:
        self.mapping = mapping
        self.schema = schema
        self.root = root
        self.run_id = run_id
        self.plans: tuple[EntityPlan, ...] = plan_entities(mapping, schema)
        self.tables: dict[str, TableBuilder] = builders(schema)
        self.stats = SourceStats(mapping.source)
        self._seen: set[str] = set()

    def files(self) -> list[Path]:
        """The source's files, in name order; none is an error."""
        found = sorted(p for p in self.root.glob(self.mapping.files) if p.is_file())
        if not found:
            raise SourceError(self.mapping.source, self.mapping.files, "no file matches this glob")
        return found

    def _check_header(self, path: Path, header: list[str]) -> None:
        if self.mapping.format in ("json", "jsonl"):
            # JSON records omit absent keys; only the record id must appear somewhere.
            missing = {self.mapping.record_id} - set(header)
        else:
            missing = self.mapping.columns() - set(header)
        if missing:
            raise SourceError(
                self.mapping.source,
                str(path),
                "column missing from the file",
                ", ".join(sorted(missing)),
            )

    def _quarantine(
        self, rel: str, row: int, record_id: str | None, problems: list[Problem], raw: str
    ) -> None:
        first = problems[0]
        listed = [
            {"field": p.field, "reason": p.reason, "detail": _printable(p.detail)} for p in problems
        ]
        self.tables["quarantine"].append(
            {
                "source": self.mapping.source,
                "source_file": rel,
                "source_row": row,
                "source_record_id": record_id,
                "field": first.field,
                "reason": first.reason,
                "detail": _printable(first.detail),
                "problems": json.dumps(listed, ensure_ascii=False),
                "raw": _printable(raw),
                "run_id": self.run_id,
            }
        )
        self.stats.quarantined += 1
        self.stats.reasons[first.reason] += 1

    def _record_ids(self, cols: Columns, problems: defaultdict[int, list[Problem]]) -> list[str]:
        """Record ids; a missing or repeated id is a problem (first good occurrence wins)."""
        ids = cols[self.mapping.record_id]
        for i, rid in enumerate(ids):
            if rid in NULLS:
                problems[i].insert(
                    0, Problem(self.mapping.record_id, "missing_required_field", "no record id")
                )
            elif i not in problems:
                if rid in self._seen:
                    problems[i].append(
                        Problem(
                            self.mapping.record_id, "duplicate_record_id", f"{rid!r} seen before"
                        )
                    )
                else:
                    self._seen.add(rid)
        return ids

    def _batch(self, rel: str, batch: Batch) -> None:
        cols = Columns(batch.header, batch.rows)
        problems: defaultdict[int, list[Problem]] = defaultdict(list)
        masks: dict[str, list[bool]] = {}
        values: dict[str, dict[str, list[Cell]]] = {}
        for ent in self.plans:
            masks[ent.key] = produced_mask(cols, ent, NULLS)
            values[ent.key] = {
                p.name: convert_property(cols, p, masks[ent.key], NULLS, problems)
                for p in ent.properties
            }
        link_dates = self._link_dates(cols, problems)
        ids = self._record_ids(cols, problems)
        for i in sorted(problems):
            raw = json.dumps(
                dict(zip(batch.header, batch.rows[i], strict=False)), ensure_ascii=False
            )
            rid = ids[i] if ids[i] not in NULLS else None
            self._quarantine(rel, batch.numbers[i], rid, problems[i], raw)
        good = [i for i in range(cols.n) if i not in problems]
        self.stats.loaded += len(good)
        prov = {
            "source": [self.mapping.source] * len(good),
            "source_record_id": take(ids, good),
            "source_file": [rel] * len(good),
            "source_row": take(batch.numbers, good),
            "run_id": [self.run_id] * len(good),
        }
        present: dict[str, list[bool]] = {}
        for ent in self.plans:
            mask = masks[ent.key]
            keep = [j for j, i in enumerate(good) if mask[i]]
            present[ent.key] = [mask[i] for i in good]
            columns: dict[str, list[Any]] = {k: take(v, keep) for k, v in prov.items()}
            columns["id"] = [
                f"{self.mapping.source}:{rid}:{ent.key}" for rid in columns["source_record_id"]
            ]
            for pname, vals in values[ent.key].items():
                columns[pname] = take(take(vals, good), keep)
            self.tables[ent.table].add(build(self.tables[ent.table].schema, columns))
        for link, (starts, ends) in zip(self.mapping.links, link_dates, strict=True):
            self._add_links(link, good, prov, present, starts, ends)

    def _link_dates(
        self, cols: Columns, problems: defaultdict[int, list[Problem]]
    ) -> list[tuple[list[Cell], list[Cell]]]:
        out = []
        for link in self.mapping.links:
            pair: list[list[Cell]] = []
            for column in (link.start, link.end):
                if column is None:
                    pair.append([None] * cols.n)
                else:
                    plan = _link_plan(self.mapping, column)
                    pair.append(convert_property(cols, plan, [True] * cols.n, NULLS, problems))
            out.append((pair[0], pair[1]))
        return out

    def _add_links(
        self,
        link: LinkMap,
        good: list[int],
        prov: dict[str, list[Any]],
        present: dict[str, list[bool]],
        starts: list[Cell],
        ends: list[Cell],
    ) -> None:
        a, b = present[link.from_], present[link.to]
        keep = [j for j in range(len(good)) if a[j] and b[j]]
        columns: dict[str, list[Any]] = {k: take(v, keep) for k, v in prov.items()}
        src = self.mapping.source
        rids = columns["source_record_id"]
        from_type = self.mapping.entities[link.from_].type
        to_type = self.mapping.entities[link.to].type
        columns.update(
            id=[f"{src}:{r}:{link.role}:{link.from_}:{link.to}" for r in rids],
            role=[link.role] * len(keep),
            from_type=[from_type] * len(keep),
            from_id=[f"{src}:{r}:{link.from_}" for r in rids],
            to_type=[to_type] * len(keep),
            to_id=[f"{src}:{r}:{link.to}" for r in rids],
            start_date=take(take(starts, good), keep),
            end_date=take(take(ends, good), keep),
        )
        self.tables["link"].add(build(self.tables["link"].schema, columns))

    def run(self, progress: Progress | None = None) -> SourceStats:
        """Read every file of the source; raise SourceError if the source is unusable."""
        for path in self.files():
            rel = path.relative_to(self.root).as_posix()
            batch = read_file(self.mapping, path)
            self._check_header(path, batch.header)
            self.stats.files.append(rel)
            self.stats.rows_in += len(batch.rows) + len(batch.bad)
            for bad in batch.bad:
                self._quarantine(
                    rel, bad.row, None, [Problem("(row)", bad.reason, bad.detail)], bad.raw
                )
            self._batch(rel, batch)
            if progress is not None:
                progress(self.mapping.source, len(batch.rows) + len(batch.bad))
        return self.stats
