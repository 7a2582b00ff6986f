"""Allowance allocation: benchmark (China's power formula), grandfathering, given, auctioning.

Benchmark, China's national ETS, power sector (the MEE allocation plans; SOURCES.md "Carbon
market" [R])::

    A = B_e × Q_e × F + B_h × Q_h
    F = F_cooling × F_heat × F_load           (unless the row gives its own ``correction``)
    F_heat = 1 − s × heat ratio                (s: 0.22 coal [unverified], 0.6 gas [reported])

with ``B_e`` (t CO2/MWh) and ``B_h`` (t CO2/GJ) the benchmarks of the unit type and year,
``Q_e`` electricity supplied (MWh), ``Q_h`` heat supplied (GJ). Gas units take no cooling
correction. The load-factor correction of the plans is not shipped: ``F_load`` is the row's
``load_correction`` (1 when empty). The figures come from the template (cited, with status);
a row may override the benchmarks with its own.

Grandfathering: ``A = factor × history_t``. Given: the row's ``free_allocation_t``.
Auctioning: the auctioned share ``w`` of the verified emissions is bought at auction at the
year's price. A mix weights the methods (weights sum to 1)::

    free = w_b × A_benchmark + w_g × A_grandfathered + w_given × A_given
    auctioned = w_auction × verified emissions
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import pandas as pd

from neutra.errors import PlanValidationError, Problem
from neutra.market.templates import Parameter, Template

WEIGHT_TOLERANCE = 1e-9  # weights must sum to 1 within this


class Method(StrEnum):
    """How free allowances are determined (or, for AUCTION, bought)."""

    BENCHMARK = "benchmark"  # 基准线法
    GRANDFATHERING = "grandfathering"  # 历史排放法
    GIVEN = "given"  # free allocation given in the table
    AUCTION = "auction"  # 有偿拍卖


METHOD_ALIASES: dict[str, Method] = {
    **{m.value: m for m in Method},
    "基准线法": Method.BENCHMARK,
    "基准法": Method.BENCHMARK,
    "历史排放法": Method.GRANDFATHERING,
    "历史法": Method.GRANDFATHERING,
    "拍卖": Method.AUCTION,
    "有偿分配": Method.AUCTION,
    "给定": Method.GIVEN,
}

# Unit types of China's power allocation plans: id → (English, 中文).
UNIT_TYPES: dict[str, tuple[str, str]] = {
    "coal_above_300mw": ("conventional coal, above 300 MW class", "300MW等级以上常规燃煤机组"),
    "coal_300mw_and_below": (
        "conventional coal, 300 MW class and below",
        "300MW等级及以下常规燃煤机组",
    ),
    "coal_unconventional": (
        "unconventional coal (gangue, slime, water slurry; incl. CFB)",
        "燃煤矸石、煤泥、水煤浆等非常规燃煤机组（含燃煤循环流化床机组）",
    ),
    "gas": ("gas-fired", "燃气机组"),
}
UNIT_ALIASES: dict[str, str] = {
    **{k: k for k in UNIT_TYPES},
    **{zh: k for k, (_en, zh) in UNIT_TYPES.items()},
    "300mw以上常规燃煤机组": "coal_above_300mw",
    "300mw及以下常规燃煤机组": "coal_300mw_and_below",
    "非常规燃煤机组": "coal_unconventional",
    "燃气": "gas",
}
COOLING_ALIASES: dict[str, str] = {"air": "air", "空冷": "air", "water": "water", "水冷": "water"}


def unit_type_id(text: object) -> str | None:
    """The unit-type id a user's text names (id or Chinese name), or ``None``."""
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return None
    return UNIT_ALIASES.get(str(text).strip().lower())


