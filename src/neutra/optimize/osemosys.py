"""The OSeMOSYS formulation in linopy: build, solve with HiGHS, read the results back.

Written from the OSeMOSYS documentation and its reference model file (OSeMOSYS_GNU_MathProg,
``src/osemosys.txt``, version 2017_11_08; Apache-2.0), as Neutra's own code. The equations are
those of the long formulation with its accounting variables folded into linear expressions, so
that the LP has only the decisions: new capacity, rate of activity (only in modes that have an
input, output, emission or storage ratio — another mode could only add its variable cost),
trade, storage levels and new storage capacity (and the integer number of new units where a
unit size is given). Every family of constraints keeps the name of its OSeMOSYS equation
(``CAa4_Constraint_Capacity``, ``EBa11_EnergyBalanceEachTS5``, ``E8_AnnualEmissionsLimit`` …)
so that diagnoses and duals speak the user's language. The families are assembled sparse with
:mod:`neutra.optimize.sparse` and added to linopy as frozen sparse constraints (linopy's own
arithmetic costs tens of milliseconds per operation, more than HiGHS needs for UTOPIA).

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

from neutra.optimize.data import PARAMS, ModelData
from neutra.optimize.sparse import Expr, constrain

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
    """A built model: the linopy model, the objective's constant, and the parameters and
    expressions the results are read from (:func:`neutra.optimize.solve._read`)."""

    model: linopy.Model
    constant: float
    params: _Params
    expr: dict[str, Any] = field(default_factory=dict)


class _Params:
    """Dense parameters as DataArrays with short dimension names, defaults filled."""

    def __init__(self, data: ModelData) -> None:
        self.data = data
        self.cache: dict[str, xr.DataArray] = {}
        self.indexes: dict[str, pd.Index] = {}

    def __call__(self, name: str) -> xr.DataArray:
        found = self.cache.get(name)
        if found is None:
            found = self._dense(name)
            self.cache[name] = found
        return found

    def _dense(self, name: str) -> xr.DataArray:
        """The parameter on the full product of its sets: the default, then the given values
        placed by position (as ``ModelData.value`` does, without building the product index)."""
        spec = PARAMS[name]
        short: list[str] = []
        for n in spec.dims:
            d = DIMS[n.lstrip("_")]
            short.append("rr" if d in short else d)
        levels = [self.index(d) for d in short]
        shape = tuple(len(ix) for ix in levels)
        values = np.full(shape, float(self.data.defaults[name]))
        given = self.data.params[name]
        if name == "DiscountRateIdv":  # DiscountRate[r] where not given, as in the model file
            values[...] = self("DiscountRate").to_numpy().reshape(-1, *([1] * (len(shape) - 1)))
        if len(given):
            if len(levels) == 1:
                where: tuple[Any, ...] = (levels[0].get_indexer(given.index),)
            else:
                mi = given.index
                where = tuple(ix.get_indexer(mi.get_level_values(i)) for i, ix in enumerate(levels))
            ok = np.all(np.stack(where) >= 0, axis=0)
            values[tuple(w[ok] for w in where)] = given.to_numpy(dtype=float)[ok]
        return xr.DataArray(values, coords=levels, dims=short)

    def index(self, dim: str) -> pd.Index:
        found = self.indexes.get(dim)
        if found is None:
            members = self.data.sets[SET_OF["r" if dim == "rr" else dim]]
            found = self.indexes[dim] = pd.Index(members, name=dim)
        return found


def _crf_pva(dr_idv: xr.DataArray, dr: xr.DataArray, life: xr.DataArray) -> xr.DataArray:
    """CapitalRecoveryFactor × PvAnnuity (1 when the two discount rates are equal)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        crf = (1 - (1 + dr_idv) ** -1) / (1 - (1 + dr_idv) ** (-life))
        crf = _where(dr_idv == 0, 1 / life, crf)
        pva = (1 - (1 + dr) ** (-life)) * (1 + dr) / dr
        pva = _where(dr == 0, life, pva)
    return crf * pva


def _alive(life: xr.DataArray, yv: xr.DataArray) -> xr.DataArray:
    """Whether capacity new in year ``yy`` is still in use in year ``y``: 0 ≤ y − yy < life."""
    yy = yv.rename(y="yy").assign_coords(yy=yv.get_index("y").rename("yy"))
    age = yv - yy
    out: xr.DataArray = (age >= 0) & (age < life)
    return out


def _accumulated(new: Expr, life: xr.DataArray, yv: xr.DataArray) -> Expr:
    """The capacity built in earlier years still in use in each year (AccumulatedNewCapacity;
    for storage, the new part of StorageUpperLimit)."""
    return (new.rename(y="yy") * _alive(life, yv)).sum("yy")


