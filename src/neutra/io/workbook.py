"""Plan workbooks: one XLSX file with sheets entity, settings, activity, facilities, …"""

from __future__ import annotations

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
from neutra.model.tables import TABLES


def cell_text(value: Any) -> str:
    """A cell's value as the text a CSV would hold (floats by repr, so nothing is lost)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return str(value).strip()


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
    known = {"entity", "settings"} | {t.name for t in TABLES}
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
        for rng in ws.merged_cells.ranges:
            if rng.min_row <= 1:
                problems.append(
                    Problem(
                        label,
                        1,
                        None,
                        str(rng.coord),
                        "one column name per header cell (unmerge the header cells)",
                        str(rng.coord),
                    )
                )
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
    return plan, problems + more
