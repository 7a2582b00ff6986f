"""Policy behaviour of the OSeMOSYS formulation: emission caps and their shadow prices on UTOPIA,
properties of a tiny model under random data, and the diagnosis of infeasible models.

UTOPIA (tests/optimize/data/utopia.txt) without limits: objective 29446.86269 and model-period
CO2 163.516797 (glpsol with the OSeMOSYS reference model; see test_utopia.py). The tiny model is
tests/optimize/data/tiny/two_technologies.txt (its header describes it).
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from neutra.optimize.data import PARAMS, ModelData, read_mathprog
from neutra.optimize.osemosys import build
from neutra.optimize.solve import OptimizeResult, solve

DATA = Path(__file__).parent / "data"
UNCONSTRAINED = 29446.86269  # UTOPIA's objective (test_utopia.py, glpsol reference)
CO2 = 163.516797  # UTOPIA's model-period CO2 without limits (same source)
LEVELS = (1.1, 1.0, 0.9, 0.8, 0.7)  # ModelPeriodEmissionLimit as a share of CO2


def with_values(data: ModelData, **values: Mapping[tuple[Any, ...], float]) -> ModelData:
    """A copy of ``data`` whose parameters take the given values (index tuples in the order of
    the parameter's sets, ``PARAMS[name].dims``); the other values are kept."""
    params = dict(data.params)
    for name, entries in values.items():
        dims = PARAMS[name].dims
        keys = list(entries)
        index = (
            pd.MultiIndex.from_tuples(keys, names=list(dims))
            if len(dims) > 1
            else pd.Index([k[0] for k in keys], name=dims[0])
        )
        new = pd.Series([float(v) for v in entries.values()], index=index, name=name)
        old = params[name]
        params[name] = pd.concat([old[~old.index.isin(index)], new]) if len(old) else new
    return dataclasses.replace(data, params=params)


def run(data: ModelData) -> OptimizeResult:
    return solve(build(data))


# ---- UTOPIA: a model-period CO2 budget (E9) at several levels ----------------------------------


@pytest.fixture(scope="module")
def utopia() -> ModelData:
    return read_mathprog(DATA / "utopia.txt")


@pytest.fixture(scope="module")
def budgets(utopia: ModelData) -> dict[float, OptimizeResult]:
    """UTOPIA solved with ModelPeriodEmissionLimit[UTOPIA, CO2] = share × 163.516797."""
    return {
        share: run(with_values(utopia, ModelPeriodEmissionLimit={("UTOPIA", "CO2"): share * CO2}))
        for share in LEVELS
    }


def objective(result: OptimizeResult) -> float:
    assert result.termination == "optimal", result.diagnosis
    assert result.objective is not None
    return result.objective


def budget_price(result: OptimizeResult) -> float:
    prices = result.tables["EmissionShadowPrice"]
    row = prices[
        (prices["constraint"] == "E9_ModelPeriodEmissionsLimit") & (prices["EMISSION"] == "CO2")
    ]
    assert len(row) == 1
    # E9 has no year: its price is the dual itself (in money of the first year)
    assert row["carbon_price"].iloc[0] == row["dual_discounted"].iloc[0]
    return float(row["carbon_price"].iloc[0])


def test_tightening_the_budget_never_lowers_the_objective(
    budgets: dict[float, OptimizeResult],
) -> None:
    values = [objective(budgets[share]) for share in LEVELS]  # loosest first
    for looser, tighter in itertools.pairwise(values):
        assert tighter >= looser * (1 - 1e-9)
    # A budget at or above the unconstrained emissions costs nothing.
    assert values[0] == pytest.approx(UNCONSTRAINED, rel=1e-6)
    assert values[1] == pytest.approx(UNCONSTRAINED, rel=1e-6)
    # Below it, every 10 % costs something.
    assert values[2] > UNCONSTRAINED * (1 + 1e-6)
    assert values[4] > values[3] > values[2]


def test_a_binding_budget_is_met_exactly(budgets: dict[float, OptimizeResult]) -> None:
    assert budgets[1.1].emissions["CO2"] == pytest.approx(CO2, rel=1e-6)  # slack: 16.35 t left
    for share in (1.0, 0.9, 0.8, 0.7):
        assert budgets[share].emissions["CO2"] == pytest.approx(share * CO2, rel=1e-6)


def test_budget_shadow_price_is_zero_when_slack_and_positive_when_binding(
    budgets: dict[float, OptimizeResult],
) -> None:
    assert budget_price(budgets[1.1]) == pytest.approx(0.0, abs=1e-9)
    prices = {share: budget_price(budgets[share]) for share in (0.9, 0.8, 0.7)}
    assert all(p > 1e-6 for p in prices.values())
    # The optimal cost V(b) of an LP is convex in the right-hand side b, and the price is −V'(b):
    # it cannot fall as the budget tightens, and between two budgets b1 > b2
    #   price(b1) × (b1 − b2) <= V(b2) − V(b1) <= price(b2) × (b1 − b2).
    assert prices[0.9] <= prices[0.8] * (1 + 1e-6)
    assert prices[0.8] <= prices[0.7] * (1 + 1e-6)
    for b1, b2 in ((0.9, 0.8), (0.8, 0.7)):
        step = (b1 - b2) * CO2
        extra = objective(budgets[b2]) - objective(budgets[b1])
        assert prices[b1] * step <= extra * (1 + 1e-6)
        assert extra <= prices[b2] * step * (1 + 1e-6)


def test_annual_limit_path_prices_each_binding_year(
    utopia: ModelData, budgets: dict[float, OptimizeResult]
) -> None:
    # E8: from 2000 on, CO2 each year at most 80 % of what UTOPIA emits without limits.
    free = budgets[1.1].tables["AnnualEmissions"]
    free = free[free["EMISSION"] == "CO2"].set_index("YEAR")["value"]
    limits = {year: 0.8 * float(free[year]) for year in free.index if year >= 2000}
    res = run(
        with_values(
            utopia, AnnualEmissionLimit={("UTOPIA", "CO2", y): v for y, v in limits.items()}
        )
    )
    assert objective(res) > UNCONSTRAINED * (1 + 1e-6)
    got = res.tables["AnnualEmissions"]
    got = got[got["EMISSION"] == "CO2"].set_index("YEAR")["value"]
    prices = res.tables["EmissionShadowPrice"]
    assert set(prices["constraint"]) == {"E8_AnnualEmissionsLimit"}
    prices = prices.set_index("YEAR")
    assert sorted(prices.index) == sorted(limits)  # a price for each limited year only
    for year, limit in limits.items():
        assert got[year] <= limit * (1 + 1e-6)
        price = prices.loc[year]
        # Complementary slackness: a positive price only on a binding limit.
        if price["carbon_price"] > 1e-9:
            assert got[year] == pytest.approx(limit, rel=1e-6)
        # carbon_price = the dual × DiscountFactorMid = dual × 1.05^(y − 1990 + 0.5)
        assert price["carbon_price"] == pytest.approx(
            price["dual_discounted"] * 1.05 ** (year - 1990 + 0.5), rel=1e-9
        )
    # A 20 % cut binds in every limited year here, each at a positive price.
    assert all(got[y] == pytest.approx(v, rel=1e-6) for y, v in limits.items())
    assert (prices["carbon_price"] > 1e-6).all()


# ---- the tiny model under random data ----------------------------------------------------------


@pytest.fixture(scope="module")
def tiny() -> ModelData:
    return read_mathprog(DATA / "tiny" / "two_technologies.txt")


YEARS = (2020, 2021)
TECHS = ("CLEAN", "DIRTY")
CAU = 31.536  # CapacityToActivityUnit of both technologies (in the data file)
EAR = {"CLEAN": 0.0, "DIRTY": 1.0}  # EmissionActivityRatio, t per PJ (in the data file)

amount = st.floats(min_value=1.0, max_value=100.0, allow_subnormal=False).map(lambda x: round(x, 3))
# CapitalCost at least 1: a PJ never costs nothing, so no technology makes more than the demand.
price = st.floats(min_value=1.0, max_value=2000.0, allow_subnormal=False).map(lambda x: round(x, 3))
running = st.floats(min_value=0.0, max_value=50.0, allow_subnormal=False).map(lambda x: round(x, 3))


# Each example builds and solves a model (about 1.5 s, mostly linopy's build); shrinking a
# failure would take minutes, so it is skipped: a failure reports the example as drawn.
@settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
@given(
    demand=st.tuples(amount, amount),
    capital=st.tuples(price, price),
    variable=st.tuples(running, running),
    penalty=st.floats(min_value=0.0, max_value=20.0).map(lambda x: round(x, 3)),
    rate=st.sampled_from([0.0, 0.03, 0.05, 0.1]),
    scale=st.sampled_from([1.0, 0.5, 3.0]),
    limits=st.booleans(),
)
def test_objective_is_the_hand_formula(
    tiny: ModelData,
    demand: tuple[float, float],
    capital: tuple[float, float],
    variable: tuple[float, float],
    penalty: float,
    rate: float,
    scale: float,
    limits: bool,
) -> None:
    # Every cost is multiplied by `scale`; with `limits`, limits that cannot bind are added.
    values: dict[str, dict[tuple[Any, ...], float]] = {
        "DiscountRate": {("R",): rate},
        "SpecifiedAnnualDemand": {("R", "ELC", y): d for y, d in zip(YEARS, demand, strict=True)},
        "CapitalCost": {
            ("R", t, y): scale * c for t, c in zip(TECHS, capital, strict=True) for y in YEARS
        },
        "VariableCost": {
            ("R", t, 1, y): scale * v for t, v in zip(TECHS, variable, strict=True) for y in YEARS
        },
        "EmissionsPenalty": {("R", "CO2", y): scale * penalty for y in YEARS},
    }
    if limits:
        # Each technology could serve twice the demand; the emission limit allows DIRTY to.
        values["TotalAnnualMaxCapacity"] = {
            ("R", t, y): 2 * d / CAU for t in TECHS for y, d in zip(YEARS, demand, strict=True)
        }
        values["TotalTechnologyAnnualActivityUpperLimit"] = {
            ("R", t, y): 2 * d for t in TECHS for y, d in zip(YEARS, demand, strict=True)
        }
        values["AnnualEmissionLimit"] = {
            ("R", "CO2", y): 2 * d for y, d in zip(YEARS, demand, strict=True)
        }
        values["ModelPeriodEmissionLimit"] = {("R", "CO2"): 2 * sum(demand)}
    res = run(with_values(tiny, **values))
    # By hand: OperationalLife 1, so capacity built in year y serves y only and is never
    # salvaged, and CapitalRecoveryFactor × PvAnnuity = 1. A PJ from technology t in year y
    # costs CapitalCost / CapacityToActivityUnit / DiscountFactor[y]
    #   + (VariableCost + EmissionActivityRatio × EmissionsPenalty) / DiscountFactorMid[y],
    # DiscountFactor[y] = (1 + rate)^(y − 2020), DiscountFactorMid[y] = (1 + rate)^(y − 2020 + ½);
    # the cheaper technology serves the whole demand of the year.
    expected = 0.0
    for k, year in enumerate(YEARS):
        per_pj = [
            scale * capital[i] / CAU / (1 + rate) ** k
            + scale * (variable[i] + EAR[t] * penalty) / (1 + rate) ** (k + 0.5)
            for i, t in enumerate(TECHS)
        ]
        expected += demand[k] * min(per_pj)
        activity = res.tables["TotalTechnologyAnnualActivity"]
        assert activity[activity["YEAR"] == year]["value"].sum() == pytest.approx(
            demand[k], rel=1e-6
        )
    assert objective(res) == pytest.approx(expected, rel=1e-6, abs=1e-6)


# ---- infeasible models: the diagnosis names the equation, the indices and the values -----------


def test_tiny_model_whose_demand_exceeds_its_capacity_limits(tiny: ModelData) -> None:
    # 0.1 GW of each technology makes at most 2 × 0.1 × 31.536 = 6.31 PJ < the 10 PJ of 2020.
    res = run(
        with_values(
            tiny, TotalAnnualMaxCapacity={("R", "CLEAN", 2020): 0.1, ("R", "DIRTY", 2020): 0.1}
        )
    )
    assert res.termination == "infeasible"
    assert res.objective is None
    assert "infeasible" in res.diagnosis[0]
    lines = res.diagnosis[1:]
    # The irreducible subsystem: the 2020 balance, and both technologies' capacity and limit.
    assert len(lines) == 5
    for tech in TECHS:
        assert (
            f"TCC1_TotalAnnualMaxCapacityConstraint [REGION R, TECHNOLOGY {tech}, YEAR 2020]: "
            "TotalAnnualMaxCapacity = 0.1; ResidualCapacity = 0"
        ) in lines
        assert any(
            line.startswith("CAa4_Constraint_Capacity")
            and f"TECHNOLOGY {tech}" in line
            and "YEAR 2020" in line
            and "CapacityToActivityUnit = 31.536" in line
            for line in lines
        )
    balance = [line for line in lines if line.startswith("EBa11_EnergyBalanceEachTS5")]
    assert len(balance) == 1
    assert "YEAR 2020" in balance[0]
    assert "FUEL ELC" in balance[0]
    assert "SpecifiedAnnualDemand = 10" in balance[0]


def test_utopia_without_room_for_electricity_in_2005(utopia: ModelData) -> None:
    plants = ("E01", "E21", "E31", "E51", "E70")
    res = run(
        with_values(utopia, TotalAnnualMaxCapacity={("UTOPIA", t, 2005): 0.01 for t in plants})
    )
    assert res.termination == "infeasible"
    lines = [line for line in res.diagnosis if line.startswith("TCC1_")]
    assert lines, res.diagnosis
    # E01, E31, E51 and E70 have more ResidualCapacity in 2005 (0.2, 0.1, 0.5, 0.28 GW) than
    # the 0.01 GW allowed: TCC1 alone cannot hold for any of them.
    residual = {"E01": 0.2, "E31": 0.1, "E51": 0.5, "E70": 0.28}
    for line in lines:
        assert line.startswith("TCC1_TotalAnnualMaxCapacityConstraint [REGION UTOPIA, TECHNOLOGY ")
        tech = line.split("TECHNOLOGY ")[1].split(",")[0]
        assert tech in residual
        assert "YEAR 2005" in line
        assert line.endswith(
            f"TotalAnnualMaxCapacity = 0.01; ResidualCapacity = {residual[tech]:g}"
        )
