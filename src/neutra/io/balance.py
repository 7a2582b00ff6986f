"""Regional energy balance tables (能源平衡表), one per year, as the yearbook prints them.

Layout: the first column holds the row labels (Chinese as printed, or the ids of
:mod:`neutra.model.balance`); the header holds the fuels. A fuel's unit is read from the header
(``原煤(万吨)``), or from a second row whose first cell is ``单位`` / ``unit``, or else is the unit
the yearbook prints for that fuel. Blank cells and a lone ``-`` / ``—`` are zero, as printed.
Values keep their printed signs (outflow, exports and transformation inputs are negative).

The result is tidy: one row per (item, fuel) with the value converted to the fuel's yearbook unit.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import numpy as np
import pandas as pd

from neutra import units
from neutra.errors import Problem, UnitError
from neutra.io.tables import column_letter, read_text_file
from neutra.model.balance import FUELS, Fuel, Section, fuel_names, item_names, label_key

# Rows whose printed sign is fixed by the yearbook's layout: ≥ 0, or ≤ 0 (printed with "−").
NON_NEGATIVE = frozenset(
    {
        "production",
        "recovery",
        "inflow",
        "imports",
        "bunkers_abroad",
        "losses",
        "final_consumption",
        "agriculture",
        "industry",
        "industry_feedstock",
        "construction",
        "transport",
        "commerce",
        "other",
        "residential",
        "residential_urban",
        "residential_rural",
    }
)
NON_POSITIVE = frozenset({"outflow", "exports", "bunkers_foreign"})
BALANCE_COLUMNS = ["year", "item", "fuel", "value", "unit", "file", "row", "cell"]
_UNIT_IN_HEADER = re.compile(r"^(.*?)[(（]([^()（）]+)[)）]\s*$")
_ZERO = {"", "-", "—", "–", "－", "…"}
_UNIT_WORDS = {"单位", "unit", "units", "计量单位"}


def balance_stem(year: int) -> str:
    """File stem and sheet name of a year's table: ``energy_balance_2020``."""
    return f"energy_balance_{year}"


def year_of_stem(stem: str) -> int | None:
    m = re.fullmatch(r"energy_balance_(\d{4})", stem.strip().lower())
    return int(m.group(1)) if m else None


def _fuel_and_unit(text: str) -> tuple[str, str | None]:
    m = _UNIT_IN_HEADER.match(text.strip())
    if m:
        return m.group(1).strip(), m.group(2).strip()
    return text.strip(), None


