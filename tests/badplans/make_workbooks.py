"""Generate the binary fixtures of the bad-plan corpus: the workbook cases (``plan.xlsx``).

The generated files are committed, so the tests never run this script. Run it again after
changing a case here::

    .venv/bin/python tests/badplans/make_workbooks.py

Every workbook is a small copy of examples/steel-enterprise as one .xlsx file: sheets
``entity`` and ``settings`` (key | value) and ``facilities`` and ``activity`` (the CSV columns).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl

HERE = Path(__file__).resolve().parent

ENTITY: list[tuple[str, Any]] = [
    ("name", "Fixture Steel Co. (fictional)"),
    ("level", "enterprise"),
    ("base_year", 2022),
    ("reporting_years", "2022, 2023"),
    ("grid_region", "CN-East"),
    ("market", "CN"),
    ("boundary", "operational_control"),
]
SETTINGS: list[tuple[str, Any]] = [
    ("gwp_set", "AR5"),
    ("factor_sets", "ipcc2006, ipcc2006-ippu, cn-mee-grid"),
]
FACILITIES: list[list[Any]] = [
    ["id", "name", "grid_region", "operational_control", "financial_control", "legal_entity"],
    ["works", "BF-BOF works", "CN-East", True, True, True],
    ["mill", "Rolling mill", "CN-East", True, True, True],
]
ACTIVITY_HEADER = [
    "facility",
    "year",
    "scope",
    "category",
    "activity",
    "amount",
    "unit",
    "ncv",
    "ncv_unit",
    "tier",
    "uncertainty_pct",
    "evidence",
    "note",
]
ACTIVITY_ROWS: list[list[Any]] = [
    [
        "works",
        2022,
        1,
        "stationary_combustion",
        "natural_gas",
        1.45,
        "亿m3",
        36.2,
        "MJ/m3",
        3,
        1.5,
        "fiscal gas meter",
        "preheating",
    ],
    [
        "works",
        2022,
        1,
        "stationary_combustion",
        "other_bituminous_coal",
        152,
        "万t",
        None,
        None,
        2,
        None,
        "weighbridge",
        "coal injection",
    ],
    [
        "works",
        2022,
        2,
        "electricity",
        "electricity",
        16.8,
        "亿kWh",
        None,
        None,
        3,
        1,
        "grid bills",
        None,
    ],
    [
        "mill",
        2023,
        1,
        "mobile_combustion",
        "gas_diesel_oil",
        1.8,
        "万t",
        None,
        None,
        2,
        None,
        "fuel cards",
        "plant vehicles",
    ],
    [
        "mill",
        2023,
        2,
        "electricity",
        "electricity",
        7.1,
        "亿kWh",
        None,
        None,
        3,
        1,
        "grid bills",
        None,
    ],
]


def base_workbook(activity_rows: list[list[Any]] | None = None) -> openpyxl.Workbook:
    """The valid core plan as a workbook (the activity rows may be replaced)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "entity"
    ws.append(["key", "value"])
    for kv in ENTITY:
        ws.append(list(kv))
    ws = wb.create_sheet("settings")
    ws.append(["key", "value"])
    for kv in SETTINGS:
        ws.append(list(kv))
    ws = wb.create_sheet("facilities")
    for row in FACILITIES:
        ws.append(row)
    ws = wb.create_sheet("activity")
    ws.append(ACTIVITY_HEADER)
    for row in ACTIVITY_ROWS if activity_rows is None else activity_rows:
        ws.append(row)
    return wb


def xlsx_ok() -> openpyxl.Workbook:
    """Positive control: the core plan as a workbook validates."""
    return base_workbook()


def xlsx_merged_header() -> openpyxl.Workbook:
    """Two header cells of the activity sheet merged (amount + unit, as a "quantity" title)."""
    wb = base_workbook()
    ws = wb["activity"]
    ws["F1"] = "amount"
    ws.merge_cells("F1:G1")
    return wb


def xlsx_bad_rows() -> openpyxl.Workbook:
    """Row problems in a workbook, after a blank row: rows and cells as Excel shows them."""
    rows = [list(r) for r in ACTIVITY_ROWS]
    rows[3][5] = -1.8  # sheet row 5 (header 1), amount = column F
    rows.insert(4, [None] * len(ACTIVITY_HEADER))  # blank sheet row 6
    rows[5][0] = "smelter"  # sheet row 7, facility = column A
    return base_workbook(rows)


def xlsx_unknown_activity() -> openpyxl.Workbook:
    """A problem found against the reference data must still point at its sheet cell."""
    rows = [list(r) for r in ACTIVITY_ROWS]
    rows[1][4] = "other_bitumnous_coal"  # sheet row 3, activity = column E
    return base_workbook(rows)


CASES: dict[str, Callable[[], openpyxl.Workbook]] = {
    "xlsx_ok": xlsx_ok,
    "xlsx_merged_header": xlsx_merged_header,
    "xlsx_bad_rows": xlsx_bad_rows,
    "xlsx_unknown_activity": xlsx_unknown_activity,
}


def main() -> None:
    for name, make in CASES.items():
        folder = HERE / name
        folder.mkdir(exist_ok=True)
        make().save(folder / "plan.xlsx")


if __name__ == "__main__":
    main()
