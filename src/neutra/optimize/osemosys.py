"""The OSeMOSYS formulation in linopy: build, solve with HiGHS, read the results back.

Written from the OSeMOSYS documentation and its reference model file (OSeMOSYS_GNU_MathProg,
``src/osemosys.txt``, version 2017_11_08; Apache-2.0), as Neutra's own code. The equations are
those of the long formulation with its accounting variables folded into linear expressions, so
that the LP has only the decisions: new capacity, rate of activity (only in modes that have an
input, output, emission or storage ratio — another mode could only add its variable cost),
trade, storage levels and new storage capacity (and the integer number of new units where a
unit size is given). Every family of constraints keeps the name of its OSeMOSYS equation
(``CAa4_Constraint_Capacity``, ``EBa11_EnergyBalanceEachTS5``, ``E8_AnnualEmissionsLimit`` …)
so that diagnoses and duals speak the user's language.

Two details of the reference model are kept on purpose:

* a fuel that no technology produces in a year has a free ``Production`` in the reference model,
  so its balance constraints bind nothing: they are not generated here either;
* fixed costs of residual capacity are a constant of the objective; linopy keeps no constant in
  an objective, so it is carried beside the model and added to the reported total.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import linopy
import numpy as np
import pandas as pd
import xarray as xr

from neutra.optimize.data import ModelData

# Short dimension names for the OSeMOSYS sets (the second REGION of TradeRoute is ``rr``).
DIMS = {
    "REGION": "r",
    "TECHNOLOGY": "t",
    "FUEL": "f",
    "EMISSION": "e",
    "MODE_OF_OPERATION": "m",
    "TIMESLICE": "l",
    "YEAR": "y",
    "SEASON": "ls",
    "DAYTYPE": "ld",
    "DAILYTIMEBRACKET": "lh",
    "STORAGE": "s",
}
SET_OF = {v: k for k, v in DIMS.items()}


@dataclass
class Built:
    """A built model: the linopy model, the objective's constant, and the expressions the
    results are read from."""

    model: linopy.Model
    constant: float
    data: ModelData
    params: _Params
    expr: dict[str, Any] = field(default_factory=dict)
    coords: dict[str, pd.Index] = field(default_factory=dict)


class _Params:
    """Dense parameters as DataArrays with short dimension names, defaults filled."""

    def __init__(self, data: ModelData) -> None:
        self.data = data
        self.cache: dict[str, xr.DataArray] = {}

    def __call__(self, name: str) -> xr.DataArray:
        found = self.cache.get(name)
        if found is None:
            s = self.data.value(name)
            names = list(s.index.names)
            short = []
            for n in names:
                d = DIMS[str(n)]
                short.append("rr" if d in short else d)
            s = s.copy()
            s.index = s.index.set_names(short) if len(short) > 1 else s.index.rename(short[0])
            levels = [self.index(d) for d in short]
            s = s.reindex(pd.MultiIndex.from_product(levels) if len(short) > 1 else levels[0])
            # The values are in the order of the full product of the sets (reindexed above);
            # reshape them in that order — ``DataArray.from_series`` would sort the labels.
            shape = tuple(len(ix) for ix in levels)
            values = np.asarray(s.to_numpy(), dtype=float).reshape(shape)
            found = xr.DataArray(values, coords=levels, dims=short)
            self.cache[name] = found
        return found

    def index(self, dim: str) -> pd.Index:
        members = self.data.sets[SET_OF["r" if dim == "rr" else dim]]
        return pd.Index(members, name=dim)


def _crf_pva(dr_idv: xr.DataArray, dr: xr.DataArray, life: xr.DataArray) -> xr.DataArray:
    """CapitalRecoveryFactor × PvAnnuity (1 when the two discount rates are equal)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        crf = (1 - (1 + dr_idv) ** -1) / (1 - (1 + dr_idv) ** (-life))
        crf = _where(dr_idv == 0, 1 / life, crf)
        pva = (1 - (1 + dr) ** (-life)) * (1 + dr) / dr
        pva = _where(dr == 0, life, pva)
    return crf * pva


