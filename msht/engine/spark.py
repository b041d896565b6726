"""Spark engine (local mode by default): tables are Parquet folders under one directory.

pyspark is imported here only, and lazily, so msht runs without it. One SparkContext serves
the process (starting it took 7-40 s on 2 cores, depending on load); each engine gets its own
session on it, so the temporary views that expose one store's tables are never seen, replaced
or dropped by another engine, even one opened on the same store. Views are created when a
query first names a table, so opening a store costs nothing.
"""

from __future__ import annotations

import atexit
import json
import logging
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar

import pyarrow as pa
from splink.backends.spark import similarity_jar_location
from sqlglot import exp

from msht.engine.base import Engine
from msht.engine.translate import parse, to_spark, transpile
from msht.errors import EngineError
from msht.settings import settings

__all__ = ["SparkEngine", "spark_schema", "transpile"]

#: Log4j settings: WARN while Spark starts (at another root level pyspark prints a notice
#: that it changes it), minus known noise; `_session` then lowers the root level to ERROR.
_LOG4J = """\
status = error
rootLogger.level = warn
rootLogger.appenderRef.console.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n%ex
logger.hadoop.name = org.apache.hadoop.util.NativeCodeLoader
logger.hadoop.level = error
# "hostname resolves to a loopback address": a local driver binds to 127.0.0.1 anyway.
logger.utils.name = org.apache.spark.util.Utils
logger.utils.level = error
# Failed tasks reach the caller as EngineError; their stack traces on stderr are noise.
logger.executor.name = org.apache.spark.executor.Executor
logger.executor.level = off
logger.tasks.name = org.apache.spark.scheduler.TaskSetManager
logger.tasks.level = off
"""
_SESSION: Any = None
#: SQL settings of every engine's session (set again on each: a session that msht did not
#: start, e.g. in a notebook, would not pass them on to new sessions).
SQL_SETTINGS = {
    "spark.sql.shuffle.partitions": "8",
    "spark.sql.session.timeZone": "UTC",
    # DuckDB's TIMESTAMP has no time zone: make Spark's default type match it.
    "spark.sql.timestampType": "TIMESTAMP_NTZ",
}
#: Each table folder keeps its Spark schema here (Spark skips `_` files when reading), so
#: opening a table neither infers nor changes the schema written.
SCHEMA_FILE = "_msht_schema.json"


def _settings(scratch: Path, master: str) -> dict[str, str]:
    log4j = scratch / "log4j2.properties"
    log4j.write_text(_LOG4J, encoding="utf-8")
    # Local runs are dominated by JVM warm-up: the C1 compiler alone halved it (measured on
    # 2 cores). MSHT_SPARK_JAVA_OPTIONS replaces that choice, e.g. with "" for long jobs.
    tuning = settings().spark_java_options
    if tuning is None:
        tuning = "-XX:TieredStopAtLevel=1" if master.startswith("local") else ""
    java = f"-Dlog4j2.configurationFile={log4j.as_uri()} {tuning}".strip()
    conf = {
        **SQL_SETTINGS,
        # No Hive metastore (so no derby files) and no spark-warehouse folder in the cwd.
        "spark.sql.catalogImplementation": "in-memory",
        "spark.sql.warehouse.dir": str(scratch / "warehouse"),
        "spark.driver.extraJavaOptions": java,
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.log.structuredLogging.enabled": "false",
        # Splink's string similarity functions (Jaro-Winkler…) ship as a jar inside splink.
        "spark.jars": similarity_jar_location(),
    }
    if master.startswith("local"):
        # Nothing outside this machine needs to reach a local driver.
        conf["spark.driver.host"] = conf["spark.driver.bindAddress"] = "127.0.0.1"
    return conf


def _quiet_python_logs() -> None:
    """pyspark logs every SQL error as JSON on stderr; msht raises them as EngineError instead."""
    from pyspark.logger import PySparkLogger

    for name in ("SQLQueryContextLogger", "DataFrameQueryContextLogger"):
        PySparkLogger.getLogger(name).setLevel(logging.CRITICAL)


