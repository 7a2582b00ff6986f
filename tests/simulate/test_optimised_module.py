"""A transformation module chosen at least cost (dispatch = optimize) inside a scenario."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from neutra import services
from neutra.errors import PlanValidationError
from neutra.testing import expression_row as expr

Make = Callable[..., Path]
CAP = {2021: 1e6, 2025: 1e6, 2027: 8e5, 2030: 5e5}  # Data(2025, 1e6, 2030, 5e5)


def _tables() -> dict[str, list[dict[str, Any]]]:
    return {
        "scenarios": [
            {"scenario": "baseline", "kind": "baseline"},
            {"scenario": "capped", "parents": "baseline", "measures": "cap", "kind": "policy"},
        ],
        "measures": [{"measure": "cap", "lever": "replace"}],
        "branches": [
            {"branch": "Demand/Homes", "kind": "activity", "unit": "person"},
            {
                "branch": "Supply/Power",
                "kind": "module",
                "fuel": "electricity",
                "dispatch": "optimize",
                "import_grid": "CN-South",
            },
            {"branch": "Supply/Power/Coal", "kind": "process", "fuel": "other_bituminous_coal"},
            {"branch": "Supply/Power/PV", "kind": "process", "fuel": "solar"},
        ],
        "expressions": [
            expr("current", "Demand/Homes", "activity", 1e6),
            expr("baseline", "Demand/Homes", "activity", "Growth(3%)"),
            expr(
                "current", "Demand/Homes", "intensity", 2000, fuel="electricity", unit="kWh/person"
            ),
            expr("current", "Supply/Power", "losses", 5),
            expr("current", "Supply/Power", "discount_rate", 6),
            expr(
                "current",
                "Supply/Power",
                "fuel_price",
                10,
                fuel="other_bituminous_coal",
                unit="CNY/GJ",
            ),
            expr("current", "Supply/Power/Coal", "efficiency", 40),
            expr("current", "Supply/Power/Coal", "capacity", 400, unit="MW"),
            expr("current", "Supply/Power/Coal", "availability", 80),
            expr("current", "Supply/Power/Coal", "capital_cost", 4000, unit="CNY/kW"),
            expr("current", "Supply/Power/Coal", "fixed_cost", 100, unit="CNY/kW"),
            expr("current", "Supply/Power/Coal", "lifetime", 30),
            expr("current", "Supply/Power/PV", "efficiency", 100),
            expr("current", "Supply/Power/PV", "availability", 15),
            expr("current", "Supply/Power/PV", "capital_cost", 3500, unit="CNY/kW"),
            expr("current", "Supply/Power/PV", "fixed_cost", 50, unit="CNY/kW"),
            expr("current", "Supply/Power/PV", "lifetime", 25),
            {
                "measure": "cap",
                "branch": "Supply/Power",
                "variable": "emission_cap",
                "expression": "Data(2025, 1e6, 2030, 5e5)",
                "unit": "t",
            },
        ],
    }


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from neutra.testing import write_plan

    folder = write_plan(tmp_path_factory.mktemp("opt") / "plan", _tables())
    return services.simulate(folder)[1]


def test_the_cap_holds_and_binds(result: Any) -> None:
    em = result.emissions
    capped = em[(em["scenario"] == "capped") & (em["branch"].str.startswith("Supply/Power"))]
    by_year = capped.groupby("year")["co2e"].sum()
    for year, cap in CAP.items():
        assert by_year[year] <= cap * (1 + 1e-6)
        assert by_year[year] == pytest.approx(cap, rel=1e-6)  # binding: coal is cheaper
    base = em[(em["scenario"] == "baseline") & (em["branch"].str.startswith("Supply/Power"))]
    assert base.groupby("year")["co2e"].sum()[2030] > CAP[2030]


def test_carbon_price_is_the_caps_shadow_price(result: Any) -> None:
    prices = result.carbon_prices.pivot_table(index="year", columns="scenario", values="value")
    assert (prices["baseline"] == 0).all()
    assert prices.loc[2020, "capped"] == 0  # the base year is history: no cap there
    assert (prices.loc[2021:, "capped"] > 0).all()


def test_base_year_is_the_same_and_supply_meets_demand(result: Any) -> None:
    t = result.totals[result.totals["year"] == 2020].set_index("scenario")
    assert t.loc["capped", "net"] == pytest.approx(t.loc["baseline", "net"])
    tf = result.transformation
    for scen in ("baseline", "capped"):
        f = tf[(tf["scenario"] == scen) & (tf["year"] == 2030)]
        supplied = f[f["flow"].isin(["output", "imports"])]["value"].sum()
        demand_gj = 1e6 * 1.03**10 * 2000 * 3.6e-3 / 0.95  # kWh → GJ, after 5 % losses
        assert supplied == pytest.approx(demand_gj, rel=1e-6)


def test_required_economics_are_located(plan_dir: Make) -> None:
    tables = _tables()
    tables["expressions"] = [
        e
        for e in tables["expressions"]
        if e.get("variable") not in ("discount_rate", "capital_cost")
    ]
    with pytest.raises(PlanValidationError) as info:
        services.simulate(plan_dir(tables))
    expected = " ".join(p.expected for p in info.value.problems)
    assert "discount_rate" in expected
    assert "capital_cost" in expected


def test_monte_carlo_is_refused_with_an_optimised_module(plan_dir: Make) -> None:
    from neutra.errors import NeutraError

    tables = _tables()
    tables["uncertainty"] = [
        {"target": "Demand/Homes:activity", "distribution": "normal", "p1": 0.05}
    ]
    folder = plan_dir(tables)
    with pytest.raises(NeutraError, match="least-cost solve per draw"):
        services.monte_carlo(folder, 200)


def _renamed(tables: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """Processes named against alphabetical order, plus priced imports (a regression: the
    parameters once followed the sorted labels, not the set order)."""
    text = (
        json.dumps(tables)
        .replace("Supply/Power/Coal", "Supply/Power/ZCoal")
        .replace("Supply/Power/PV", "Supply/Power/Aa")
    )
    out: dict[str, list[dict[str, Any]]] = json.loads(text)
    out["expressions"].append(expr("current", "Supply/Power", "import_price", 150, unit="CNY/MWh"))
    return out


def test_process_order_and_priced_imports_respect_the_cap(plan_dir: Make) -> None:
    res = services.simulate(plan_dir(_renamed(_tables())))[1]
    em = res.emissions
    capped = em[(em["scenario"] == "capped") & (em["branch"].str.startswith("Supply/Power"))]
    by_year = capped.groupby("year")["co2e"].sum()
    for year, cap in CAP.items():
        assert by_year[year] <= cap * (1 + 1e-6), year
    tf = res.transformation
    coal = tf[(tf["process"] == "Supply/Power/ZCoal") & (tf["flow"] == "input")]
    assert set(coal["fuel"]) == {"other_bituminous_coal"}


def test_capture_penalty_is_inside_the_cap(plan_dir: Make) -> None:
    tables = _tables()
    tables["expressions"] += [
        expr("current", "Supply/Power/Coal", "capture_rate", 50),
        expr(
            "current",
            "Supply/Power/Coal",
            "capture_energy",
            2,
            fuel="other_bituminous_coal",
            unit="GJ/t",
        ),
    ]
    res = services.simulate(plan_dir(tables))[1]
    em = res.emissions
    capped = em[(em["scenario"] == "capped") & (em["branch"].str.startswith("Supply/Power"))]
    by_year = capped.groupby("year")["co2e"].sum()
    for year, cap in CAP.items():
        assert by_year[year] <= cap * (1 + 1e-6), year


def test_optimisation_variables_need_an_optimised_module(plan_dir: Make) -> None:
    tables = _tables()
    tables["branches"][1]["dispatch"] = "merit"
    with pytest.raises(PlanValidationError) as info:
        services.simulate(plan_dir(tables))
    messages = [p.expected for p in info.value.problems]
    assert any("only in a module with dispatch optimize" in m for m in messages)


def test_neutra_optimize_on_a_plan(plan_dir: Make) -> None:
    from typer.testing import CliRunner

    from neutra.cli import app

    folder = plan_dir(_tables())
    res = CliRunner().invoke(app, ["optimize", str(folder), "-s", "capped", "--json", "--no-store"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["schema"] == "neutra.optimize/1"
    assert doc["scenario"] == "capped"
    assert doc["objective"] > 0
    module = doc["modules"]["Supply/Power"]
    assert module["currency_per_t"] == "CNY"
    assert module["price"]["2030"] > 0
    assert module["cap_t"]["2030"] == pytest.approx(5e5)
