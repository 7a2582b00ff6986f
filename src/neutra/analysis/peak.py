"""Peak detection (达峰判断) for an annual series: peaked, on a plateau, or not yet peaked.

Works on any series of non-negative yearly values: historical or projected emissions, energy use,
a sector's coal consumption.  The rule is stated once, here, and in ``docs/method-peak.md``.

**The rule.**  Let the series have ``n`` observations ``v_1 … v_n`` in strictly increasing years,
``M = max(v)``, the *peak* the earliest observation equal to ``M`` (ties go to the earliest year),
``τ = tolerance`` and ``k = plateau_years``.  An observation is *within tolerance* of the maximum
when ``M − v ≤ τ·M`` (so with τ = 2 %, 98 is within tolerance of 100), and *below the band*
otherwise.  The *last k values* are the last ``k`` observations (data points, not calendar
years: a five-yearly projection is judged on its last ``k`` points).

1. ``INSUFFICIENT_DATA`` if ``n < k + 1``.
2. ``NOT_PEAKED`` if the last value is the peak, i.e. strictly above every earlier value: the
   series is still setting new highs.  (A last value that only *equals* an earlier maximum is not
   a new high.)
3. ``PLATEAU`` if the last ``k`` values are all within tolerance of ``M``: the series has stopped
   rising but has not clearly fallen (the "within 2 % of the maximum for three years" reading).
4. ``PEAKED`` if the last ``k`` values are all below the band, i.e. each more than ``τ·M`` below
   ``M``.  The peak is then necessarily before those ``k`` years.  Values between the peak and
   the last ``k`` may be anything up to ``M`` (a plateau, a rebound that stays below ``M``).
5. ``NOT_PEAKED`` otherwise (the last ``k`` values straddle the band): a fall that is not yet
   confirmed.

Consequences, on purpose: a series that falls from its first year has ``PEAKED`` in its first
year, and :attr:`PeakResult.peak_at_start` says that the real peak may lie before the data; a
one-year spike is the peak (clean outliers first); a series of zeros is a ``PLATEAU``.

The comparison ``M − v ≤ τ·M`` allows a relative slack of 1e-9 of ``M`` so that binary rounding
does not move a value printed exactly at the boundary (12.3 × 0.98) out of the band.
"""

from __future__ import annotations

import itertools
import math
import numbers
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeGuard

import pandas as pd

from neutra.errors import PlanError
from neutra.i18n import Lang

__all__ = ["PeakResult", "PeakStatus", "PeakTiming", "Plateau", "detect_peak"]

# Relative slack on ``M − v ≤ τ·M``: ~1e7 times the float64 rounding error of the product, far
# below the precision of any emissions or energy statistic.
_SLACK = 1e-9


class PeakStatus(StrEnum):
    """Where a series stands relative to its maximum (see the module docstring for the rule)."""

    PEAKED = "peaked"
    PLATEAU = "plateau"
    NOT_PEAKED = "not_peaked"
    INSUFFICIENT_DATA = "insufficient_data"


class PeakTiming(StrEnum):
    """Whether the peak year lies in the historical or in the projected part of the series."""

    HISTORICAL = "historical"  # peak year ≤ as_of
    PROJECTED = "projected"  # peak year > as_of
    UNSPLIT = "unsplit"  # no ``as_of`` given: history and projection are not told apart


@dataclass(frozen=True, slots=True)
class Plateau:
    """The latest run of consecutive observations within tolerance of the maximum.

    "Consecutive" is in observations: a gap in the years does not break the run.

    Attributes:
        first_year: first year of the run.
        last_year: last year of the run.
        points: number of observations in the run.
        sustained: whether the run has at least ``plateau_years`` observations.
    """

    first_year: int
    last_year: int
    points: int
    sustained: bool


