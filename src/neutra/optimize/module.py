"""Least-cost supply for one transformation module of a scenario (electricity, heat, …).

A scenario's module with ``dispatch = optimize`` is not dispatched by rule: its simulated
requirement becomes the demand of a small OSeMOSYS model (one region, one annual time slice,
the simulation's years) whose technologies are the module's processes, and the least
discounted cost of capacity, operation, fuel and imports meets it under the module's annual
emission cap, if it has one. The optimal output, capacity and imports flow back into the
scenario; the cap's shadow price is the carbon price that would give the same mix.

Units inside the model: energy in PJ, capacity in GW (CapacityToActivityUnit 31.536 PJ per
GW-year), costs in the plan's currency; the caller converts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pandas as pd

from neutra.errors import CalculationError
from neutra.optimize.data import PARAMS, ModelData
from neutra.optimize.osemosys import build
from neutra.optimize.solve import solve

FloatArray = npt.NDArray[np.float64]
PJ_PER_GW_YEAR = 31.536
GJ_PER_PJ = 1e6
IMPORT = "IMPORTS"
REGION = "REGION1"


@dataclass
class Technology:
    """A process of the module, with arrays over the years (per MW, per GJ of output)."""

    name: str
    residual_mw: FloatArray
    availability: FloatArray  # fraction of the year the capacity can run
    capital_per_mw: FloatArray
    fixed_per_mw_year: FloatArray
    variable_per_gj: FloatArray  # operation and fuel, per GJ of output
    co2e_per_gj: FloatArray  # t CO2e per GJ of output
    lifetime: float
    max_mw: FloatArray | None = None


@dataclass
class ModuleProblem:
    years: list[int]
    demand_gj: FloatArray
    technologies: list[Technology]
    discount_rate: float
    import_price_per_gj: FloatArray | None = None  # None: no imports
    import_co2e_per_gj: FloatArray | None = None
    emission_cap_t: FloatArray | None = None  # NaN in a year: no cap that year
    # The first year is the base year: no new capacity and no cap, so that it is the same in
    # every scenario (Current Accounts).
    base_year_fixed: bool = True


@dataclass
class ModuleSolution:
    output_gj: dict[str, FloatArray]
    capacity_mw: dict[str, FloatArray]
    imports_gj: FloatArray
    objective: float
    carbon_price: FloatArray  # per t CO2e, undiscounted (0 where the cap does not bind)
    diagnosis: list[str] = field(default_factory=list)


def model_data(problem: ModuleProblem) -> ModelData:
    """The problem as OSeMOSYS data."""
    years = list(problem.years)
    techs = [t.name for t in problem.technologies]
    if problem.import_price_per_gj is not None:
        techs.append(IMPORT)
    sets: dict[str, list[str | int]] = {
        "REGION": [REGION],
        "TECHNOLOGY": list(techs),
        "FUEL": ["OUT"],
        "EMISSION": ["CO2e"],
        "MODE_OF_OPERATION": [1],
        "TIMESLICE": ["ANNUAL"],
        "YEAR": list(years),
        "SEASON": [],
        "DAYTYPE": [],
        "DAILYTIMEBRACKET": [],
        "STORAGE": [],
    }
    values: dict[str, dict[tuple[object, ...], float]] = {n: {} for n in PARAMS}
    demand_pj = np.asarray(problem.demand_gj, dtype=float) / GJ_PER_PJ
    values["DiscountRate"][(REGION,)] = problem.discount_rate
    for i, y in enumerate(years):
        values["YearSplit"][("ANNUAL", y)] = 1.0
        values["SpecifiedAnnualDemand"][(REGION, "OUT", y)] = float(demand_pj[i])
        values["SpecifiedDemandProfile"][(REGION, "OUT", "ANNUAL", y)] = 1.0
        capped = problem.emission_cap_t is not None and not np.isnan(problem.emission_cap_t[i])
        if capped and not (problem.base_year_fixed and i == 0):
            values["AnnualEmissionLimit"][(REGION, "CO2e", y)] = float(
                problem.emission_cap_t[i]  # type: ignore[index]
            )
    for t in problem.technologies:
        values["CapacityToActivityUnit"][(REGION, t.name)] = PJ_PER_GW_YEAR
        values["OperationalLife"][(REGION, t.name)] = float(t.lifetime)
        for i, y in enumerate(years):
            values["OutputActivityRatio"][(REGION, t.name, "OUT", 1, y)] = 1.0
            values["CapacityFactor"][(REGION, t.name, "ANNUAL", y)] = float(t.availability[i])
            values["ResidualCapacity"][(REGION, t.name, y)] = float(t.residual_mw[i]) / 1e3
            values["CapitalCost"][(REGION, t.name, y)] = float(t.capital_per_mw[i]) * 1e3
            values["FixedCost"][(REGION, t.name, y)] = float(t.fixed_per_mw_year[i]) * 1e3
            values["VariableCost"][(REGION, t.name, 1, y)] = float(t.variable_per_gj[i]) * GJ_PER_PJ
            values["EmissionActivityRatio"][(REGION, t.name, "CO2e", 1, y)] = (
                float(t.co2e_per_gj[i]) * GJ_PER_PJ
            )
            if problem.base_year_fixed and i == 0:
                # The base year is history: what exists then is its residual capacity.
                values["TotalAnnualMaxCapacityInvestment"][(REGION, t.name, y)] = 0.0
            if t.max_mw is not None and not np.isnan(t.max_mw[i]):
                values["TotalAnnualMaxCapacity"][(REGION, t.name, y)] = float(t.max_mw[i]) / 1e3
    if problem.import_price_per_gj is not None:
        # Imports: enough capacity for the whole demand, no investment, priced per GJ.
        cap = float(np.max(demand_pj)) / PJ_PER_GW_YEAR * 10 + 1.0
        values["CapacityToActivityUnit"][(REGION, IMPORT)] = PJ_PER_GW_YEAR
        values["OperationalLife"][(REGION, IMPORT)] = 1.0
        co2 = problem.import_co2e_per_gj
        for i, y in enumerate(years):
            values["OutputActivityRatio"][(REGION, IMPORT, "OUT", 1, y)] = 1.0
            values["ResidualCapacity"][(REGION, IMPORT, y)] = cap
            values["VariableCost"][(REGION, IMPORT, 1, y)] = (
                float(problem.import_price_per_gj[i]) * GJ_PER_PJ
            )
            values["EmissionActivityRatio"][(REGION, IMPORT, "CO2e", 1, y)] = (
                0.0 if co2 is None else float(co2[i]) * GJ_PER_PJ
            )
    params: dict[str, pd.Series] = {}
    for name, spec in PARAMS.items():
        vals = values[name]
        if len(spec.dims) == 1:
            index: pd.Index = pd.Index([k[0] for k in vals], name=spec.dims[0])
        else:
            index = pd.MultiIndex.from_tuples(list(vals), names=list(spec.dims))
            if not vals:
                index = pd.MultiIndex.from_arrays([[] for _ in spec.dims], names=list(spec.dims))
        params[name] = pd.Series(list(vals.values()), index=index, dtype=float, name=name)
    defaults = {n: s.default for n, s in PARAMS.items()}
    defaults["VariableCost"] = 0.0
    return ModelData(sets, params, defaults, source="module")


def solve_module(problem: ModuleProblem) -> ModuleSolution:
    """Solve the module's least-cost supply; raise with the diagnosis when infeasible."""
    built = build(model_data(problem))
    result = solve(built)
    if result.objective is None:
        raise CalculationError(
            "the optimised module has no feasible supply: " + "; ".join(result.diagnosis)
        )
    n = len(problem.years)
    years = problem.years
    prod = result.tables["ProductionByTechnologyAnnual"]
    cap = result.tables["TotalCapacityAnnual"]

    def by_year(frame: pd.DataFrame, tech: str, scale: float) -> FloatArray:
        sel = frame[frame["TECHNOLOGY"] == tech].set_index("YEAR")["value"]
        return np.asarray([float(sel.get(y, 0.0)) * scale for y in years], dtype=float)

    output = {t.name: by_year(prod, t.name, GJ_PER_PJ) for t in problem.technologies}
    capacity = {t.name: by_year(cap, t.name, 1e3) for t in problem.technologies}
    imports = (
        by_year(prod, IMPORT, GJ_PER_PJ) if problem.import_price_per_gj is not None else np.zeros(n)
    )
    price = np.zeros(n)
    shadow = result.tables.get("EmissionShadowPrice")
    if shadow is not None and len(shadow):
        annual = shadow[shadow["constraint"] == "E8_AnnualEmissionsLimit"].set_index("YEAR")
        price = np.asarray([float(annual["carbon_price"].get(y, 0.0)) for y in years])
    return ModuleSolution(output, capacity, imports, float(result.objective), price)
