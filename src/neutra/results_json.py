"""The stable JSON form of an inventory run (schema ``neutra.inventory/1``, docs/cli-json.md)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from neutra.inventory.result import TOTAL_COLUMNS, InventoryResult
from neutra.provenance import RunInfo

SCHEMA = "neutra.inventory/1"


def _num(v: Any) -> float | None:
    f = float(v)
    return None if math.isnan(f) else round(f, 6) + 0.0  # + 0.0: no "-0.0" in the JSON


def inventory_json(result: InventoryResult, info: RunInfo) -> dict[str, Any]:
    """Totals by year, scope and gas, uncertainty, findings and provenance, in t CO2e."""
    s = result.summary
    scoped = s[~s["biogenic"] & (s["scope2_basis"] != "market")]
    years = []
    for rec in result.totals.to_dict("records"):
        y = int(rec["year"])
        sy = scoped[scoped["year"] == y]
        by_gas = sy.groupby("gas")["co2e_t"].sum()
        by_gas_mass = sy.groupby("gas")["emission_t"].sum()
        s3 = sy[sy["scope"] == 3].groupby("category")["co2e_t"].sum()
        unc = {}
        for u in result.uncertainty[result.uncertainty["year"] == y].to_dict("records"):
            unc[f"approach{u['approach']}"] = {
                "lower": _num(u["lower_t"]),
                "upper": _num(u["upper_t"]),
                "minus_pct": _num(u["u_minus_pct"]),
                "plus_pct": _num(u["u_plus_pct"]),
                "draws": int(u["draws"]),
            }
        years.append(
            {
                "year": y,
                **{k: _num(rec[k]) for k in TOTAL_COLUMNS[1:]},
                "by_gas": {
                    str(g): {"co2e": _num(v), "mass": _num(by_gas_mass[g])}
                    for g, v in by_gas.items()
                },
                "scope3_by_category": {str(k): _num(v) for k, v in s3.items()},
                "uncertainty": unc,
            }
        )
    unverified = sorted(
        set(result.factors.loc[result.factors["status"] == "unverified", "factor_id"])
    )
    return {
        "schema": SCHEMA,
        "entity": result.meta.get("entity"),
        "unit": "t CO2e",
        "run_id": info.run_id,
        "plan_hash": info.plan_hash,
        "package_version": info.package_version,
        "refdata_version": info.refdata_version,
        "gwp_set": result.meta.get("gwp_set"),
        "factor_sets": result.meta.get("factor_sets"),
        "co2_convention": result.meta.get("co2_convention"),
        "boundary": result.meta.get("boundary"),
        "years": years,
        "findings": [
            {
                k: (
                    None
                    if v is None or (isinstance(v, float) and math.isnan(v))
                    else (int(v) if k == "year" else v)
                )
                for k, v in f.items()
            }
            for f in result.findings.astype(object)
            .where(result.findings.notna(), None)
            .to_dict("records")
        ],
        "unverified_factors": unverified,
    }


REGION_SCHEMA = "neutra.region/1"


def region_json(status: Any, info: RunInfo) -> dict[str, Any]:
    """The stable JSON of a regional status run (schema ``neutra.region/1``, docs/cli-json.md)."""
    inv = status.inventory
    years = []
    ind = status.indicators.set_index("year")
    for rec in inv.totals.to_dict("records"):
        y = int(rec["year"])
        sect = inv.emissions[
            (inv.emissions["year"] == y) & (inv.emissions["approach"] == "sectoral")
        ]
        mix = inv.mix[inv.mix["year"] == y]
        entry: dict[str, Any] = {"year": y}
        entry.update({k: _num(v) for k, v in rec.items() if k != "year"})
        entry["by_sector"] = {
            str(k): _num(v) for k, v in sect.groupby("sector")["co2e_t"].sum().items()
        }
        entry["by_fuel"] = {
            str(k): _num(v) for k, v in sect.groupby("fuel")["co2e_t"].sum().items()
        }
        entry["energy_mix"] = {
            str(m): {str(k): _num(v) for k, v in zip(g["kind"], g["share"], strict=True)}
            for m, g in mix.groupby("method")
        }
        if y in ind.index:
            entry["indicators"] = {
                k: (_num(v) if isinstance(v, float | int) else v)
                for k, v in ind.loc[y].to_dict().items()
            }
        years.append(entry)
    kaya = None
    if status.kaya is not None:
        kaya = {
            "from": status.kaya.y0,
            "to": status.kaya.yt,
            "v0": _num(status.kaya.v0),
            "vt": _num(status.kaya.vt),
            "effects": {
                e.factor: {
                    "additive": _num(e.additive),
                    "multiplicative": None if e.multiplicative is None else _num(e.multiplicative),
                }
                for e in status.kaya.effects
            },
        }
    peak = None
    if status.peak is not None:
        p = status.peak
        peak = {
            "status": p.status.value,
            "peak_year": p.peak_year,
            "peak_value": _num(p.peak_value),
            "last_year": p.last_year,
            "below_peak_pct": _num(p.below_peak_pct),
            "explain": p.explain("en"),
        }
    return {
        "schema": REGION_SCHEMA,
        "entity": inv.meta.get("entity"),
        "unit": "t CO2e",
        "energy_unit": "tce",
        "run_id": info.run_id,
        "plan_hash": info.plan_hash,
        "package_version": info.package_version,
        "refdata_version": info.refdata_version,
        "gwp_set": inv.meta.get("gwp_set"),
        "factor_sets": inv.meta.get("factor_sets"),
        "years": years,
        "kaya": kaya,
        "peak": peak,
        "findings": inv.findings.astype(object)
        .where(inv.findings.notna(), None)
        .to_dict("records"),
        "unverified_factors": sorted(
            set(inv.factors.loc[inv.factors["status"] == "unverified", "factor_id"])
        ),
    }


def _year_or_none(v: Any) -> int | None:
    if v is None or (isinstance(v, float) and math.isnan(v)) or v == 0:
        return None
    return int(v)


def _carbon_prices(result: Any, scenario: str) -> dict[str, Any]:
    """Shadow prices of optimised modules' emission caps, per t CO2e, by module and year."""
    cp = getattr(result, "carbon_prices", None)
    if cp is None or cp.empty:
        return {}
    out: dict[str, Any] = {}
    for module, g in cp[cp["scenario"] == scenario].groupby("module", observed=True):
        out[str(module)] = {
            "currency_per_t": str(g["currency"].iloc[0]),
            "price": {int(y): _num(v) for y, v in zip(g["year"], g["value"], strict=True)},
            "cap_t": {
                int(y): None if v != v else _num(v)
                for y, v in zip(g["year"], g["cap_t"], strict=True)
            },
        }
    return out


