"""ETS allocation (China's power formula) and the compliance position (offsets capped at 5 %)."""

from __future__ import annotations

import pytest

from neutra.errors import PlanValidationError
from neutra.market.ets import Year, compliance, grandfathered, power_allowances


def test_power_formula_by_hand() -> None:
    # SOURCES.md "Carbon market": allowance = supply benchmark × electricity × correction
    # + heat benchmark × heat. 0.8 t/MWh × 1 000 000 MWh × 1.0 + 0.1 t/GJ × 50 000 GJ.
    assert power_allowances(1e6, 0.8, 1.0, 5e4, 0.1) == pytest.approx(800_000 + 5_000)
    assert grandfathered(1000.0, 0.95) == pytest.approx(950.0)


def test_offsets_are_capped_at_five_percent() -> None:
    out = compliance([Year(2025, verified_t=1000.0, free_t=900.0, offsets_t=80.0, price=100.0)])
    r = out.iloc[0]
    assert r["offsets_used_t"] == pytest.approx(50.0)  # 5 % of 1 000 due, not 80
    assert r["bought_t"] == pytest.approx(50.0)  # 1 000 − 900 − 50
    assert r["cost"] == pytest.approx(5_000.0)


def test_banking_carries_a_surplus() -> None:
    years = [Year(2025, 900.0, 1000.0, price=80.0), Year(2026, 1050.0, 1000.0, price=90.0)]
    banked = compliance(years).set_index("year")
    assert banked.loc[2025, "banked_out_t"] == pytest.approx(100.0)
    assert banked.loc[2026, "bought_t"] == pytest.approx(0.0)  # 1 000 + 100 banked ≥ 1 050
    sold = compliance(years, banking=False).set_index("year")
    assert sold.loc[2025, "revenue_if_sold"] == pytest.approx(8_000.0)
    assert sold.loc[2026, "bought_t"] == pytest.approx(50.0)


def test_bad_input() -> None:
    with pytest.raises(PlanValidationError) as info:
        power_allowances(-1.0, 0.8, -2.0)
    assert {p.field for p in info.value.problems} == {"electricity_mwh", "correction"}
