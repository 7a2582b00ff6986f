"""Generate the scenario tables of the illustrative city example from its 2023 energy balance.

Writes into ``src/neutra/examples/city/`` the tables of a LEAP-style scenario model
(``neutra.model.tables``): ``drivers.csv``, ``branches.csv``, ``scenarios.csv``, ``measures.csv``,
``expressions.csv`` and ``uncertainty.csv``. The city is the FICTIONAL megacity of
``scripts/make_city_example.py``; run that script first (it writes ``plan.toml`` with
``[settings] sim_base_year = 2023`` and the balance tables this script reads).

**Current Accounts (2023)** are computed from ``energy_balance_2023.csv`` and ``series.csv`` so
that the simulated 2023 emissions equal the regional inventory's (``services.region``):

* final consumption of each fuel by sector (the balance's ids: agriculture, industry, …,
  residential_urban, residential_rural) ÷ the sector's activity — value added for productive
  sectors, population for households — gives the final energy intensities, each fuel converted
  to GJ with the net calorific value the plan's factor sets give it (the inventory's own
  conversion: the script checks that GJ × the simulation's factor per GJ equals the inventory's
  factor per printed unit); non-energy use (其中：用作原料、材料) is left out, as in the inventory;
* the thermal power and heating rows give the power and heat plants' inputs, outputs and
  efficiencies; primary electricity is split into nuclear and rooftop PV, and thermal output into
  gas and waste-to-energy, with the generator's own split (``make_city_example.py``);
* imported electricity is the balance's net inflow (the shortfall of local plants dispatched in
  merit order); it carries the grid factor the inventory uses for the entity's grid (CN-South);
* cement clinker output (``output_cement_clinker``) carries the kiln's coal and its process CO2.

**Everything else is an illustrative assumption**, stated next to its number below and in the
``note`` column: capacities of the plants, the car fleet, the forest's carbon stock, GDP and
population paths, autonomous trends of the baseline and every measure. The measures follow the
Shenzhen case of ``SOURCES.md`` ("Cases": peak 2025; 2030 15 % below the peak; neutrality before
2060; rooftop PV; electrified buses, taxis and new-energy vehicles; strategic emerging
industries; carbon-neutrality fund, green finance, a local ETS). No number is a forecast.

Deterministic; rerun from the repository root to regenerate identical files::

    .venv/bin/python scripts/make_city_scenarios.py
"""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import make_city_example as city
import numpy as np

from neutra import services, units
from neutra.analysis.energy import wide
from neutra.inventory.gases import gwp_for
from neutra.inventory.recipes import resolver_for
from neutra.inventory.regional import fuel_factors, process_emissions
from neutra.io import read_plan_lenient
from neutra.model.plan import Plan
from neutra.model.tables import (
    BRANCHES,
    DRIVERS,
    EXPRESSIONS,
    MEASURES,
    SCENARIOS,
    UNCERTAINTY,
    TableSpec,
)
from neutra.refdata.library import Library
from neutra.simulate import factors as fx
from neutra.simulate.stock import survival_weibull

OUT_DIR = city.OUT_DIR
BASE = 2023
FIRST_MEASURE_YEAR = 2025  # measures start to bite after the 14th five-year plan's peak year

# --------------------------------------------------------------------------------------------
# Illustrative assumptions (not statistics of any place)
# --------------------------------------------------------------------------------------------

# Value added of transport and of commerce as shares of GDP (series.csv has the three sectors
# and industry only); "other" services take the rest of the tertiary sector.
TRANSPORT_VA_SHARE = 0.035
COMMERCE_VA_SHARE = 0.115

# Passenger cars counted in the transport sector (taxis, ride-hailing, rental and company
# cars): they burn all of the sector's gasoline in 2023. The fleet's electric share follows.
CAR_STOCK = 1_800_000.0  # vehicles in service, 2023
CAR_KM = 22_000.0  # km per vehicle and year
CAR_LIFETIME = 8.0  # mean lifetime, years (Weibull)
CAR_SHAPE = 2.5  # Weibull shape
ICE_MJ_PER_KM = 2.5  # a new gasoline car, 2023 (≈ 7.8 L/100 km)
EV_MJ_PER_KM = 0.6  # a new electric car at the plug, 2023 (≈ 17 kWh/100 km)
EV_SALES_SHARE = 45.0  # % of the 2023 sales

# Installed capacity of the local plants, MW; their availability is 2023 output / capacity.
CAPACITY_MW = {"Solar PV": 1500.0, "Nuclear": 4600.0, "Waste-to-energy": 450.0, "Gas": 5000.0}

# Forest: 80 000 ha at 65 t C/ha, growing 1.25 t C/ha/yr (IPCC stock-difference method).
FOREST_C_T = 5_200_000.0
FOREST_GROWTH_T = 100_000.0

HEAT_PUMP_EFFICIENCY = 250.0  # %, heat pumps and electric boilers for steam and hot water
ELEC_PER_GAS = 0.5  # GJ of electricity replacing 1 GJ of gas or oil in buildings and industry
ELEC_PER_DIESEL = 0.35  # electric trucks and buses per GJ of diesel
ELEC_PER_GASOLINE = EV_MJ_PER_KM / ICE_MJ_PER_KM  # electric cars per GJ of gasoline

# --------------------------------------------------------------------------------------------
# Tree
# --------------------------------------------------------------------------------------------

VA = "亿CNY"
PER_VA = "GJ/万CNY"
PEOPLE = "1e4*person"


@dataclass(frozen=True)
class Node:
    path: str
    kind: str
    name: str
    name_zh: str
    unit: str = ""
    sector: str = ""
    fuel: str = ""
    order: int | None = None
    dispatch: str = ""
    import_grid: str = ""
    note: str = ""


ELEC = "Supply/Electricity"
HEAT = "Supply/Heat"
HEAT_GAS = f"{HEAT}/Gas boilers and CHP"
HEAT_PUMPS_PATH = f"{HEAT}/Heat pumps"
CARS = "Demand/Transport/Passenger cars"
CLINKER = "Demand/Industry/Cement clinker"
MANUFACTURING = "Demand/Industry/Manufacturing"
OTHER_TRANSPORT = "Demand/Transport/Other transport"
FOREST = "Sinks/Forest"
OFFSETS = "Trade/Offsets"

# Productive sectors: branch → (balance sector id, English, Chinese).
SECTOR_BRANCHES: dict[str, tuple[str, str, str]] = {
    "Demand/Agriculture": (
        "agriculture",
        "Agriculture, forestry, animal husbandry and fishery",
        "农、林、牧、渔业",
    ),
    MANUFACTURING: ("industry", "Industry (except the cement kiln)", "工业（水泥窑除外）"),
    "Demand/Construction": ("construction", "Construction", "建筑业"),
    OTHER_TRANSPORT: (
        "transport",
        "Other transport: freight, buses, metro, aviation, shipping",
        "其他交通：货运、公交、轨道、航空、航运",
    ),
    "Demand/Commerce": (
        "commerce",
        "Wholesale, retail, hotels and restaurants",
        "批发和零售业、住宿和餐饮业",
    ),
    "Demand/Other": ("other", "Other services and public sector", "其他"),
}
HOUSEHOLDS: dict[str, tuple[str, str, str]] = {
    "Demand/Residential/Urban": ("residential_urban", "Urban households", "城镇居民"),
    "Demand/Residential/Rural": ("residential_rural", "Rural households", "乡村居民"),
}
BUILDINGS = ("Demand/Commerce", "Demand/Other", *HOUSEHOLDS)


