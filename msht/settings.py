"""Settings from the environment: the few things a deployment sets outside its project folder.

Read on each call, so tests and long-lived processes see changes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

#: Environment variable → what it sets (documented in docs/configuration.md).
ENVIRONMENT: dict[str, str] = {
    "MSHT_DATABASE_URL": "Serving store URL (SQLAlchemy), overriding `database_url` of msht.yaml.",
    "MSHT_SPARK_MASTER": "Spark master for the Spark engine (default `local[2]`).",
    "MSHT_SPARK_JAVA_OPTIONS": "JVM options of the Spark driver; by default local runs use "
    "`-XX:TieredStopAtLevel=1`, which halves JVM warm-up (set it to empty for long jobs).",
}


@dataclass(frozen=True)
class Settings:
    """Values taken from the environment."""

    database_url: str | None
    spark_master: str
    spark_java_options: str | None


def settings() -> Settings:
    """The current settings."""
    return Settings(
        database_url=os.environ.get("MSHT_DATABASE_URL") or None,
        spark_master=os.environ.get("MSHT_SPARK_MASTER") or "local[2]",
        spark_java_options=os.environ.get("MSHT_SPARK_JAVA_OPTIONS"),
    )
