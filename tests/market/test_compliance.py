"""The compliance position: the CCER 5 % cap, no offsets in the EU, banking on and off, cost."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from neutra.errors import PlanValidationError
from neutra.market.compliance import compliance_path, totals
from neutra.market.templates import load_template


def positions(*years: tuple[int, float, float, float]) -> pd.DataFrame:
    """(year, verified, free, offsets) rows of one entity, nothing auctioned."""
    return pd.DataFrame(
        {
            "entity": ["e"] * len(years),
            "year": [y[0] for y in years],
            "verified_t": [y[1] for y in years],
            "free_t": [y[2] for y in years],
            "auctioned_t": [0.0] * len(years),
            "offsets_t": [y[3] for y in years],
        }
    )


def limits(template: str, years: list[int]) -> dict[int, float]:
    t = load_template(template)
    out = {}
    for y in years:
        p = t.offset_limit(y)
        assert p is not None
        out[y] = p.value
    return out


def test_the_ccer_cap_binds_at_five_percent_of_the_allowances_due() -> None:
    # China: offsets ≤ 5 % of the allowances due (碳排放权交易管理办法（试行）, 2021 [R]).
    # Due 1 000 000, free 900 000, 80 000 CCER held: 50 000 usable, 50 000 bought at 60.
    path = compliance_path(
        positions((2023, 1_000_000.0, 900_000.0, 80_000.0)),
        prices={2023: 60.0},
        offset_limits=limits("cn-power", [2023]),
        banking=True,
    )
    r = path.iloc[0]
    assert r["offset_limit_t"] == pytest.approx(50_000.0)
    assert r["offsets_used_t"] == pytest.approx(50_000.0)
    assert r["bought_t"] == pytest.approx(50_000.0)
    assert r["net_cost"] == pytest.approx(3_000_000.0)


def test_offsets_cover_only_a_shortfall_and_are_not_allowed_in_the_eu() -> None:
    cn = compliance_path(
        positions((2023, 1000.0, 990.0, 40.0)),
        prices=None,
        offset_limits={2023: 0.05},
        banking=True,
    ).iloc[0]
    assert (cn["offsets_used_t"], cn["banked_out_t"]) == (10.0, 0.0)  # not banked
    # EU from 2021: no international credits (Commission, 'Use of international credits').
    eu = compliance_path(
        positions((2023, 1000.0, 900.0, 80.0)),
        prices={2023: 80.0},
        offset_limits=limits("eu-ets", [2023]),
        banking=True,
    ).iloc[0]
    assert (eu["offsets_used_t"], eu["bought_t"], eu["net_cost"]) == (0.0, 100.0, 8000.0)


def test_banking_on_versus_off() -> None:
    # 2025: 100 t long; 2026: 50 t short. Prices 80 then 90; discount rate 10 %.
    years = positions((2025, 900.0, 1000.0, 0.0), (2026, 1050.0, 1000.0, 0.0))
    prices = {2025: 80.0, 2026: 90.0}
    on = compliance_path(
        years, prices=prices, offset_limits={2025: 0.0, 2026: 0.0}, banking=True, rate=0.1
    ).set_index("year")
    assert on.loc[2025, "banked_out_t"] == 100.0
    assert on.loc[2025, "sold_t"] == 0.0
    assert on.loc[2026, "banked_in_t"] == 100.0
    assert on.loc[2026, "bought_t"] == 0.0  # 1 000 + 100 banked ≥ 1 050
    assert on.loc[2026, "banked_out_t"] == 50.0
    assert on["net_cost"].sum() == 0.0
    off = compliance_path(
        years, prices=prices, offset_limits={2025: 0.0, 2026: 0.0}, banking=False, rate=0.1
    ).set_index("year")
    assert off.loc[2025, "sales_revenue"] == 8000.0  # 100 sold at 80
    assert off.loc[2026, "purchase_cost"] == 4500.0  # 50 bought at 90
    # Net cost −8 000 + 4 500; discounted at 10 %: −8 000 + 4 500 / 1.1 = −3 909.09…
    assert off["net_cost"].sum() == pytest.approx(-3500.0)
    assert off["net_cost_discounted"].sum() == pytest.approx(-8000.0 + 4500.0 / 1.1)
    assert totals(off.reset_index())["bank_end_t"].iloc[0] == 0.0


def test_missing_prices_and_limits_and_bad_settings_are_reported_together() -> None:
    with pytest.raises(PlanValidationError) as info:
        compliance_path(
            positions((2025, 1.0, 1.0, 0.0), (2026, 1.0, -1.0, 0.0)),
            prices={2025: 10.0},
            offset_limits={2026: 0.0},
            banking=True,
            rate=-0.5,
        )
    fields = {(p.file, p.field, p.value) for p in info.value.problems}
    assert ("prices", "year", "2026") in fields
    assert ("offset limits", "year", "2025") in fields
    assert ("--rate", "rate", "-0.5") in fields
    assert ("positions", "free_t", "2026") in fields


quantity = st.floats(0, 1e7, allow_nan=False)


@given(
    rows=st.lists(st.tuples(quantity, quantity, quantity), min_size=1, max_size=8),
    limit=st.sampled_from([0.0, 0.05, 1.0]),
    banking=st.booleans(),
)
def test_positions_add_up(
    rows: list[tuple[float, float, float]], limit: float, banking: bool
) -> None:
    years = positions(*((2030 + i, v, f, o) for i, (v, f, o) in enumerate(rows)))
    path = compliance_path(
        years,
        prices=dict.fromkeys(range(2030, 2030 + len(rows)), 50.0),
        offset_limits=dict.fromkeys(range(2030, 2030 + len(rows)), limit),
        banking=banking,
    )
    tol = 1e-6 * max(1.0, float(years[["verified_t", "free_t"]].to_numpy().sum()))
    for c in ("bought_t", "sold_t", "banked_out_t", "offsets_used_t"):
        assert (path[c] >= -tol).all()
    assert (path["offsets_used_t"] <= path["offset_limit_t"] + tol).all()
    # Each year: bank out = bank in + own net position + bought − sold; the entity complies.
    flow = path["banked_in_t"] + path["net_position_t"] + path["bought_t"] - path["sold_t"]
    assert (flow - path["banked_out_t"]).abs().max() <= tol
    held = path["free_t"] + path["banked_in_t"] + path["offsets_used_t"] + path["bought_t"]
    assert (held - path["verified_t"] - path["banked_out_t"] - path["sold_t"]).abs().max() <= tol
    bank_end = path["banked_out_t"].iloc[-1]
    if banking:
        # Cumulative position = sum of the yearly positions (plus what was bought).
        assert (path["sold_t"] == 0).all()
        expected = path["net_position_t"].sum() + path["bought_t"].sum()
        assert bank_end == pytest.approx(expected, abs=tol)
        cumulative = path["cumulative_position_t"].iloc[-1]
        assert cumulative == pytest.approx(path["net_position_t"].sum(), abs=tol)
    else:
        assert (path["banked_out_t"] == 0).all()