def tree() -> list[Node]:
    nodes = [Node("Demand", "category", "Final demand", "终端需求")]
    for path, (sector, en, zh) in SECTOR_BRANCHES.items():
        if path == MANUFACTURING:
            nodes.append(Node("Demand/Industry", "category", "Industry", "工业", sector="industry"))
        if path == OTHER_TRANSPORT:
            nodes += [
                Node(
                    "Demand/Transport",
                    "category",
                    "Transport, storage and post",
                    "交通运输、仓储和邮政业",
                    sector="transport",
                ),
                Node(
                    CARS,
                    "stock",
                    "Passenger cars in service: taxis, ride-hailing, rental and company cars",
                    "营运及单位乘用车（出租车、网约车、租赁及单位用车）",
                    unit="vehicle",
                    sector="transport",
                    note="illustrative fleet calibrated to the sector's 2023 gasoline",
                ),
            ]
        nodes.append(
            Node(path, "activity", en, zh, unit=VA, sector=sector, note="activity: value added")
        )
        if path == MANUFACTURING:
            nodes.append(
                Node(
                    CLINKER,
                    "activity",
                    "Cement clinker: kiln coal and process CO2",
                    "水泥熟料：窑炉用煤及工艺过程排放",
                    unit="万t",
                    sector="industry",
                    note="activity: series.csv output_cement_clinker",
                )
            )
    nodes.append(
        Node(
            "Demand/Residential",
            "activity",
            "Residential",
            "居民生活",
            unit=PEOPLE,
            sector="residential",
            note="activity: population",
        )
    )
    for path, (sector, en, zh) in HOUSEHOLDS.items():
        nodes.append(Node(path, "share", en, zh, sector=sector, note="share of the population"))
    nodes += [
        Node("Supply", "category", "Energy supply", "能源供应"),
        Node(
            HEAT,
            "module",
            "Heat supply",
            "供热",
            sector="heating",
            fuel="heat",
            order=1,
            dispatch="share",
        ),
        Node(
            HEAT_GAS,
            "process",
            "Gas-fired boilers and CHP heat",
            "燃气锅炉及热电联产供热",
            fuel="natural_gas",
            order=1,
        ),
        Node(
            HEAT_PUMPS_PATH,
            "process",
            "Heat pumps and electric boilers",
            "热泵及电锅炉",
            fuel="electricity",
            order=2,
            note="its electricity is demand for Supply/Electricity (calculated after)",
        ),
        Node(
            ELEC,
            "module",
            "Electricity supply",
            "电力供应",
            sector="thermal_power",
            fuel="electricity",
            order=2,
            dispatch="merit",
            import_grid="CN-South",
            note="local plants in merit order; the shortfall is imported (外省调入)",
        ),
        Node(
            f"{ELEC}/Solar PV",
            "process",
            "Rooftop and distributed PV",
            "屋顶及分布式光伏",
            fuel="solar",
            order=1,
        ),
        Node(f"{ELEC}/Nuclear", "process", "Nuclear power", "核电", fuel="nuclear", order=2),
        Node(
            f"{ELEC}/Waste-to-energy",
            "process",
            "Waste-to-energy",
            "垃圾焚烧发电",
            fuel="municipal_wastes_biomass_fraction",
            order=3,
            note="the balance's 其他能源; only its CH4 and N2O are counted, as the inventory "
            "counts no CO2 for it",
        ),
        Node(f"{ELEC}/Gas", "process", "Gas-fired power", "燃气发电", fuel="natural_gas", order=4),
        Node("Sinks", "category", "Carbon sinks", "碳汇"),
        Node(
            FOREST,
            "sink",
            "Forests, parks and mangroves",
            "森林、公园绿地及红树林",
            sector="sinks",
            note="stock-difference method (IPCC 2006 Vol. 4 Ch. 4); illustrative stock",
        ),
        Node("Trade", "category", "Carbon trade", "碳交易"),
        Node(
            OFFSETS,
            "trade",
            "Offsets and allowances bought (local ETS, CCER)",
            "购买的核证减排量及地方碳市场配额",
            note="kept apart from physical emissions",
        ),
    ]
    return nodes


# --------------------------------------------------------------------------------------------
# Reading the 2023 data
# --------------------------------------------------------------------------------------------


@dataclass
class Data:
    """The 2023 numbers the Current Accounts are computed from (GJ unless said)."""

    gdp_constant: float  # 亿CNY, 2015 prices
    gdp_growth: float  # %
    population: float  # 万人
    va: dict[str, float]  # 亿CNY by branch
    clinker: float  # 万t
    clinker_co2_t_per_t: float
    clinker_factor_id: str
    final: dict[str, dict[str, float]]  # GJ by branch and fuel
    power_in: dict[str, float]  # GJ by fuel of the gas plants
    power_out: dict[str, float]  # GJ by process
    waste_in: float  # GJ
    heat_in: float  # GJ of natural gas
    heat_out: float  # GJ
    heat_losses: float  # GJ
    elec_final: float  # GJ
    elec_imports: float  # GJ (net inflow)
    elec_need: float  # GJ (local output + net inflow)
    grid_t_per_mwh: float
    grid_id: str
    urban_share: float  # %
    notes: list[str] = field(default_factory=list)


def read_inputs() -> tuple[Plan, Library]:
    """The plan's balance, series and settings (read from a copy without scenario tables)."""
    with tempfile.TemporaryDirectory() as tmp:
        for f in sorted(OUT_DIR.iterdir()):
            if f.name == "plan.toml" or f.name == "series.csv" or f.name.startswith("energy_"):
                shutil.copy(f, Path(tmp) / f.name)
        plan, problems = read_plan_lenient(tmp)
        if plan is None or problems:
            raise SystemExit(f"cannot read {OUT_DIR}: {problems}")
        library, more = services.library_for(plan)
        if library is None or more:
            raise SystemExit(f"no factor library: {more}")
    if plan.settings.sim_base_year != BASE:
        raise SystemExit(
            f"plan.toml: [settings] sim_base_year = {BASE} expected; run "
            "scripts/make_city_example.py first"
        )
    return plan, library


def series_value(plan: Plan, indicator: str) -> float:
    s = plan.series
    if s is None:
        raise SystemExit("series.csv is missing")
    row = s[(s["indicator"] == indicator) & (s["year"] == BASE)]
    if len(row) != 1:
        raise SystemExit(f"series.csv: no single {indicator} for {BASE}")
    return float(row["value"].iloc[0])


