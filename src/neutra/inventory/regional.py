"""A region's GHG inventory from its energy balance tables (IPCC 2006 Vol. 2 Ch. 1 and 6).

- **Sectoral approach**: fuels burnt = transformation inputs of thermal power and heating
  (printed negative) + final consumption by sector, less non-energy use (其中：用作原料、材料);
  each fuel × its combustion factors (CO2, and CH4/N2O where the factor sets have them).
- **Reference approach** (CO2 only): apparent consumption of each fuel (the balance's
  "available for local consumption") less non-energy use, × its CO2 factor.
- Their difference is explained exactly, when the table closes, by the carbon of losses, of the
  statistical difference and of the other transformations (coking, refining, gas works, …):
  ``reference − sectoral = EF × (losses + statistical difference − other transformation)``.
- **Production-based** total = sectoral energy CO2e + process emissions from product output;
  **consumption-based** total adds the CO2 of net electricity inflow at the grid factor.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from neutra import units
from neutra.analysis.energy import (
    SECTORS,
    closure,
    closure_problems,
    energy_mix,
    standard_coal,
    wide,
)
from neutra.errors import Problem, UnitError
from neutra.inventory.gases import GwpSet, gwp_for
from neutra.inventory.recipes import mass_from, resolver_for
from neutra.model.balance import FUELS
from neutra.model.enums import Category
from neutra.model.plan import Plan
from neutra.refdata.library import Library

NON_FUELS = frozenset({"heat", "electricity", "other_energy"})
POWER_HEAT = ("thermal_power", "heating")
OTHER_TRANSFORMATION = (
    "coal_washing",
    "coking",
    "refining",
    "gas_making",
    "gas_liquefaction",
    "briquetting",
    "transformation_recovery",
)
TOTAL_COLUMNS = [
    "year",
    "sectoral_co2_t",
    "sectoral_co2e_t",
    "reference_co2_t",
    "difference_t",
    "difference_losses_t",
    "difference_statistical_t",
    "difference_transformation_t",
    "difference_unexplained_t",
    "non_energy_use_co2_t",
    "process_co2_t",
    "production_based_t",
    "electricity_net_inflow_kwh",
    "electricity_inflow_co2_t",
    "consumption_based_t",
    "energy_tce_calorific_value",
    "energy_tce_coal_equivalent",
]


@dataclass(frozen=True)
class RegionalResult:
    """A region's inventory, energy and indicators, in t and tce (tidy tables)."""

    emissions: pd.DataFrame  # year, approach, sector, fuel, gas, emission_t, co2e_t, factor_ids
    totals: pd.DataFrame  # TOTAL_COLUMNS
    process: pd.DataFrame  # year, product, amount, unit, co2_t, factor_id, status
    energy: pd.DataFrame  # year, fuel, kind, physical, unit, tce by both methods
    mix: pd.DataFrame  # year, method, kind, tce, share
    closure: pd.DataFrame
    findings: pd.DataFrame
    factors: pd.DataFrame
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass
class _FuelFactors:
    terms: list[
        tuple[str, float, float, str, str, str]
    ]  # gas, t gas per unit, gwp, ids, status, method
    co2_per_unit: float


def fuel_factors(
    plan: Plan, library: Library, gwp: GwpSet
) -> tuple[dict[str, _FuelFactors], list[tuple[str, str]]]:
    """Combustion factors per balance fuel in t of gas per printed unit; and fuels without."""
    key = ("fuel_factors", gwp.name, plan.settings.co2_convention)
    cached = library.cache.get(key)
    if cached is not None:
        return cached  # type: ignore[return-value]
    resolver = resolver_for(library, gwp, plan.settings.co2_convention)
    out: dict[str, _FuelFactors] = {}
    missing: list[tuple[str, str]] = []
    for fuel in FUELS:
        if fuel.id in NON_FUELS:
            continue
        r = resolver.recipe(Category.STATIONARY_COMBUSTION.value, fuel.id, fuel.unit)
        if r.error is not None or (
            np.isnan(r.ncv_base) and any(t.basis == "energy" for t in r.terms)
        ):
            missing.append((fuel.id, r.error or "no default NCV"))
            continue
        terms = []
        co2 = 0.0
        for t in r.terms:
            energy = r.unit_factor * (r.ncv_base if t.basis == "energy" else 1.0)
            per_unit = energy * t.coef * (r.oxidation if t.oxidised else 1.0) * t.share / 1000
            ids = ";".join(dict.fromkeys(t.factor_ids + (r.oxidation_ids if t.oxidised else ())))
            gv = gwp.value(t.gas, t.origin).value
            if t.biogenic:
                continue
            terms.append((t.gas, per_unit, gv, ids, t.status.value, t.method.value))
            if t.gas == "CO2":
                co2 += per_unit
        out[fuel.id] = _FuelFactors(terms, co2)
    library.cache[key] = (out, missing)
    return out, missing