@dataclass(frozen=True, slots=True)
class PeakResult:
    """The verdict of :func:`detect_peak` and the figures behind it.

    Values are in the unit of the input series (``unit``, from ``series.attrs["units"]`` when the
    input is a pandas Series, else empty).

    Attributes:
        status: peaked, plateau, not peaked or insufficient data.
        peak_year: the earliest year at which the maximum occurs.
        peak_value: the maximum.
        last_year: the last year of the series.
        last_value: the value in ``last_year``.
        below_peak_pct: ``(peak_value − last_value) / peak_value × 100``, in %; 0 when the
            maximum is 0.
        years_since_peak: ``last_year − peak_year``, in calendar years.
        plateau: the latest run of observations within tolerance of the maximum.
        timing: whether the peak year is historical or projected (``as_of``).
        first_year: the first year of the series.
        points: number of observations.
        gaps: missing years between the first and the last, as inclusive ``(from, to)`` ranges.
        tolerance: the tolerance used, as a fraction (0.02 = 2 %).
        plateau_years: the number of last observations the status is judged on.
        as_of: the last historical year, or ``None``.
        unit: unit of the values, or ``""``.
        explanation_en: one sentence in English.
        explanation_zh: the same in Chinese.
    """

    status: PeakStatus
    peak_year: int
    peak_value: float
    last_year: int
    last_value: float
    below_peak_pct: float
    years_since_peak: int
    plateau: Plateau
    timing: PeakTiming
    first_year: int
    points: int
    gaps: tuple[tuple[int, int], ...]
    tolerance: float
    plateau_years: int
    as_of: int | None
    unit: str
    explanation_en: str
    explanation_zh: str

    @property
    def peak_at_start(self) -> bool:
        """True when the maximum is the first observation: the real peak may be earlier."""
        return self.peak_year == self.first_year

    @property
    def last_is_peak(self) -> bool:
        """True when the last value is a new high (the series is still rising)."""
        return self.peak_year == self.last_year

    def explain(self, lang: Lang = "en") -> str:
        """The explanation in ``lang`` (``"en"`` or ``"zh"``)."""
        return self.explanation_zh if lang == "zh" else self.explanation_en


def detect_peak(
    series: Any,
    values: Any = None,
    /,
    *,
    tolerance: float = 0.02,
    plateau_years: int = 3,
    as_of: int | None = None,
) -> PeakResult:
    """Say whether an annual series has peaked, is on a plateau, or has not peaked.

    The rule is in this module's docstring and in ``docs/method-peak.md``.

    Args:
        series: a pandas Series of values ≥ 0 indexed by integer year; or, when ``values`` is
            given, the integer years.  Years strictly increasing; gaps allowed and reported.
        values: the values (any unit, ≥ 0, finite) when ``series`` holds the years.
        tolerance: how far below the maximum still counts as "at the maximum", as a fraction of
            it (0.02 = 2 %); 0 ≤ tolerance < 1.
        plateau_years: number of last observations the status is judged on (≥ 1).
        as_of: last historical year; later years are projections.  Only sets
            :attr:`PeakResult.timing`; the status does not depend on it.

    Returns:
        The status, the peak and last values, the plateau run and a bilingual explanation.

    Raises:
        PlanError: empty input, a missing (NaN), infinite or negative value, a year that is not
            an integer or not after the previous one, or an invalid setting.  Every problem is
            listed at once.
    """
    problems = _check_settings(tolerance, plateau_years, as_of)
    years, vals, unit = _read(series, values, problems)
    if problems:
        n = len(problems)
        if n == 1:
            raise PlanError(f"cannot detect a peak: {problems[0]}")
        lines = [f"{n} problems in the series / 序列中有 {n} 处问题:"]
        lines += [f"  - {p}" for p in problems]
        raise PlanError("\n".join(lines))

    k = plateau_years
    n = len(vals)
    peak_value = max(vals)
    p = vals.index(peak_value)  # earliest year at the maximum
    band = tolerance * peak_value + _SLACK * peak_value

    def within(v: float) -> bool:
        return peak_value - v <= band

    tail = vals[-k:]
    if n < k + 1:
        status = PeakStatus.INSUFFICIENT_DATA
    elif p == n - 1:
        status = PeakStatus.NOT_PEAKED
    elif all(within(v) for v in tail):
        status = PeakStatus.PLATEAU
    elif not any(within(v) for v in tail):
        status = PeakStatus.PEAKED
    else:
        status = PeakStatus.NOT_PEAKED

    # The latest run of consecutive observations within tolerance (the peak itself always is).
    end = max(i for i in range(n) if within(vals[i]))
    start = end
    while start > 0 and within(vals[start - 1]):
        start -= 1
    plateau = Plateau(years[start], years[end], end - start + 1, end - start + 1 >= k)

    if as_of is None:
        timing = PeakTiming.UNSPLIT
    elif years[p] <= as_of:
        timing = PeakTiming.HISTORICAL
    else:
        timing = PeakTiming.PROJECTED

    last_value = vals[-1]
    below = (peak_value - last_value) / peak_value * 100.0 if peak_value > 0 else 0.0
    gaps = tuple((a + 1, b - 1) for a, b in itertools.pairwise(years) if b - a > 1)
    en, zh = _explain(
        status=status,
        years=years,
        vals=vals,
        p=p,
        k=k,
        below=below,
        tolerance=tolerance,
        timing=timing,
        as_of=as_of,
        gaps=gaps,
        unit=unit,
    )
    return PeakResult(
        status=status,
        peak_year=years[p],
        peak_value=peak_value,
        last_year=years[-1],
        last_value=last_value,
        below_peak_pct=below,
        years_since_peak=years[-1] - years[p],
        plateau=plateau,
        timing=timing,
        first_year=years[0],
        points=n,
        gaps=gaps,
        tolerance=float(tolerance),
        plateau_years=k,
        as_of=None if as_of is None else int(as_of),
        unit=unit,
        explanation_en=en,
        explanation_zh=zh,
    )


