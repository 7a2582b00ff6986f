"""Forest carbon by stock-difference and gain–loss, against hand computations of the IPCC 2006
Vol. 4 Ch. 2 equations (numbers as in docs/method-removals.md)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from neutra.errors import PlanValidationError
from neutra.removals.forest import (
    C_TO_CO2,
    DEFAULT_CARBON_FRACTION,
    GainLossYear,
    StockInventory,
    gain_loss,
    stock_difference,
)


def inv(year: int, volume_per_ha: float, area: float = 100.0, **kw: float) -> StockInventory:
    return StockInventory(
        stratum=str(kw.pop("stratum", "A")),
        year=year,
        area_ha=area,
        volume_m3_per_ha=volume_per_ha,
        bcef_s=kw.pop("bcef_s", 0.5),
        root_shoot=kw.pop("root_shoot", 0.2),
        carbon_fraction=kw.pop("carbon_fraction", None),
    )


def test_stock_difference_by_hand_with_cf_047() -> None:
    # Eq. 2.8, C = V × BCEF_S × (1 + R) × CF with CF 0.47 (Vol. 4 Ch. 4 Table 4.3, unverified):
    # 2015: 100 ha × 100 m³/ha × 0.5 t/m³ × 1.2 × 0.47 = 2 820 t C
    # 2020: 100 ha × 110 m³/ha × 0.5 t/m³ × 1.2 × 0.47 = 3 102 t C
    # ΔC = (3 102 − 2 820) / 5 = 56.4 t C/yr; net CO2 = −56.4 × 44/12 = −206.8 t CO2/yr.
    r = stock_difference([inv(2015, 100), inv(2020, 110)])
    row = r.strata.iloc[0]
    assert row["stock_from_tc"] == pytest.approx(2820.0)
    assert row["stock_to_tc"] == pytest.approx(3102.0)
    assert row["delta_c_tc"] == pytest.approx(56.4)
    assert row["net_emissions_tco2"] == pytest.approx(-206.8)
    assert pytest.approx(44 / 12) == C_TO_CO2
    assert DEFAULT_CARBON_FRACTION == 0.47
    # the default CF is unverified (SOURCES.md [M]) and the result says so
    assert bool(row["cf_default"])
    assert r.unverified
    assert "unverified" in r.unverified[0]
    assert "A 2015" in r.unverified[0]
    # the period's rate in each year 2016–2020
    assert r.yearly["year"].tolist() == [2016, 2017, 2018, 2019, 2020]
    assert r.yearly["net_emissions_tco2"].tolist() == pytest.approx([-206.8] * 5)


def test_explicit_carbon_fraction_is_not_flagged_and_total_volume_works() -> None:
    # CF 0.5, total volume 10 000 → 11 000 m³, BCEF 0.5, R 0.2: C = 3 000 → 3 300 t C over
    # 3 years; ΔC = 100 t C/yr, net CO2 = −366.67 t CO2/yr (Eq. 2.8).
    items = [
        StockInventory(
            stratum="B", year=y, volume_m3=v, bcef_s=0.5, root_shoot=0.2, carbon_fraction=0.5
        )
        for y, v in ((2017, 10_000.0), (2020, 11_000.0))
    ]
    r = stock_difference(items)
    assert r.strata["delta_c_tc"].iloc[0] == pytest.approx(100.0)
    assert r.strata["net_emissions_tco2"].iloc[0] == pytest.approx(-100.0 * 44 / 12)
    assert r.unverified == ()


def test_gain_loss_composition_by_hand() -> None:
    # Eq. 2.9/2.10 gain: 1 000 ha × 4 t d.m./ha/yr × (1 + 0.25) × 0.5 = 2 500 t C/yr
    # Eq. 2.12 wood removals: 2 000 m³ × 0.6 × 1.25 × 0.5 = 750 t C/yr
    # Eq. 2.13 fuelwood: (100 m³ × 0.6 × 1.25 + 40 m³ × 0.5 t/m³) × 0.5 = 47.5 t C/yr
    # Eq. 2.14 disturbance: 10 ha × 80 t/ha × 1.25 × 0.5 × 0.3 = 150 t C/yr
    # Eq. 2.11 loss = 947.5; Eq. 2.7 ΔC = 2 500 − 947.5 = 1 552.5 t C/yr; CO2 = −5 692.5 t/yr
    item = GainLossYear(
        stratum="A",
        year=2022,
        area_ha=1000,
        root_shoot=0.25,
        gw_t_per_ha=4,
        carbon_fraction=0.5,
        removals_m3=2000,
        bcef_r=0.6,
        fuelwood_trees_m3=100,
        fuelwood_parts_m3=40,
        wood_density_t_per_m3=0.5,
        disturbed_ha=10,
        disturbed_biomass_t_per_ha=80,
        disturbance_fraction=0.3,
    )
    row = gain_loss([item]).strata.iloc[0]
    assert row["gain_tc"] == pytest.approx(2500.0)
    assert row["loss_wood_removals_tc"] == pytest.approx(750.0)
    assert row["loss_fuelwood_tc"] == pytest.approx(47.5)
    assert row["loss_disturbance_tc"] == pytest.approx(150.0)
    assert row["loss_tc"] == pytest.approx(947.5)
    assert row["delta_c_tc"] == pytest.approx(1552.5)
    assert row["net_emissions_tco2"] == pytest.approx(-5692.5)


def test_growth_from_increment_and_bcef_i() -> None:
    # Eq. 2.10: I_V × BCEF_I = 5 m³/ha/yr × 0.8 t/m³ = 4 t d.m./ha/yr, the same as G_W = 4.
    a = GainLossYear(stratum="A", year=2022, area_ha=10, root_shoot=0.3, gw_t_per_ha=4)
    b = GainLossYear(stratum="A", year=2022, area_ha=10, root_shoot=0.3, iv_m3_per_ha=5, bcef_i=0.8)
    assert gain_loss([b]).strata["gain_tc"].iloc[0] == pytest.approx(
        gain_loss([a]).strata["gain_tc"].iloc[0]
    )
    # 10 ha × 4 × 1.3 × 0.47 (default CF) = 24.44 t C/yr
    assert gain_loss([a]).strata["gain_tc"].iloc[0] == pytest.approx(24.44)


def test_sign_convention() -> None:
    """Growing stock: ΔC > 0 and net emissions < 0 (a removal); falling stock: the reverse."""
    growing = stock_difference([inv(2015, 100), inv(2020, 120)])
    falling = stock_difference([inv(2015, 120), inv(2020, 100)])
    assert growing.strata["delta_c_tc"].iloc[0] > 0
    assert growing.strata["net_emissions_tco2"].iloc[0] < 0
    assert falling.strata["delta_c_tc"].iloc[0] < 0
    assert falling.strata["net_emissions_tco2"].iloc[0] > 0
    assert falling.notes
    assert "net source" in falling.notes[0]
    harvest = GainLossYear(
        stratum="A", year=2022, area_ha=1, root_shoot=0, gw_t_per_ha=1, removals_m3=100, bcef_r=1
    )
    assert gain_loss([harvest]).strata["net_emissions_tco2"].iloc[0] > 0
    # the series for the neutrality check carries the same sign
    assert (growing.net_emissions_by_year() < 0).all()


def test_yearly_totals_only_over_years_every_stratum_covers() -> None:
    items = [
        inv(2015, 100),
        inv(2020, 110),
        inv(2018, 50, stratum="B"),
        inv(2020, 60, stratum="B"),
    ]
    r = stock_difference(items)
    assert r.yearly["year"].tolist() == [2019, 2020]
    assert any("2016, 2017, 2018" in n for n in r.notes)
    # 2019: A's 56.4 + B's (100 × 10 × 0.5 × 1.2 × 0.47) / 2 = 56.4 + 141 = 197.4 t C/yr
    assert r.yearly["delta_c_tc"].iloc[0] == pytest.approx(56.4 + 141.0)


def test_api_problems_all_at_once() -> None:
    bad = [
        StockInventory(
            stratum="A", year=2015, area_ha=-1, volume_m3_per_ha=10, bcef_s=1, root_shoot=0.2
        ),
        StockInventory(stratum="A", year=2020, bcef_s=1, root_shoot=-0.1, carbon_fraction=1.5),
    ]
    with pytest.raises(PlanValidationError) as exc:
        stock_difference(bad)
    fields = {(p.row, p.field) for p in exc.value.problems}
    assert {
        (1, "area_ha"),
        (2, "root_shoot"),
        (2, "carbon_fraction"),
        (2, "volume_m3_per_ha"),
    } <= fields


def test_gain_loss_missing_factors_reported() -> None:
    item = GainLossYear(
        stratum="A",
        year=2022,
        area_ha=1,
        root_shoot=0.2,
        removals_m3=5,
        fuelwood_parts_m3=1,
        disturbed_ha=2,
    )
    with pytest.raises(PlanValidationError) as exc:
        gain_loss([item])
    fields = {p.field for p in exc.value.problems}
    assert {
        "gw_t_per_ha",
        "bcef_r",
        "wood_density_t_per_m3",
        "disturbed_biomass_t_per_ha",
        "disturbance_fraction",
    } <= fields


# --- properties ------------------------------------------------------------------------------

pos = st.floats(min_value=0.01, max_value=1e5, allow_nan=False)
frac = st.floats(min_value=0.01, max_value=1.0)


@given(area=pos, k=st.floats(min_value=0.01, max_value=100), gw=pos, r=frac, cf=frac)
def test_gain_loss_removals_scale_linearly_with_area(
    area: float, k: float, gw: float, r: float, cf: float
) -> None:
    def net(a: float) -> float:
        item = GainLossYear(
            stratum="A", year=2030, area_ha=a, root_shoot=r, gw_t_per_ha=gw, carbon_fraction=cf
        )
        return float(gain_loss([item]).strata["net_emissions_tco2"].iloc[0])

    assert net(area * k) == pytest.approx(k * net(area), rel=1e-9)


@given(a1=pos, a2=pos, v1=pos, v2=pos, k=st.floats(min_value=0.01, max_value=100))
def test_stock_difference_scales_linearly_with_area(
    a1: float, a2: float, v1: float, v2: float, k: float
) -> None:
    def dc(s: float) -> tuple[float, float]:
        r = stock_difference([inv(2010, v1, area=a1 * s), inv(2020, v2, area=a2 * s)])
        row = r.strata.iloc[0]
        return float(row["delta_c_tc"]), max(row["stock_from_tc"], row["stock_to_tc"])

    scaled, stock = dc(k)
    base, _ = dc(1.0)
    # ΔC is a difference of stocks: rounding is relative to the stocks, not to ΔC
    assert scaled == pytest.approx(k * base, rel=1e-9, abs=1e-12 * stock)


@given(area=pos, r=frac, cf=frac, use_iv=st.booleans())
def test_zero_growth_and_zero_losses_give_zero(
    area: float, r: float, cf: float, use_iv: bool
) -> None:
    growth = {"iv_m3_per_ha": 0.0, "bcef_i": 0.7} if use_iv else {"gw_t_per_ha": 0.0}
    item = GainLossYear(
        stratum="A", year=2030, area_ha=area, root_shoot=r, carbon_fraction=cf, **growth
    )
    row = gain_loss([item]).strata.iloc[0]
    assert row["delta_c_tc"] == 0.0
    assert row["net_emissions_tco2"] == 0.0


@given(area=pos, v=pos, bcef=pos, r=frac, span=st.integers(min_value=1, max_value=50))
def test_stock_difference_of_a_constant_stock_is_zero(
    area: float, v: float, bcef: float, r: float, span: int
) -> None:
    res = stock_difference(
        [
            inv(2000, v, area=area, bcef_s=bcef, root_shoot=r),
            inv(2000 + span, v, area=area, bcef_s=bcef, root_shoot=r),
        ]
    )
    assert res.strata["delta_c_tc"].iloc[0] == 0.0
    assert (res.yearly["net_emissions_tco2"] == 0.0).all()
