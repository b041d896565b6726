"""`msht indicators scan`: the matcher on any plain-text file, one text per line."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from msht.errors import MshtError
from msht.indicators.matcher import Matcher


def scan_lines(path: Path, matcher: Matcher | None = None) -> Iterator[dict[str, object]]:
    """Per line of `path` (numbered from 1): the signs found, spans as offsets in the line."""
    if not path.is_file():
        raise MshtError(f"{path}: no such file")
    found = matcher or Matcher.load()
    try:
        with path.open(encoding="utf-8-sig") as fh:
            for number, line in enumerate(fh, start=1):
                text = line.rstrip("\r\n")
                yield {"line": number, "matches": [m.as_dict() for m in found.find(text)]}
    except UnicodeDecodeError as exc:
        raise MshtError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