def read_data(plan: Plan, library: Library) -> Data:
    if plan.balances is None:
        raise SystemExit("no energy balance tables")
    gwp = gwp_for(library, plan.settings.gwp_set)
    resolver = resolver_for(library, gwp, plan.settings.co2_convention)
    inventory, _ = fuel_factors(plan, library, gwp)
    w = wide(plan.balances).loc[BASE]
    units_of = plan.balances.drop_duplicates("fuel").set_index("fuel")["unit"].to_dict()

    def gj(fuel: str) -> float:
        """GJ per printed unit: the NCV of the plan's factor sets, as the inventory uses it."""
        unit = str(units_of[fuel])
        if fuel in ("electricity", "heat", "other_energy"):
            return units.factor(unit, "GJ")
        r = resolver.recipe("stationary_combustion", fuel, unit)
        if r.error is not None:
            raise SystemExit(f"{fuel}: {r.error}")
        per_unit = r.unit_factor * r.ncv_base / 1e9
        sim = fx.combustion(resolver, gwp, fuel)
        if isinstance(sim, str):
            raise SystemExit(f"{fuel}: {sim}")
        inv = inventory[fuel].co2_per_unit
        if abs(per_unit * sim.co2 - inv) > 1e-9 * inv:
            raise SystemExit(f"{fuel}: GJ × factor per GJ ≠ the inventory's factor per {unit}")
        return per_unit

    def cell(item: str, fuel: str) -> float:
        return float(w.loc[fuel, item]) if fuel in w.index else 0.0

    fuels = [f for f in w.index if f not in ("other_energy",)]
    gdp = series_value(plan, "gdp")
    va_secondary = series_value(plan, "va_secondary")
    va_industry = series_value(plan, "va_industry")
    va_transport = gdp * TRANSPORT_VA_SHARE
    va_commerce = gdp * COMMERCE_VA_SHARE
    va = {
        "Demand/Agriculture": series_value(plan, "va_primary"),
        MANUFACTURING: va_industry,
        "Demand/Construction": va_secondary - va_industry,
        OTHER_TRANSPORT: va_transport,
        "Demand/Commerce": va_commerce,
        "Demand/Other": series_value(plan, "va_tertiary") - va_transport - va_commerce,
    }
    final: dict[str, dict[str, float]] = {}
    allocated: dict[str, float] = {}
    for path, (sector, _, _) in {**SECTOR_BRANCHES, **HOUSEHOLDS}.items():
        row: dict[str, float] = {}
        for fuel in fuels:
            qty = cell(sector, fuel)
            if sector == "industry":
                qty -= cell("industry_feedstock", fuel)  # non-energy use is not burnt
                if fuel == "raw_coal":
                    continue  # the cement kiln's
            if sector == "transport" and fuel == "gasoline":
                continue  # the passenger cars'
            if qty:
                row[fuel] = qty * gj(fuel)
                allocated[fuel] = allocated.get(fuel, 0.0) + qty
        final[path] = row
    final[CLINKER] = {"raw_coal": cell("industry", "raw_coal") * gj("raw_coal")}
    # Cars: the fleet's electric share follows from the gasoline they burn; their electricity
    # is taken from the rest of the sector's.
    vkm = CAR_STOCK * CAR_KM
    car_gasoline = cell("transport", "gasoline") * gj("gasoline")
    fleet_ev = 1.0 - car_gasoline * 1e3 / vkm / ICE_MJ_PER_KM
    car_electricity = fleet_ev * EV_MJ_PER_KM * vkm / 1e3
    final[CARS] = {"gasoline": car_gasoline, "electricity": car_electricity}
    final[OTHER_TRANSPORT]["electricity"] -= car_electricity
    allocated["raw_coal"] = allocated.get("raw_coal", 0.0) + cell("industry", "raw_coal")
    allocated["gasoline"] = allocated.get("gasoline", 0.0) + cell("transport", "gasoline")
    for fuel in fuels:  # every final use burnt is somewhere in the tree
        burnt = cell("final_consumption", fuel) - cell("industry_feedstock", fuel)
        if abs(allocated.get(fuel, 0.0) - burnt) > 1e-6:
            raise SystemExit(f"{fuel}: {allocated.get(fuel, 0.0)} allocated, {burnt} burnt")

    # Electricity: primary production split into nuclear and PV, thermal output into gas and
    # waste-to-energy, as the generator made them.
    e = gj("electricity")
    production = cell("production", "electricity") * e
    solar_share = city.SOLAR[-1] / (city.SOLAR[-1] + city.NUCLEAR[-1])
    waste_in = -cell("thermal_power", "other_energy") * gj("other_energy")
    waste_out = (
        -cell("thermal_power", "other_energy") * 1e7 / city.WASTE_KGCE_PER_KWH / 1e8 * e
    )  # 万tce → kgce → kWh → 亿kWh → GJ
    thermal_out = cell("thermal_power", "electricity") * e
    net_inflow = sum(
        cell(item, "electricity") for item in ("inflow", "imports", "outflow", "exports")
    )
    power_out = {
        "Solar PV": production * solar_share,
        "Nuclear": production * (1 - solar_share),
        "Waste-to-energy": waste_out,
        "Gas": thermal_out - waste_out,
    }
    power_in = {
        f: -cell("thermal_power", f) * gj(f)
        for f in fuels
        if cell("thermal_power", f) < 0 and f not in ("other_energy",)
    }
    found = fx.grid(resolver, plan.entity.grid_region, BASE)
    if isinstance(found, str):
        raise SystemExit(found)
    grid, tag = found
    notes = []
    if tag != "exact":
        notes.append(f"grid factor of {plan.entity.grid_region} for {BASE}: {grid.ids} ({tag})")
    process, _, _ = process_emissions(plan, library)
    p = process[(process["year"] == BASE) & (process["product"] == "cement_clinker")].iloc[0]
    clinker_t = float(p["amount"]) * units.factor(str(p["unit"]), "t")
    heat = gj("heat")
    return Data(
        gdp_constant=series_value(plan, "gdp_constant"),
        gdp_growth=series_value(plan, "gdp_index") - 100.0,
        population=series_value(plan, "population"),
        va=va,
        clinker=float(p["amount"]),
        clinker_co2_t_per_t=float(p["co2_t"]) / clinker_t,
        clinker_factor_id=str(p["factor_id"]),
        final=final,
        power_in=power_in,
        power_out=power_out,
        waste_in=waste_in,
        heat_in=-cell("heating", "natural_gas") * gj("natural_gas"),
        heat_out=cell("heating", "heat") * heat,
        heat_losses=cell("losses", "heat") * heat,
        elec_final=cell("final_consumption", "electricity") * e,
        elec_imports=net_inflow * e,
        elec_need=production + thermal_out + net_inflow * e,
        grid_t_per_mwh=grid.t_per_gj * 3.6,
        grid_id=grid.ids,
        urban_share=city.URBAN_SHARE[-1] * 100.0,
        notes=notes,
    )


# --------------------------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------------------------


def num(x: float) -> str:
    """A number as written in the tables: 7 significant digits, no trailing zeros."""
    if x == 0:
        return "0"
    text = f"{x:.7g}"
    if "e" in text:
        mantissa, exp = text.split("e")
        text = f"{float(mantissa):g}e{int(exp)}"
    return text


def interp(points: Sequence[tuple[int, float]]) -> str:
    return "Interp(" + ", ".join(f"{y}, {num(v)}" for y, v in points) + ")"