def _combustion(w: pd.DataFrame) -> pd.DataFrame:
    """Fuel burnt by year, sector and fuel, in printed units (tidy)."""
    burnt = pd.DataFrame(index=w.index)
    for item in POWER_HEAT:
        burnt[item] = (-w[item]).clip(lower=0.0)  # inputs printed negative; outputs not burnt
    for item in SECTORS:
        burnt[item] = w[item] - (w["industry_feedstock"] if item == "industry" else 0.0)
    burnt.columns.name = "sector"
    out = burnt.stack().rename("qty").reset_index()
    return out[out["qty"] != 0]


def compute_regional(plan: Plan, library: Library) -> tuple[RegionalResult, list[Problem]]:
    """The regional inventory of a plan with energy balance tables.

    Returns the result and the problems that make it unusable (fossil fuels burnt with no
    factor; tables that do not close); the caller raises them.
    """
    if plan.balances is None or plan.balances.empty:
        raise ValueError("plan has no energy balance tables")
    balances = plan.balances
    gwp = gwp_for(library, plan.settings.gwp_set)
    problems: list[Problem] = []
    w = wide(balances)
    check = closure(balances, plan.settings.balance_tolerance, w)
    problems += closure_problems(check, {f.id: f.unit for f in FUELS})
    factors, missing = fuel_factors(plan, library, gwp)
    burnt = _combustion(w)
    used_fuels = set(burnt["fuel"]) | set(w.index.get_level_values("fuel")[w["available"] != 0])
    first_cell = balances.drop_duplicates(["fuel"]).set_index("fuel")
    for fuel, why in missing:
        if fuel in used_fuels:
            rec = first_cell.loc[fuel] if fuel in first_cell.index else None
            problems.append(
                Problem(
                    str(rec["file"]) if rec is not None else "energy balance",
                    None,
                    fuel,
                    None,
                    f"a combustion factor (NCV and carbon content, or a CO2 factor) for '{fuel}' in "
                    f"the plan's factor sets ({why})",
                    None,
                )
            )
    findings: list[dict[str, Any]] = []
    terms = pd.DataFrame(
        [(f, *term) for f, ff in factors.items() for term in ff.terms],
        columns=["fuel", "gas", "per_unit", "gwp", "factor_ids", "status", "method"],
    )
    sect = burnt.merge(terms, on="fuel", how="inner")
    sect["emission_t"] = sect["qty"] * sect["per_unit"]
    sect["co2e_t"] = sect["emission_t"] * sect["gwp"]
    sect["approach"] = "sectoral"
    sect["year"] = sect["year"].astype(int)
    # Reference approach (CO2 only) and the explanation of the difference, all years at once.
    wi = w.reset_index()
    ef = wi["fuel"].map({f: ff.co2_per_unit for f, ff in factors.items()}).fillna(0.0)
    ref = (wi["available"] - wi["industry_feedstock"]) * ef
    other_t = wi[list(OTHER_TRANSFORMATION)].sum(axis=1)
    parts = pd.DataFrame(
        {
            "year": wi["year"].astype(int),
            "reference_co2_t": ref,
            "difference_losses_t": wi["losses"] * ef,
            "difference_statistical_t": wi["statistical_difference"] * ef,
            "difference_transformation_t": -other_t * ef,
            "non_energy_use_co2_t": wi["industry_feedstock"] * ef,
        }
    )
    t = parts.groupby("year", as_index=False).sum()
    refrows = pd.DataFrame(
        {
            "year": wi["year"].astype(int),
            "approach": "reference",
            "sector": "apparent",
            "fuel": wi["fuel"],
            "gas": "CO2",
            "emission_t": ref,
            "co2e_t": ref,
            "factor_ids": "",
            "status": "",
            "method": "reference_approach",
        }
    )
    rows = refrows[ref != 0]
    emission_cols = [
        "year",
        "approach",
        "sector",
        "fuel",
        "gas",
        "emission_t",
        "co2e_t",
        "factor_ids",
        "status",
        "method",
    ]
    emissions = pd.concat([sect[emission_cols], rows[emission_cols]], ignore_index=True)
    sect = emissions[emissions["approach"] == "sectoral"]
    t["sectoral_co2_t"] = (
        t["year"].map(sect[sect["gas"] == "CO2"].groupby("year")["emission_t"].sum()).fillna(0.0)
    )
    t["sectoral_co2e_t"] = t["year"].map(sect.groupby("year")["co2e_t"].sum()).fillna(0.0)
    t["difference_t"] = t["reference_co2_t"] - t["sectoral_co2_t"]
    t["difference_unexplained_t"] = t["difference_t"] - (
        t["difference_losses_t"] + t["difference_statistical_t"] + t["difference_transformation_t"]
    )
    process, pfind, pprob = process_emissions(plan, library)
    problems += pprob
    findings += pfind
    t["process_co2_t"] = t["year"].map(process.groupby("year")["co2_t"].sum()).fillna(0.0)
    t["production_based_t"] = t["sectoral_co2e_t"] + t["process_co2_t"]
    elec = wi[wi["fuel"] == "electricity"].set_index("year")
    resolver = resolver_for(library, gwp, plan.settings.co2_convention)
    inflow_kwh, inflow_t = [], []
    own_grid = _series(plan, "grid_factor_electricity", "kg/kWh", problems)
    elec_unit_kwh = 1e8  # the balance prints electricity in 亿kWh
    for year in t["year"]:
        net = 0.0
        if year in elec.index:
            e = elec.loc[year]
            net = float(e["inflow"] + e["imports"] + e["outflow"] + e["exports"]) * elec_unit_kwh
        own = own_grid.get(int(year))
        if own is not None:  # the plan's own published factor for its grid
            inflow_kwh.append(net)
            inflow_t.append(net * own / 1000.0)
            continue
        rec, tag = resolver.grid_factor("electricity", plan.entity.grid_region, int(year))
        if rec is None:
            inflow_kwh.append(net)
            inflow_t.append(float("nan"))
            findings.append(
                {
                    "code": "no_grid_factor",
                    "severity": "warning",
                    "year": int(year),
                    "detail": plan.entity.grid_region,
                }
            )
            continue
        if tag != "exact":
            findings.append(
                {
                    "code": f"grid_{tag}",
                    "severity": "warning",
                    "year": int(year),
                    "detail": f"{plan.entity.grid_region} {year} → {rec['region']} {rec['year']}",
                }
            )
        inflow_kwh.append(net)
        inflow_t.append(net * float(rec["value"]) / 1000.0)  # kg/kWh → t
    t["electricity_net_inflow_kwh"] = inflow_kwh
    t["electricity_inflow_co2_t"] = inflow_t
    t["consumption_based_t"] = t["production_based_t"] + t["electricity_inflow_co2_t"]
    coal_rates = _coal_rates(plan, library, problems)
    energy, efind = standard_coal(balances, w, library, coal_rates)
    findings += efind
    t["energy_tce_calorific_value"] = (
        t["year"].map(energy.groupby("year")["tce_calorific_value"].sum()).fillna(0.0)
    )
    t["energy_tce_coal_equivalent"] = t["year"].map(
        energy.groupby("year")["tce_coal_equivalent"].agg(lambda x: x.sum(skipna=False))
    )
    prod_elec = wi[wi["fuel"] == "electricity"].set_index("year")["production"]
    mix = energy_mix(energy, prod_elec)
    used_ids = set(";".join(emissions["factor_ids"].fillna("")).split(";"))
    used_ids |= set(";".join(energy["factor_ids"]).split(";")) | set(process["factor_id"])
    meta = {
        "entity": plan.entity.name,
        "gwp_set": plan.settings.gwp_set,
        "factor_sets": list(library.set_ids),
        "refdata_version": library.version,
        "co2_convention": plan.settings.co2_convention.value,
        "years": [int(y) for y in t["year"]],
        "grid_region": plan.entity.grid_region,
        "balance_tolerance": plan.settings.balance_tolerance,
    }
    result = RegionalResult(
        emissions=emissions,
        totals=t[TOTAL_COLUMNS],
        process=process,
        energy=energy,
        mix=mix,
        closure=check,
        findings=pd.DataFrame(findings, columns=["code", "severity", "year", "detail"]),
        factors=library.used({i for i in used_ids if i}),
        meta=meta,
    )
    return result, problems


