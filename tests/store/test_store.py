"""The DuckDB store: provenance, no duplicates on re-run, all-or-nothing writes."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import duckdb
import pytest

from neutra import services
from neutra.errors import StoreError
from neutra.store import Store


def test_run_records_provenance_and_replaces_on_rerun(example: Path, tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    plan, result, info = services.inventory(example)
    store = Store(db)
    rid = store.save_inventory(info, result)
    again = services.inventory(example)[2]
    assert again.run_id == rid  # same plan, data, versions and settings → same run
    store.save_inventory(again, result)
    runs = store.runs()
    assert list(runs["run_id"]) == [rid]
    meta = store.run(rid[:6])
    assert meta["plan_hash"] == plan.content_hash()
    assert meta["refdata_version"] == info.refdata_version
    assert '"gwp_set": "AR5"' in meta["settings_json"]
    totals = store.table(rid, "totals")
    assert totals["total_location"].tolist() == pytest.approx(
        result.totals["total_location"].tolist()
    )


def test_a_changed_plan_is_a_new_run(example: Path, tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    _, result, info = services.inventory(example)
    Store(db).save_inventory(info, result)
    toml = example / "plan.toml"
    toml.write_text(toml.read_text().replace('gwp_set = "AR5"', 'gwp_set = "AR6"'))
    _, result2, info2 = services.inventory(example)
    assert info2.run_id != info.run_id
    Store(db).save_inventory(info2, result2)
    assert len(Store(db).runs()) == 2


def test_failed_write_leaves_the_store_as_it_was(example: Path, tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    _, result, info = services.inventory(example)
    store = Store(db)
    store.save_inventory(info, result)
    broken_summary = result.summary.assign(year="not a year")  # cannot go into BIGINT
    broken = replace(result, summary=broken_summary)
    other = replace(info, run_id="0000000000000000")
    with pytest.raises(StoreError, match="nothing was written"):
        store.save_inventory(other, broken)
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT run_id FROM runs").fetchall() == [(info.run_id,)]
    assert con.execute(
        "SELECT count(*) FROM inventory_totals WHERE run_id = ?", ["0000000000000000"]
    ).fetchone() == (0,)
    con.close()


def test_unknown_run_and_missing_store(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no store here"):
        Store(tmp_path / "none.duckdb").runs()


def test_runs_with_different_columns_share_a_table(tmp_path: Path) -> None:
    """A later run may bring a column the table does not have yet (e.g. a gdp driver)."""
    import pandas as pd

    from neutra.provenance import RunInfo

    store = Store(tmp_path / "s.duckdb")
    info = RunInfo("a", "2026-01-01T00:00:00", "p", "src", "h", "v", "0", "{}", "simulation")
    store.save_tables(info, {"sim_totals": pd.DataFrame({"year": [2020], "net": [1.0]})}, {})
    info2 = RunInfo("b", "2026-01-01T00:00:00", "p", "src", "h", "v", "0", "{}", "simulation")
    frame = pd.DataFrame({"year": [2020], "net": [2.0], "gdp": [3.0]})
    store.save_tables(info2, {"sim_totals": frame}, {})
    got = store.table("b", "totals", prefix="sim")
    assert float(got["gdp"].iloc[0]) == 3.0
    assert store.table("a", "totals", prefix="sim")["gdp"].isna().all()
