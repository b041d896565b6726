from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event, func, select, text

from msht.audit import AuditError, ExportResult, export_audit, verify
from msht.audit.chain import GENESIS, entries
from msht.store.audit import AuditEntry
from msht.store.database import transaction

from .chains import ENTRIES, fill


@pytest.fixture
def daily(database: Engine, monkeypatch: pytest.MonkeyPatch) -> Engine:
    """A log of six entries, one a day from 1 to 6 January 2025 at noon UTC; later entries
    (an export's own) go on a day at a time."""
    days = (datetime(2025, 1, 1, 12, tzinfo=UTC) + timedelta(days=n) for n in range(100))
    monkeypatch.setattr("msht.audit.log.utcnow", lambda: next(days))
    with transaction(database) as session:
        fill(session)
    return database


def _export(
    engine: Engine, out: Path, start: date | None, end: date | None, **kw: Any
) -> ExportResult:
    with transaction(engine) as session:
        return export_audit(
            session,
            out,
            start,
            end,
            **{"username": "dpo", "role": "admin", "reason": "ICO request", **kw},
        )


def _lines(path: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    header, *rows = (json.loads(line) for line in path.read_text(encoding="utf-8").splitlines())
    return header, rows


def _recomputed(rows: list[dict[str, Any]]) -> Iterator[str]:
    """Each exported entry's hash worked out from the file alone, as the ICO would (written
    from the rule in the header, not with msht's code)."""
    for row in rows:
        fields = {
            k: row[k]
            for k in (
                "seq",
                "at",
                "username",
                "role",
                "action",
                "record_ids",
                "reason",
                "recipient",
                "detail",
            )
        }
        body = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        yield hashlib.sha256((row["previous_hash"] + body).encode()).hexdigest()


def test_an_export_holds_the_period_and_the_hashes_around_it(daily: Engine, tmp_path: Path) -> None:
    out = tmp_path / "ico" / "audit.jsonl"
    result = _export(daily, out, date(2025, 1, 2), date(2025, 1, 4))
    header, rows = _lines(out)
    assert [r["seq"] for r in rows] == [2, 3, 4]
    assert (result.count, result.first, result.last) == (3, 2, 4)
    assert header["period"] == {"from": "2025-01-02", "to": "2025-01-04"}
    assert (header["count"], header["first_seq"], header["last_seq"]) == (3, 2, 4)
    assert header["chain"]["ok"] and header["chain"]["entries"] == len(ENTRIES)
    assert header["head"]["seq"] == len(ENTRIES) and header["recipient"] == "ICO"
    assert header["marking"] == "OFFICIAL-SENSITIVE" and "sha256" in header["hash_rule"]
    # The recipient can check every entry, and tie the file to the chain on either side.
    assert list(_recomputed(rows)) == [r["hash"] for r in rows]
    assert rows[0]["previous_hash"] == header["hash_before"]
    assert [r["previous_hash"] for r in rows[1:]] == [r["hash"] for r in rows[:-1]]
    assert rows[-1]["hash"] == header["hash_last"]
    assert result.sha256 == hashlib.sha256(out.read_bytes()).hexdigest()


def test_the_export_is_recorded_after_the_entries_it_exports(daily: Engine, tmp_path: Path) -> None:
    out = tmp_path / "audit.jsonl"
    result = _export(
        daily, out, None, date(2025, 1, 31), recipient="ICO casework", reason="s.62 request"
    )
    with transaction(daily) as session:
        *_, entry = entries(session)
        assert verify(session).ok
    assert entry["seq"] == result.entry == len(ENTRIES) + 1 > (result.last or 0)
    assert (entry["action"], entry["recipient"], entry["reason"]) == (
        "export",
        "ICO casework",
        "s.62 request",
    )
    assert entry["username"] == "dpo" and entry["role"] == "admin"
    assert entry["detail"]["sha256"] == result.sha256 and entry["detail"]["file"] == "audit.jsonl"
    # Though its own time falls in the period, the export's entry is not in its own file.
    assert entry["at"].date() <= date(2025, 1, 31)
    assert [r["seq"] for r in _lines(out)[1]] == list(range(1, len(ENTRIES) + 1))


def test_a_period_with_no_entries_still_writes_a_header_and_an_entry(
    daily: Engine, tmp_path: Path
) -> None:
    out = tmp_path / "audit.jsonl"
    result = _export(daily, out, date(2024, 6, 1), date(2024, 6, 30))
    header, rows = _lines(out)
    assert rows == [] and result.count == 0 and header["hash_before"] is None
    assert result.entry == len(ENTRIES) + 1


def test_an_export_of_a_broken_log_says_where_it_breaks(daily: Engine, tmp_path: Path) -> None:
    with daily.begin() as connection:
        connection.execute(text("UPDATE audit_entry SET username = 'someone' WHERE seq = 2"))
    header, _ = _lines(_export(daily, tmp_path / "a.jsonl", None, None).path)
    assert header["chain"]["ok"] is False
    assert (header["chain"]["first_bad_seq"], header["chain"]["problem"]) == (2, "altered")


@pytest.mark.parametrize(
    ("period", "change", "message"),
    [
        ((date(2025, 1, 5), date(2025, 1, 1)), {}, "the period runs backwards"),
        ((None, None), {"reason": " "}, "needs a reason"),
        ((None, None), {"recipient": ""}, "needs a recipient"),
    ],
)
def test_a_refused_export_leaves_no_file_and_no_entry(
    daily: Engine,
    tmp_path: Path,
    period: tuple[date | None, date | None],
    change: dict[str, Any],
    message: str,
) -> None:
    folder = tmp_path / "ico"
    with pytest.raises(AuditError, match=message):
        _export(daily, folder / "audit.jsonl", *period, **change)
    assert not folder.exists() or list(folder.iterdir()) == []
    with transaction(daily) as session:
        assert session.scalar(select(func.max(AuditEntry.seq))) == len(ENTRIES)


def test_the_first_entry_is_bracketed_by_the_chain_start(daily: Engine, tmp_path: Path) -> None:
    header, rows = _lines(
        _export(daily, tmp_path / "a.jsonl", date(2025, 1, 1), date(2025, 1, 1)).path
    )
    assert header["hash_before"] == GENESIS == rows[0]["previous_hash"] and len(rows) == 1


def _fail_commits(engine: Engine) -> Callable[..., None]:
    """Make every commit on `engine` fail, as a database that cannot take the write would."""

    def refuse(*_args: Any) -> None:
        raise OSError("disk I/O error")

    event.listen(engine, "commit", refuse)
    return refuse


def test_an_export_whose_entry_fails_to_commit_leaves_no_file(
    daily: Engine, tmp_path: Path
) -> None:
    folder = tmp_path / "ico"
    refuse = _fail_commits(daily)
    try:
        with pytest.raises(OSError, match="disk I/O error"):
            _export(daily, folder / "audit.jsonl", None, None)
    finally:
        event.remove(daily, "commit", refuse)
    assert list(folder.iterdir()) == []
    with transaction(daily) as session:
        assert session.scalar(select(func.max(AuditEntry.seq))) == len(ENTRIES)


def test_the_file_appears_only_when_its_entry_commits(daily: Engine, tmp_path: Path) -> None:
    out = tmp_path / "ico" / "audit.jsonl"
    with pytest.raises(RuntimeError), transaction(daily) as session:
        export_audit(session, out, None, None, username="dpo", role="admin", reason="ICO")
        assert not out.exists()
        raise RuntimeError("the caller fails after the export: its transaction rolls back")
    assert list(out.parent.iterdir()) == []
    with transaction(daily) as session:
        result = export_audit(session, out, None, None, username="dpo", role="admin", reason="x")
        assert not out.exists()
    assert out.is_file() and hashlib.sha256(out.read_bytes()).hexdigest() == result.sha256
    assert [p.name for p in out.parent.iterdir()] == ["audit.jsonl"]
