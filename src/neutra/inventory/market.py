"""Market-based Scope 2 (GHG Protocol Scope 2 Guidance, ch. 6–7).

Order of factors: contractual instruments first (each MWh of each instrument claimed once),
then the residual mix (in China: the MEE series excluding market-traded non-fossil power),
then the grid average as a last resort. Instruments must be for the plan's market and of a
vintage no older than ``settings.max_vintage_gap_years`` before the consumption year.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from neutra.inventory.recipes import Resolver, _ef_base, rel_u
from neutra.model.enums import Method
from neutra.model.plan import Instrument, Plan

J_PER_MWH = 3.6e9


@dataclass
class MarketResult:
    rows: pd.DataFrame  # facility, year, method, mwh, emission_t, factor_ids, status, instruments
    claims: pd.DataFrame  # instrument, kind, facility, year, mwh_claimed, factor
    findings: list[dict[str, object]] = field(default_factory=list)


def _usable(ins: Instrument, plan: Plan, findings: list[dict[str, object]]) -> bool:
    gap = plan.settings.max_vintage_gap_years
    if ins.market != plan.entity.market:
        findings.append(
            {
                "code": "instrument_wrong_market",
                "severity": "warning",
                "facility": ins.facility or "",
                "year": ins.year,
                "detail": f"{ins.id}: market {ins.market} ≠ {plan.entity.market}",
            }
        )
        return False
    if ins.vintage > ins.year or ins.year - ins.vintage > gap:
        findings.append(
            {
                "code": "instrument_vintage",
                "severity": "warning",
                "facility": ins.facility or "",
                "year": ins.year,
                "detail": f"{ins.id}: vintage {ins.vintage} for consumption in "
                f"{ins.year} (allowed gap {gap} years)",
            }
        )
        return False
    return True


def market_based(
    plan: Plan, consumption: pd.DataFrame, resolver: Resolver, regions: dict[str, str]
) -> MarketResult:
    """Allocate instruments to electricity consumption and price the rest.

    Args:
        consumption: columns facility, year, activity_id, energy_j (grid electricity, J).
    """
    findings: list[dict[str, object]] = []
    out: list[dict[str, object]] = []
    claims: list[dict[str, object]] = []
    cons = consumption.groupby(["facility", "year", "activity_id"], as_index=False)[
        "energy_j"
    ].sum()
    for year, ydf in cons.groupby("year"):
        remaining = {(r.facility, r.activity_id): r.energy_j / J_PER_MWH for r in ydf.itertuples()}
        left: dict[str, float] = {}
        usable = [i for i in plan.instruments if i.year == year and _usable(i, plan, findings)]
        # Facility-specific instruments first, then the rest in facility order.
        for ins in sorted(usable, key=lambda i: (i.facility is None, i.id)):
            avail = ins.mwh
            for key in sorted(remaining):
                if ins.facility and key[0] != ins.facility:
                    continue
                take = min(avail, remaining[key])
                if take <= 0:
                    continue
                remaining[key] -= take
                avail -= take
                claims.append(
                    {
                        "instrument": ins.id,
                        "kind": ins.kind.value,
                        "facility": key[0],
                        "year": int(year),
                        "mwh_claimed": take,
                        "factor_kg_per_kwh": ins.factor,
                    }
                )
                out.append(
                    {
                        "facility": key[0],
                        "year": int(year),
                        "activity_id": key[1],
                        "method": Method.MARKET_INSTRUMENT.value,
                        "mwh": take,
                        "emission_t": take * ins.factor,  # MWh × kg/kWh = t
                        "factor_ids": f"instrument:{ins.id}",
                        "status": "reported",
                        "u_factor": 0.0,
                    }
                )
                if avail <= 0:
                    break
            if avail > 1e-9:
                left[ins.id] = avail
        for iid, mwh in left.items():
            findings.append(
                {
                    "code": "instrument_unclaimed",
                    "severity": "info",
                    "facility": "",
                    "year": int(year),
                    "detail": f"{iid}: {mwh:,.1f} MWh not needed",
                }
            )
        for (fac, aid), mwh in sorted(remaining.items()):
            if mwh <= 1e-12:
                continue
            region = regions.get(fac, plan.entity.grid_region)
            rec, tag = resolver.grid_factor(aid, region, int(year), "residual_mix")
            method = Method.MARKET_RESIDUAL
            if rec is None:
                rec, tag = resolver.grid_factor(aid, region, int(year), "location")
                method = Method.MARKET_GRID_AVERAGE
                findings.append(
                    {
                        "code": "no_residual_mix",
                        "severity": "warning",
                        "facility": fac,
                        "year": int(year),
                        "detail": f"{region}: grid average used",
                    }
                )
            if rec is None:
                continue  # location-based resolution already reported this as a problem
            if tag != "exact":
                findings.append(
                    {
                        "code": "residual_fallback",
                        "severity": "info",
                        "facility": fac,
                        "year": int(year),
                        "detail": f"{region} {year} → {rec['region']} {rec['year']}",
                    }
                )
            out.append(
                {
                    "facility": fac,
                    "year": int(year),
                    "activity_id": aid,
                    "method": method.value,
                    "mwh": mwh,
                    "emission_t": mwh * J_PER_MWH * _ef_base(rec) / 1000.0,
                    "factor_ids": str(rec["factor_id"]),
                    "status": str(rec["status"]),
                    "u_factor": rel_u(rec),
                }
            )
    cols = [
        "facility",
        "year",
        "activity_id",
        "method",
        "mwh",
        "emission_t",
        "factor_ids",
        "status",
        "u_factor",
    ]
    return MarketResult(
        pd.DataFrame(out, columns=cols),
        pd.DataFrame(
            claims,
            columns=["instrument", "kind", "facility", "year", "mwh_claimed", "factor_kg_per_kwh"],
        ),
        findings,
    )
