"""Run a command as a child process and measure its wall time and peak RSS (wait4)."""

from __future__ import annotations

import os
import subprocess
import time


def measure(cmd: list[str]) -> tuple[float, int]:
    """Seconds and peak resident set size in bytes of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"command failed: {' '.join(cmd)}")
    return seconds, usage.ru_maxrss * 1024
