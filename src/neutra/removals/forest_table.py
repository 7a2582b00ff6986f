"""Forest tables: a CSV of strata for the stock-difference or the gain–loss method, read and checked.

One row per stratum and year; a header row; case and spaces of headers do not matter and the
Chinese headers below are understood; UTF-8 and GBK/GB18030 files are read. Columns:

stock-difference (IPCC 2006 Vol. 4 Eq. 2.8)
    ``stratum, year, bcef_s, root_shoot`` (required), ``area_ha`` with ``volume_m3_per_ha``, or
    ``volume_m3`` (total), ``carbon_fraction`` (blank → unverified default 0.47), ``note``.
gain-loss (Eq. 2.7, 2.9–2.14)
    ``stratum, year, area_ha, root_shoot`` (required), ``gw_t_per_ha`` or ``iv_m3_per_ha`` with
    ``bcef_i``, ``carbon_fraction``, ``removals_m3``, ``bcef_r``, ``fuelwood_trees_m3``,
    ``fuelwood_parts_m3``, ``wood_density_t_per_m3``, ``disturbed_ha``,
    ``disturbed_biomass_t_per_ha``, ``disturbance_fraction``, ``note``. A blank loss amount is
    no loss.

Every problem — unknown or missing column, empty cell, malformed number, value out of range, a
missing factor, a duplicate stratum-year — is collected and raised once, located by row
(header = row 1) and field.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from neutra.errors import PlanError, Problem, raise_if_problems
from neutra.io.tables import TableSource, read_standalone_csv, type_table
from neutra.model.tables import TableSpec
from neutra.removals.forest import (
    GAIN_LOSS,
    STOCK_DIFFERENCE,
    ForestSinks,
    GainLossYear,
    SinkMethod,
    StockInventory,
    _gain_loss,
    _single_inventories,
    _stock_difference,
    check_gain_loss,
    check_inventories,
)

SPECS: dict[SinkMethod, TableSpec] = {
    SinkMethod.STOCK_DIFFERENCE: STOCK_DIFFERENCE,
    SinkMethod.GAIN_LOSS: GAIN_LOSS,
}

# Chinese headers (applied before the project's common aliases such as 年份, 备注).
FOREST_HEADER_ALIASES: dict[str, str] = {
    "分层": "stratum",
    "层": "stratum",
    "林分": "stratum",
    "林分类型": "stratum",
    "面积": "area_ha",
    "面积_公顷": "area_ha",
    "单位面积蓄积量": "volume_m3_per_ha",
    "蓄积量": "volume_m3",
    "总蓄积量": "volume_m3",
    "根茎比": "root_shoot",
    "含碳率": "carbon_fraction",
    "碳含量": "carbon_fraction",
    "年生长量": "gw_t_per_ha",
    "年净生长量": "iv_m3_per_ha",
    "采伐量": "removals_m3",
    "木材采伐量": "removals_m3",
    "薪材": "fuelwood_trees_m3",
    "木材密度": "wood_density_t_per_m3",
    "受灾面积": "disturbed_ha",
    "损失比例": "disturbance_fraction",
}


def _other_method_hint(names: list[str], method: SinkMethod) -> str:
    """A hint when the header fits the other method better."""
    other = (
        SinkMethod.GAIN_LOSS
        if method is SinkMethod.STOCK_DIFFERENCE
        else SinkMethod.STOCK_DIFFERENCE
    )
    own, alt = SPECS[method].names, SPECS[other].names
    if sum(n in alt for n in names) > sum(n in own for n in names):
        return f" (the header looks like a {other.value} table: use --method {other.value})"
    return ""


def _get(rec: dict[str, Any], name: str) -> float | None:
    v = rec.get(name)
    return None if v is None or pd.isna(v) else float(v)


def read_forest_table(
    path: TableSource, method: SinkMethod | str
) -> tuple[list[Any], list[int], str]:
    """Read and check a forest table for ``method``: a CSV file, or its text
    (:class:`neutra.io.tables.TableText`: a plan's ``forest.csv`` or ``forest`` sheet). The
    records are checked as the engines check them (:func:`neutra.removals.forest.
    check_inventories` with every stratum's two inventory years, :func:`neutra.removals.forest.
    check_gain_loss`), so they go into the engines without a second check.

    Returns:
        the records (:class:`StockInventory` or :class:`GainLossYear`), the row each came from
        (header = row 1), and the file's name (the text's label).

    Raises:
        PlanError: the file does not exist or the method is unknown.
        PlanValidationError: every problem of the file at once.
    """
    try:
        m = SinkMethod(method)
    except ValueError:
        raise PlanError(f"method {method!r}: expected stock-difference or gain-loss") from None
    spec = SPECS[m]
    raw = read_standalone_csv(
        path, spec, expected="a CSV table of forest strata", aliases=FOREST_HEADER_ALIASES
    )
    label = raw.label
    hint = _other_method_hint(list(raw.frame.columns), m)
    if hint:
        raw.problems = [
            Problem(q.file, q.row, q.field, q.value, q.expected + hint, q.cell, q.rows)
            if q.row == 1
            else q
            for q in raw.problems
        ]
    typed, bad = type_table(raw)
    problems = list(raw.problems)
    items: list[Any] = []
    rows: list[int] = []
    if all(c in typed.columns for c in spec.required):
        for rec, is_bad in zip(typed.to_dict("records"), np.asarray(bad, dtype=bool), strict=True):
            if is_bad:
                continue
            rows.append(int(rec["row"]))
            items.append(_record(m, rec))
        if m is SinkMethod.STOCK_DIFFERENCE:
            if items:
                problems += check_inventories(items, label, rows, require_pairs=False)
            ok = typed[typed["stratum"].notna() & typed["year"].notna()]
            keys = [(str(n), int(y)) for n, y in zip(ok["stratum"], ok["year"], strict=True)]
            # counting rows with other problems too
            problems += _single_inventories(keys, label, [int(r) for r in ok["row"]])
        elif items:
            problems += check_gain_loss(items, label, rows)
    raise_if_problems(problems)
    return items, rows, label


def _record(method: SinkMethod, rec: dict[str, Any]) -> StockInventory | GainLossYear:
    if method is SinkMethod.STOCK_DIFFERENCE:
        return StockInventory(
            stratum=str(rec["stratum"]),
            year=int(rec["year"]),
            bcef_s=float(rec["bcef_s"]),
            root_shoot=float(rec["root_shoot"]),
            area_ha=_get(rec, "area_ha"),
            volume_m3_per_ha=_get(rec, "volume_m3_per_ha"),
            volume_m3=_get(rec, "volume_m3"),
            carbon_fraction=_get(rec, "carbon_fraction"),
        )
    return GainLossYear(
        stratum=str(rec["stratum"]),
        year=int(rec["year"]),
        area_ha=float(rec["area_ha"]),
        root_shoot=float(rec["root_shoot"]),
        gw_t_per_ha=_get(rec, "gw_t_per_ha"),
        iv_m3_per_ha=_get(rec, "iv_m3_per_ha"),
        bcef_i=_get(rec, "bcef_i"),
        carbon_fraction=_get(rec, "carbon_fraction"),
        removals_m3=_get(rec, "removals_m3") or 0.0,
        bcef_r=_get(rec, "bcef_r"),
        fuelwood_trees_m3=_get(rec, "fuelwood_trees_m3") or 0.0,
        fuelwood_parts_m3=_get(rec, "fuelwood_parts_m3") or 0.0,
        wood_density_t_per_m3=_get(rec, "wood_density_t_per_m3"),
        disturbed_ha=_get(rec, "disturbed_ha") or 0.0,
        disturbed_biomass_t_per_ha=_get(rec, "disturbed_biomass_t_per_ha"),
        disturbance_fraction=_get(rec, "disturbance_fraction"),
    )


def forest_sinks(
    path: TableSource, method: SinkMethod | str = SinkMethod.STOCK_DIFFERENCE
) -> ForestSinks:
    """Read a forest table (a CSV file or its text, :class:`neutra.io.tables.TableText`) and
    compute its carbon stock changes with ``method``.

    Raises:
        PlanError: the file does not exist or the method is unknown.
        PlanValidationError: every problem of the file at once.
    """
    items, _rows, label = read_forest_table(path, method)  # checked
    if SinkMethod(method) is SinkMethod.STOCK_DIFFERENCE:
        return _stock_difference(items, label)
    return _gain_loss(items, label)


__all__ = [
    "FOREST_HEADER_ALIASES",
    "GAIN_LOSS",
    "SPECS",
    "STOCK_DIFFERENCE",
    "forest_sinks",
    "read_forest_table",
]
