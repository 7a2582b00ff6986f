"""Write the scenario tables of the steel example from its 2022 inventory figures.

Run ``.venv/bin/python scripts/make_steel_scenarios.py``; edit this script, not the CSV files.
Every number derived from the inventory says so in its note; every assumption is marked
illustrative. The example company is fictional.
"""

from __future__ import annotations

import csv
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src" / "neutra" / "examples" / "steel_enterprise"

# ---- derived 2022 numbers ------------------------------------------------------------------
steel = 1012e4  # t crude steel 2022 (outputs.csv)
coke = 318e4 * 28.2  # GJ, NCV ipcc2006:coke_oven_coke:ncv 28.2 GJ/t
coal = 152e4 * 25.8  # GJ, ipcc2006:other_bituminous_coal:ncv 25.8 GJ/t
ng_iron = 1.45e8 * 36.2e-3  # GJ, measured NCV 36.2 MJ/m3 (activity.csv)
bfg = 78e8 * 3.35e-3  # GJ, measured NCV 3.35 MJ/m3
cog = 4.9e8 * 17.9e-3  # GJ, measured NCV 17.9 MJ/m3
ng_roll = 0.92e8 * 36.2e-3
diesel = 1.8e4 * 43.0  # ipcc2006:gas_diesel_oil:ncv 43.0 GJ/t
proc = (118e4 * 0.43971 + 46e4 * 0.47732) / steel * 1000  # kg CO2/t, ipcc2006-ippu efs
CHP_MW, CHP_AV, CHP_EFF = 250, 80, 35
chp_mwh = CHP_MW * CHP_AV / 100 * 8760
chp_in = chp_mwh * 3.6 / (CHP_EFF / 100)
bfg_reheat = bfg - chp_in
purchased_mwh = (16.8 + 7.1) * 1e5
total_mwh = purchased_mwh + chp_mwh
el_iron = 16.8 / 23.9 * total_mwh * 1000 / steel  # kWh/t
el_roll = 7.1 / 23.9 * total_mwh * 1000 / steel


def r(x, n=5):
    return float(f"{x:.{n}g}")


ILL = "illustrative"

# ---- tables ----------------------------------------------------------------------------------
drivers = [
    {
        "driver": "cn_steel",
        "unit": "Mt",
        "name": "China crude steel output",
        "name_zh": "全国粗钢产量",
        "note": "2022 ≈ 1013 Mt, 2023 ≈ 1019 Mt (NBS statistical communiqués, rounded); the path "
        "after 2023 is an illustrative assumption of slowly declining domestic demand",
    },
    {
        "driver": "grid_ef",
        "unit": "t/MWh",
        "name": "East China grid CO2 factor",
        "name_zh": "华东电网平均二氧化碳排放因子",
        "note": "2022: 0.5617 kg/kWh, MEE & NBS 2022 electricity factor announcement "
        "(cn-mee-grid CN-East 2022, SOURCES.md [R]); later years: illustrative "
        "decarbonisation path",
    },
]

scenarios = [
    {
        "scenario": "baseline",
        "parents": "",
        "measures": "",
        "kind": "baseline",
        "name": "Baseline (frozen technology)",
        "name_zh": "基准情景（技术冻结）",
        "note": "output follows China's steel demand (flat, then slowly declining); 2022 "
        "intensities and route mix kept; grid decarbonises exogenously. Illustrative.",
    },
    {
        "scenario": "policy",
        "parents": "baseline",
        "measures": "capacity_control,efficiency,waste_heat,rooftop_pv,green_power,scrap_eaf,h2_dri",
        "kind": "policy",
        "name": "Policy (sector roadmap)",
        "name_zh": "政策情景（行业路线图）",
        "note": "the Chinese steel sector's 2025 roadmap items carried forward; Baosteel-like "
        "peak ≈ 2023-2025 and ≈ −30 % by 2035. Illustrative.",
    },
    {
        "scenario": "enhanced",
        "parents": "policy",
        "measures": "capacity_control,efficiency,waste_heat,rooftop_pv,green_power,green_power_plus,"
        "scrap_eaf,scrap_eaf_plus,h2_dri,h2_dri_plus,fuel_switch,ccus,offsets",
        "kind": "enhanced",
        "name": "Enhanced (towards neutrality)",
        "name_zh": "强化情景（迈向碳中和）",
        "note": "deeper route change, 100 % green power by 2050, by-product-gas phase-out, CCUS on "
        "the remaining BF-BOF route and offsets for the residue. Illustrative.",
    },
]