def _is_int(x: object) -> TypeGuard[numbers.Integral]:
    return isinstance(x, numbers.Integral) and not isinstance(x, bool)


def _check_settings(tolerance: object, plateau_years: object, as_of: object) -> list[str]:
    problems = []
    if not (
        isinstance(tolerance, numbers.Real)
        and not isinstance(tolerance, bool)
        and math.isfinite(tolerance)
        and 0 <= float(tolerance) < 1
    ):
        problems.append(
            f"tolerance: got {tolerance!r}; expected a fraction of the maximum, 0 ≤ tolerance < 1"
            " (0.02 = 2 %)"
        )
    if not (_is_int(plateau_years) and int(plateau_years) >= 1):
        problems.append(f"plateau_years: got {plateau_years!r}; expected an integer ≥ 1")
    if as_of is not None and not _is_int(as_of):
        problems.append(f"as_of: got {as_of!r}; expected the last historical year (an integer)")
    return problems


def _read(series: Any, values: Any, problems: list[str]) -> tuple[list[int], list[float], str]:
    """Validate the input; append every problem found to ``problems``."""
    unit = ""
    if values is None:
        if not isinstance(series, pd.Series):
            problems.append(
                f"series: got a {type(series).__name__}; expected a pandas Series indexed by"
                " year, or the years and the values as two sequences"
            )
            return [], [], unit
        raw_years: list[Any] = series.index.tolist()
        raw_vals: list[Any] = series.tolist()
        unit = str(series.attrs.get("units", ""))
    else:
        bad = [
            (name, obj)
            for name, obj in (("years", series), ("values", values))
            if isinstance(obj, str | bytes | pd.Series | pd.DataFrame | dict)
            or not hasattr(obj, "__len__")
        ]
        for name, obj in bad:
            problems.append(
                f"{name}: got a {type(obj).__name__}; expected a sequence or array of {name}"
            )
        if bad:
            return [], [], unit
        raw_years = list(series)
        raw_vals = list(values)
        if len(raw_years) != len(raw_vals):
            problems.append(
                f"got {len(raw_years)} years and {len(raw_vals)} values; expected one value per year"
            )
            return [], [], unit

    if not raw_years:
        problems.append("the series is empty; expected years and values ≥ 0")
        return [], [], unit

    years: list[int] = []
    vals: list[float] = []
    prev: int | None = None
    for pos, (y, v) in enumerate(zip(raw_years, raw_vals, strict=True), start=1):
        if _is_int(y):
            year = int(y)
            where = f"year {year}"
            if prev is not None and year <= prev:
                what = "repeats" if year == prev else "comes after"
                problems.append(
                    f"year {year} (position {pos}) {what} {prev}; expected years strictly"
                    " increasing (sort the series, e.g. with sort_index(), and drop duplicates)"
                )
            prev = year
        else:
            year = 0
            where = f"position {pos}"
            problems.append(
                f"position {pos}: year {y!r} is not an integer; expected a year like 2020"
            )
        value = _value_problem(v)
        if isinstance(value, str):
            problems.append(f"{where}: value {v!r} {value}")
        else:
            vals.append(value)
        years.append(year)
    return years, vals, unit


