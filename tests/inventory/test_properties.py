"""Invariants of the inventory engine (hypothesis)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from neutra.inventory.engine import compute
from neutra.io.build import plan_from_records
from neutra.refdata.library import load_library

ENTITY = {"name": "Prop Co.", "level": "enterprise", "base_year": 2022, "grid_region": "CN-North"}
SOURCES = [
    ("natural_gas", "stationary_combustion", 1, "TJ"),
    ("coking_coal", "stationary_combustion", 1, "t"),
    ("gas_diesel_oil", "mobile_combustion", 1, "t"),
    ("limestone", "process", 1, "t"),
    ("HFC134a", "fugitive", 1, "kg"),
    ("wood_wood_waste", "stationary_combustion", 1, "t"),
    ("electricity", "electricity", 2, "MWh"),
    ("heat", "heat", 2, "GJ"),
    ("freight_rail_ton_mile", "4", 3, "short_ton*mi"),
    ("travel_bus", "7", 3, "passenger*km"),
]
LIB = load_library(None)

rows_strategy = st.lists(
    st.tuples(
        st.sampled_from(SOURCES),
        st.floats(min_value=0, max_value=1e7),
        st.sampled_from(["a", "b"]),
        st.sampled_from([2022, 2023]),
    ),
    min_size=1,
    max_size=12,
)


def _plan(rows: list, scale: float = 1.0):  # type: ignore[no-untyped-def]
    recs = [
        {
            "facility": fac,
            "year": y,
            "scope": sc,
            "category": cat,
            "activity": act,
            "amount": repr(amount * scale),
            "unit": unit,
            "evidence": str(i),
        }
        for i, ((act, cat, sc, unit), amount, fac, y) in enumerate(rows)
    ]
    return plan_from_records(ENTITY, recs, {"monte_carlo_draws": 200})


FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(rows_strategy)
def test_totals_equal_the_sum_of_parts(rows: list) -> None:  # type: ignore[type-arg]
    res = compute(_plan(rows), LIB, np.random.default_rng(0))
    s = res.summary
    for t in res.totals.to_dict("records"):
        sy = s[(s["year"] == t["year"]) & ~s["biogenic"]]
        assert t["scope1"] == pytest.approx(sy.loc[sy["scope"] == 1, "co2e_t"].sum(), abs=1e-6)
        assert t["scope3"] == pytest.approx(sy.loc[sy["scope"] == 3, "co2e_t"].sum(), abs=1e-6)
        assert t["total_location"] == pytest.approx(
            t["scope1"] + t["scope2_location"] + t["scope3"], abs=1e-6
        )
    assert res.detail is not None
    assert res.detail["emission_t"].sum() == pytest.approx(
        s["emission_t"].sum(), rel=1e-9, abs=1e-9
    )


@FAST
@given(rows_strategy, st.floats(min_value=0.01, max_value=100))
def test_linear_in_activity(rows: list, k: float) -> None:  # type: ignore[type-arg]
    base = compute(_plan(rows), LIB, np.random.default_rng(0), detail=False)
    scaled = compute(_plan(rows, k), LIB, np.random.default_rng(0), detail=False)
    for col in ("scope1", "scope2_location", "scope2_market", "scope3", "biogenic_co2"):
        assert scaled.totals[col].to_numpy() == pytest.approx(
            k * base.totals[col].to_numpy(), rel=1e-9, abs=1e-6
        )


@FAST
@given(st.floats(min_value=1e-3, max_value=1e6))
def test_same_quantity_in_other_units_gives_the_same_emissions(x: float) -> None:
    def total(amount: float, unit: str) -> float:
        p = plan_from_records(
            ENTITY,
            [
                {
                    "facility": "a",
                    "year": 2022,
                    "scope": 1,
                    "category": "stationary_combustion",
                    "activity": "coking_coal",
                    "amount": repr(amount),
                    "unit": unit,
                }
            ],
            {"monte_carlo_draws": 100},
        )
        return float(compute(p, LIB, np.random.default_rng(0)).totals["scope1"].iloc[0])

    assert total(x, "t") == pytest.approx(total(x * 1_000, "kg"), rel=1e-9)
    assert total(x, "t") == pytest.approx(total(x / 1e4, "万t"), rel=1e-9)


def test_monte_carlo_is_reproducible_with_a_seed() -> None:
    rows = [(SOURCES[0], 100.0, "a", 2022), (SOURCES[6], 5_000.0, "a", 2022)]
    a = compute(_plan(rows), LIB, np.random.default_rng(7)).uncertainty
    b = compute(_plan(rows), LIB, np.random.default_rng(7)).uncertainty
    assert a.equals(b)
    mc = a[a["approach"] == "2"].iloc[0]
    assert mc["lower_t"] < mc["total_t"] < mc["upper_t"]


def test_approach_1_matches_hand_error_propagation() -> None:
    # IPCC 2006 Vol. 1 Ch. 3 Eq. 3.1: U = sqrt(U_a² + U_f²); one source only.
    # Natural gas carbon content 15.3 (14.8–15.9) kg C/GJ (Table 1.3): U_f = 0.6/15.3;
    # energy in TJ needs no NCV; tier 3 activity: ±2.5 %.
    p = plan_from_records(
        ENTITY,
        [
            {
                "facility": "a",
                "year": 2022,
                "scope": 1,
                "category": "stationary_combustion",
                "activity": "natural_gas",
                "amount": "10",
                "unit": "TJ",
                "tier": "3",
            }
        ],
        {"monte_carlo_draws": 100},
    )
    res = compute(p, LIB, np.random.default_rng(0))
    src = res.sources
    co2 = src[src["gas"] == "CO2"].iloc[0]
    assert co2["u_activity"] == pytest.approx(0.025)
    lo, hi = 14.8, 15.9
    assert co2["u_factor"] == pytest.approx(max(15.3 - lo, hi - 15.3) / 15.3)


override_rows = st.lists(
    st.tuples(
        st.sampled_from(["natural_gas", "coking_coal", "gas_diesel_oil", "wood_wood_waste"]),
        st.floats(min_value=0, max_value=1e5),
        st.one_of(st.none(), st.floats(min_value=10, max_value=50)),  # ncv, GJ/t
        st.one_of(st.none(), st.floats(min_value=10, max_value=30)),  # carbon content
        st.one_of(st.none(), st.floats(min_value=0.9, max_value=1.0)),  # oxidation
        st.sampled_from([None, 1, 2, 3]),
    ),
    min_size=1,
    max_size=10,
)


@FAST
@given(override_rows)
def test_bulk_path_equals_row_by_row_with_measured_values(rows: list) -> None:  # type: ignore[type-arg]
    recs = []
    for i, (act, amount, ncv, cc, ox, tier) in enumerate(rows):
        recs.append(
            {
                "facility": "a",
                "year": 2022,
                "scope": 1,
                "category": "stationary_combustion",
                "activity": act,
                "amount": repr(amount),
                "unit": "t",
                "evidence": str(i),
                "ncv": "" if ncv is None else repr(ncv),
                "ncv_unit": "" if ncv is None else "GJ/t",
                "carbon_content": "" if cc is None else repr(cc),
                "oxidation": "" if ox is None else repr(ox),
                "tier": "" if tier is None else str(tier),
            }
        )
    res = compute(
        plan_from_records(ENTITY, recs, {"monte_carlo_draws": 100}), LIB, np.random.default_rng(0)
    )
    assert res.detail is not None
    by_gas_detail = res.detail.groupby("gas")["co2e_t"].sum()
    by_gas_bulk = res.summary.groupby("gas")["co2e_t"].sum()
    assert by_gas_bulk.to_dict() == pytest.approx(by_gas_detail.to_dict(), rel=1e-9, abs=1e-9)