def simulation_json(result: Any, info: RunInfo, monte_carlo: Any = None) -> dict[str, Any]:
    """The stable JSON of a simulation run (schema ``neutra.simulation/1``, docs/cli-json.md):
    per scenario its summary (peak, neutrality), yearly totals (t CO2e, energy in the plan's
    energy unit) and wedges by measure; Monte Carlo percentiles when draws were asked for."""
    scenarios = []
    summary = result.summary.set_index("scenario")
    for sid in result.scenarios:
        s = summary.loc[sid]
        t = result.totals[result.totals["scenario"] == sid]
        w = result.wedges[result.wedges["scenario"] == sid]
        entry: dict[str, Any] = {
            "scenario": sid,
            "kind": s["kind"],
            "peak": {
                "status": s["peak_status"],
                "year": _year_or_none(s["peak_year"]),
                "value_t": _num(s["peak_value"]),
            },
            "neutrality_year": _year_or_none(s["neutrality_year"]),
            "neutrality_year_with_trade": _year_or_none(s["neutrality_year_with_trade"]),
            "years": [
                {k: (int(v) if k == "year" else _num(v)) for k, v in rec.items() if k != "scenario"}
                for rec in t.to_dict("records")
            ],
            "carbon_prices": _carbon_prices(result, sid),
            "wedges": {
                str(m): {
                    "lever": str(g["lever"].iloc[0]),
                    "reduction_t": {
                        int(y): _num(v) for y, v in zip(g["year"], g["reduction"], strict=True)
                    },
                }
                for m, g in w.groupby("measure", sort=False)
            },
        }
        scenarios.append(entry)
    calibration = None
    if result.calibration:
        calibration = {
            k: (_num(v) if isinstance(v, float) else v) for k, v in result.calibration.items()
        }
    doc: dict[str, Any] = {
        "schema": "neutra.simulation/1",
        "run_id": info.run_id,
        "entity": info.plan_name,
        "plan_hash": info.plan_hash,
        "refdata_version": info.refdata_version,
        "package_version": info.package_version,
        "gwp_set": result.gwp_set,
        "energy_unit": result.energy_unit,
        "emissions_unit": "t CO2e",
        "notes": result.notes,
        "calibration": calibration,
        "scenarios": scenarios,
    }
    if monte_carlo is not None:
        doc["monte_carlo"] = [
            {k: (_num(v) if isinstance(v, float) else v) for k, v in rec.items()}
            for rec in monte_carlo.to_dict("records")
        ]
    return doc


