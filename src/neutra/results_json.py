"""The stable JSON form of an inventory run (schema ``neutra.inventory/1``, docs/cli-json.md)."""

from __future__ import annotations

import math
from typing import Any

from neutra.inventory.result import TOTAL_COLUMNS, InventoryResult
from neutra.provenance import RunInfo

SCHEMA = "neutra.inventory/1"


def _num(v: Any) -> float | None:
    f = float(v)
    return None if math.isnan(f) else round(f, 6)


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