ROAD = "SOURCES.md Cases: Chinese steel sector"
BAO = "SOURCES.md Cases: Baosteel"
measures = [
    {
        "measure": "capacity_control",
        "lever": "reduce",
        "name": "Capacity control",
        "name_zh": "产能产量调控",
        "note": f"{ROAD} (capacity control and restructuring); output 2 % below baseline by 2025, "
        "5 % by 2035, 8 % by 2060 (illustrative)",
    },
    {
        "measure": "efficiency",
        "lever": "reduce",
        "name": "Energy efficiency to benchmark",
        "name_zh": "能效标杆水平改造",
        "note": f"{ROAD} (benchmark efficiency, retrofits of key processes, hot charging, digital "
        f"energy management); {BAO} (extreme energy efficiency). Ramps illustrative",
    },
    {
        "measure": "waste_heat",
        "lever": "reduce",
        "name": "Waste heat and by-product gas use",
        "name_zh": "余热余能及副产煤气高效利用",
        "note": f"{ROAD} (waste heat and by-product gas use: self-generation, high-efficiency gas "
        "units); gas power plant 35 → 42 % efficiency, waste-heat power up to 40 MW "
        "(illustrative)",
    },
    {
        "measure": "scrap_eaf",
        "lever": "replace",
        "name": "More scrap-EAF steel",
        "name_zh": "提高废钢电炉短流程比例",
        "note": f"{ROAD} (EAF 15 % of crude steel by 2025 for the sector, 300 Mt scrap); {BAO} "
        "(more scrap). Company path 5 % 2025, 12 % 2030, 15 % 2035, 30 % 2060 (illustrative)",
    },
    {
        "measure": "h2_dri",
        "lever": "replace",
        "name": "Hydrogen-based direct reduction",
        "name_zh": "氢基竖炉直接还原",
        "note": f"{ROAD} (low-carbon ironmaking: hydrogen-based direct reduction); {BAO} "
        "(hydrogen-based shaft furnace, Zhanjiang). H2-DRI from 2028: 5 % 2030, 10 % 2035, 20 % 2060 (illustrative)",
    },
    {
        "measure": "rooftop_pv",
        "lever": "replace",
        "name": "Rooftop PV",
        "name_zh": "屋顶分布式光伏",
        "note": f"{BAO} (distributed PV 196 MW in 2021, ≥ 500 MW by 2027 for the group); "
        f"{ROAD} (green micro-grids). 350 MW by 2035 here (illustrative)",
    },
    {
        "measure": "green_power",
        "lever": "replace",
        "name": "Green power purchases",
        "name_zh": "绿电采购",
        "note": f"{BAO} (green power purchased 1.37 TWh in 2021). Share of purchases that is green "
        "(PPAs, certificates) lowers the import factor: 10 % 2025, 35 % 2035, 60 % 2060 — "
        "an assumption; market-based view of purchases",
    },
    {
        "measure": "scrap_eaf_plus",
        "lever": "replace",
        "name": "Scrap-EAF, enhanced",
        "name_zh": "废钢电炉短流程（强化）",
        "note": "EAF 20 % 2030, 25 % 2035, 40 % 2050, 45 % 2060 (illustrative; limited by scrap supply)",
    },
    {
        "measure": "h2_dri_plus",
        "lever": "replace",
        "name": "Hydrogen DRI, enhanced",
        "name_zh": "氢冶金（强化）",
        "note": "H2-DRI 8 % 2030, 25 % 2040, 45 % 2050, 50 % 2060 (illustrative)",
    },
    {
        "measure": "green_power_plus",
        "lever": "replace",
        "name": "100 % green power by 2050",
        "name_zh": "2050年绿电全覆盖",
        "note": "green share of purchases 40 % 2030, 80 % 2040, 100 % 2050; PV 500 MW by 2040 "
        "(illustrative assumption)",
    },
    {
        "measure": "fuel_switch",
        "lever": "replace",
        "name": "By-product gas phase-out, hydrogen reheating, electric vehicles",
        "name_zh": "外购煤气退出、加热炉氢能化与厂内运输电动化",
        "note": f"{ROAD} (new-energy transport; hydrogen use). Purchased blast-furnace and "
        "coke-oven gas phased out 2030-2045 as the neighbouring works decarbonise "
        "(illustrative)",
    },
    {
        "measure": "ccus",
        "lever": "absorb",
        "name": "CCUS on the BF-BOF route",
        "name_zh": "高炉-转炉流程碳捕集利用与封存",
        "note": f"{BAO} (hydrogen-rich carbon-cycle blast furnace with CCUS); {ROAD} (CCUS "
        "immature, costly). Capture 20 % 2035 → 90 % 2050; penalty 1.5 GJ natural gas and "
        "0.15 MWh electricity per t CO2 (illustrative)",
    },
    {
        "measure": "offsets",
        "lever": "trade",
        "name": "Offsets for residual emissions",
        "name_zh": "抵销剩余排放（CCER等）",
        "note": "offsets bought for the residue from 2046 (illustrative; the national ETS limits "
        "CCER use to 5 % of allowances, SOURCES.md Carbon market)",
    },
]

