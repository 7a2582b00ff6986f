"""Generate the illustrative regional example: a FICTIONAL service-oriented coastal megacity.

Writes ``src/neutra/examples/city/``: ``plan.toml``, ``README.md``, ``series.csv`` and one
energy balance table per year, ``energy_balance_2015.csv`` … ``energy_balance_2023.csv``, in the
layout of the China Energy Statistical Yearbook's regional tables (SOURCES.md, "Energy balance
tables" [R]): row labels in Chinese as printed, a header row of fuels, a second row of units.

The city is invented. Its magnitudes are those of a Shenzhen-sized city (about 11–17.5 million
people, GDP 1.75–3.46 trillion CNY), but no number is a statistic of any real place.

Every table closes exactly after rounding: all values are held as integer hundredths of the
printed unit (the yearbook prints two decimals), the parts are fixed first and every total —
available for consumption, transformation, final consumption, residential, and the statistical
difference — is computed from the rounded parts.

Run from the repository root (deterministic: no randomness, byte-identical output)::

    .venv/bin/python scripts/make_city_example.py
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from neutra.analysis.energy import SECTORS, SUPPLY
from neutra.model.balance import ITEMS

OUT_DIR = Path(__file__).resolve().parent.parent / "src" / "neutra" / "examples" / "city"
YEARS: tuple[int, ...] = tuple(range(2015, 2024))
N = len(YEARS)

# --------------------------------------------------------------------------------------------
# Layout of the yearbook table
# --------------------------------------------------------------------------------------------

# (fuel id of neutra.model.balance, printed name, printed unit); the yearbook's column order.
FUEL_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("raw_coal", "原煤", "万吨"),
    ("cleaned_coal", "洗精煤", "万吨"),
    ("other_washed_coal", "其他洗煤", "万吨"),
    ("briquettes", "型煤", "万吨"),
    ("coke", "焦炭", "万吨"),
    ("coke_oven_gas", "焦炉煤气", "亿立方米"),
    ("blast_furnace_gas", "高炉煤气", "亿立方米"),
    ("other_gas", "其他煤气", "亿立方米"),
    ("other_coking_products", "其他焦化产品", "万吨"),
    ("crude_oil", "原油", "万吨"),
    ("gasoline", "汽油", "万吨"),
    ("kerosene", "煤油", "万吨"),
    ("diesel", "柴油", "万吨"),
    ("fuel_oil", "燃料油", "万吨"),
    ("lpg", "液化石油气", "万吨"),
    ("refinery_gas", "炼厂干气", "万吨"),
    ("other_petroleum_products", "其他石油制品", "万吨"),
    ("natural_gas", "天然气", "亿立方米"),
    ("lng", "液化天然气", "万吨"),
    ("heat", "热力", "万百万千焦"),
    ("electricity", "电力", "亿千瓦时"),
    ("other_energy", "其他能源", "万吨标准煤"),
)
FUEL_IDS: tuple[str, ...] = tuple(f for f, _, _ in FUEL_COLUMNS)

# Row ids in the yearbook's order. 回收能 is printed twice: as supply and among the
# transformation rows (the reader tells them apart by position).
ROW_ORDER: tuple[str, ...] = tuple(it.id for it in ITEMS)
_ZH = {it.id: it.zh for it in ITEMS}
_ZH["transformation_recovery"] = "回收能"  # printed as the supply row is
LABELS: dict[str, str] = {r: _ZH[r] for r in ROW_ORDER}

SUPPLY_ROWS: tuple[str, ...] = tuple(SUPPLY)
TRANSFORMATION_ROWS: tuple[str, ...] = ROW_ORDER[11:20]
SECTOR_ROWS: tuple[str, ...] = tuple(SECTORS)
# Sectors split by a share vector; residential is then split into urban and rural.
SPLIT_SECTORS: tuple[str, ...] = tuple(SECTORS)
URBAN_SHARE = (0.955, 0.958, 0.961, 0.964, 0.967, 0.970, 0.972, 0.974, 0.976)

Series = tuple[float, ...]


def _s(*values: float) -> Series:
    if len(values) != N:
        raise ValueError(f"expected {N} yearly values, got {len(values)}")
    return tuple(float(v) for v in values)


def _lerp(first: Sequence[float], last: Sequence[float], i: int) -> list[float]:
    """Shares moving linearly from the 2015 vector to the 2023 vector."""
    t = i / (N - 1)
    return [a + (b - a) * t for a, b in zip(first, last, strict=True)]


# --------------------------------------------------------------------------------------------
# The city's energy system (printed units; 2015 … 2023)
# --------------------------------------------------------------------------------------------

# Electricity, 亿kWh. Primary production: a nuclear plant (new units in 2021 and 2022) and
# rooftop PV.
NUCLEAR = _s(212.0, 214.5, 217.0, 219.0, 221.0, 223.0, 280.0, 326.0, 372.0)
SOLAR = _s(0.4, 0.8, 1.5, 2.5, 3.8, 5.5, 8.0, 11.5, 16.0)
# Thermal power output: a small coal plant (closed in 2021), gas plants (pipeline gas and LNG),
# waste-to-energy (its fuel is 其他能源).
COAL_POWER = _s(62.0, 58.0, 53.0, 46.0, 36.0, 26.0, 0.0, 0.0, 0.0)
GAS_POWER = _s(78.0, 87.0, 98.0, 112.0, 130.0, 150.0, 170.0, 168.0, 165.0)
WASTE_POWER = _s(8.0, 9.0, 10.5, 12.0, 14.0, 16.5, 19.0, 21.0, 23.0)
ELEC_FINAL = _s(660.0, 705.0, 755.0, 805.0, 852.0, 885.0, 925.0, 965.0, 1045.0)
ELEC_LOSS_RATE = _s(0.036, 0.0355, 0.035, 0.0345, 0.034, 0.0335, 0.033, 0.0325, 0.032)
ELEC_OUTFLOW = _s(12.0, 12.4, 12.8, 13.1, 13.5, 13.8, 14.0, 14.2, 14.5)
ELEC_SD = _s(0.0, 1.2, 0.0, -0.8, 0.0, 0.9, 0.0, 0.0, -0.6)
ELEC_SHARES_2015 = (0.003, 0.520, 0.015, 0.030, 0.100, 0.170, 0.162)
ELEC_SHARES_2023 = (0.002, 0.455, 0.013, 0.075, 0.112, 0.178, 0.165)

COAL_KG_PER_KWH = 0.32 / 0.7143  # kg raw coal per kWh: 320 gce/kWh at 0.7143 kgce/kg
GAS_M3_PER_KWH = 0.20  # m3 natural gas per kWh (combined cycle, ≈ 46 % net)
LNG_M3_PER_T = 1380.0  # m3 of gas per tonne of LNG
WASTE_KGCE_PER_KWH = 0.50  # waste-to-energy fuel, kgce per kWh (≈ 25 % net)
LNG_SHARE_POWER = _s(0.15, 0.18, 0.22, 0.26, 0.30, 0.34, 0.38, 0.42, 0.45)

# Heat, 万百万千焦 (10^10 kJ): CHP heat from the coal plant (until 2020) and from gas plants.
HEAT_COAL = _s(250.0, 235.0, 215.0, 185.0, 150.0, 110.0, 0.0, 0.0, 0.0)
HEAT_GAS = _s(300.0, 330.0, 370.0, 410.0, 450.0, 500.0, 600.0, 620.0, 640.0)
HEAT_EFFICIENCY = 0.85
HEAT_LOSS = 0.03
HEAT_SHARES = (0.0, 0.78, 0.0, 0.0, 0.10, 0.12, 0.0)
RAW_COAL_NCV_GJ_T = 20.908  # GJ/t (SOURCES.md, China-specific factors)
NG_NCV_GJ_PER_1E4M3 = 389.31  # GJ per 10^4 m3 (SOURCES.md)

# Raw coal, 万t, burnt outside power and heat: cement kiln and a little other industry.
COAL_INDUSTRY = _s(40.0, 38.0, 35.0, 31.0, 27.0, 23.0, 16.0, 13.5, 12.0)
COAL_IMPORT_SHARE = 0.45
COAL_STOCK = _s(-3.2, 1.5, -2.1, 2.4, -1.0, 3.1, 6.0, 0.0, 0.0)
COAL_LOSS_RATE = 0.003

COKE = _s(3.5, 3.3, 3.0, 2.8, 2.6, 2.3, 2.0, 1.8, 1.6)

# Oil products, 万t of final consumption; sector shares (agri, ind, constr, transport, commerce,
# other, residential).
GASOLINE = _s(268.0, 284.0, 299.0, 310.0, 318.0, 325.0, 322.0, 316.0, 308.0)
GASOLINE_SHARES_2015 = (0.005, 0.040, 0.015, 0.550, 0.020, 0.070, 0.300)
GASOLINE_SHARES_2023 = (0.004, 0.030, 0.012, 0.560, 0.018, 0.066, 0.310)
GASOLINE_SD = _s(0.0, 0.0, 0.62, 0.0, 0.0, -0.48, 0.0, 0.0, 0.0)
DIESEL = _s(176.0, 174.0, 172.0, 170.0, 168.0, 166.0, 164.0, 160.0, 156.0)
DIESEL_SHARES = (0.020, 0.100, 0.080, 0.700, 0.020, 0.050, 0.030)
DIESEL_SD = _s(0.0, -0.35, 0.0, 0.0, 0.41, 0.0, 0.0, -0.27, 0.0)
KEROSENE = _s(148.0, 159.0, 170.0, 180.0, 188.0, 194.0, 194.0, 182.0, 194.0)
KEROSENE_SHARES = (0.0, 0.005, 0.0, 0.985, 0.0, 0.010, 0.0)
KEROSENE_BUNKERS_ABROAD = _s(10.0, 11.0, 12.0, 13.0, 14.0, 8.0, 4.0, 3.5, 11.0)
KEROSENE_BUNKERS_FOREIGN = _s(28.0, 31.0, 34.0, 37.0, 40.0, 22.0, 10.0, 8.0, 30.0)
KEROSENE_IMPORT_SHARE = 0.25
FUEL_OIL = _s(96.0, 94.0, 92.0, 90.0, 88.0, 86.0, 84.0, 82.0, 79.0)
FUEL_OIL_SHARES = (0.0, 0.15, 0.0, 0.85, 0.0, 0.0, 0.0)
FUEL_OIL_BUNKERS_ABROAD = _s(3.0, 3.0, 3.0, 3.0, 3.0, 2.0, 2.0, 2.0, 2.0)
FUEL_OIL_BUNKERS_FOREIGN = _s(45.0, 48.0, 50.0, 52.0, 55.0, 50.0, 52.0, 48.0, 50.0)
FUEL_OIL_IMPORT_SHARE = 0.70
LPG = _s(70.0, 69.0, 68.0, 67.0, 66.0, 65.0, 62.0, 59.0, 56.0)
LPG_SHARES_2015 = (0.0, 0.12, 0.0, 0.08, 0.25, 0.05, 0.50)
LPG_SHARES_2023 = (0.0, 0.14, 0.0, 0.02, 0.28, 0.05, 0.51)
LPG_IMPORT_SHARE = 0.60
LPG_OUTFLOW_SHARE = 0.10
OTHER_PETROLEUM = _s(16.0, 16.5, 17.0, 17.2, 17.5, 17.0, 17.3, 16.8, 16.5)
OTHER_PETROLEUM_SHARES = (0.0, 0.70, 0.20, 0.10, 0.0, 0.0, 0.0)
OTHER_PETROLEUM_FEEDSTOCK = 0.45  # of the total: lubricants and asphalt used as materials
OIL_STOCK: dict[str, Series] = {
    "gasoline": _s(1.2, -0.8, 0.5, -1.1, 0.9, -0.6, 1.4, -0.7, 0.3),
    "diesel": _s(-0.9, 0.6, -0.4, 0.8, -0.5, 1.1, -0.3, 0.7, -0.6),
    "kerosene": _s(0.4, -0.5, 0.3, -0.2, 0.6, -0.9, 0.5, 0.2, -0.4),
    "fuel_oil": _s(-0.6, 0.4, 0.0, 0.5, -0.3, 0.2, 0.0, -0.4, 0.3),
    "lpg": _s(0.3, -0.2, 0.1, 0.0, -0.3, 0.2, 0.0, 0.1, -0.1),
}

# Natural gas, 亿m3 of final consumption by sector (agri, ind, constr, transport, commerce,
# other, residential).
NG_FINAL: tuple[Series, ...] = (
    _s(0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02),
    _s(6.0, 6.4, 6.9, 7.3, 7.7, 8.0, 8.5, 8.7, 9.0),
    _s(0.10, 0.11, 0.12, 0.12, 0.13, 0.13, 0.14, 0.14, 0.15),
    _s(1.40, 1.35, 1.25, 1.10, 0.95, 0.80, 0.70, 0.60, 0.50),
    _s(2.8, 3.0, 3.3, 3.6, 3.9, 4.0, 4.3, 4.4, 4.6),
    _s(1.3, 1.4, 1.5, 1.7, 1.8, 1.9, 2.1, 2.2, 2.3),
    _s(5.5, 5.9, 6.4, 6.9, 7.4, 7.8, 8.3, 8.6, 9.0),
)
NG_LOSS_RATE = 0.01
NG_IMPORT_SHARE = 0.45  # regasified at the city's LNG terminal, recorded as imports
NG_OUTFLOW = _s(2.6, 2.8, 3.0, 3.3, 3.5, 3.7, 3.9, 4.0, 4.2)
NG_SD = _s(0.0, 0.0, 0.0, 0.06, 0.0, 0.0, -0.05, 0.0, 0.0)

# LNG, 万t: burnt in gas plants (share above), in LNG ships and trucks, a little in industry.
LNG_TRANSPORT = _s(3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0)
LNG_INDUSTRY = _s(1.0, 1.2, 1.4, 1.6, 1.8, 2.0, 2.2, 2.4, 2.6)
LNG_OUTFLOW_SHARE = 0.20
LNG_STOCK = _s(-0.8, 0.5, -1.2, 0.9, -0.4, 1.0, -0.6, 0.3, -0.2)

# --------------------------------------------------------------------------------------------
# Economy (亿CNY current prices; 万人)
# --------------------------------------------------------------------------------------------

GDP = _s(17480.0, 19520.0, 22350.0, 24650.0, 26980.0, 27850.0, 30720.0, 32350.0, 34580.0)
GDP_INDEX = _s(108.9, 109.0, 108.8, 107.6, 106.7, 103.1, 106.7, 103.3, 106.0)  # previous year = 100
POPULATION = _s(1105.0, 1178.0, 1255.0, 1335.0, 1420.0, 1560.0, 1680.0, 1725.0, 1750.0)
VA_PRIMARY = _s(17.5, 18.2, 19.0, 19.6, 20.3, 22.1, 23.0, 23.9, 24.6)
SECONDARY_SHARE = _s(0.412, 0.401, 0.400, 0.396, 0.389, 0.378, 0.373, 0.380, 0.376)
INDUSTRY_OF_SECONDARY = _s(0.915, 0.917, 0.918, 0.920, 0.921, 0.922, 0.924, 0.925, 0.926)
CLINKER = _s(185.0, 176.4, 162.8, 150.1, 131.5, 118.2, 96.7, 84.3, 78.9)  # 万t
# Coal rate of thermal power supply, kgce/kWh: for standard coal by the coal-equivalent method.
COAL_RATE = _s(0.315, 0.312, 0.309, 0.307, 0.306, 0.305, 0.302, 0.301, 0.300)

# --------------------------------------------------------------------------------------------
# Building a year's table in integer hundredths
# --------------------------------------------------------------------------------------------

Table = dict[str, dict[str, int]]


def cents(x: float) -> int:
    """A value in hundredths of its printed unit (the yearbook prints two decimals)."""
    return round(x * 100)


def split(total: int, shares: Sequence[float]) -> list[int]:
    """Split ``total`` hundredths by ``shares`` so that the parts sum exactly to ``total``."""
    s = sum(shares)
    raw = [total * w / s for w in shares]
    parts = [int(r // 1) for r in raw]
    rest = total - sum(parts)
    order = sorted(range(len(raw)), key=lambda k: (parts[k] - raw[k], k))
    for k in order[:rest]:
        parts[k] += 1
    return parts


def put(t: Table, item: str, fuel: str, value: int) -> None:
    t.setdefault(item, {})[fuel] = t.get(item, {}).get(fuel, 0) + value


def get(t: Table, item: str, fuel: str) -> int:
    return t.get(item, {}).get(fuel, 0)


def final_by_shares(t: Table, fuel: str, total: int, shares: Sequence[float], i: int) -> None:
    """Final consumption of ``fuel`` split over the sectors; residential into urban/rural."""
    for sector, v in zip(SPLIT_SECTORS, split(total, shares), strict=True):
        if sector == "residential":
            urban, rural = split(v, (URBAN_SHARE[i], 1.0 - URBAN_SHARE[i]))
            put(t, "residential_urban", fuel, urban)
            put(t, "residential_rural", fuel, rural)
        elif v:
            put(t, sector, fuel, v)


def final_explicit(t: Table, fuel: str, values: Sequence[float], i: int) -> None:
    """Final consumption given per sector (printed units)."""
    for sector, v in zip(SPLIT_SECTORS, values, strict=True):
        c = cents(v)
        if sector == "residential":
            urban, rural = split(c, (URBAN_SHARE[i], 1.0 - URBAN_SHARE[i]))
            put(t, "residential_urban", fuel, urban)
            put(t, "residential_rural", fuel, rural)
        elif c:
            put(t, sector, fuel, c)


def close(t: Table, fuel: str, balancing: str, sd: int = 0) -> None:
    """Set the supply row ``balancing`` so that the statistical difference equals ``sd``.

    ``available = final + losses − transformation + sd``; the other supply rows are already set.
    """
    final = sum(get(t, s, fuel) for s in SECTOR_ROWS if s != "residential")
    final += get(t, "residential_urban", fuel) + get(t, "residential_rural", fuel)
    transformation = sum(get(t, r, fuel) for r in TRANSFORMATION_ROWS)
    available = final + get(t, "losses", fuel) - transformation + sd
    others = sum(get(t, r, fuel) for r in SUPPLY_ROWS if r != balancing)
    put(t, balancing, fuel, available - others)


def totals(t: Table) -> None:
    """Every printed total, from the rounded parts; the statistical difference last."""
    for fuel in FUEL_IDS:
        res = get(t, "residential_urban", fuel) + get(t, "residential_rural", fuel)
        if res:
            put(t, "residential", fuel, res)
        final = sum(get(t, s, fuel) for s in SECTOR_ROWS)
        transformation = sum(get(t, r, fuel) for r in TRANSFORMATION_ROWS)
        available = sum(get(t, r, fuel) for r in SUPPLY_ROWS)
        for item, v in (
            ("final_consumption", final),
            ("transformation", transformation),
            ("available", available),
        ):
            if v:
                put(t, item, fuel, v)
        sd = available + transformation - get(t, "losses", fuel) - final
        if sd:
            put(t, "statistical_difference", fuel, sd)


def build_year(i: int) -> Table:
    """The balance table of year ``YEARS[i]`` in hundredths of the printed units."""
    t: Table = {}

    # Electricity and the power plants' fuel inputs.
    power_out = cents(COAL_POWER[i]) + cents(GAS_POWER[i]) + cents(WASTE_POWER[i])
    put(t, "thermal_power", "electricity", power_out)
    put(t, "production", "electricity", cents(NUCLEAR[i]) + cents(SOLAR[i]))
    put(t, "outflow", "electricity", -cents(ELEC_OUTFLOW[i]))
    elec_final = cents(ELEC_FINAL[i])
    shares = _lerp(ELEC_SHARES_2015, ELEC_SHARES_2023, i)
    final_by_shares(t, "electricity", elec_final, shares, i)
    loss_rate = ELEC_LOSS_RATE[i]
    put(t, "losses", "electricity", cents(ELEC_FINAL[i] * loss_rate / (1 - loss_rate)))
    close(t, "electricity", "inflow", cents(ELEC_SD[i]))

    # 亿kWh × kg/kWh → 万t: 1e8 / 1e7 = 10.
    coal_power = cents(COAL_POWER[i] * COAL_KG_PER_KWH * 10)
    put(t, "thermal_power", "raw_coal", -coal_power)
    gas_power = GAS_POWER[i] * GAS_M3_PER_KWH  # 亿m3 of gas
    lng_share = LNG_SHARE_POWER[i]
    put(t, "thermal_power", "natural_gas", -cents(gas_power * (1 - lng_share)))
    lng_power = gas_power * lng_share * 1e8 / LNG_M3_PER_T / 1e4  # 万t
    put(t, "thermal_power", "lng", -cents(lng_power))
    waste = cents(WASTE_POWER[i] * WASTE_KGCE_PER_KWH * 10)  # 亿kWh × kgce/kWh → 万tce
    put(t, "thermal_power", "other_energy", -waste)
    put(t, "production", "other_energy", waste)

    # Heat: 1 万百万千焦 = 10^4 GJ.
    heat_out = cents(HEAT_COAL[i]) + cents(HEAT_GAS[i])
    if heat_out:
        put(t, "heating", "heat", heat_out)
    coal_heat = HEAT_COAL[i] * 1e4 / HEAT_EFFICIENCY / RAW_COAL_NCV_GJ_T / 1e4  # 万t
    if coal_heat:
        put(t, "heating", "raw_coal", -cents(coal_heat))
    gas_heat = HEAT_GAS[i] * 1e4 / HEAT_EFFICIENCY / NG_NCV_GJ_PER_1E4M3 / 1e4  # 亿m3
    put(t, "heating", "natural_gas", -cents(gas_heat))
    heat_final = heat_out - cents(HEAT_GAS[i] * HEAT_LOSS + HEAT_COAL[i] * HEAT_LOSS)
    final_by_shares(t, "heat", heat_final, HEAT_SHARES, i)
    put(t, "losses", "heat", heat_out - heat_final)

    # Raw coal: power, CHP heat, cement kiln; supplied by rail/ship from other provinces and
    # by sea from abroad.
    coal_ind = cents(COAL_INDUSTRY[i])
    put(t, "industry", "raw_coal", coal_ind)
    coal_use = coal_power + cents(coal_heat) + coal_ind
    put(t, "losses", "raw_coal", cents(coal_use / 100 * COAL_LOSS_RATE))
    put(t, "stock_change", "raw_coal", cents(COAL_STOCK[i]))
    put(t, "imports", "raw_coal", cents(coal_use / 100 * COAL_IMPORT_SHARE))
    close(t, "raw_coal", "inflow")

    # Coke: a foundry.
    put(t, "industry", "coke", cents(COKE[i]))
    close(t, "coke", "inflow")

    # Oil products: all brought in (no refinery).
    final_by_shares(
        t, "gasoline", cents(GASOLINE[i]), _lerp(GASOLINE_SHARES_2015, GASOLINE_SHARES_2023, i), i
    )
    put(t, "stock_change", "gasoline", cents(OIL_STOCK["gasoline"][i]))
    put(t, "outflow", "gasoline", -cents(GASOLINE[i] * 0.04))
    close(t, "gasoline", "inflow", cents(GASOLINE_SD[i]))

    final_by_shares(t, "diesel", cents(DIESEL[i]), DIESEL_SHARES, i)
    put(t, "stock_change", "diesel", cents(OIL_STOCK["diesel"][i]))
    put(t, "outflow", "diesel", -cents(DIESEL[i] * 0.05))
    close(t, "diesel", "inflow", cents(DIESEL_SD[i]))

    final_by_shares(t, "kerosene", cents(KEROSENE[i]), KEROSENE_SHARES, i)
    put(t, "bunkers_abroad", "kerosene", cents(KEROSENE_BUNKERS_ABROAD[i]))
    put(t, "bunkers_foreign", "kerosene", -cents(KEROSENE_BUNKERS_FOREIGN[i]))
    put(t, "stock_change", "kerosene", cents(OIL_STOCK["kerosene"][i]))
    ker_supply = KEROSENE[i] + KEROSENE_BUNKERS_FOREIGN[i] - KEROSENE_BUNKERS_ABROAD[i]
    put(t, "imports", "kerosene", cents(ker_supply * KEROSENE_IMPORT_SHARE))
    close(t, "kerosene", "inflow")

    final_by_shares(t, "fuel_oil", cents(FUEL_OIL[i]), FUEL_OIL_SHARES, i)
    put(t, "bunkers_abroad", "fuel_oil", cents(FUEL_OIL_BUNKERS_ABROAD[i]))
    put(t, "bunkers_foreign", "fuel_oil", -cents(FUEL_OIL_BUNKERS_FOREIGN[i]))
    put(t, "stock_change", "fuel_oil", cents(OIL_STOCK["fuel_oil"][i]))
    fo_supply = FUEL_OIL[i] + FUEL_OIL_BUNKERS_FOREIGN[i] - FUEL_OIL_BUNKERS_ABROAD[i]
    put(t, "imports", "fuel_oil", cents(fo_supply * FUEL_OIL_IMPORT_SHARE))
    close(t, "fuel_oil", "inflow")

    final_by_shares(t, "lpg", cents(LPG[i]), _lerp(LPG_SHARES_2015, LPG_SHARES_2023, i), i)
    put(t, "stock_change", "lpg", cents(OIL_STOCK["lpg"][i]))
    lpg_supply = LPG[i] / (1 - LPG_OUTFLOW_SHARE)
    put(t, "imports", "lpg", cents(lpg_supply * LPG_IMPORT_SHARE))
    put(t, "outflow", "lpg", -cents(lpg_supply * LPG_OUTFLOW_SHARE))
    close(t, "lpg", "inflow")

    opp = cents(OTHER_PETROLEUM[i])
    final_by_shares(t, "other_petroleum_products", opp, OTHER_PETROLEUM_SHARES, i)
    put(
        t,
        "industry_feedstock",
        "other_petroleum_products",
        cents(opp / 100 * OTHER_PETROLEUM_FEEDSTOCK),
    )
    close(t, "other_petroleum_products", "inflow")

    # Natural gas: pipeline gas from other provinces, and regasified LNG imported at the
    # city's terminal; some is passed on to neighbouring cities.
    final_explicit(t, "natural_gas", [s[i] for s in NG_FINAL], i)
    ng_final = sum(s[i] for s in NG_FINAL)
    ng_burnt = ng_final + gas_power * (1 - lng_share) + gas_heat
    put(t, "losses", "natural_gas", cents(ng_burnt * NG_LOSS_RATE))
    put(t, "outflow", "natural_gas", -cents(NG_OUTFLOW[i]))
    put(t, "imports", "natural_gas", cents((ng_burnt + NG_OUTFLOW[i]) * NG_IMPORT_SHARE))
    close(t, "natural_gas", "inflow", cents(NG_SD[i]))

    # LNG: imported by ship, partly trucked on to other cities.
    put(t, "transport", "lng", cents(LNG_TRANSPORT[i]))
    put(t, "industry", "lng", cents(LNG_INDUSTRY[i]))
    put(t, "stock_change", "lng", cents(LNG_STOCK[i]))
    lng_use = lng_power + LNG_TRANSPORT[i] + LNG_INDUSTRY[i]
    put(t, "outflow", "lng", -cents(lng_use * LNG_OUTFLOW_SHARE / (1 - LNG_OUTFLOW_SHARE)))
    close(t, "lng", "imports")

    totals(t)
    return t


# --------------------------------------------------------------------------------------------
# Writing the files
# --------------------------------------------------------------------------------------------


def fmt(value: int) -> str:
    """Hundredths as the yearbook prints them: two decimals, blank for zero."""
    if value == 0:
        return ""
    sign = "-" if value < 0 else ""
    whole, frac = divmod(abs(value), 100)
    return f"{sign}{whole}.{frac:02d}"


def balance_csv(t: Table) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["项目", *(name for _, name, _ in FUEL_COLUMNS)])
    w.writerow(["单位", *(unit for _, _, unit in FUEL_COLUMNS)])
    for row in ROW_ORDER:
        w.writerow([LABELS[row], *(fmt(get(t, row, f)) for f in FUEL_IDS)])
    return buf.getvalue()


def series_csv() -> str:
    """GDP, its real index and constant-price value, population, value added, clinker output."""
    rows: list[tuple[str, int, str, str, str]] = []
    constant = GDP[0]
    for i, year in enumerate(YEARS):
        gdp = cents(GDP[i])
        primary = cents(VA_PRIMARY[i])
        secondary = cents(GDP[i] * SECONDARY_SHARE[i])
        tertiary = gdp - primary - secondary  # the three sectors sum exactly to GDP
        industry = cents(GDP[i] * SECONDARY_SHARE[i] * INDUSTRY_OF_SECONDARY[i])
        if i > 0:
            constant *= GDP_INDEX[i] / 100.0  # chained from 2015 at the real growth index
        rows += [
            ("gdp", year, fmt(gdp), "亿CNY", "illustrative; current prices"),
            ("gdp_index", year, f"{GDP_INDEX[i]:.1f}", "%", "illustrative; previous year = 100"),
            ("gdp_constant", year, fmt(cents(constant)), "亿CNY", "illustrative; 2015 prices"),
            ("population", year, f"{POPULATION[i]:.2f}", "万人", "illustrative; year-end"),
            ("va_primary", year, fmt(primary), "亿CNY", "illustrative; current prices"),
            ("va_secondary", year, fmt(secondary), "亿CNY", "illustrative; current prices"),
            ("va_tertiary", year, fmt(tertiary), "亿CNY", "illustrative; current prices"),
            ("va_industry", year, fmt(industry), "亿CNY", "illustrative; part of va_secondary"),
            ("output_cement_clinker", year, f"{CLINKER[i]:.2f}", "万t", "illustrative"),
            (
                "coal_rate_thermal_power",
                year,
                f"{COAL_RATE[i]:.3f}",
                "kgce/kWh",
                "illustrative; coal rate of thermal power supply, for the coal-equivalent method",
            ),
        ]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["indicator", "year", "value", "unit", "note"])
    order = {name: k for k, (name, *_) in enumerate(rows[:10])}
    for r in sorted(rows, key=lambda r: (order[r[0]], r[1])):
        w.writerow(r)
    return buf.getvalue()


PLAN_TOML = """\
# Illustrative example — a FICTIONAL service-oriented coastal megacity (see README.md).
# 示例（虚构）：以服务业为主的沿海特大城市。数据为示意，并非任何真实城市的统计数据。
# Generated by scripts/make_city_example.py; edit the script, not this file.