def _coal_rates(
    plan: Plan, library: Library, problems: list[Problem]
) -> dict[int, tuple[float, str, str]]:
    """kgce per kWh of thermal power supply by year: the plan's series, else the factor sets."""
    out: dict[int, tuple[float, str, str]] = {}
    published = library.cache.get("coal_rates")
    if not isinstance(published, dict):
        rows = library.rows("electricity_coal_equivalent")
        published = {
            int(r["year"]): (
                float(r["value"]) * units.factor(str(r["unit"]), "kgce/kWh"),
                str(r["factor_id"]),
                str(r["status"]),
            )
            for _, r in rows[rows["parameter"] == "ce_coefficient"].iterrows()
            if not pd.isna(r["year"])
        }
        library.cache["coal_rates"] = published
    years = sorted({int(y) for y in plan.balances["year"]}) if plan.balances is not None else []
    for year in years:
        # Only the year's own published rate: an earlier year's would mislead (the rate falls
        # every year); a year without one is a finding and its coal-equivalent total is blank.
        if year in published:
            out[year] = published[year]
    for year, v in _series(plan, "coal_rate_thermal_power", "kgce/kWh", problems).items():
        out[year] = (v, f"plan:series:coal_rate_thermal_power:{year}", "reported")
    return out


def _series(
    plan: Plan, indicator: str, unit: str, problems: list[Problem] | None = None
) -> dict[int, float]:
    """One indicator of the plan's series by year, converted to ``unit`` (a wrong unit is a
    located problem)."""
    if plan.series is None:
        return {}
    s = plan.series[plan.series["indicator"] == indicator]
    out: dict[int, float] = {}
    for r in s.itertuples():
        try:
            out[int(r.year)] = float(r.value) * units.factor(str(r.unit), unit)
        except UnitError as exc:
            if problems is not None:
                problems.append(
                    Problem(
                        str(r.file),
                        int(r.row),
                        "unit",
                        str(r.unit),
                        f"{exc.expected} for {indicator}",
                    )
                )
    return out


