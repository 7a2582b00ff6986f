"""Emissions trading: allowance allocation and the compliance position.

China's national ETS, power sector (SOURCES.md "Carbon market" [R]): allowances =
supply benchmark × electricity supplied × correction factor + heat benchmark × heat supplied;
CCER offsets may cover at most 5 % of the allowances due. These are the scalar helpers; the
cited benchmarks and correction factors of China's allocation plans, the EU and UK templates,
mixed allocation and the table-wide assessment are in :mod:`neutra.market.templates`,
:mod:`neutra.market.allocation` and :mod:`neutra.market.assessment`.

The compliance position of a year: verified emissions against free allowances, with offsets
(capped, and surrendered only to cover a shortfall), allowances banked from earlier years, and
the rest bought (or the surplus sold) at the year's price — computed by
:func:`neutra.market.compliance.compliance_path`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from neutra.errors import PlanValidationError, Problem
from neutra.market.compliance import compliance_path

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
    """Year by year: allowances due, offsets used (capped), surplus banked, bought, cost.

    ``surplus_t`` is the surplus of allowances held (offsets are not banked).
    """
    problems = [
        Problem("compliance", None, "year", str(y.year), "verified, free, offsets and price ≥ 0")
        for y in years
        if min(y.verified_t, y.free_t, y.offsets_t, y.price) < 0
    ]
    if problems:
        raise PlanValidationError(problems)
    ordered = sorted(years, key=lambda x: x.year)
    positions = pd.DataFrame(
        {
            "entity": [""] * len(ordered),
            "year": [y.year for y in ordered],
            "verified_t": [y.verified_t for y in ordered],
            "free_t": [y.free_t for y in ordered],
            "auctioned_t": [0.0] * len(ordered),
            "offsets_t": [y.offsets_t for y in ordered],
        }
    )
    path = compliance_path(
        positions,
        prices={y.year: y.price for y in ordered},
        offset_limits={y.year: offset_limit for y in ordered},
        banking=banking,
    )
    out = path[
        [
            "year",
            "verified_t",
            "free_t",
            "banked_in_t",
            "offsets_used_t",
            "bought_t",
            "surplus_t",
            "banked_out_t",
        ]
    ].copy()
    out["cost"] = path["purchase_cost"]
    out["revenue_if_sold"] = path["sales_revenue"]
    return out
