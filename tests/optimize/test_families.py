"""Hand-checked tiny OSeMOSYS models, one family of constraints at a time (neutra.optimize).

Each model is written as GNU MathProg data (``render``), read back with ``read_mathprog``, built
and solved; the expected objective, capacities and activities are worked out by hand in the
comments, from the equations of the OSeMOSYS reference model (OSeMOSYS_GNU_MathProg,
``src/osemosys.txt``), whose names are quoted (CAa4_Constraint_Capacity, SV1_…, E8_…).

Conventions of the tiny models unless a test says otherwise: region R, fuel ELC, mode 1, one
time slice ALL (YearSplit 1), year 2020, DiscountRate 0 (so DiscountFactor = DiscountFactorMid =
1 and CapitalRecoveryFactor × PvAnnuity = 1), CapacityToActivityUnit 1, OperationalLife 1
(the default), demand 10 PJ. Set members are listed in sorted order (see
``test_set_order_is_kept_in_results`` for why).

Costs are "per GW" of capacity and "per PJ" of activity; with CapacityToActivityUnit 1 a GW of
capacity runs 1 PJ a year.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Mapping
from itertools import count
from pathlib import Path
from typing import Any

import linopy
import pytest

from neutra.optimize.data import read_mathprog
from neutra.optimize.osemosys import build
from neutra.optimize.solve import OptimizeResult, solve

R = "R"
Y = 2020
Key = tuple[Any, ...]
Params = dict[str, dict[Key, float]]
Sets = dict[str, list[Any]]


def render(sets: Mapping[str, Iterable[Any]], params: Mapping[str, Mapping[Key, float]]) -> str:
    """GNU MathProg data: ``set S := a b;`` and ``param P := k1 … kn v`` (plain data records).

    Parameters not given take the defaults of ``neutra.optimize.data.PARAMS`` (otoole's)."""
    lines = ["data;"]
    for name, members in sets.items():
        lines.append(f"set {name} := {' '.join(str(m) for m in members)};")
    for name, values in params.items():
        lines.append(f"param {name} :=")
        lines.extend(
            " ".join([*(str(k) for k in key), repr(float(v))]) for key, v in values.items()
        )
        lines.append(";")
    lines.append("end;")
    return "\n".join(lines) + "\n"


def tiny(
    techs: Iterable[str] = ("GEN",),
    years: Iterable[int] = (Y,),
    slices: Mapping[str, float] | None = None,
    demand: float = 10.0,
) -> tuple[Sets, Params]:
    """One region, one fuel (ELC) produced 1:1 by every technology in mode 1, a flat demand
    profile (SpecifiedDemandProfile = YearSplit), DiscountRate 0, CapacityToActivityUnit 1."""
    techs, years = list(techs), list(years)
    slices = dict(slices or {"ALL": 1.0})
    sets: Sets = {
        "REGION": [R],
        "TECHNOLOGY": techs,
        "FUEL": ["ELC"],
        "EMISSION": ["CO2"],
        "MODE_OF_OPERATION": [1],
        "TIMESLICE": list(slices),
        "YEAR": years,
    }
    params: Params = {
        "YearSplit": {(ts, y): share for ts, share in slices.items() for y in years},
        "DiscountRate": {(R,): 0.0},
        "CapacityToActivityUnit": {(R, t): 1.0 for t in techs},
        "OutputActivityRatio": {(R, t, "ELC", 1, y): 1.0 for t in techs for y in years},
        "SpecifiedAnnualDemand": {(R, "ELC", y): demand for y in years},
        "SpecifiedDemandProfile": {
            (R, "ELC", ts, y): share for ts, share in slices.items() for y in years
        },
    }
    return sets, params


Run = Callable[[Sets, Params], OptimizeResult]


@pytest.fixture
def run(tmp_path: Path) -> Run:
    """Write the model as MathProg, read it, build and solve it."""
    numbers = count()

    def _run(sets: Sets, params: Params) -> OptimizeResult:
        path = tmp_path / f"model{next(numbers)}.txt"
        path.write_text(render(sets, params), encoding="utf-8")
        return solve(build(read_mathprog(path)))

    return _run


def value(result: OptimizeResult, table: str, **where: Any) -> float:
    """The sum of ``value`` over the rows of a result table matching ``where`` (tables drop
    zero rows, so no row is 0)."""
    frame = result.tables[table]
    for column, wanted in where.items():
        frame = frame[frame[column] == wanted]
    return float(frame["value"].sum())


def optimal(result: OptimizeResult) -> float:
    assert result.termination == "optimal", result.diagnosis
    assert result.objective is not None
    return result.objective


# ---- energy balance: EBa11 (each time slice) and EBb4 (each year) -------------------------------


def test_specified_demand_profile_sizes_capacity_for_the_peak_slice(run: Run) -> None:
    # DAY is a quarter of the year, NIGHT three quarters; half the 10 PJ falls in each.
    sets, params = tiny(slices={"DAY": 0.25, "NIGHT": 0.75})
    params["SpecifiedDemandProfile"] = {(R, "ELC", "DAY", Y): 0.5, (R, "ELC", "NIGHT", Y): 0.5}
    params["CapitalCost"] = {(R, "GEN", Y): 1000.0}
    res = run(sets, params)
    # EBa11: RateOfActivity[l] × YearSplit[l] >= SpecifiedAnnualDemand × Profile[l]
    #   DAY:   rate >= 10 × 0.5 / 0.25 = 20 PJ/yr;  NIGHT: rate >= 10 × 0.5 / 0.75 = 6.667
    # CAa4: rate <= capacity × CapacityFactor 1 × CapacityToActivityUnit 1 → capacity 20 GW
    assert value(res, "TotalCapacityAnnual", TECHNOLOGY="GEN") == pytest.approx(20.0, rel=1e-9)
    rate = res.tables["RateOfActivity"].set_index("TIMESLICE")["value"]
    assert rate["DAY"] == pytest.approx(20.0, rel=1e-9)
    assert rate["NIGHT"] == pytest.approx(10 * 0.5 / 0.75, rel=1e-9)
    # annual activity 20 × 0.25 + 6.667 × 0.75 = 10 PJ
    assert value(res, "TotalTechnologyAnnualActivity") == pytest.approx(10.0, rel=1e-9)
    assert optimal(res) == pytest.approx(20_000.0, rel=1e-9)  # 20 GW × 1000


def test_accumulated_annual_demand_binds_only_the_year(run: Run) -> None:
    sets, params = tiny(slices={"DAY": 0.25, "NIGHT": 0.75})
    del params["SpecifiedAnnualDemand"], params["SpecifiedDemandProfile"]
    params["AccumulatedAnnualDemand"] = {(R, "ELC", Y): 10.0}
    params["CapitalCost"] = {(R, "GEN", Y): 1000.0}
    res = run(sets, params)
    # EBb4: Σ_l rate[l] × YearSplit[l] >= 10 with rate[l] <= capacity (CAa4), so a flat
    # rate of 10 is enough: capacity 10 GW (not the 20 GW of the profile above).
    assert value(res, "TotalCapacityAnnual", TECHNOLOGY="GEN") == pytest.approx(10.0, rel=1e-9)
    assert value(res, "TotalTechnologyAnnualActivity") == pytest.approx(10.0, rel=1e-9)
    assert optimal(res) == pytest.approx(10_000.0, rel=1e-9)


def test_fuel_that_no_technology_produces_has_no_balance(run: Run) -> None:
    # The reference model defines Production[r,l,f,y] only through EBa7, which is generated
    # where some OutputActivityRatio is non-zero; elsewhere Production is a free variable and
    # EBa11/EBb4 bind nothing (module docstring of neutra.optimize.osemosys). A demand for a
    # fuel nobody produces therefore costs nothing.
    sets, params = tiny()
    sets["FUEL"] = ["ELC", "HEAT"]
    params["SpecifiedAnnualDemand"][(R, "HEAT", Y)] = 5.0
    params["SpecifiedDemandProfile"][(R, "HEAT", "ALL", Y)] = 1.0
    params["CapitalCost"] = {(R, "GEN", Y): 1000.0}
    res = run(sets, params)
    assert optimal(res) == pytest.approx(10_000.0, rel=1e-9)  # ELC only: 10 GW × 1000


# ---- capacity adequacy: CAa4 and CAb1 ----------------------------------------------------------


def test_capacity_factor_and_capacity_to_activity_unit(run: Run) -> None:
    sets, params = tiny()
    params["CapacityToActivityUnit"] = {(R, "GEN"): 31.536}  # PJ per GW-year
    params["CapacityFactor"] = {(R, "GEN", "ALL", Y): 0.5}
    params["CapitalCost"] = {(R, "GEN", Y): 1000.0}
    res = run(sets, params)
    # CAa4: 10 PJ <= capacity × 0.5 × 31.536 → capacity = 10 / 15.768 = 0.634196 GW
    cap = value(res, "TotalCapacityAnnual", TECHNOLOGY="GEN")
    assert cap == pytest.approx(0.6341958396752917, rel=1e-9)
    assert optimal(res) == pytest.approx(634.1958396752917, rel=1e-9)  # × 1000 per GW


@pytest.mark.parametrize(
    ("availability", "capacity"),
    [
        # CAb1: annual activity 10 <= capacity × Σ_l CF × YearSplit (= 1) × AF × CAU (1)
        #   AF 0.8 → capacity >= 10 / 0.8 = 12.5, above the peak bound of CAa4 (12): CAb1 binds
        (0.8, 12.5),
        #   AF 0.9 → capacity >= 10 / 0.9 = 11.11, below the peak (12): CAa4 binds
        (0.9, 12.0),
    ],
)
def test_availability_factor_bounds_the_annual_average(
    run: Run, availability: float, capacity: float
) -> None:
    # Two half-year slices with 60 % of the 10 PJ in DAY: peak rate 10 × 0.6 / 0.5 = 12 PJ/yr.
    sets, params = tiny(slices={"DAY": 0.5, "NIGHT": 0.5})
    params["SpecifiedDemandProfile"] = {(R, "ELC", "DAY", Y): 0.6, (R, "ELC", "NIGHT", Y): 0.4}
    params["AvailabilityFactor"] = {(R, "GEN", Y): availability}
    params["CapitalCost"] = {(R, "GEN", Y): 1000.0}
    res = run(sets, params)
    assert value(res, "TotalCapacityAnnual", TECHNOLOGY="GEN") == pytest.approx(capacity, rel=1e-9)
    assert optimal(res) == pytest.approx(1000.0 * capacity, rel=1e-9)


# ---- operational life and residual capacity: CAa1, CAa2 (and SV2 at DiscountRate 0) -----------


@pytest.mark.parametrize(
    ("life", "new_2020", "new_2022", "objective"),
    [
        # Life 2: NewCapacity[2020] serves 2020 and 2021 and retires before 2022 (CAa1:
        # y − yy < OperationalLife). Residual 4, 4, 0 GW; demand 10 GW each year:
        #   2020: 4 + N20 >= 10 → N20 = 6;  2021: 4 + N20 + N21 >= 10 → N21 = 0
        #   2022: N21 + N22 >= 10 → N22 = 10 (N20 is retired)
        # N22 lives past 2022: SV2 (DiscountRate 0) salvages 1 − (2022 − 2022 + 1)/2 = 1/2
        #   cost 6 × 1000 + 10 × 1000 × (1 − 1/2) = 6000 + 5000 = 11000
        # (building N21 = 10 instead would cost 6000 + 10000: no salvage since 2021 + 2 − 1
        # <= 2022.)
        (2, 6.0, 10.0, 11_000.0),
        # Life 3: N20 still serves 2022, so 2022 needs only 10 − 6 = 4 more.
        #   N21 would be salvaged 1 − 2/3 = 1/3 (cost 666.67/GW), N22 salvaged 1 − 1/3 = 2/3
        #   (cost 333.33/GW): N22 = 4 → 6000 + 4 × 333.333 = 7333.33
        (3, 6.0, 4.0, 7333.333333333333),
    ],
)
def test_operational_life_and_residual_capacity(
    run: Run, life: int, new_2020: float, new_2022: float, objective: float
) -> None:
    years = (2020, 2021, 2022)
    sets, params = tiny(years=years)
    params["OperationalLife"] = {(R, "GEN"): life}
    params["ResidualCapacity"] = {(R, "GEN", 2020): 4.0, (R, "GEN", 2021): 4.0}
    params["CapitalCost"] = {(R, "GEN", y): 1000.0 for y in years}
    res = run(sets, params)
    assert value(res, "NewCapacity", YEAR=2020) == pytest.approx(new_2020, rel=1e-9)
    assert value(res, "NewCapacity", YEAR=2021) == pytest.approx(0.0, abs=1e-9)
    assert value(res, "NewCapacity", YEAR=2022) == pytest.approx(new_2022, rel=1e-9)
    for y in years:  # CAa2: accumulated new + residual = 10 GW, just the demand
        assert value(res, "TotalCapacityAnnual", YEAR=y) == pytest.approx(10.0, rel=1e-9)
    assert optimal(res) == pytest.approx(objective, rel=1e-9)


# ---- capital cost, discounting and salvage value: CC1, CC2, SV1–SV4 -----------------------------


@pytest.mark.parametrize(
    ("method", "rate", "salvage", "objective"),
    [
        # Demand 10 GW in 2021 only, OperationalLife 3, CapitalCost 1000/GW, years 2020–2021.
        # CC2: DiscountFactor[2021] = 1.05^(2021 − 2020) = 1.05 → 10000 / 1.05 = 9523.8095
        # SV1 (DepreciationMethod 1, DiscountRate > 0): 2021 + 3 − 1 > 2021, salvage fraction
        #   1 − (1.05^(2021 − 2021 + 1) − 1) / (1.05^3 − 1) = 1 − 0.05 / 0.157625 = 0.6827914
        # SV4: discounted by 1.05^(1 + 2021 − 2020) = 1.1025 → 6827.914 / 1.1025 = 6193.1196
        (1, 0.05, 6193.119595181451, 9523.809523809523 - 6193.119595181451),
        # SV2 (DepreciationMethod 2): fraction 1 − (2021 − 2021 + 1)/3 = 2/3
        #   6666.667 / 1.1025 = 6046.8632
        (2, 0.05, 6046.863189720332, 9523.809523809523 - 6046.863189720332),
        # SV2 also for DepreciationMethod 1 at DiscountRate 0: 10000 × 2/3, no discounting
        (1, 0.0, 6666.666666666667, 10_000.0 - 6666.666666666667),
    ],
)
def test_capital_cost_discounting_and_salvage_value(
    run: Run, method: int, rate: float, salvage: float, objective: float
) -> None:
    years = (2020, 2021)
    sets, params = tiny(years=years)
    params["SpecifiedAnnualDemand"] = {(R, "ELC", 2021): 10.0}
    params["DiscountRate"] = {(R,): rate}
    params["DepreciationMethod"] = {(R,): method}
    params["OperationalLife"] = {(R, "GEN"): 3}
    params["CapitalCost"] = {(R, "GEN", y): 1000.0 for y in years}
    res = run(sets, params)
    # Building in 2021 beats 2020: in 2020 the salvage is smaller (two of three years used
    # in the horizon) and the investment is not discounted.
    assert value(res, "NewCapacity", YEAR=2021) == pytest.approx(10.0, rel=1e-9)
    assert value(res, "NewCapacity", YEAR=2020) == pytest.approx(0.0, abs=1e-9)
    assert value(res, "DiscountedSalvageValue") == pytest.approx(salvage, rel=1e-9)
    assert optimal(res) == pytest.approx(objective, rel=1e-9)


def test_no_salvage_within_the_horizon(run: Run) -> None:
    # SV3: OperationalLife 1 ends within the horizon (2021 + 1 − 1 <= 2021): salvage 0; the
    # objective is just CC2: 10 GW × 1000 / 1.05 = 9523.8095.
    years = (2020, 2021)
    sets, params = tiny(years=years)
    params["SpecifiedAnnualDemand"] = {(R, "ELC", 2021): 10.0}
    params["DiscountRate"] = {(R,): 0.05}
    params["CapitalCost"] = {(R, "GEN", y): 1000.0 for y in years}
    res = run(sets, params)
    assert "DiscountedSalvageValue" not in res.tables or res.tables["DiscountedSalvageValue"].empty
    assert optimal(res) == pytest.approx(9523.809523809523, rel=1e-9)


def test_technology_discount_rate_enters_the_capital_recovery_factor(run: Run) -> None:
    sets, params = tiny()
    params["DiscountRate"] = {(R,): 0.05}
    params["DiscountRateIdv"] = {(R, "GEN"): 0.10}
    params["OperationalLife"] = {(R, "GEN"): 3}
    params["CapitalCost"] = {(R, "GEN", Y): 1000.0}
    res = run(sets, params)
    # CapitalRecoveryFactor = (1 − 1.1^−1) / (1 − 1.1^−3) = 0.0909091 / 0.2486852 = 0.3655589
    # PvAnnuity = (1 − 1.05^−3) × 1.05 / 0.05 = 0.1361624 × 21 = 2.8594104
    # CC1: 10 GW × 1000 × 0.3655589 × 2.8594104 = 10452.8297 (DiscountFactor[2020] = 1)
    invest = 10452.829671647107
    assert value(res, "CapitalInvestment") == pytest.approx(invest, rel=1e-9)
    # SV1 with DiscountRate 0.05: fraction 1 − 0.05 / (1.05^3 − 1) = 0.6827914, SV4 / 1.05
    #   10452.8297 × 0.6827914 / 1.05 = 6797.2405
    assert value(res, "DiscountedSalvageValue") == pytest.approx(6797.240547780038, rel=1e-9)
    assert optimal(res) == pytest.approx(invest - 6797.240547780038, rel=1e-9)  # 3655.5891


# ---- operating costs: OC1–OC4 ------------------------------------------------------------------


def test_fixed_and_variable_costs_use_mid_year_discounting(run: Run) -> None:
    years = (2020, 2021)
    sets, params = tiny(years=years)
    params["DiscountRate"] = {(R,): 0.05}
    params["OperationalLife"] = {(R, "GEN"): 2}
    params["ResidualCapacity"] = {(R, "GEN", y): 4.0 for y in years}
    params["FixedCost"] = {(R, "GEN", y): 10.0 for y in years}
    params["VariableCost"] = {(R, "GEN", 1, y): 2.0 for y in years}
    res = run(sets, params)
    # Capacity 10 GW each year (4 residual + 6 new in 2020, alive in 2021; no capital cost).
    # OC1–OC3: per year 10 GW × 10 fixed + 10 PJ × 2 variable = 120
    # OC4: DiscountFactorMid = 1.05^0.5 = 1.0246951 (2020), 1.05^1.5 = 1.0759298 (2021)
    #   120 × (0.9759001 + 0.9294286) = 228.6394
    assert optimal(res) == pytest.approx(228.63944566222776, rel=1e-9)
    # The fixed cost of the residual 4 GW is the objective's constant:
    #   4 × 10 × (0.9759001 + 0.9294286) = 76.2131
    assert res.constant == pytest.approx(76.21314855407591, rel=1e-9)
    cost = res.tables["DiscountedOperatingCost"].set_index("YEAR")["value"]
    assert cost[2020] == pytest.approx(120 / 1.05**0.5, rel=1e-9)  # 117.1080
    assert cost[2021] == pytest.approx(120 / 1.05**1.5, rel=1e-9)  # 111.5314


# ---- capacity limits: TCC1, TCC2, NCC1, NCC2 ---------------------------------------------------

# CHEAP costs 1000/GW with 1 GW residual, DEAR 2000/GW with 2 GW residual; demand 10 GW.
# Unlimited: DEAR's residual 2 runs, CHEAP builds 10 − 2 − 1 = 7 → 7000.


@pytest.mark.parametrize(
    ("limit", "new_cheap", "new_dear", "objective"),
    [
        (None, 7.0, 0.0, 7000.0),
        # TCC1: CHEAP total <= 5 → builds 4; DEAR 10 − 5 − 2 = 3 → 4000 + 6000
        (("TotalAnnualMaxCapacity", "CHEAP", 5.0), 4.0, 3.0, 10_000.0),
        # TCC2: DEAR total >= 3 → builds 1; CHEAP 10 − 3 − 1 = 6 → 6000 + 2000
        (("TotalAnnualMinCapacity", "DEAR", 3.0), 6.0, 1.0, 8000.0),
        # NCC1: CHEAP new <= 5 (total 6); DEAR 10 − 6 − 2 = 2 → 5000 + 4000
        (("TotalAnnualMaxCapacityInvestment", "CHEAP", 5.0), 5.0, 2.0, 9000.0),
        # NCC2: DEAR new >= 3 (total 5); CHEAP 10 − 5 − 1 = 4 → 4000 + 6000
        (("TotalAnnualMinCapacityInvestment", "DEAR", 3.0), 4.0, 3.0, 10_000.0),
    ],
    ids=["none", "TCC1", "TCC2", "NCC1", "NCC2"],
)
def test_capacity_limits(
    run: Run,
    limit: tuple[str, str, float] | None,
    new_cheap: float,
    new_dear: float,
    objective: float,
) -> None:
    sets, params = tiny(techs=("CHEAP", "DEAR"))
    params["CapitalCost"] = {(R, "CHEAP", Y): 1000.0, (R, "DEAR", Y): 2000.0}
    params["ResidualCapacity"] = {(R, "CHEAP", Y): 1.0, (R, "DEAR", Y): 2.0}
    if limit is not None:
        name, tech, level = limit
        params[name] = {(R, tech, Y): level}
    res = run(sets, params)
    assert value(res, "NewCapacity", TECHNOLOGY="CHEAP") == pytest.approx(new_cheap, abs=1e-9)
    assert value(res, "NewCapacity", TECHNOLOGY="DEAR") == pytest.approx(new_dear, abs=1e-9)
    assert optimal(res) == pytest.approx(objective, rel=1e-9)


# ---- activity limits: AAC2, AAC3, TAC2, TAC3 ---------------------------------------------------

# CHEAP runs at 1/PJ, DEAR at 3/PJ, no capital cost, demand 10 PJ in 2020 and in 2021.
# Unlimited: CHEAP serves all 20 PJ → 20.


@pytest.mark.parametrize(
    ("limit", "cheap", "dear", "objective"),
    [
        (None, {2020: 10.0, 2021: 10.0}, {}, 20.0),
        # AAC2: CHEAP <= 4 PJ in 2020 → DEAR 6: 2020 costs 4 + 18, 2021 costs 10 → 32
        (
            ("TotalTechnologyAnnualActivityUpperLimit", (R, "CHEAP", 2020), 4.0),
            {2020: 4.0, 2021: 10.0},
            {2020: 6.0},
            32.0,
        ),
        # AAC3: DEAR >= 3 PJ in 2021 → CHEAP 7: 10 + (7 + 9) = 26
        (
            ("TotalTechnologyAnnualActivityLowerLimit", (R, "DEAR", 2021), 3.0),
            {2020: 10.0, 2021: 7.0},
            {2021: 3.0},
            26.0,
        ),
        # TAC2: CHEAP <= 15 PJ over both years → DEAR 5: 15 + 15 = 30 (the split between
        # the years is a tie at DiscountRate 0, so only totals are checked)
        (
            ("TotalTechnologyModelPeriodActivityUpperLimit", (R, "CHEAP"), 15.0),
            {None: 15.0},
            {None: 5.0},
            30.0,
        ),
        # TAC3: DEAR >= 4 PJ over both years → CHEAP 16: 16 + 12 = 28
        (
            ("TotalTechnologyModelPeriodActivityLowerLimit", (R, "DEAR"), 4.0),
            {None: 16.0},
            {None: 4.0},
            28.0,
        ),
    ],
    ids=["none", "AAC2", "AAC3", "TAC2", "TAC3"],
)
def test_activity_limits(
    run: Run,
    limit: tuple[str, Key, float] | None,
    cheap: dict[int | None, float],
    dear: dict[int | None, float],
    objective: float,
) -> None:
    years = (2020, 2021)
    sets, params = tiny(techs=("CHEAP", "DEAR"), years=years)
    params["VariableCost"] = {(R, "CHEAP", 1, y): 1.0 for y in years} | {
        (R, "DEAR", 1, y): 3.0 for y in years
    }
    if limit is not None:
        name, key, level = limit
        params[name] = {key: level}
    res = run(sets, params)
    for tech, expected in (("CHEAP", cheap), ("DEAR", dear)):
        for year, activity in expected.items():
            where: dict[str, Any] = {"TECHNOLOGY": tech}
            if year is not None:
                where["YEAR"] = year
            got = value(res, "TotalTechnologyAnnualActivity", **where)
            assert got == pytest.approx(activity, rel=1e-9), (tech, year)
    if not dear:
        assert value(res, "TotalTechnologyAnnualActivity", TECHNOLOGY="DEAR") == 0.0
    assert optimal(res) == pytest.approx(objective, rel=1e-9)


# ---- input activity ratio: a fuel chain (EBa4–EBa6, EBa11 for the intermediate fuel) -----------


def test_input_activity_ratio_fuel_chain(run: Run) -> None:
    sets, params = tiny(techs=("IMP", "PLANT"))
    sets["FUEL"] = ["ELC", "GAS"]
    params["OutputActivityRatio"] = {(R, "IMP", "GAS", 1, Y): 1.0, (R, "PLANT", "ELC", 1, Y): 1.0}
    params["InputActivityRatio"] = {(R, "PLANT", "GAS", 1, Y): 2.0}  # 50 % efficient
    params["VariableCost"] = {(R, "IMP", 1, Y): 2.0}  # gas at 2 per PJ
    params["CapitalCost"] = {(R, "PLANT", Y): 1000.0}
    res = run(sets, params)
    # ELC 10 PJ → PLANT activity 10, capacity 10 GW (10000); it uses 2 × 10 = 20 PJ GAS
    # EBa11 for GAS: IMP production 20 >= PLANT use 20 → variable cost 20 × 2 = 40
    prod = res.tables["ProductionByTechnologyAnnual"].set_index(["TECHNOLOGY", "FUEL"])["value"]
    assert prod[("IMP", "GAS")] == pytest.approx(20.0, rel=1e-9)
    assert prod[("PLANT", "ELC")] == pytest.approx(10.0, rel=1e-9)
    use = res.tables["UseByTechnologyAnnual"].set_index(["TECHNOLOGY", "FUEL"])["value"]
    assert use[("PLANT", "GAS")] == pytest.approx(20.0, rel=1e-9)
    assert len(use) == 1
    assert value(res, "TotalCapacityAnnual", TECHNOLOGY="PLANT") == pytest.approx(10.0, rel=1e-9)
    assert optimal(res) == pytest.approx(10_040.0, rel=1e-9)


# ---- emissions: E1–E7 and EmissionsPenalty (E3–E5) ---------------------------------------------

# CLEAN runs at 3/PJ; DIRTY at 1/PJ and emits 2 t CO2 per PJ; demand 10 PJ in 2020 and 2021;
# DiscountRate 0.05, so DiscountFactorMid is 1.05^0.5 (2020) and 1.05^1.5 (2021), and
#   1/1.05^0.5 + 1/1.05^1.5 = 0.9759001 + 0.9294286 = 1.9053287.
MID = 1 / 1.05**0.5 + 1 / 1.05**1.5


def emission_model(**extra: dict[Key, float]) -> tuple[Sets, Params]:
    years = (2020, 2021)
    sets, params = tiny(techs=("CLEAN", "DIRTY"), years=years)
    params["DiscountRate"] = {(R,): 0.05}
    params["VariableCost"] = {(R, "CLEAN", 1, y): 3.0 for y in years} | {
        (R, "DIRTY", 1, y): 1.0 for y in years
    }
    params["EmissionActivityRatio"] = {(R, "DIRTY", "CO2", 1, y): 2.0 for y in years}
    params.update(extra)
    return sets, params


@pytest.mark.parametrize(
    ("penalty", "emissions", "per_year", "objective"),
    [
        # no penalty: DIRTY serves all; 10 PJ × 1 a year → 10 × 1.9053287 = 19.0533
        (0.0, 40.0, 10.0, 19.053287138518982),
        # 0.5 per t: DIRTY costs 1 + 2 × 0.5 = 2 < 3 → (10 + 20 t × 0.5) × 1.9053287 = 38.1066
        (0.5, 40.0, 20.0, 38.10657427703796),
        # 1.5 per t: DIRTY costs 1 + 2 × 1.5 = 4 > 3 → CLEAN: 30 × 1.9053287 = 57.1599
        (1.5, 0.0, 30.0, 57.15986141555694),
    ],
)
def test_emissions_and_emissions_penalty(
    run: Run, penalty: float, emissions: float, per_year: float, objective: float
) -> None:
    sets, params = emission_model(EmissionsPenalty={(R, "CO2", y): penalty for y in (2020, 2021)})
    res = run(sets, params)
    # E1–E7: 2 t per PJ × 10 PJ = 20 t a year while DIRTY runs
    assert res.emissions["CO2"] == pytest.approx(emissions, abs=1e-9)
    assert value(res, "AnnualEmissions", YEAR=2021) == pytest.approx(emissions / 2, abs=1e-9)
    assert objective == pytest.approx(per_year * MID, rel=1e-12)  # the arithmetic above
    assert optimal(res) == pytest.approx(objective, rel=1e-9)


@pytest.mark.parametrize(
    ("exogenous", "dirty_2020", "objective"),
    [
        # E8: AnnualEmissions[2020] + AnnualExogenousEmission <= 8 t
        #   no exogenous: DIRTY <= 8 / 2 = 4 PJ, CLEAN 6: 2020 costs 4 + 18 = 22, 2021 costs 10
        #   22 / 1.05^0.5 + 10 / 1.05^1.5 = 21.4698 + 9.2943 = 30.7641
        (0.0, 4.0, 30.76408801390138),
        #   4 t exogenous: DIRTY <= 2 PJ, CLEAN 8: 2 + 24 = 26 → 25.3734 + 9.2943 = 34.6677
        (4.0, 2.0, 34.66768830569551),
    ],
)
def test_annual_emission_limit(
    run: Run, exogenous: float, dirty_2020: float, objective: float
) -> None:
    sets, params = emission_model(
        AnnualEmissionLimit={(R, "CO2", 2020): 8.0},
        AnnualExogenousEmission={(R, "CO2", 2020): exogenous},
    )
    res = run(sets, params)
    got = value(res, "TotalTechnologyAnnualActivity", TECHNOLOGY="DIRTY", YEAR=2020)
    assert got == pytest.approx(dirty_2020, rel=1e-9)
    assert value(res, "AnnualEmissions", YEAR=2020) == pytest.approx(8.0 - exogenous, rel=1e-9)
    assert optimal(res) == pytest.approx(objective, rel=1e-9)
    # Shadow price: one more t lets 0.5 PJ of DIRTY replace CLEAN, saving 0.5 × (3 − 1) = 1
    # in 2020 money; discounted 1 / 1.05^0.5 = 0.9759001 (the dual of E8).
    price = res.tables["EmissionShadowPrice"]
    assert list(price["constraint"]) == ["E8_AnnualEmissionsLimit"]
    assert price["YEAR"].tolist() == [2020]
    assert price["carbon_price"].iloc[0] == pytest.approx(1.0, rel=1e-6)
    assert price["dual_discounted"].iloc[0] == pytest.approx(0.9759000729485332, rel=1e-6)


@pytest.mark.parametrize(
    ("exogenous", "dirty_2021", "objective"),
    [
        # E9: Σ_y AnnualEmissions + ModelPeriodExogenousEmission <= 30 t.
        #   DIRTY may emit 30 t = 15 PJ; CLEAN is cheaper to use in 2021 (discounted more),
        #   so DIRTY runs 10 PJ in 2020 and 5 in 2021:
        #   10 / 1.05^0.5 + (5 + 15) / 1.05^1.5 = 9.7590 + 18.5886 = 28.3476
        (0.0, 5.0, 28.34757354755263),
        #   10 t exogenous: DIRTY may emit 20 t = 10 PJ, all in 2020:
        #   10 / 1.05^0.5 + 30 / 1.05^1.5 = 9.7590 + 27.8829 = 37.6419
        (10.0, 0.0, 37.64185995658627),
    ],
)
def test_model_period_emission_limit(
    run: Run, exogenous: float, dirty_2021: float, objective: float
) -> None:
    sets, params = emission_model(
        ModelPeriodEmissionLimit={(R, "CO2"): 30.0},
        ModelPeriodExogenousEmission={(R, "CO2"): exogenous},
    )
    res = run(sets, params)
    got = value(res, "TotalTechnologyAnnualActivity", TECHNOLOGY="DIRTY", YEAR=2021)
    assert got == pytest.approx(dirty_2021, abs=1e-9)
    assert res.emissions["CO2"] == pytest.approx(30.0, rel=1e-9)  # including the exogenous
    assert optimal(res) == pytest.approx(objective, rel=1e-9)
    # Shadow price: one more t saves 0.5 × (3 − 1) = 1 in 2021, discounted 1 / 1.05^1.5
    price = res.tables["EmissionShadowPrice"]
    assert list(price["constraint"]) == ["E9_ModelPeriodEmissionsLimit"]
    assert price["dual_discounted"].iloc[0] == pytest.approx(0.9294286409033649, rel=1e-6)


# ---- reserve margin: RM1–RM3 ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tag", "backup", "objective"),
    [
        # RM3: RateOfProduction of ELC (10) × ReserveMargin 1.2 <= Σ capacity × tag × CAU
        #   GEN (100/GW) must run the 10 PJ; the other 2 GW of margin are cheapest as BACKUP
        #   capacity (40/GW, never run: 100/PJ): 10 × 100 + 2 × 40 = 1080
        (1.0, 2.0, 1080.0),
        #   BACKUP counted at half: 2 / 0.5 = 4 GW (80/GW of margin, still < 100):
        #   1000 + 4 × 40 = 1160
        (0.5, 4.0, 1160.0),
    ],
)
def test_reserve_margin(run: Run, tag: float, backup: float, objective: float) -> None:
    sets, params = tiny(techs=("BACKUP", "GEN"))
    params["CapitalCost"] = {(R, "BACKUP", Y): 40.0, (R, "GEN", Y): 100.0}
    params["VariableCost"] = {(R, "BACKUP", 1, Y): 100.0}
    params["ReserveMargin"] = {(R, Y): 1.2}
    params["ReserveMarginTagTechnology"] = {(R, "BACKUP", Y): tag, (R, "GEN", Y): 1.0}
    params["ReserveMarginTagFuel"] = {(R, "ELC", Y): 1.0}
    res = run(sets, params)
    assert value(res, "TotalCapacityAnnual", TECHNOLOGY="GEN") == pytest.approx(10.0, rel=1e-9)
    assert value(res, "TotalCapacityAnnual", TECHNOLOGY="BACKUP") == pytest.approx(backup, rel=1e-9)
    assert value(res, "TotalTechnologyAnnualActivity", TECHNOLOGY="BACKUP") == 0.0
    assert optimal(res) == pytest.approx(objective, rel=1e-9)