def parse_balance(
    cells: list[list[str]], year: int, label: str, workbook: bool = False
) -> tuple[pd.DataFrame, list[Problem]]:
    """Parse a year's table from text cells (header first). Returns the tidy frame and problems."""
    problems: list[Problem] = []
    rows = list(cells)
    if not rows or not any(c.strip() for c in rows[0]):
        return pd.DataFrame(columns=BALANCE_COLUMNS), [
            Problem(label, None, None, None, "a header row of fuels (原煤, 焦炭, …, 电力)")
        ]

    def where(r: int, c: int) -> str | None:
        return f"{column_letter(c)}{r}" if workbook else None

    header = rows[0]
    fuels_by_name = fuel_names()
    items_by_name = item_names()
    cols: dict[int, tuple[Fuel, str | None]] = {}
    for c, text in enumerate(header[1:], start=1):
        if not text.strip():
            continue
        name, unit = _fuel_and_unit(text)
        fuel = fuels_by_name.get(label_key(name))
        if fuel is None:
            problems.append(
                Problem(
                    label,
                    1,
                    None,
                    text,
                    "a fuel column of the yearbook (原煤, 洗精煤, 焦炭, 焦炉煤气, "
                    "原油, 汽油, 柴油, 天然气, 热力, 电力, …) or its id",
                    where(1, c),
                )
            )
            continue
        if any(f.id == fuel.id for f, _ in cols.values()):
            problems.append(Problem(label, 1, fuel.id, text, "each fuel column once", where(1, c)))
            continue
        cols[c] = (fuel, unit)
    body_start = 1
    if len(rows) > 1 and label_key(rows[1][0] if rows[1] else "") in _UNIT_WORDS:
        for c, cell in enumerate(rows[1][1:], start=1):
            if c in cols and cell.strip():
                cols[c] = (cols[c][0], cell.strip())
        body_start = 2
    # Units: each column's unit must measure what the fuel's printed unit measures.
    factors: dict[int, float] = {}
    for c, (fuel, unit) in cols.items():
        text = unit or fuel.unit
        try:
            factors[c] = units.factor(text, fuel.unit)
        except UnitError as exc:
            problems.append(
                Problem(
                    label,
                    1 if unit is None or body_start == 1 else 2,
                    fuel.id,
                    text,
                    f"a unit of {units.dimension_of(fuel.unit)} like {fuel.unit} ({exc.expected})",
                    where(1, c),
                )
            )
    records: list[tuple[str, str, float, int, str]] = []
    seen_items: dict[str, int] = {}
    in_transformation = False
    for r_index in range(body_start, len(rows)):
        row = rows[r_index]
        user_row = r_index + 1
        if not row or not any(c.strip() for c in row):
            continue
        label_text = row[0].strip()
        item = items_by_name.get(label_key(label_text))
        if item is not None and item.id == "recovery" and in_transformation:
            item = items_by_name["transformation_recovery"]
        if item is None:
            problems.append(
                Problem(
                    label,
                    user_row,
                    "item",
                    label_text,
                    "a row of the energy balance (一次能源生产量, 火力发电, 工业, "
                    "平衡差额, …) or its id",
                    where(user_row, 0),
                )
            )
            continue
        # 回收能 is printed twice: as supply, and again among the transformation rows.
        in_transformation = item.section == Section.TRANSFORMATION
        if item.id in seen_items:
            problems.append(
                Problem(
                    label,
                    user_row,
                    "item",
                    label_text,
                    f"each row once (already on row {seen_items[item.id]})",
                    where(user_row, 0),
                )
            )
            continue
        seen_items[item.id] = user_row
        for c, (fuel, _) in cols.items():
            cell = row[c].strip() if c < len(row) else ""
            if cell in _ZERO:
                continue
            try:
                value = float(cell.replace(",", "").replace(" ", ""))
            except ValueError:
                problems.append(
                    Problem(
                        label,
                        user_row,
                        fuel.id,
                        cell,
                        f"a number in {fuel.unit} (blank or - for zero)",
                        where(user_row, c),
                    )
                )
                continue
            if not np.isfinite(value):
                problems.append(
                    Problem(label, user_row, fuel.id, cell, "a finite number", where(user_row, c))
                )
                continue
            if (item.id in NON_NEGATIVE and value < 0) or (item.id in NON_POSITIVE and value > 0):
                sign = "≥ 0" if item.id in NON_NEGATIVE else "≤ 0 (printed with −)"
                problems.append(
                    Problem(
                        label,
                        user_row,
                        fuel.id,
                        cell,
                        f"a value {sign} for {item.zh} / {item.en}",
                        where(user_row, c),
                    )
                )
                continue
            if c in factors:
                records.append(
                    (item.id, fuel.id, value * factors[c], user_row, where(user_row, c) or fuel.id)
                )
    frame = pd.DataFrame(records, columns=["item", "fuel", "value", "row", "cell"])
    frame.insert(0, "year", year)
    frame["unit"] = frame["fuel"].map({f.id: f.unit for f in FUELS})
    frame["file"] = label
    return frame[BALANCE_COLUMNS], problems


def read_balance_csv(path: Path) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Read ``energy_balance_<year>.csv`` (UTF-8 or GBK)."""
    year = year_of_stem(path.stem)
    label = path.name
    if year is None:
        return None, [Problem(label, None, None, path.name, "a file named energy_balance_YYYY.csv")]
    text, problem = read_text_file(path, label)
    if text is None:
        return None, [problem] if problem else []
    cells = [list(r) for r in csv.reader(io.StringIO(text))]
    return parse_balance(cells, year, label)
