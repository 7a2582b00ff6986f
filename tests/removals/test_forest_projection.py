"""Afforestation and management projections: cohorts by age, planting and harvest."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from neutra.errors import PlanValidationError
from neutra.removals.projection import ProjectedStratum, project


def stratum(**kw: object) -> ProjectedStratum:
    base: dict[str, object] = {
        "name": "pine",
        "growth": ((0, 2.0), (5, 6.0)),
        "root_shoot": 0.2,
        "carbon_fraction": 0.5,
        "area_by_age_ha": {4: 100.0},
        "planting_ha": {2021: 50.0},
        "removals_m3": {2022: 100.0},
        "bcef_r": 0.7,
    }
    base.update(kw)
    return ProjectedStratum(**base)  # type: ignore[arg-type]


def test_by_hand() -> None:
    # Eq. 2.9/2.10 per cohort, × (1 + 0.2) × 0.5:
    # 2020: 100 ha aged 4 × 2.0 = 200 t d.m. → 120 t C
    # 2021: 100 ha aged 5 × 6.0 + 50 ha aged 0 × 2.0 = 700 t d.m. → 420 t C
    # 2022: the same growth, 420 t C, less Eq. 2.12: 100 m³ × 0.7 × 1.2 × 0.5 = 42 t C → 378
    p = project([stratum()], 2020, 2022)
    s = p.sinks.strata
    assert s["gain_tc"].tolist() == pytest.approx([120.0, 420.0, 420.0])
    assert s["loss_wood_removals_tc"].tolist() == pytest.approx([0.0, 0.0, 42.0])
    assert s["delta_c_tc"].tolist() == pytest.approx([120.0, 420.0, 378.0])
    assert p.sinks.yearly["net_emissions_tco2"].tolist() == pytest.approx(
        [-120 * 44 / 12, -420 * 44 / 12, -378 * 44 / 12]
    )
    assert p.area["area_ha"].tolist() == [100.0, 150.0, 150.0]
    assert p.area["planted_ha"].tolist() == [0.0, 50.0, 0.0]


def test_afforestation_adds_removals_over_the_baseline() -> None:
    base = project([stratum(planting_ha={})], 2020, 2030).sinks.yearly
    more = project(
        [stratum(planting_ha=dict.fromkeys(range(2021, 2031), 20.0))], 2020, 2030
    ).sinks.yearly
    assert (more["net_emissions_tco2"] <= base["net_emissions_tco2"]).all()
    assert more["net_emissions_tco2"].iloc[-1] < base["net_emissions_tco2"].iloc[-1]


@given(k=st.floats(min_value=0.01, max_value=100), area=st.floats(min_value=1, max_value=1e4))
def test_removals_scale_linearly_with_area(k: float, area: float) -> None:
    def net(s: float) -> list[float]:
        p = project(
            [
                stratum(
                    area_by_age_ha={3: area * s}, planting_ha={2021: area * s / 2}, removals_m3={}
                )
            ],
            2020,
            2025,
        )
        return p.sinks.yearly["net_emissions_tco2"].tolist()

    assert net(k) == pytest.approx([k * v for v in net(1.0)], rel=1e-9)


def test_zero_growth_zero_removals_give_zero() -> None:
    p = project([stratum(growth=((0, 0.0),), removals_m3={})], 2020, 2025)
    assert (p.sinks.yearly["net_emissions_tco2"] == 0).all()


def test_problems_all_at_once() -> None:
    bad = stratum(
        growth=((1, 2.0),),
        planting_ha={2040: 5.0},
        bcef_r=None,
        root_shoot=-1.0,
    )
    with pytest.raises(PlanValidationError) as exc:
        project([bad, stratum()], 2020, 2030)
    fields = sorted(p.field or "" for p in exc.value.problems)
    assert fields == ["bcef_r", "growth", "name", "planting_ha", "root_shoot"]