# ---- renewable target: RE1–RE4 -----------------------------------------------------------------


def test_renewable_production_target(run: Run) -> None:
    sets, params = tiny(techs=("FOSSIL", "SOLAR"))
    params["VariableCost"] = {(R, "FOSSIL", 1, Y): 1.0, (R, "SOLAR", 1, Y): 3.0}
    params["REMinProductionTarget"] = {(R, Y): 0.4}
    params["RETagTechnology"] = {(R, "SOLAR", Y): 1.0}
    params["RETagFuel"] = {(R, "ELC", Y): 1.0}
    res = run(sets, params)
    # RE4: 0.4 × ELC production (10) <= SOLAR production → SOLAR 4, FOSSIL 6: 12 + 6 = 18
    assert value(res, "TotalTechnologyAnnualActivity", TECHNOLOGY="SOLAR") == pytest.approx(4.0)
    assert value(res, "TotalTechnologyAnnualActivity", TECHNOLOGY="FOSSIL") == pytest.approx(6.0)
    assert optimal(res) == pytest.approx(18.0, rel=1e-9)


# ---- integer units: CAa5 -----------------------------------------------------------------------


def test_capacity_of_one_technology_unit_rounds_up(run: Run) -> None:
    sets, params = tiny()
    params["CapitalCost"] = {(R, "GEN", Y): 1000.0}
    params["CapacityOfOneTechnologyUnit"] = {(R, "GEN", Y): 3.0}
    res = run(sets, params)
    # CAa5: NewCapacity = 3 GW × NumberOfNewTechnologyUnits (integer); 10 GW needed →
    # ceil(10 / 3) = 4 units = 12 GW → 12000 (the LP relaxation would be 10000)
    assert value(res, "NewCapacity") == pytest.approx(12.0, rel=1e-9)
    assert value(res, "TotalTechnologyAnnualActivity") == pytest.approx(10.0, rel=1e-9)
    assert optimal(res) == pytest.approx(12_000.0, rel=1e-9)


