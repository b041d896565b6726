"""Run a command as a child process and measure its wall time and peak memory.

Ingest runs sources in worker processes, so the peak is that of the whole process tree
(the command and every process under it), sampled every 20 ms from /proc, beside the
largest single process as the kernel counts it (wait4).
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from pathlib import Path


def _rss(pid: int) -> int:
    """Resident bytes of `pid` and its descendants (0 for a process that has gone)."""
    total = 0
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1]) * 1024
        for task in Path(f"/proc/{pid}/task").iterdir():
            for child in (task / "children").read_text().split():
                total += _rss(int(child))
    except (FileNotFoundError, ProcessLookupError):
        pass
    return total


def measure(cmd: list[str]) -> tuple[float, int]:
    """Seconds and peak resident bytes of the process tree of one command."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.02):
            peak[0] = max(peak[0], _rss(proc.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"command failed: {' '.join(cmd)}")
    return seconds, max(peak[0], usage.ru_maxrss * 1024)


def machine_speed() -> float:
    """Seconds for a fixed pure-Python loop: the machine's speed at this moment.

    The shared virtual machine drifts by half from minute to minute; printed beside each
    figure, it tells a slower program from a slower machine.
    """
    start = time.perf_counter()
    total = 0
    for i in range(10_000_000):
        total += i
    return time.perf_counter() - start