[entity]
name = "Example Coastal City (fictional, illustrative)"
name_zh = "示例沿海城市（虚构示例）"
level = "region"
base_year = 2015
reporting_years = [{years}]
grid_region = "CN-South"
market = "CN"

[settings]
gwp_set = "AR5"
factor_sets = [
    "ipcc2006",
    "ipcc2006-ippu",
    "cn-mee-grid",
    "cn-provincial-guideline",
    "cn-gbt2589",
    "ipcc2006-ippu-products",
]
# Scenario simulation (tables written by scripts/make_city_scenarios.py): Current Accounts are
# 2023, the last year with a balance table; scenarios run to 2060.
sim_base_year = 2023
end_year = 2060
energy_unit = "1e4*tce"
"""

README = """\
# Example Coastal City (fictional, illustrative) / 示例沿海城市（虚构示例）

**This city does not exist.** Every number in this folder is invented for illustration. The
magnitudes resemble a service-oriented coastal megacity of Shenzhen's size, but no table here is
a statistic of Shenzhen or of any other real place, and nothing should be quoted as such.

**本城市为虚构。** 本文件夹中的所有数据均为示意而编造。其量级与深圳规模相当的服务业沿海特大城市
相近，但任何表格都不是深圳或其他真实地区的统计数据，请勿引用。

