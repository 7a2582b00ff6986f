"""Targets checked against scenarios (hand cases) and `neutra target check` on a small plan."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from neutra.cli import app
from neutra.targets.check import check_pathway
from neutra.testing import expression_row as expr
from neutra.testing import write_plan


def test_gaps_and_summary_by_hand() -> None:
    totals = pd.DataFrame(
        {
            "scenario": ["a"] * 3 + ["b"] * 3,
            "year": [2020, 2021, 2022] * 2,
            "net": [100.0, 95.0, 90.0, 100.0, 99.0, 98.0],
        }
    )
    target = pd.DataFrame({"year": [2020, 2021, 2022], "emissions": [100.0, 96.0, 92.0]})
    gaps, summary = check_pathway(totals, target)
    s = summary.set_index("scenario")
    assert bool(s.loc["a", "met_in_target_year"])  # 90 ≤ 92
    assert s.loc["a", "gap_in_target_year"] == pytest.approx(-2.0)
    assert not bool(s.loc["b", "met_in_target_year"])  # 98 > 92
    assert s.loc["b", "years_off_track"] == [2021, 2022]  # 99 > 96, 98 > 92
    assert s.loc["b", "largest_gap"] == pytest.approx(6.0)
    assert len(gaps) == 6


def test_cli_on_a_plan(tmp_path: Path) -> None:
    tables = {
        "scenarios": [
            {"scenario": "baseline", "kind": "baseline"},
            {"scenario": "policy", "parents": "baseline"},
        ],
        "branches": [{"branch": "Demand/Industry", "kind": "activity", "unit": "t"}],
        "expressions": [
            expr("current", "Demand/Industry", "activity", 1000),
            expr("policy", "Demand/Industry", "activity", "Growth(-6%)"),
            expr("current", "Demand/Industry", "intensity", 20, fuel="coke_oven_coke", unit="GJ/t"),
        ],
    }
    folder = write_plan(tmp_path / "plan", tables)
    args = ["target", "check", str(folder), "--target-year", "2030", "--json"]
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["schema"] == "neutra.target-check/1"
    # The line from the base year: base × (1 − 0.042 × 10) (SOURCES.md "Targets").
    assert doc["target_t"] == pytest.approx(doc["base_t"] * (1 - 0.42))
    met = {s["scenario"]: s["met_in_target_year"] for s in doc["scenarios"]}
    assert met == {"baseline": False, "policy": True}  # flat vs −6 %/yr (0.94^10 = 0.54 < 0.58)


def test_cli_refuses_a_column_that_is_not_a_target_column() -> None:
    """``--column`` is checked before the plan is read: ``gross`` is not a target column."""
    args = ["target", "check", "examples/city", "--target-year", "2030", "--column", "gross"]
    res = CliRunner().invoke(app, [*args, "--json"])
    assert res.exit_code == 1, res.output
    doc = json.loads(res.stdout)
    assert doc["schema"] == "neutra.error/1"
    assert "net, emissions, net_after_trade" in doc["message"]
