"""The regional status through the CLI: JSON, report, store, located errors."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from typer.testing import CliRunner

from neutra import services
from neutra.cli import app
from neutra.io import read_plan

runner = CliRunner(env={"COLUMNS": "240"})


def test_region_json(city: Path) -> None:
    res = runner.invoke(app, ["inventory", str(city), "--json", "--no-store"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["schema"] == "neutra.region/1"
    assert [y["year"] for y in doc["years"]] == list(range(2015, 2024))
    for y in doc["years"]:
        assert y["production_based_t"] == pytest.approx(y["sectoral_co2e_t"] + y["process_co2_t"])
        explained = (
            y["difference_losses_t"]
            + y["difference_statistical_t"]
            + y["difference_transformation_t"]
        )
        assert y["difference_t"] == pytest.approx(explained, abs=1e-3 * abs(y["difference_t"]) + 1)
        for shares in y["energy_mix"].values():
            total = sum(v for v in shares.values() if v is not None)
            assert total == pytest.approx(1.0, abs=1e-5)  # JSON rounds to 6 decimals
    k = doc["kaya"]
    assert sum(e["additive"] for e in k["effects"].values()) == pytest.approx(k["vt"] - k["v0"])
    product = 1.0
    for e in k["effects"].values():
        product *= e["multiplicative"]
    assert product == pytest.approx(k["vt"] / k["v0"])
    assert doc["peak"]["status"] == "peaked"


def test_region_report_and_store(city: Path, tmp_path: Path) -> None:
    out = tmp_path / "city.html"
    db = tmp_path / "region.duckdb"
    res = runner.invoke(app, ["report", str(city), "-o", str(out), "--db", str(db), "--lang", "zh"])
    assert res.exit_code == 0, res.output
    html = out.read_text(encoding="utf-8")
    for text in ("区域碳排放现状分析", "参考法与部门法比较", "驱动因素", "达峰判断", "能源结构"):
        assert text in html
    con = duckdb.connect(str(db), read_only=True)
    kinds = {r[0] for r in con.execute("SELECT kind FROM runs").fetchall()}
    assert kinds == {"region", "simulation"}  # the city example has scenarios too
    assert con.execute("SELECT count(*) FROM region_totals").fetchone() == (9,)
    con.close()


def test_year_without_gdp_is_located(city: Path) -> None:
    series = city / "series.csv"
    lines = series.read_text(encoding="utf-8").splitlines()
    # Neither the constant-price series nor the real growth index for 2018: no way to get
    # GDP at constant prices for 2018 and later.
    kept = [ln for ln in lines if not ln.startswith(("gdp_constant,2018", "gdp_index,2018"))]
    series.write_text("\n".join(kept) + "\n", encoding="utf-8")
    res = runner.invoke(app, ["inventory", str(city), "--no-store"])
    assert res.exit_code == 2
    assert "gdp_constant" in res.output
    assert "2018" in res.output


def test_unknown_fuel_column_is_located(city: Path) -> None:
    path = city / "energy_balance_2016.csv"
    text = path.read_text(encoding="utf-8").replace("原煤", "原媒", 1)
    path.write_text(text, encoding="utf-8")
    res = runner.invoke(app, ["validate", str(city)])
    assert res.exit_code == 2
    assert "energy_balance_2016.csv" in res.output
    assert "原媒" in res.output


def test_region_plan_export_round_trip(city: Path, tmp_path: Path) -> None:
    """folder → workbook → folder with the side table forest.csv: the same plan hash, the same
    file, the same forest carbon."""
    xlsx = tmp_path / "city.xlsx"
    back = tmp_path / "back"
    assert runner.invoke(app, ["plan", "export", str(city), "-o", str(xlsx)]).exit_code == 0
    assert runner.invoke(app, ["plan", "export", str(xlsx), "-o", str(back)]).exit_code == 0
    a = json.loads(runner.invoke(app, ["inventory", str(city), "--json", "--no-store"]).stdout)
    c = json.loads(runner.invoke(app, ["inventory", str(back), "--json", "--no-store"]).stdout)
    assert a["plan_hash"] == c["plan_hash"]
    assert a["years"] == c["years"]
    assert (back / "forest.csv").read_bytes() == (city / "forest.csv").read_bytes()
    forests = []
    for plan in (city, xlsx, back):
        side, problems = services.side_tables(read_plan(plan))
        assert problems == []
        forests.append(side.forest)
    for other in forests[1:]:
        assert other.method == forests[0].method
        for name in ("strata", "totals", "yearly"):
            pd.testing.assert_frame_equal(getattr(other, name), getattr(forests[0], name))
        assert other.unverified == forests[0].unverified
    assert forests[1].source == "city.xlsx[forest]"  # problems would name the sheet


def test_region_from_a_workbook(city: Path, tmp_path: Path) -> None:
    xlsx = tmp_path / "city.xlsx"
    assert runner.invoke(app, ["plan", "export", str(city), "-o", str(xlsx)]).exit_code == 0
    res = runner.invoke(app, ["inventory", str(xlsx), "--json", "--no-store"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["schema"] == "neutra.region/1"


def test_duplicate_series_rows_are_problems(city: Path) -> None:
    series = city / "series.csv"
    lines = series.read_text(encoding="utf-8").splitlines()
    dup = next(ln for ln in lines if ln.startswith("output_cement_clinker,2015"))
    series.write_text("\n".join([*lines, dup]) + "\n", encoding="utf-8")
    res = runner.invoke(app, ["validate", str(city)])
    assert res.exit_code == 2
    assert "output_cement_clinker 2015" in res.output
    assert "each indicator once per year" in res.output


def test_missing_coal_rate_blanks_the_coal_equivalent_total(city: Path) -> None:
    series = city / "series.csv"
    lines = series.read_text(encoding="utf-8").splitlines()
    kept = [ln for ln in lines if not ln.startswith("coal_rate_thermal_power,2016")]
    series.write_text("\n".join(kept) + "\n", encoding="utf-8")
    doc = json.loads(runner.invoke(app, ["inventory", str(city), "--json", "--no-store"]).stdout)
    by_year = {y["year"]: y for y in doc["years"]}
    assert by_year[2016]["energy_tce_coal_equivalent"] is None
    assert by_year[2017]["energy_tce_coal_equivalent"] is not None
    assert any(f["code"] == "no_coal_rate" and f["year"] == 2016 for f in doc["findings"])