## Files / 文件

| file | content |
|---|---|
| `plan.toml` | the entity (a region, base year 2015, reporting 2015–2023, grid CN-South) and settings (scenarios: Current Accounts 2023, horizon 2060) |
| `energy_balance_2015.csv` … `energy_balance_2023.csv` | one regional energy balance table (能源平衡表, 实物量) per year, in the layout of the China Energy Statistical Yearbook: Chinese row labels as printed, a header row of fuels, a row of units (单位), printed signs, blank = 0 |
| `series.csv` | GDP (current prices), real GDP index (previous year = 100), GDP at 2015 prices, population, value added by sector, cement clinker output, coal rate of thermal power supply |
| `drivers.csv`, `branches.csv`, `scenarios.csv`, `measures.csv`, `expressions.csv`, `uncertainty.csv` | the scenario model (written by `scripts/make_city_scenarios.py`, see below) |
| `targets.csv`, `allocation.csv`, `forest.csv` | written by hand: the targets (peak 2025, a 2030 cap, an intensity target, five-year budgets with banking, neutrality 2060) checked against every scenario, their split among sectors and districts, and the forest strata for the sinks section (IPCC 2006 stock-difference; illustrative numbers and placeholder factors) — see docs/plan-format.md |

## The city in numbers / 城市概况