# ---- trade: EBa10, EBa11/EBb4 with TradeRoute --------------------------------------------------


def trade_model(max_cheap: float | None) -> tuple[Sets, Params]:
    sets, _ = tiny(techs=("CHEAP", "DEAR"))
    sets["REGION"] = ["A", "B"]
    params: Params = {
        "YearSplit": {("ALL", Y): 1.0},
        "DiscountRate": {("A",): 0.0, ("B",): 0.0},
        "OutputActivityRatio": {("A", "CHEAP", "ELC", 1, Y): 1.0, ("B", "DEAR", "ELC", 1, Y): 1.0},
        "VariableCost": {("A", "CHEAP", 1, Y): 1.0, ("B", "DEAR", 1, Y): 5.0},
        "SpecifiedAnnualDemand": {("A", "ELC", Y): 10.0, ("B", "ELC", Y): 10.0},
        "SpecifiedDemandProfile": {("A", "ELC", "ALL", Y): 1.0, ("B", "ELC", "ALL", Y): 1.0},
        "TradeRoute": {("A", "B", "ELC", Y): 1.0, ("B", "A", "ELC", Y): 1.0},
    }
    if max_cheap is not None:
        params["TotalAnnualMaxCapacity"] = {("A", "CHEAP", Y): max_cheap}
    return sets, params


