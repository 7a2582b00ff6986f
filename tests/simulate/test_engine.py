"""The simulation engine on small hand-computed models."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import expr
from neutra import services
from neutra.errors import PlanValidationError
from neutra.simulate.results import SimulationResult
from neutra.testing import industry_model

Make = Callable[..., Path]

# IPCC 2006 Vol. 2 Ch. 1 Table 1.3: coke oven coke 29.2 kg C/GJ, oxidation 1 (Tier 1):
# 29.2 × 44/12 = 107.0667 kg CO2/GJ.
COKE_CO2_T_PER_GJ = 29.2 * 44 / 12 / 1000


def _base_tables() -> dict[str, list[dict[str, Any]]]:
    return industry_model()


def _run(make: Make, tables: dict[str, list[dict[str, Any]]], **kw: Any) -> SimulationResult:
    folder = make(tables, **kw)
    return services.simulate(folder)[1]


def _total(res: SimulationResult, scenario: str, col: str, year: int) -> float:
    t = res.totals
    return float(t[(t["scenario"] == scenario) & (t["year"] == year)][col].iloc[0])


def test_demand_energy_and_emissions_by_hand(plan_dir: Make) -> None:
    res = _run(plan_dir, _base_tables())
    e = res.energy
    base = e[(e["scenario"] == "baseline") & (e["year"] == 2020)].set_index("fuel")["value"]
    # 1000 t × 60 % × 20 GJ/t = 12 000 GJ of coke; 1000 t × 40 % × 1 MWh/t = 400 MWh = 1 440 GJ.
    assert base["coke_oven_coke"] == pytest.approx(12_000)
    assert base["electricity"] == pytest.approx(1_440)
    # GrowthAs(gdp, 0.5): activity(2030) = 1000 × (1.05^10)^0.5.
    y2030 = e[(e["scenario"] == "baseline") & (e["year"] == 2030)].set_index("fuel")["value"]
    assert y2030["coke_oven_coke"] == pytest.approx(12_000 * 1.05**5)
    em = res.emissions
    coke = em[
        (em["scenario"] == "baseline")
        & (em["year"] == 2020)
        & (em["gas"] == "CO2")
        & (em["fuel"] == "coke_oven_coke")
    ]
    assert coke["tonnes"].sum() == pytest.approx(12_000 * COKE_CO2_T_PER_GJ, rel=1e-9)
    proc = em[(em["scenario"] == "baseline") & (em["year"] == 2020) & (em["source"] == "process")]
    assert proc["tonnes"].sum() == pytest.approx(400 * 0.5)  # 400 t × 0.5 t CO2/t
    assert set(em["gwp_set"]) == {"AR5"}
    assert coke["factor_ids"].iloc[0]  # every number names its factor


def test_measures_compose_and_wedges_close_the_gap(plan_dir: Make) -> None:
    res = _run(plan_dir, _base_tables())
    e = res.energy
    pol = e[(e["scenario"] == "policy") & (e["fuel"] == "coke_oven_coke")].set_index("year")
    base = e[(e["scenario"] == "baseline") & (e["fuel"] == "coke_oven_coke")].set_index("year")
    # Inherited × Data(2020, 1, 2030, 0.8): the multiplier goes 1 → 0.8 linearly from 2020 to 2030.
    assert pol.loc[2025, "value"] / base.loc[2025, "value"] == pytest.approx(0.9)
    assert pol.loc[2030, "value"] / base.loc[2030, "value"] == pytest.approx(0.8)
    # CCS captures 50 % of the process CO2 from 2025.
    em = res.emissions
    cap = em[(em["scenario"] == "policy") & (em["source"] == "capture")].set_index("year")
    assert cap.loc[2024, "tonnes"] == 0
    act_2025 = 1000 * 1.05 ** (5 * 0.5) * 0.4
    assert cap.loc[2025, "tonnes"] == pytest.approx(-0.5 * act_2025 * 0.5)
    # Wedges add up exactly to the gap between baseline and policy.
    w = res.wedges[res.wedges["scenario"] == "policy"].groupby("year")["reduction"].sum()
    for year in (2022, 2030):
        gap = _total(res, "baseline", "net_after_trade", year) - _total(
            res, "policy", "net_after_trade", year
        )
        assert w[year] == pytest.approx(gap)
    levers = set(res.wedges["lever"])
    assert {"reduce", "absorb"} <= levers


def test_base_year_is_current_accounts_in_every_scenario(plan_dir: Make) -> None:
    res = _run(plan_dir, _base_tables())
    t = res.totals[res.totals["year"] == 2020].set_index("scenario")
    assert t.loc["policy", "net"] == pytest.approx(t.loc["baseline", "net"])


@settings(max_examples=15, deadline=None)
@given(rate=st.floats(min_value=-0.05, max_value=0.12), share=st.floats(1.0, 99.0))
def test_a_scenario_without_measures_equals_its_parent(
    tmp_path_factory: pytest.TempPathFactory, rate: float, share: float
) -> None:
    from conftest import write_plan

    tables = _base_tables()
    tables["scenarios"].append({"scenario": "copy", "parents": "baseline"})
    tables["expressions"][1] = expr("baseline", "Key/gdp", "value", f"Growth({rate})")
    tables["expressions"][4] = expr("current", "Demand/Industry/Steel", "activity", share)
    folder = write_plan(tmp_path_factory.mktemp("p") / "plan", tables)
    res = services.simulate(folder)[1]
    a = res.totals[res.totals["scenario"] == "baseline"].reset_index(drop=True)
    b = res.totals[res.totals["scenario"] == "copy"].reset_index(drop=True)
    cols = ["final_energy", "gross", "net", "net_after_trade"]
    pd.testing.assert_frame_equal(a[cols], b[cols])


def test_inheritance_follows_leaps_look_up_order(plan_dir: Make) -> None:
    tables = {
        "drivers": [{"driver": d, "unit": "dimensionless"} for d in ("x", "y", "z")],
        "scenarios": [
            {"scenario": "p", "kind": "baseline"},
            {"scenario": "a", "parents": "p"},
            {"scenario": "b"},
            {"scenario": "c", "parents": "a, b"},
        ],
        "branches": [{"branch": "Demand/All", "kind": "activity", "unit": "t"}],
        "expressions": [
            *(expr("current", f"Key/{d}", "value", 1) for d in ("x", "y", "z")),
            expr("a", "Key/x", "value", 2),
            expr("b", "Key/x", "value", 3),
            expr("b", "Key/y", "value", 4),
            expr("p", "Key/z", "value", 5),
            expr("b", "Key/z", "value", 6),
            expr("current", "Demand/All", "activity", 1),
            expr("p", "Demand/All", "activity", "x * 100 + y * 10 + z"),
        ],
    }
    folder = plan_dir(tables)
    plan, res, _ = services.simulate(folder)
    src = res.sources[(res.sources["scenario"] == "c")].set_index("key")
    # c → a → b → (a's parent) p → Current Accounts: x from a, y from b, z from b before p.
    assert src.loc["Key/x:value", "owner"] == "a"
    assert src.loc["Key/y:value", "owner"] == "b"
    assert src.loc["Key/z:value", "owner"] == "b"
    assert src.loc["Demand/All:activity", "owner"] == "p"
    del plan


def _power_tables(dispatch: str = "merit") -> dict[str, list[dict[str, Any]]]:
    return {
        "scenarios": [{"scenario": "baseline", "kind": "baseline"}],
        "branches": [
            {"branch": "Demand/Homes", "kind": "activity", "unit": "person"},
            {
                "branch": "Supply/Power",
                "kind": "module",
                "fuel": "electricity",
                "dispatch": dispatch,
                "import_grid": "CN-South",
            },
            {"branch": "Supply/Power/Gas", "kind": "process", "fuel": "natural_gas", "order": 2},
            {"branch": "Supply/Power/PV", "kind": "process", "fuel": "solar", "order": 1},
        ],
        "expressions": [
            expr("current", "Demand/Homes", "activity", 1e6),
            expr("baseline", "Demand/Homes", "activity", "Growth(10%)"),
            expr(
                "current", "Demand/Homes", "intensity", 1000, fuel="electricity", unit="kWh/person"
            ),
            expr("current", "Supply/Power", "losses", 5),
            expr("current", "Supply/Power", "own_use", 3),
            expr("current", "Supply/Power", "reserve_margin", 20),
            expr("current", "Supply/Power", "load_factor", 50),
            expr("current", "Supply/Power/Gas", "efficiency", 50),
            expr("current", "Supply/Power/Gas", "capacity", 200, unit="MW"),
            expr("current", "Supply/Power/PV", "efficiency", 100),
            expr("current", "Supply/Power/PV", "capacity", 100, unit="MW"),
            expr("current", "Supply/Power/PV", "availability", 15),
        ],
        "additions": [
            {"process": "Supply/Power/Gas", "size": 100, "unit": "MW"},
            {"process": "Supply/Power/Gas", "size": 100, "unit": "MW"},
            {"process": "Supply/Power/Gas", "size": 200, "unit": "MW"},
        ],
    }


def test_reserve_margin_additions_and_energy_conservation(plan_dir: Make) -> None:
    res = _run(plan_dir, _power_tables())
    tf = res.transformation
    cap = res.capacity
    for year in (2020, 2025, 2030):
        demand_gj = 1e6 * 1000 * 1.1 ** (year - 2020) * 3.6e-3  # kWh → GJ
        need = demand_gj / (1 - 0.05 - 0.03)
        f = tf[tf["year"] == year]
        out = f[f["flow"] == "output"]["value"].sum()
        imports = f[f["flow"] == "imports"]["value"].sum()
        # Conservation: outputs + imports = demand + losses + own use.
        assert out + imports == pytest.approx(need)
        losses = f[f["flow"] == "losses"]["value"].sum()
        own = f[f["flow"] == "own_use"]["value"].sum()
        assert out + imports == pytest.approx(demand_gj + losses + own)
        # Inputs = outputs / efficiency.
        gas_out = f[(f["flow"] == "output") & (f["process"] == "Supply/Power/Gas")]["value"].sum()
        gas_in = f[(f["flow"] == "input") & (f["fuel"] == "natural_gas")]["value"].sum()
        assert gas_in == pytest.approx(gas_out / 0.5)
        # Peak = need / 8760 h / 50 %; capacity ≥ peak × 1.2 by the listed additions.
        peak_mw = need / 3.6 / 8760 / 0.5
        short = max(0.0, peak_mw * 1.2 - 300)
        sizes = np.cumsum([100, 100, 200])
        built = 0 if short == 0 else int(np.searchsorted(sizes, short - 1e-9) + 1)
        added = cap[(cap["year"] == year) & (cap["kind"] == "added")]["value"].sum()
        assert added == pytest.approx(float(sizes[min(built, 3) - 1]) if built else 0.0)


def test_merit_order_fills_cheapest_first_and_shortfall_is_imported(plan_dir: Make) -> None:
    tables = _power_tables()
    tables.pop("additions")
    res = _run(plan_dir, tables)
    f = res.transformation[res.transformation["year"] == 2030]
    pv = f[(f["process"] == "Supply/Power/PV") & (f["flow"] == "output")]["value"].sum()
    gas = f[(f["process"] == "Supply/Power/Gas") & (f["flow"] == "output")]["value"].sum()
    assert pv == pytest.approx(100 * 0.15 * 8760 * 3.6)  # PV first, at its availability
    assert gas == pytest.approx(200 * 8760 * 3.6)  # then gas, at full capacity
    imports = f[f["flow"] == "imports"]["value"].sum()
    assert imports > 0
    em = res.emissions
    imp = em[(em["year"] == 2030) & (em["source"] == "imports")]
    assert imp["tonnes"].sum() > 0
    assert imp["factor_ids"].iloc[0].startswith("cn-mee-grid")


def test_stock_turnover_branch(plan_dir: Make) -> None:
    tables = {
        "scenarios": [{"scenario": "baseline", "kind": "baseline"}],
        "branches": [
            {"branch": "Demand/Transport", "kind": "category", "sector": "transport"},
            {"branch": "Demand/Transport/Cars", "kind": "stock", "unit": "vehicle"},
        ],
        "expressions": [
            expr("current", "Demand/Transport/Cars", "stock", 1000),
            expr("current", "Demand/Transport/Cars", "sales", 100),
            expr("current", "Demand/Transport/Cars", "lifetime", 10),
            expr("current", "Demand/Transport/Cars", "shape", 3),
            expr("current", "Demand/Transport/Cars", "usage", 10_000, unit="km"),
            expr(
                "current",
                "Demand/Transport/Cars",
                "intensity",
                2,
                fuel="motor_gasoline",
                unit="MJ/km",
            ),
            expr(
                "baseline",
                "Demand/Transport/Cars",
                "intensity",
                "Interp(2030, 1)",
                fuel="motor_gasoline",
                unit="MJ/km",
            ),
        ],
    }
    res = _run(plan_dir, tables)
    e = res.energy.set_index("year")["value"]
    # Base year: 1000 cars × 10 000 km × 2 MJ/km = 20 000 GJ.
    assert e[2020] == pytest.approx(20_000)
    # Later years mix vintages: new cars (1 MJ/km by 2030) pull the average down, not to 1.
    assert 10_000 < e[2030] / 1.0 < 20_000 * 1.2


def test_sink_by_stock_difference(plan_dir: Make) -> None:
    tables = {
        "scenarios": [{"scenario": "baseline", "kind": "baseline"}],
        "branches": [{"branch": "Sinks/Forest", "kind": "sink"}],
        "expressions": [
            expr("current", "Sinks/Forest", "carbon_stock", 1e6, unit="t"),
            expr("baseline", "Sinks/Forest", "carbon_stock", "Growth(1%)", unit="t"),
        ],
    }
    res = _run(plan_dir, tables)
    s = res.emissions.set_index("year")["co2e"]
    # IPCC 2006 Vol. 4 Ch. 4 stock difference: CO2 = −ΔC × 44/12; ΔC(2021) = 1e6 × 1 %.
    assert s[2021] == pytest.approx(-1e4 * 44 / 12)
    assert _total(res, "baseline", "sinks", 2021) == pytest.approx(-1e4 * 44 / 12)


def test_leap_interp_example_through_a_driver(plan_dir: Make) -> None:
    # LEAP help, Interp: Interp(2000,10,2010,16,2020,30,2%) gives 13.0 in 2005, 30.6 in 2021.
    tables = {
        "drivers": [{"driver": "x", "unit": "dimensionless"}],
        "scenarios": [{"scenario": "baseline", "kind": "baseline"}],
        "branches": [{"branch": "Demand/All", "kind": "activity", "unit": "t"}],
        "expressions": [
            expr("current", "Key/x", "value", 10),
            expr("baseline", "Key/x", "value", "Interp(2000,10,2010,16,2020,30,2%)"),
            expr("current", "Demand/All", "activity", 1),
            expr("baseline", "Demand/All", "activity", "x"),
            expr("current", "Demand/All", "intensity", 1, fuel="electricity", unit="GJ/t"),
        ],
    }
    res = _run(plan_dir, tables, base_year=2000, settings={"end_year": 2021})
    e = res.energy.set_index("year")["value"]
    assert e[2005] == pytest.approx(13.0)
    assert e[2021] == pytest.approx(30.6)


def _problems(make: Make, tables: dict[str, list[dict[str, Any]]]) -> list[Any]:
    with pytest.raises(PlanValidationError) as info:
        services.simulate(make(tables))
    return list(info.value.problems)


def test_a_cycle_of_inheritance_is_located(plan_dir: Make) -> None:
    tables = _base_tables()
    tables["scenarios"] += [
        {"scenario": "x", "parents": "y"},
        {"scenario": "y", "parents": "x"},
    ]
    probs = _problems(plan_dir, tables)
    p = next(p for p in probs if "cycle" in p.expected)
    assert p.file == "scenarios.csv"
    assert p.field == "parents"
    assert p.row in (4, 5)
    assert "x → y → x" in p.expected or "y → x → y" in p.expected


def test_an_unknown_branch_in_an_expression_is_located(plan_dir: Make) -> None:
    tables = _base_tables()
    tables["expressions"].append(
        expr("policy", "Demand/Industry", "activity", "Demand\\Industri:activity * 2")
    )
    tables["expressions"].append(expr("baseline", "Demand/Nowhere", "activity", 1))
    probs = _problems(plan_dir, tables)
    rows = {(p.row, p.field) for p in probs}
    n = len(tables["expressions"]) + 1
    assert (n - 1, "expression") in rows  # the reference to an unknown branch
    assert (n, "branch") in rows  # the unknown branch itself


def test_shares_over_100_percent_are_located(plan_dir: Make) -> None:
    tables = _base_tables()
    tables["expressions"][5] = expr("current", "Demand/Industry/Other", "activity", 50)
    probs = _problems(plan_dir, tables)
    assert len(probs) == 1
    p = probs[0]
    assert p.file == "expressions.csv"
    assert p.field == "expression"
    assert "110" in p.expected
    assert "Demand/Industry" in p.expected


def test_units_are_checked(plan_dir: Make) -> None:
    tables = _base_tables()
    tables["expressions"][6]["unit"] = "GJ/m3"  # per m3, but the branch's activity is in t
    tables["expressions"][8]["unit"] = "t"
    probs = _problems(plan_dir, tables)
    fields = {(p.row, p.field) for p in probs}
    assert (8, "unit") in fields
    assert (10, "unit") in fields


def test_many_problems_reported_at_once(plan_dir: Make) -> None:
    tables = _base_tables()
    tables["branches"].append({"branch": "Demand/X", "kind": "flying"})
    tables["measures"].append({"measure": "m", "lever": "pray"})
    tables["expressions"].append(expr("nobody", "Demand/Industry", "activity", 1))
    tables["expressions"].append(expr("baseline", "Demand/Industry", "activity", "Interp(("))
    probs = _problems(plan_dir, tables)
    files = {(p.file, p.field) for p in probs}
    assert ("branches.csv", "kind") in files
    assert ("measures.csv", "lever") in files
    assert ("expressions.csv", "scenario") in files
    assert ("expressions.csv", "expression") in files


def test_capture_at_a_power_plant_is_counted_once(plan_dir: Make) -> None:
    tables = _power_tables("share")
    tables.pop("additions")
    tables["expressions"] += [
        expr("current", "Supply/Power/Gas", "share", 100),
        expr("current", "Supply/Power/PV", "share", 0),
        expr("current", "Supply/Power/Gas", "capture_rate", 90),
        expr("current", "Supply/Power/Gas", "capture_energy", 1, fuel="natural_gas", unit="GJ/t"),
    ]
    res = _run(plan_dir, tables)
    em = res.emissions[
        (res.emissions["year"] == 2020) & (res.emissions["branch"] == "Supply/Power/Gas")
    ]
    co2 = em[em["gas"] == "CO2"]
    captured = -co2[co2["source"] == "capture"]["tonnes"].sum()
    tf = res.transformation[res.transformation["year"] == 2020]
    gas_for_power = tf[(tf["flow"] == "output") & (tf["process"] == "Supply/Power/Gas")]
    fuel_gj = gas_for_power["value"].sum() / 0.5
    # IPCC 2006 Vol. 2 Table 1.3: natural gas 15.3 kg C/GJ → 56.1 kg CO2/GJ (oxidation 1).
    gross_main = fuel_gj * 15.3 * 44 / 12 / 1000
    assert captured == pytest.approx(0.9 * gross_main, rel=1e-9)
    # The penalty: 1 GJ of gas per t captured, burnt and not captured.
    penalty = captured * 1.0
    gross = co2[co2["source"] == "transformation"]["tonnes"].sum()
    assert gross == pytest.approx((fuel_gj + penalty) * 15.3 * 44 / 12 / 1000, rel=1e-9)
    t = res.totals[res.totals["year"] == 2020].iloc[0]
    assert t["captured"] == pytest.approx(-captured)
    assert t["emissions"] == pytest.approx(t["gross"] - captured)


def test_import_factor_given_only_in_a_scenario(plan_dir: Make) -> None:
    """A variable without a Current Accounts value (import_factor) may be set by a scenario
    alone; an expression that needs its base-year value then says so."""
    tables = _power_tables()
    tables.pop("additions")
    tables["expressions"].append(
        expr("baseline", "Supply/Power", "import_factor", 0.5, unit="t/MWh")
    )
    res = _run(plan_dir, tables)
    em = res.emissions[(res.emissions["source"] == "imports") & (res.emissions["year"] == 2030)]
    tf = res.transformation
    imports = tf[(tf["flow"] == "imports") & (tf["year"] == 2030)]["value"].sum()
    assert em["tonnes"].sum() == pytest.approx(imports / 3.6 * 0.5)
    tables["expressions"][-1] = expr(
        "baseline", "Supply/Power", "import_factor", "Interp(2030, 0.3)", unit="t/MWh"
    )
    probs = _problems(plan_dir, tables)
    assert probs[0].row == len(tables["expressions"]) + 1
    assert probs[0].field == "expression"
    assert "needs a Current Accounts value" in probs[0].expected


def test_monte_carlo_keeps_the_base_year_and_spreads_the_projection(plan_dir: Make) -> None:
    from neutra.simulate.results import monte_carlo

    tables = _base_tables()
    tables["uncertainty"] = [{"target": "Key/gdp", "distribution": "normal", "p1": 0.2}]
    folder = plan_dir(tables)
    plan, _res, _ = services.simulate(folder)
    library, _ = services.library_for(plan)
    assert library is not None
    model, runner, _ = services.simulation_model(plan, library)
    mc = monte_carlo(model, runner, 400, np.random.default_rng(7)).set_index(["scenario", "year"])
    base = mc.loc[("baseline", 2020)]
    assert base["net_p05"] == pytest.approx(base["net_p95"])  # the base year is observed
    late = mc.loc[("baseline", 2030)]
    assert late["net_p05"] < late["net_p50"] < late["net_p95"]
    # Common random numbers: both scenarios see the same draws, so the policy stays below.
    assert mc.loc[("policy", 2030), "net_p95"] < mc.loc[("baseline", 2030), "net_p95"]


def test_wedges_apply_the_parents_measures_first(plan_dir: Make) -> None:
    tables = _base_tables()
    tables["measures"].append({"measure": "more", "lever": "replace"})
    tables["scenarios"].append({"scenario": "enhanced", "parents": "policy", "measures": "more"})
    tables["expressions"].append(
        {
            "measure": "more",
            "branch": "Demand/Industry/Steel",
            "variable": "intensity",
            "fuel": "coke_oven_coke",
            "expression": "Inherited * 0.5",
            "unit": "GJ/t",
        }
    )
    res = _run(plan_dir, tables)
    w = res.wedges[res.wedges["scenario"] == "enhanced"]
    assert list(dict.fromkeys(w["measure"])) == ["other", "eff", "ccs", "more"]
    pol = res.wedges[(res.wedges["scenario"] == "policy") & (res.wedges["year"] == 2030)]
    enh = w[w["year"] == 2030].set_index("measure")["reduction"]
    # The parent's measures save the same on the way to the enhanced scenario as in the policy.
    assert enh["eff"] == pytest.approx(pol.set_index("measure").loc["eff", "reduction"])
