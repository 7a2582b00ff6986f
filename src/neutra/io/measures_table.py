"""Measures tables: a CSV of abatement measures for the MACC, read and checked.

Columns (header row required; case and spaces do not matter; Chinese headers such as ``措施``,
``投资`` are understood): ``name``, ``capex`` (currency, ≥ 0), ``opex`` (currency/yr),
``annual_savings`` (currency/yr), ``lifetime`` (whole years ≥ 1), ``annual_abatement``
(t CO2e/yr). Other columns are read as text and ignored. UTF-8 and GBK/GB18030 files are read.
Every problem — missing column, empty cell, malformed number, value out of range, duplicate
name — is collected and raised once, located by row (header = row 1) and field.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from neutra.errors import PlanError, Problem, raise_if_problems
from neutra.io.tables import (
    frame_from_cells,
    locate_csv_rows,
    normalise_headers,
    read_csv_records,
    type_table,
)
from neutra.measures.economics import Measure
from neutra.model.tables import Column, TableSpec

COLUMNS: tuple[Column, ...] = (
    Column("name", "str", True, "the measure's name"),
    Column("capex", "float", True, "investment in currency, a number ≥ 0", 0.0, None),
    Column("opex", "float", True, "operating cost in currency per year"),
    Column("annual_savings", "float", True, "savings in currency per year"),
    Column("lifetime", "int", True, "lifetime in whole years ≥ 1", 1.0, None),
    Column("annual_abatement", "float", True, "abatement in t CO2e per year"),
)
REQUIRED = tuple(c.name for c in COLUMNS)

# Chinese headers of a measures table (applied before the project's common aliases).
MEASURE_HEADER_ALIASES: dict[str, str] = {
    "措施": "name",
    "名称": "name",
    "措施名称": "name",
    "投资": "capex",
    "初始投资": "capex",
    "运维成本": "opex",
    "年运维成本": "opex",
    "年节约": "annual_savings",
    "年节约费用": "annual_savings",
    "寿命": "lifetime",
    "年减排量": "annual_abatement",
    "减排量": "annual_abatement",
}


@dataclass(frozen=True)
class MeasuresTable:
    """A checked measures table.

    Attributes:
        measures: the measures in file order.
        rows: the row number the user sees for each measure (header = row 1).
        label: the file name, for messages.
    """

    measures: tuple[Measure, ...]
    rows: tuple[int, ...]
    label: str


def _spec(names: list[str]) -> TableSpec:
    extra = [Column(n, "str", False, "not used") for n in dict.fromkeys(names) if n]
    extra = [c for c in extra if c.name not in REQUIRED]
    return TableSpec("measures", (*COLUMNS, *extra), "abatement measures")


def read_measures_table(path: str | Path) -> MeasuresTable:
    """Read and check a measures table.

    Raises:
        PlanError: the file does not exist.
        PlanValidationError: every problem of the file at once, each with file, row, field,
            value and what was expected.
    """
    p = Path(path)
    label = p.name
    if not p.is_file():
        raise PlanError(f"{p}: no such file; expected a CSV table of measures")
    text, records = read_csv_records(p, label)
    header = [MEASURE_HEADER_ALIASES.get(h.replace("\ufeff", "").strip(), h) for h in records[0]]
    body = records[1:]
    raw = frame_from_cells(
        _spec(normalise_headers(header, REQUIRED)),
        label,
        header,
        [[c.strip() for c in r] for r in body],
        2,
    )
    locate_csv_rows(raw, text, header, body)
    typed, _bad = type_table(raw)
    problems = list(raw.problems)

    if "name" in typed.columns:
        names = typed["name"]
        dup = names.notna() & names.duplicated(keep=False)
        for name in dict.fromkeys(names[dup]):
            rows = tuple(int(r) for r in typed.loc[names == name, "row"])
            problems.append(
                Problem(label, rows[0], "name", str(name), "each measure name once", None, rows)
            )
    raise_if_problems(problems)

    measures = tuple(
        Measure(
            name=str(r["name"]),
            capex=float(r["capex"]),
            opex=float(r["opex"]),
            annual_savings=float(r["annual_savings"]),
            lifetime=int(r["lifetime"]),
            annual_abatement=float(r["annual_abatement"]),
        )
        for r in typed.to_dict("records")
    )
    return MeasuresTable(measures, tuple(int(r) for r in typed["row"]), label)


__all__ = ["COLUMNS", "MeasuresTable", "read_measures_table"]
