"""Write a plan as a folder (plan.toml + CSV) or as one workbook; the round trip is lossless.

The side tables (``macc.csv``, ``ets.csv``, ``forest.csv``) are written as their text: a
folder's files, or a workbook's sheets ``macc``, ``ets``, ``forest`` with typed cells
(:func:`neutra.io.workbook.typed_cell`).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import tomli_w
from pydantic import BaseModel

from neutra.errors import PlanError
from neutra.io.balance import balance_stem
from neutra.io.workbook import typed_cell
from neutra.model.balance import FUELS, ITEMS
from neutra.model.plan import Plan
from neutra.model.tables import (
    ACTIVITY,
    EXTRA_TABLES,
    FACILITIES,
    FACTORS,
    INSTRUMENTS,
    OUTPUTS,
    SERIES,
    TableSpec,
)


def _header(model: BaseModel) -> dict[str, Any]:
    data = model.model_dump(mode="json", exclude_none=True)
    return {k: v for k, v in data.items() if v != [] and v != ()}


def _frame(spec: TableSpec, records: list[dict[str, Any]] | pd.DataFrame) -> pd.DataFrame:
    df = records if isinstance(records, pd.DataFrame) else pd.DataFrame(records)
    cols = [c for c in spec.names if c in df.columns and df[c].notna().any()]
    return df[cols].reset_index(drop=True)


def plan_tables(plan: Plan) -> dict[str, pd.DataFrame]:
    """The plan's tables as frames with the declared columns (empty columns dropped)."""
    out = {ACTIVITY.name: _frame(ACTIVITY, plan.activity)} if len(plan.activity) else {}
    if plan.facilities:
        out[FACILITIES.name] = _frame(
            FACILITIES, [f.model_dump(mode="json") for f in plan.facilities]
        )
    if plan.instruments:
        out[INSTRUMENTS.name] = _frame(
            INSTRUMENTS, [i.model_dump(mode="json") for i in plan.instruments]
        )
    if plan.outputs:
        out[OUTPUTS.name] = _frame(OUTPUTS, [o.model_dump(mode="json") for o in plan.outputs])
    if plan.user_factors is not None:
        out[FACTORS.name] = _frame(FACTORS, plan.user_factors)
    if plan.series is not None:
        out[SERIES.name] = _frame(SERIES, plan.series)
    for spec in EXTRA_TABLES:
        if spec.name in plan.tables:
            out[spec.name] = _frame(spec, plan.tables[spec.name])
    return out


def balance_grids(plan: Plan) -> dict[str, list[list[Any]]]:
    """Each year's energy balance in the yearbook layout: labels, fuel header, unit row."""
    out: dict[str, list[list[Any]]] = {}
    if plan.balances is None:
        return out
    for year, g in plan.balances.groupby("year"):
        fuels = [f for f in FUELS if f.id in set(g["fuel"])]
        items = [i for i in ITEMS if i.id in set(g["item"])]
        cells = g.set_index(["item", "fuel"])["value"].to_dict()
        grid: list[list[Any]] = [
            ["项目", *[f.zh for f in fuels]],
            ["单位", *[f.unit for f in fuels]],
        ]
        for it in items:
            label = "回收能" if it.id == "transformation_recovery" else it.zh
            grid.append([label, *[cells.get((it.id, f.id)) for f in fuels]])
        out[balance_stem(int(year))] = grid
    return out


def write_folder(plan: Plan, folder: Path) -> Path:
    """Write ``plan.toml`` and one UTF-8 CSV per table into ``folder``."""
    if folder.exists() and not folder.is_dir():
        raise PlanError(f"{folder}: exists and is not a folder")
    folder.mkdir(parents=True, exist_ok=True)
    head = {"entity": _header(plan.entity), "settings": _header(plan.settings)}
    (folder / "plan.toml").write_text(tomli_w.dumps(head), encoding="utf-8")
    for name, df in plan_tables(plan).items():
        df.to_csv(folder / f"{name}.csv", index=False, encoding="utf-8", lineterminator="\n")
    for name, text in plan.side_tables.items():  # as read: a folder's file is copied exactly
        with (folder / name).open("w", encoding="utf-8", newline="") as fh:
            fh.write(text)
    for stem, grid in balance_grids(plan).items():
        with (folder / f"{stem}.csv").open("w", encoding="utf-8", newline="") as fh:
            csv.writer(fh, lineterminator="\n").writerows(
                [
                    ["" if v is None else (repr(v) if isinstance(v, float) else v) for v in r]
                    for r in grid
                ]
            )
    return folder


def _cell(v: Any) -> Any:
    if v is None or v is pd.NA:
        return None
    if isinstance(v, float) and v != v:
        return None
    if hasattr(v, "item"):
        return v.item()
    return v


def _keep_text(cell: Any) -> None:
    """Text that starts with "=" is text, not a spreadsheet formula."""
    if isinstance(cell.value, str) and cell.value.startswith("="):
        cell.data_type = "s"


def _side_sheet(ws: Any, text: str) -> None:
    """A side table's CSV text as a sheet: CSV record *i* (blank lines included) in row *i* + 1,
    the header as text, other cells typed (:func:`neutra.io.workbook.typed_cell`)."""
    header = True
    for r, record in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not any(c.strip() for c in record):
            continue  # a blank row
        for col, cell_text in enumerate(record, start=1):
            value, fmt = (cell_text.strip() or None, None) if header else typed_cell(cell_text)
            if value is None:
                continue
            cell = ws.cell(row=r, column=col, value=value)
            if fmt is not None:
                cell.number_format = fmt
            _keep_text(cell)
        header = False


def write_workbook(plan: Plan, path: Path) -> Path:
    """Write one workbook: key | value sheets entity and settings, then one sheet per table
    (the side tables' sheets ``macc``, ``ets``, ``forest`` among them)."""
    wb = openpyxl.Workbook()
    first = wb.active
    if first is not None:
        wb.remove(first)
    for name, model in (("entity", plan.entity), ("settings", plan.settings)):
        ws = wb.create_sheet(name)
        ws.append(["key", "value"])
        for k, v in _header(model).items():
            ws.append([k, ", ".join(map(str, v)) if isinstance(v, list) else v])
    for name, df in plan_tables(plan).items():
        ws = wb.create_sheet(name)
        ws.append(list(df.columns))
        for row in df.itertuples(index=False):
            ws.append([_cell(v) for v in row])
            for cell in ws[ws.max_row]:
                _keep_text(cell)
    for name, text in plan.side_tables.items():
        _side_sheet(wb.create_sheet(name.removesuffix(".csv")), text)
    for stem, grid in balance_grids(plan).items():
        ws = wb.create_sheet(stem)
        for r in grid:
            ws.append(r)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path
