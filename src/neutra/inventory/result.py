"""The inventory's results: tidy tables in tonnes, and totals by year."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from neutra import units
from neutra.errors import UnitError
from neutra.model.plan import Output

TOTAL_COLUMNS = [
    "year",
    "scope1",
    "scope2_location",
    "scope2_market",
    "scope3",
    "total_location",
    "total_market",
    "biogenic_co2",
]


@dataclass(frozen=True)
class InventoryResult:
    """Everything an inventory run produces. Emissions in t, CO2e in t CO2e.

    Attributes:
        summary: facility × year × scope × category × activity × gas (× method, status).
        detail: one row per activity row × gas, with its factor ids (``None`` if not kept).
        market: market-based Scope 2 electricity by facility, year and method.
        claims: which instrument covered which consumption (each MWh claimed once).
        totals: by year: scope 1, scope 2 location/market, scope 3, totals, biogenic CO2.
        uncertainty: by year and approach: total and its 95 % interval.
        sources: per source category, the uncertainty inputs.
        findings: data-quality findings (completeness, fallbacks, unverified factors).
        factors: every factor row used, with its source, licence and status.
        gwp_values: the GWP values used.
    """

    summary: pd.DataFrame
    detail: pd.DataFrame | None
    market: pd.DataFrame
    claims: pd.DataFrame
    totals: pd.DataFrame
    uncertainty: pd.DataFrame
    sources: pd.DataFrame
    findings: pd.DataFrame
    factors: pd.DataFrame
    gwp_values: pd.DataFrame
    meta: dict[str, Any] = field(default_factory=dict)
    outputs: tuple[Output, ...] = ()

    def intensities(self) -> pd.DataFrame:
        """Emissions per unit of each output (entity-wide outputs: total; per facility: its own)."""
        return intensities(self.summary, self.totals, self.outputs)


def totals_by_year(
    summary: pd.DataFrame, market: pd.DataFrame, years: tuple[int, ...]
) -> pd.DataFrame:
    s = summary[~summary["biogenic"]]
    out = []
    for y in years:
        sy = s[s["year"] == y]
        s1 = float(sy.loc[sy["scope"] == 1, "co2e_t"].sum())
        s2_common = float(sy.loc[(sy["scope"] == 2) & (sy["scope2_basis"] == ""), "co2e_t"].sum())
        s2_loc = s2_common + float(sy.loc[sy["scope2_basis"] == "location", "co2e_t"].sum())
        s2_mkt = s2_common + float(market.loc[market["year"] == y, "emission_t"].sum())
        s3 = float(sy.loc[sy["scope"] == 3, "co2e_t"].sum())
        bio = float(summary.loc[(summary["year"] == y) & summary["biogenic"], "emission_t"].sum())
        out.append(
            {
                "year": y,
                "scope1": s1,
                "scope2_location": s2_loc,
                "scope2_market": s2_mkt,
                "scope3": s3,
                "total_location": s1 + s2_loc + s3,
                "total_market": s1 + s2_mkt + s3,
                "biogenic_co2": bio,
            }
        )
    return pd.DataFrame(out, columns=TOTAL_COLUMNS)


def intensities(
    summary: pd.DataFrame, totals: pd.DataFrame, outputs: tuple[Output, ...]
) -> pd.DataFrame:
    """Scope 1+2 and total intensity per output unit, by year (and facility where given)."""
    rows = []
    groups: dict[tuple[int, str, str], list[Output]] = {}
    for o in outputs:
        groups.setdefault((o.year, o.product, o.facility or ""), []).append(o)
    for (year, product, fac), outs in sorted(groups.items()):
        unit = _intensity_unit(outs[0].unit)
        try:
            amount = sum(o.amount * units.factor(o.unit, unit) for o in outs)
        except UnitError:
            continue
        if fac:
            s = summary[
                (summary["facility"] == fac)
                & (summary["year"] == year)
                & ~summary["biogenic"]
                & (summary["scope2_basis"] != "market")
            ]
            s12 = float(s.loc[s["scope"] < 3, "co2e_t"].sum())
            tot = float(s["co2e_t"].sum())
        else:
            t = totals[totals["year"] == year]
            if t.empty:
                continue
            s12 = float(t["scope1"].iloc[0] + t["scope2_location"].iloc[0])
            tot = float(t["total_location"].iloc[0])
        rows.append(
            {
                "year": year,
                "facility": fac,
                "product": product,
                "amount": amount,
                "unit": unit,
                "scope12_per_unit": s12 / amount,
                "total_per_unit": tot / amount,
                "intensity_unit": f"t CO2e/{unit}",
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "year",
            "facility",
            "product",
            "amount",
            "unit",
            "scope12_per_unit",
            "total_per_unit",
            "intensity_unit",
        ],
    )


def _intensity_unit(unit: str) -> str:
    """Denominator of an intensity: t for masses, 万CNY for yuan (t CO2e/万元, the Chinese
    statistical convention), else the output's own unit."""
    try:
        dim = units.dimension_of(unit)
    except UnitError:
        return unit
    return {"mass": "t", "currency (CNY)": "万CNY", "energy": "GJ"}.get(dim, unit)