@dataclass
class Tables:
    rows: dict[str, list[dict[str, str]]] = field(default_factory=dict)

    def add(self, spec: TableSpec, **cells: object) -> None:
        unknown = set(cells) - set(spec.names)
        if unknown:
            raise ValueError(f"{spec.name}: unknown columns {sorted(unknown)}")
        row = {}
        for c in spec.names:
            v = cells.get(c)
            row[c] = "" if v is None else (num(v) if isinstance(v, float) else str(v))
        self.rows.setdefault(spec.name, []).append(row)

    def expr(
        self,
        owner: str,
        branch: str,
        variable: str,
        expression: str | float,
        *,
        fuel: str = "",
        gas: str = "",
        unit: str = "",
        note: str = "",
    ) -> None:
        """A row of expressions.csv; ``owner`` is current, a scenario or ``measure:<id>``."""
        scenario, measure = ("", owner[8:]) if owner.startswith("measure:") else (owner, "")
        text = num(expression) if isinstance(expression, float) else expression
        self.add(
            EXPRESSIONS,
            scenario=scenario,
            measure=measure,
            branch=branch,
            variable=variable,
            fuel=fuel,
            gas=gas,
            expression=text,
            unit=unit,
            note=note,
        )

    def text(self, spec: TableSpec) -> str:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(spec.names)
        for r in self.rows.get(spec.name, []):
            w.writerow([r[c] for c in spec.names])
        return buf.getvalue()


def steady_sales(stock: float, lifetime: float, shape: float) -> float:
    """Yearly sales that keep a Weibull fleet constant: stock / Σ_a S(a)."""
    ages = np.arange(int(lifetime * 4) + 1, dtype=np.float64)
    surv = survival_weibull(ages, np.asarray(lifetime), np.asarray(shape))
    return float(stock / surv.sum())


# --------------------------------------------------------------------------------------------
# Scenario assumptions (illustrative): paths as (year, value) points, read by Interp
# --------------------------------------------------------------------------------------------

Points = list[tuple[int, float]]
M0 = FIRST_MEASURE_YEAR

# Baseline: current trends, no new measures.
GDP_GROWTH: Points = [
    (2024, 5.0),
    (2025, 5.0),
    (2030, 4.5),
    (2035, 3.8),
    (2040, 3.2),
    (2050, 2.5),
    (2060, 1.8),
]  # % a year
POPULATION: Points = [(2030, 1790.0), (2035, 1800.0), (2045, 1800.0), (2060, 1770.0)]  # 万人
URBAN_SHARE: Points = [(2035, 98.5)]  # %
EV_SALES_BASELINE: Points = [(2030, 55.0), (2060, 70.0)]  # % of car sales
CLINKER_BASELINE: Points = [(2030, 65.0), (2040, 50.0), (2060, 35.0)]  # 万t
PV_BASELINE: Points = [(2030, 2500.0), (2060, 4000.0)]  # MW
ICE_NEW: Points = [(BASE, ICE_MJ_PER_KM), (2035, 2.2), (2060, 2.0)]  # MJ/km, new gasoline car
EV_NEW: Points = [(BASE, EV_MJ_PER_KM), (2060, 0.5)]  # MJ/km, new electric car
CAR_SALES_GROWTH: Points = [(2030, 1.05), (2060, 1.1)]  # × steady-state sales (plate quota)
# Elasticity of each sector's value added to GDP: services grow faster than industry.
ELASTICITY = {
    "Demand/Agriculture": 0.2,
    MANUFACTURING: 0.85,
    "Demand/Construction": 0.5,
    OTHER_TRANSPORT: 1.0,
    "Demand/Commerce": 1.05,
    "Demand/Other": 1.1,
}
# Autonomous change of final energy intensities, % a year: (fossil fuels, electricity, heat).
TRENDS: dict[str, tuple[float, float, float]] = {
    "Demand/Agriculture": (-1.0, 0.0, 0.0),
    MANUFACTURING: (-1.5, -1.0, -1.5),
    "Demand/Construction": (-1.0, -0.5, 0.0),
    OTHER_TRANSPORT: (-1.0, 0.0, 0.0),
    "Demand/Commerce": (-1.0, -0.5, -1.0),
    "Demand/Other": (-1.0, -0.5, -1.0),
    "Demand/Residential/Urban": (0.0, 0.0, 0.0),
    "Demand/Residential/Rural": (0.0, 0.0, 0.0),
}
HOUSEHOLD_ELECTRICITY = "Growth(2%, 2030, 1%, 2040, 0.5%)"  # rising incomes
LPG_TREND = -3.0  # LPG gives way to piped gas in homes, shops and offices

# Policy measures (the Shenzhen case of SOURCES.md). Factors multiply the inherited value
# (1 in 2023); other paths are levels.
INDUSTRY: Points = [(M0, 0.97), (2030, 0.8), (2040, 0.68), (2060, 0.55)]
CLINKER_POLICY: Points = [(M0, 75.0), (2030, 40.0), (2035, 15.0), (2040, 0.0)]  # 万t
BUILDING: Points = [(M0, 0.98), (2030, 0.88), (2040, 0.8), (2060, 0.7)]
EV_SALES: Points = [(M0, 65.0), (2030, 95.0), (2035, 100.0)]  # % of car sales
PRIVATE_CARS: Points = [(M0, 0.95), (2030, 0.65), (2040, 0.25), (2050, 0.05), (2060, 0.0)]
TRUCKS: Points = [(M0, 0.95), (2030, 0.75), (2040, 0.4), (2050, 0.1), (2055, 0.0)]
PV: Points = [(M0, 2500.0), (2030, 5000.0), (2040, 8000.0), (2060, 12000.0)]  # MW
KILN_COAL: Points = [(M0, 1.0), (2030, 0.0)]
IMPORT_FACTOR: Points = [
    (M0, 0.50),
    (2030, 0.32),
    (2035, 0.26),
    (2040, 0.20),
    (2050, 0.10),
    (2060, 0.05),
]  # t CO2/MWh
FOREST_ADDED: Points = [(BASE, 0.0), (BASE + 1, 0.0), (2030, 150_000.0), (2060, 1_500_000.0)]
LOCAL_ETS: Points = [(BASE, 0.0), (M0, 0.0), (2030, 1e6), (2040, 2e6), (2060, 2e6)]  # t CO2e

# Enhanced measures, on top of the policy ones.
ZERO_IMPORTS: Points = [
    (M0, 0.50),
    (2030, 0.30),
    (2035, 0.18),
    (2040, 0.10),
    (2045, 0.04),
    (2050, 0.0),
]  # t CO2/MWh
HYDROGEN_POWER: Points = [(BASE, 0.0), (2030, 0.0), (2040, 30.0), (2050, 100.0)]  # % of input
INDUSTRY_PLUS: Points = [(M0, 1.0), (2030, 0.95), (2040, 0.85)]
BUILDING_PLUS: Points = [(M0, 1.0), (2030, 0.96), (2040, 0.9)]
DEEP: Points = [(M0, 1.0), (2030, 0.85), (2040, 0.5), (2050, 0.15), (2060, 0.0)]
HEAT_PUMPS: Points = [
    (BASE, 0.0),
    (M0, 0.0),
    (2030, 10.0),
    (2040, 50.0),
    (2050, 90.0),
    (2055, 100.0),
]  # % of heat
CLEAN_FUELS: Points = [(M0, 1.0), (2030, 0.95), (2040, 0.6), (2050, 0.2), (2055, 0.0)]
BLUE_CARBON: Points = [(BASE, 0.0), (BASE + 1, 0.0), (2030, 100_000.0), (2060, 1_600_000.0)]
FUND: Points = [(BASE, 0.0), (M0, 0.0), (2030, 5e5), (2040, 2e6), (2050, 1e6), (2060, 0.0)]


def factor(points: Points) -> str:
    """A factor moving from 1 in the base year along ``points``."""
    return interp([(BASE, 1.0), *points])


