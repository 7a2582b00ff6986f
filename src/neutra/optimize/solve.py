"""Solve a built OSeMOSYS model with HiGHS and read the results back as tidy tables.

HiGHS gets the model directly through highspy (linopy's ``direct`` interface; no LP file). An
infeasible model is not just "infeasible": HiGHS's irreducible infeasible subsystem (IIS; it
needs a non-default strategy to return rows) is mapped back to the OSeMOSYS equation, its
indices and the parameters it involves. The shadow prices of the emission limits — the
marginal abatement cost of a cap — come from the duals of ``E8`` (each year) and ``E9`` (the
model-period budget).
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from neutra.errors import CalculationError
from neutra.optimize.osemosys import Built, _Params

# The parameters each family of constraints is made of, to name them in a diagnosis.
FAMILY_PARAMS: dict[str, tuple[str, ...]] = {
    "CAa4_Constraint_Capacity": (
        "CapacityFactor",
        "CapacityToActivityUnit",
        "ResidualCapacity",
        "OperationalLife",
    ),
    "CAb1_PlannedMaintenance": ("AvailabilityFactor", "CapacityFactor", "ResidualCapacity"),
    "CAa5_TotalNewCapacity": ("CapacityOfOneTechnologyUnit",),
    "EBa11_EnergyBalanceEachTS5": (
        "SpecifiedAnnualDemand",
        "SpecifiedDemandProfile",
        "OutputActivityRatio",
        "InputActivityRatio",
        "YearSplit",
    ),
    "EBb4_EnergyBalanceEachYear4": (
        "AccumulatedAnnualDemand",
        "OutputActivityRatio",
        "InputActivityRatio",
    ),
    "E8_AnnualEmissionsLimit": (
        "AnnualEmissionLimit",
        "AnnualExogenousEmission",
        "EmissionActivityRatio",
    ),
    "E9_ModelPeriodEmissionsLimit": (
        "ModelPeriodEmissionLimit",
        "ModelPeriodExogenousEmission",
        "EmissionActivityRatio",
    ),
    "TCC1_TotalAnnualMaxCapacityConstraint": ("TotalAnnualMaxCapacity", "ResidualCapacity"),
    "TCC2_TotalAnnualMinCapacityConstraint": ("TotalAnnualMinCapacity",),
    "NCC1_TotalAnnualMaxNewCapacityConstraint": ("TotalAnnualMaxCapacityInvestment",),
    "NCC2_TotalAnnualMinNewCapacityConstraint": ("TotalAnnualMinCapacityInvestment",),
    "AAC2_TotalAnnualTechnologyActivityUpperLimit": ("TotalTechnologyAnnualActivityUpperLimit",),
    "AAC3_TotalAnnualTechnologyActivityLowerLimit": ("TotalTechnologyAnnualActivityLowerLimit",),
    "TAC2_TotalModelHorizonTechnologyActivityUpperLimit": (
        "TotalTechnologyModelPeriodActivityUpperLimit",
    ),
    "TAC3_TotalModelHorizenTechnologyActivityLowerLimit": (
        "TotalTechnologyModelPeriodActivityLowerLimit",
    ),
    "RM3_ReserveMargin_Constraint": (
        "ReserveMargin",
        "ReserveMarginTagTechnology",
        "ReserveMarginTagFuel",
    ),
    "RE4_EnergyConstraint": ("REMinProductionTarget", "RETagTechnology", "RETagFuel"),
}
SET_NAMES = {
    "r": "REGION",
    "t": "TECHNOLOGY",
    "f": "FUEL",
    "e": "EMISSION",
    "m": "MODE_OF_OPERATION",
    "l": "TIMESLICE",
    "y": "YEAR",
    "s": "STORAGE",
    "ls": "SEASON",
    "ld": "DAYTYPE",
    "lh": "DAILYTIMEBRACKET",
    "rr": "_REGION",
}


@dataclass
class OptimizeResult:
    """A solved (or failed) model: status, objective, tables, emission totals, duals, timings."""

    status: str
    termination: str
    objective: float | None
    constant: float
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    emissions: dict[str, float] = field(default_factory=dict)  # model period, by emission
    diagnosis: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    size: dict[str, int] = field(default_factory=dict)


def solve(
    built: Built, *, time_limit: float | None = None, threads: int | None = None, log: bool = False
) -> OptimizeResult:
    """Solve with HiGHS (direct); on success read the results, on infeasibility diagnose."""
    m = built.model
    options: dict[str, Any] = {"output_flag": log}
    if time_limit is not None:
        options["time_limit"] = float(time_limit)
    if threads is not None:
        options["threads"] = int(threads)
    t0 = time.perf_counter()
    linopy_log = logging.getLogger("linopy")
    level = linopy_log.level
    if not log:
        linopy_log.setLevel(logging.ERROR)  # the status is reported by Neutra, not twice
    try:
        with _quiet(not log):
            status, termination = m.solve(solver_name="highs", io_api="direct", **options)
    finally:
        linopy_log.setLevel(level)
    t1 = time.perf_counter()
    size = {"variables": int(m.nvars), "constraints": int(m.ncons)}
    result = OptimizeResult(
        str(status), str(termination), None, built.constant, timings={"solve": t1 - t0}, size=size
    )
    if termination == "optimal":
        result.objective = float(m.objective.value or 0.0) + built.constant
        _read(built, result)
    elif termination in ("infeasible", "infeasible_or_unbounded"):
        result.diagnosis = diagnose(built)
    elif termination == "unbounded":
        result.diagnosis = [
            "the model is unbounded: some cost can fall without limit — look for a negative "
            "CapitalCost, VariableCost, FixedCost or EmissionsPenalty, or a technology whose "
            "output can grow without using capacity (CapacityToActivityUnit 0)"
        ]
    else:
        result.diagnosis = [
            f"HiGHS stopped with {status}/{termination}: the model may be numerically troubled "
            "(coefficients spanning many orders of magnitude) or the time limit was reached; "
            "rescale the units (e.g. PJ and GW) or raise the time limit"
        ]
    result.timings["read_results"] = time.perf_counter() - t1
    return result


@contextlib.contextmanager
def _quiet(enabled: bool) -> Iterator[None]:
    """Silence what HiGHS prints from C++ (its banner ignores ``output_flag``): the process's
    standard output is sent to /dev/null for the duration, so that ``--json`` stays JSON."""
    if not enabled:
        yield
        return
    sys.stdout.flush()
    saved = os.dup(1)
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, 1)
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(null)
        os.close(saved)


def diagnose(built: Built) -> list[str]:
    """The rows of HiGHS's IIS, each named by its OSeMOSYS equation, indices and parameters."""
    m = built.model
    try:
        with _quiet(True):
            labels = m.compute_infeasibilities()
    except (RuntimeError, ValueError) as exc:  # HiGHS could not compute an IIS
        return [f"the model is infeasible; HiGHS could not isolate why ({exc})"]
    if not labels:
        return ["the model is infeasible; HiGHS returned no irreducible subsystem"]
    out = []
    p = built.params
    for label in labels:
        found: Any = m.constraints.get_label_position(int(label))
        name, coords = found[0], dict(found[1] or {})
        where = ", ".join(f"{SET_NAMES.get(k, k)} {v}" for k, v in coords.items())
        facts = []
        for param in FAMILY_PARAMS.get(str(name), ()):
            try:
                da = p(param)
            except KeyError:
                continue
            sel = {k: v for k, v in coords.items() if k in da.dims}
            try:
                val = da.sel(sel)
            except (KeyError, ValueError):
                continue
            if val.size == 1:
                facts.append(f"{param} = {float(val.values.item()):g}")
            else:
                nz = val.where(val != 0).to_series().dropna()
                if 0 < len(nz) <= 6:
                    shown = ", ".join(
                        f"{'/'.join(map(str, k)) if isinstance(k, tuple) else k}={float(v):g}"
                        for k, v in nz.items()
                    )
                    facts.append(f"{param} {{{shown}}}")
        text = f"{name} [{where}]"
        if facts:
            text += ": " + "; ".join(facts)
        out.append(text)
    out.insert(
        0,
        (
            "the model is infeasible; this constraint cannot hold"
            if len(out) == 1
            else f"the model is infeasible; these {len(out)} constraints cannot hold together"
        )
        + " (HiGHS irreducible infeasible subsystem):",
    )
    return out