branches = [
    {
        "branch": "Demand/Steelmaking",
        "kind": "activity",
        "unit": "万t",
        "name": "Crude steel",
        "name_zh": "粗钢生产",
        "note": "crude steel output by route",
    },
    {
        "branch": "Demand/Steelmaking/BF-BOF",
        "kind": "share",
        "name": "Blast furnace - basic oxygen furnace",
        "name_zh": "高炉-转炉长流程",
        "note": "ironworks of facilities.csv",
    },
    {
        "branch": "Demand/Steelmaking/Scrap-EAF",
        "kind": "share",
        "name": "Scrap electric arc furnace",
        "name_zh": "废钢电炉短流程",
        "note": "not in the 2022 inventory: starts at 0 %",
    },
    {
        "branch": "Demand/Steelmaking/H2-DRI",
        "kind": "share",
        "name": "Hydrogen direct reduction + EAF",
        "name_zh": "氢基竖炉直接还原+电炉",
        "note": "new route, starts at 0 %",
    },
    {
        "branch": "Demand/Rolling",
        "kind": "activity",
        "unit": "万t",
        "name": "Rolling mills",
        "name_zh": "轧钢",
        "note": "rolling facility of facilities.csv (without its gas power plant)",
    },
    {
        "branch": "Demand/Vehicles",
        "kind": "activity",
        "unit": "万t",
        "sector": "transport",
        "name": "Plant vehicles",
        "name_zh": "厂内运输车辆",
        "note": "mobile combustion (inventory category mobile_combustion)",
    },
    {
        "branch": "Supply/Hydrogen",
        "kind": "module",
        "fuel": "hydrogen",
        "order": 1,
        "dispatch": "share",
        "name": "Hydrogen supply",
        "name_zh": "氢气供应",
        "note": "on-site electrolysis; its electricity is demand on Supply/Electricity",
    },
    {
        "branch": "Supply/Hydrogen/Electrolysis",
        "kind": "process",
        "fuel": "electricity",
        "order": 1,
        "name": "Electrolysis",
        "name_zh": "电解水制氢",
    },
    {
        "branch": "Supply/Electricity",
        "kind": "module",
        "fuel": "electricity",
        "order": 2,
        "dispatch": "merit",
        "import_grid": "CN-East",
        "name": "Electricity supply",
        "name_zh": "电力供应",
        "note": "own generation in merit order; the rest is purchased from the East China grid",
    },
    {
        "branch": "Supply/Electricity/Rooftop PV",
        "kind": "process",
        "fuel": "solar",
        "order": 1,
        "name": "Rooftop PV",
        "name_zh": "屋顶光伏",
    },
    {
        "branch": "Supply/Electricity/Waste-heat power",
        "kind": "process",
        "fuel": "heat",
        "order": 2,
        "name": "Waste-heat power (sinter, converter)",
        "name_zh": "余热发电（烧结、转炉）",
        "note": "recovered waste heat, no fuel burnt",
    },
    {
        "branch": "Supply/Electricity/Gas power plant",
        "kind": "process",
        "fuel": "blast_furnace_gas",
        "order": 3,
        "name": "By-product gas power plant",
        "name_zh": "煤气发电厂",
        "note": "burns purchased blast-furnace gas (rolling facility)",
    },
    {"branch": "Trade/Offsets", "kind": "trade", "name": "Offsets", "name_zh": "碳抵销"},
]

E = []  # expressions


