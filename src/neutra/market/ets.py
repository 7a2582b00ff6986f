"""Emissions trading: allowance allocation and the compliance position.

China's national ETS, power sector (SOURCES.md "Carbon market" [R]): allowances =
supply benchmark × electricity supplied × correction factor + heat benchmark × heat supplied;
CCER offsets may cover at most 5 % of the allowances due. The benchmarks are the plan's data
(cited where they come from); no benchmark value is shipped here. Grandfathering (a share of
historical emissions) and auctioning (none free) are the other allocation methods.

The compliance position of a year: verified emissions against free allowances, with offsets
(capped), allowances banked from earlier years, and the rest bought (or the surplus sold) at the
year's price.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from neutra.errors import PlanValidationError, Problem

CCER_LIMIT = 0.05  # offsets may cover at most 5 % of the allowances due (China ETS) [R]


def power_allowances(
    electricity_mwh: float,
    supply_benchmark_t_per_mwh: float,
    correction: float,
    heat_gj: float = 0.0,
    heat_benchmark_t_per_gj: float = 0.0,
) -> float:
    """Free allowances of a power unit (t CO2): benchmark × supply × correction + heat part."""
    problems = [
        Problem("allocation", None, name, str(v), "a number ≥ 0")
        for name, v in (
            ("electricity_mwh", electricity_mwh),
            ("supply_benchmark", supply_benchmark_t_per_mwh),
            ("correction", correction),
            ("heat_gj", heat_gj),
            ("heat_benchmark", heat_benchmark_t_per_gj),
        )
        if not v >= 0
    ]
    if problems:
        raise PlanValidationError(problems)
    return (
        supply_benchmark_t_per_mwh * electricity_mwh * correction
        + heat_benchmark_t_per_gj * heat_gj
    )


def grandfathered(history_t: float, factor: float) -> float:
    """Free allowances as a share of historical emissions."""
    if not (history_t >= 0 and factor >= 0):
        raise PlanValidationError(
            [
                Problem(
                    "allocation",
                    None,
                    "grandfathering",
                    f"{history_t}, {factor}",
                    "historical emissions and a factor ≥ 0",
                )
            ]
        )
    return history_t * factor


@dataclass(frozen=True, slots=True)
class Year:
    year: int
    verified_t: float  # verified emissions
    free_t: float  # free allowances
    offsets_t: float = 0.0  # offsets the entity holds (CCER …)
    price: float = 0.0  # price per allowance


def compliance(
    years: list[Year], *, offset_limit: float = CCER_LIMIT, banking: bool = True
) -> pd.DataFrame:
    """Year by year: allowances due, offsets used (capped), surplus banked, bought, cost."""
    problems = [
        Problem("compliance", None, "year", str(y.year), "verified, free, offsets and price ≥ 0")
        for y in years
        if min(y.verified_t, y.free_t, y.offsets_t, y.price) < 0
    ]
    if problems:
        raise PlanValidationError(problems)
    rows = []
    bank = 0.0
    for y in sorted(years, key=lambda x: x.year):
        due = y.verified_t
        offsets = min(y.offsets_t, offset_limit * due)
        available = y.free_t + bank + offsets
        short = max(due - available, 0.0)
        surplus = max(available - due, 0.0)
        # Offsets and banked allowances are spent before the year's own surplus is banked.
        bank_out = surplus if banking else 0.0
        rows.append(
            {
                "year": y.year,
                "verified_t": due,
                "free_t": y.free_t,
                "banked_in_t": bank,
                "offsets_used_t": offsets,
                "bought_t": short,
                "surplus_t": surplus,
                "banked_out_t": bank_out,
                "cost": short * y.price,
                "revenue_if_sold": (surplus - bank_out) * y.price,
            }
        )
        bank = bank_out
    return pd.DataFrame(rows)
