"""The DuckDB store: one file, runs with their provenance, results as queryable tables.

A run is identified by a hash of the plan's content, the reference-data version, the package
version and the settings, so re-running the same plan replaces its rows instead of adding a
second copy. Every save is one transaction: on any failure nothing is written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from neutra.errors import StoreError
from neutra.inventory.result import InventoryResult
from neutra.provenance import RunInfo

SCHEMA_VERSION = 1
RESULT_TABLES: tuple[str, ...] = (
    "summary",
    "detail",
    "totals",
    "market",
    "claims",
    "uncertainty",
    "sources",
    "findings",
    "factors",
    "gwp_values",
)

_RUNS_DDL = """
CREATE TABLE IF NOT EXISTS runs (
    run_id VARCHAR PRIMARY KEY, created_at VARCHAR, kind VARCHAR, plan_name VARCHAR,
    plan_source VARCHAR, plan_hash VARCHAR, refdata_version VARCHAR, package_version VARCHAR,
    settings_json VARCHAR, meta_json VARCHAR
)"""


class Store:
    """A results store in one DuckDB file."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def _connect(self, read_only: bool = False) -> duckdb.DuckDBPyConnection:
        try:
            if read_only and not self.path.exists():
                raise StoreError(f"{self.path}: no store here yet (run `neutra inventory` first)")
            con = duckdb.connect(str(self.path), read_only=read_only)
            if not read_only:
                con.execute(_RUNS_DDL)
                con.execute(
                    "CREATE TABLE IF NOT EXISTS store_meta (key VARCHAR PRIMARY KEY, value VARCHAR)"
                )
                con.execute(
                    "INSERT OR IGNORE INTO store_meta VALUES ('schema_version', ?)",
                    [str(SCHEMA_VERSION)],
                )
            return con
        except duckdb.Error as exc:
            raise StoreError(f"{self.path}: cannot open the store ({exc})") from exc

    def save_inventory(self, run: RunInfo, result: InventoryResult) -> str:
        """Store an enterprise inventory run (one transaction); returns the run id."""
        tables = {f"inventory_{n}": getattr(result, n) for n in RESULT_TABLES}
        tables["inventory_intensities"] = result.intensities()
        return self.save_tables(run, tables, result.meta)

    def save_tables(
        self, run: RunInfo, tables: dict[str, pd.DataFrame | None], meta: dict[str, Any]
    ) -> str:
        """Store a run and its result tables in one transaction; returns the run id.

        Tables are created on first use; a re-run of the same run id replaces its rows.
        """
        import json

        con = self._connect()
        try:
            con.begin()
            con.execute("DELETE FROM runs WHERE run_id = ?", [run.run_id])
            con.execute(
                "INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    run.run_id,
                    run.created_at,
                    run.kind,
                    run.plan_name,
                    run.plan_source,
                    run.plan_hash,
                    run.refdata_version,
                    run.package_version,
                    run.settings_json,
                    json.dumps(meta, sort_keys=True, default=str),
                ],
            )
            for name, df in tables.items():
                if df is not None:
                    self._replace(con, name, run.run_id, df)
            con.commit()
        except (duckdb.Error, ValueError) as exc:
            con.rollback()
            raise StoreError(
                f"{self.path}: the run was not stored ({exc}); nothing was written"
            ) from exc
        finally:
            con.close()
        return run.run_id

    @staticmethod
    def _replace(con: duckdb.DuckDBPyConnection, table: str, run_id: str, df: pd.DataFrame) -> None:
        data = df.copy()
        data.insert(0, "run_id", run_id)
        for c in data.columns:
            if data[c].dtype == object or isinstance(data[c].dtype, pd.CategoricalDtype):
                data[c] = data[c].astype("string")  # categoricals would become DuckDB ENUMs
        con.register("_incoming", data)
        exists = con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [table]
        ).fetchone()
        if exists and exists[0]:
            # Runs of different plans may carry different columns (a driver one plan has):
            # add the new ones; rows of other runs read NULL there.
            have = {
                r[0]
                for r in con.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_name = ?",
                    [table],
                ).fetchall()
            }
            described = con.execute("DESCRIBE _incoming").fetchall()
            for name, dtype, *_ in described:
                if name not in have:
                    con.execute(f'ALTER TABLE {table} ADD COLUMN "{name}" {dtype}')
            con.execute(f"DELETE FROM {table} WHERE run_id = ?", [run_id])
            con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _incoming")
        else:
            con.execute(f"CREATE TABLE {table} AS SELECT * FROM _incoming")
        con.unregister("_incoming")

    def runs(self) -> pd.DataFrame:
        """All runs, newest first."""
        con = self._connect(read_only=True)
        try:
            return con.execute(
                "SELECT run_id, created_at, kind, plan_name, plan_hash, "
                "refdata_version, package_version FROM runs "
                "ORDER BY created_at DESC"
            ).df()
        finally:
            con.close()

    def run(self, run_id: str) -> dict[str, Any]:
        """One run's provenance (a unique prefix of its id is enough)."""
        con = self._connect(read_only=True)
        try:
            rows = con.execute("SELECT * FROM runs WHERE run_id LIKE ? || '%'", [run_id]).df()
        finally:
            con.close()
        if len(rows) != 1:
            raise StoreError(
                f"{self.path}: {'no' if rows.empty else 'more than one'} run "
                f"matches {run_id!r}; see `neutra runs list`"
            )
        return {k: (None if pd.isna(v) else v) for k, v in rows.iloc[0].to_dict().items()}

    def table(self, run_id: str, name: str, prefix: str = "inventory") -> pd.DataFrame:
        """One result table of a run (``summary``, ``totals``, …; ``prefix`` region for
        regional runs)."""
        con = self._connect(read_only=True)
        try:
            return con.execute(
                f"SELECT * EXCLUDE (run_id) FROM {prefix}_{name} WHERE run_id = ?", [run_id]
            ).df()
        except duckdb.Error as exc:
            raise StoreError(f"{self.path}: no table {name!r} for run {run_id}") from exc
        finally:
            con.close()