def _value_problem(v: object) -> float | str:
    """The value as a float, or what is wrong with it."""
    if v is None or v is pd.NA or v is pd.NaT:
        return "is missing; expected a finite number ≥ 0 (fill or drop the year)"
    if not isinstance(v, numbers.Real) or isinstance(v, bool):
        return "is not a number; expected a finite number ≥ 0"
    x = float(v)
    if math.isnan(x):
        return "is missing (NaN); expected a finite number ≥ 0 (fill or drop the year)"
    if math.isinf(x):
        return "is infinite; expected a finite number ≥ 0"
    if x < 0:
        return (
            "is negative; expected a number ≥ 0 (the peak of a net series that goes below zero"
            " is not defined here: pass gross values)"
        )
    return x


def _fmt(v: float) -> str:
    if v == 0:
        return "0"
    if abs(v) >= 100:
        return f"{v:,.0f}"
    return f"{v:.3g}"


def _span(a: int, b: int) -> str:
    return str(a) if a == b else f"{a}–{b}"


def _explain(
    *,
    status: PeakStatus,
    years: list[int],
    vals: list[float],
    p: int,
    k: int,
    below: float,
    tolerance: float,
    timing: PeakTiming,
    as_of: int | None,
    gaps: tuple[tuple[int, int], ...],
    unit: str,
) -> tuple[str, str]:
    """One sentence in English and in Chinese."""
    u = f" {unit}" if unit else ""
    py, pv = years[p], _fmt(vals[p]) + u
    ly, lv = years[-1], _fmt(vals[-1]) + u
    tol_en, tol_zh = f"{tolerance * 100:g} %", f"{tolerance * 100:g}%"
    n = len(vals)
    tail = _span(years[-k], ly) if n >= k else ""
    last_en = "the last value" if k == 1 else f"the last {k} values"
    last_zh = "最近1个数值" if k == 1 else f"最近{k}个数值"

    if status is PeakStatus.INSUFFICIENT_DATA:
        en = f"insufficient data: {n} value{'s' if n != 1 else ''}; at least {k + 1} needed"
        zh = f"数据不足：仅{n}个数值，至少需要{k + 1}个"
    elif status is PeakStatus.PEAKED:
        verb = "is projected to peak" if timing is PeakTiming.PROJECTED else "peaked"
        en = f"{verb} in {py} at {pv}; {ly} is {below:.1f} % below the peak"
        verb_zh = "预计于" if timing is PeakTiming.PROJECTED else "已于"
        zh = f"{verb_zh}{py}年达峰（峰值{pv}）；{ly}年比峰值低{below:.1f}%"
        if p == 0:
            en += f"; {py} is the first year of the data, so the peak may be earlier"
            zh += f"；{py}年为数据首年，实际峰值可能更早"
    elif status is PeakStatus.PLATEAU:
        en = f"plateau: {last_en} ({tail}) are within {tol_en} of the maximum, {pv} in {py}"
        zh = f"处于平台期：{last_zh}（{tail}年）均在最大值（{py}年，{pv}）的{tol_zh}以内"
        if k == 1:
            en = en.replace(" are within", " is within")
            zh = zh.replace("均在", "在")
    elif p == n - 1:
        en = f"not peaked: still rising, {ly} is the highest value ({lv})"
        zh = f"尚未达峰：仍在上升，{ly}年为最高值（{lv}）"
    else:
        en = (
            f"peak not confirmed: the maximum is {pv} in {py}, but {last_en} ({tail}) are"
            f" neither all more than {tol_en} below it nor all within {tol_en} of it"
        )
        zh = (
            f"达峰尚未确认：最大值为{py}年的{pv}，但{last_zh}（{tail}年）"
            f"既非均比其低{tol_zh}以上，也非均在其{tol_zh}以内"
        )

    if as_of is not None and ly > as_of:
        en += f"; values after {as_of} are projections"
        zh += f"；{as_of}年以后为预测值"
    if gaps:
        spans = ", ".join(_span(a, b) for a, b in gaps)
        en += f"; missing years: {spans}"
        zh += f"；缺少年份：{spans}"
    return en, zh