def _session() -> Any:
    """The process's Spark session, started on first use with quiet, local-only settings."""
    global _SESSION  # a process-wide cache of an expensive resource
    if _SESSION is not None:
        return _SESSION
    try:
        from pyspark.errors import PySparkException
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise EngineError("the Spark engine needs pyspark: pip install 'msht[spark]'") from exc
    master = settings().spark_master
    scratch = Path(tempfile.mkdtemp(prefix="msht-spark-"))
    atexit.register(shutil.rmtree, scratch, ignore_errors=True)
    builder = SparkSession.builder.master(master).appName("msht")
    for key, value in _settings(scratch, master).items():
        builder = builder.config(key, value)
    try:
        session = builder.getOrCreate()
    except PySparkException as exc:
        raise EngineError(f"cannot start Spark ({master}); is Java 17+ installed? {exc}") from exc
    session.sparkContext.setLogLevel("ERROR")
    # Splink breaks long query lineages with checkpoints.
    session.sparkContext.setCheckpointDir(str(scratch / "checkpoints"))
    _quiet_python_logs()
    atexit.register(session.stop)  # runs before the scratch folder is removed
    _SESSION = session
    return session


@contextmanager
def _spark_errors(action: str) -> Iterator[None]:
    """Raise Spark's errors as EngineError, with the first line of Spark's message."""
    from py4j.protocol import Py4JError  # type: ignore[import-untyped]  # py4j has no types
    from pyspark.errors import PySparkException

    try:
        yield
    except (PySparkException, Py4JError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise EngineError(f"Spark could not {action}: {first}") from exc


def _decoded(data: pa.Table) -> pa.Table:
    """Dictionary-encoded columns as plain values: to Spark an encoding is not a type."""
    fields = [
        pa.field(f.name, f.type.value_type, f.nullable) if pa.types.is_dictionary(f.type) else f
        for f in data.schema
    ]
    return data.cast(pa.schema(fields))


def spark_schema(schema: pa.Schema) -> Any:
    """The Spark schema that stores `schema` exactly (columns nullable); else EngineError.

    Naive timestamps become TIMESTAMP_NTZ, UTC ones TIMESTAMP; types Spark would change
    (large_string, nanosecond or non-UTC timestamps, unsigned integers…) are refused, so what
    is read back is what was written.
    """
    from pyspark.errors import PySparkException
    from pyspark.sql.pandas.types import from_arrow_type, to_arrow_type
    from pyspark.sql.types import StructField, StructType

    fields = []
    for field in schema:
        try:
            spark_type = from_arrow_type(field.type, prefer_timestamp_ntz=True)
            back = to_arrow_type(spark_type, timezone="UTC")
        except (PySparkException, TypeError, ValueError) as exc:
            raise EngineError(f"column {field.name!r}: Spark cannot store {field.type}") from exc
        if not back.equals(field.type):
            raise EngineError(
                f"column {field.name!r}: Spark would store {field.type} as {back}; cast it first"
            )
        fields.append(StructField(field.name, spark_type, nullable=True))
    return StructType(fields)


def _nullable(dtype: pa.DataType) -> pa.DataType:
    """`dtype` with every nested field nullable, as DuckDB reports them."""
    if pa.types.is_list(dtype):
        return pa.list_(_nullable_field(dtype.value_field))
    if pa.types.is_struct(dtype):
        return pa.struct([_nullable_field(f) for f in dtype])
    if pa.types.is_map(dtype):
        return pa.map_(dtype.key_type, _nullable(dtype.item_type))
    return dtype


def _nullable_field(field: pa.Field) -> pa.Field:
    return field.with_type(_nullable(field.type)).with_nullable(True)


class SparkEngine(Engine):
    """Tables are Parquet folders in `location`, exposed to SQL as temporary views on demand."""

    dialect: ClassVar[str] = "spark"

    def __init__(self, location: Path, read_only: bool = False) -> None:
        self._root = location
        self._read_only = read_only
        if read_only and not location.is_dir():
            raise EngineError(f"no Spark store at {location}")
        if not read_only:
            location.mkdir(parents=True, exist_ok=True)
        self._spark: Any = _session().newSession()
        for key, value in SQL_SETTINGS.items():
            self._spark.conf.set(key, value)
        self._views: set[str] = set()

    def _session(self) -> Any:
        if self._spark is None:
            raise EngineError(f"the Spark engine on {self._root} is closed")
        return self._spark

    def _register(self, name: str) -> None:
        from pyspark.sql.types import StructType

        folder = self._root / name
        reader = self._session().read
        if (folder / SCHEMA_FILE).is_file():
            saved = json.loads((folder / SCHEMA_FILE).read_text(encoding="utf-8"))
            reader = reader.schema(StructType.fromJson(saved))
        with _spark_errors(f"read table {name}"):
            reader.parquet(str(folder)).createOrReplaceTempView(name)
        self._views.add(name)

    def _prepare(self, sql: str) -> str:
        """Transpile `sql` and expose the store tables it reads (opening is then instant)."""
        tree = parse(sql)
        stored = {t.lower(): t for t in self.tables()}
        for table in tree.find_all(exp.Table):
            name = stored.get(table.name.lower())
            if name is not None and name not in self._views:
                self._register(name)
        return to_spark(tree)

    def _save(self, name: str, frame: Any) -> None:
        if self._read_only:
            raise EngineError(f"store {self._root} is open read-only")
        if not name or name.startswith((".", "_")) or "/" in name:
            raise EngineError(f"invalid table name {name!r}")
        target = self._root / name
        tmp = self._root / f".{name}.tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        with _spark_errors(f"write table {name}"):
            frame.write.parquet(str(tmp))
            schema = frame.schema.json()
        (tmp / SCHEMA_FILE).write_text(schema, encoding="utf-8")
        shutil.rmtree(target, ignore_errors=True)
        tmp.rename(target)
        if name in self._views:  # it still reads the old files: expose the new ones on demand
            self._session().catalog.dropTempView(name)
            self._views.discard(name)

    def linkage_api(self, *tables: str) -> Any:
        """Splink's Spark API on this engine's session, the store `tables` as views."""
        from splink import SparkAPI

        stored = self.tables()
        for name in tables:
            if name not in stored:
                raise EngineError(f"no table {name!r} in {self._root}")
            self._register(name)
        return SparkAPI(spark_session=self._session())  # type: ignore[no-untyped-call]

    def create_table(self, name: str, data: pa.Table) -> None:
        """Store an Arrow table as Parquet, every column type kept exactly."""
        data = _decoded(data)
        schema = spark_schema(data.schema)
        # pyspark 4.3 silently drops rows of a table whose chunks include empty ones in a
        # row (measured: chunks of 1, 0, 0, 2 rows gave 1 row), so hand it one chunk.
        data = data.combine_chunks()
        with _spark_errors(f"convert Arrow data for {name}"):
            frame = self._session().createDataFrame(data, schema=schema)
        self._save(name, frame)

    def create_table_as(self, name: str, sql: str) -> None:
        """Materialise a query."""
        spark_sql = self._prepare(sql)
        with _spark_errors(f"run {spark_sql}"):
            frame = self._session().sql(spark_sql)
        self._save(name, frame)

    def query(self, sql: str) -> pa.Table:
        """Run SQL (transpiled) and collect as Arrow, every field nullable as in DuckDB."""
        spark_sql = self._prepare(sql)
        with _spark_errors(f"run {spark_sql}"):
            result: pa.Table = self._session().sql(spark_sql).toArrow()
        return result.cast(pa.schema([_nullable_field(f) for f in result.schema]))

    def tables(self) -> list[str]:
        """Parquet folders in the store."""
        if not self._root.is_dir():
            return []
        return sorted(
            p.name for p in self._root.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))
        )

    def close(self) -> None:
        """Drop this engine's views; the SparkContext stays for the next engine."""
        if self._spark is None:
            return
        for view in self._views:
            self._spark.catalog.dropTempView(view)
        self._views.clear()
        self._spark = None
