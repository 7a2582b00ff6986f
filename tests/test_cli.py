"""The CLI through typer's CliRunner: the seam users touch."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from typer.testing import CliRunner

from neutra import services
from neutra.cli import app

runner = CliRunner(env={"COLUMNS": "240"})


def test_validate_ok(example: Path) -> None:
    res = runner.invoke(app, ["validate", str(example)])
    assert res.exit_code == 0, res.output
    assert "Plan is valid / 计划有效" in res.output


def test_validate_reports_every_problem_with_exit_2(make_plan) -> None:  # type: ignore[no-untyped-def]
    plan = make_plan("""
facility,year,scope,category,activity,amount,unit
a,2022,1,stationary_combustion,natral_gas,10,t
a,2022,1,stationary_combustion,coking_coal,-5,t
a,2022,2,electricity,electricity,1,t
""")
    res = runner.invoke(app, ["validate", str(plan)])
    assert res.exit_code == 2
    out = res.output
    assert "3 problems" in out
    assert "natural_gas" in out  # the suggestion
    assert "row 3" in out
    assert "amount" in out
    assert "energy unit" in out


def test_inventory_json_schema(example: Path) -> None:
    res = runner.invoke(app, ["inventory", str(example), "--json", "--no-store"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["schema"] == "neutra.inventory/1"
    assert doc["unit"] == "t CO2e"
    assert doc["gwp_set"] == "AR5"
    assert doc["factor_sets"][0] == "ipcc2006"
    assert [y["year"] for y in doc["years"]] == [2022, 2023]
    y = doc["years"][0]
    for key in (
        "scope1",
        "scope2_location",
        "scope2_market",
        "scope3",
        "total_location",
        "total_market",
        "biogenic_co2",
        "by_gas",
        "uncertainty",
    ):
        assert key in y
    assert y["total_location"] == pytest.approx(y["scope1"] + y["scope2_location"] + y["scope3"])
    assert sum(g["co2e"] for g in y["by_gas"].values()) == pytest.approx(y["total_location"])
    assert {"approach1", "approach2"} <= set(y["uncertainty"])
    assert doc["unverified_factors"]
    assert not (example / "neutra.duckdb").exists()


def test_inventory_json_error_form(make_plan) -> None:  # type: ignore[no-untyped-def]
    plan = make_plan(
        "facility,year,scope,category,activity,amount,unit\na,2022,1,process,limestone,1,2O0\n"
    )
    res = runner.invoke(app, ["inventory", str(plan), "--json"])
    assert res.exit_code == 2
    doc = json.loads(res.stdout)
    assert doc["schema"] == "neutra.error/1"
    (p,) = doc["problems"]
    assert (p["file"], p["row"], p["field"], p["value"]) == ("activity.csv", 2, "unit", "2O0")
    assert not (plan / "neutra.duckdb").exists()  # nothing stored


def test_inventory_stores_once_per_plan(example: Path) -> None:
    db = example / "runs.duckdb"
    for _ in range(2):
        res = runner.invoke(app, ["inventory", str(example), "--db", str(db)])
        assert res.exit_code == 0, res.output
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM runs").fetchone() == (1,)
    n_summary = con.execute("SELECT count(*) FROM inventory_summary").fetchone()
    con.close()
    listed = runner.invoke(app, ["runs", "list", "--db", str(db)])
    assert listed.exit_code == 0
    run_id = json.loads(
        runner.invoke(app, ["inventory", str(example), "--json", "--db", str(db)]).stdout
    )["run_id"]
    shown = runner.invoke(app, ["runs", "show", run_id[:8], "--db", str(db)])
    assert shown.exit_code == 0, shown.output
    assert "plan_hash" in shown.output
    assert "AR5" in shown.output
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM inventory_summary").fetchone() == n_summary
    con.close()


def test_report_is_self_contained(example: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    res = runner.invoke(app, ["report", str(example), "-o", str(out), "--lang", "zh", "--no-store"])
    assert res.exit_code == 0, res.output
    html = out.read_text(encoding="utf-8")
    assert "<script src=" not in html  # plotly.js is inlined: works offline
    assert "Plotly" in html
    for text in (
        "温室气体排放清单报告",
        "范围二：基于位置与基于市场",
        "附录：所用因子及其来源",
        "ipcc2006:natural_gas:carbon_content",
        "IPCC 2006",
        "unverified",
    ):
        assert text in html


def test_factors_browse() -> None:
    res = runner.invoke(app, ["factors", "list"])
    assert res.exit_code == 0
    assert "ipcc2006" in res.output
    assert "AR6-fossil-split" in res.output
    res = runner.invoke(app, ["factors", "show", "天然气"])
    assert res.exit_code == 0
    assert "ipcc2006:natural_gas:ncv" in res.output
    res = runner.invoke(app, ["factors", "show", "natral_gas"])
    assert res.exit_code == 1
    assert "natural_gas" in res.output


def test_plan_export_round_trip(example: Path, tmp_path: Path) -> None:
    """folder → workbook → folder with the side tables (macc.csv, ets.csv) too: the same plan
    hash, the same side-table files, the same MACC and ETS results."""
    xlsx = tmp_path / "plan.xlsx"
    res = runner.invoke(app, ["plan", "export", str(example), "-o", str(xlsx)])
    assert res.exit_code == 0, res.output
    assert "side table" not in res.output  # no note that they stay in the folder
    assert "旁表" not in res.output
    back = tmp_path / "back"
    assert runner.invoke(app, ["plan", "export", str(xlsx), "-o", str(back)]).exit_code == 0
    a = json.loads(runner.invoke(app, ["inventory", str(example), "--json", "--no-store"]).stdout)
    b = json.loads(runner.invoke(app, ["inventory", str(xlsx), "--json", "--no-store"]).stdout)
    c = json.loads(runner.invoke(app, ["inventory", str(back), "--json", "--no-store"]).stdout)
    assert a["plan_hash"] == b["plan_hash"] == c["plan_hash"]
    assert a["years"] == b["years"] == c["years"]
    for side in ("macc.csv", "ets.csv"):
        assert (back / side).read_bytes() == (example / side).read_bytes()
    results = []
    for plan in (example, xlsx, back):
        splan, sim, _info = services.simulate(plan)
        side, problems = services.side_tables(splan, sim)
        assert problems == []
        results.append(side)
    first = results[0]
    for other in results[1:]:
        pd.testing.assert_frame_equal(other.macc.curve, first.macc.curve)
        assert other.macc_origins == first.macc_origins
        assert other.macc_notes == first.macc_notes
        for name in ("positions", "by_year", "by_entity"):
            pd.testing.assert_frame_equal(getattr(other.ets, name), getattr(first.ets, name))
        assert other.ets.total == first.ets.total
        assert other.ets_notes == first.ets_notes


def test_plan_export_to_a_folder_keeps_the_side_tables(example: Path, tmp_path: Path) -> None:
    out = tmp_path / "copy"
    assert runner.invoke(app, ["plan", "export", str(example), "-o", str(out)]).exit_code == 0
    for side in ("macc.csv", "ets.csv"):
        assert (out / side).read_bytes() == (example / side).read_bytes()


def test_demo(tmp_path: Path) -> None:
    res = runner.invoke(app, ["demo", "-o", str(tmp_path / "demo")])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "demo" / "report.html").is_file()
    assert (tmp_path / "demo" / "report.zh.html").is_file()
    assert (tmp_path / "demo" / "neutra.duckdb").is_file()
    assert (tmp_path / "demo" / "city.html").is_file()
    assert (tmp_path / "demo" / "city.zh.html").is_file()


def test_a_bad_plan_keeps_what_is_stored(example: Path, make_plan) -> None:  # type: ignore[no-untyped-def]
    db = example / "keep.duckdb"
    assert runner.invoke(app, ["inventory", str(example), "--db", str(db)]).exit_code == 0
    bad = make_plan(
        "facility,year,scope,category,activity,amount,unit\na,2022,1,process,limestone,-1,t\n"
    )
    res = runner.invoke(app, ["inventory", str(bad), "--db", str(db)])
    assert res.exit_code == 2
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM runs").fetchone() == (1,)
    con.close()