def scaled(points: Points) -> str:
    """The inherited value times :func:`factor`."""
    return f"Inherited * {factor(points)}"


def growth(rate_pct: float) -> str:
    return f"Growth({num(rate_pct)}%)"


def compound(rate_pct: float) -> str:
    """The baseline trend as a formula of the year (for the electricity that replaces a fuel)."""
    return f"{num(1 + rate_pct / 100)}^(Year - {BASE})" if rate_pct else "1"


def at(points: Points, year: int) -> float:
    """The value of a path in ``year`` (linear between points, from 1 in the base year)."""
    years = [BASE, *(y for y, _ in points)] if points[0][0] > BASE else [y for y, _ in points]
    values = [1.0, *(v for _, v in points)] if points[0][0] > BASE else [v for _, v in points]
    return float(np.interp(year, years, values))


def cut(points: Points, *years: int) -> str:
    """``−20 % by 2030, −45 % by 2060`` for a factor path."""
    return ", ".join(f"{(at(points, y) - 1) * 100:+.0f} % by {y}" for y in years).replace("-", "−")


def show(v: float) -> str:
    """A value for a note: whole numbers grouped by thousands (1 500 000)."""
    return f"{round(v):,}".replace(",", "\u2009") if float(v).is_integer() else num(v)


def levels(points: Points, unit: str, *years: int) -> str:
    return ", ".join(f"{show(at(points, y))} {unit} by {y}" for y in years)


def trend_of(branch: str, fuel: str) -> float:
    fossil, elec, heat = TRENDS[branch]
    if fuel == "electricity":
        return elec
    if fuel == "heat":
        return heat
    if fuel == "lpg" and branch in BUILDINGS:
        return LPG_TREND
    return fossil


def intensity_unit(branch: str) -> str:
    return "GJ/person" if branch in HOUSEHOLDS else PER_VA


def per_activity(d: Data, branch: str) -> float:
    """Activity of a branch in the unit its intensity is per (万CNY or person)."""
    if branch in HOUSEHOLDS:
        share = d.urban_share if branch.endswith("Urban") else 100.0 - d.urban_share
        return d.population * 1e4 * share / 100.0
    return d.va[branch] * 1e4


@dataclass(frozen=True)
class Measure:
    id: str
    lever: str
    name: str
    name_zh: str
    note: str


POLICY_MEASURES = (
    Measure(
        "industry_upgrade",
        "reduce",
        "Strategic emerging industries and low-carbon parks",
        "战略性新兴产业与低碳园区",
        f"energy per value added of industry {cut(INDUSTRY, 2030, 2060)} beyond the "
        f"baseline; clinker output {levels(CLINKER_POLICY, '万t', 2030, 2040)}",
    ),
    Measure(
        "building_efficiency",
        "reduce",
        "Green buildings and efficient cooling",
        "绿色建筑与高效制冷",
        f"electricity, gas, LPG and heat per unit of activity in commerce, services and "
        f"homes {cut(BUILDING, 2030, 2060)}",
    ),
    Measure(
        "transport_electrification",
        "replace",
        "Electric buses, taxis and new-energy vehicles",
        "公交、出租车电动化与新能源汽车",
        f"electric share of car sales {levels(EV_SALES, '%', 2030, 2035)}; private cars' "
        f"gasoline {cut(PRIVATE_CARS, 2030, 2050)} and trucks' and buses' diesel "
        f"{cut(TRUCKS, 2030, 2050)}, replaced by electricity",
    ),
    Measure(
        "rooftop_pv",
        "replace",
        "Rooftop PV and distributed energy",
        "屋顶光伏与分布式能源",
        f"PV capacity {levels(PV, 'MW', 2030, 2060)}",
    ),
    Measure(
        "coal_to_gas",
        "replace",
        "Gas replaces coal in the cement kiln",
        "水泥窑以气代煤",
        "the last coal user burns natural gas by 2030 (the coal power plant closed in 2021)",
    ),
    Measure(
        "clean_imports",
        "replace",
        "Cleaner imported electricity",
        "外调电力低碳化",
        "ASSUMPTION about the southern grid: imports at "
        f"{levels(IMPORT_FACTOR, 't CO2/MWh', 2030, 2050, 2060)}",
    ),
    Measure(
        "forest_sinks",
        "absorb",
        "Urban forests and greening",
        "城市森林与绿化增汇",
        f"carbon stock added: {levels(FOREST_ADDED, 't C', 2030, 2060)}",
    ),
    Measure(
        "local_ets",
        "trade",
        "Local ETS and carbon offsets",
        "地方碳市场与碳抵消",
        f"offsets bought through the local ETS: {levels(LOCAL_ETS, 't CO2e/yr', 2030, 2040)}",
    ),
)
ENHANCED_MEASURES = (
    Measure(
        "zero_carbon_power",
        "replace",
        "Zero-carbon power",
        "零碳电力",
        f"ASSUMPTION: imports at {levels(ZERO_IMPORTS, 't CO2/MWh', 2030, 2040, 2050)} "
        "(green power of the southern grid and contracts); gas plants fired with hydrogen "
        f"({levels(HYDROGEN_POWER, '%', 2040, 2050)} of their input)",
    ),
    Measure(
        "efficiency_plus",
        "reduce",
        "Extreme efficiency in industry and buildings",
        "极致能效",
        f"industry {cut(INDUSTRY_PLUS, 2040)} and buildings' electricity "
        f"{cut(BUILDING_PLUS, 2040)} beyond the policy scenario",
    ),
    Measure(
        "deep_electrification",
        "replace",
        "Deep electrification of buildings and industry",
        "建筑与工业深度电气化",
        f"fuels burnt in buildings, industry, agriculture and construction "
        f"{cut(DEEP, 2040, 2050, 2060)}, replaced by electricity; heat pumps make "
        f"{levels(HEAT_PUMPS, '%', 2040, 2055)} of the heat",
    ),
    Measure(
        "clean_fuels",
        "replace",
        "Sustainable aviation and shipping fuels",
        "可持续航空燃料与绿色航运",
        f"jet fuel, ship fuel, LNG and LPG in transport {cut(CLEAN_FUELS, 2040, 2055)}, "
        "replaced by sustainable aviation fuel and hydrogen-based fuels",
    ),
    Measure(
        "blue_carbon",
        "absorb",
        "Mangroves and blue carbon",
        "红树林与蓝碳",
        f"carbon stock added: {levels(BLUE_CARBON, 't C', 2030, 2060)}",
    ),
    Measure(
        "neutrality_fund",
        "trade",
        "Carbon-neutrality fund and green finance",
        "碳中和基金与绿色金融",
        f"offsets bought: {levels(FUND, 't CO2e/yr', 2030, 2040, 2050)}",
    ),
)


def build(d: Data) -> Tables:
    """Every table, in the order a reader meets them."""
    t = Tables()
    structure(t)
    current_accounts(t, d)
    baseline(t, d)
    policy_measures(t, d)
    enhanced_measures(t, d)
    uncertainty(t)
    return t