- Population 1 105 → 1 750 万人; GDP 1.75 → 3.46 万亿元 (current prices); services ≈ 60 %.
  人口 1105 → 1750 万人；地区生产总值 1.75 → 3.46 万亿元（当年价）；第三产业约占六成。
- Almost no local fossil production. Primary electricity from a nuclear plant (new units in
  2021 and 2022) and rooftop PV; most electricity comes from other provinces (外省调入). Oil products are
  all brought in: gasoline and diesel for road transport, kerosene for the airport, fuel oil for
  shipping (with bunker rows for foreign and domestic carriers). Pipeline gas and LNG imports
  grow. 本地几乎不产化石能源；一次电力来自核电站（2021、2022 年新机组投运）和屋顶光伏；
  大部分电力由外省调入；油品全部调入或进口；管道天然气和进口液化天然气逐年增长。
- A small coal-fired plant (with some CHP heat) declines and closes in 2021; gas-fired power and
  waste-to-energy (其他能源) grow. A cement kiln is the last user of coal.
  小型燃煤电厂（兼供热）逐年减产并于 2021 年关停；燃气发电和垃圾焚烧发电增长；水泥窑为最后的用煤户。
- Energy CO2 rises to a peak in 2020, then falls: the coal plant's closure, electric vehicles and
  shore power outweigh the growth of gas and of imported electricity.
  能源活动二氧化碳排放于 2020 年达峰后下降。