def x(scenario, branch, variable, expression, unit="", fuel="", gas="", note="", measure=""):
    E.append(
        {
            "scenario": scenario,
            "measure": measure,
            "branch": branch,
            "variable": variable,
            "fuel": fuel,
            "gas": gas,
            "expression": expression,
            "unit": unit,
            "note": note,
        }
    )


def m(measure, branch, variable, expression, unit="", fuel="", gas="", note=""):
    x("", branch, variable, expression, unit, fuel, gas, note, measure)


BF, EAF, DRI = (
    "Demand/Steelmaking/BF-BOF",
    "Demand/Steelmaking/Scrap-EAF",
    "Demand/Steelmaking/H2-DRI",
)
ROLL, VEH = "Demand/Rolling", "Demand/Vehicles"
EL, PV, WH, CHP = (
    "Supply/Electricity",
    "Supply/Electricity/Rooftop PV",
    "Supply/Electricity/Waste-heat power",
    "Supply/Electricity/Gas power plant",
)
H2, ELY = "Supply/Hydrogen", "Supply/Hydrogen/Electrolysis"

# Current Accounts = the 2022 inventory
x("current", "Key/cn_steel", "value", 1013, "Mt", note="NBS 2022 communiqué, rounded")
x(
    "current",
    "Key/grid_ef",
    "value",
    0.5617,
    "t/MWh",
    note="cn-mee-grid:electricity:ef:CO2:CN-East:location:2022",
)
x("current", "Demand/Steelmaking", "activity", 1012, "万t", note="outputs.csv 2022 crude_steel")
x("current", BF, "activity", "Remainder(100)", "%", note="all 2022 steel is BF-BOF")
x("current", EAF, "activity", 0, "%", note="no EAF in the 2022 inventory")
x("current", DRI, "activity", 0, "%")
x(
    "current",
    BF,
    "intensity",
    r(coke / steel),
    "GJ/t",
    fuel="coke_oven_coke",
    note="318 万t × 28.2 GJ/t (ipcc2006:coke_oven_coke:ncv) / 1012 万t",
)
x(
    "current",
    BF,
    "intensity",
    r(coal / steel),
    "GJ/t",
    fuel="other_bituminous_coal",
    note="152 万t × 25.8 GJ/t (ipcc2006:other_bituminous_coal:ncv) / 1012 万t",
)
x(
    "current",
    BF,
    "intensity",
    r(ng_iron / steel),
    "GJ/t",
    fuel="natural_gas",
    note="1.45 亿m3 × 36.2 MJ/m3 (measured NCV, activity.csv) / 1012 万t",
)
x(
    "current",
    BF,
    "intensity",
    r(el_iron),
    "kWh/t",
    fuel="electricity",
    note="ironworks share (16.8/23.9) of all electricity used: 23.9 亿kWh purchased + 17.52 亿kWh "
    "from the gas power plant; / 1012 万t",
)
x(
    "current",
    BF,
    "process_ef",
    r(proc),
    "kg/t",
    gas="CO2",
    note="limestone 118 万t × 0.43971 + dolomite 46 万t × 0.47732 t CO2/t (ipcc2006-ippu) / 1012 万t",
)
x("current", EAF, "intensity", 450, "kWh/t", fuel="electricity", note=ILL)
x(
    "current",
    EAF,
    "intensity",
    0.6,
    "GJ/t",
    fuel="natural_gas",
    note=f"{ILL}: ladle and scrap preheating",
)
x(
    "current",
    EAF,
    "intensity",
    0.3,
    "GJ/t",
    fuel="other_bituminous_coal",
    note=f"{ILL}: carbon injection",
)
x("current", EAF, "process_ef", 15, "kg/t", gas="CO2", note=f"{ILL}: electrodes and charge carbon")
x(
    "current",
    DRI,
    "intensity",
    6.6,
    "GJ/t",
    fuel="hydrogen",
    note=f"{ILL}: ≈ 55 kg H2 per t steel × 120 MJ/kg (LHV)",
)
x(
    "current",
    DRI,
    "intensity",
    750,
    "kWh/t",
    fuel="electricity",
    note=f"{ILL}: shaft furnace and EAF",
)
x("current", DRI, "intensity", 0.5, "GJ/t", fuel="natural_gas", note=ILL)
x(
    "current",
    DRI,
    "process_ef",
    20,
    "kg/t",
    gas="CO2",
    note=f"{ILL}: carbon added in the EAF, electrodes",
)
x(
    "current",
    ROLL,
    "activity",
    "Demand\\Steelmaking:activity",
    "万t",
    note="rolls the crude steel output",
)
x(
    "current",
    ROLL,
    "intensity",
    r(bfg_reheat / steel),
    "GJ/t",
    fuel="blast_furnace_gas",
    note="78 亿m3 × 3.35 MJ/m3 (measured) less the gas power plant's input; / 1012 万t",
)
x(
    "current",
    ROLL,
    "intensity",
    r(cog / steel),
    "GJ/t",
    fuel="coke_oven_gas",
    note="4.9 亿m3 × 17.9 MJ/m3 (measured) / 1012 万t",
)
x(
    "current",
    ROLL,
    "intensity",
    r(ng_roll / steel),
    "GJ/t",
    fuel="natural_gas",
    note="0.92 亿m3 × 36.2 MJ/m3 (measured) / 1012 万t",
)
x(
    "current",
    ROLL,
    "intensity",
    r(el_roll),
    "kWh/t",
    fuel="electricity",
    note="rolling share (7.1/23.9) of all electricity used / 1012 万t",
)
x(
    "current",
    ROLL,
    "process_ef",
    r(1.3e6 / steel),
    "g/t",
    gas="HFC134a",
    note="site refrigeration: 1.3 t HFC-134a top-ups (ironworks) / 1012 万t",
)
x(
    "current",
    ROLL,
    "process_ef",
    r(0.3e6 / steel),
    "g/t",
    gas="HFC32",
    note="0.6 t R-410A × 50 % HFC-32 (refrigerant-blends) / 1012 万t",
)
x(
    "current",
    ROLL,
    "process_ef",
    r(0.3e6 / steel),
    "g/t",
    gas="HFC125",
    note="0.6 t R-410A × 50 % HFC-125 (refrigerant-blends) / 1012 万t",
)
x("current", VEH, "activity", "Demand\\Steelmaking:activity", "万t")
x(
    "current",
    VEH,
    "intensity",
    r(diesel / steel),
    "GJ/t",
    fuel="gas_diesel_oil",
    note="1.8 万t × 43.0 GJ/t (ipcc2006:gas_diesel_oil:ncv) / 1012 万t; the logistics JV is "
    "outside the boundary",
)
x("current", EL, "import_factor", "Key\\grid_ef", "t/MWh", note="location-based grid factor")
x("current", PV, "efficiency", 100, "%")
x("current", PV, "capacity", 0, "MW", note="no on-site PV in the 2022 inventory")
x(
    "current",
    PV,
    "availability",
    13,
    "%",
    note=f"{ILL}: capacity factor ≈ 1 140 full-load hours, East China rooftop",
)
x("current", WH, "efficiency", 100, "%", note="output counted as the recovered heat")
x("current", WH, "availability", 85, "%", note=ILL)
x("current", CHP, "efficiency", CHP_EFF, "%", note=f"{ILL}: conventional BFG boiler-turbine units")
x("current", CHP, "capacity", CHP_MW, "MW", note=ILL)
x(
    "current",
    CHP,
    "availability",
    CHP_AV,
    "%",
    note=f"{ILL}: 250 MW × 80 % × 8760 h = 17.52 亿kWh from "
    f"{chp_in / 1e6:.2f} PJ BFG ({chp_in / bfg:.0%} of the purchased BFG)",
)
x("current", ELY, "efficiency", 65, "%", note=f"{ILL}: ≈ 51 kWh per kg H2 (LHV)")
x("current", ELY, "share", 100, "%")