@pytest.mark.parametrize(
    ("max_cheap", "cheap", "dear", "objective"),
    [
        # A's CHEAP (1/PJ) serves A and, through the route, B: 20 PJ × 1 = 20 (without
        # trade it would be 10 × 1 + 10 × 5 = 60)
        (None, 20.0, 0.0, 20.0),
        # CHEAP capped at 15 GW: A exports 5, B's DEAR (5/PJ) makes 5: 15 + 25 = 40
        (15.0, 15.0, 5.0, 40.0),
    ],
)
def test_trade_route_between_two_regions(
    run: Run, max_cheap: float | None, cheap: float, dear: float, objective: float
) -> None:
    res = run(*trade_model(max_cheap))
    prod = res.tables["ProductionByTechnologyAnnual"]
    assert value(res, "ProductionByTechnologyAnnual", REGION="A") == pytest.approx(cheap)
    assert value(res, "ProductionByTechnologyAnnual", REGION="B") == pytest.approx(dear, abs=1e-9)
    assert set(prod["FUEL"]) == {"ELC"}
    assert optimal(res) == pytest.approx(objective, rel=1e-9)


def test_trade_model_builds_without_warnings(tmp_path: Path) -> None:
    path = tmp_path / "trade.txt"
    path.write_text(render(*trade_model(None)), encoding="utf-8")
    data = read_mathprog(path)
    with warnings.catch_warnings():
        warnings.simplefilter("error", linopy.LinopySemanticsWarning)
        build(data)