def structure(t: Tables) -> None:
    """Branches, drivers, measures and scenarios."""
    for n in tree():
        t.add(
            BRANCHES,
            branch=n.path,
            kind=n.kind,
            unit=n.unit,
            sector=n.sector,
            fuel=n.fuel,
            order=n.order,
            dispatch=n.dispatch,
            import_grid=n.import_grid,
            name=n.name,
            name_zh=n.name_zh,
            note=n.note,
        )

    # -- drivers, scenarios, measures ---------------------------------------------------------
    t.add(
        DRIVERS,
        driver="gdp",
        unit=VA,
        name="GDP at 2015 prices",
        name_zh="地区生产总值（2015年价）",
        note="series.csv gdp_constant",
    )
    t.add(
        DRIVERS,
        driver="gdp_growth",
        unit="%",
        name="Real GDP growth",
        name_zh="GDP实际增速",
        note="series.csv gdp_index − 100; drives gdp",
    )
    t.add(
        DRIVERS,
        driver="population",
        unit=PEOPLE,
        name="Population (year-end)",
        name_zh="年末常住人口",
        note="series.csv population (万人)",
    )
    t.add(
        DRIVERS,
        driver="ev_sales_share",
        unit="%",
        name="Electric share of car sales",
        name_zh="新能源车销售占比",
        note="illustrative",
    )
    for ms in (*POLICY_MEASURES, *ENHANCED_MEASURES):
        t.add(
            MEASURES, measure=ms.id, lever=ms.lever, name=ms.name, name_zh=ms.name_zh, note=ms.note
        )
    t.add(
        SCENARIOS,
        scenario="baseline",
        parents="",
        measures="",
        kind="baseline",
        name="Baseline: current trends",
        name_zh="基准情景（延续现有趋势）",
        note=f"real GDP growth {num(GDP_GROWTH[0][1])} % slowing to "
        f"{num(GDP_GROWTH[-1][1])} %; population plateau at 18 million; autonomous "
        "efficiency gains; grid factor of imports held; no new measures",
    )
    t.add(
        SCENARIOS,
        scenario="policy",
        parents="baseline",
        measures=",".join(ms.id for ms in POLICY_MEASURES),
        kind="policy",
        name="Policy: peak by 2025",
        name_zh="政策情景（2025年前后达峰）",
        note="peak around 2025 and about 15 % below the peak by 2030, after the Shenzhen "
        "case (SOURCES.md)",
    )
    t.add(
        SCENARIOS,
        scenario="enhanced",
        parents="policy",
        measures=",".join(ms.id for ms in ENHANCED_MEASURES),
        kind="enhanced",
        name="Enhanced: neutrality before 2060",
        name_zh="强化情景（2060年前碳中和）",
        note="the policy measures and deeper ones: net emissions ≤ 0 before 2060",
    )


def car_sales() -> float:
    return float(round(steady_sales(CAR_STOCK, CAR_LIFETIME, CAR_SHAPE)))


def current_accounts(t: Tables, d: Data) -> None:
    """The 2023 values, from the balance and the series (and the stated assumptions)."""
    cur = "current"
    t.expr(cur, "Key/gdp", "value", d.gdp_constant, note="series.csv gdp_constant 2023")
    t.expr(cur, "Key/gdp_growth", "value", d.gdp_growth, note="series.csv gdp_index 2023 − 100")
    t.expr(cur, "Key/population", "value", d.population, note="series.csv population 2023")
    t.expr(cur, "Key/ev_sales_share", "value", EV_SALES_SHARE, note="illustrative")
    va_notes = {
        "Demand/Agriculture": "series.csv va_primary",
        MANUFACTURING: "series.csv va_industry",
        "Demand/Construction": "series.csv va_secondary − va_industry",
        OTHER_TRANSPORT: f"illustrative: {TRANSPORT_VA_SHARE:.1%} of GDP",
        "Demand/Commerce": f"illustrative: {COMMERCE_VA_SHARE:.1%} of GDP",
        "Demand/Other": "series.csv va_tertiary − transport − commerce",
    }
    for branch, value in d.va.items():
        t.expr(cur, branch, "activity", value, note=f"{va_notes[branch]}, 2023 current prices")
    t.expr(cur, CLINKER, "activity", d.clinker, note="series.csv output_cement_clinker 2023")
    t.expr(
        cur,
        CLINKER,
        "intensity",
        d.final[CLINKER]["raw_coal"] / (d.clinker * 1e4),
        fuel="raw_coal",
        unit="GJ/t",
        note="energy_balance_2023 工业 原煤 (the kiln's)",
    )
    t.expr(
        cur,
        CLINKER,
        "process_ef",
        d.clinker_co2_t_per_t,
        gas="CO2",
        unit="t/t",
        note=d.clinker_factor_id,
    )
    t.expr(cur, "Demand/Residential", "activity", "Key\\population")
    t.expr(
        cur,
        "Demand/Residential/Urban",
        "activity",
        d.urban_share,
        note="the balance's urban share of residential use (illustrative)",
    )
    t.expr(cur, "Demand/Residential/Rural", "activity", "Remainder(100)")
    for branch in [*SECTOR_BRANCHES, *HOUSEHOLDS]:
        for fuel, value in d.final[branch].items():
            note = "energy_balance_2023 / activity"
            if branch == OTHER_TRANSPORT and fuel == "electricity":
                note = "energy_balance_2023 less the passenger cars' / activity"
            t.expr(
                cur,
                branch,
                "intensity",
                value / per_activity(d, branch),
                fuel=fuel,
                unit=intensity_unit(branch),
                note=note,
            )

    # Cars: the fleet's electric share follows from the sector's gasoline (read_data).
    vkm = CAR_STOCK * CAR_KM
    fleet_ev = d.final[CARS]["electricity"] * 1e3 / vkm / EV_MJ_PER_KM
    sales = car_sales()
    t.expr(cur, CARS, "stock", CAR_STOCK, note="illustrative")
    t.expr(cur, CARS, "sales", sales, note="steady-state replacement")
    t.expr(cur, CARS, "lifetime", CAR_LIFETIME, unit="year", note="illustrative")
    t.expr(cur, CARS, "shape", CAR_SHAPE, note="Weibull shape, illustrative")
    t.expr(cur, CARS, "usage", CAR_KM, unit="km", note="km per vehicle and year, illustrative")
    t.expr(
        cur,
        CARS,
        "intensity",
        d.final[CARS]["gasoline"] * 1e3 / vkm,
        fuel="gasoline",
        unit="MJ/km",
        note="fleet average: the sector's 2023 gasoline / vehicle-km",
    )
    t.expr(
        cur,
        CARS,
        "intensity",
        d.final[CARS]["electricity"] * 1e3 / vkm,
        fuel="electricity",
        unit="MJ/km",
        note=f"fleet average: {fleet_ev:.1%} of the km electric at {EV_MJ_PER_KM} MJ/km",
    )

    # Heat.
    t.expr(
        cur,
        HEAT,
        "losses",
        d.heat_losses / d.heat_out * 100.0,
        unit="%",
        note="energy_balance_2023 损失量 / 供热 output",
    )
    t.expr(
        cur,
        HEAT_GAS,
        "efficiency",
        d.heat_out / d.heat_in * 100.0,
        unit="%",
        note="energy_balance_2023 供热: heat out / gas in",
    )
    t.expr(cur, HEAT_GAS, "share", 100.0, unit="%")
    t.expr(
        cur,
        HEAT_PUMPS_PATH,
        "efficiency",
        HEAT_PUMP_EFFICIENCY,
        unit="%",
        note="illustrative seasonal COP",
    )
    t.expr(cur, HEAT_PUMPS_PATH, "share", 0.0, unit="%")

    # Electricity.
    t.expr(
        cur,
        ELEC,
        "losses",
        (1.0 - d.elec_final / d.elec_need) * 100.0,
        unit="%",
        note="energy_balance_2023: 1 − final / (local output + net inflow); includes the "
        "statistical difference",
    )
    t.expr(
        cur,
        ELEC,
        "import_factor",
        d.grid_t_per_mwh,
        unit="t/MWh",
        note=f"= {d.grid_id}, the factor the inventory uses for CN-South in 2023 (given "
        "because measures change it)",
    )
    total_in = sum(d.power_in.values())
    for proc, out in d.power_out.items():
        path = f"{ELEC}/{proc}"
        cap = CAPACITY_MW[proc]
        t.expr(cur, path, "capacity", cap, unit="MW", note="illustrative")
        t.expr(
            cur,
            path,
            "availability",
            out / 3.6 / (cap * 8760.0) * 100.0,
            unit="%",
            note="2023 output / (capacity × 8760 h)",
        )
        if proc == "Gas":
            t.expr(
                cur,
                path,
                "efficiency",
                out / total_in * 100.0,
                unit="%",
                note="energy_balance_2023 火力发电: output less waste-to-energy's / gas and LNG in",
            )
            for fuel, gj in d.power_in.items():
                t.expr(cur, path, "input_share", gj / total_in * 100.0, fuel=fuel, unit="%")
        elif proc == "Waste-to-energy":
            t.expr(
                cur,
                path,
                "efficiency",
                out / d.waste_in * 100.0,
                unit="%",
                note=f"其他能源 in; output at {city.WASTE_KGCE_PER_KWH} kgce/kWh",
            )
        else:
            t.expr(
                cur,
                path,
                "efficiency",
                100.0,
                unit="%",
                note="primary electricity at its calorific value, as in the balance",
            )

    # Sink and trade.
    t.expr(
        cur,
        FOREST,
        "carbon_stock",
        f"{num(FOREST_C_T)} + {num(FOREST_GROWTH_T)} * (Year - {BASE})",
        unit="t",
        note="t C; illustrative: 80 000 ha × 65 t C/ha, +1.25 t C/ha/yr",
    )
    t.expr(cur, OFFSETS, "offsets", 0.0, unit="t", note="t CO2e/yr")