def _process_factor(library: Library, product: str, unit: str) -> tuple[float, str, str] | None:
    """t CO2 per ``unit`` of a product, with its factor id and status (cached per library)."""
    key = ("process", product, unit)
    if key in library.cache:
        return library.cache[key]  # type: ignore[return-value]
    efs = library.rows(product)
    efs = efs[(efs["parameter"] == "ef") & (efs["gas"] == "CO2")]
    out = None
    for _, e in efs.iterrows():
        if mass_from(str(e["unit"]), unit):
            try:
                t_per = float(e["value"]) * units.factor(f"({e['unit']})*({unit})", "t")
            except UnitError:
                continue
            out = (t_per, str(e["factor_id"]), str(e["status"]))
            break
    library.cache[key] = out
    return out


def process_emissions(
    plan: Plan, library: Library
) -> tuple[pd.DataFrame, list[dict[str, Any]], list[Problem]]:
    """CO2 of industrial processes from the series ``output_<product>`` × the product's factor."""
    cols = ["year", "product", "amount", "unit", "co2_t", "factor_id", "status"]
    if plan.series is None:
        return pd.DataFrame(columns=cols), [], []
    s = plan.series[plan.series["indicator"].str.startswith("output_")]
    rows, problems = [], []
    for rec in s.itertuples():
        product = str(rec.indicator).removeprefix("output_")
        found = _process_factor(library, product, str(rec.unit))
        if found is None:
            problems.append(
                Problem(
                    str(rec.file),
                    int(rec.row),
                    "indicator",
                    str(rec.indicator),
                    f"a product with a process CO2 factor per {rec.unit} in the "
                    "factor sets (e.g. output_cement_clinker, output_lime)",
                )
            )
            continue
        t_per, fid, status = found
        rows.append(
            {
                "year": int(rec.year),
                "product": product,
                "amount": float(rec.value),
                "unit": str(rec.unit),
                "co2_t": float(rec.value) * t_per,
                "factor_id": fid,
                "status": status,
            }
        )
    return pd.DataFrame(rows, columns=cols), [], problems
