"""Ground truth collected while the sources are written, and the CSV files it goes to."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from msht.synth.narrative import Narrative
from msht.synth.world import World
from msht.synth.year import REFERENCE_DAY, age_band, age_on

SpanRow = tuple[str, str, str, str, int, int, bool]


@dataclass
class Truth:
    """What one writer learnt about its rows: who each record is, and where signs are."""

    records: list[tuple[str, str, int]] = field(default_factory=list)
    indicators: list[SpanRow] = field(default_factory=list)
    negations: list[SpanRow] = field(default_factory=list)
    faults: list[tuple[str, str, int, str, str]] = field(default_factory=list)
    ms1: list[tuple[str, str, str]] = field(default_factory=list)

    def record(self, source: str, record_id: str, pid: int) -> None:
        """The row `record_id` of `source` is a record of person number `pid`."""
        self.records.append((source, record_id, pid))

    def text(self, source: str, record_id: str, column: str, n: Narrative) -> None:
        """Record the signs and negated mentions written into one cell."""
        if not (n.spans or n.negated):
            return
        for s in n.spans:
            self.indicators.append(
                (source, record_id, column, s.indicator_id, s.start, s.end, s.heldout)
            )
        for s in n.negated:
            self.negations.append(
                (source, record_id, column, s.indicator_id, s.start, s.end, s.heldout)
            )

    def fault(self, source: str, record_id: str, row: int, column: str, kind: str) -> None:
        """A deliberate fault the ingest should quarantine."""
        self.faults.append((source, record_id, row, column, kind))

    def extend(self, other: Truth) -> None:
        """Append another writer's truth."""
        self.records += other.records
        self.indicators += other.indicators
        self.negations += other.negations
        self.faults += other.faults
        self.ms1 += other.ms1


_SPAN_HEADER = ("source", "record_id", "field", "indicator_id", "start", "end", "heldout")
#: Tables each writer task contributes to, written as parts and joined in source order.
TABLES: dict[str, tuple[str, ...]] = {
    "records": ("source", "record_id", "person_id"),
    "indicators": _SPAN_HEADER,
    "negations": _SPAN_HEADER,
}
PARTS = ".parts"


def _csv_text(rows: list[tuple[object, ...]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def write_csv(path: Path, header: tuple[str, ...], rows: list[tuple[object, ...]]) -> None:
    """Write a truth table as UTF-8 CSV with Unix line ends."""
    path.write_text(_csv_text([header, *rows]), encoding="utf-8")


def write_parts(folder: Path, key: str, truth: Truth) -> Truth:
    """Write a task's records, indicators and negations as header-less parts.

    Returns what is left to hand back to the parent process: faults and MS1 truth.
    """
    parts = folder / PARTS
    parts.mkdir(parents=True, exist_ok=True)
    tables: dict[str, list[tuple[object, ...]]] = {
        "records": [(source, ref, f"P{pid:06d}") for source, ref, pid in truth.records],
        "indicators": [(*r[:6], "true" if r[6] else "false") for r in truth.indicators],
        "negations": [(*r[:6], "true" if r[6] else "false") for r in truth.negations],
    }
    for table, rows in tables.items():
        (parts / f"{key}.{table}").write_text(_csv_text(rows), encoding="utf-8")
    return Truth(faults=truth.faults, ms1=truth.ms1)


def join_parts(folder: Path, keys: list[str]) -> None:
    """Join the parts of `keys`, in that order, under each table's header."""
    parts = folder / PARTS
    for table, header in TABLES.items():
        with (folder / f"{table}.csv").open("wb") as out:
            out.write(_csv_text([header]).encode("utf-8"))
            for key in keys:
                part = parts / f"{key}.{table}"
                out.write(part.read_bytes())
                part.unlink()
    parts.rmdir()


def write_small(folder: Path, truth: Truth) -> None:
    """Write faults.csv and ms1.csv."""
    write_csv(
        folder / "faults.csv", ("source", "record_id", "row", "column", "fault"), list(truth.faults)
    )
    write_csv(folder / "ms1.csv", ("record_id", "network_id", "person_id"), list(truth.ms1))


def victims_rows(world: World) -> list[tuple[object, ...]]:
    """One row per planted person: network, role, type, division, nationality, age, sex."""
    rows: list[tuple[object, ...]] = []
    for net in world.networks:
        for role, pids in (("controller", net.controllers), ("victim", net.victims)):
            for pid in pids:
                p = world.person(pid)
                band = age_band(age_on(p.dob, REFERENCE_DAY))
                rows.append(
                    (
                        p.person_id,
                        net.network_id,
                        role,
                        net.etype,
                        net.division,
                        p.nationality,
                        band,
                        p.sex,
                    )
                )
    return rows


def networks_rows(world: World) -> list[tuple[object, ...]]:
    """One row per planted network, with the places and objects it uses."""
    return [
        (
            net.network_id,
            net.etype,
            net.premises.sector,
            net.division,
            len(net.victims),
            len(net.controllers),
            net.premises.premises_id,
            net.vrm,
            f"+44{net.phone[1:]}",
            net.kind.name,
            net.district,
            net.premises.name,
            net.premises.address.postcode,
            net.house.line1(),
            net.house.postcode,
            net.discovered.isoformat(),
        )
        for net in world.networks
    ]


VICTIMS_HEADER = (
    "person_id",
    "network_id",
    "role",
    "exploitation_type",
    "division",
    "nationality",
    "age_band",
    "sex",
)
NETWORKS_HEADER = (
    "network_id",
    "exploitation_type",
    "sector",
    "division",
    "victims",
    "controllers",
    "premises_id",
    "vehicle_vrm",
    "phone",
    "kind",
    "district",
    "premises_name",
    "premises_postcode",
    "house_address",
    "house_postcode",
    "discovered",
)


def write_planted(folder: Path, world: World) -> None:
    """Write victims.csv and networks.csv."""
    folder.mkdir(parents=True, exist_ok=True)
    write_csv(folder / "victims.csv", VICTIMS_HEADER, victims_rows(world))
    write_csv(folder / "networks.csv", NETWORKS_HEADER, networks_rows(world))