def build(data: ModelData) -> Built:
    """The OSeMOSYS LP of ``data`` (see the module docstring for the formulation)."""
    p = _Params(data)
    m = linopy.Model(force_dim_names=True)
    idx = {d: p.index(d) for d in DIMS.values() if data.sets.get(SET_OF[d])}
    years = np.asarray(data.sets["YEAR"], dtype=float)
    y0, ymax = float(years.min()), float(years.max())
    yv = xr.DataArray(years, coords=[idx["y"]])
    ys = p("YearSplit")  # (l, y)

    # ---- decisions ---------------------------------------------------------------------
    iar, oar, ear = p("InputActivityRatio"), p("OutputActivityRatio"), p("EmissionActivityRatio")
    used = (iar != 0).any("f") | (oar != 0).any("f") | (ear != 0).any("e")
    # A mode without ratios only adds its variable cost — unless an activity lower limit makes
    # the technology run: then it may be the cheapest way to do so, as in the reference model.
    floor = (p("TotalTechnologyAnnualActivityLowerLimit") > 0).any("y") | (
        p("TotalTechnologyModelPeriodActivityLowerLimit") > 0
    )
    used = used | floor
    if "s" in idx:
        tts, tfs = p("TechnologyToStorage"), p("TechnologyFromStorage")
        used = used | ((tts != 0) | (tfs != 0)).any("s")
    mask_ra = used.broadcast_like(ys).transpose("r", "l", "t", "m", "y")
    nc = m.add_variables(lower=0, coords=[idx["r"], idx["t"], idx["y"]], name="NewCapacity")
    ra = m.add_variables(
        lower=0,
        coords=[idx["r"], idx["l"], idx["t"], idx["m"], idx["y"]],
        name="RateOfActivity",
        mask=mask_ra,
    )

    # ---- capacity ----------------------------------------------------------------------
    life = p("OperationalLife")
    yy = yv.rename(y="yy")
    age = yv - yy.assign_coords(yy=idx["y"].rename("yy"))
    alive = (age >= 0) & (age < life)  # (r, t, y, yy)
    nc_yy = nc.rename(y="yy")
    acc = (nc_yy * alive).sum("yy")
    residual = p("ResidualCapacity")
    tca = acc + residual  # TotalCapacityAnnual (r, t, y)
    unit = p("CapacityOfOneTechnologyUnit")
    if bool((unit != 0).any()):
        nu = m.add_variables(
            lower=0,
            coords=[idx["r"], idx["t"], idx["y"]],
            name="NumberOfNewTechnologyUnits",
            integer=True,
            mask=unit != 0,
        )
        m.add_constraints(unit * nu - nc == 0, name="CAa5_TotalNewCapacity", mask=unit != 0)
    rta = ra.fillna(0).sum("m")  # RateOfTotalActivity (r, l, t, y)
    cf, cau, af = p("CapacityFactor"), p("CapacityToActivityUnit"), p("AvailabilityFactor")
    m.add_constraints(rta - tca * cf * cau <= 0, name="CAa4_Constraint_Capacity")
    annual_rta = (rta * ys).sum("l")  # TotalTechnologyAnnualActivity (r, t, y)
    if bool((af < 1).any()):
        m.add_constraints(
            annual_rta - tca * (cf * ys).sum("l") * af * cau <= 0,
            name="CAb1_PlannedMaintenance",
            mask=af < 1,
        )

    # ---- energy balance ----------------------------------------------------------------
    ra0 = ra.fillna(0)
    rate_prod = (ra0 * oar).sum(["t", "m"])  # RateOfProduction (r, l, f, y)
    rate_use = (ra0 * iar).sum(["t", "m"])  # RateOfUse (r, l, f, y)
    demand = p("SpecifiedAnnualDemand") * p("SpecifiedDemandProfile")  # Demand (r, l, f, y)
    produced = (oar != 0).any(["t", "m"])  # (r, f, y)
    trade_ts = trade_an = None
    route = p("TradeRoute")
    if bool((route != 0).any()):
        trade = m.add_variables(
            coords=[idx["r"], idx["r"].rename("rr"), idx["l"], idx["f"], idx["y"]],
            name="Trade",
            mask=(route != 0).broadcast_like(ys).transpose("r", "rr", "l", "f", "y"),
        )
        tr0 = trade.fillna(0)
        m.add_constraints(
            tr0 + tr0.rename(r="rr", rr="r") == 0,
            name="EBa10_EnergyBalanceEachTS4",
            mask=(route != 0).broadcast_like(ys).transpose("r", "rr", "l", "f", "y"),
        )
        trade_ts = (trade.fillna(0) * route).sum("rr")
        trade_an = (trade.fillna(0).sum("l") * route).sum("rr")
    lhs = rate_prod * ys - rate_use * ys
    if trade_ts is not None:
        lhs = lhs - trade_ts
    m.add_constraints(
        lhs >= demand,
        name="EBa11_EnergyBalanceEachTS5",
        mask=produced.broadcast_like(demand).transpose(*demand.dims),
    )
    lhs_a = (rate_prod * ys).sum("l") - (rate_use * ys).sum("l")
    if trade_an is not None:
        lhs_a = lhs_a - trade_an
    m.add_constraints(
        lhs_a >= p("AccumulatedAnnualDemand"), name="EBb4_EnergyBalanceEachYear4", mask=produced
    )

    # ---- activity by mode, emissions -----------------------------------------------------
    by_mode = (ra0 * ys).sum("l")  # TotalAnnualTechnologyActivityByMode (r, t, m, y)
    tech_em = (ear * by_mode).sum("m")  # AnnualTechnologyEmission (r, t, e, y)
    annual_em = tech_em.sum("t")  # AnnualEmissions (r, e, y)
    has_emissions = "e" in idx
    if has_emissions:  # a model without emissions has no emission constraints at all
        lim = p("AnnualEmissionLimit")
        if bool((lim != -1).any()):
            m.add_constraints(
                annual_em + p("AnnualExogenousEmission") <= lim,
                name="E8_AnnualEmissionsLimit",
                mask=lim != -1,
            )
        mp_lim = p("ModelPeriodEmissionLimit")
        if bool((mp_lim != -1).any()):
            period_em = annual_em.sum("y") + p("ModelPeriodExogenousEmission")
            m.add_constraints(
                period_em <= mp_lim, name="E9_ModelPeriodEmissionsLimit", mask=mp_lim != -1
            )

    # ---- limits on capacity and activity -------------------------------------------------
    # Each family is generated only where its parameter limits something (as in the
    # reference model's conditions), and not at all when it limits nothing.
    period_act = annual_rta.sum("y")
    limits: list[tuple[Any, str, str, Any]] = [
        (tca, "<=", "TCC1_TotalAnnualMaxCapacityConstraint", p("TotalAnnualMaxCapacity")),
        (tca, ">=", "TCC2_TotalAnnualMinCapacityConstraint", p("TotalAnnualMinCapacity")),
        (
            nc,
            "<=",
            "NCC1_TotalAnnualMaxNewCapacityConstraint",
            p("TotalAnnualMaxCapacityInvestment"),
        ),
        (
            nc,
            ">=",
            "NCC2_TotalAnnualMinNewCapacityConstraint",
            p("TotalAnnualMinCapacityInvestment"),
        ),
        (
            annual_rta,
            "<=",
            "AAC2_TotalAnnualTechnologyActivityUpperLimit",
            p("TotalTechnologyAnnualActivityUpperLimit"),
        ),
        (
            annual_rta,
            ">=",
            "AAC3_TotalAnnualTechnologyActivityLowerLimit",
            p("TotalTechnologyAnnualActivityLowerLimit"),
        ),
        (
            period_act,
            "<=",
            "TAC2_TotalModelHorizonTechnologyActivityUpperLimit",
            p("TotalTechnologyModelPeriodActivityUpperLimit"),
        ),
        (
            period_act,
            ">=",
            "TAC3_TotalModelHorizenTechnologyActivityLowerLimit",
            p("TotalTechnologyModelPeriodActivityLowerLimit"),
        ),
    ]
    for lhs_x, sign, name, bound in limits:
        active = bound != -1 if sign == "<=" else bound > 0
        if bool(active.any()):
            m.add_constraints(lhs_x, sign, bound, name=name, mask=active)

    # ---- reserve margin and renewable target ---------------------------------------------
    rm = p("ReserveMargin")
    if bool((rm > 0).any()) and bool((p("ReserveMarginTagFuel") > 0).any()):
        in_margin = (tca * p("ReserveMarginTagTechnology") * cau).sum("t")  # (r, y)
        needing = (rate_prod * p("ReserveMarginTagFuel")).sum("f")  # (r, l, y)
        m.add_constraints(
            needing * rm - in_margin <= 0,
            name="RM3_ReserveMargin_Constraint",
            mask=(rm > 0).broadcast_like(ys).transpose("r", "l", "y"),
        )
    re_min = p("REMinProductionTarget")
    if bool((re_min > 0).any()):
        prod_tech = ((ra0 * oar).sum("m") * ys).sum("l")  # ProductionByTechnologyAnnual
        total_re = (prod_tech * p("RETagTechnology")).sum(["t", "f"])
        target_fuel = (rate_prod * ys * p("RETagFuel")).sum(["l", "f"])
        m.add_constraints(
            re_min * target_fuel - total_re <= 0, name="RE4_EnergyConstraint", mask=re_min > 0
        )

    # ---- costs ---------------------------------------------------------------------------
    dr = p("DiscountRate")
    dr_idv = p("DiscountRateIdv")
    df = (1 + dr) ** (yv - y0)
    df_mid = (1 + dr) ** (yv - y0 + 0.5)
    cc = p("CapitalCost")
    annuity = _crf_pva(dr_idv, dr, life)
    invest = cc * annuity  # CapitalInvestment per unit of NewCapacity (r, t, y)
    dm = p("DepreciationMethod")
    end = ymax - yv + 1
    beyond = (yv + life - 1) > ymax
    with np.errstate(divide="ignore", invalid="ignore"):
        sv_geo = 1 - ((1 + dr) ** end - 1) / ((1 + dr) ** life - 1)
    sv_lin = 1 - end / life
    sv_frac = _where(
        beyond & (dm == 1) & (dr > 0), sv_geo, _where(beyond & ((dm == 2) | (dr == 0)), sv_lin, 0)
    )
    salvage_discount = (1 + dr) ** (1 + ymax - y0)
    capital = nc * (invest / df)
    salvage = nc * (invest * sv_frac / salvage_discount)
    variable = (by_mode * p("VariableCost")).sum("m") / df_mid
    fixed_rate = p("FixedCost") / df_mid
    fixed = acc * fixed_rate
    fixed_const = float((residual * fixed_rate).sum())
    by_tech = capital - salvage + variable + fixed  # TotalDiscountedCostByTechnology
    if has_emissions:
        by_tech = by_tech + (tech_em * p("EmissionsPenalty")).sum("e") / df_mid
    objective = by_tech.sum()
    storage_cost = None
    if "s" in idx:
        storage_cost, storage_fn = _storage(m, p, idx, ra0, ys, yv, y0, ymax, dm)
        objective = objective + storage_cost.sum()
    m.add_objective(objective)
    built = Built(m, fixed_const, data, p)
    built.expr.update(
        NewCapacity=nc,
        RateOfActivity=ra,
        fixed_residual_cost=residual * fixed_rate,
        invest=invest,
        df=df,
        df_mid=df_mid,
        salvage_factor=invest * sv_frac / salvage_discount,
        alive=alive,
    )
    if storage_cost is not None:
        built.expr["storage_cost"] = storage_fn
    built.coords = idx
    return built