@dataclass(frozen=True, slots=True)
class AllocationRule:
    """Methods and their weights (summing to 1), with their settings.

    Attributes:
        weights: (method, weight) pairs; weights ≥ 0 summing to 1.
        grandfather_factor: share of historical emissions allocated free (≥ 0).
        benchmark_year: take benchmarks and corrections of this year for every row (e.g. to
            project with the latest published benchmarks); ``None``: each row's own year.
    """

    weights: tuple[tuple[Method, float], ...]
    grandfather_factor: float = 1.0
    benchmark_year: int | None = None

    def weight(self, method: Method) -> float:
        return sum(w for m, w in self.weights if m is method)

    @classmethod
    def parse(
        cls,
        text: str,
        grandfather_factor: float = 1.0,
        benchmark_year: int | None = None,
    ) -> AllocationRule:
        """A rule from ``benchmark`` or ``benchmark:0.7,auction:0.3`` (Chinese names too).

        Raises:
            PlanValidationError: unknown method, bad weight, weights not summing to 1.
        """
        problems: list[Problem] = []
        weights: list[tuple[Method, float]] = []
        parts = [p.strip() for p in text.split(",") if p.strip()]
        for part in parts or [""]:
            name, _, w = part.partition(":")
            method = METHOD_ALIASES.get(name.strip().lower())
            if method is None:
                problems.append(
                    Problem(
                        "--method",
                        None,
                        "method",
                        name,
                        f"one of {', '.join(m.value for m in Method)}, or a weighted mix "
                        "such as benchmark:0.7,auction:0.3",
                    )
                )
                continue
            try:
                value = float(w) if w.strip() else 1.0
            except ValueError:
                value = float("nan")
            if not (value >= 0 and math.isfinite(value)):
                problems.append(Problem("--method", None, method.value, w, "a weight ≥ 0"))
                continue
            weights.append((method, value))
        total = sum(v for _m, v in weights)
        if not problems and abs(total - 1.0) > WEIGHT_TOLERANCE:
            problems.append(
                Problem("--method", None, "weights", f"{total:g}", "weights that sum to 1")
            )
        if not (grandfather_factor >= 0 and math.isfinite(grandfather_factor)):
            problems.append(
                Problem(
                    "--grandfather-factor", None, "factor", str(grandfather_factor), "a factor ≥ 0"
                )
            )
        if problems:
            raise PlanValidationError(problems)
        return cls(tuple(weights), grandfather_factor, benchmark_year)

    def describe(self) -> str:
        return ",".join(f"{m.value}:{w:g}" for m, w in self.weights)


@dataclass(frozen=True)
class Allocation:
    """Free and auctioned allowances by row, and the cited parameters used.

    ``frame`` is the input frame with added columns (t CO2e unless said otherwise):
    ``supply_benchmark`` (t/MWh), ``heat_benchmark`` (t/GJ), ``correction_used``,
    ``benchmark_t``, ``grandfathered_t``, ``given_t``, ``free_t``, ``auctioned_t``.
    """

    frame: pd.DataFrame
    parameters: tuple[Parameter, ...]
    notes: tuple[str, ...]


