"""Plan workbooks: one XLSX file with sheets entity, settings, activity, facilities, …

The side tables (``macc``, ``ets``, ``forest`` sheets) are kept as CSV text
(:func:`sheet_csv`), as a folder's ``macc.csv``, ``ets.csv``, ``forest.csv`` are; the
workbook writer types their cells with :func:`typed_cell`, so that folder → workbook → folder
gives the same text.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
from openpyxl.utils.exceptions import InvalidFileException

from neutra.errors import PlanError, Problem
from neutra.io.balance import parse_balance, year_of_stem
from neutra.io.build import build_plan
from neutra.io.tables import RawTable, frame_from_cells
from neutra.model.plan import Plan
from neutra.model.tables import SIDE_FILES, TABLES

# A plain decimal number as a CSV holds it (no sign +, exponent, leading zero or thousands
# separator): the only text the writer types as a number (typed_cell).
_DECIMAL = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?")
# A fixed-decimals number format ("0.0", "0.00", …): how the writer keeps "1.0" as typed.
_FIXED = re.compile(r"0\.(0+)")
# A spreadsheet keeps 15 significant digits of a number (Excel's precision; openpyxl writes
# 16): integers below 10^15, and decimals of at most 15 significant digits, come back exactly.
_DIGITS = 15
_EXACT_INT = 10**_DIGITS


def cell_text(value: Any) -> str:
    """A cell's value as the text a CSV would hold (floats by repr, so nothing is lost)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return str(value).strip()


def number_text(value: float) -> str:
    """A number as a side table's CSV text: whole numbers without a decimal point, others with
    at most 15 significant digits — a spreadsheet's precision, so no float noise
    (0.1 + 0.2 is ``0.3``, not ``0.30000000000000004``)."""
    if isinstance(value, int):
        return str(value)
    if value.is_integer() and abs(value) < _EXACT_INT:
        return str(int(value))
    return format(value, ".15g")


def sheet_cell_text(value: Any, number_format: str | None = None) -> str:
    """A side-table sheet's cell as CSV text: numbers by :func:`number_text`, or with the
    decimals of a fixed-decimals format (``0.00``) when that shows the value exactly (a
    rounding display format never changes the value read); other values as :func:`cell_text`."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        m = _FIXED.fullmatch(number_format or "")
        if m:
            shown = f"{value:.{len(m.group(1))}f}"
            if float(shown) == value:
                return shown
        return number_text(value)
    return cell_text(value)


def typed_cell(text: str) -> tuple[Any, str | None]:
    """The cell a side table's CSV cell is written as, and its number format (``None``: the
    default): a plain decimal number of at most 15 significant digits is a number when
    :func:`sheet_cell_text` gives the same text back (``1.0`` with the format ``0.0``); anything
    else — names such as ``007``, ``1e3``, ``1,000``, numbers of more digits — stays text. So
    the round trip text → cell → text is exact."""
    s = text.strip()
    if not _DECIMAL.fullmatch(s) or (s.startswith("-") and float(s) == 0):  # "-0" stays text
        return (s or None), None
    if "." not in s:
        n = int(s)
        return (n, None) if abs(n) < _EXACT_INT else (s, None)
    if len(s.lstrip("-").replace(".", "").strip("0")) > _DIGITS:
        return s, None  # more digits than a spreadsheet keeps
    v = float(s)
    if sheet_cell_text(v) == s:
        return v, None
    fmt = "0." + "0" * len(s.split(".")[1])
    return (v, fmt) if sheet_cell_text(v, fmt) == s else (s, None)


def sheet_csv(ws: Any) -> str:
    """A side-table sheet as CSV text: CSV record *i* is sheet row *i* + 1 (blank rows as empty
    records, trailing ones dropped), cells by :func:`sheet_cell_text`, trailing empty cells
    trimmed; minimal quoting, ``\n`` line endings."""
    rows: list[list[str]] = []
    for row in ws.iter_rows():
        cells = [sheet_cell_text(c.value, getattr(c, "number_format", None)) for c in row]
        while cells and cells[-1] == "":
            cells.pop()
        rows.append(cells)
    while rows and not rows[-1]:
        rows.pop()
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def _merged_header(ws: Any, label: str) -> list[Problem]:
    """A problem for each merged range in a table sheet's header row."""
    return [
        Problem(
            label,
            1,
            None,
            str(rng.coord),
            "one column name per header cell (unmerge the header cells)",
            str(rng.coord),
        )
        for rng in ws.merged_cells.ranges
        if rng.min_row <= 1
    ]


