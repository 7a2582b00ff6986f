"""The compliance position of each entity, year by year, and its cost or revenue.

For an entity in year y (all in t CO2e; prices in currency per t)::

    held      = free + auctioned + banked_in
    need      = max(verified − held, 0)
    offsets   = min(offsets available, limit_y × verified, need)    # limit: 5 % in China
    bought    = need − offsets                                      # shortfall bought
    surplus   = max(held − verified, 0)
    banked_out = surplus if banking else 0;   sold = surplus − banked_out
    net_position = free + auctioned + offsets − verified            # the year's own long/short
    net_cost  = (auctioned + bought − sold) × price_y
    discounted = net_cost / (1 + r)^(y − y0)

Offsets are surrendered only to cover a shortfall, never banked. Identity, per entity and
year: ``banked_out = banked_in + net_position + bought − sold``; so with banking the bank at
the end equals the sum of the yearly net positions plus what was bought.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

from neutra.errors import PlanValidationError, Problem

POSITION_COLUMNS: tuple[str, ...] = (
    "entity",
    "year",
    "verified_t",
    "free_t",
    "auctioned_t",
    "banked_in_t",
    "offsets_available_t",
    "offset_limit_t",
    "offsets_used_t",
    "bought_t",
    "surplus_t",
    "sold_t",
    "banked_out_t",
    "net_position_t",
    "cumulative_position_t",
    "price",
    "auction_cost",
    "purchase_cost",
    "sales_revenue",
    "net_cost",
    "discount_factor",
    "net_cost_discounted",
)
# The quantities summed by :func:`totals` (t CO2e), before the money columns.
QUANTITY_TOTALS: tuple[str, ...] = (
    "verified_t",
    "free_t",
    "auctioned_t",
    "offsets_used_t",
    "bought_t",
    "sold_t",
    "net_position_t",
)
MONEY_COLUMNS: tuple[str, ...] = (
    "auction_cost",
    "purchase_cost",
    "sales_revenue",
    "net_cost",
    "net_cost_discounted",
)


def compliance_path(
    positions: pd.DataFrame,
    *,
    prices: Mapping[int, float] | None,
    offset_limits: Mapping[int, float],
    banking: bool,
    rate: float = 0.0,
    base_year: int | None = None,
) -> pd.DataFrame:
    """Each entity's position year by year (columns :data:`POSITION_COLUMNS`).

    Args:
        positions: one row per entity and year with ``entity``, ``year``, ``verified_t``,
            ``free_t``, ``auctioned_t`` and ``offsets_t`` (t CO2e; NaN offsets count as 0).
        prices: price per allowance by year (currency per t), or ``None`` for positions in
            tonnes only (money columns NaN).
        offset_limits: the share of the allowances due that offsets may cover, by year
            (China 0.05; EU from 2021: 0).
        banking: carry a surplus into the next year (else it is sold).
        rate: discount rate per year (fraction, ≥ 0).
        base_year: year of discount factor 1 (default: the first year of ``positions``).

    Raises:
        PlanValidationError: negative quantities, a year without a price or offset limit,
            a bad rate, duplicated entity-years.
    """
    problems: list[Problem] = []
    if not (rate >= 0 and math.isfinite(rate)):
        problems.append(Problem("--rate", None, "rate", str(rate), "a discount rate ≥ 0"))
    for c in ("verified_t", "free_t", "auctioned_t", "offsets_t"):
        v = pd.to_numeric(positions[c], errors="coerce").fillna(0.0 if c == "offsets_t" else -1)
        for y in positions.loc[v < 0, "year"].unique():
            problems.append(Problem("positions", None, c, str(y), "quantities ≥ 0 every year"))
    dup = positions.duplicated(["entity", "year"], keep=False)
    if dup.any():
        problems.append(Problem("positions", None, "year", None, "each entity and year once"))
    years = sorted({int(y) for y in positions["year"]})
    if prices is not None:
        missing = [y for y in years if y not in prices]
        if missing:
            problems.append(
                Problem("prices", None, "year", ", ".join(map(str, missing)), "a price every year")
            )
    missing_limits = [y for y in years if y not in offset_limits]
    if missing_limits:
        problems.append(
            Problem(
                "offset limits",
                None,
                "year",
                ", ".join(map(str, missing_limits)),
                "an offset limit every year",
            )
        )
    if problems:
        raise PlanValidationError(problems)
    y0 = base_year if base_year is not None else (years[0] if years else 0)
    rows: list[dict[str, object]] = []
    ordered = positions.sort_values(["entity", "year"], kind="stable")
    for entity, group in ordered.groupby("entity", sort=False):
        bank = 0.0
        cumulative = 0.0
        for rec in group.to_dict("records"):
            y = int(rec["year"])
            due = float(rec["verified_t"])
            free = float(rec["free_t"])
            auctioned = float(rec["auctioned_t"])
            offered = float(rec["offsets_t"]) if rec["offsets_t"] == rec["offsets_t"] else 0.0
            limit_t = offset_limits[y] * due
            held = free + auctioned + bank
            need = max(due - held, 0.0)
            used = min(offered, limit_t, need)
            bought = need - used
            surplus = max(held - due, 0.0)
            banked_out = surplus if banking else 0.0
            sold = surplus - banked_out
            net = free + auctioned + used - due
            cumulative += net
            price = float(prices[y]) if prices is not None else math.nan
            factor = (1.0 + rate) ** -(y - y0)
            net_cost = (auctioned + bought - sold) * price
            rows.append(
                {
                    "entity": entity,
                    "year": y,
                    "verified_t": due,
                    "free_t": free,
                    "auctioned_t": auctioned,
                    "banked_in_t": bank,
                    "offsets_available_t": offered,
                    "offset_limit_t": limit_t,
                    "offsets_used_t": used,
                    "bought_t": bought,
                    "surplus_t": surplus,
                    "sold_t": sold,
                    "banked_out_t": banked_out,
                    "net_position_t": net,
                    "cumulative_position_t": cumulative,
                    "price": price,
                    "auction_cost": auctioned * price,
                    "purchase_cost": bought * price,
                    "sales_revenue": sold * price,
                    "net_cost": net_cost,
                    "discount_factor": factor,
                    "net_cost_discounted": net_cost * factor,
                }
            )
            bank = banked_out
    return pd.DataFrame(rows, columns=list(POSITION_COLUMNS))


def totals(path: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """Sums of a :func:`compliance_path` frame (by ``by``, e.g. ``year`` or ``entity``).

    ``bank_end_t`` is the bank left after each entity's last year (summed).
    """
    sums = [*QUANTITY_TOTALS, *MONEY_COLUMNS]
    last = path.sort_values("year").groupby("entity").tail(1)
    if by is None:
        out = path[sums].sum(min_count=1).to_frame().T
        out["bank_end_t"] = float(last["banked_out_t"].sum())
        return out
    out = path.groupby(by, sort=True)[sums].sum(min_count=1)
    if by == "entity":
        out["bank_end_t"] = last.set_index("entity")["banked_out_t"]
    else:
        out["banked_out_t"] = path.groupby(by, sort=True)["banked_out_t"].sum()
    return out.reset_index()


__all__ = [
    "MONEY_COLUMNS",
    "POSITION_COLUMNS",
    "QUANTITY_TOTALS",
    "compliance_path",
    "totals",
]