def _salvage_fraction(
    dr: xr.DataArray, life: xr.DataArray, dm: xr.DataArray, yv: xr.DataArray, ymax: float
) -> xr.DataArray:
    """The share of an investment of year ``y`` left at the end of the horizon (SV1–SV3 of the
    reference model): geometric with DepreciationMethod 1 and a discount rate > 0, straight-line
    with method 1 and no discounting or with method 2; 0 when the life ends within the horizon."""
    end = ymax - yv + 1
    beyond = (yv + life - 1) > ymax
    with np.errstate(divide="ignore", invalid="ignore"):
        geo = 1 - ((1 + dr) ** end - 1) / ((1 + dr) ** life - 1)
    lin = 1 - end / life
    return _where(
        beyond & (dm == 1) & (dr > 0),
        geo,
        _where(beyond & (((dm == 1) & (dr == 0)) | (dm == 2)), lin, 0),
    )


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
    nc_var = m.add_variables(lower=0, coords=[idx["r"], idx["t"], idx["y"]], name="NewCapacity")
    ra_var = m.add_variables(
        lower=0,
        coords=[idx["r"], idx["l"], idx["t"], idx["m"], idx["y"]],
        name="RateOfActivity",
        mask=mask_ra,
    )
    nc, ra = Expr.of(nc_var), Expr.of(ra_var)

    # ---- capacity ----------------------------------------------------------------------
    life = p("OperationalLife")
    acc = _accumulated(nc, life, yv)  # AccumulatedNewCapacity (r, t, y)
    tca = acc + p("ResidualCapacity")  # TotalCapacityAnnual (r, t, y)
    unit = p("CapacityOfOneTechnologyUnit")
    if bool((unit != 0).any()):
        nu = m.add_variables(
            lower=0,
            coords=[idx["r"], idx["t"], idx["y"]],
            name="NumberOfNewTechnologyUnits",
            integer=True,
            mask=unit != 0,
        )
        constrain(m, "CAa5_TotalNewCapacity", Expr.of(nu) * unit - nc, "=", mask=unit != 0)
    rta = ra.sum("m")  # RateOfTotalActivity (r, l, t, y)
    cf, cau, af = p("CapacityFactor"), p("CapacityToActivityUnit"), p("AvailabilityFactor")
    constrain(m, "CAa4_Constraint_Capacity", rta - tca * (cf * cau), "<=")
    annual_rta = (rta * ys).sum("l")  # TotalTechnologyAnnualActivity (r, t, y)
    if bool((af < 1).any()):
        constrain(
            m,
            "CAb1_PlannedMaintenance",
            annual_rta - tca * ((cf * ys).sum("l") * af * cau),
            "<=",
            mask=af < 1,
        )

    # ---- energy balance ----------------------------------------------------------------
    rate_prod = (ra * oar).sum(["t", "m"])  # RateOfProduction (r, l, y, f)
    rate_use = (ra * iar).sum(["t", "m"])  # RateOfUse (r, l, y, f)
    demand = p("SpecifiedAnnualDemand") * p("SpecifiedDemandProfile")  # Demand (r, l, f, y)
    produced = (oar != 0).any(["t", "m"])  # (r, f, y)
    trade_ts = trade_an = None
    route = p("TradeRoute")
    if bool((route != 0).any()):
        routed = (route != 0).broadcast_like(ys).transpose("r", "rr", "l", "f", "y")
        trade_var = m.add_variables(
            coords=[idx["r"], idx["r"].rename("rr"), idx["l"], idx["f"], idx["y"]],
            name="Trade",
            mask=routed,
        )
        trade = Expr.of(trade_var)
        constrain(
            m,
            "EBa10_EnergyBalanceEachTS4",
            trade + trade.rename(r="rr", rr="r"),
            "=",
            mask=routed,
        )
        trade_ts = (trade * route).sum("rr")
        trade_an = (trade.sum("l") * route).sum("rr")
    lhs = (rate_prod - rate_use) * ys
    if trade_ts is not None:
        lhs = lhs - trade_ts
    constrain(m, "EBa11_EnergyBalanceEachTS5", lhs, ">=", demand, mask=produced)
    lhs_a = ((rate_prod - rate_use) * ys).sum("l")
    if trade_an is not None:
        lhs_a = lhs_a - trade_an
    constrain(
        m,
        "EBb4_EnergyBalanceEachYear4",
        lhs_a,
        ">=",
        p("AccumulatedAnnualDemand"),
        mask=produced,
    )

    # ---- activity by mode, emissions -----------------------------------------------------
    by_mode = (ra * ys).sum("l")  # TotalAnnualTechnologyActivityByMode (r, t, m, y)
    tech_em = (by_mode * ear).sum("m")  # AnnualTechnologyEmission (r, t, y, e)
    has_emissions = "e" in idx
    if has_emissions:  # a model without emissions has no emission constraints at all
        annual_em = tech_em.sum("t")  # AnnualEmissions (r, y, e)
        lim = p("AnnualEmissionLimit")
        if bool((lim != -1).any()):
            constrain(
                m,
                "E8_AnnualEmissionsLimit",
                annual_em + p("AnnualExogenousEmission"),
                "<=",
                lim,
                mask=lim != -1,
            )
        mp_lim = p("ModelPeriodEmissionLimit")
        if bool((mp_lim != -1).any()):
            period_em = annual_em.sum("y") + p("ModelPeriodExogenousEmission")
            constrain(m, "E9_ModelPeriodEmissionsLimit", period_em, "<=", mp_lim, mask=mp_lim != -1)

    # ---- limits on capacity and activity -------------------------------------------------
    # Each family is generated only where its parameter limits something (as in the
    # reference model's conditions), and not at all when it limits nothing.
    period_act = annual_rta.sum("y")
    limits: list[tuple[Expr, str, str, str]] = [
        (tca, "<=", "TCC1_TotalAnnualMaxCapacityConstraint", "TotalAnnualMaxCapacity"),
        (tca, ">=", "TCC2_TotalAnnualMinCapacityConstraint", "TotalAnnualMinCapacity"),
        (
            nc,
            "<=",
            "NCC1_TotalAnnualMaxNewCapacityConstraint",
            "TotalAnnualMaxCapacityInvestment",
        ),
        (
            nc,
            ">=",
            "NCC2_TotalAnnualMinNewCapacityConstraint",
            "TotalAnnualMinCapacityInvestment",
        ),
        (
            annual_rta,
            "<=",
            "AAC2_TotalAnnualTechnologyActivityUpperLimit",
            "TotalTechnologyAnnualActivityUpperLimit",
        ),
        (
            annual_rta,
            ">=",
            "AAC3_TotalAnnualTechnologyActivityLowerLimit",
            "TotalTechnologyAnnualActivityLowerLimit",
        ),
        (
            period_act,
            "<=",
            "TAC2_TotalModelHorizonTechnologyActivityUpperLimit",
            "TotalTechnologyModelPeriodActivityUpperLimit",
        ),
        (
            period_act,
            ">=",
            "TAC3_TotalModelHorizenTechnologyActivityLowerLimit",
            "TotalTechnologyModelPeriodActivityLowerLimit",
        ),
    ]
    for lhs_x, sign, name, param in limits:
        bound = p(param)
        active = bound != -1 if sign == "<=" else bound > 0
        if bool(active.any()):
            constrain(m, name, lhs_x, sign, bound, mask=active)

    # ---- reserve margin and renewable target ---------------------------------------------
    rm = p("ReserveMargin")
    if bool((rm > 0).any()) and bool((p("ReserveMarginTagFuel") > 0).any()):
        in_margin = (tca * (p("ReserveMarginTagTechnology") * cau)).sum("t")  # (r, y)
        needing = (rate_prod * p("ReserveMarginTagFuel")).sum("f")  # (r, l, y)
        constrain(m, "RM3_ReserveMargin_Constraint", needing * rm - in_margin, "<=", mask=rm > 0)
    re_min = p("REMinProductionTarget")
    if bool((re_min > 0).any()):
        prod_tech = (((ra * oar).sum("m")) * ys).sum("l")  # ProductionByTechnologyAnnual
        total_re = (prod_tech * p("RETagTechnology")).sum(["t", "f"])
        target_fuel = (rate_prod * (ys * p("RETagFuel"))).sum(["l", "f"])
        constrain(m, "RE4_EnergyConstraint", target_fuel * re_min - total_re, "<=", mask=re_min > 0)

    # ---- costs ---------------------------------------------------------------------------
    dr = p("DiscountRate")
    dr_idv = p("DiscountRateIdv")
    df = (1 + dr) ** (yv - y0)
    df_mid = (1 + dr) ** (yv - y0 + 0.5)
    cc = p("CapitalCost")
    annuity = _crf_pva(dr_idv, dr, life)
    invest = cc * annuity  # CapitalInvestment per unit of NewCapacity (r, t, y)
    dm = p("DepreciationMethod")
    sv_frac = _salvage_fraction(dr, life, dm, yv, ymax)
    salvage_discount = (1 + dr) ** (1 + ymax - y0)
    # TotalDiscountedCostByTechnology: capital − salvage + variable + fixed (+ penalties). The
    # fixed cost of residual capacity is the constant of tca × fixed rate.
    per_new = invest / df - invest * sv_frac / salvage_discount
    by_tech = (
        nc * per_new
        + (by_mode * p("VariableCost")).sum("m") / df_mid
        + tca * (p("FixedCost") / df_mid)
    )
    if has_emissions:
        by_tech = by_tech + (tech_em * p("EmissionsPenalty")).sum("e") / df_mid
    objective = by_tech.sum()
    storage_fn = None
    if "s" in idx:
        storage_cost, storage_fn = _storage(m, p, idx, ra, ys, yv, y0, ymax, dm)
        objective = objective + storage_cost.sum()
    total, constant = objective.total(m)
    m.add_objective(total)
    built = Built(m, constant, p)
    built.expr.update(
        invest=invest,
        df=df,
        df_mid=df_mid,
        salvage_factor=invest * sv_frac / salvage_discount,
        alive=_alive(life, yv),
    )
    if storage_fn is not None:
        built.expr["storage_cost"] = storage_fn
    return built