# ---- storage: S1–S13, SC1–SC6, SI1–SI10 --------------------------------------------------------


def test_storage_shifts_day_output_to_the_night(run: Run) -> None:
    # DAY and NIGHT are half a year each, one season, one day type, daily bracket 1 = DAY and
    # 2 = NIGHT (each 12 h: DaySplit = 12 / 8760 = 0.00136986). Demand 10 PJ, 5 PJ in each
    # slice, i.e. a rate of 10 PJ/yr in both. SOLAR (1000/GW) has CapacityFactor 0 at NIGHT,
    # so the night is served by STOR discharging (mode 2) what it charged (mode 1) by day.
    sets, params = tiny(techs=("SOLAR", "STOR"), slices={"DAY": 0.5, "NIGHT": 0.5})
    day_split = 12 / 8760
    sets["MODE_OF_OPERATION"] = [1, 2]
    sets |= {"SEASON": [1], "DAYTYPE": [1], "DAILYTIMEBRACKET": [1, 2], "STORAGE": ["DAM"]}
    params |= {
        "OutputActivityRatio": {(R, "SOLAR", "ELC", 1, Y): 1.0, (R, "STOR", "ELC", 2, Y): 1.0},
        "InputActivityRatio": {(R, "STOR", "ELC", 1, Y): 1.0},
        "CapacityFactor": {(R, "SOLAR", "NIGHT", Y): 0.0},
        "CapitalCost": {(R, "SOLAR", Y): 1000.0},
        "TechnologyToStorage": {(R, "STOR", "DAM", 1): 1.0},
        "TechnologyFromStorage": {(R, "STOR", "DAM", 2): 1.0},
        "Conversionls": {("DAY", 1): 1.0, ("NIGHT", 1): 1.0},
        "Conversionld": {("DAY", 1): 1.0, ("NIGHT", 1): 1.0},
        "Conversionlh": {("DAY", 1): 1.0, ("NIGHT", 2): 1.0},
        "DaySplit": {(1, Y): day_split, (2, Y): day_split},
        "DaysInDayType": {(1, 1, Y): 365.0},
        "StorageLevelStart": {(R, "DAM"): 0.0},
        "StorageMaxChargeRate": {(R, "DAM"): 99.0},
        "StorageMaxDischargeRate": {(R, "DAM"): 99.0},
        "OperationalLifeStorage": {(R, "DAM"): 1.0},
        "ResidualStorageCapacity": {(R, "DAM", Y): 0.0},
        "CapitalCostStorage": {(R, "DAM", Y): 1000.0},
    }
    res = run(sets, params)
    rate = res.tables["RateOfActivity"].set_index(["TIMESLICE", "TECHNOLOGY", "MODE_OF_OPERATION"])
    # NIGHT: discharge rate 10 (S2). The year may not end below its start level 0 (S7, S8,
    # StorageLevelYearFinish >= 0): charge × 0.5 >= discharge × 0.5 → charge 10 by day (S1).
    assert rate.loc[("NIGHT", "STOR", 2), "value"] == pytest.approx(10.0, rel=1e-9)
    assert rate.loc[("DAY", "STOR", 1), "value"] == pytest.approx(10.0, rel=1e-9)
    # DAY: SOLAR serves 10 PJ/yr of demand + 10 of charging → 20 GW (20000)
    assert value(res, "TotalCapacityAnnual", TECHNOLOGY="SOLAR") == pytest.approx(20.0, rel=1e-9)
    # SC1 at the start of bracket 2: level = 0 + (10 − 0) × DaySplit = 0.0136986 PJ; SI1: the
    # storage capacity must hold it; SI4–SI10: 1000 × 0.0136986 = 13.6986 (no salvage with
    # OperationalLifeStorage 1, DiscountFactorStorage[2020] = 1)
    assert value(res, "NewStorageCapacity") == pytest.approx(10 * day_split, rel=1e-6)
    assert optimal(res) == pytest.approx(20_000 + 1000 * 10 * day_split, rel=1e-9)  # 20013.6986