# Baseline
x(
    "baseline",
    "Key/cn_steel",
    "value",
    "Interp(2023, 1019, 2025, 1000, 2030, 950, 2035, 900, 2040, 850, 2050, 760, 2060, 700)",
    "Mt",
    note=f"{ILL}: plateau, then slowly declining domestic demand",
)
x(
    "baseline",
    "Key/grid_ef",
    "value",
    "Interp(2030, 0.5, 2035, 0.45, 2040, 0.4, 2050, 0.3, 2060, 0.2)",
    "t/MWh",
    note=f"{ILL}: East China grid decarbonisation (no company measure)",
)
x(
    "baseline",
    "Demand/Steelmaking",
    "activity",
    "1031 * Key\\cn_steel / 1019",
    "万t",
    note="2023 = 1031 万t (outputs.csv), then a constant share of national output",
)

# Policy measures
ramp = "Interp(2022, 1, 2023, 1, 2025, 0.98, 2030, 0.96, 2035, 0.95, 2060, 0.92)"
m("capacity_control", "Demand/Steelmaking", "activity", f"Inherited * {ramp}", "万t")
iron = "Inherited * Interp(2022, 1, 2023, 1, 2025, 0.97, 2030, 0.92, 2035, 0.9, 2060, 0.87)"
for f in ("coke_oven_coke", "other_bituminous_coal", "natural_gas"):
    m(
        "efficiency",
        BF,
        "intensity",
        iron,
        "GJ/t",
        fuel=f,
        note=f"{ILL}: −8 % by 2030, −13 % by 2060 (benchmark BF-BOF)",
    )