def baseline(t: Tables, d: Data) -> None:
    """Current trends: growth, autonomous efficiency, no new measures."""
    base = "baseline"
    sales = car_sales()
    t.expr(base, "Key/gdp_growth", "value", interp(GDP_GROWTH), note="illustrative")
    t.expr(base, "Key/gdp", "value", "Growth(Key\\gdp_growth / 100)")
    t.expr(base, "Key/population", "value", interp(POPULATION), note="illustrative plateau")
    t.expr(
        base,
        "Key/ev_sales_share",
        "value",
        interp(EV_SALES_BASELINE),
        note="illustrative market trend",
    )
    for branch, e in ELASTICITY.items():
        t.expr(
            base,
            branch,
            "activity",
            f"GrowthAs(gdp, {num(e)})",
            note="illustrative elasticity to GDP",
        )
    t.expr(base, CLINKER, "activity", interp(CLINKER_BASELINE), note="illustrative")
    t.expr(base, "Demand/Residential/Urban", "activity", interp(URBAN_SHARE))
    for branch in [*SECTOR_BRANCHES, *HOUSEHOLDS]:
        for fuel in d.final[branch]:
            text = growth(trend_of(branch, fuel))
            if branch in HOUSEHOLDS and fuel == "electricity":
                text = HOUSEHOLD_ELECTRICITY
            t.expr(base, branch, "intensity", text, fuel=fuel, note="illustrative trend")
    t.expr(
        base,
        CARS,
        "sales",
        interp([(y, round(sales * f)) for y, f in CAR_SALES_GROWTH]),
        note="illustrative: a slowly growing fleet (plate quota)",
    )
    t.expr(
        base,
        CARS,
        "intensity",
        f"(1 - Key\\ev_sales_share / 100) * {interp(ICE_NEW)}",
        fuel="gasoline",
        note="cars sold in the year: gasoline share of sales × MJ/km of a gasoline car",
    )
    t.expr(
        base,
        CARS,
        "intensity",
        f"Key\\ev_sales_share / 100 * {interp(EV_NEW)}",
        fuel="electricity",
        note="cars sold in the year: electric share of sales × MJ/km of an electric car",
    )
    t.expr(
        base,
        f"{ELEC}/Solar PV",
        "capacity",
        interp(PV_BASELINE),
        note="illustrative trend without new policy",
    )


def policy_measures(t: Tables, d: Data) -> None:
    """The measures of the policy scenario (the Shenzhen case)."""
    m = "measure:industry_upgrade"
    for fuel in d.final[MANUFACTURING]:
        t.expr(m, MANUFACTURING, "intensity", scaled(INDUSTRY), fuel=fuel)
    t.expr(m, CLINKER, "activity", interp(CLINKER_POLICY), note="the kiln winds down")

    m = "measure:building_efficiency"
    for branch in BUILDINGS:
        for fuel in d.final[branch]:
            if fuel in ("electricity", "natural_gas", "lpg", "heat"):
                t.expr(m, branch, "intensity", scaled(BUILDING), fuel=fuel)

    m = "measure:transport_electrification"
    t.expr(m, "Key/ev_sales_share", "value", interp(EV_SALES))
    for branch in HOUSEHOLDS:  # private cars burn the households' gasoline
        g0 = d.final[branch]["gasoline"] / per_activity(d, branch)
        t.expr(
            m,
            branch,
            "intensity",
            scaled(PRIVATE_CARS),
            fuel="gasoline",
            note="private cars electrified",
        )
        t.expr(
            m,
            branch,
            "intensity",
            f"Inherited + {num(g0 * ELEC_PER_GASOLINE)} * (1 - {factor(PRIVATE_CARS)})",
            fuel="electricity",
            note="the electrified private cars' electricity",
        )
    d0 = d.final[OTHER_TRANSPORT]["diesel"] / per_activity(d, OTHER_TRANSPORT)
    rate = trend_of(OTHER_TRANSPORT, "diesel")
    t.expr(
        m,
        OTHER_TRANSPORT,
        "intensity",
        scaled(TRUCKS),
        fuel="diesel",
        note="electric trucks, buses and port machinery",
    )
    t.expr(
        m,
        OTHER_TRANSPORT,
        "intensity",
        f"Inherited + {num(d0 * ELEC_PER_DIESEL)} * {compound(rate)} * (1 - {factor(TRUCKS)})",
        fuel="electricity",
        note="the electrified trucks' and buses' electricity",
    )

    m = "measure:rooftop_pv"
    t.expr(m, f"{ELEC}/Solar PV", "capacity", interp(PV), note="illustrative")

    m = "measure:coal_to_gas"
    coal0 = d.final[CLINKER]["raw_coal"] / (d.clinker * 1e4)
    t.expr(m, CLINKER, "intensity", scaled(KILN_COAL), fuel="raw_coal")
    t.expr(
        m,
        CLINKER,
        "intensity",
        f"{num(coal0)} * (1 - {factor(KILN_COAL)})",
        fuel="natural_gas",
        unit="GJ/t",
        note="the same heat from gas",
    )

    m = "measure:clean_imports"
    t.expr(
        m,
        ELEC,
        "import_factor",
        interp(IMPORT_FACTOR),
        unit="t/MWh",
        note="ASSUMPTION about the southern grid (cn-mee-grid has 0.3869 for CN-South in 2022)",
    )

    m = "measure:forest_sinks"
    t.expr(
        m,
        FOREST,
        "carbon_stock",
        f"Inherited + {interp(FOREST_ADDED)}",
        unit="t",
        note="t C added by new forests and urban greening",
    )

    m = "measure:local_ets"
    t.expr(
        m,
        OFFSETS,
        "offsets",
        interp(LOCAL_ETS),
        unit="t",
        note="t CO2e/yr bought through the local ETS (illustrative)",
    )


