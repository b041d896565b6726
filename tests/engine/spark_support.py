"""Whether the Spark tests can run: missing pyspark or Java skips them here, fails them in CI."""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path

import pytest
from factories import IN_CI

#: Meant to keep every Spark test on one xdist worker, hence one Spark session. pytest-xdist
#: 3.8 ignores the group on pytest 9.2 (pytest-xdist#1386): each worker may start Spark.
SPARK_MARKS = (pytest.mark.spark, pytest.mark.xdist_group("spark"))


def spark_missing() -> str | None:
    """What the Spark engine lacks on this machine, or None."""
    if importlib.util.find_spec("pyspark") is None:
        return "pyspark is not installed (pip install 'msht[spark]')"
    java_home = os.environ.get("JAVA_HOME")
    if shutil.which("java") is None and not (java_home and (Path(java_home) / "bin/java").exists()):
        return "Java is not installed"
    return None


def require_spark() -> None:
    """Skip the calling test when Spark cannot run, unless in CI, where that is a failure."""
    missing = spark_missing()
    if missing is None:
        return
    if IN_CI:
        pytest.fail(f"Spark tests must run in CI: {missing}")
    pytest.skip(missing)
