"""Carbon budgets: arithmetic with and without banking and borrowing."""

from __future__ import annotations

import pandas as pd
import pytest

from neutra.errors import PlanValidationError
from neutra.targets.budgets import UK_BUDGETS_MT, Budget, check_budgets

BUDGETS = [Budget("B1", 2021, 2025, 500.0), Budget("B2", 2026, 2030, 400.0)]


def _path(first: float, second: float) -> pd.Series:
    return pd.Series([first] * 5 + [second] * 5, index=range(2021, 2031))


def test_without_banking_a_surplus_is_lost() -> None:
    out = check_budgets(_path(90.0, 85.0), BUDGETS).set_index("budget")
    assert out.loc["B1", "emissions"] == 450.0  # 5 × 90 < 500: met, 50 left
    assert bool(out.loc["B1", "met"])
    assert out.loc["B2", "effective_budget"] == 400.0  # nothing carried
    assert out.loc["B2", "balance"] == pytest.approx(400.0 - 425.0)
    assert not bool(out.loc["B2", "met"])


def test_banking_carries_the_surplus() -> None:
    out = check_budgets(_path(90.0, 85.0), BUDGETS, banking=True).set_index("budget")
    assert out.loc["B2", "carried_in"] == 50.0
    assert out.loc["B2", "effective_budget"] == 450.0  # 400 + 50 banked
    assert bool(out.loc["B2", "met"])  # 425 ≤ 450


def test_borrowing_is_limited() -> None:
    # B1 over by 2 (502 vs 500): borrow up to 1 % of B2 (4) → met, B2 shrinks by 2.
    out = check_budgets(_path(100.4, 70.0), BUDGETS, borrowing=True).set_index("budget")
    assert out.loc["B1", "borrowed"] == pytest.approx(2.0)
    assert bool(out.loc["B1", "met"])
    assert out.loc["B2", "effective_budget"] == pytest.approx(398.0)
    # Over by 10: only 4 can be borrowed; still not met.
    over = check_budgets(_path(102.0, 70.0), BUDGETS, borrowing=True).set_index("budget")
    assert over.loc["B1", "borrowed"] == pytest.approx(4.0)
    assert not bool(over.loc["B1", "met"])


def test_uk_template() -> None:
    # SOURCES.md "Targets": CB1–CB6 = 3018, 2782, 2544, 1950, 1725, 965 MtCO2e.
    assert [b.amount for b in UK_BUDGETS_MT] == [3018, 2782, 2544, 1950, 1725, 965]
    assert all(b.last_year - b.first_year == 4 for b in UK_BUDGETS_MT)


def test_missing_years_are_located() -> None:
    with pytest.raises(PlanValidationError) as info:
        check_budgets(pd.Series([1.0, 2.0], index=[2021, 2022]), BUDGETS)
    assert {p.value for p in info.value.problems} == {
        "2023, 2024, 2025",
        "2026, 2027, 2028, 2029, 2030",
    }
