"""Reference cases: each expected value is recomputed from its cited source beside it."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from neutra.errors import PlanValidationError
from neutra.inventory.engine import compute
from neutra.inventory.result import InventoryResult
from neutra.io.build import plan_from_records
from neutra.services import library_for

ENTITY = {"name": "Ref Co.", "level": "enterprise", "base_year": 2022, "grid_region": "CN-East"}


def run(
    rows: list[dict[str, Any]],
    settings: dict[str, Any] | None = None,
    entity: dict[str, Any] | None = None,
    **tables: list[dict[str, Any]],
) -> InventoryResult:
    plan = plan_from_records({**ENTITY, **(entity or {})}, rows, settings, **tables)
    lib, problems = library_for(plan)
    assert lib is not None, problems
    return compute(plan, lib, np.random.default_rng(1))


def row(
    activity: str,
    amount: float,
    unit: str,
    category: str = "stationary_combustion",
    scope: int = 1,
    year: int = 2022,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "facility": "site",
        "year": year,
        "scope": scope,
        "category": category,
        "activity": activity,
        "amount": amount,
        "unit": unit,
        **extra,
    }


def gas_t(res: InventoryResult, gas: str, **filters: Any) -> float:
    s = res.summary
    sel = s["gas"] == gas
    for k, v in filters.items():
        sel &= s[k] == v
    return float(s.loc[sel, "emission_t"].sum())


@pytest.mark.parametrize(
    ("fuel", "computed_t_per_tj", "table_1_4_t_per_tj"),
    [
        # IPCC 2006 Vol. 2 Ch. 1: computed = Table 1.3 carbon content × 44/12; Table 1.4 is the
        # same rounded to 3 significant figures (SOURCES.md, "Fuel combustion").
        ("natural_gas", 15.3 * 44 / 12, 56.1),
        ("gas_diesel_oil", 20.2 * 44 / 12, 74.1),  # 74.067 vs 74.1: the trap SOURCES.md names
        ("coking_coal", 25.8 * 44 / 12, 94.6),
        ("motor_gasoline", 18.9 * 44 / 12, 69.3),
        ("coke_oven_gas", 12.1 * 44 / 12, 44.4),
        ("blast_furnace_gas", 70.8 * 44 / 12, 260.0),
    ],
)
def test_combustion_co2_both_conventions(
    fuel: str, computed_t_per_tj: float, table_1_4_t_per_tj: float
) -> None:
    computed = run([row(fuel, 1, "TJ")], {"co2_convention": "computed"})
    table = run([row(fuel, 1, "TJ")], {"co2_convention": "table_1_4_rounded"})
    assert gas_t(computed, "CO2") == pytest.approx(computed_t_per_tj, rel=1e-12)
    assert gas_t(table, "CO2") == pytest.approx(table_1_4_t_per_tj, rel=1e-12)
    assert set(computed.summary.loc[computed.summary["gas"] == "CO2", "method"]) == {
        "combustion_carbon_content"
    }
    assert set(table.summary.loc[table.summary["gas"] == "CO2", "method"]) == {
        "combustion_table_1_4_rounded"
    }
    assert computed.meta["co2_convention"] == "computed"
    assert table.meta["co2_convention"] == "table_1_4_rounded"


def test_mass_activity_uses_table_1_2_ncv() -> None:
    # 1 000 t coking coal × 28.2 GJ/t (Table 1.2) × 25.8 kg C/GJ (Table 1.3) × 44/12.
    res = run([row("coking_coal", 1_000, "t")])
    assert gas_t(res, "CO2") == pytest.approx(1_000 * 28.2 * 25.8 * 44 / 12 / 1_000, rel=1e-12)


def test_chinese_units_and_measured_overrides() -> None:
    # 1 万m3 natural gas at a measured 36 MJ/m3 = 360 GJ; measured carbon content 15.0 t C/TJ
    # and oxidation 0.99 replace the defaults: 360 × 15.0 × 0.99 × 44/12 kg.
    res = run(
        [row("天然气", 1, "万m3", ncv=36, ncv_unit="MJ/m3", carbon_content=15.0, oxidation=0.99)]
    )
    assert gas_t(res, "CO2") == pytest.approx(360 * 15.0 * 0.99 * 44 / 12 / 1_000, rel=1e-12)
    assert set(res.summary.loc[res.summary["gas"] == "CO2", "method"]) == {
        "combustion_measured_carbon_content"
    }


@pytest.mark.parametrize(
    ("gwp_set", "gas", "expected"),
    [
        # SOURCES.md GWP table [V]: HFC-134a 1 430 (AR4), 1 300 (AR5), 1 530 (AR6);
        # SF6 23 500 (AR5); CH4 27.9 (AR6, Table 7.SM.7), 29.8 fossil (AR6 Table 7.15).
        ("AR4", "HFC134a", 1_430),
        ("AR5", "HFC-134a", 1_300),
        ("AR6", "R-134a", 1_530),
        ("AR5", "SF6", 23_500),
        ("SAR", "CH4", 21),
        ("AR6", "CH4", 27.9),
        ("AR6-fossil-split", "CH4", 29.8),
    ],
)
def test_fugitive_gwp(gwp_set: str, gas: str, expected: float) -> None:
    res = run([row(gas, 1, "t", category="fugitive")], {"gwp_set": gwp_set})
    assert float(res.totals["scope1"].iloc[0]) == pytest.approx(expected, rel=1e-12)
    assert res.meta["gwp_set"] == gwp_set


def test_refrigerant_blend() -> None:
    # R-410A = 50 % HFC-32 + 50 % HFC-125 (ASHRAE 34); AR5 GWPs 677 and 3 170.
    res = run([row("r410a", 1_000, "kg", category="fugitive")], {"gwp_set": "AR5"})
    assert float(res.totals["scope1"].iloc[0]) == pytest.approx(0.5 * 677 + 0.5 * 3_170)


def test_process_limestone() -> None:
    # IPCC 2006 Vol. 3 Ch. 2 Table 2.1: CaCO3 0.43971 t CO2/t.
    res = run([row("limestone", 100, "t", category="process")])
    assert gas_t(res, "CO2") == pytest.approx(43.971, rel=1e-12)


def test_scope2_location_and_market() -> None:
    # 1 000 MWh in East China 2022: location 0.5617 kg/kWh (MEE/NBS 2022 regional [R]).
    # A 400 MWh green certificate is claimed once; the other 600 MWh take the national residual
    # factor excluding market-traded non-fossil power, 0.5856 (2022 [R]).
    elec = [row("electricity", 1_000, "MWh", category="electricity", scope=2)]
    ins = [
        {"id": "GEC-1", "kind": "gec", "mwh": 400, "year": 2022, "vintage": 2022, "market": "CN"}
    ]
    res = run(elec, instruments=ins)
    t = res.totals.iloc[0]
    assert t["scope2_location"] == pytest.approx(561.7, rel=1e-12)
    assert t["scope2_market"] == pytest.approx(600 * 0.5856, rel=1e-12)
    assert res.claims["mwh_claimed"].sum() == pytest.approx(400)
    no_ins = run(elec)
    assert no_ins.totals.iloc[0]["scope2_market"] == pytest.approx(585.6, rel=1e-12)
    assert no_ins.totals.iloc[0]["scope2_location"] == pytest.approx(561.7, rel=1e-12)


def test_scope2_instruments_do_not_lower_location_based() -> None:
    elec = [row("electricity", 100, "MWh", category="electricity", scope=2)]
    ins = [
        {"id": "PPA", "kind": "ppa", "mwh": 1_000, "year": 2022, "vintage": 2022, "market": "CN"}
    ]
    res = run(elec, instruments=ins)
    t = res.totals.iloc[0]
    assert t["scope2_location"] == pytest.approx(56.17)
    assert t["scope2_market"] == pytest.approx(0.0)
    assert "instrument_unclaimed" in set(res.findings["code"])  # 900 MWh left, not reused


def test_instrument_rules() -> None:
    elec = [row("electricity", 100, "MWh", category="electricity", scope=2, year=2023)]
    ins = [
        {"id": "OLD", "kind": "gec", "mwh": 100, "year": 2023, "vintage": 2020, "market": "CN"},
        {"id": "EU", "kind": "rec", "mwh": 100, "year": 2023, "vintage": 2023, "market": "EU"},
    ]
    res = run(elec, entity={"base_year": 2023}, instruments=ins)
    assert res.claims.empty
    assert {"instrument_vintage", "instrument_wrong_market"} <= set(res.findings["code"])
    # 2023 has no East-China factor in the packaged data: national 0.5306 with a warning.
    assert res.totals.iloc[0]["scope2_location"] == pytest.approx(53.06)
    assert "grid_national" in set(res.findings["code"])


def test_biomass_co2_outside_scopes() -> None:
    # Wood: NCV 15.6 GJ/t, 30.5 kg C/GJ (IPCC 2006 Tables 1.2/1.3); CO2 reported separately
    # (GB/T 32150, GHG Protocol), CH4 and N2O stay in Scope 1.
    res = run([row("wood_wood_waste", 10, "t")])
    t = res.totals.iloc[0]
    assert t["biogenic_co2"] == pytest.approx(10 * 15.6 * 30.5 * 44 / 12 / 1_000, rel=1e-12)
    s = res.summary
    assert not ((s["gas"] == "CO2") & ~s["biogenic"]).any()
    assert t["scope1"] == pytest.approx(float(s.loc[~s["biogenic"], "co2e_t"].sum()))
    assert t["scope1"] < t["biogenic_co2"] / 10


def test_scope3_freight_short_ton_miles() -> None:
    # US EPA GHG Emission Factors Hub 2023, Table 8: medium/heavy truck 0.170 kg CO2 per
    # short-ton-mile. 1 000 t·km = 1 000 / (0.90718474 × 1.609344) short-ton-miles.
    res = run([row("freight_truck_ton_mile", 1_000, "t*km", category="4", scope=3)])
    stm = 1_000 / (0.90718474 * 1.609344)
    assert gas_t(res, "CO2") == pytest.approx(stm * 0.170 / 1_000, rel=1e-9)
    assert set(res.summary["category"]) == {"4_upstream_transportation"}


def test_convention_mismatch_is_an_error_not_a_silent_mix() -> None:
    with pytest.raises(PlanValidationError, match="convention"):
        run(
            [row("natural_gas", 1, "TJ")],
            {"co2_convention": "table_1_4_rounded", "factor_sets": "cn-gbt32150"},
        )


def test_every_result_row_traces_to_activity_rows_and_factors() -> None:
    res = run([row("natural_gas", 1, "TJ"), row("limestone", 5, "t", category="process")])
    assert res.detail is not None
    assert set(res.detail["row"]) == {2, 3}
    ids = {i for x in res.detail["factor_ids"] for i in x.split(";") if i}
    assert ids <= set(res.factors["factor_id"])
    assert "ipcc2006:natural_gas:carbon_content" in ids
    assert isinstance(res.factors, pd.DataFrame)
    assert {"source", "licence", "status"} <= set(res.factors.columns)


def test_measured_carbon_content_replaces_a_per_mass_co2_factor() -> None:
    # A plan's own factor set gives CO2 per tonne; a row that measures carbon content is
    # computed from energy instead: 100 t × 20 GJ/t × 26.5 kg C/GJ × 0.9 × 44/12.
    factors = [
        {
            "id": "mycoal",
            "parameter": "ef",
            "gas": "CO2",
            "value": 2.0,
            "unit": "t/t",
            "source": "supplier certificate",
        },
        {
            "id": "mycoal",
            "parameter": "ncv",
            "value": 20,
            "unit": "GJ/t",
            "source": "supplier certificate",
        },
    ]
    res = run(
        [
            row("mycoal", 100, "t", carbon_content=26.5, oxidation=0.9),
            row("mycoal", 10, "t", year=2022, evidence="no measurement"),
        ],
        factors=factors,
    )
    expected = 100 * 20 * 26.5 * 0.9 * 44 / 12 / 1_000 + 10 * 2.0
    assert gas_t(res, "CO2") == pytest.approx(expected, rel=1e-12)
    assert res.detail is not None
    assert res.detail["emission_t"].sum() == pytest.approx(expected, rel=1e-12)
    measured = res.detail[res.detail["method"] == "combustion_measured_carbon_content"]
    assert "plan:mycoal:ef:CO2" not in measured["factor_ids"].iloc[0]


def test_measured_ncv_unit_must_match_the_amount() -> None:
    with pytest.raises(PlanValidationError) as info:
        run([row("natural_gas", 35, "万Nm3", ncv=48, ncv_unit="GJ/t")])
    (p,) = info.value.problems
    assert (p.field, p.value, p.row) == ("ncv_unit", "GJ/t", 2)
    assert "per volume" in p.expected


def test_measured_ncv_drops_the_default_ncv_id() -> None:
    res = run([row("coking_coal", 10, "t", ncv=27.0, ncv_unit="GJ/t")])
    assert res.detail is not None
    ids = ";".join(res.detail["factor_ids"])
    assert "ipcc2006:coking_coal:ncv" not in ids
    assert gas_t(res, "CO2") == pytest.approx(10 * 27.0 * 25.8 * 44 / 12 / 1_000, rel=1e-12)


def test_earlier_year_grid_factor_is_named_as_such() -> None:
    res = run(
        [row("electricity", 100, "MWh", category="electricity", scope=2, year=2024)],
        entity={"base_year": 2024},
    )
    # No 2024 factor is packaged: the latest East-China factor (2022, 0.5617) is used, and the
    # method and the findings say so.
    assert set(res.summary["method"]) == {"location_earlier_year"}
    assert res.totals.iloc[0]["scope2_location"] == pytest.approx(56.17)
    assert "grid_earlier_year" in set(res.findings["code"])


def test_findings_are_kept_per_year() -> None:
    res = run(
        [
            row("gas_diesel_oil", 1, "t", category="mobile_combustion", year=2022),
            row("gas_diesel_oil", 1, "t", category="mobile_combustion", year=2023),
        ]
    )
    ne = res.findings[res.findings["code"] == "not_estimated"]
    assert set(ne["year"]) == {2022, 2023}


def test_status_and_ids_follow_the_values_really_used() -> None:
    # The plan's own carbon content is unverified and its NCV verified: a row that measures
    # its carbon content and oxidation uses only the NCV default, so it is 'verified'.
    factors = [
        {
            "id": "myfuel",
            "parameter": "carbon_content",
            "value": 20,
            "unit": "kg/GJ",
            "source": "test input",
            "status": "unverified",
        },
        {
            "id": "myfuel",
            "parameter": "ncv",
            "value": 40,
            "unit": "GJ/t",
            "source": "test input",
            "status": "verified",
        },
        {
            "id": "myfuel",
            "parameter": "oxidation",
            "value": 0.98,
            "unit": "1",
            "source": "test input",
            "status": "verified",
        },
    ]
    res = run([row("myfuel", 100, "t", carbon_content=21, oxidation=0.99)], factors=factors)
    co2 = res.summary[res.summary["gas"] == "CO2"].iloc[0]
    assert co2["status"] == "verified"
    assert co2["factor_ids"] == "plan:myfuel:ncv"
    assert co2["emission_t"] == pytest.approx(100 * 40 * 21 * 0.99 * 44 / 12 / 1_000)
    assert res.detail is not None
    assert res.detail.loc[res.detail["gas"] == "CO2", "factor_ids"].tolist() == ["plan:myfuel:ncv"]


def test_a_measurement_the_factor_does_not_use_is_a_finding() -> None:
    factors = [
        {
            "id": "myfuel",
            "parameter": "ef",
            "gas": "CO2",
            "value": 2.0,
            "unit": "t/t",
            "source": "test input",
        }
    ]
    res = run([row("myfuel", 100, "t", oxidation=0.5)], factors=factors)
    assert gas_t(res, "CO2") == pytest.approx(200.0)  # per-tonne factor: oxidation not applied
    f = res.findings[res.findings["code"] == "measured_value_unused"]
    assert len(f) == 1
    assert "oxidation" in f["detail"].iloc[0]