## How the tables were made / 数据生成方法

`scripts/make_city_example.py` builds each table in integer hundredths of the printed unit (the
yearbook prints two decimals). Parts are fixed first; every total is computed from the rounded
parts, so each table closes exactly after rounding: for every fuel, 可供本地区消费的能源量 =
sum of the supply rows (with printed signs); 加工转换投入(−)产出(+)量 = sum of its rows;
终端消费量 = sum of the seven sectors (其中：用作原料、材料 is part of 工业; 城镇 and 乡村 are
parts of 居民生活); 平衡差额 = 可供 + 加工转换 − 损失量 − 终端消费量. A few fuels carry a small
statistical difference, as real tables do. The script is deterministic; rerun it to regenerate:

    .venv/bin/python scripts/make_city_example.py

各表以印刷单位的百分之一为整数单位生成，先定分项、后算合计，因此四舍五入后仍严格平衡；
个别品种保留少量平衡差额，与真实报表一致。

## Scenarios / 情景

`scripts/make_city_scenarios.py` writes a LEAP-style scenario model from the 2023 tables
(run it after this script; `neutra simulate examples/city` runs the scenarios):

- **Current Accounts = 2023.** Final energy intensities are the 2023 final consumption of each
  fuel by sector divided by value added (population for households), in GJ at the calorific
  values of the plan's factor sets; the power and heat plants' efficiencies come from the
  transformation rows; electricity beyond the local plants is imported (the net inflow) at the
  grid factor the inventory uses. The simulated 2023 emissions plus imported electricity match
  the inventory's consumption-based total (within 0.1 %: the CH4 and N2O of waste-to-energy,
  which the inventory does not count). Passenger cars are a stock with sales and vintages; the
  forest is a carbon stock.
