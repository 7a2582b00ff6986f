"""The tables ``neutra ets`` reads: installations/enterprises by year, and a price path.

Entities table (CSV, UTF-8 or GBK; header row; case and spaces of headers do not matter;
Chinese headers such as ``排放单位``, ``年份``, ``核查排放量``, ``供电量`` are understood), one
row per entity and year:

``entity``, ``year``, ``verified_emissions_t`` (required); ``unit_type`` (``coal_above_300mw``,
``coal_300mw_and_below``, ``coal_unconventional``, ``gas`` or their Chinese names),
``electricity_supplied_mwh``, ``heat_supplied_gj``, ``correction`` (the whole supply
correction factor, if known), ``cooling`` (``air``/``water``, 空冷/水冷), ``heat_ratio``
(供热比, 0–1), ``load_correction``, ``supply_benchmark_t_per_mwh`` and
``heat_benchmark_t_per_gj`` (to override the template), ``history_t`` (for grandfathering),
``free_allocation_t`` (free allowances given), ``offsets_t`` (offset credits available),
``note``.

Price file (CSV): ``year``, ``price`` (currency per allowance), optional ``note``; read by
:func:`neutra.io.prices.read_price_file`, the reader of every carbon price path.

Every problem — unknown or missing column, empty required cell, malformed number, value out
of range, an entity-year twice — is collected and raised at once, located by row (header =
row 1) and field.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from neutra.errors import raise_if_problems
from neutra.io.prices import PRICES, PriceTable, read_price_file
from neutra.io.tables import TableSource, duplicate_keys, read_standalone_csv, type_table
from neutra.model.tables import Column, TableSpec

ENTITY_COLUMNS: tuple[Column, ...] = (
    Column("entity", "str", True, "installation or enterprise name"),
    Column("year", "int", True, "compliance year", 1900, 2200),
    Column("verified_emissions_t", "float", True, "verified emissions, t CO2e ≥ 0", 0.0, None),
    Column("unit_type", "str", False, "power unit type (benchmark allocation)"),
    Column("electricity_supplied_mwh", "float", False, "electricity supplied, MWh ≥ 0", 0.0, None),
    Column("heat_supplied_gj", "float", False, "heat supplied, GJ ≥ 0", 0.0, None),
    Column("correction", "float", False, "supply correction factor ≥ 0", 0.0, None),
    Column("cooling", "str", False, "cooling method: air or water (空冷/水冷)"),
    Column("heat_ratio", "float", False, "heat ratio (供热比), 0–1", 0.0, 1.0),
    Column("load_correction", "float", False, "load-factor correction factor ≥ 0", 0.0, None),
    Column(
        "supply_benchmark_t_per_mwh", "float", False, "own supply benchmark, t/MWh ≥ 0", 0.0, None
    ),
    Column("heat_benchmark_t_per_gj", "float", False, "own heat benchmark, t/GJ ≥ 0", 0.0, None),
    Column("history_t", "float", False, "historical emissions, t CO2e ≥ 0", 0.0, None),
    Column("free_allocation_t", "float", False, "free allowances given, t ≥ 0", 0.0, None),
    Column("offsets_t", "float", False, "offset credits available, t ≥ 0", 0.0, None),
    Column("note", "str", False, "free text"),
)
ENTITIES = TableSpec("entities", ENTITY_COLUMNS, "installations or enterprises by year")

# Chinese headers (applied before the project's common aliases).
ETS_HEADER_ALIASES: dict[str, str] = {
    "排放单位": "entity",
    "重点排放单位": "entity",
    "企业": "entity",
    "设施": "entity",
    "机组": "entity",
    "核查排放量": "verified_emissions_t",
    "经核查排放量": "verified_emissions_t",
    "机组类型": "unit_type",
    "机组类别": "unit_type",
    "供电量": "electricity_supplied_mwh",
    "供热量": "heat_supplied_gj",
    "修正系数": "correction",
    "冷却方式": "cooling",
    "供热比": "heat_ratio",
    "负荷修正系数": "load_correction",
    "供电基准值": "supply_benchmark_t_per_mwh",
    "供热基准值": "heat_benchmark_t_per_gj",
    "历史排放量": "history_t",
    "免费配额": "free_allocation_t",
    "抵销量": "offsets_t",
    "CCER": "offsets_t",
}


@dataclass(frozen=True)
class EntitiesTable:
    """A checked entities table.

    Attributes:
        frame: every column of :data:`ENTITY_COLUMNS` (absent ones empty) plus ``row``.
        columns: the columns the file had.
        label: the file name, for messages.
    """

    frame: pd.DataFrame
    columns: tuple[str, ...]
    label: str


def read_entities_table(path: TableSource) -> EntitiesTable:
    """Read and check an entities table: a CSV file, or its text
    (:class:`neutra.io.tables.TableText`: a plan's ``ets.csv`` or ``ets`` sheet).

    Raises:
        PlanError: the file does not exist.
        PlanValidationError: every problem of the file at once, each with file, row, field,
            value and what was expected.
    """
    raw = read_standalone_csv(
        path,
        ENTITIES,
        expected="a CSV table of installations or enterprises by year",
        aliases=ETS_HEADER_ALIASES,
    )
    typed, _bad = type_table(raw)
    problems = list(raw.problems)
    problems += duplicate_keys(raw, typed, ["entity", "year"], "entity and year")
    raise_if_problems(problems)
    present = tuple(c for c in raw.frame.columns if c in ENTITIES.names)
    frame = typed.copy()
    for c in ENTITIES.columns:
        if c.name not in frame.columns:
            frame[c.name] = None if c.kind == "str" else float("nan")
    frame["year"] = frame["year"].astype(int)
    return EntitiesTable(frame, present, raw.label)


__all__ = [
    "ENTITIES",
    "ENTITY_COLUMNS",
    "PRICES",
    "EntitiesTable",
    "PriceTable",
    "read_entities_table",
    "read_price_file",
]