def _series(da: xr.DataArray, value: str = "value") -> pd.DataFrame:
    """A tidy frame with the OSeMOSYS set names as columns, zero rows dropped."""
    s = da.to_series()
    s = s[s.abs() > 1e-12]
    frame = s.rename(value).reset_index()
    return frame.rename(columns={k: v for k, v in SET_NAMES.items() if k in frame.columns})


def _read(built: Built, result: OptimizeResult) -> None:
    m, p, e = built.model, built.params, built.expr
    ys = p("YearSplit")
    ra = m.variables["RateOfActivity"].solution.fillna(0.0)
    nc = m.variables["NewCapacity"].solution
    alive = e["alive"]
    acc = (nc.rename(y="yy") * alive).sum("yy")
    tca = acc + p("ResidualCapacity")
    by_mode = (ra * ys).sum("l")
    tech_em = (p("EmissionActivityRatio") * by_mode).sum("m")
    annual_em = tech_em.sum("t")
    period_em = annual_em.sum("y") + p("ModelPeriodExogenousEmission")
    result.emissions = {
        str(k[-1] if isinstance(k, tuple) else k): float(v)
        for k, v in period_em.to_series().items()
    }
    variable = (by_mode * p("VariableCost")).sum("m") / e["df_mid"]
    fixed = tca * p("FixedCost") / e["df_mid"]
    capital = nc * e["invest"] / e["df"]
    salvage = nc * e["salvage_factor"]
    penalty = (tech_em * p("EmissionsPenalty")).sum("e") / e["df_mid"]
    by_tech = capital - salvage + variable + fixed + penalty
    t = result.tables
    t["TotalCapacityAnnual"] = _series(tca)
    t["NewCapacity"] = _series(nc)
    t["AccumulatedNewCapacity"] = _series(acc)
    t["TotalTechnologyAnnualActivity"] = _series(by_mode.sum("m"))
    t["RateOfActivity"] = _series(ra)
    t["ProductionByTechnologyAnnual"] = _series(
        ((ra * p("OutputActivityRatio")).sum("m") * ys).sum("l")
    )
    t["UseByTechnologyAnnual"] = _series(((ra * p("InputActivityRatio")).sum("m") * ys).sum("l"))
    t["AnnualTechnologyEmission"] = _series(tech_em)
    t["AnnualEmissions"] = _series(annual_em)
    t["CapitalInvestment"] = _series(nc * e["invest"])
    t["DiscountedCapitalInvestment"] = _series(capital)
    t["DiscountedSalvageValue"] = _series(salvage)
    t["DiscountedOperatingCost"] = _series(variable + fixed)
    t["TotalDiscountedCostByTechnology"] = _series(by_tech)
    total_by_year = by_tech.sum("t")
    if "NewStorageCapacity" in m.variables:
        storage = e["storage_cost"](m.variables["NewStorageCapacity"].solution)
        t["TotalDiscountedStorageCost"] = _series(storage)
        t["NewStorageCapacity"] = _series(m.variables["NewStorageCapacity"].solution)
        total_by_year = total_by_year + storage.sum("s")
    t["TotalDiscountedCost"] = _series(total_by_year)
    # Shadow prices of the emission limits: discounted (as in the objective) and undiscounted
    # (× the mid-year discount factor), the marginal abatement cost of the cap.
    rows = []
    for name in ("E8_AnnualEmissionsLimit", "E9_ModelPeriodEmissionsLimit"):
        if name in m.constraints:
            dual = m.constraints[name].dual
            frame = dual.to_series().dropna()
            for key, v in frame.items():
                keys = key if isinstance(key, tuple) else (key,)
                coords = dict(zip(dual.dims, keys, strict=True))
                undiscounted = float(-v)
                if "y" in coords:
                    undiscounted = float(-v * e["df_mid"].sel(r=coords["r"], y=coords["y"]))
                rows.append(
                    {
                        "constraint": name,
                        **{SET_NAMES[k]: c for k, c in coords.items()},
                        "dual_discounted": float(-v),
                        "carbon_price": undiscounted,
                    }
                )
    prices = pd.DataFrame(rows)
    if "YEAR" in prices.columns:
        prices["YEAR"] = prices["YEAR"].astype("Int64")  # NaN for the model-period budget
    t["EmissionShadowPrice"] = prices
    total = float(total_by_year.sum())
    if result.objective is not None and not np.isclose(total, result.objective, rtol=1e-6):
        raise CalculationError(
            f"the cost tables add up to {total:.6f}, not the objective {result.objective:.6f}"
        )


__all__ = ["OptimizeResult", "_Params", "diagnose", "solve"]
