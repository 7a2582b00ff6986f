"""CCUS as a measure: captured vs avoided CO2 (IPCC SRCCS 2005) and its levelised cost."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from neutra.errors import PlanError
from neutra.measures.ccus import CcusMeasure
from neutra.measures.economics import evaluate

# Penalty energy from natural gas: 15.3 kg C/GJ × 44/12 = 56.1 kg CO2/GJ = 0.0561 t/GJ
# (IPCC 2006 Vol. 2 Ch. 1 Table 1.3, carbon content of natural gas; SOURCES.md). The other
# numbers are a user's illustrative inputs.
PLANT = CcusMeasure(
    name="ccus",
    source_emissions_tco2=1_000_000,
    capture_rate=0.9,
    capex=1e9,
    opex=20e6,
    penalty_energy_gj_per_t=3.0,
    energy_price_per_gj=30.0,
    penalty_factor_tco2_per_gj=15.3 * 44 / 12 / 1000,
    transport_storage_per_t=100.0,
    lifetime=25,
)


def test_captured_penalty_avoided_hand_case() -> None:
    assert PLANT.captured_tco2 == pytest.approx(900_000)  # hand: 0.9 × 1 000 000
    assert PLANT.penalty_energy_gj == pytest.approx(2_700_000)  # hand: 3 GJ/t × 900 000 t
    assert PLANT.penalty_emissions_tco2 == pytest.approx(151_470)  # hand: 2.7e6 × 0.0561
    assert PLANT.avoided_tco2 == pytest.approx(748_530)  # hand: 900 000 − 151 470
    assert PLANT.energy_cost == pytest.approx(81e6)  # hand: 2.7e6 GJ × 30
    assert PLANT.transport_storage_cost == pytest.approx(90e6)  # hand: 100 × 900 000


def test_levelised_cost_per_t_avoided_and_captured() -> None:
    b = PLANT.breakdown(0.08)
    # CRF(8 %, 25) = 0.0936788 (r(1+r)^n/((1+r)^n − 1)); hand: 93.6788e6 + 20e6 + 81e6 + 90e6
    # = 284.6788e6 a year; / 748 530 t avoided = 380.317; / 900 000 t captured = 316.310
    assert b["net_annual_cost"] == pytest.approx(284.6788e6, rel=1e-6)
    assert b["cost_per_t_avoided"] == pytest.approx(380.317, abs=1e-3)
    assert b["cost_per_t_captured"] == pytest.approx(316.310, abs=1e-3)
    assert b["cost_per_t_avoided"] > b["cost_per_t_captured"]  # avoided < captured
    row = evaluate([PLANT.to_measure()], 0.08).iloc[0]
    assert row["lcoa"] == pytest.approx(b["cost_per_t_avoided"], rel=1e-12)
    assert row["annual_abatement"] == pytest.approx(748_530)


def test_penalty_larger_than_capture_gives_no_lcoa() -> None:
    dirty = CcusMeasure("dirty", 1000, 0.5, 1e5, 0, 20.0, 1.0, 0.06, 10.0, 20)
    # hand: captured 500, penalty 500 × 20 × 0.06 = 600 > 500: a net emitter
    assert dirty.avoided_tco2 == pytest.approx(-100)
    assert dirty.breakdown(0.08)["cost_per_t_avoided"] is None
    assert evaluate([dirty.to_measure()], 0.08).iloc[0]["lcoa_note"] != ""


def test_bad_input() -> None:
    with pytest.raises(PlanError, match="capture_rate"):
        CcusMeasure("x", 1000, 1.2, 0, 0, 0, 0, 0, 0, 10)
    with pytest.raises(PlanError, match="lifetime"):
        CcusMeasure("x", 1000, 0.9, 0, 0, 0, 0, 0, 0, 0)


@given(
    rate=st.floats(0, 0.9),
    capture=st.floats(0.01, 1),
    source=st.floats(1, 1e7),
    lifetime=st.integers(1, 40),
)
def test_free_ccus_has_zero_levelised_cost(
    rate: float, capture: float, source: float, lifetime: int
) -> None:
    free = CcusMeasure("free", source, capture, 0, 0, 0, 0, 0, 0, lifetime)
    assert free.avoided_tco2 == pytest.approx(capture * source)
    assert free.breakdown(rate)["cost_per_t_avoided"] == 0.0