# ---- set order ---------------------------------------------------------------------------------


def test_set_order_is_kept_in_results_and_diagnoses(run: Run) -> None:
    # The fuel chain of test_input_activity_ratio_fuel_chain with its sets listed unsorted.
    # (Parameters were once unstacked onto sorted labels and then relabelled in set order, so
    # this model came out as PLANT 20 GW / IMP 10 GW and (PLANT, ELC) 20 PJ.)
    sets, params = tiny(techs=("PLANT", "IMP"))
    sets["FUEL"] = ["GAS", "ELC"]
    params["OutputActivityRatio"] = {(R, "IMP", "GAS", 1, Y): 1.0, (R, "PLANT", "ELC", 1, Y): 1.0}
    params["InputActivityRatio"] = {(R, "PLANT", "GAS", 1, Y): 2.0}
    params["VariableCost"] = {(R, "IMP", 1, Y): 2.0}
    params["CapitalCost"] = {(R, "PLANT", Y): 1000.0}
    res = run(sets, params)
    assert optimal(res) == pytest.approx(10_040.0, rel=1e-9)  # as in the sorted chain
    assert value(res, "NewCapacity", TECHNOLOGY="PLANT") == pytest.approx(10.0, rel=1e-9)
    assert value(res, "NewCapacity", TECHNOLOGY="IMP") == pytest.approx(20.0, rel=1e-9)
    prod = res.tables["ProductionByTechnologyAnnual"].set_index(["TECHNOLOGY", "FUEL"])["value"]
    assert prod[("IMP", "GAS")] == pytest.approx(20.0, rel=1e-9)
    assert prod[("PLANT", "ELC")] == pytest.approx(10.0, rel=1e-9)
    # PLANT capped at 0.01 GW cannot make 10 PJ: the diagnosis names PLANT and ELC.
    params["TotalAnnualMaxCapacity"] = {(R, "PLANT", Y): 0.01}
    res = run(sets, params)
    assert res.termination == "infeasible"
    assert (
        "TCC1_TotalAnnualMaxCapacityConstraint [REGION R, TECHNOLOGY PLANT, YEAR 2020]: "
        "TotalAnnualMaxCapacity = 0.01; ResidualCapacity = 0"
    ) in res.diagnosis
    assert any(
        line.startswith("EBa11_EnergyBalanceEachTS5") and "FUEL ELC" in line
        for line in res.diagnosis
    )


# ---- cases where a shortcut of the formulation once deviated from the reference model --------


def test_model_without_emissions_builds(run: Run) -> None:
    sets, params = tiny()
    sets["EMISSION"] = []
    params["CapitalCost"] = {(R, "GEN", Y): 1000.0}
    assert optimal(run(sets, params)) == pytest.approx(10_000.0, rel=1e-9)  # 10 GW × 1000


def test_mode_without_ratios_counts_towards_activity_limits(run: Run) -> None:
    sets, params = tiny()
    sets["MODE_OF_OPERATION"] = [1, 2]
    params["VariableCost"] = {(R, "GEN", 1, Y): 1.0}
    params["TotalTechnologyAnnualActivityLowerLimit"] = {(R, "GEN", Y): 20.0}
    res = run(sets, params)
    # Reference: CAa3/AAC1 sum RateOfActivity over all modes, so AAC3 (>= 20) is met with
    # mode 1 = 10 (EBa11: 10 PJ of ELC) and mode 2 = 10 at no cost → 10 × 1 = 10.
    assert optimal(res) == pytest.approx(10.0, rel=1e-9)
