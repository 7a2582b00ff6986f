"""Allocation: China's power formula by hand with the cited figures, the other methods, mixes."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from neutra.errors import PlanValidationError
from neutra.market.allocation import AllocationRule, Method, allocate
from neutra.market.templates import load_template

CN = load_template("cn-power")

COLUMNS = (
    "row",
    "entity",
    "year",
    "verified_emissions_t",
    "unit_type",
    "electricity_supplied_mwh",
    "heat_supplied_gj",
    "correction",
    "cooling",
    "heat_ratio",
    "load_correction",
    "supply_benchmark_t_per_mwh",
    "heat_benchmark_t_per_gj",
    "history_t",
    "free_allocation_t",
    "offsets_t",
)


def table(*rows: dict[str, object]) -> pd.DataFrame:
    recs = []
    for i, r in enumerate(rows):
        rec: dict[str, object] = dict.fromkeys(COLUMNS, np.nan)
        rec.update({"row": i + 2, "entity": f"u{i}", "year": 2019, "verified_emissions_t": 0.0})
        rec.update(r)
        recs.append(rec)
    return pd.DataFrame(recs, columns=list(COLUMNS))


def test_power_formula_by_hand_with_the_cited_benchmarks_and_corrections() -> None:
    frame = table(
        {
            "unit_type": "coal_above_300mw",
            "electricity_supplied_mwh": 1_000_000.0,
            "heat_supplied_gj": 2_000_000.0,
            "cooling": "air",
            "heat_ratio": 0.2,
        },
        {
            "unit_type": "燃气机组",
            "electricity_supplied_mwh": 500_000.0,
            "heat_supplied_gj": 1_000_000.0,
            "heat_ratio": 0.3,
        },
    )
    out = allocate(frame, CN, AllocationRule.parse("benchmark"), "t.csv").frame
    # Coal above 300 MW, 2019: B_e 0.877 t/MWh, B_h 0.126 t/GJ (2019-2020 plan [R]);
    # F = 1.05 (air cooling [unverified]) × (1 − 0.22 × 0.2) (coal heat correction
    # [unverified]) = 1.0038; A = 0.877 × 1 000 000 × 1.0038 + 0.126 × 2 000 000
    # = 880 332.6 + 252 000 = 1 132 332.6 t.
    assert out.loc[0, "correction_used"] == pytest.approx(1.0038)
    assert out.loc[0, "benchmark_t"] == pytest.approx(1_132_332.6)
    # Gas, 2019: 0.392 t/MWh, 0.059 t/GJ [R]; F = 1 − 0.6 × 0.3 = 0.82 (gas heat correction,
    # 2021-2022 draft guide [R]; no cooling correction for gas);
    # A = 0.392 × 500 000 × 0.82 + 0.059 × 1 000 000 = 160 720 + 59 000 = 219 720 t.
    assert out.loc[1, "benchmark_t"] == pytest.approx(219_720.0)
    assert out["free_t"].tolist() == pytest.approx([1_132_332.6, 219_720.0])
    params = allocate(frame, CN, AllocationRule.parse("benchmark"), "t").parameters
    used = {p.parameter for p in params}
    assert {"supply_benchmark", "heat_benchmark", "cooling_correction"} <= used


def test_own_correction_and_benchmarks_override_the_template() -> None:
    frame = table(
        {
            "unit_type": "coal_300mw_and_below",
            "electricity_supplied_mwh": 100.0,
            "heat_supplied_gj": 10.0,
            "correction": 1.1,
            "supply_benchmark_t_per_mwh": 0.9,
            "year": 2030,  # no template year: the row's own figures suffice
        }
    )
    # Heat needs a benchmark too, and 2030 has none in the template: a located problem.
    with pytest.raises(PlanValidationError) as info:
        allocate(frame, CN, AllocationRule.parse("benchmark"), "t.csv")
    assert [(p.row, p.field) for p in info.value.problems] == [(2, "year")]
    frame.loc[0, "heat_benchmark_t_per_gj"] = 0.1
    out = allocate(frame, CN, AllocationRule.parse("benchmark"), "t.csv")
    assert out.frame.loc[0, "benchmark_t"] == pytest.approx(0.9 * 100 * 1.1 + 0.1 * 10)
    assert out.parameters == ()


def test_benchmark_year_projects_with_a_published_year() -> None:
    frame = table(
        {
            "year": 2030,
            "unit_type": "coal_above_300mw",
            "electricity_supplied_mwh": 1000.0,
            "correction": 1.0,
        }
    )
    out = allocate(frame, CN, AllocationRule.parse("benchmark", benchmark_year=2020), "t")
    assert out.frame.loc[0, "benchmark_t"] == pytest.approx(877.0)  # 0.877 × 1000 (2020)


def test_grandfathering_given_auction_and_a_mix() -> None:
    frame = table(
        {
            "verified_emissions_t": 1000.0,
            "history_t": 1200.0,
            "free_allocation_t": 500.0,
            "unit_type": "gas",
            "electricity_supplied_mwh": 1000.0,
        }
    )
    rule = AllocationRule.parse("grandfathering", grandfather_factor=0.9)
    assert allocate(frame, CN, rule, "t").frame.loc[0, "free_t"] == pytest.approx(1080.0)
    given_ = allocate(frame, CN, AllocationRule.parse("given"), "t").frame
    assert given_.loc[0, "free_t"] == pytest.approx(500.0)
    auction = allocate(frame, CN, AllocationRule.parse("auction"), "t").frame
    assert (auction.loc[0, "free_t"], auction.loc[0, "auctioned_t"]) == (0.0, 1000.0)
    # Mix: 0.5 × benchmark (0.392 × 1000 = 392) + 0.2 × 1200 + auction 0.3 × 1000.
    mix = AllocationRule.parse("基准线法:0.5,grandfathering:0.2,auction:0.3")
    out = allocate(frame, CN, mix, "t").frame
    assert out.loc[0, "free_t"] == pytest.approx(0.5 * 392.0 + 0.2 * 1200.0)
    assert out.loc[0, "auctioned_t"] == pytest.approx(300.0)


def test_rule_problems_are_reported_together() -> None:
    with pytest.raises(PlanValidationError) as info:
        AllocationRule.parse("benchmark:0.5,lottery:0.5", grandfather_factor=-1.0)
    fields = {p.field for p in info.value.problems}
    assert fields == {"method", "factor"}
    with pytest.raises(PlanValidationError, match="sum to 1"):
        AllocationRule.parse("benchmark:0.5,auction:0.4")
    assert AllocationRule.parse("auction").weights == ((Method.AUCTION, 1.0),)


def test_rows_lacking_what_the_method_needs_are_all_located() -> None:
    frame = table(
        {"unit_type": "coal_above_300mw", "electricity_supplied_mwh": 1.0},  # no cooling
        {"unit_type": "nuclear", "electricity_supplied_mwh": 1.0},  # unknown type
        {  # supplies heat, no heat ratio
            "unit_type": "gas",
            "electricity_supplied_mwh": 1.0,
            "heat_supplied_gj": 5.0,
        },
        {"unit_type": "gas", "electricity_supplied_mwh": 1.0, "year": 2031},  # no benchmark
        {"unit_type": "gas"},  # no electricity supplied
    )
    with pytest.raises(PlanValidationError) as info:
        allocate(frame, CN, AllocationRule.parse("benchmark:0.5,grandfathering:0.5"), "u.csv")
    found = {(p.row, p.field) for p in info.value.problems}
    assert {
        (2, "cooling"),
        (3, "unit_type"),
        (4, "heat_ratio"),
        (5, "year"),
        (6, "electricity_supplied_mwh"),
        (2, "history_t"),  # grandfathering: every row lacks history_t → one grouped problem
    } <= found
    assert all(p.file == "u.csv" for p in info.value.problems)


@given(
    verified=st.floats(0, 1e9),
    elec=st.floats(0, 1e9),
    heat=st.floats(0, 1e9),
    ratio=st.floats(0, 1),
    history=st.floats(0, 1e9),
    weights=st.lists(st.floats(0, 1), min_size=4, max_size=4).filter(lambda w: sum(w) > 0),
    unit=st.sampled_from(["coal_above_300mw", "coal_unconventional", "gas"]),
)
def test_allowances_are_never_negative(
    verified: float,
    elec: float,
    heat: float,
    ratio: float,
    history: float,
    weights: list[float],
    unit: str,
) -> None:
    total = sum(weights)
    parts = [f"{m.value}:{w / total!r}" for m, w in zip(Method, weights, strict=True)]
    rule = AllocationRule.parse(",".join(parts))
    frame = table(
        {
            "verified_emissions_t": verified,
            "unit_type": unit,
            "electricity_supplied_mwh": elec,
            "heat_supplied_gj": heat,
            "heat_ratio": ratio,
            "cooling": "water",
            "history_t": history,
            "free_allocation_t": history / 2,
        }
    )
    out = allocate(frame, CN, rule, "t").frame
    assert out.loc[0, "free_t"] >= 0
    assert out.loc[0, "auctioned_t"] >= 0
    assert math.isfinite(out.loc[0, "free_t"])
