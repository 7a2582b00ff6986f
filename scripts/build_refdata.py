"""Regenerate the generated reference-data files of Neutra.

Writes two files under ``src/neutra/refdata/data/``:

* ``gwp.csv``: 100-year GWP sets SAR, AR4, AR5, AR6 from the CC0 package
  ``globalwarmingpotentials``, plus the set ``AR6-fossil-split`` (CH4 fossil / non-fossil,
  IPCC AR6 WGI Ch. 7 Table 7.15).
* ``us_epa_hub.csv``: US EPA GHG Emission Factors Hub Scope 3 transport factors (Tables 8 and 10)
  as packaged in ``atomic6ghg`` (BSD-3-Clause; the EPA factors are public domain), plus one
  USEEIO spend-based factor.

Run from the repository root::

    .venv/bin/python scripts/build_refdata.py

The output is deterministic: the same package versions give byte-identical files.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from importlib import metadata, resources
from pathlib import Path
from typing import Any

from neutra.refdata.library import FACTOR_COLUMNS, GWP_COLUMNS

DATA_DIR = Path(__file__).resolve().parent.parent / "src" / "neutra" / "refdata" / "data"

FACTOR_HEADER: tuple[str, ...] = FACTOR_COLUMNS
GWP_HEADER: tuple[str, ...] = GWP_COLUMNS

# --------------------------------------------------------------------------------------------
# GWP sets
# --------------------------------------------------------------------------------------------

GWP_PACKAGE = "globalwarmingpotentials"
GWP_CSV = "globalwarmingpotentials.csv"

# Neutra set id -> (column of the package's CSV, source as the package's CSV header names it,
# a marker that must occur in that header so that a changed upstream source is noticed).
GWP_COLUMNS: tuple[tuple[str, str, str, str], ...] = (
    (
        "SAR",
        "SARGWP100",
        (
            "IPCC Second Assessment Report (SAR) 100-year GWP, as compiled in GHG Protocol "
            "'Global Warming Potential Values' (Feb 16 2016)"
        ),
        "SARGWP100: https://ghgprotocol.org",
    ),
    (
        "AR4",
        "AR4GWP100",
        (
            "IPCC Fourth Assessment Report (AR4) 100-year GWP, as compiled in GHG Protocol "
            "'Global Warming Potential Values' (Feb 16 2016)"
        ),
        "AR4GWP100: https://ghgprotocol.org",
    ),
    (
        "AR5",
        "AR5GWP100",
        (
            "IPCC Fifth Assessment Report (AR5) 100-year GWP, as compiled in GHG Protocol "
            "'Global Warming Potential Values' (Feb 16 2016)"
        ),
        "AR5GWP100: https://ghgprotocol.org",
    ),
    (
        "AR6",
        "AR6GWP100",
        "IPCC AR6 WGI Chapter 7 Supplementary Material, Table 7.SM.7 (100-year GWP)",
        "Supplementary Table 7.SM.7",
    ),
)
GWP_LICENCE = "CC0-1.0"
FOSSIL_SPLIT_SET = "AR6-fossil-split"
FOSSIL_SPLIT_SOURCE = "IPCC AR6 WGI Chapter 7, Table 7.15 (GWP-100 of CH4 by origin)"
# Values of IPCC AR6 WGI Ch. 7 Table 7.15 (SOURCES.md [R]).
CH4_BY_ORIGIN: tuple[tuple[str, str], ...] = (("fossil", "29.8"), ("non_fossil", "27.0"))

# --------------------------------------------------------------------------------------------
# US EPA GHG Emission Factors Hub (as packaged in atomic6ghg)
# --------------------------------------------------------------------------------------------

A6_PACKAGE = "atomic6ghg"
# The edition of the EPA Hub that each atomic6ghg release packages. atomic6ghg 1.1.1 carries the
# factors of its commit "Update factors with U.S. EPA Emission Factors Hub (15-March-2023)"; the
# values were compared row by row with a public copy of the EPA 2023 Hub workbook ("Last Modified:
# 12 September 2023", Tables 8 and 10), hence status "reported".
A6_EDITIONS: dict[str, str] = {"1.1.1": "2023"}
HUB_TABLE_TRANSPORT = (
    "Table 8 (Scope 3 Category 4 Upstream and Category 9 Downstream "
    "Transportation and Distribution)"
)
HUB_TABLE_TRAVEL = "Table 10 (Scope 3 Category 6 Business Travel and Category 7 Employee Commuting)"
HUB_LICENCE = "Public domain (US EPA) via atomic6ghg BSD-3-Clause"
HUB_STATUS = "reported"

# Activity units of the Hub: freight ton-miles are SHORT ton-miles.
A6_UNITS: dict[str, str] = {
    "vehicle-mile": "vehicle*mi",
    "ton-mile": "short_ton*mi",
    "passenger-mile": "passenger*mi",
}
# In atomic6ghg's JSON, CO2 is kg per unit and CH4 and N2O are grams per unit (its formulas divide
# CH4 and N2O by 1000 before applying GWPs, and its schemas say "kilograms"/"grams"; the Hub's
# column heads are "CO2 Factor (kg / unit)", "CH4 Factor (g / unit)", "N2O Factor (g / unit)").
A6_GASES: tuple[tuple[str, str, str], ...] = (
    ("co2", "CO2", "kg"),
    ("ch4", "CH4", "g"),
    ("n2o", "N2O", "g"),
)

# (atomic6ghg key, unit key, Neutra id, English name, Chinese name)
TRANSPORT_ROWS: tuple[tuple[str, str, str, str, str], ...] = (
    (
        "mediumAndHeavyDutyTruck",
        "vehicle-mile",
        "freight_truck_vehicle_mile",
        "Freight, medium- and heavy-duty truck (vehicle-mile)",
        "货运 中重型卡车（车英里）",
    ),
    (
        "passengerCars",
        "vehicle-mile",
        "freight_passenger_car_vehicle_mile",
        "Freight, passenger car (vehicle-mile)",
        "货运 乘用车（车英里）",
    ),
    (
        "lightDutyTruck",
        "vehicle-mile",
        "freight_light_duty_truck_vehicle_mile",
        "Freight, light-duty truck (vehicle-mile)",
        "货运 轻型卡车（车英里）",
    ),
    (
        "mediumAndHeavyDutyTruck",
        "ton-mile",
        "freight_truck_ton_mile",
        "Freight, medium- and heavy-duty truck (short ton-mile)",
        "货运 中重型卡车（短吨英里）",
    ),
    (
        "rail",
        "ton-mile",
        "freight_rail_ton_mile",
        "Freight, rail (short ton-mile)",
        "货运 铁路（短吨英里）",
    ),
    (
        "waterborneCraft",
        "ton-mile",
        "freight_waterborne_ton_mile",
        "Freight, waterborne craft (short ton-mile)",
        "货运 水运（短吨英里）",
    ),
    (
        "aircraft",
        "ton-mile",
        "freight_air_ton_mile",
        "Freight, aircraft (short ton-mile)",
        "货运 航空（短吨英里）",
    ),
)
# (atomic6ghg key, Neutra id, English name, Chinese name)
TRAVEL_ROWS: tuple[tuple[str, str, str, str], ...] = (
    (
        "passengerCars",
        "travel_passenger_car",
        "Travel, passenger car (vehicle-mile)",
        "出行 乘用车（车英里）",
    ),
    (
        "lightDutyTruck",
        "travel_light_duty_truck",
        "Travel, light-duty truck (vehicle-mile)",
        "出行 轻型卡车（车英里）",
    ),
    (
        "motorcycle",
        "travel_motorcycle",
        "Travel, motorcycle (vehicle-mile)",
        "出行 摩托车（车英里）",
    ),
    (
        "intercityRailNortheastCorridor",
        "travel_rail_intercity_northeast_corridor",
        "Travel, intercity rail, Northeast Corridor (passenger-mile)",
        "出行 城际铁路 东北走廊（人英里）",
    ),
    (
        "intercityRailOtherRoutes",
        "travel_rail_intercity_other_routes",
        "Travel, intercity rail, other routes (passenger-mile)",
        "出行 城际铁路 其他线路（人英里）",
    ),
    (
        "intercityRailNationalAverage",
        "travel_rail_intercity",
        "Travel, intercity rail, national average (passenger-mile)",
        "出行 城际铁路 全国平均（人英里）",
    ),
    ("commuterRail", "commuter_rail", "Commuter rail (passenger-mile)", "通勤铁路（人英里）"),
    (
        "transitRail",
        "transit_rail",
        "Transit rail: subway, tram (passenger-mile)",
        "城市轨道交通 地铁、有轨电车（人英里）",
    ),
    ("bus", "travel_bus", "Travel, bus (passenger-mile)", "出行 公共汽车（人英里）"),
    (
        "shortHaul",
        "travel_air_short_haul",
        "Air travel, short haul < 300 mi (passenger-mile)",
        "航空出行 短途 <300英里（人英里）",
    ),
    (
        "mediumHaul",
        "travel_air_medium_haul",
        "Air travel, medium haul 300-2300 mi (passenger-mile)",
        "航空出行 中程 300–2300英里（人英里）",
    ),
    (
        "longHaul",
        "travel_air_long_haul",
        "Air travel, long haul >= 2300 mi (passenger-mile)",
        "航空出行 长途 ≥2300英里（人英里）",
    ),
)

# US EPA "Supply Chain Greenhouse Gas Emission Factors v1.2 by NAICS-6" (USEEIO), public domain.
USEEIO_ROWS: tuple[dict[str, str], ...] = (
    {
        "id": "iron_ore_spend",
        "parameter": "ef",
        "gas": "CO2e",
        "value": "1.233",
        "unit": "kg/USD",
        "name_en": "Iron ore mining, spend-based (NAICS 212210)",
        "name_zh": "铁矿石采选 支出法（NAICS 212210）",
        "source": "US EPA Supply Chain Greenhouse Gas Emission Factors v1.2 by NAICS-6, file "
        "SupplyChainGHGEmissionFactors_v1.2_NAICS_CO2e_USD2021.csv "
        "(doi:10.23719/1528686), NAICS 212210 Iron Ore Mining, 'Supply Chain Emission "
        "Factors with Margins'",
        "licence": "Public domain (US Government work, EPA ScienceHub)",
        "status": "reported",
        "note": "kg CO2e per 2021 USD at purchaser price; CO2e with IPCC AR4 GWP-100 (cannot "
        "be re-weighted to another GWP set); GHG data year 2019; without margins 1.112, "
        "margins 0.121; read in a public copy of the EPA CSV, not on the EPA server",
    },
)


def _fmt(value: float) -> str:
    """A number as short, exact text: 28.0 -> '28', 27.9 -> '27.9'."""
    text = repr(float(value))
    return text.removesuffix(".0")


def _write_csv(path: Path, header: Sequence[str], rows: Iterable[dict[str, str]]) -> int:
    buf = io.StringIO()
    writer = csv.DictWriter(
        buf,
        fieldnames=list(header),
        lineterminator="\n",
        quoting=csv.QUOTE_MINIMAL,
        extrasaction="raise",
    )
    writer.writeheader()
    n = 0
    for row in rows:
        writer.writerow({k: row.get(k, "") for k in header})
        n += 1
    path.write_text(buf.getvalue(), encoding="utf-8", newline="")
    return n


def _gwp_rows() -> list[dict[str, str]]:
    version = metadata.version(GWP_PACKAGE)
    text = (resources.files(GWP_PACKAGE) / GWP_CSV).read_text(encoding="utf-8")
    lines = text.splitlines()
    header_comments = "\n".join(line for line in lines if line.startswith("#"))
    records = list(csv.DictReader(line for line in lines if not line.startswith("#")))
    via = f" via {GWP_PACKAGE} {version}"

    rows: list[dict[str, str]] = []
    for set_id, column, source, marker in GWP_COLUMNS:
        if marker not in header_comments:
            raise SystemExit(
                f"{GWP_PACKAGE} {version}: the source of {column} changed "
                f"(marker {marker!r} not found); review GWP_COLUMNS"
            )
        rows.append(
            {
                "gas": "CO2",
                "gwp_set": set_id,
                "value": "1",
                "source": source + via,
                "licence": GWP_LICENCE,
                "status": "verified",
                "note": "reference gas: GWP of CO2 is 1 by definition",
            }
        )
        for rec in records:
            raw = (rec.get(column) or "").strip()
            if not raw:
                continue
            rows.append(
                {
                    "gas": rec["Species"],
                    "gwp_set": set_id,
                    "value": _fmt(float(raw)),
                    "source": source + via,
                    "licence": GWP_LICENCE,
                    "status": "verified",
                }
            )

    ar6 = [r for r in rows if r["gwp_set"] == "AR6"]
    if not any(r["gas"] == "CH4" for r in ar6):
        raise SystemExit("AR6 has no CH4 row; cannot build the fossil split")
    for r in ar6:
        if r["gas"] != "CH4":
            rows.append({**r, "gwp_set": FOSSIL_SPLIT_SET})
            continue
        for origin, value in CH4_BY_ORIGIN:
            rows.append(
                {
                    "gas": "CH4",
                    "gwp_set": FOSSIL_SPLIT_SET,
                    "origin": origin,
                    "value": value,
                    "source": FOSSIL_SPLIT_SOURCE,
                    "licence": "IPCC values, cited",
                    "status": "reported",
                    "note": "replaces the single AR6 CH4 value (27.9, Table 7.SM.7); "
                    "read in a public copy, not checked against the report PDF",
                }
            )
    return rows


def _load_a6(name: str) -> Any:
    path = resources.files(A6_PACKAGE) / "factors" / "source_data" / name
    return json.loads(path.read_text(encoding="utf-8"))


def _factor_row(
    activity_id: str,
    gas: str,
    value: float,
    unit: str,
    name_en: str,
    name_zh: str,
    source: str,
    note: str,
) -> dict[str, str]:
    return {
        "id": activity_id,
        "parameter": "ef",
        "gas": gas,
        "value": _fmt(value),
        "unit": unit,
        "name_en": name_en,
        "name_zh": name_zh,
        "source": source,
        "licence": HUB_LICENCE,
        "status": HUB_STATUS,
        "note": note,
    }


def _gas_rows(
    activity_id: str,
    factors: dict[str, Any],
    activity_unit: str,
    name_en: str,
    name_zh: str,
    source: str,
    note: str,
) -> list[dict[str, str]]:
    unknown = set(factors) - {g for g, _, _ in A6_GASES} - {"units"}
    if unknown:
        raise SystemExit(f"{activity_id}: unexpected keys {sorted(unknown)} in atomic6ghg data")
    out = []
    for key, gas, mass in A6_GASES:
        value = float(factors[key])
        out.append(
            _factor_row(
                activity_id, gas, value, f"{mass}/({activity_unit})", name_en, name_zh, source, note
            )
        )
    return out


def _hub_rows() -> list[dict[str, str]]:
    version = metadata.version(A6_PACKAGE)
    edition = A6_EDITIONS.get(version)
    if edition is None:
        raise SystemExit(
            f"{A6_PACKAGE} {version}: unknown EPA Hub edition; check the package's "
            "factors against the EPA Hub and add it to A6_EDITIONS"
        )
    hub = f"US EPA GHG Emission Factors Hub (edition {edition})"
    via = f"; as packaged in {A6_PACKAGE} {version}"
    rows: list[dict[str, str]] = []

    transport = _load_a6("product_transport_emission_factors.json")
    seen: set[tuple[str, str]] = set()
    for key, unit_key, activity_id, name_en, name_zh in TRANSPORT_ROWS:
        seen.add((key, unit_key))
        note = "CO2 in kg, CH4 and N2O in g per unit; combustion only (tank-to-wheel)" + (
            "; ton-miles are US SHORT tons (2000 lb)" if unit_key == "ton-mile" else ""
        )
        rows += _gas_rows(
            activity_id,
            transport[key][unit_key],
            A6_UNITS[unit_key],
            name_en,
            name_zh,
            f"{hub}, {HUB_TABLE_TRANSPORT}{via}",
            note,
        )
    missing = {(k, u) for k, v in transport.items() for u in v} - seen
    if missing:
        raise SystemExit(f"atomic6ghg transport factors not mapped: {sorted(missing)}")

    travel = _load_a6("business_travel_factors.json")
    mapped = {key for key, *_ in TRAVEL_ROWS}
    if set(travel) - mapped:
        raise SystemExit(f"atomic6ghg travel factors not mapped: {sorted(set(travel) - mapped)}")
    for key, activity_id, name_en, name_zh in TRAVEL_ROWS:
        factors = travel[key]
        unit = A6_UNITS[str(factors["units"])]
        note = (
            "CO2 in kg, CH4 and N2O in g per unit; combustion only (tank-to-wheel); the "
            "table serves business travel (Cat. 6) and employee commuting (Cat. 7)"
        )
        rows += _gas_rows(
            activity_id, factors, unit, name_en, name_zh, f"{hub}, {HUB_TABLE_TRAVEL}{via}", note
        )

    rows += [dict(r) for r in USEEIO_ROWS]
    return rows


def main() -> None:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    n_gwp = _write_csv(DATA_DIR / "gwp.csv", GWP_HEADER, _gwp_rows())
    n_hub = _write_csv(DATA_DIR / "us_epa_hub.csv", FACTOR_HEADER, _hub_rows())
    print(f"wrote {DATA_DIR / 'gwp.csv'} ({n_gwp} rows)")
    print(f"wrote {DATA_DIR / 'us_epa_hub.csv'} ({n_hub} rows)")


if __name__ == "__main__":
    main()