elec = "Inherited * Interp(2022, 1, 2023, 1, 2030, 0.95, 2060, 0.9)"
m("efficiency", BF, "intensity", elec, "kWh/t", fuel="electricity", note=ILL)
m("efficiency", ROLL, "intensity", elec, "kWh/t", fuel="electricity", note=ILL)
roll = "Inherited * Interp(2022, 1, 2023, 1, 2025, 0.96, 2030, 0.9, 2060, 0.85)"
for f in ("blast_furnace_gas", "coke_oven_gas", "natural_gas"):
    m(
        "efficiency",
        ROLL,
        "intensity",
        roll,
        "GJ/t",
        fuel=f,
        note=f"{ILL}: hot charging, regenerative burners",
    )
m(
    "waste_heat",
    CHP,
    "efficiency",
    "Interp(2022, 35, 2023, 35, 2027, 40, 2030, 42)",
    "%",
    note=f"{ILL}: high-temperature ultra-high-pressure gas units",
)
m(
    "waste_heat",
    WH,
    "capacity",
    "Interp(2022, 0, 2023, 0, 2025, 20, 2030, 40) * [Demand/Steelmaking/BF-BOF:activity] / 100",
    "MW",
    note=f"{ILL}: scales with the BF-BOF share",
)
m(
    "scrap_eaf",
    EAF,
    "activity",
    "Interp(2022, 0, 2023, 0, 2025, 5, 2030, 12, 2035, 15, 2050, 25, 2060, 30)",
    "%",
)
m("h2_dri", DRI, "activity", "Interp(2022, 0, 2027, 0, 2030, 5, 2035, 10, 2050, 15, 2060, 20)", "%")
m(
    "rooftop_pv",
    PV,
    "capacity",
    "Interp(2022, 0, 2023, 0, 2025, 150, 2027, 250, 2030, 300, 2035, 350)",
    "MW",
)
m(
    "green_power",
    EL,
    "import_factor",
    "Key\\grid_ef * (1 - Interp(2022, 0, 2023, 0, 2025, 10, 2030, 25, 2035, 35, 2060, 60) / 100)",
    "t/MWh",
    note="assumption: green share of purchases",
)

