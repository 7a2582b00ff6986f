"""Measure economics (CRF, NPV, IRR, payback, LCOA) and the MACC, against hand computations."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from neutra.errors import PlanError
from neutra.measures.economics import (
    NO_ABATEMENT,
    SCHEMA,
    Measure,
    crf,
    discounted_payback,
    evaluate,
    irr,
    json_document,
    macc,
    npv,
    payback_from_flows,
    ramp_shares,
    simple_payback,
)


def test_crf_5_percent_20_years() -> None:
    # hand: 1.05^20 = 2.6532977; 0.05 × 2.6532977 / (2.6532977 − 1) = 0.13266489 / 1.6532977
    assert crf(0.05, 20) == pytest.approx(0.0802426, abs=5e-8)


@pytest.mark.parametrize(
    ("rate", "years", "expected"),
    [
        # Annual capital recovery factors, ASHRAE Pocket Guide for HVAC (2013), as reproduced in
        # the table "Capital Recovery Factors" of engineersedge.com (5 decimals) [R]
        (0.035, 10, 0.12024),
        (0.06, 10, 0.13587),
        (0.08, 10, 0.14903),
        (0.10, 10, 0.16275),
        (0.08, 2, 0.56077),
        (0.045, 4, 0.27874),
        (0.10, 18, 0.12193),
    ],
)
def test_crf_textbook_table(rate: float, years: int, expected: float) -> None:
    assert crf(rate, years) == pytest.approx(expected, abs=5e-6)


@pytest.mark.parametrize("n", [1, 4, 10, 37])
def test_crf_at_zero_rate_is_one_over_n(n: int) -> None:
    assert crf(0.0, n) == pytest.approx(1 / n)
    # and it is the limit of the formula
    assert crf(1e-9, n) == pytest.approx(1 / n, rel=1e-6)


def test_crf_rejects_bad_input() -> None:
    with pytest.raises(PlanError, match="lifetime"):
        crf(0.05, 0)
    with pytest.raises(PlanError, match="discount rate"):
        crf(-1.0, 10)


def test_npv_year_zero_first() -> None:
    # hand: −100 + 60/1.1 + 60/1.21 = −100 + 54.545455 + 49.586777 = 4.132231
    assert npv(0.1, [-100, 60, 60]) == pytest.approx(4.132231, abs=1e-6)
    assert npv(0.0, [-100, 60, 60]) == pytest.approx(20.0)


def test_irr_hand_cases() -> None:
    # hand: −100 + 110/(1+r) = 0 → r = 0.10
    assert irr([-100, 110]) == pytest.approx(0.10, abs=1e-10)
    # hand: x = 1/(1+r), 60x² + 60x − 100 = 0 → x = (−60 + √27600)/120 = 0.8844373 → r = 0.1306624
    assert irr([-100, 60, 60]) == pytest.approx(0.1306624, abs=1e-7)


def test_irr_none_without_sign_change() -> None:
    assert irr([100, 10, 10]) is None
    assert irr([-100, -10]) is None
    assert irr([0, 0, 0]) is None


@given(
    capex=st.floats(1, 1e6),
    saving=st.floats(0.01, 1e6),
    years=st.integers(1, 40),
)
def test_npv_at_irr_is_zero(capex: float, saving: float, years: int) -> None:
    flows = [-capex] + [saving] * years
    r = irr(flows)
    if r is None:  # NPV has no root in the searched range (IRR below −1 + 1e-6 or above 10⁶)
        return
    assert npv(r, flows) == pytest.approx(0.0, abs=1e-6 * max(capex, saving * years))


def test_paybacks() -> None:
    assert simple_payback(1000, 150) == pytest.approx(6.666667, abs=1e-6)  # hand: 1000/150
    assert simple_payback(1000, 0) is None
    assert simple_payback(1000, -5) is None
    # hand: n = −ln(1 − 0.1·100/30)/ln 1.1 = 0.4054651/0.0953102 = 4.254164
    n = discounted_payback(100, 30, 0.1)
    assert n == pytest.approx(4.254164, abs=1e-6)
    assert n is not None
    assert 30 * (1 - 1.1**-n) / 0.1 == pytest.approx(100)  # PV of the savings repays the capex
    assert discounted_payback(100, 30, 0.1, lifetime=4) is None
    assert discounted_payback(100, 5, 0.1) is None  # r·capex = 10 ≥ 5: never repaid
    assert discounted_payback(100, 30, 0.0) == pytest.approx(100 / 30)


def test_lcoa_hand_case() -> None:
    m = Measure("boiler", capex=1000, opex=50, annual_savings=200, lifetime=10, annual_abatement=10)
    row = evaluate([m], 0.10).iloc[0]
    # hand: 1.1^10 = 2.5937425; CRF = 0.1 × 2.5937425 / 1.5937425 = 0.16274539
    assert row["crf"] == pytest.approx(0.16274539, abs=1e-8)
    assert row["annualised_capex"] == pytest.approx(162.74539, abs=1e-5)
    # hand: 162.74539 + 50 − 200 = 12.74539; / 10 t = 1.274539 per t CO2e
    assert row["net_annual_cost"] == pytest.approx(12.74539, abs=1e-5)
    assert row["lcoa"] == pytest.approx(1.274539, abs=1e-6)
    # hand: −1000 + 150 / CRF = −1000 + 150 × 6.1445671 = −78.31493
    assert row["npv"] == pytest.approx(-78.31493, abs=1e-5)
    assert row["payback"] == pytest.approx(1000 / 150)
    assert npv(0.10, [-1000] + [150] * 10) == pytest.approx(row["npv"])
    assert npv(row["irr"], [-1000] + [150] * 10) == pytest.approx(0.0, abs=1e-6)
    assert row["irr"] < 0.10  # NPV < 0 at 10 %
    assert row["lcoa_note"] == ""


def test_lcoa_at_zero_rate() -> None:
    # hand: CRF = 1/4; (0.25 × 100 + 0 − 0) / 5 t = 5 per t
    m = Measure("x", capex=100, opex=0, annual_savings=0, lifetime=4, annual_abatement=5)
    assert evaluate([m], 0.0).iloc[0]["lcoa"] == pytest.approx(5.0)


def test_no_abatement_gives_nan_with_reason() -> None:
    m = Measure("x", capex=100, opex=0, annual_savings=0, lifetime=4, annual_abatement=0)
    row = evaluate([m], 0.08).iloc[0]
    assert math.isnan(row["lcoa"])
    assert row["lcoa_note"] == NO_ABATEMENT
    assert math.isnan(row["payback"])
    assert math.isnan(row["irr"])


def test_rate_out_of_range() -> None:
    m = Measure("x", 1, 0, 1, 1, 1)
    with pytest.raises(PlanError, match="fraction"):
        evaluate([m], 8.0)


@given(
    rate=st.floats(-0.5, 0.5),
    lifetime=st.integers(1, 60),
    abatement=st.floats(1e-3, 1e7),
)
def test_zero_cost_measure_has_zero_lcoa(rate: float, lifetime: int, abatement: float) -> None:
    m = Measure("free", 0.0, 0.0, 0.0, lifetime, abatement)
    row = evaluate([m], rate).iloc[0]
    assert row["lcoa"] == 0.0
    assert row["npv"] == 0.0


@given(
    rate=st.floats(-0.5, 0.5),
    capex=st.floats(0, 1e6),
    opex=st.floats(-1e5, 1e5),
    savings=st.floats(0, 1e5),
    lifetime=st.integers(1, 50),
    abatement=st.floats(1e-2, 1e6),
)
def test_lcoa_and_npv_agree(
    rate: float, capex: float, opex: float, savings: float, lifetime: int, abatement: float
) -> None:
    # LCOA · abatement = −CRF · NPV (cash flows −capex, then savings − opex for lifetime years)
    row = evaluate([Measure("m", capex, opex, savings, lifetime, abatement)], rate).iloc[0]
    scale = capex + abs(opex) + savings + 1.0
    assert row["lcoa"] * abatement == pytest.approx(-row["crf"] * row["npv"], abs=1e-7 * scale)


measure_st = st.builds(
    Measure,
    name=st.text(min_size=1, max_size=5),
    capex=st.floats(0, 1e6),
    opex=st.floats(0, 1e5),
    annual_savings=st.floats(0, 1e5),
    lifetime=st.integers(1, 40),
    annual_abatement=st.floats(1e-3, 1e5),
)


@given(measures=st.lists(measure_st, min_size=1, max_size=12), rate=st.floats(0, 0.3))
def test_macc_sorted_and_cumulative(measures: list[Measure], rate: float) -> None:
    curve = macc(evaluate(measures, rate))
    lcoa = curve["lcoa"].to_numpy()
    assert np.all(np.diff(lcoa) >= 0)
    x0, x1 = curve["x0"].to_numpy(), curve["x1"].to_numpy()
    assert x0[0] == 0.0
    total = sum(m.annual_abatement for m in measures)
    widths = curve["annual_abatement"].to_numpy()
    np.testing.assert_allclose(x1 - x0, widths, rtol=1e-9, atol=1e-12 * total)
    np.testing.assert_array_equal(x0[1:], x1[:-1])
    assert x1[-1] == pytest.approx(total, rel=1e-9)
    assert sorted(curve["name"]) == sorted(m.name for m in measures)


def test_macc_hand_case_and_json() -> None:
    measures = [
        Measure(
            "solar", 1000, 10, 100, 20, 40
        ),  # CRF(8 %, 20) = 0.1018522; LCOA = (101.8522 + 10 − 100)/40 = 0.2963
        Measure("led", 100, 0, 60, 5, 10),  # CRF(8 %, 5) = 0.2504565; LCOA = −3.4954
        Measure("none", 10, 0, 0, 5, 0),  # no abatement: off the curve
        Measure("ccs", 5000, 200, 0, 25, 20),  # CRF(8 %, 25) = 0.0936788; LCOA = 33.4197
    ]
    curve = macc(evaluate(measures, 0.08))
    assert list(curve["name"]) == ["led", "solar", "ccs", "none"]
    # hand: led (−3.4954) 0→10, solar (0.2963) 10→50, ccs (33.4197) 50→70
    assert curve["lcoa"].iloc[:3].tolist() == pytest.approx([-3.495435, 0.296305, 33.41970], 1e-6)
    assert curve["x0"].iloc[:3].tolist() == [0.0, 10.0, 50.0]
    assert curve["x1"].iloc[:3].tolist() == [10.0, 50.0, 70.0]
    assert math.isnan(curve["x1"].iloc[3])
    doc = json_document(curve, 0.08, "m.csv", 2030)
    assert doc["schema"] == SCHEMA
    assert doc["total_abatement"] == 70.0
    assert doc["measures"][3]["lcoa"] is None
    assert doc["measures"][3]["lcoa_note"] == NO_ABATEMENT
    assert doc["measures"][0]["x1"] == 10.0


def test_ramp_shares() -> None:
    assert ramp_shares(5, 0).tolist() == [1, 1, 1, 1, 1]
    assert ramp_shares(5, 1).tolist() == [1, 1, 1, 1, 1]
    assert ramp_shares(5, 4).tolist() == [0.25, 0.5, 0.75, 1, 1]
    assert ramp_shares(2, 4).tolist() == [0.25, 0.5]  # never full within the lifetime
    with pytest.raises(PlanError, match="ramp_years"):
        ramp_shares(5, -1)


@given(
    capex=st.floats(0.01, 1e6),
    saving=st.floats(0.01, 1e6),
    rate=st.floats(-0.5, 0.5),
    years=st.integers(1, 40),
)
def test_payback_from_flows_is_the_closed_form_for_constant_flows(
    capex: float, saving: float, rate: float, years: int
) -> None:
    flows = [-capex] + [saving] * years
    simple = payback_from_flows(flows, 0.0, extend=True)
    assert simple == pytest.approx(simple_payback(capex, saving), rel=1e-9)
    disc = payback_from_flows(flows, rate)
    closed = discounted_payback(capex, saving, rate, years)
    if closed is None or disc is None:
        # the two may disagree only where the payback is the lifetime itself (rounding)
        other = disc if closed is None else closed
        assert other is None or other == pytest.approx(years, rel=1e-9)
    else:
        assert disc == pytest.approx(closed, rel=1e-9, abs=1e-12)


def test_payback_from_flows_repaid_for_good() -> None:
    # −100, +80, +80, −100, +200: the cumulative flow is −20, 60, −40, 160; repaid for good in
    # year 4, after 3 + 40/200 = 3.2 years (undiscounted).
    assert payback_from_flows([-100, 80, 80, -100, 200]) == pytest.approx(3.2)
    assert payback_from_flows([-100, 10, 10]) is None
    assert payback_from_flows([-100, 10, 10], extend=True) == pytest.approx(10.0)  # hand: 2 + 80/10
    assert payback_from_flows([50, 10]) == 0.0
    assert payback_from_flows([0, 0]) is None
