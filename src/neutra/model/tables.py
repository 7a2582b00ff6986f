"""The plan's tables, declared once as data: columns, kinds, whether required, meaning.

Readers, validation, exporters and the docs all read these declarations.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["str", "int", "float", "bool"]


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a plan table."""

    name: str
    kind: Kind
    required: bool
    description: str
    minimum: float | None = None
    maximum: float | None = None


@dataclass(frozen=True, slots=True)
class TableSpec:
    """A plan table: its file stem (``activity`` → ``activity.csv`` / sheet ``activity``)."""

    name: str
    columns: tuple[Column, ...]
    description: str

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


ACTIVITY = TableSpec(
    "activity",
    (
        Column("facility", "str", True, "facility id (from facilities.csv, if given)"),
        Column("year", "int", True, "reporting year", 1900, 2200),
        Column("scope", "int", True, "GHG Protocol scope: 1, 2 or 3", 1, 3),
        Column(
            "category", "str", True, "source category, e.g. stationary_combustion, electricity, 4"
        ),
        Column("activity", "str", True, "fuel or activity id from the plan's factor sets"),
        Column("amount", "float", True, "activity amount, ≥ 0", 0.0, None),
        Column("unit", "str", True, "unit of amount, e.g. t, 万Nm3, MWh, 亿kWh, t*km"),
        Column("month", "int", False, "month 1–12 for monthly data", 1, 12),
        Column(
            "ncv", "float", False, "measured net calorific value (overrides the default)", 0.0, None
        ),
        Column("ncv_unit", "str", False, "unit of ncv, e.g. GJ/t, GJ/10^4Nm3, kJ/kg"),
        Column(
            "carbon_content",
            "float",
            False,
            "measured carbon content, t C/TJ (= kg C/GJ)",
            0.0,
            None,
        ),
        Column("oxidation", "float", False, "measured oxidation factor, fraction 0–1", 0.0, 1.0),
        Column("tier", "int", False, "IPCC tier of the activity data: 1, 2 or 3", 1, 3),
        Column(
            "uncertainty_pct",
            "float",
            False,
            "activity-data uncertainty, ± % at 95 % confidence",
            0.0,
            1000.0,
        ),
        Column("evidence", "str", False, "where the number comes from (meter, invoice, …)"),
        Column("note", "str", False, "free text"),
    ),
    "activity data, one row per facility, period and source",
)

FACILITIES = TableSpec(
    "facilities",
    (
        Column("id", "str", True, "facility id used in activity.csv"),
        Column("name", "str", False, "name in English"),
        Column("name_zh", "str", False, "name in Chinese"),
        Column("grid_region", "str", False, "grid region for Scope 2 (overrides the entity's)"),
        Column("operational_control", "bool", False, "under the entity's operational control"),
        Column("financial_control", "bool", False, "under the entity's financial control"),
        Column("legal_entity", "bool", False, "inside the legal person (GB/T 32150 boundary)"),
    ),
    "facilities (sites) of the entity",
)

INSTRUMENTS = TableSpec(
    "instruments",
    (
        Column("id", "str", True, "certificate, contract or serial id; claimed once"),
        Column("kind", "str", True, "gec, rec, ppa, green_power or supplier_rate"),
        Column("mwh", "float", True, "electricity covered, MWh", 0.0, None),
        Column(
            "year", "int", True, "consumption year the instrument is claimed against", 1900, 2200
        ),
        Column("vintage", "int", True, "year the electricity was generated", 1900, 2200),
        Column("market", "str", True, "market the instrument is valid in, e.g. CN"),
        Column("facility", "str", False, "facility it is claimed for (blank: any)"),
        Column("factor", "float", False, "emission rate, kg CO2/kWh (0 for renewables)", 0.0, None),
        Column("evidence", "str", False, "registry, contract or invoice reference"),
    ),
    "contractual energy instruments for market-based Scope 2",
)

OUTPUTS = TableSpec(
    "outputs",
    (
        Column("year", "int", True, "year", 1900, 2200),
        Column("product", "str", True, "product or metric, e.g. crude_steel, revenue"),
        Column("amount", "float", True, "amount, > 0", 0.0, None),
        Column("unit", "str", True, "unit, e.g. t, 万t, 万元"),
        Column("facility", "str", False, "facility (blank: the whole entity)"),
    ),
    "products and outputs for intensities",
)

FACTORS = TableSpec(
    "factors",
    (
        Column("id", "str", True, "activity or fuel id"),
        Column(
            "parameter",
            "str",
            True,
            "ncv, carbon_content, oxidation, ef, biogenic_fraction, mass_fraction",
        ),
        Column("gas", "str", False, "gas of an ef or mass_fraction row"),
        Column("value", "float", True, "value"),
        Column("unit", "str", True, "unit of value"),
        Column("lower", "float", False, "lower bound, 95 %"),
        Column("upper", "float", False, "upper bound, 95 %"),
        Column("region", "str", False, "grid region"),
        Column("year", "int", False, "year the factor applies to"),
        Column("purpose", "str", False, "location, residual_mix, fossil_only, ets_reporting"),
        Column("convention", "str", False, "table_1_4_rounded for IPCC Table 1.4 CO2 factors"),
        Column("name_en", "str", False, "English name"),
        Column("name_zh", "str", False, "Chinese name"),
        Column("source", "str", True, "document, table, page or edition"),
        Column("licence", "str", False, "licence"),
        Column("status", "str", False, "verified, reported or unverified"),
        Column("note", "str", False, "free text"),
    ),
    "a factor set of the plan's own; its ids override the packaged sets",
)

