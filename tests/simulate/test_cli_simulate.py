"""`neutra simulate`, `neutra explain` and the report and store of a simulation."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
from test_engine import _base_tables
from typer.testing import CliRunner

from neutra.cli import app

runner = CliRunner(env={"COLUMNS": "240"})
Make = Callable[..., Path]


def test_simulate_json_summary_and_store(plan_dir: Make, tmp_path: Path) -> None:
    folder = plan_dir(_base_tables())
    db = tmp_path / "runs.duckdb"
    res = runner.invoke(app, ["simulate", str(folder), "--json", "--db", str(db)])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["schema"] == "neutra.simulation/1"
    assert [s["scenario"] for s in doc["scenarios"]] == ["baseline", "policy"]
    pol = doc["scenarios"][1]
    assert set(pol["wedges"]) == {"other", "eff", "ccs"}
    assert pol["years"][0]["year"] == 2020
    assert doc["gwp_set"] == "AR5"
    con = duckdb.connect(str(db), read_only=True)
    n = con.execute("SELECT count(*) FROM sim_emissions WHERE run_id = ?", [doc["run_id"]])
    assert n.fetchone()[0] > 0  # type: ignore[index]
    kind = con.execute("SELECT kind FROM runs WHERE run_id = ?", [doc["run_id"]]).fetchone()
    assert kind == ("simulation",)
    con.close()


def test_simulate_table_and_monte_carlo(plan_dir: Make) -> None:
    tables = _base_tables()
    tables["uncertainty"] = [
        {"target": "Key/gdp", "distribution": "normal", "p1": 0.05},
        {"target": "factor:coke_oven_coke", "distribution": "uniform", "p1": 0.95, "p2": 1.05},
    ]
    folder = plan_dir(tables)
    res = runner.invoke(app, ["simulate", str(folder), "--no-store", "--draws", "500"])
    assert res.exit_code == 0, res.output
    assert "baseline" in res.stdout
    assert "Monte Carlo" in res.stdout


def test_explain_names_the_expression_and_its_row(plan_dir: Make) -> None:
    folder = plan_dir(_base_tables())
    args = [
        "explain",
        str(folder),
        "-s",
        "policy",
        "--var",
        "intensity",
        "-b",
        "Demand/Industry/Steel",
        "--fuel",
        "coke_oven_coke",
        "-y",
        "2030",
    ]
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    assert "measure:eff" in res.stdout
    assert "expressions.csv, row 11" in res.stdout
    assert "Inherited (from current) = 20 GJ/t" in res.stdout
    res = runner.invoke(app, [*args[:5], "energy", *args[6:], "--json"])
    doc = json.loads(res.stdout)
    # 1000 t × 1.05^(10·0.5) × 60 % × 16 GJ/t, in GJ (the plan's energy unit).
    assert abs(doc["value"] - 1000 * 1.05**5 * 0.6 * 16) < 1e-6


def test_explain_rejects_unknown_things(plan_dir: Make) -> None:
    folder = plan_dir(_base_tables())
    res = runner.invoke(app, ["explain", str(folder), "-s", "nope", "--var", "net", "-y", "2030"])
    assert res.exit_code != 0
    assert "scenario 'nope'" in res.output


def test_report_of_a_scenario_only_plan(plan_dir: Make, tmp_path: Path) -> None:
    folder = plan_dir(_base_tables())
    out = tmp_path / "r.html"
    res = runner.invoke(app, ["report", str(folder), "-o", str(out), "--no-store"])
    assert res.exit_code == 0, res.output
    html = out.read_text(encoding="utf-8")
    for needle in ("Emission pathways of all scenarios", "Wedges", "Energy flows", "eff"):
        assert needle in html
    zh = tmp_path / "r.zh.html"
    runner.invoke(app, ["report", str(folder), "-o", str(zh), "--no-store", "--lang", "zh"])
    assert "情景路径" in zh.read_text(encoding="utf-8")


def test_validate_reports_simulation_problems(plan_dir: Make) -> None:
    tables = _base_tables()
    tables["scenarios"].append({"scenario": "loop", "parents": "loop"})
    res = runner.invoke(app, ["validate", str(plan_dir(tables))])
    assert res.exit_code != 0
    assert "scenarios.csv" in res.output
    assert "cycle" in res.output


def test_validate_runs_the_scenarios(plan_dir: Make) -> None:
    """Shares that sum to 110 % only in the policy scenario are found by validate."""
    tables = _base_tables()
    tables["expressions"].append(
        {
            "scenario": "policy",
            "branch": "Demand/Industry/Steel",
            "variable": "activity",
            "expression": "Interp(2030, 70)",
        }
    )
    tables["expressions"][5]["expression"] = 40  # Other: no longer the remainder
    res = runner.invoke(app, ["validate", str(plan_dir(tables))])
    assert res.exit_code == 2, res.output
    assert "summing to 100 % in scenario policy" in res.output


@pytest.mark.parametrize("example", ["city", "steel_enterprise"])
def test_monte_carlo_of_the_bundled_examples(example: str) -> None:
    """Both examples give their imports a factor path (import_factor): in a Monte Carlo run
    the values carry the draws in front, (draws, years)."""
    from neutra import services

    root = Path(__file__).resolve().parents[2] / "src" / "neutra" / "examples" / example
    mc = services.monte_carlo(root, 20)
    assert len(mc)
    assert mc.select_dtypes("number").notna().all().all()
