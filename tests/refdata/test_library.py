"""Reference data: the packaged sets load, are well-formed and agree with their cited sources."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from neutra import units
from neutra.errors import ReferenceDataError
from neutra.refdata.library import (
    FACTOR_COLUMNS,
    PARAMETERS,
    gwp_table,
    load_library,
    manifest,
    packaged_set,
)


def test_manifest_lists_every_set() -> None:
    m = manifest()
    assert {
        "ipcc2006",
        "ipcc2006-ippu",
        "cn-mee-grid",
        "cn-gbt32150",
        "refrigerant-blends",
        "us-epa-hub",
    } <= set(m.ids)
    assert "cn-gbt32150" not in m.defaults  # unverified set: opt-in only
    assert set(m.gwp_sets) == {"SAR", "AR4", "AR5", "AR6", "AR6-fossil-split"}


@pytest.mark.parametrize("set_id", [s.id for s in manifest().sets])
def test_set_is_well_formed(set_id: str) -> None:
    df = packaged_set(set_id)
    assert list(df.columns[: len(FACTOR_COLUMNS)]) == list(FACTOR_COLUMNS)
    assert set(df["parameter"]) <= PARAMETERS
    assert set(df["status"]) <= {"verified", "reported", "unverified"}
    assert (df["source"] != "").all()
    assert (df["licence"] != "").all()
    for u in df["unit"].unique():
        units.parse(u)
    lo_ok = df["lower"].isna() | (df["lower"] <= df["value"])
    hi_ok = df["upper"].isna() | (df["upper"] >= df["value"])
    assert (lo_ok & hi_ok).all()
    key = ["id", "parameter", "gas", "region", "year", "purpose", "convention"]
    assert not df.duplicated(subset=key).any()


def test_cn_gbt32150_is_flagged_unverified() -> None:
    assert set(packaged_set("cn-gbt32150")["status"]) == {"unverified"}


def _one(set_id: str, aid: str, parameter: str, **kw: object) -> pd.Series:
    df = packaged_set(set_id)
    sel = (df["id"] == aid) & (df["parameter"] == parameter)
    for k, v in kw.items():
        sel &= df[k] == v
    rows = df[sel]
    assert len(rows) == 1, rows
    return rows.iloc[0]


@pytest.mark.parametrize(
    ("fuel", "ncv", "cc"),
    [
        # IPCC 2006 Vol. 2 Ch. 1 Table 1.2 (NCV, GJ/t) p. 1.18 and Table 1.3 (kg C/GJ) p. 1.21,
        # as listed in SOURCES.md [V].
        ("anthracite", 26.7, 26.8),
        ("coking_coal", 28.2, 25.8),
        ("other_bituminous_coal", 25.8, 25.8),
        ("lignite", 11.9, 27.6),
        ("coke_oven_coke", 28.2, 29.2),
        ("natural_gas", 48.0, 15.3),
        ("gas_diesel_oil", 43.0, 20.2),
        ("motor_gasoline", 44.3, 18.9),
        ("residual_fuel_oil", 40.4, 21.1),
        ("lpg", 47.3, 17.2),
        ("coke_oven_gas", 38.7, 12.1),
        ("blast_furnace_gas", 2.47, 70.8),
        ("oxygen_steel_furnace_gas", 7.06, 49.6),
        ("petroleum_coke", 32.5, 26.6),
    ],
)
def test_ipcc_table_1_2_and_1_3(fuel: str, ncv: float, cc: float) -> None:
    assert _one("ipcc2006", fuel, "ncv")["value"] == ncv
    assert _one("ipcc2006", fuel, "carbon_content")["value"] == cc


def test_table_1_4_is_the_rounded_convention() -> None:
    # IPCC 2006 Table 1.4 prints 3 significant figures: diesel 74 100 kg/TJ, whereas
    # 20.2 kg C/GJ × 44/12 × 1000 = 74 067 kg/TJ (SOURCES.md, "Fuel combustion").
    row = _one("ipcc2006", "gas_diesel_oil", "ef", gas="CO2", convention="table_1_4_rounded")
    assert row["value"] == 74_100
    assert (
        _one("ipcc2006", "natural_gas", "ef", gas="CO2", convention="table_1_4_rounded")["value"]
        == 56_100
    )


@pytest.mark.parametrize(
    ("region", "year", "purpose", "value"),
    [
        # MEE & NBS announcements (SOURCES.md, China-specific factors [R]).
        ("CN", 2021, "location", 0.5568),
        ("CN", 2022, "location", 0.5366),
        ("CN", 2023, "location", 0.5306),
        ("CN", 2022, "residual_mix", 0.5856),
        ("CN", 2023, "residual_mix", 0.6096),
        ("CN", 2022, "ets_reporting", 0.5703),
        ("CN-East", 2022, "location", 0.5617),
        ("CN-South", 2022, "location", 0.3869),
        ("CN-Southwest", 2022, "location", 0.2268),
    ],
)
def test_china_grid_factors(region: str, year: int, purpose: str, value: float) -> None:
    df = packaged_set("cn-mee-grid")
    sel = df[
        (df["id"] == "electricity")
        & (df["region"] == region)
        & (df["year"] == year)
        & (df["purpose"] == purpose)
    ]
    assert sel["value"].tolist() == [value]
    assert sel["unit"].tolist() == ["kg/kWh"]


@pytest.mark.parametrize(
    ("gas", "sar", "ar4", "ar5", "ar6"),
    [
        # SOURCES.md GWP table [V] (IPCC SAR/AR4/AR5; AR6 WGI Table 7.SM.7).
        ("CH4", 21, 25, 28, 27.9),
        ("N2O", 310, 298, 265, 273),
        ("SF6", 23_900, 22_800, 23_500, 25_200),
        ("HFC134a", 1_300, 1_430, 1_300, 1_530),
    ],
)
def test_gwp_sets(gas: str, sar: float, ar4: float, ar5: float, ar6: float) -> None:
    for name, v in (("SAR", sar), ("AR4", ar4), ("AR5", ar5), ("AR6", ar6)):
        t = gwp_table(name)
        assert t.loc[t["gas"] == gas, "value"].tolist() == [v]


def test_ar6_fossil_split() -> None:
    # IPCC AR6 WGI Table 7.15: CH4 fossil 29.8, non-fossil 27.0 (SOURCES.md trap [R]).
    t = gwp_table("AR6-fossil-split")
    ch4 = t[t["gas"] == "CH4"].set_index("origin")["value"].to_dict()
    assert ch4 == {"fossil": 29.8, "non_fossil": 27.0}


def test_gwp_csv_matches_the_cc0_package() -> None:
    gwp = pytest.importorskip("globalwarmingpotentials")
    cols = {"SAR": "SARGWP100", "AR4": "AR4GWP100", "AR5": "AR5GWP100", "AR6": "AR6GWP100"}
    for name, col in cols.items():
        ours = gwp_table(name).set_index("gas")["value"].to_dict()
        for species, value in gwp.data[col].items():
            if value is None or (isinstance(value, float) and math.isnan(value)):
                continue
            assert ours[species] == pytest.approx(value), (name, species)


def test_epa_factors_match_atomic6ghg() -> None:
    pytest.importorskip("atomic6ghg")
    import json
    from importlib import resources

    src = json.loads(
        (
            resources.files("atomic6ghg.factors")
            / "source_data"
            / "product_transport_emission_factors.json"
        ).read_text()
    )
    row = _one("us-epa-hub", "freight_truck_ton_mile", "ef", gas="CO2")
    assert row["value"] == src["mediumAndHeavyDutyTruck"]["ton-mile"]["co2"]
    assert row["unit"] == "kg/(short_ton*mi)"  # EPA ton-miles are short tons
    ch4 = _one("us-epa-hub", "freight_truck_ton_mile", "ef", gas="CH4")
    assert ch4["value"] == src["mediumAndHeavyDutyTruck"]["ton-mile"]["ch4"]
    assert ch4["unit"].startswith("g/")  # EPA Hub Table 8: CH4 and N2O in grams


def test_user_set_overrides_whole_id() -> None:
    user = pd.DataFrame(
        [
            {
                "id": "natural_gas",
                "parameter": "ef",
                "gas": "CO2",
                "value": 2.0,
                "unit": "kg/m3",
                "source": "meter supplier certificate",
            }
        ]
    )
    lib = load_library(["ipcc2006"], user)
    rows = lib.rows("natural_gas")
    assert set(rows["set"]) == {"plan"}
    assert rows["parameter"].tolist() == ["ef"]
    assert "natural_gas" in lib.overridden


def test_unknown_set_is_an_error() -> None:
    with pytest.raises(ReferenceDataError, match="unknown factor set"):
        load_library(["no-such-set"])
    with pytest.raises(ReferenceDataError, match="unknown GWP set"):
        gwp_table("AR7")


def test_names_and_suggestions() -> None:
    lib = load_library(None)
    assert lib.canonical("天然气") == "natural_gas"
    assert lib.canonical("Natural Gas") == "natural_gas"
    assert "natural_gas" in lib.suggest("natral_gas")