class _Collector:
    """Problems of a table, grouped by (field, value, expected) with all their rows."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.groups: dict[tuple[str, str, str], list[int]] = {}

    def add(self, rows: Iterable[int], field: str, values: Iterable[object], expected: str) -> None:
        for r, v in zip(rows, values, strict=True):
            text = "" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v)
            self.groups.setdefault((field, text, expected), []).append(int(r))

    def mask(self, mask: np.ndarray, frame: pd.DataFrame, field: str, expected: str) -> None:
        if mask.any():
            column = frame[field] if field in frame.columns else pd.Series([None] * len(frame))
            self.add(frame["row"].to_numpy()[mask], field, column.to_numpy()[mask], expected)

    def problems(self) -> list[Problem]:
        out = []
        for (field, value, expected), rows in self.groups.items():
            rs = tuple(sorted(set(rows)))
            out.append(
                Problem(
                    self.label,
                    rs[0],
                    field,
                    value or None,
                    expected,
                    None,
                    rs if len(rs) > 1 else (),
                )
            )
        return out


def _num(frame: pd.DataFrame, column: str) -> np.ndarray:
    if column not in frame.columns:
        return np.full(len(frame), np.nan)
    values = pd.to_numeric(frame[column], errors="coerce")
    return np.asarray(values, dtype=np.float64)


def _benchmark(
    frame: pd.DataFrame, t: Template, rule: AllocationRule, bad: _Collector
) -> tuple[pd.DataFrame, set[Parameter]]:
    """Benchmark allocation by row (China's power formula); problems go to ``bad``."""
    n = len(frame)
    used: set[Parameter] = set()
    units = [unit_type_id(v) for v in frame.get("unit_type", pd.Series([None] * n))]
    raw_units = frame.get("unit_type", pd.Series([None] * n)).to_numpy()
    years = frame["year"].to_numpy()
    by = [rule.benchmark_year if rule.benchmark_year is not None else int(y) for y in years]
    elec = _num(frame, "electricity_supplied_mwh")
    heat = np.nan_to_num(_num(frame, "heat_supplied_gj"), nan=0.0)
    own_sup = _num(frame, "supply_benchmark_t_per_mwh")
    own_heat = _num(frame, "heat_benchmark_t_per_gj")
    corr = _num(frame, "correction")
    ratio = _num(frame, "heat_ratio")
    load = np.nan_to_num(_num(frame, "load_correction"), nan=1.0)
    cooling = [
        COOLING_ALIASES.get(str(v).strip().lower())
        for v in frame.get("cooling", pd.Series([None] * n))
    ]
    rows = frame["row"].to_numpy()
    sup_years = t.years("supply_benchmark")
    span = f"{sup_years[0]}–{sup_years[1]}" if sup_years else "none"

    def find(parameter: str, year: int, key: str | None) -> Parameter | None:
        return None if key is None else t.find(parameter, year, key)

    def own_or_template(own: float, parameter: str, i: int, give: str) -> float:
        """The row's own benchmark, else the template's for its unit and year (NaN and a
        problem if the template has none)."""
        if not np.isnan(own):
            return own
        p = find(parameter, by[i], units[i])
        if p is None:
            what = parameter.replace("_", " ")
            bad.add(
                [rows[i]],
                "year",
                [by[i]],
                f"a year with a {t.name} {what} ({span}); or give {give}",
            )
            return math.nan
        used.add(p)
        return p.value

    sup = np.full(n, np.nan)
    hbm = np.full(n, np.nan)
    factor = np.full(n, np.nan)
    for i in range(n):
        u, y = units[i], by[i]
        needs_type = np.isnan(own_sup[i]) or (heat[i] > 0 and np.isnan(own_heat[i]))
        needs_type = needs_type or np.isnan(corr[i])
        if u is None and needs_type:
            bad.add(
                [rows[i]],
                "unit_type",
                [raw_units[i]],
                f"a unit type: one of {', '.join(UNIT_TYPES)} (or its Chinese name)",
            )
            continue
        if np.isnan(elec[i]):
            bad.add([rows[i]], "electricity_supplied_mwh", [None], "electricity supplied, MWh")
        # Supply and heat benchmarks: the row's own, else the template's for the unit and year.
        sup[i] = own_or_template(
            own_sup[i], "supply_benchmark", i, "supply_benchmark_t_per_mwh, or --benchmark-year"
        )
        hbm[i] = (
            own_or_template(own_heat[i], "heat_benchmark", i, "heat_benchmark_t_per_gj")
            if heat[i] > 0
            else 0.0
        )
        # Correction: the row's own, else cooling × heat-supply × load corrections.
        if not np.isnan(corr[i]):
            factor[i] = corr[i]
            continue
        f = load[i]
        if u != "gas":
            if cooling[i] is None:
                bad.add(
                    [rows[i]],
                    "cooling",
                    [frame["cooling"].iloc[i] if "cooling" in frame.columns else None],
                    "air or water (空冷/水冷) for a coal unit, or a 'correction' value",
                )
                continue
            p = find("cooling_correction", y, cooling[i])
            if p is None:
                bad.add(
                    [rows[i]],
                    "year",
                    [y],
                    f"a year with a {t.name} cooling correction; or give 'correction'",
                )
                continue
            f *= p.value
            used.add(p)
        r = ratio[i]
        if np.isnan(r):
            if heat[i] > 0:
                bad.add(
                    [rows[i]],
                    "heat_ratio",
                    [None],
                    "the heat ratio (供热比, 0–1) of a unit that supplies heat, or a "
                    "'correction' value",
                )
                continue
            r = 0.0
        if r > 0:
            p = find("heat_correction_slope", y, "gas" if u == "gas" else "coal")
            if p is None:
                bad.add(
                    [rows[i]],
                    "year",
                    [y],
                    f"a year with a {t.name} heat-supply correction; or give 'correction'",
                )
                continue
            f *= 1.0 - p.value * r
            used.add(p)
        factor[i] = f
    out = pd.DataFrame(
        {
            "supply_benchmark": sup,
            "heat_benchmark": hbm,
            "correction_used": factor,
            "benchmark_t": sup * np.nan_to_num(elec, nan=0.0) * factor + hbm * heat,
        },
        index=frame.index,
    )
    return out, used


def allocate(
    frame: pd.DataFrame,
    template: Template,
    rule: AllocationRule,
    label: str,
    columns: Iterable[str] | None = None,
) -> Allocation:
    """Free and auctioned allowances of every row (one entity-year) under ``rule``.

    Args:
        frame: the checked entities table (``row``, ``entity``, ``year``,
            ``verified_emissions_t`` and the optional columns; empty cells NaN/None).
        template: the ETS template whose cited benchmarks and corrections are used.
        rule: methods and weights.
        label: the table's file name, for located problems.
        columns: the columns the table had (an absent ``free_allocation_t`` column means no
            free allocation under ``given``); ``None``: those of ``frame``.

    Raises:
        PlanValidationError: every row that lacks what its methods need, at once.
    """
    present = set(frame.columns if columns is None else columns)
    bad = _Collector(label)
    used: set[Parameter] = set()
    notes: list[str] = []
    n = len(frame)
    out = frame.copy()
    verified = _num(frame, "verified_emissions_t")
    zeros = np.zeros(n)
    bench = pd.DataFrame(
        {
            "supply_benchmark": np.full(n, np.nan),
            "heat_benchmark": np.full(n, np.nan),
            "correction_used": np.full(n, np.nan),
            "benchmark_t": zeros,
        },
        index=frame.index,
    )
    if rule.weight(Method.BENCHMARK) > 0:
        bench, used = _benchmark(frame, template, rule, bad)
    grand = zeros
    if rule.weight(Method.GRANDFATHERING) > 0:
        history = _num(frame, "history_t")
        bad.mask(np.isnan(history), frame, "history_t", "historical emissions, t CO2e")
        grand = rule.grandfather_factor * np.nan_to_num(history, nan=0.0)
    given = zeros
    if rule.weight(Method.GIVEN) > 0:
        free_in = _num(frame, "free_allocation_t")
        if "free_allocation_t" in present:
            bad.mask(
                np.isnan(free_in), frame, "free_allocation_t", "free allowances, t CO2e (0 if none)"
            )
            given = np.nan_to_num(free_in, nan=0.0)
        else:
            notes.append(
                "no free_allocation_t column: no free allocation (everything is bought) / "
                "无免费配额列：全部配额需购买"
            )
    problems = bad.problems()
    if problems:
        raise PlanValidationError(problems)
    wb, wg = rule.weight(Method.BENCHMARK), rule.weight(Method.GRANDFATHERING)
    wv, wa = rule.weight(Method.GIVEN), rule.weight(Method.AUCTION)
    for c in bench.columns:
        out[c] = bench[c].to_numpy()
    out["grandfathered_t"] = grand
    out["given_t"] = given
    out["free_t"] = wb * bench["benchmark_t"].to_numpy() + wg * grand + wv * given
    out["auctioned_t"] = wa * np.nan_to_num(verified, nan=0.0)
    if wb > 0 and "load_correction" not in present and "correction" not in present:
        notes.append(
            "load-factor correction taken as 1 (the plans' table is not shipped; give "
            "load_correction or correction) / 负荷（出力）系数修正系数按1计"
        )
    return Allocation(out, tuple(sorted(used, key=lambda p: p.id)), tuple(notes))


__all__ = [
    "METHOD_ALIASES",
    "UNIT_TYPES",
    "Allocation",
    "AllocationRule",
    "Method",
    "allocate",
    "unit_type_id",
]