SERIES = TableSpec(
    "series",
    (
        Column(
            "indicator",
            "str",
            True,
            "gdp, gdp_constant, population, va_primary, va_secondary, va_tertiary, "
            "va_industry, output_<product>, …",
        ),
        Column("year", "int", True, "year", 1900, 2200),
        Column("value", "float", True, "value, ≥ 0", 0.0, None),
        Column("unit", "str", True, "unit, e.g. 亿CNY, 万人 (write 1e4*person), 万t"),
        Column("note", "str", False, "source or remark"),
    ),
    "statistical series (GDP, population, value added, product output) by year",
)


# ---- Scenario simulation (LEAP-style accounting; docs/method-simulate.md) -------------------

SCENARIOS = TableSpec(
    "scenarios",
    (
        Column("scenario", "str", True, "scenario id (current = Current Accounts is implicit)"),
        Column(
            "parents",
            "str",
            False,
            "scenarios it inherits from, in look-up order, comma-separated (blank: Current Accounts)",
        ),
        Column("measures", "str", False, "measures it applies, in order, comma-separated"),
        Column("kind", "str", False, "baseline, policy, enhanced or other"),
        Column("name", "str", False, "name in English"),
        Column("name_zh", "str", False, "name in Chinese"),
        Column("note", "str", False, "free text"),
    ),
    "scenarios with their parents and measures",
)

DRIVERS = TableSpec(
    "drivers",
    (
        Column("driver", "str", True, "driver id used in expressions, e.g. gdp, population"),
        Column("unit", "str", True, "unit, e.g. 亿CNY, 1e4*person, %"),
        Column("name", "str", False, "name in English"),
        Column("name_zh", "str", False, "name in Chinese"),
        Column("note", "str", False, "source or remark"),
    ),
    "key assumptions (drivers) of the simulation",
)

BRANCHES = TableSpec(
    "branches",
    (
        Column(
            "branch", "str", True, "path from the root, '/'-separated, e.g. Demand/Industry/Steel"
        ),
        Column(
            "kind",
            "str",
            True,
            "category, activity, share, saturation, stock, sink, module, process or trade",
        ),
        Column("unit", "str", False, "activity unit (activity: t, person; stock: vehicle)"),
        Column("sector", "str", False, "reporting sector (default: the branch below Demand)"),
        Column("fuel", "str", False, "module: its output fuel; process: its feedstock fuel"),
        Column("order", "int", False, "module: calculation order; process: merit order", 0, None),
        Column("dispatch", "str", False, "module: share, merit or capacity"),
        Column("import_grid", "str", False, "module: grid region whose factor imports carry"),
        Column("name", "str", False, "name in English"),
        Column("name_zh", "str", False, "name in Chinese"),
        Column("note", "str", False, "free text"),
    ),
    "the demand tree, transformation modules and processes, and sinks",
)

EXPRESSIONS = TableSpec(
    "expressions",
    (
        Column("scenario", "str", False, "scenario id, or current for Current Accounts"),
        Column("measure", "str", False, "measure id (instead of a scenario)"),
        Column("branch", "str", True, "branch path, or Key/<driver>"),
        Column("variable", "str", True, "variable, e.g. activity, intensity, efficiency"),
        Column("fuel", "str", False, "fuel of an intensity, input_share or capture_energy"),
        Column("gas", "str", False, "gas of a process_ef"),
        Column("expression", "str", True, "a number or an expression, e.g. Interp(2030, 80)"),
        Column("unit", "str", False, "unit of the value (blank: the Current Accounts unit)"),
        Column("note", "str", False, "source or remark"),
    ),
    "the values of branch variables by scenario (or measure), as numbers or expressions",
)

MEASURES = TableSpec(
    "measures",
    (
        Column("measure", "str", True, "measure id"),
        Column("lever", "str", True, "reduce (减), replace (替), absorb (吸) or trade (易)"),
        Column("name", "str", False, "name in English"),
        Column("name_zh", "str", False, "name in Chinese"),
        Column("note", "str", False, "free text"),
    ),
    "measures: packages of expressions tagged by lever",
)

ADDITIONS = TableSpec(
    "additions",
    (
        Column("process", "str", True, "process branch path the capacity is added to"),
        Column("size", "float", True, "size of one addition, > 0", 0.0, None),
        Column("unit", "str", True, "unit of size, e.g. MW"),
        Column("scenario", "str", False, "scenario (blank: all; looked up like expressions)"),
        Column("note", "str", False, "free text"),
    ),
    "endogenous capacity additions, in the order they are built",
)

