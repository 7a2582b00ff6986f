"""Uncertainty of the inventory total: IPCC 2006 Vol. 1 Ch. 3, Approach 1 and Approach 2.

Sources are (year, category, activity, gas). For each: activity uncertainty from the rows
(independent rows: root-sum-square), factor uncertainty from the factors' published 95 %
bounds (the larger side, relative), fully correlated inside a source.

- Approach 1 (Eq. 3.1 and 3.2): ``U = sqrt(U_a² + U_f²)`` per source, then
  ``U_total = sqrt(Σ (U_i · x_i)²) / |Σ x_i|``.
- Approach 2 (§3.2.3.2): Monte Carlo, each source's factor and activity drawn from normal
  distributions (σ = U / 1.96), negative draws clipped to zero, seeded generator, 2.5 and 97.5 percentiles.

Factors without published bounds (e.g. grid factors) contribute no uncertainty; the findings
say which.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

Z95 = 1.959964  # two-sided 95 % quantile of the standard normal


def sources(summary: pd.DataFrame) -> pd.DataFrame:
    """Per-source inputs: CO2e, relative activity and factor uncertainty (95 % half-widths)."""
    s = summary[~summary["biogenic"] & (summary["scope2_basis"] != "market")]
    g = s.groupby(["year", "scope", "category", "activity_id", "gas"], as_index=False).agg(
        co2e_t=("co2e_t", "sum"),
        ua2=("ua_abs", lambda x: float(np.sum(np.square(x)))),
        uf_abs=("uf_abs", "sum"),
        uf_missing=("uf_missing", "any"),
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        g["u_activity"] = np.where(g["co2e_t"] > 0, np.sqrt(g["ua2"]) / g["co2e_t"], 0.0)
        g["u_factor"] = np.where(g["co2e_t"] > 0, g["uf_abs"] / g["co2e_t"], 0.0)
    g["u_combined"] = np.hypot(g["u_activity"], g["u_factor"])
    return g.drop(columns=["ua2", "uf_abs"])


def approach1(src: pd.DataFrame) -> pd.DataFrame:
    """Error propagation (IPCC 2006 Vol. 1 Ch. 3 Approach 1), by year."""
    out = []
    for year, g in src.groupby("year"):
        total = float(g["co2e_t"].sum())
        u = (
            float(np.sqrt(np.sum(np.square(g["u_combined"] * g["co2e_t"])))) / total
            if total
            else 0.0
        )
        out.append(
            {
                "year": int(year),
                "approach": "1",
                "total_t": total,
                "lower_t": total * (1 - u),
                "upper_t": total * (1 + u),
                "u_minus_pct": 100 * u,
                "u_plus_pct": 100 * u,
                "draws": 0,
            }
        )
    return pd.DataFrame(out)


def approach2(src: pd.DataFrame, rng: np.random.Generator, draws: int) -> pd.DataFrame:
    """Monte Carlo (IPCC 2006 Vol. 1 Ch. 3 Approach 2), by year; 95 % interval by percentiles."""
    out = []
    for year, g in src.groupby("year"):
        x = g["co2e_t"].to_numpy()
        sa = g["u_activity"].to_numpy() / Z95
        sf = g["u_factor"].to_numpy() / Z95
        a = np.clip(rng.normal(1.0, sa[:, None], (len(x), draws)), 0.0, None)
        f = np.clip(rng.normal(1.0, sf[:, None], (len(x), draws)), 0.0, None)
        totals = (x[:, None] * a * f).sum(axis=0)
        total = float(x.sum())
        lo, hi = (float(v) for v in np.percentile(totals, [2.5, 97.5]))
        out.append(
            {
                "year": int(year),
                "approach": "2",
                "total_t": total,
                "lower_t": lo,
                "upper_t": hi,
                "u_minus_pct": 100 * (total - lo) / total if total else 0.0,
                "u_plus_pct": 100 * (hi - total) / total if total else 0.0,
                "draws": draws,
            }
        )
    return pd.DataFrame(out)