def _storage(
    m: linopy.Model,
    p: _Params,
    idx: dict[str, pd.Index],
    ra0: Any,
    ys: xr.DataArray,
    yv: xr.DataArray,
    y0: float,
    ymax: float,
    dm: xr.DataArray,
) -> tuple[Any, Any]:
    """Storage equations S1–S15, SC1–SC6 and SI1–SI10 of the reference model; returns the
    discounted storage cost by (r, s, y) and the same as a function of new storage capacity."""
    cls, cld, clh = p("Conversionls"), p("Conversionld"), p("Conversionlh")
    conv = cls * cld * clh  # (l, ls, ld, lh)
    tts = p("TechnologyToStorage").where(lambda a: a > 0, 0)
    tfs = p("TechnologyFromStorage").where(lambda a: a > 0, 0)
    # S1/S2 as variables, as in the reference model: every later storage equation then refers
    # to one variable instead of the activity of every technology in every time slice.
    r, s, y = idx["r"], idx["s"], idx["y"]
    brackets_coords = [r, s, idx["ls"], idx["ld"], idx["lh"], y]
    charge = m.add_variables(coords=brackets_coords, name="RateOfStorageCharge")
    discharge = m.add_variables(coords=brackets_coords, name="RateOfStorageDischarge")
    for var, ratio, tag in (
        (charge, tts, "S1_RateOfStorageCharge"),
        (discharge, tfs, "S2_RateOfStorageDischarge"),
    ):
        techs = [t for t in idx["t"] if bool((ratio.sel(t=t) != 0).any())]
        if techs:
            into = (ra0.sel(t=techs) * ratio.sel(t=techs)).sum(["t", "m"])  # (r, l, y, s)
            m.add_constraints((into * conv).sum("l") - var == 0, name=tag)
        else:
            m.add_constraints(var == 0, name=tag)
    net = charge - discharge
    weight = (ys * conv).sum("l")  # (ls, ld, lh, y)
    ncy = net * weight  # NetChargeWithinYear
    ncd = net * p("DaySplit")  # NetChargeWithinDay
    seasons, daytypes = list(idx["ls"]), list(idx["ld"])
    slys = m.add_variables(lower=0, coords=[r, s, y], name="StorageLevelYearStart")
    slyf = m.add_variables(lower=0, coords=[r, s, y], name="StorageLevelYearFinish")
    slss = m.add_variables(lower=0, coords=[r, s, idx["ls"], y], name="StorageLevelSeasonStart")
    slds = m.add_variables(
        lower=0, coords=[r, s, idx["ls"], idx["ld"], y], name="StorageLevelDayTypeStart"
    )
    sldf = m.add_variables(
        lower=0, coords=[r, s, idx["ls"], idx["ld"], y], name="StorageLevelDayTypeFinish"
    )
    nsc = m.add_variables(lower=0, coords=[r, s, y], name="NewStorageCapacity")
    ncy_year = ncy.sum(["ls", "ld", "lh"])  # (r, s, y)
    years = list(y)
    first, last = years[0], years[-1]
    # S5/S6 and S7/S8: year start and finish.
    m.add_constraints(
        slys.sel(y=first, drop=True) == p("StorageLevelStart"),
        name="S5_and_S6_StorageLevelYearStart_first",
    )
    if len(years) > 1:
        prev = {yr: years[i - 1] for i, yr in enumerate(years) if i}
        later = pd.Index(years[1:], name="y")
        before = pd.Index([prev[v] for v in years[1:]], name="y")
        lhs = (
            slys.sel(y=later)
            - _relabel(slys.sel(y=before), y=later)
            - _relabel(ncy_year.sel(y=before), y=later)
        )
        m.add_constraints(lhs == 0, name="S5_and_S6_StorageLevelYearStart")
        m.add_constraints(
            slyf.sel(y=before) - _relabel(slys.sel(y=later), y=before) == 0,
            name="S7_and_S8_StorageLevelYearFinish",
        )
    m.add_constraints(
        slyf.sel(y=last, drop=True) - slys.sel(y=last, drop=True) - ncy_year.sel(y=last, drop=True)
        == 0,
        name="S7_and_S8_StorageLevelYearFinish_last",
    )
    # S9/S10: season start (the first from the year start, each next from the one before).
    ls_all, ld_all = idx["ls"], idx["ld"]
    m.add_constraints(
        slss.sel(ls=seasons[0], drop=True) - slys == 0,
        name="S9_and_S10_StorageLevelSeasonStart_first",
    )
    if len(seasons) > 1:
        ls_next, ls_prev = ls_all[1:], ls_all[:-1]
        m.add_constraints(
            slss.sel(ls=ls_next)
            - _relabel(slss.sel(ls=ls_prev), ls=ls_next)
            - _relabel(ncy.sum(["ld", "lh"]).sel(ls=ls_prev), ls=ls_next)
            == 0,
            name="S9_and_S10_StorageLevelSeasonStart",
        )
    didt = p("DaysInDayType")  # (ls, ld, y)
    day_net = (ncd * didt).sum("lh")  # NetChargeWithinDay × days, by (r, s, ls, ld, y)
    # S11/S12: day-type start.
    m.add_constraints(
        slds.sel(ld=daytypes[0], drop=True) - slss == 0,
        name="S11_and_S12_StorageLevelDayTypeStart_first",
    )
    if len(daytypes) > 1:
        ld_next, ld_prev = ld_all[1:], ld_all[:-1]
        m.add_constraints(
            slds.sel(ld=ld_next)
            - _relabel(slds.sel(ld=ld_prev), ld=ld_next)
            - _relabel(day_net.sel(ld=ld_prev), ld=ld_next)
            == 0,
            name="S11_and_S12_StorageLevelDayTypeStart",
        )
        # S15: a day type's finish from the next day type's finish.
        m.add_constraints(
            sldf.sel(ld=ld_prev)
            - _relabel(sldf.sel(ld=ld_next), ld=ld_prev)
            + _relabel(day_net.sel(ld=ld_next), ld=ld_prev)
            == 0,
            name="S13_and_S14_and_S15_StorageLevelDayTypeFinish",
        )
    last_ld = sldf.sel(ld=daytypes[-1], drop=True)  # (r, s, ls, y)
    if len(seasons) > 1:
        # S14: the last day type of a season finishes where the next season starts.
        m.add_constraints(
            last_ld.sel(ls=ls_prev) - _relabel(slss.sel(ls=ls_next), ls=ls_prev) == 0,
            name="S13_and_S14_StorageLevelDayTypeFinish_season",
        )
    # S13: the last day type of the last season finishes where the year finishes.
    m.add_constraints(
        last_ld.sel(ls=seasons[-1], drop=True) - slyf == 0,
        name="S13_StorageLevelDayTypeFinish_year",
    )
    # SI1–SI3: storage limits from capacity.
    life_s = p("OperationalLifeStorage")
    yy = yv.rename(y="yy")
    age = yv - yy.assign_coords(yy=y.rename("yy"))
    alive = (age >= 0) & (age < life_s)
    acc_s = (nsc.rename(y="yy") * alive).sum("yy")
    upper = acc_s + p("ResidualStorageCapacity")  # StorageUpperLimit (r, s, y)
    lower = upper * p("MinStorageCharge")  # StorageLowerLimit
    # SC1–SC4: the level at the start and end of each daily time bracket within the limits.
    lh_idx = idx["lh"]
    order = xr.DataArray(np.arange(len(lh_idx)), coords=[lh_idx])
    other = order.rename(lh="lhlh").assign_coords(lhlh=lh_idx.rename("lhlh"))
    ncd_other = ncd.rename(lh="lhlh")
    before = (ncd_other * (other < order)).sum("lhlh")  # Σ over earlier brackets
    after = (ncd_other * (other > order)).sum("lhlh")  # Σ over later brackets
    levels = {"SC1": slds + before, "SC3": sldf - after}
    if len(daytypes) > 1:
        levels["SC2"] = slds.sel(ld=ld_next) - _relabel(after.sel(ld=ld_prev), ld=ld_next)
        levels["SC4"] = _relabel(sldf.sel(ld=ld_prev), ld=ld_next) + before.sel(ld=ld_next)
    for tag, level in levels.items():
        m.add_constraints(level - lower >= 0, name=f"{tag}_LowerLimit")
        m.add_constraints(level - upper <= 0, name=f"{tag}_UpperLimit")
    m.add_constraints(charge <= p("StorageMaxChargeRate"), name="SC5_MaxChargeConstraint")
    m.add_constraints(discharge <= p("StorageMaxDischargeRate"), name="SC6_MaxDischargeConstraint")
    # SI4–SI10: storage costs.
    drs = p("DiscountRateStorage")
    dfs = (1 + drs) ** (yv - y0)
    ccs = p("CapitalCostStorage")
    end = ymax - yv + 1
    beyond = (yv + life_s - 1) > ymax
    with np.errstate(divide="ignore", invalid="ignore"):
        geo = 1 - ((1 + drs) ** end - 1) / ((1 + drs) ** life_s - 1)
    lin = 1 - end / life_s
    frac = _where(
        beyond & (dm == 1) & (drs > 0),
        geo,
        _where(beyond & (((dm == 1) & (drs == 0)) | (dm == 2)), lin, 0),
    )
    per_unit = ccs / dfs - ccs * frac / (1 + drs) ** (ymax - y0 + 1)

    def cost(new_capacity: Any) -> Any:
        return new_capacity * per_unit

    return nsc * per_unit, cost


def _where(cond: Any, a: Any, b: Any) -> xr.DataArray:
    """``xarray.where`` (typed)."""
    out: xr.DataArray = xr.where(cond, a, b)  # type: ignore[no-untyped-call]
    return out


def _relabel(expr: Any, **coords: pd.Index) -> Any:
    """The same expression with coordinates replaced (to compare y with y−1, a season with the
    one before it, …)."""
    return expr.assign_coords(coords)
