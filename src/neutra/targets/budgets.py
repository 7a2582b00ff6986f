"""Five-year carbon budgets (UK style), with banking and borrowing as explicit switches.

A budget is the total allowed over its years. Against an emission path (t CO2e by year), each
period's emissions are summed and compared with its budget. With ``banking`` a surplus carries
into the next period's budget (the UK did not bank CB3's surplus: a policy choice, hence off by
default); with ``borrowing`` a deficit may be taken from the next period, up to
``borrow_limit`` × that period's budget (the UK Climate Change Act allowed 1 %).

Template: the UK's first six budgets, MtCO2e (SOURCES.md "Targets" [R]): CB1 2008–12 3 018;
CB2 2013–17 2 782; CB3 2018–22 2 544; CB4 2023–27 1 950; CB5 2028–32 1 725; CB6 2033–37 965.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from neutra.errors import PlanValidationError, Problem


@dataclass(frozen=True, slots=True)
class Budget:
    name: str
    first_year: int
    last_year: int
    amount: float  # in the unit of the emission path


UK_BUDGETS_MT: tuple[Budget, ...] = (
    Budget("CB1", 2008, 2012, 3018.0),
    Budget("CB2", 2013, 2017, 2782.0),
    Budget("CB3", 2018, 2022, 2544.0),
    Budget("CB4", 2023, 2027, 1950.0),
    Budget("CB5", 2028, 2032, 1725.0),
    Budget("CB6", 2033, 2037, 965.0),
)


def check_budgets(
    emissions: pd.Series,
    budgets: tuple[Budget, ...] | list[Budget],
    *,
    banking: bool = False,
    borrowing: bool = False,
    borrow_limit: float = 0.01,
) -> pd.DataFrame:
    """Each period: emissions, budget, banked in, borrowed, effective budget, balance, met."""
    problems = []
    years = {int(y) for y in emissions.index}
    for b in budgets:
        missing = [y for y in range(b.first_year, b.last_year + 1) if y not in years]
        if missing:
            problems.append(
                Problem(
                    "emissions",
                    None,
                    "year",
                    ", ".join(map(str, missing)),
                    f"an emission value for every year of {b.name}",
                )
            )
        if b.last_year < b.first_year or b.amount < 0:
            problems.append(
                Problem(
                    "budgets",
                    None,
                    b.name,
                    f"{b.first_year}–{b.last_year}: {b.amount}",
                    "a period forward in time and a budget ≥ 0",
                )
            )
    if problems:
        raise PlanValidationError(problems)
    rows = []
    carry = 0.0  # banked (> 0) or borrowed (< 0) from the previous period
    ordered = sorted(budgets, key=lambda b: b.first_year)
    for i, b in enumerate(ordered):
        used = float(emissions.loc[b.first_year : b.last_year].sum())
        effective = b.amount + carry
        balance = effective - used
        borrowed = 0.0
        if balance < 0 and borrowing and i + 1 < len(ordered):
            borrowed = min(-balance, borrow_limit * ordered[i + 1].amount)
        banked_out = balance if (balance > 0 and banking) else 0.0
        rows.append(
            {
                "budget": b.name,
                "first_year": b.first_year,
                "last_year": b.last_year,
                "budget_amount": b.amount,
                "carried_in": carry,
                "effective_budget": effective,
                "emissions": used,
                "balance": balance + borrowed,
                "borrowed": borrowed,
                "banked": banked_out,
                "met": balance + borrowed >= -1e-9 * max(b.amount, 1.0),
            }
        )
        carry = banked_out - borrowed
    return pd.DataFrame(rows)
