"""Regional status analysis (摸清家底): inventory, energy, structure, intensity, drivers, peak.

A pure function of a validated regional plan and its factor library: it composes the regional
inventory, the indicators, a Kaya LMDI-I decomposition (base year → last year, and chained year
by year) and peak detection of the production-based total.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from neutra.analysis.indicators import indicators
from neutra.analysis.lmdi import (
    KAYA_FACTORS,
    ChainedDecomposition,
    Decomposition,
    decompose,
    decompose_chained,
)
from neutra.analysis.lmdi import kaya as kaya_table
from neutra.analysis.peak import PeakResult, detect_peak
from neutra.errors import Problem
from neutra.inventory.regional import RegionalResult, compute_regional
from neutra.model.plan import Plan
from neutra.refdata.library import Library


@dataclass(frozen=True)
class RegionalStatus:
    """Everything the status step computes for a region."""

    inventory: RegionalResult
    indicators: pd.DataFrame
    kaya: Decomposition | None
    kaya_chained: ChainedDecomposition | None
    peak: PeakResult | None
    kaya_input: pd.DataFrame


def status_analysis(plan: Plan, library: Library) -> tuple[RegionalStatus, list[Problem]]:
    """Compute the regional status; returns it with the problems that make it unusable."""
    inv, problems = compute_regional(plan, library)
    ind, more = indicators(plan.series, inv.totals, plan.entity.base_year)
    problems += more
    k_in = pd.DataFrame(
        {
            "year": ind["year"],
            "population": ind["population"],
            "gdp": ind["gdp_constant_wan_cny"],
            "energy": ind["energy_tce_calorific_value"],
            "co2": ind["co2_t"],
        }
    )
    k_in.attrs["units"] = "t CO2e"
    total = chained = None
    peak = None
    if not problems and k_in.notna().all().all() and len(k_in) >= 2:
        tab = kaya_table(k_in, source="series.csv")
        years = [int(y) for y in tab["year"]]
        total = decompose(tab, KAYA_FACTORS, years[0], years[-1], unit="t CO2e")
        chained = decompose_chained(tab, KAYA_FACTORS, years, unit="t CO2e")
    series = inv.totals.set_index("year")["production_based_t"]
    if len(series) and series.notna().all() and (series >= 0).all():
        series.attrs["units"] = "t CO2e"
        peak = detect_peak(series)
    return RegionalStatus(inv, ind, total, chained, peak, k_in), problems
