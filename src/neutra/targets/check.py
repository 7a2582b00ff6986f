"""Targets checked against scenarios: on track or not, by how much, in which years.

A target is a pathway of the most a quantity may be in each year (an SBTi line, a budget's
yearly share, a cap path). Each scenario's series of that quantity (``net``, ``emissions`` …
from the simulation's totals) is compared year by year: the gap is value − target (> 0: above
the target), and the scenario is on track in a year when the gap is ≤ 0.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from neutra.errors import PlanError


def check_pathway(
    totals: pd.DataFrame,
    target: pd.DataFrame,
    column: str = "net",
    scenarios: list[str] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Year-by-year gaps and a summary per scenario.

    ``totals`` has scenario, year and ``column``; ``target`` has year and emissions (the target
    pathway, same unit). Only the years of the target are compared.
    """
    if column not in totals.columns:
        raise PlanError(
            f"totals have no column {column!r}; expected one of "
            + ", ".join(c for c in totals.columns if c not in ("scenario", "year"))
        )
    t = target.rename(columns={"emissions": "target"})[["year", "target"]]
    rows = totals[["scenario", "year", column]].merge(t, on="year", how="inner")
    if scenarios is not None:
        rows = rows[rows["scenario"].isin(scenarios)]
    if rows.empty:
        raise PlanError("the target's years and the scenarios' years do not overlap")
    rows = rows.rename(columns={column: "value"})
    rows["gap"] = rows["value"] - rows["target"]
    rows["on_track"] = rows["gap"] <= 1e-9 * np.maximum(rows["target"].abs(), 1.0)
    last = int(t["year"].max())
    summary = []
    for sid, g in rows.groupby("scenario", sort=False):
        off = g[~g["on_track"]]
        end = g[g["year"] == last]
        summary.append(
            {
                "scenario": sid,
                "target_year": last,
                "target": float(end["target"].iloc[0]) if len(end) else np.nan,
                "value": float(end["value"].iloc[0]) if len(end) else np.nan,
                "gap_in_target_year": float(end["gap"].iloc[0]) if len(end) else np.nan,
                "met_in_target_year": bool(end["on_track"].iloc[0]) if len(end) else False,
                "years_off_track": [int(y) for y in off["year"]],
                "largest_gap": float(g["gap"].max()),
            }
        )
    return rows.reset_index(drop=True), pd.DataFrame(summary)