UNCERTAINTY = TableSpec(
    "uncertainty",
    (
        Column(
            "target",
            "str",
            True,
            "Key/<driver> or <branch>:<variable> (the multiplier scales the change from the "
            "base year), or factor:<fuel> (scales the factor in every year)",
        ),
        Column("distribution", "str", True, "normal, lognormal, uniform or triangular"),
        Column(
            "p1", "float", True, "normal/lognormal: sd of the multiplier; uniform/triangular: low"
        ),
        Column("p2", "float", False, "uniform: high; triangular: mode"),
        Column("p3", "float", False, "triangular: high"),
        Column("note", "str", False, "source or remark"),
    ),
    "uncertain drivers and factors for Monte Carlo, as multipliers around 1",
)

SIM_TABLES: tuple[TableSpec, ...] = (
    SCENARIOS,
    DRIVERS,
    BRANCHES,
    EXPRESSIONS,
    MEASURES,
    ADDITIONS,
    UNCERTAINTY,
)

# ---- Targets (docs/method-targets.md "Targets in a plan") ---------------------------------

TARGETS = TableSpec(
    "targets",
    (
        Column("target", "str", True, "target id"),
        Column(
            "kind",
            "str",
            True,
            "absolute, intensity, peak, neutrality, budget, sbti or netzero",
        ),
        Column("year", "int", False, "target year (budget: blank, see start_year/end_year)"),
        Column("base_year", "int", False, "base year of a relative target", 1900, 2200),
        Column("reduction", "float", False, "cut from the base year, % (e.g. 65)", 0.0, 100.0),
        Column(
            "value",
            "float",
            False,
            "absolute: the most allowed; peak: the highest peak allowed; budget: the budget; "
            "intensity: the most allowed intensity",
        ),
        Column("unit", "str", False, "unit of value and base_value, e.g. t, 万t, Mt, t/万CNY"),
        Column("per", "str", False, "intensity: the driver divided by, e.g. gdp"),
        Column(
            "base_value",
            "float",
            False,
            "value in the base year when the base year is not simulated (e.g. 2005)",
            0.0,
            None,
        ),
        Column("start_year", "int", False, "budget: first year", 1900, 2200),
        Column("end_year", "int", False, "budget: last year", 1900, 2200),
        Column("banking", "bool", False, "budget: carry a surplus into the next budget"),
        Column(
            "borrowing",
            "bool",
            False,
            "budget: take a deficit from the next budget, up to borrow_limit of it",
        ),
        Column(
            "borrow_limit",
            "float",
            False,
            "budget: the most borrowed, a fraction of the next budget (default 0.01)",
            0.0,
            1.0,
        ),
        Column("ambition", "str", False, "sbti: 1.5C or WB2C"),
        Column("column", "str", False, "net (default), emissions or net_after_trade"),
        Column("allocate", "str", False, "allocation method, or mix:method=weight,…"),
        Column("name", "str", False, "name in English"),
        Column("name_zh", "str", False, "name in Chinese"),
        Column("source", "str", False, "where the target comes from (document, article)"),
        Column("note", "str", False, "free text"),
    ),
    "targets: each is checked against every scenario",
)

ALLOCATION = TableSpec(
    "allocation",
    (
        Column("target", "str", True, "target id whose allowance is split (targets.csv)"),
        Column("member", "str", True, "sector, district or enterprise id"),
        Column("level", "str", False, "sector, district or enterprise"),
        Column("base", "float", False, "base emissions, in the target's unit", 0.0, None),
        Column("history", "float", False, "historical emissions (grandfathering)", 0.0, None),
        Column("output", "float", False, "output (benchmark method)", 0.0, None),
        Column("benchmark", "float", False, "benchmark intensity per unit output", 0.0, None),
        Column("capability", "float", False, "capability, e.g. GDP per capita", 0.0, None),
        Column("potential", "float", False, "abatement potential, e.g. from the MACC", 0.0, None),
        Column(
            "planned",
            "float",
            False,
            "the member's own (bottom-up) plan for the target year, in the target's unit",
            0.0,
            None,
        ),
        Column("name", "str", False, "name in English"),
        Column("name_zh", "str", False, "name in Chinese"),
        Column("note", "str", False, "source or remark"),
    ),
    "members a target is split among (top-down) and their own plans (bottom-up)",
)

TARGET_TABLES: tuple[TableSpec, ...] = (TARGETS, ALLOCATION)
# Tables of a plan folder read by their own readers (neutra.side_tables), not declared here.
SIDE_FILES: tuple[str, ...] = ("macc.csv", "ets.csv", "forest.csv")
EXTRA_TABLES: tuple[TableSpec, ...] = (*SIM_TABLES, *TARGET_TABLES)

TABLES: tuple[TableSpec, ...] = (
    ACTIVITY,
    FACILITIES,
    INSTRUMENTS,
    OUTPUTS,
    FACTORS,
    SERIES,
    *EXTRA_TABLES,
)
