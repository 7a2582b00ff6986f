"""Decomposition tables: a CSV of ``year``, grouping columns and factor columns, read and checked.

The table is tidy: one row per year and group; the product of the factor columns on a row is that
group's value of ``V``. An optional ``unit`` column gives the unit of ``V`` (the same on every row).
Other columns are ignored. UTF-8 and GBK/GB18030 files are read, and Chinese headers such as
``年份`` are understood. Every problem is collected — missing column, unknown factor name, malformed
number, negative value, missing year, a group without a row in a compared year — and raised once.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from neutra.analysis.lmdi import YEAR, alignment_problems
from neutra.errors import PlanError, Problem, raise_if_problems
from neutra.io.tables import (
    frame_from_cells,
    locate_csv_rows,
    normalise_headers,
    read_csv_records,
    type_table,
)
from neutra.model.tables import Column, TableSpec

UNIT = "unit"


@dataclass(frozen=True)
class DecompositionTable:
    """A checked decomposition table.

    Attributes:
        frame: ``year`` (int), the grouping columns (text) and the factor columns (float ≥ 0), indexed
            by the row number the user sees (index name ``row``; the header is row 1).
        factors: the factor column names (normalised like the headers).
        by: the grouping column names.
        years: the years to compare, in order: ``(from, to)``, or every year of the table from
            ``from`` to ``to`` when chained.
        unit: unit of ``V`` from the ``unit`` column, or ``""``.
        label: the file name, for messages.
    """

    frame: pd.DataFrame
    factors: tuple[str, ...]
    by: tuple[str, ...]
    years: tuple[int, ...]
    unit: str
    label: str


def _spec(names: list[str], factors: tuple[str, ...], by: tuple[str, ...]) -> TableSpec:
    cols = []
    for n in dict.fromkeys(names):
        if n == YEAR:
            cols.append(Column(n, "int", True, "year of the row"))
        elif n in factors:
            cols.append(Column(n, "float", True, "factor value, a number ≥ 0", 0.0, None))
        elif n in by:
            cols.append(Column(n, "str", True, "group of the row"))
        else:  # the unit column and any other column: read as text, not checked
            cols.append(Column(n, "str", False, "not used"))
    return TableSpec("decomposition", tuple(cols), "years, groups and factor values")


def _missing_column(
    label: str, name: str, names: list[str], what: str, value: str | None = None
) -> Problem:
    near = difflib.get_close_matches(name, [n for n in names if n], n=1)
    hint = f"; did you mean '{near[0]}'?" if near else ""
    shown = ", ".join(n for n in names if n) or "none"
    return Problem(
        label, 1, name, value, f"a column named '{name}' ({what}; the header has {shown}){hint}"
    )


def read_decomposition_table(
    path: str | Path,
    factors: list[str] | tuple[str, ...],
    y0: int,
    yt: int,
    by: list[str] | tuple[str, ...] = (),
    chained: bool = False,
) -> DecompositionTable:
    """Read and check a decomposition table for comparing ``y0`` with ``yt``.

    Args:
        path: the CSV file.
        factors: the factor column names (matched like headers: case and spaces do not matter).
        y0: the base year.
        yt: the end year.
        by: the grouping column names (several for a multi-level grouping).
        chained: compare every year of the table from ``y0`` to ``yt`` in turn, not only the two.

    Raises:
        PlanError: the file does not exist.
        PlanValidationError: every problem of the file and of the request at once, each with file,
            row (header = row 1), field, value and what was expected.
    """
    p = Path(path)
    label = p.name
    if not p.is_file():
        raise PlanError(f"{p}: no such file; expected a CSV table with a 'year' column")
    fac = tuple(normalise_headers(list(factors)))
    grp = tuple(normalise_headers(list(by)))
    text, records = read_csv_records(p, label)
    header, body = records[0], records[1:]
    names = normalise_headers(header)

    problems: list[Problem] = []
    if not fac:
        problems.append(Problem(label, None, None, None, "at least one factor (--factors a,b,c)"))
    for name in dict.fromkeys(n for n in fac if fac.count(n) > 1):
        problems.append(Problem(label, None, name, name, "each factor once in --factors"))
    for name in grp:
        if name in fac or name == YEAR:
            problems.append(
                Problem(label, None, name, name, "a grouping column that is not 'year' or a factor")
            )
    if YEAR not in names:
        problems.append(_missing_column(label, YEAR, names, "the year of each row"))
    for name in grp:
        if name not in names:
            problems.append(_missing_column(label, name, names, "named by --by", name))
    for name in fac:
        if name not in names:
            problems.append(
                _missing_column(label, name, names, "a factor named by --factors", name)
            )

    raw = frame_from_cells(
        _spec(names, fac, grp), label, header, [[c.strip() for c in r] for r in body], 2
    )
    locate_csv_rows(raw, text, header, body)
    typed, _bad = type_table(raw)
    problems += raw.problems
    typed = typed.set_index("row")

    unit = ""
    if UNIT in typed.columns and UNIT not in fac and UNIT not in grp:
        units = typed[UNIT].dropna().astype(str)
        distinct = list(dict.fromkeys(units))
        if len(distinct) > 1:
            rows = [int(r) for r, u in units.items() if u != distinct[0]]
            problems.append(
                Problem(
                    label,
                    rows[0],
                    UNIT,
                    units.loc[rows[0]],
                    f"the same unit of V on every row (row {int(units.index[0])} has "
                    f"'{distinct[0]}')",
                    None,
                    tuple(rows) if len(rows) > 1 else (),
                )
            )
        unit = distinct[0] if distinct else ""

    years: tuple[int, ...] = ()
    if YEAR in typed.columns:
        present = sorted({int(y) for y in typed[YEAR].dropna()})
        shown = ", ".join(map(str, present)) or "none"
        for flag, y in (("--from", y0), ("--to", yt)):
            if y not in present:
                problems.append(
                    Problem(
                        label, None, YEAR, str(y), f"a {flag} year that is in the table ({shown})"
                    )
                )
        if y0 == yt:
            problems.append(
                Problem(label, None, YEAR, str(y0), "--from and --to two different years")
            )
        lo, hi = min(y0, yt), max(y0, yt)
        between = [y for y in present if lo <= y <= hi] if chained else [y0, yt]
        years = tuple(between if y0 <= yt else between[::-1])
        columns_ok = all(n in typed.columns for n in grp)
        if columns_ok and y0 != yt:
            filled = typed[typed[list(grp)].notna().all(axis=1)] if grp else typed
            problems += alignment_problems(filled, years, grp, label)

    raise_if_problems(problems)
    frame = typed[[YEAR, *grp, *fac]].copy()
    frame[YEAR] = frame[YEAR].astype("int64")
    frame.attrs["units"] = unit
    return DecompositionTable(frame, fac, grp, years, unit, label)


__all__ = ["DecompositionTable", "read_decomposition_table"]