def optimize_json(result: Any, info: RunInfo) -> dict[str, Any]:
    """The stable JSON of an optimisation run (schema ``neutra.optimize/1``, docs/cli-json.md):
    status, objective (total discounted cost, constant included), model-period emissions by
    emission, timings in seconds, model size, shadow prices of emission limits, diagnosis."""
    prices = result.tables.get("EmissionShadowPrice")
    return {
        "schema": "neutra.optimize/1",
        "run_id": info.run_id,
        "model": info.plan_name,
        "source": info.plan_source,
        "data_hash": info.plan_hash,
        "package_version": info.package_version,
        "solver": "highs",
        "status": result.status,
        "termination": result.termination,
        "objective": None if result.objective is None else _num(result.objective),
        "objective_constant": _num(result.constant),
        "emissions": {k: _num(v) for k, v in result.emissions.items()},
        "timings": {k: round(float(v), 4) for k, v in result.timings.items()},
        "size": result.size,
        "shadow_prices": []
        if prices is None or prices.empty
        else [
            {k: (_num(v) if isinstance(v, float) else v) for k, v in rec.items()}
            for rec in prices.to_dict("records")
        ],
        "diagnosis": result.diagnosis,
    }


def optimize_plan_json(result: Any, info: RunInfo, scenario: str) -> dict[str, Any]:
    """``neutra optimize PLAN --json``: the optimised modules of one scenario (schema
    ``neutra.optimize/1``): objective (the modules' least discounted cost), their emissions
    over the horizon in t CO2e, and per module its carbon price and cap by year."""
    cp = result.carbon_prices[result.carbon_prices["scenario"] == scenario]
    em = result.emissions[result.emissions["scenario"] == scenario]
    modules = sorted(str(m) for m in cp["module"].unique())
    total = 0.0
    for module in modules:
        total += float(em[em["branch"].astype(str).str.startswith(module)]["co2e"].sum())
    objective = float(cp.drop_duplicates("module")["objective"].sum())
    return {
        "schema": "neutra.optimize/1",
        "run_id": info.run_id,
        "model": info.plan_name,
        "source": info.plan_source,
        "scenario": scenario,
        "solver": "highs",
        "status": "ok",
        "termination": "optimal",
        "objective": _num(objective),
        "emissions": {"CO2e": _num(total)},
        "modules": _carbon_prices(result, scenario),
    }