# Enhanced measures
m(
    "scrap_eaf_plus",
    EAF,
    "activity",
    "Interp(2022, 0, 2023, 0, 2025, 5, 2030, 20, 2035, 25, 2050, 40, 2060, 45)",
    "%",
)
m(
    "h2_dri_plus",
    DRI,
    "activity",
    "Interp(2022, 0, 2027, 0, 2030, 8, 2035, 15, 2040, 25, 2050, 45, 2060, 50)",
    "%",
)
m(
    "green_power_plus",
    EL,
    "import_factor",
    "Key\\grid_ef * (1 - Interp(2022, 0, 2023, 0, 2025, 15, 2030, 40, 2040, 80, 2050, 100) / 100)",
    "t/MWh",
    note="assumption: green share of purchases",
)
m(
    "green_power_plus",
    PV,
    "capacity",
    "Interp(2022, 0, 2023, 0, 2025, 150, 2027, 250, 2030, 350, 2040, 500)",
    "MW",
)
m(
    "fuel_switch",
    CHP,
    "capacity",
    "Interp(2022, 250, 2035, 250, 2045, 0)",
    "MW",
    note=f"{ILL}: purchased BFG no longer available",
)
gas_out = "Inherited * Interp(2022, 1, 2030, 1, 2045, 0)"
m("fuel_switch", ROLL, "intensity", gas_out, "GJ/t", fuel="blast_furnace_gas")
m("fuel_switch", ROLL, "intensity", gas_out, "GJ/t", fuel="coke_oven_gas")
m(
    "fuel_switch",
    ROLL,
    "intensity",
    "Inherited * Interp(2022, 1, 2030, 1, 2050, 0.2)",
    "GJ/t",
    fuel="natural_gas",
)
m(
    "fuel_switch",
    ROLL,
    "intensity",
    "Interp(2022, 0, 2030, 0, 2045, 1.1, 2050, 1.2)",
    "GJ/t",
    fuel="hydrogen",
    note=f"{ILL}: hydrogen-fired reheating furnaces",
)
m(
    "fuel_switch",
    ROLL,
    "intensity",
    "Inherited + Interp(2022, 0, 2030, 0, 2050, 40)",
    "kWh/t",
    fuel="electricity",
    note=f"{ILL}: induction heating",
)
m(
    "fuel_switch",
    VEH,
    "intensity",
    "Inherited * Interp(2022, 1, 2025, 1, 2035, 0)",
    "GJ/t",
    fuel="gas_diesel_oil",
)
m(
    "fuel_switch",
    VEH,
    "intensity",
    "Interp(2022, 0, 2025, 0, 2035, 7)",
    "kWh/t",
    fuel="electricity",
    note=f"{ILL}: battery-electric trucks and loaders",
)
m("ccus", BF, "capture_rate", "Interp(2022, 0, 2030, 0, 2035, 20, 2045, 70, 2050, 90)", "%")
m("ccus", BF, "capture_energy", 1.5, "GJ/t", fuel="natural_gas", note=ILL)
m("ccus", BF, "capture_energy", 0.15, "MWh/t", fuel="electricity", note=ILL)
m(
    "offsets",
    "Trade/Offsets",
    "offsets",
    "Interp(2022, 0, 2045, 0, 2050, 660000, 2060, 490000)",
    "t",
    note=f"{ILL}: sized to the enhanced residue",
)

uncertainty = [
    {
        "target": "Key/cn_steel",
        "distribution": "normal",
        "p1": 0.08,
        "note": f"{ILL}: level of national steel demand (and the company's share), ±16 % at 95 %",
    },
    {
        "target": "Key/grid_ef",
        "distribution": "triangular",
        "p1": 0.8,
        "p2": 1.0,
        "p3": 1.15,
        "note": f"{ILL}: pace of grid decarbonisation",
    },
    {
        "target": "factor:coke_oven_coke",
        "distribution": "triangular",
        "p1": 0.894,
        "p2": 1.0,
        "p3": 1.11,
        "note": "IPCC 2006 Vol. 2 Table 1.3 carbon content range 26.1–32.4 around 29.2 kg C/GJ",
    },
    {
        "target": "factor:blast_furnace_gas",
        "distribution": "triangular",
        "p1": 0.843,
        "p2": 1.0,
        "p3": 1.186,
        "note": "IPCC 2006 Vol. 2 Table 1.3 carbon content range 59.7–84.0 around 70.8 kg C/GJ",
    },
    {
        "target": "Demand/Steelmaking/H2-DRI:activity",
        "distribution": "uniform",
        "p1": 0.5,
        "p2": 1.1,
        "note": f"{ILL}: delivery risk of hydrogen DRI (hydrogen supply, cost)",
    },
]


def write(name, rows, cols):
    with (OUT / f"{name}.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=cols, lineterminator="\n")
        w.writeheader()
        for row in rows:
            w.writerow({c: row.get(c, "") for c in cols})


write("drivers", drivers, ["driver", "unit", "name", "name_zh", "note"])
write(
    "scenarios", scenarios, ["scenario", "parents", "measures", "kind", "name", "name_zh", "note"]
)
write("measures", measures, ["measure", "lever", "name", "name_zh", "note"])
write(
    "branches",
    branches,
    [
        "branch",
        "kind",
        "unit",
        "sector",
        "fuel",
        "order",
        "dispatch",
        "import_grid",
        "name",
        "name_zh",
        "note",
    ],
)
write(
    "expressions",
    E,
    ["scenario", "measure", "branch", "variable", "fuel", "gas", "expression", "unit", "note"],
)
write("uncertainty", uncertainty, ["target", "distribution", "p1", "p2", "p3", "note"])
print(len(E), "expression rows")
