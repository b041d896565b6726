"""The POLE store on disk: one immutable version per successful run, and a pointer to it.

A run builds a complete new version beside the current one and, only when it has finished,
swaps the `CURRENT` pointer atomically (write + fsync + rename). A run killed part-way
therefore leaves the previous version in place; its half-built version is removed by the
next run.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from msht.engine import EngineKind, open_engine
from msht.engine.base import Engine
from msht.errors import MshtError

POINTER = "CURRENT"
PREFIX = "pole-"
#: Versions kept besides the current one, so a reader of the previous one is not cut off.
KEEP_PREVIOUS = 1


class Warehouse:
    """Versions of the POLE store for one project and engine."""

    def __init__(self, store_dir: Path, kind: EngineKind) -> None:
        self.root = store_dir
        self.kind = kind

    def _location(self, version: str) -> Path:
        # Both engines keep Parquet; the suffix says which one wrote (and reads) the folder.
        suffix = ".duck" if self.kind == "duckdb" else ".parquet"
        return self.root / f"{PREFIX}{version}{suffix}"

    def current_version(self) -> str | None:
        """The version the pointer names, or None before the first successful run."""
        pointer = self.root / POINTER
        if not pointer.is_file():
            return None
        version = pointer.read_text(encoding="utf-8").strip()
        return version if self._location(version).exists() else None

    def open_current(self) -> Engine | None:
        """Open the current version read-only, or None when there is none."""
        version = self.current_version()
        if version is None:
            return None
        return open_engine(self.kind, self._location(version), read_only=True)

    def _versions(self) -> list[Path]:
        """This engine's versions only: a project may keep stores of both engines."""
        return sorted(self.root.glob(f"{PREFIX}*{self._location('').suffix}"))

    def _remove(self, path: Path) -> None:
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)

    def _point_at(self, version: str) -> None:
        tmp = self.root / f".{POINTER}.tmp"
        with tmp.open("w", encoding="utf-8") as fh:
            fh.write(version + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        tmp.replace(self.root / POINTER)
        dir_fd = os.open(self.root, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)

    @contextmanager
    def new_version(
        self,
        version: str,
        from_current: bool = False,
        keep: Callable[[str], bool] = lambda _: True,
    ) -> Iterator[Engine]:
        """Build version `version`; it becomes current only if the block ends without error.

        With `from_current`, the new version starts with the current one's tables for which
        `keep(name)` holds (hard links: table files are never changed in place, so sharing
        them costs nothing).
        """
        self.root.mkdir(parents=True, exist_ok=True)
        with self._lock():
            yield from self._build(version, from_current, keep)

    @contextmanager
    def _lock(self) -> Iterator[None]:
        """One run at a time per store: a second would take the first's version for stale."""
        with (self.root / ".lock").open("w") as fh:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise MshtError(f"another run is writing the store in {self.root}") from None
            yield

    def _build(
        self, version: str, from_current: bool, keep: Callable[[str], bool]
    ) -> Iterator[Engine]:
        current = self.current_version()
        if from_current and current is None:
            raise MshtError(f"no finished run in {self.root}: run `msht run` first")
        finished = {p.name for p in self._history()}
        if current is not None:
            finished.add(self._location(current).name)
        for stale in self._versions():
            # A version no run finished was half-built by a killed run: nothing points at it.
            if stale.name not in finished:
                self._remove(stale)
        target = self._location(version)
        self._remove(target)
        if from_current and current is not None:
            source = self._location(current)

            def left_out(folder: str, names: list[str]) -> list[str]:
                return [n for n in names if Path(folder) == source and not keep(n)]

            shutil.copytree(source, target, copy_function=os.link, ignore=left_out)
        engine = open_engine(self.kind, target)
        try:
            yield engine
        except BaseException:
            engine.close()
            self._remove(target)
            raise
        engine.close()
        # Recorded as finished before the pointer moves, so no clean-up can take it after.
        self._append_history(version)
        self._point_at(version)
        self._prune()

    def _history(self) -> list[Path]:
        log = self.root / "history"
        if not log.is_file():
            return []
        names = log.read_text(encoding="utf-8").split()
        return [self._location(v) for v in names]

    def _append_history(self, version: str) -> None:
        with (self.root / "history").open("a", encoding="utf-8") as fh:
            fh.write(version + "\n")

    def _prune(self) -> None:
        keep = {p.name for p in self._history()[-(KEEP_PREVIOUS + 1) :]}
        for path in self._versions():
            if path.name not in keep:
                self._remove(path)