def enhanced_measures(t: Tables, d: Data) -> None:
    """The further measures of the enhanced scenario."""
    total_in = sum(d.power_in.values())
    m = "measure:zero_carbon_power"
    t.expr(
        m,
        ELEC,
        "import_factor",
        f"Min(Inherited, {interp(ZERO_IMPORTS)})",
        unit="t/MWh",
        note="ASSUMPTION: green power of the southern grid and contracts",
    )
    h2 = interp(HYDROGEN_POWER)
    for fuel, gj in d.power_in.items():
        t.expr(
            m,
            f"{ELEC}/Gas",
            "input_share",
            f"{num(gj / total_in * 100)} * (1 - {h2} / 100)",
            fuel=fuel,
            unit="%",
        )
    t.expr(
        m,
        f"{ELEC}/Gas",
        "input_share",
        h2,
        fuel="hydrogen",
        unit="%",
        note="green hydrogen brought in (no emissions where it is burnt)",
    )

    m = "measure:efficiency_plus"
    for fuel in d.final[MANUFACTURING]:
        t.expr(m, MANUFACTURING, "intensity", scaled(INDUSTRY_PLUS), fuel=fuel)
    for branch in BUILDINGS:
        t.expr(m, branch, "intensity", scaled(BUILDING_PLUS), fuel="electricity")

    m = "measure:deep_electrification"
    for branch in [*SECTOR_BRANCHES, *HOUSEHOLDS]:
        if branch == OTHER_TRANSPORT:
            continue  # see clean_fuels
        added = []
        for fuel, gj in d.final[branch].items():
            if fuel in ("electricity", "heat") or (branch in HOUSEHOLDS and fuel == "gasoline"):
                continue  # heat: heat pumps below; private cars: transport_electrification
            t.expr(m, branch, "intensity", scaled(DEEP), fuel=fuel)
            # The fuel's intensity without this measure: the baseline trend times the policy
            # measures on it (industry_upgrade, building_efficiency, efficiency_plus).
            parts = [
                num(gj / per_activity(d, branch) * ELEC_PER_GAS),
                compound(trend_of(branch, fuel)),
            ]
            if branch == MANUFACTURING:
                parts += [factor(INDUSTRY), factor(INDUSTRY_PLUS)]
            elif branch in BUILDINGS and fuel in ("natural_gas", "lpg"):
                parts.append(factor(BUILDING))
            added.append(" * ".join(p for p in parts if p != "1"))
        if added:
            t.expr(
                m,
                branch,
                "intensity",
                f"Inherited + ({' + '.join(added)}) * (1 - {factor(DEEP)})",
                fuel="electricity",
                note="electricity replacing the fuels above",
            )
    t.expr(m, HEAT_PUMPS_PATH, "share", interp(HEAT_PUMPS), unit="%")
    t.expr(m, HEAT_GAS, "share", f"100 - {interp(HEAT_PUMPS)}", unit="%")

    m = "measure:clean_fuels"
    per = per_activity(d, OTHER_TRANSPORT)
    rate = trend_of(OTHER_TRANSPORT, "kerosene")
    replaced: dict[str, float] = {}
    for fuel, to in (
        ("kerosene", "other_liquid_biofuels"),
        ("fuel_oil", "hydrogen"),
        ("lng", "hydrogen"),
        ("lpg", "hydrogen"),
        ("natural_gas", "hydrogen"),
        ("other_petroleum_products", "other_liquid_biofuels"),
    ):
        if fuel in d.final[OTHER_TRANSPORT]:
            t.expr(m, OTHER_TRANSPORT, "intensity", scaled(CLEAN_FUELS), fuel=fuel)
            replaced[to] = replaced.get(to, 0.0) + d.final[OTHER_TRANSPORT][fuel] / per
    what = {
        "other_liquid_biofuels": "sustainable aviation fuel and bio-lubricants (biogenic CO2 "
        "not counted)",
        "hydrogen": "hydrogen-based ship and truck fuels (no emissions where burnt)",
    }
    for to, x0 in replaced.items():
        t.expr(
            m,
            OTHER_TRANSPORT,
            "intensity",
            f"{num(x0)} * {compound(rate)} * (1 - {factor(CLEAN_FUELS)})",
            fuel=to,
            unit=PER_VA,
            note=what[to],
        )

    m = "measure:blue_carbon"
    t.expr(
        m,
        FOREST,
        "carbon_stock",
        f"Inherited + {interp(BLUE_CARBON)}",
        unit="t",
        note="t C added by mangroves and coastal wetlands",
    )

    m = "measure:neutrality_fund"
    t.expr(
        m,
        OFFSETS,
        "offsets",
        f"Inherited + {interp(FUND)}",
        unit="t",
        note="t CO2e/yr bought with the carbon-neutrality fund",
    )


def uncertainty(t: Tables) -> None:
    """Illustrative spreads for the Monte Carlo run (multipliers around 1)."""
    t.add(
        UNCERTAINTY,
        target="Key/gdp_growth",
        distribution="normal",
        p1=0.2,
        note="real growth rate ±20 % (1 sd), illustrative",
    )
    t.add(
        UNCERTAINTY,
        target="factor:natural_gas",
        distribution="normal",
        p1=0.02,
        note="CO2 factor of natural gas ±2 % (1 sd), illustrative",
    )
    t.add(
        UNCERTAINTY,
        target=f"{ELEC}:import_factor",
        distribution="lognormal",
        p1=0.15,
        note="carbon intensity of imported electricity, log-sd 0.15, illustrative",
    )
    t.add(
        UNCERTAINTY,
        target=f"{CARS}:usage",
        distribution="triangular",
        p1=0.85,
        p2=1.0,
        p3=1.1,
        note="km per car, illustrative",
    )
    t.add(
        UNCERTAINTY,
        target=f"{FOREST}:carbon_stock",
        distribution="uniform",
        p1=0.8,
        p2=1.2,
        note="forest carbon stock ±20 %, illustrative",
    )


FILES = (DRIVERS, BRANCHES, SCENARIOS, MEASURES, EXPRESSIONS, UNCERTAINTY)


def main() -> None:
    plan, library = read_inputs()
    data = read_data(plan, library)
    tables = build(data)
    for spec in FILES:
        (OUT_DIR / f"{spec.name}.csv").write_text(tables.text(spec), encoding="utf-8")
    for note in data.notes:
        print(note)
    n = sum(len(tables.rows.get(s.name, [])) for s in FILES)
    print(f"wrote {len(FILES)} tables ({n} rows) to {OUT_DIR}")


if __name__ == "__main__":
    main()