- **baseline** — real GDP growth slowing from 5 % to 1.8 % a year, population levelling off at
  about 18 million, autonomous efficiency gains, the grid factor of imported electricity held;
  no measures. **policy** (parent: baseline) — peaks around 2025 and is about 15 % below the peak
  by 2030. **enhanced** (parent: policy) — net emissions reach zero before 2060.
- The **measures** follow the Shenzhen case in `SOURCES.md` ("Cases": peak 2025, 2030 15 % below
  the peak, neutrality before 2060): strategic emerging industries and building efficiency (减),
  electric buses, taxis and new-energy vehicles, rooftop PV and distributed energy, cleaner
  imported electricity, gas replacing the kiln's coal, deep electrification, hydrogen and
  sustainable aviation and shipping fuels (替), forests and mangroves (吸), a local ETS and a
  carbon-neutrality fund (易).
- **All scenario numbers are illustrative assumptions** — growth paths, plant capacities, the
  car fleet, the forest's carbon stock, every measure and in particular the future carbon
  intensity of the southern grid. They are neither forecasts nor Shenzhen's plans.

`scripts/make_city_scenarios.py` 以 2023 年能源平衡表为现状年（Current Accounts）生成 LEAP 式情景模型：
各部门分品种终端能源强度 = 2023 年终端消费量 ÷ 增加值（居民生活按人口），按计划所用因子库的发热量折算为
GJ；发电、供热效率取自加工转换各行；本地电源不足部分为外调电力，按清单所用的电网排放因子计算。2023 年
模拟排放（含外调电力）与清单的消费端口径总量相差不到 0.1 %（差额为垃圾焚烧发电的甲烷和氧化亚氮，清单
未计）。**基准情景**：GDP 实际增速由 5 % 逐步放缓至 1.8 %，人口稳定在约 1800 万，能效自然改进，外调
电力排放因子不变，无新增措施；**政策情景**（继承基准情景）约于 2025 年达峰，2030 年较峰值下降约
15 %；**强化情景**（继承政策情景）于 2060 年前实现净零。各项措施参照 `SOURCES.md` 中的深圳案例
（2025 年达峰、2030 年较峰值下降 15 %、2060 年前碳中和）：战略性新兴产业与建筑节能（减），公交、
出租车电动化与新能源汽车、屋顶光伏与分布式能源、外调电力低碳化、水泥窑以气代煤、深度电气化、氢能及
可持续航空和航运燃料（替），森林与红树林碳汇（吸），地方碳市场与碳中和基金（易）。**情景中的所有数值
均为示意性假设**（增长路径、装机容量、车队、森林碳储量、各项措施，尤其是南方电网未来的排放因子），
既非预测，也不是深圳的规划。
"""


def main() -> None:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for i, year in enumerate(YEARS):
        text = balance_csv(build_year(i))
        (OUT_DIR / f"energy_balance_{year}.csv").write_text(text, encoding="utf-8")
    (OUT_DIR / "series.csv").write_text(series_csv(), encoding="utf-8")
    years = ", ".join(str(y) for y in YEARS)
    (OUT_DIR / "plan.toml").write_text(PLAN_TOML.format(years=years), encoding="utf-8")
    (OUT_DIR / "README.md").write_text(README, encoding="utf-8")
    print(f"wrote {len(YEARS) + 3} files to {OUT_DIR}")


if __name__ == "__main__":
    main()
