"""Policy instruments against hand computations: subsidy, tax credit, carbon price, green loan,
tiered tariff; start year and ramp in the yearly cash flows."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from neutra.errors import PlanError
from neutra.measures.economics import Measure, appraise_flows, crf, evaluate
from neutra.measures.policy import (
    NO_POLICY,
    CapexSubsidy,
    CarbonPrice,
    GreenLoan,
    InvestmentTaxCredit,
    Policy,
    TieredTariff,
    cash_flows,
    compare,
    evaluate_policy,
    instrument_misfits,
    subsidy_paid,
)

# The boiler of test_economics: at 10 %, CRF(10 %, 10) = 0.16275 (ASHRAE Pocket Guide for HVAC
# 2013, table of annual capital recovery factors), so the annuity factor P/A = 1/CRF = 6.1445671
# (hand: (1 − 1.1^−10)/0.1). Net saving 200 − 50 = 150 a year; NPV = −1000 + 150 × 6.1445671
# = −78.31493; LCOA = 1.274539 per t (10 t a year).
BOILER = Measure(
    "boiler", capex=1000, opex=50, annual_savings=200, lifetime=10, annual_abatement=10
)
ANNUITY_10_10 = 6.1445671


def test_subsidy_hand_npv() -> None:
    eff = compare(BOILER, Policy(subsidy=CapexSubsidy(share=0.2)), 0.10)
    assert eff.base.npv == pytest.approx(-78.31493, abs=1e-5)
    # hand: −(1000 − 200) + 150 × 6.1445671 = −800 + 921.68507 = 121.68507
    assert eff.policy.npv == pytest.approx(121.68507, abs=1e-5)
    assert eff.npv_change == pytest.approx(200.0)
    assert eff.components["subsidy"] == pytest.approx(200.0)
    # hand: LCOA = −NPV / (10 t × 6.1445671) = −121.68507 / 61.445671 = −1.980368
    assert eff.policy.lcoa == pytest.approx(-1.980368, abs=1e-6)
    # hand: simple payback (1000 − 200)/150 = 5.333333 years
    assert eff.policy.payback == pytest.approx(800 / 150)
    assert eff.base.payback == pytest.approx(1000 / 150)


def test_subsidy_amount_cap_and_limit() -> None:
    # hand: 0.5 × 1000 + 100 = 600, capped at 300
    assert CapexSubsidy(share=0.5, amount=100, cap=300).value(BOILER) == 300
    assert CapexSubsidy(amount=250).value(BOILER) == 250
    with pytest.raises(PlanError, match="exceeds its capex"):
        CapexSubsidy(share=0.9, amount=200).value(BOILER)
    with pytest.raises(PlanError, match="subsidy share"):
        CapexSubsidy(share=1.5)


def test_carbon_price_above_the_lcoa_makes_npv_positive() -> None:
    # The LCOA is the break-even carbon price: a flat price P adds 10 t × P × 6.1445671 to the
    # NPV, so NPV = −78.31493 + 61.445671 P, zero at P = 1.274539 (the boiler's LCOA).
    low = compare(BOILER, Policy(carbon_price=CarbonPrice(flat=1.0)), 0.10)
    high = compare(BOILER, Policy(carbon_price=CarbonPrice(flat=2.0)), 0.10)
    assert low.policy.npv == pytest.approx(-78.31493 + 61.445671, abs=1e-5)  # −16.86926
    assert low.policy.npv < 0
    assert high.policy.npv == pytest.approx(-78.31493 + 122.891342, abs=1e-5)  # 44.57641
    assert high.policy.npv > 0
    assert high.policy.lcoa == pytest.approx(1.274539 - 2.0, abs=1e-6)
    assert high.base.irr is not None
    assert high.policy.irr is not None
    assert high.base.irr < 0.10 < high.policy.irr


@given(
    rate=st.floats(0.0, 0.3),
    capex=st.floats(1, 1e5),
    opex=st.floats(0, 1e4),
    savings=st.floats(0, 1e4),
    lifetime=st.integers(1, 40),
    abatement=st.floats(0.1, 1e4),
    ramp=st.integers(0, 6),
)
def test_carbon_price_equal_to_lcoa_breaks_even(
    rate: float,
    capex: float,
    opex: float,
    savings: float,
    lifetime: int,
    abatement: float,
    ramp: int,
) -> None:
    m = Measure("m", capex, opex, savings, lifetime, abatement, ramp_years=ramp)
    base = compare(m, NO_POLICY, rate).base
    assert base.lcoa is not None
    eff = compare(m, Policy(carbon_price=CarbonPrice(flat=base.lcoa)), rate)
    scale = capex + (opex + savings) * lifetime + 1.0
    assert eff.policy.npv == pytest.approx(0.0, abs=1e-9 * scale)


def test_carbon_price_path_start_year_and_ramp() -> None:
    # Start 2030, lifetime 3, ramp 2: shares 0.5, 1, 1 in 2030, 2031, 2032; 10 t a year at full.
    m = Measure("m", 0, 0, 0, 3, 10, start_year=2030, ramp_years=2)
    price = CarbonPrice.path({2029: 90, 2030: 100, 2031: 110, 2032: 120, 2040: 999})
    flows = cash_flows(m, Policy(carbon_price=price))
    assert flows["year"].tolist() == [2029, 2030, 2031, 2032]
    assert flows["share"].tolist() == [0.0, 0.5, 1.0, 1.0]
    # hand: 0.5·10·100, 10·110, 10·120
    assert flows["carbon_revenue"].tolist() == [0.0, 500.0, 1100.0, 1200.0]
    # hand, at 10 %: 500/1.1 + 1100/1.21 + 1200/1.331 = 454.54545 + 909.09091 + 901.57776
    eff = compare(m, Policy(carbon_price=price), 0.10)
    assert eff.policy.npv == pytest.approx(2265.21412, abs=1e-5)
    assert eff.components["carbon_revenue"] == pytest.approx(2265.21412, abs=1e-5)


def test_carbon_price_path_must_cover_the_lifetime() -> None:
    m = Measure("kiln", 0, 0, 0, 3, 10, start_year=2030)
    price = CarbonPrice.path({2030: 100, 2031: 110})
    with pytest.raises(PlanError, match=r"'kiln'.*2032.*2030–2032"):
        cash_flows(m, Policy(carbon_price=price))
    with pytest.raises(PlanError, match="start year"):
        cash_flows(Measure("x", 0, 0, 0, 3, 10), Policy(carbon_price=price))
    # the evaluation's base year stands in for a missing start year
    flows = cash_flows(Measure("x", 0, 0, 0, 2, 10), Policy(carbon_price=price), base_year=2030)
    assert flows["carbon_revenue"].tolist() == [0.0, 1000.0, 1100.0]


def test_tax_credit_spread() -> None:
    # 30 % of 1000 over 3 years: 100 at the end of years 1–3.
    flows = cash_flows(BOILER, Policy(tax_credit=InvestmentTaxCredit(0.3, years=3)))
    assert flows["tax_credit"].tolist()[:5] == [0.0, 100.0, 100.0, 100.0, 0.0]
    # hand: 100 × (1/1.1 + 1/1.21 + 1/1.331) = 100 × 2.4868520 = 248.68520
    eff = compare(BOILER, Policy(tax_credit=InvestmentTaxCredit(0.3, years=3)), 0.10)
    assert eff.npv_change == pytest.approx(248.68520, abs=1e-5)
    with pytest.raises(PlanError, match="exceeds its lifetime"):
        cash_flows(BOILER, Policy(tax_credit=InvestmentTaxCredit(0.3, years=11)))


def test_green_loan_annuity() -> None:
    # Half of 1000 borrowed at 2 % over 10 years: A = 500 × CRF(2 %, 10); hand: 1.02^10 =
    # 1.2189944, CRF = 0.02 × 1.2189944 / 0.2189944 = 0.1113265, A = 55.66327 a year.
    loan = GreenLoan(rate=0.02, share=0.5, years=10)
    flows = cash_flows(BOILER, Policy(green_loan=loan))
    assert flows["loan_drawn"].iloc[0] == 500.0
    assert flows["loan_payment"].iloc[1:].to_numpy() == pytest.approx(-55.66327, abs=1e-5)
    eff = compare(BOILER, Policy(green_loan=loan), 0.10)
    # Worth P (1 − CRF(2 %, 10)/CRF(10 %, 10)) = 500 × (1 − 0.1113265/0.1627454)
    # = 500 × 0.3159468 = 157.9734
    assert eff.components["green_loan"] == pytest.approx(157.9734, abs=1e-4)
    assert eff.components["green_loan"] == pytest.approx(
        500 * (1 - crf(0.02, 10) / crf(0.10, 10)), rel=1e-12
    )
    # a loan at the discount rate itself is worth nothing
    even = compare(BOILER, Policy(green_loan=GreenLoan(0.10, 0.5)), 0.10)
    assert even.npv_change == pytest.approx(0.0, abs=1e-9)


def test_green_loan_on_capex_net_of_subsidy() -> None:
    pol = Policy(subsidy=CapexSubsidy(share=0.2), green_loan=GreenLoan(0.02, 0.5, 5))
    flows = cash_flows(BOILER, pol)
    assert flows["loan_drawn"].iloc[0] == pytest.approx(0.5 * 800)  # hand: half of 1000 − 200
    with pytest.raises(PlanError, match="exceeds its lifetime"):
        cash_flows(BOILER, Policy(green_loan=GreenLoan(0.02, 0.5, 12)))


def test_tiered_tariff_values_saving_at_the_top_blocks() -> None:
    # Illustrative blocks: up to 1000 kWh at 0.5, up to 2000 at 0.6, above at 0.9 per kWh.
    tariff = TieredTariff(((1000, 0.5), (2000, 0.6), (None, 0.9)), consumption_kwh=2500)
    # hand: bill(2500) = 500 + 600 + 450 = 1550; bill(1700) = 500 + 420 = 920
    assert tariff.bill(2500) == pytest.approx(1550)
    assert tariff.bill(1700) == pytest.approx(920)
    # saving 800 kWh: 500 kWh at 0.9 + 300 kWh at 0.6 = 630 (not 800 × 0.5 = 400)
    assert tariff.saving_value(800) == pytest.approx(630)
    m = Measure("heat pump", 0, 0, 0, 2, 1, energy_saved_kwh=800, energy_price=0.5)
    flows = cash_flows(m, Policy(tariff=tariff))
    assert flows["energy_value"].tolist() == pytest.approx([0, 630, 630])
    assert cash_flows(m)["energy_value"].tolist() == pytest.approx([0, 400, 400])
    eff = compare(m, Policy(tariff=tariff), 0.0)
    assert eff.components["tariff"] == pytest.approx(2 * 230)  # hand: (630 − 400) × 2 years
    with pytest.raises(PlanError, match="saving ≤ the consumption"):
        tariff.saving_value(3000, "x")
    with pytest.raises(PlanError, match="increasing"):
        TieredTariff(((2000, 0.5), (1000, 0.6), (None, 0.9)), 10)


@given(
    kwh=st.floats(0, 1e5),
    saved=st.floats(0, 1e5),
    prices=st.lists(st.floats(0, 5), min_size=3, max_size=3),
)
def test_tariff_saving_between_lowest_and_highest_price(
    kwh: float, saved: float, prices: list[float]
) -> None:
    tariff = TieredTariff(((1000, prices[0]), (3000, prices[1]), (None, prices[2])), kwh)
    if saved > kwh:
        return
    value = tariff.saving_value(saved)
    assert min(prices) * saved - 1e-9 * (1 + kwh) <= value <= max(prices) * saved + 1e-9 * (1 + kwh)


def test_ramp_in_evaluate_and_cash_flows() -> None:
    # capex 100, saving 60 a year, lifetime 4, 10 t a year, ramp 2: flows −100, 30, 60, 60, 60.
    m = Measure("m", 100, 0, 60, 4, 10, ramp_years=2)
    flows = cash_flows(m)
    assert flows["net"].tolist() == [-100, 30, 60, 60, 60]
    assert flows["abatement"].tolist() == [0, 5, 10, 10, 10]
    row = evaluate([m], 0.0).iloc[0]
    # hand, at 0 %: NPV = 110; LCOA = −110 / 35 t = −3.142857; payback = 2 + 10/60 = 2.166667
    assert row["npv"] == pytest.approx(110.0)
    assert row["lcoa"] == pytest.approx(-110 / 35)
    assert row["payback"] == pytest.approx(2 + 10 / 60)
    a = appraise_flows(flows, 0.0)
    assert a.npv == pytest.approx(110.0)
    assert a.lcoa == pytest.approx(-110 / 35)


def test_start_year_does_not_change_own_npv() -> None:
    late = Measure("m", 100, 5, 40, 6, 3, start_year=2040)
    early = Measure("m", 100, 5, 40, 6, 3, start_year=2025)
    assert compare(late, NO_POLICY, 0.07).base == compare(early, NO_POLICY, 0.07).base


measure_st = st.builds(
    Measure,
    name=st.just("m"),
    capex=st.floats(0, 1e5),
    opex=st.floats(0, 1e4),
    annual_savings=st.floats(0, 1e4),
    lifetime=st.integers(1, 30),
    annual_abatement=st.floats(0.1, 1e4),
    energy_saved_kwh=st.floats(0, 1e4),
    energy_price=st.floats(0, 2),
    start_year=st.sampled_from([None, 2030]),
    ramp_years=st.integers(0, 5),
)


@given(m=measure_st, rate=st.floats(0.0, 0.2))
def test_no_policy_agrees_with_evaluate(m: Measure, rate: float) -> None:
    row = evaluate([m], rate).iloc[0]
    a = compare(m, NO_POLICY, rate).base
    scale = m.capex + (m.opex + m.total_savings) * m.lifetime + 1.0
    assert a.npv == pytest.approx(row["npv"], abs=1e-9 * scale)
    assert a.lcoa == pytest.approx(row["lcoa"], abs=1e-9 * scale)
    assert a.equivalent_annual_cost == pytest.approx(row["net_annual_cost"], abs=1e-9 * scale)
    if abs(m.total_savings - m.opex) < 1e-9 * scale:
        return  # a net saving of ~0: its sign depends on the order of the sums
    if math.isnan(row["payback"]):
        assert a.payback is None
    else:
        assert a.payback == pytest.approx(row["payback"], rel=1e-9, abs=1e-9)
    if math.isnan(row["discounted_payback"]):
        assert a.discounted_payback is None
    else:
        assert a.discounted_payback == pytest.approx(row["discounted_payback"], rel=1e-9, abs=1e-9)


@given(
    m=measure_st,
    rate=st.floats(0.0, 0.2),
    sub=st.floats(0, 0.5),
    price=st.floats(0, 500),
    tc=st.floats(0, 0.3),
    loan_rate=st.floats(0, 0.1),
    loan_share=st.floats(0, 1),
)
def test_instrument_values_sum_to_the_npv_change(
    m: Measure,
    rate: float,
    sub: float,
    price: float,
    tc: float,
    loan_rate: float,
    loan_share: float,
) -> None:
    tariff = TieredTariff(((1000, 0.4), (None, 0.8)), consumption_kwh=2e4)
    pol = Policy(
        subsidy=CapexSubsidy(share=sub),
        tax_credit=InvestmentTaxCredit(tc, years=1),
        carbon_price=CarbonPrice(flat=price),
        green_loan=GreenLoan(loan_rate, loan_share),
        tariff=tariff,
    )
    eff = compare(m, pol, rate)
    scale = m.capex + (m.opex + m.total_savings + price * m.annual_abatement + 2e4) * m.lifetime
    assert sum(eff.components.values()) == pytest.approx(eff.npv_change, abs=1e-9 * scale + 1e-9)
    assert eff.components["subsidy"] == pytest.approx(sub * m.capex)


@given(rate=st.floats(-0.5, 0.5), lifetime=st.integers(1, 60), ramp=st.integers(0, 10))
def test_zero_cost_measure_has_zero_lcoa_with_ramp(rate: float, lifetime: int, ramp: int) -> None:
    m = Measure("free", 0.0, 0.0, 0.0, lifetime, 7.0, ramp_years=ramp)
    assert evaluate([m], rate).iloc[0]["lcoa"] == 0.0
    assert appraise_flows(cash_flows(m), rate).lcoa == 0.0


def test_evaluate_policy_frame() -> None:
    frame = evaluate_policy(
        [BOILER, Measure("led", 100, 0, 60, 5, 10)],
        0.10,
        {"boiler": Policy(subsidy=CapexSubsidy(share=0.2))},
    )
    assert frame["npv_change"].tolist() == pytest.approx([200.0, 0.0])
    assert frame["pv_subsidy"].tolist() == pytest.approx([200.0, 0.0])
    assert np.isfinite(frame["lcoa_policy"]).all()


def test_policy_merge_and_describe() -> None:
    common = Policy(subsidy=CapexSubsidy(share=0.1), carbon_price=CarbonPrice(flat=50))
    own = Policy(subsidy=CapexSubsidy(share=0.3))
    merged = common.merged(own)
    assert merged.subsidy == CapexSubsidy(share=0.3)
    assert merged.carbon_price == CarbonPrice(flat=50)
    assert merged.describe()["carbon_price"] == {"flat": 50}
    assert NO_POLICY.empty
    assert not merged.empty
    with pytest.raises(PlanError, match="either a flat price"):
        CarbonPrice()
    with pytest.raises(PlanError, match="loan rate"):
        GreenLoan(1.5, 0.5)


def test_empty_policy_reuses_the_base_and_the_irr_may_be_skipped() -> None:
    eff = compare(BOILER, NO_POLICY, 0.10)
    assert eff.policy is eff.base
    assert set(eff.components.values()) == {0.0}
    pol = Policy(subsidy=CapexSubsidy(share=0.2))
    fast = compare(BOILER, pol, 0.10, with_irr=False)
    assert fast.base.irr is None
    assert fast.policy.irr is None
    assert fast.policy.npv == compare(BOILER, pol, 0.10).policy.npv


def test_instrument_misfits_shared_by_cash_flows_and_the_table() -> None:
    # hand: 0.5 × 100 + 80 = 130, capped at 120
    assert subsidy_paid(100, 0.5, 80, cap=120) == 120
    assert instrument_misfits(100, 5, subsidy=100, tax_credit_years=5, loan_years=5) == ()
    assert instrument_misfits(100, 5, subsidy=130, tax_credit_years=6, loan_years=7) == (
        "subsidy",
        "tax_credit",
        "green_loan",
    )
    assert instrument_misfits(None, None, subsidy=1e9, loan_years=99) == ()