def _key_values(
    ws: Any, label: str, problems: list[Problem]
) -> tuple[dict[str, str], dict[str, str]]:
    """A two-column key | value sheet (the entity and settings sheets)."""
    out: dict[str, str] = {}
    cells: dict[str, str] = {}
    for r, row in enumerate(ws.iter_rows(values_only=True), start=1):
        if not row or row[0] is None:
            continue
        key = cell_text(row[0])
        if r == 1 and key.lower() == "key":
            continue
        value = cell_text(row[1]) if len(row) > 1 else ""
        if value == "":
            continue
        if key in out:
            problems.append(Problem(label, r, key, value, "each key once", f"A{r}"))
        out[key] = value
        cells[key] = f"B{r}"
    return out, cells


def read_workbook(path: Path) -> tuple[Plan | None, list[Problem]]:
    """Read a plan workbook. Returns the plan (``None`` if it cannot be built) and all problems."""
    name = path.name
    try:
        wb = openpyxl.load_workbook(path, data_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError) as exc:
        raise PlanError(f"{path}: not a readable .xlsx workbook ({exc})") from exc
    problems: list[Problem] = []
    sheets = {s.strip().lower(): wb[s] for s in wb.sheetnames}
    entity: dict[str, str] | None = None
    settings: dict[str, str] | None = None
    settings_cells: dict[str, str] = {}
    header_cells: dict[str, str] = {}
    if "entity" in sheets:
        entity, cells = _key_values(sheets["entity"], f"{name}[entity]", problems)
        header_cells.update(cells)
    if "settings" in sheets:
        settings, settings_cells = _key_values(sheets["settings"], f"{name}[settings]", problems)
    side_sheets = {f.removesuffix(".csv"): f for f in SIDE_FILES}
    known = {"entity", "settings"} | {t.name for t in TABLES} | set(side_sheets)
    for s in sheets:
        if s not in known and year_of_stem(s) is None:
            problems.append(
                Problem(
                    f"{name}[{s}]",
                    None,
                    None,
                    s,
                    f"a sheet named one of {', '.join(sorted(known))}",
                )
            )
    tables: dict[str, RawTable | None] = {}
    for spec in TABLES:
        ws = sheets.get(spec.name)
        if ws is None:
            continue
        label = f"{name}[{spec.name}]"
        problems += _merged_header(ws, label)
        rows = [[cell_text(v) for v in r] for r in ws.iter_rows(values_only=True)]
        while rows and not any(rows[-1]):
            rows.pop()
        if not rows:
            problems.append(Problem(label, None, None, None, "a header row and data rows"))
            tables[spec.name] = None
            continue
        header = rows[0]
        while header and header[-1] == "":
            header.pop()
        body = list(rows[1:])
        raw = frame_from_cells(spec, label, header, body, 2, letters=True)
        keep = [i for i, r in enumerate(body) if any(r)]
        raw.frame = raw.frame.iloc[keep].reset_index(drop=True)
        raw.rows = raw.rows[keep]
        tables[spec.name] = raw
    missing = None
    if "activity" not in tables:
        missing = Problem(
            name,
            None,
            None,
            None,
            "a sheet 'activity' with the activity data (or, for a region, "
            "sheets energy_balance_YYYY)",
        )
        tables["activity"] = None
    frames = []
    for s, ws in sheets.items():
        year = year_of_stem(s)
        if year is None:
            continue
        grid = [[cell_text(v) for v in r] for r in ws.iter_rows(values_only=True)]
        frame, probs = parse_balance(grid, year, f"{name}[{s}]", workbook=True)
        problems += probs
        frames.append(frame)
    balances = pd.concat(frames, ignore_index=True) if frames else None
    if entity is None:
        problems.append(
            Problem(
                name,
                None,
                "entity",
                None,
                "a sheet 'entity' with key | value rows (name, level, base_year)",
            )
        )
    plan, more = build_plan(
        f"{name}[entity]",
        entity,
        settings,
        tables,
        str(path),
        header_cells,
        balances=balances,
        missing_activity=missing,
        settings_file=f"{name}[settings]",
        settings_cells=settings_cells,
    )
    side: dict[str, str] = {}  # run by neutra.side_tables, located at name[stem] (plan.source)
    for stem, file in side_sheets.items():
        if stem in sheets:
            problems += _merged_header(sheets[stem], f"{name}[{stem}]")
            side[file] = sheet_csv(sheets[stem])
    if plan is not None and side:
        plan = plan.model_copy(update={"side_tables": side})
    return plan, problems + more