def frame_records(frame: pd.DataFrame | None) -> list[dict[str, Any]]:
    """A table as JSON records: NaN as null, numpy scalars and lists as plain values."""
    if frame is None:
        return []
    out = []
    for rec in frame.to_dict("records"):
        row: dict[str, Any] = {}
        for k, v in rec.items():
            if isinstance(v, list | tuple | np.ndarray):
                row[str(k)] = [x.item() if isinstance(x, np.generic) else x for x in v]
            elif isinstance(v, float | np.floating):
                row[str(k)] = _num(v)
            elif isinstance(v, np.generic):
                row[str(k)] = v.item()
            elif v is pd.NA:
                row[str(k)] = None
            else:
                row[str(k)] = v
        out.append(row)
    return out


def sbti_json(t: Any) -> dict[str, Any]:
    """``neutra target sbti --json`` (schema ``neutra.sbti/1``) of a
    :class:`~neutra.targets.sbti.SbtTarget`."""
    return {
        "schema": "neutra.sbti/1",
        "method": t.method,
        "ambition": t.ambition.value,
        "annual_linear_rate": t.rate,
        "base_year": t.base_year,
        "base_emissions_t": t.base_emissions,
        "target_year": t.target_year,
        "target_emissions_t": round(t.target_emissions, 6),
        "reduction": round(t.reduction, 6),
        "pathway": {
            int(y): round(float(v), 6)
            for y, v in zip(t.pathway["year"], t.pathway["emissions"], strict=True)
        },
        "notes": list(t.notes),
    }


def target_check_json(line: Any, summary: pd.DataFrame, column: str) -> dict[str, Any]:
    """``neutra target check PLAN --target-year T --json`` (schema ``neutra.target-check/1``):
    the SBTi line and every scenario against it."""
    return {
        "schema": "neutra.target-check/1",
        "method": line.method,
        "ambition": line.ambition.value,
        "base_year": line.base_year,
        "base_t": round(line.base_emissions, 6),
        "target_year": line.target_year,
        "target_t": round(line.target_emissions, 6),
        "column": column,
        "scenarios": summary.to_dict("records"),
    }


def targets_json(found: dict[str, pd.DataFrame | None], info: RunInfo) -> dict[str, Any]:
    """``neutra target check PLAN --json`` (schema ``neutra.targets/1``): the plan's targets
    against every scenario, their allocation and aggregation."""
    return {
        "schema": "neutra.targets/1",
        "plan_hash": info.plan_hash,
        "checks": frame_records(found["target_checks"]),
        "allocation": frame_records(found.get("target_members")),
        "aggregation": frame_records(found.get("target_aggregation")),
    }


def sda_json(t: Any) -> dict[str, Any]:
    """``neutra target sda --json`` (schema ``neutra.sda/1``) of a
    :class:`~neutra.targets.sda.SdaTarget`."""
    return {
        "schema": "neutra.sda/1",
        "method": t.method,
        "sector": t.sector,
        "unit": t.unit,
        "base_year": t.base_year,
        "base_intensity": t.base_intensity,
        "target_year": t.target_year,
        "target_intensity": t.target_intensity,
        "target_emissions_t": t.target_emissions,
        "convergence_year": t.convergence_year,
        "convergence_intensity": t.convergence_intensity,
        "verified": t.verified,
        "sources": list(t.sources),
        "pathway": frame_records(t.pathway),
        "notes": list(t.notes),
    }


def netzero_json(t: Any) -> dict[str, Any]:
    """``neutra target netzero --json`` (schema ``neutra.netzero/1``) of a
    :class:`~neutra.targets.netzero.NetZeroTarget`."""
    return {
        "schema": "neutra.netzero/1",
        "standard": t.standard,
        "base_year": t.base_year,
        "base_emissions_t": t.base_emissions,
        "netzero_year": t.netzero_year,
        "min_reduction": t.min_reduction,
        "max_residual_t": round(t.max_residual, 6),
        "residual_t": round(t.residual, 6),
        "reduction": round(t.reduction, 6),
        "required_neutralisation_t": round(t.required_neutralisation, 6),
        "deep_reduction_met": t.deep_reduction_met,
        "deep_reduction_gap_t": round(t.deep_reduction_gap, 6),
        "notes": list(t.notes),
    }