def _storage(
    m: linopy.Model,
    p: _Params,
    idx: dict[str, pd.Index],
    ra: Expr,
    ys: xr.DataArray,
    yv: xr.DataArray,
    y0: float,
    ymax: float,
    dm: xr.DataArray,
) -> tuple[Expr, Any]:
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
    charge = Expr.of(m.add_variables(coords=brackets_coords, name="RateOfStorageCharge"))
    discharge = Expr.of(m.add_variables(coords=brackets_coords, name="RateOfStorageDischarge"))
    for var, ratio, tag in (
        (charge, tts, "S1_RateOfStorageCharge"),
        (discharge, tfs, "S2_RateOfStorageDischarge"),
    ):
        into = ((ra * ratio).sum(["t", "m"]) * conv).sum("l")  # (r, y, s, ls, ld, lh)
        constrain(m, tag, into - var, "=")
    net = charge - discharge
    weight = (ys * conv).sum("l")  # (ls, ld, lh, y)
    ncy = net * weight  # NetChargeWithinYear
    ncd = net * p("DaySplit")  # NetChargeWithinDay
    seasons, daytypes = list(idx["ls"]), list(idx["ld"])

    def level(name: str, *coords: pd.Index) -> Expr:
        return Expr.of(m.add_variables(lower=0, coords=[r, s, *coords], name=name))

    slys = level("StorageLevelYearStart", y)
    slyf = level("StorageLevelYearFinish", y)
    slss = level("StorageLevelSeasonStart", idx["ls"], y)
    slds = level("StorageLevelDayTypeStart", idx["ls"], idx["ld"], y)
    sldf = level("StorageLevelDayTypeFinish", idx["ls"], idx["ld"], y)
    nsc = level("NewStorageCapacity", y)
    ncy_year = ncy.sum(["ls", "ld", "lh"])  # (r, s, y)
    years = list(y)
    first, last = years[0], years[-1]
    # S5/S6 and S7/S8: year start and finish.
    constrain(
        m,
        "S5_and_S6_StorageLevelYearStart_first",
        slys.sel(y=first, drop=True),
        "=",
        p("StorageLevelStart"),
    )
    if len(years) > 1:
        later = pd.Index(years[1:], name="y")
        before = pd.Index(years[:-1], name="y")
        constrain(
            m,
            "S5_and_S6_StorageLevelYearStart",
            slys.sel(y=later)
            - slys.sel(y=before).relabel(y=later)
            - ncy_year.sel(y=before).relabel(y=later),
            "=",
        )
        constrain(
            m,
            "S7_and_S8_StorageLevelYearFinish",
            slyf.sel(y=before) - slys.sel(y=later).relabel(y=before),
            "=",
        )
    constrain(
        m,
        "S7_and_S8_StorageLevelYearFinish_last",
        slyf.sel(y=last, drop=True) - slys.sel(y=last, drop=True) - ncy_year.sel(y=last, drop=True),
        "=",
    )
    # S9/S10: season start (the first from the year start, each next from the one before).
    ls_all, ld_all = idx["ls"], idx["ld"]
    constrain(
        m,
        "S9_and_S10_StorageLevelSeasonStart_first",
        slss.sel(ls=seasons[0], drop=True) - slys,
        "=",
    )
    ls_next, ls_prev = ls_all[1:], ls_all[:-1]
    if len(seasons) > 1:
        constrain(
            m,
            "S9_and_S10_StorageLevelSeasonStart",
            slss.sel(ls=ls_next)
            - slss.sel(ls=ls_prev).relabel(ls=ls_next)
            - ncy.sum(["ld", "lh"]).sel(ls=ls_prev).relabel(ls=ls_next),
            "=",
        )
    didt = p("DaysInDayType")  # (ls, ld, y)
    day_net = (ncd * didt).sum("lh")  # NetChargeWithinDay × days, by (r, s, ls, ld, y)
    # S11/S12: day-type start.
    constrain(
        m,
        "S11_and_S12_StorageLevelDayTypeStart_first",
        slds.sel(ld=daytypes[0], drop=True) - slss,
        "=",
    )
    ld_next, ld_prev = ld_all[1:], ld_all[:-1]
    if len(daytypes) > 1:
        constrain(
            m,
            "S11_and_S12_StorageLevelDayTypeStart",
            slds.sel(ld=ld_next)
            - slds.sel(ld=ld_prev).relabel(ld=ld_next)
            - day_net.sel(ld=ld_prev).relabel(ld=ld_next),
            "=",
        )
        # S15: a day type's finish from the next day type's finish.
        constrain(
            m,
            "S13_and_S14_and_S15_StorageLevelDayTypeFinish",
            sldf.sel(ld=ld_prev)
            - sldf.sel(ld=ld_next).relabel(ld=ld_prev)
            + day_net.sel(ld=ld_next).relabel(ld=ld_prev),
            "=",
        )
    last_ld = sldf.sel(ld=daytypes[-1], drop=True)  # (r, s, ls, y)
    if len(seasons) > 1:
        # S14: the last day type of a season finishes where the next season starts.
        constrain(
            m,
            "S13_and_S14_StorageLevelDayTypeFinish_season",
            last_ld.sel(ls=ls_prev) - slss.sel(ls=ls_next).relabel(ls=ls_prev),
            "=",
        )
    # S13: the last day type of the last season finishes where the year finishes.
    constrain(
        m,
        "S13_StorageLevelDayTypeFinish_year",
        last_ld.sel(ls=seasons[-1], drop=True) - slyf,
        "=",
    )
    # SI1–SI3: storage limits from capacity.
    life_s = p("OperationalLifeStorage")
    upper = _accumulated(nsc, life_s, yv) + p("ResidualStorageCapacity")
    lower = upper * p("MinStorageCharge")  # StorageLowerLimit
    # SC1–SC4: the level at the start and end of each daily time bracket within the limits.
    lh_idx = idx["lh"]
    order = xr.DataArray(np.arange(len(lh_idx)), coords=[lh_idx])
    other = order.rename(lh="lhlh").assign_coords(lhlh=lh_idx.rename("lhlh"))
    ncd_other = ncd.rename(lh="lhlh")
    earlier = (ncd_other * (other < order)).sum("lhlh")  # Σ over earlier brackets
    later_b = (ncd_other * (other > order)).sum("lhlh")  # Σ over later brackets
    levels = {"SC1": slds + earlier, "SC3": sldf - later_b}
    if len(daytypes) > 1:
        levels["SC2"] = slds.sel(ld=ld_next) - later_b.sel(ld=ld_prev).relabel(ld=ld_next)
        levels["SC4"] = sldf.sel(ld=ld_prev).relabel(ld=ld_next) + earlier.sel(ld=ld_next)
    for tag, lvl in levels.items():
        constrain(m, f"{tag}_LowerLimit", lvl - lower, ">=")
        constrain(m, f"{tag}_UpperLimit", lvl - upper, "<=")
    constrain(m, "SC5_MaxChargeConstraint", charge, "<=", p("StorageMaxChargeRate"))
    constrain(m, "SC6_MaxDischargeConstraint", discharge, "<=", p("StorageMaxDischargeRate"))
    # SI4–SI10: storage costs.
    drs = p("DiscountRateStorage")
    dfs = (1 + drs) ** (yv - y0)
    ccs = p("CapitalCostStorage")
    frac = _salvage_fraction(drs, life_s, dm, yv, ymax)
    per_unit = ccs / dfs - ccs * frac / (1 + drs) ** (ymax - y0 + 1)

    def cost(new_capacity: Any) -> Any:
        return new_capacity * per_unit

    return nsc * per_unit, cost


def _where(cond: Any, a: Any, b: Any) -> xr.DataArray:
    """``xarray.where`` (typed)."""
    out: xr.DataArray = xr.where(cond, a, b)  # type: ignore[no-untyped-call]
    return out
