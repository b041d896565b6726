"""Settings from the environment: the few things a deployment sets outside its project folder.

Read on each call, so tests and long-lived processes see changes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from msht.errors import ConfigError

#: Environment variable → what it sets (documented in docs/configuration.md).
ENVIRONMENT: dict[str, str] = {
    "MSHT_DATABASE_URL": "Serving store URL (SQLAlchemy), overriding `database_url` of msht.yaml.",
    "MSHT_INGEST_WORKERS": "Processes that ingest sources side by side on DuckDB (default: one "
    "per core; each holds one source's rows in memory, so fewer use less memory).",
    "MSHT_SPARK_MASTER": "Spark master for the Spark engine (default `local[2]`).",
    "MSHT_SPARK_JAVA_OPTIONS": "JVM options of the Spark driver; by default local runs use "
    "`-XX:TieredStopAtLevel=1`, which halves JVM warm-up (set it to empty for long jobs).",
    "MSHT_SECRET_KEY": "Key that signs the web app's session cookies (default: a random key "
    "made once per project in `.msht-secret`, readable by its owner only).",
    "MSHT_DUCKDB_MEMORY_MIB": "Memory DuckDB may use for stage SQL such as entity resolution "
    "before it spills to disk (default 2560 MiB: scoring a million person records then "
    "spills nothing and peaks at about 3 GiB).",
}


@dataclass(frozen=True)
class Settings:
    """Values taken from the environment."""

    database_url: str | None
    ingest_workers: int
    spark_master: str
    spark_java_options: str | None
    duckdb_memory_mib: int
    secret_key: str | None


def settings() -> Settings:
    """The current settings."""
    return Settings(
        database_url=os.environ.get("MSHT_DATABASE_URL") or None,
        ingest_workers=_positive("MSHT_INGEST_WORKERS", os.cpu_count() or 1),
        spark_master=os.environ.get("MSHT_SPARK_MASTER") or "local[2]",
        spark_java_options=os.environ.get("MSHT_SPARK_JAVA_OPTIONS"),
        duckdb_memory_mib=_positive("MSHT_DUCKDB_MEMORY_MIB", 2560),
        secret_key=os.environ.get("MSHT_SECRET_KEY") or None,
    )


def _positive(name: str, default: int) -> int:
    text = os.environ.get(name) or ""
    if not text:
        return default
    if not text.isdigit() or int(text) < 1:
        raise ConfigError("environment", name, f"{text!r} is not a whole number of at least 1")
    return int(text)
