"""Index decomposition analysis by the logarithmic mean Divisia index, method I (LMDI-I).

An aggregate ``V = Σᵢ Vᵢ`` is a sum over groups ``i`` (sectors, regions, fuels, or one group), and each
group's value is a product of factors, ``Vᵢ = x₁,ᵢ · x₂,ᵢ · … · xₙ,ᵢ``. Between year 0 and year T the
change of ``V`` is split among the factors (Ang 2005, "The LMDI approach to decomposition analysis: a
practical guide", Energy Policy 33:867–871, eqs. 4 and 5):

* additive: ``ΔV = Vᵀ − V⁰ = Σₖ ΔVₖ`` with ``ΔVₖ = Σᵢ L(Vᵢᵀ, Vᵢ⁰) · ln(xₖ,ᵢᵀ / xₖ,ᵢ⁰)``;
* multiplicative: ``Vᵀ / V⁰ = Πₖ Dₖ`` with
  ``Dₖ = exp(Σᵢ L(Vᵢᵀ, Vᵢ⁰) / L(Vᵀ, V⁰) · ln(xₖ,ᵢᵀ / xₖ,ᵢ⁰)) = exp(ΔVₖ / L(Vᵀ, V⁰))``;

where ``L(a, b) = (a − b) / (ln a − ln b)`` and ``L(a, a) = a`` is the logarithmic mean. Both forms are
exact: the effects add up to ``ΔV`` and multiply to ``Vᵀ / V⁰`` with no residual.

Zero values
-----------
``ln 0`` is undefined, so a factor that is 0 in one year is handled by the **analytical limit** of the
LMDI-I terms, never by substituting a small number for the zero (the strategy of Ang, Zhang & Choi 1998,
Energy 23:489–495, recommended by Wood & Lenzen 2006, Energy Policy 34:1326–1331, and generalised by
Ang & Liu 2007, "Handling zero values in the logarithmic mean Divisia index decomposition approach",
Energy Policy 35:238–246; a small number converges to the limit only like ``1 / ln δ``). The rules,
each the limit of the formula above as the zero values go to 0, are:

1. ``L(a, 0) = L(0, a) = 0`` and ``L(0, 0) = 0``: ``(a − δ) / (ln a − ln δ) → 0``.
2. Group present in both years (``Vᵢ⁰ > 0`` and ``Vᵢᵀ > 0``): every factor is positive; the formula.
3. Group that appears (``Vᵢ⁰ = 0 < Vᵢᵀ``: one or more factors are 0 in year 0): its whole change ``Vᵢᵀ``
   goes to the factor(s) that come from zero; its other factors get 0 from this group. With one zero
   factor ``j`` this is the limit ``L(Vᵢᵀ, δc) · ln(xⱼ,ᵢᵀ / δ) → Vᵢᵀ`` (``L(Vᵢᵀ, δc) · ln(xₖ,ᵢᵀ / xₖ,ᵢ⁰) → 0``
   for ``k ≠ j``). With ``m`` zero factors the limit depends on how fast each goes to zero; we take
   them at the same rate (the limit of putting one common ``δ`` in every zero cell), which gives each
   ``Vᵢᵀ / m``.
4. Group that disappears (``Vᵢ⁰ > 0 = Vᵢᵀ``): the mirror image; the factor(s) that go to zero share
   ``−Vᵢ⁰`` equally, the others get 0.
5. Group that is 0 in both years: contributes 0 to every factor (``L(δa, δb) · ln(…) ∝ δ ln δ → 0``).

The aggregate ``V`` itself may be 0 in one year: the additive decomposition is still defined, but
``Vᵀ / V⁰`` and so the multiplicative factors are not; they are reported as ``None``.

Input rules (strict alignment): every group must have exactly one row in each year compared — a group
that did not exist in a year is written with the factor(s) that were zero, not left out; factor values
must be finite numbers ≥ 0 (LMDI is not defined for negative values). All problems of a frame are
collected and raised at once as :class:`~neutra.errors.PlanValidationError`.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from neutra.errors import CalculationError, Problem, raise_if_problems

FloatArray = npt.NDArray[np.float64]

SCHEMA = "neutra.decomposition/1"
METHOD = "LMDI-I"
YEAR = "year"
KAYA_INPUTS = ("population", "gdp", "energy", "co2")
KAYA_FACTORS = ("population", "affluence", "energy_intensity", "carbon_intensity")
# Below this |a/b − 1| the log ratio is taken as log1p((a − b)/b), which keeps its precision when a ≈ b.
_NEAR = 0.5


# --------------------------------------------------------------------------------------------------
# The logarithmic mean


def _log_ratio(a: FloatArray, b: FloatArray) -> FloatArray:
    """``ln(a / b)`` for positive arrays: precise when ``a ≈ b``, safe for extreme ratios, and exactly
    antisymmetric (``ln(b / a) = −ln(a / b)`` bit for bit, so swapping the years flips every term)."""
    hi = np.maximum(a, b)
    lo = np.minimum(a, b)
    d = hi - lo
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.where(d < _NEAR * lo, np.log1p(d / lo), np.log(hi) - np.log(lo))
    return np.where(a >= b, r, -r)


def logmean(a: npt.ArrayLike, b: npt.ArrayLike) -> FloatArray:
    """Logarithmic mean ``L(a, b) = (a − b) / (ln a − ln b)``, element-wise.

    ``L(a, a) = a``; ``L(a, 0) = L(0, a) = L(0, 0) = 0`` (the analytical limits). Symmetric, and
    homogeneous: ``L(ka, kb) = k L(a, b)``; the result has the unit of ``a`` and ``b``.

    Args:
        a: values ≥ 0 (array or scalar; broadcast against ``b``).
        b: values ≥ 0, same unit as ``a``.

    Returns:
        an array of the broadcast shape (0-dimensional for two scalars).

    Raises:
        CalculationError: a value is negative, NaN or infinite.
    """
    x, y = np.broadcast_arrays(np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64))
    if not (np.isfinite(x).all() and np.isfinite(y).all()) or (x < 0).any() or (y < 0).any():
        raise CalculationError("the logarithmic mean needs finite values ≥ 0")
    out = np.zeros(x.shape, dtype=np.float64)
    both = (x > 0) & (y > 0)
    same = both & (x == y)
    differ = both & (x != y)
    out[same] = x[same]
    hi = np.maximum(x[differ], y[differ])
    lo = np.minimum(x[differ], y[differ])
    out[differ] = (hi - lo) / _log_ratio(hi, lo)  # in this order L(a, b) = L(b, a) exactly
    return out


def _group_effects(x0: FloatArray, xt: FloatArray) -> FloatArray:
    """LMDI-I contributions ``ΔVₖ,ᵢ`` (groups × factors) with the zero-value limits of the module doc."""
    v0 = x0.prod(axis=1)
    vt = xt.prod(axis=1)
    zero0 = (x0 == 0).any(axis=1)
    zerot = (xt == 0).any(axis=1)
    out = np.zeros(x0.shape, dtype=np.float64)

    both = ~zero0 & ~zerot  # rule 2
    if both.any():
        w = logmean(vt[both], v0[both])
        out[both] = w[:, None] * _log_ratio(xt[both], x0[both])

    appear = zero0 & ~zerot  # rule 3: the factors that come from zero share Vᵢᵀ
    if appear.any():
        from_zero = x0[appear] == 0
        share = vt[appear] / from_zero.sum(axis=1)
        out[appear] = from_zero * share[:, None]

    vanish = ~zero0 & zerot  # rule 4: the factors that go to zero share −Vᵢ⁰
    if vanish.any():
        to_zero = xt[vanish] == 0
        share = -v0[vanish] / to_zero.sum(axis=1)
        out[vanish] = to_zero * share[:, None]
    # rule 5: zero in both years — the row stays 0.
    return out


# --------------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True, slots=True)
class FactorEffect:
    """The effect of one factor on the change of ``V``.

    Attributes:
        factor: the factor's column name.
        additive: ``ΔVₖ``, in the unit of ``V``.
        multiplicative: ``Dₖ`` (dimensionless), or ``None`` when ``V`` is 0 in one of the years.
    """

    factor: str
    additive: float
    multiplicative: float | None


@dataclass(frozen=True, slots=True)
class GroupEffect:
    """One group's part of the change: its values and its additive effect per factor (unit of V)."""

    group: tuple[str, ...]
    v0: float
    vt: float
    additive: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class Decomposition:
    """LMDI-I decomposition of the change of ``V`` from year ``y0`` to year ``yt``.

    Attributes:
        factors: the factor names, in the order given.
        y0: base year.
        yt: end year.
        v0: ``V`` in ``y0``, in ``unit``.
        vt: ``V`` in ``yt``, in ``unit``.
        effects: one :class:`FactorEffect` per factor, in the order of ``factors``.
        groups: per-group values and additive effects (one group, named ``()``, without ``by``).
        by: the grouping columns (empty for none).
        unit: unit of ``V`` (``""`` when not known).
    """

    factors: tuple[str, ...]
    y0: int
    yt: int
    v0: float
    vt: float
    effects: tuple[FactorEffect, ...]
    groups: tuple[GroupEffect, ...]
    by: tuple[str, ...] = ()
    unit: str = ""

    @property
    def delta(self) -> float:
        """Total change ``ΔV = Vᵀ − V⁰``, in ``unit``."""
        return self.vt - self.v0

    @property
    def ratio(self) -> float | None:
        """``Vᵀ / V⁰``, or ``None`` when either is 0 (then no multiplicative decomposition exists)."""
        return self.vt / self.v0 if self.v0 > 0 and self.vt > 0 else None

    def effect(self, factor: str) -> FactorEffect:
        """The effect of one factor (raises ``KeyError`` for an unknown name)."""
        for e in self.effects:
            if e.factor == factor:
                return e
        raise KeyError(factor)

    def to_frame(self) -> pd.DataFrame:
        """Tidy effects: ``factor, additive_effect, multiplicative_factor``; ``attrs["units"]``."""
        df = pd.DataFrame(
            {
                "factor": [e.factor for e in self.effects],
                "additive_effect": [e.additive for e in self.effects],
                "multiplicative_factor": [_nan(e.multiplicative) for e in self.effects],
            }
        )
        df.attrs.update(units=self.unit, y0=self.y0, yt=self.yt, v0=self.v0, vt=self.vt)
        return df

    def group_frame(self) -> pd.DataFrame:
        """Tidy per-group additive effects: grouping columns, ``factor, additive_effect``."""
        rows = [
            {**dict(zip(self.by, g.group, strict=True)), "factor": f, "additive_effect": a}
            for g in self.groups
            for f, a in zip(self.factors, g.additive, strict=True)
        ]
        df = pd.DataFrame(rows, columns=[*self.by, "factor", "additive_effect"])
        df.attrs.update(units=self.unit, y0=self.y0, yt=self.yt)
        return df

    def as_dict(self) -> dict[str, Any]:
        """This period in the JSON form of ``neutra.decomposition/1`` (docs/cli-json.md)."""
        return {
            "from": self.y0,
            "to": self.yt,
            "v0": self.v0,
            "vT": self.vt,
            "change": self.delta,
            "ratio": self.ratio,
            "effects": [
                {"factor": e.factor, "additive": e.additive, "multiplicative": e.multiplicative}
                for e in self.effects
            ],
        }


@dataclass(frozen=True, slots=True)
class ChainedDecomposition:
    """Year-by-year (chained) decompositions over consecutive years, and their cumulation.

    Attributes:
        factors: the factor names.
        years: the years, in the order chained (each step is ``years[j] → years[j+1]``).
        steps: one :class:`Decomposition` per consecutive pair of years.
        by: the grouping columns.
        unit: unit of ``V``.
    """

    factors: tuple[str, ...]
    years: tuple[int, ...]
    steps: tuple[Decomposition, ...]
    by: tuple[str, ...] = ()
    unit: str = ""

    @property
    def v0(self) -> float:
        """``V`` in the first year."""
        return self.steps[0].v0

    @property
    def vt(self) -> float:
        """``V`` in the last year."""
        return self.steps[-1].vt

    @property
    def delta(self) -> float:
        """Total change from the first to the last year (the steps telescope to it)."""
        return self.vt - self.v0

    @property
    def ratio(self) -> float | None:
        """``V(last) / V(first)``, or ``None`` when either is 0."""
        return self.vt / self.v0 if self.v0 > 0 and self.vt > 0 else None

    @property
    def cumulative(self) -> tuple[FactorEffect, ...]:
        """Per factor: the sum of the steps' additive effects and the product of their factors.

        The product is ``None`` if any step has no multiplicative decomposition.
        """
        out = []
        for k, name in enumerate(self.factors):
            add = math.fsum(s.effects[k].additive for s in self.steps)
            mults = [s.effects[k].multiplicative for s in self.steps]
            mult = (
                None
                if any(m is None for m in mults)
                else math.prod(m for m in mults if m is not None)
            )
            out.append(FactorEffect(name, add, mult))
        return tuple(out)

    def to_frame(self) -> pd.DataFrame:
        """Tidy steps: ``from, to, factor, additive_effect, multiplicative_factor`` and the running
        ``cumulative_additive`` (sum) and ``cumulative_multiplicative`` (product) per factor."""
        rows: list[dict[str, Any]] = []
        run_add: dict[str, list[float]] = {f: [] for f in self.factors}
        run_mult: dict[str, float] = dict.fromkeys(self.factors, 1.0)
        for s in self.steps:
            for e in s.effects:
                run_add[e.factor].append(e.additive)
                run_mult[e.factor] *= _nan(e.multiplicative)
                rows.append(
                    {
                        "from": s.y0,
                        "to": s.yt,
                        "factor": e.factor,
                        "additive_effect": e.additive,
                        "multiplicative_factor": _nan(e.multiplicative),
                        "cumulative_additive": math.fsum(run_add[e.factor]),
                        "cumulative_multiplicative": run_mult[e.factor],
                    }
                )
        df = pd.DataFrame(rows)
        df.attrs.update(units=self.unit)
        return df


def _nan(v: float | None) -> float:
    return math.nan if v is None else v


def json_document(result: Decomposition | ChainedDecomposition, table: str) -> dict[str, Any]:
    """The ``neutra.decomposition/1`` document (docs/cli-json.md) for a result read from ``table``.

    Top-level effects are the period's effects, or for a chained result the cumulative ones (sum of
    the steps' additive effects, product of their multiplicative factors); ``steps`` lists the
    year-by-year periods (empty when not chained). Numbers are not rounded.
    """
    if isinstance(result, Decomposition):
        top = result.as_dict()
        steps: list[dict[str, Any]] = []
        years = [result.y0, result.yt]
        effects = top["effects"]
    else:
        years = list(result.years)
        steps = [s.as_dict() for s in result.steps]
        effects = [
            {"factor": e.factor, "additive": e.additive, "multiplicative": e.multiplicative}
            for e in result.cumulative
        ]
    return {
        "schema": SCHEMA,
        "method": METHOD,
        "table": table,
        "unit": result.unit or None,
        "factors": list(result.factors),
        "by": list(result.by),
        "chained": isinstance(result, ChainedDecomposition),
        "from": years[0],
        "to": years[-1],
        "years": years,
        "v0": result.v0,
        "vT": result.vt,
        "change": result.delta,
        "ratio": result.ratio,
        "effects": effects,
        "steps": steps,
    }


# --------------------------------------------------------------------------------------------------
# Checking a frame


def _names(value: str | Iterable[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(value)


def row_numbers(frame: pd.DataFrame) -> npt.NDArray[np.int64]:
    """Row numbers the user sees: the index when it is named ``row`` (as the CSV reader sets it),
    else the position as in a CSV export with a header row (first data row = row 2)."""
    if frame.index.name == "row":
        return np.asarray(frame.index, dtype=np.int64)
    return np.arange(2, len(frame) + 2, dtype=np.int64)


def _key_text(by: Sequence[str], key: tuple[Any, ...]) -> str:
    if not by:
        return "the table (no grouping)"
    return ", ".join(f"{c}={v}" for c, v in zip(by, key, strict=True))


def _grouped(
    problems: list[Problem],
    source: str,
    rows: npt.NDArray[np.int64],
    mask: npt.NDArray[np.bool_],
    field: str,
    values: Sequence[Any],
    expected: str,
) -> None:
    """One problem per distinct bad value, naming every row that has it."""
    found: dict[str, list[int]] = {}
    for r, v, bad in zip(rows, values, mask, strict=True):
        if bad:
            found.setdefault(str(v), []).append(int(r))
    for v, rs in found.items():
        problems.append(
            Problem(source, rs[0], field, v, expected, None, tuple(rs) if len(rs) > 1 else ())
        )


def alignment_problems(
    frame: pd.DataFrame, years: Sequence[int], by: Sequence[str], source: str
) -> list[Problem]:
    """Problems of strict alignment among ``years``: a (year, group) on two rows, or a group with a
    row in some of the years and none in another. Rows whose year is missing, and years with no row
    at all (the caller reports those), are ignored here."""
    problems: list[Problem] = []
    rows = row_numbers(frame)
    year = pd.to_numeric(frame[YEAR], errors="coerce")
    used = year.isin(list(years)).to_numpy()
    if not used.any():
        return problems
    keys = [
        (int(y), tuple(str(v) for v in k))
        for y, k in zip(
            year[used],
            frame.loc[used, list(by)].itertuples(index=False, name=None)
            if by
            else [()] * used.sum(),
            strict=True,
        )
    ]
    seen: dict[tuple[int, tuple[str, ...]], list[int]] = {}
    for key, r in zip(keys, rows[used], strict=True):
        seen.setdefault(key, []).append(int(r))
    hint = "" if by else "; name the grouping column(s) with --by / by="
    for (y, g), rs in seen.items():
        if len(rs) > 1:
            problems.append(
                Problem(
                    source,
                    rs[0],
                    None,
                    f"{YEAR}={y}, {_key_text(by, g)}" if by else f"{YEAR}={y}",
                    f"one row per year and group; rows {', '.join(map(str, rs))} are the same "
                    f"year and group{hint}",
                    None,
                    tuple(rs),
                )
            )
    groups: dict[tuple[str, ...], dict[int, int]] = {}
    for (y, g), rs in seen.items():
        groups.setdefault(g, {})[y] = rs[0]
    in_table = {y for y, _g in seen}  # a year with no row at all is reported by the caller
    for g, present in groups.items():
        for y in years:
            if y in present or y not in in_table:
                continue
            other_year, row = next(iter(present.items()))
            problems.append(
                Problem(
                    source,
                    row,
                    ", ".join(by) or None,
                    _key_text(by, g),
                    f"a row for {_key_text(by, g)} in {y} as well (it has one in {other_year}); "
                    "every group needs a row in every year compared — if it did not exist in "
                    f"{y}, write that row with the factor(s) that were zero",
                )
            )
    return problems


def check_frame(
    frame: pd.DataFrame,
    factors: Sequence[str],
    years: Sequence[int],
    by: Sequence[str] = (),
    source: str = "frame",
) -> list[Problem]:
    """Every problem that stops a decomposition of ``frame`` over ``years``, located by row and field.

    Checks: the ``year``, grouping and factor columns exist; the years are distinct and present; the
    grouping cells are filled; the factor values of the rows used are finite numbers ≥ 0; and strict
    alignment (:func:`alignment_problems`).
    """
    problems: list[Problem] = []
    columns = [str(c) for c in frame.columns]
    if not factors:
        problems.append(Problem(source, None, None, None, "at least one factor column"))
    for name in dict.fromkeys(n for n in factors if list(factors).count(n) > 1):
        problems.append(Problem(source, 1, name, name, "each factor once"))
    if YEAR not in columns:
        problems.append(
            Problem(source, 1, YEAR, None, f"a column named '{YEAR}' (the year of each row)")
        )
    for kind, names in (("grouping", by), ("factor", factors)):
        for name in names:
            if name == YEAR or (kind == "grouping" and name in factors):
                problems.append(
                    Problem(
                        source, 1, name, name, f"a {kind} column that is not 'year' or a factor"
                    )
                )
            elif name not in columns:
                near = difflib.get_close_matches(name, columns, n=1)
                hint = f"; did you mean '{near[0]}'?" if near else ""
                problems.append(
                    Problem(
                        source,
                        1,
                        name,
                        name,
                        f"a {kind} column of the table (columns: {', '.join(columns)}){hint}",
                    )
                )
    if len(set(years)) != len(years) or len(years) < 2:
        problems.append(
            Problem(
                source,
                None,
                YEAR,
                ", ".join(map(str, years)),
                "two or more different years to compare",
            )
        )
    if problems:
        return problems

    rows = row_numbers(frame)
    year = pd.to_numeric(frame[YEAR], errors="coerce").to_numpy(dtype=np.float64)
    bad_year = ~np.isfinite(year) | (np.mod(np.nan_to_num(year), 1) != 0)
    _grouped(problems, source, rows, bad_year, YEAR, list(frame[YEAR]), "a whole number (a year)")
    present = sorted({int(y) for y in year[~bad_year]})
    for y in dict.fromkeys(years):
        if y not in present:
            shown = ", ".join(map(str, present)) or "none"
            problems.append(
                Problem(source, None, YEAR, str(y), f"a year that is in the table (it has {shown})")
            )
    used = np.isin(year, list(years)) & ~bad_year
    for name in by:
        cells = frame[name]
        empty = (cells.isna() | (cells.astype(str).str.strip() == "")).to_numpy() & used
        _grouped(problems, source, rows, empty, name, list(cells), f"a value ({name} of the row)")
    for name in factors:
        raw = frame[name]
        values = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=np.float64)
        nan = np.isnan(values) & used
        _grouped(problems, source, rows, nan, name, list(raw), "a number ≥ 0 (a factor value)")
        inf = np.isinf(values) & used
        _grouped(problems, source, rows, inf, name, list(raw), "a finite number ≥ 0")
        neg = (values < 0) & ~np.isinf(values) & used
        _grouped(
            problems,
            source,
            rows,
            neg,
            name,
            list(raw),
            "a number ≥ 0 (LMDI is not defined for negative factors)",
        )
    problems += alignment_problems(frame, years, by, source)
    return problems


# --------------------------------------------------------------------------------------------------
# Decomposition


def _arrays(
    frame: pd.DataFrame, factors: Sequence[str], years: Sequence[int], by: Sequence[str]
) -> tuple[list[tuple[str, ...]], dict[int, FloatArray]]:
    """Factor values per year as (groups × factors) arrays, groups in order of first appearance."""
    year = pd.to_numeric(frame[YEAR]).to_numpy(dtype=np.float64)
    keys = (
        [tuple(str(v) for v in k) for k in frame[list(by)].itertuples(index=False, name=None)]
        if by
        else [()] * len(frame)
    )
    values = frame[list(factors)].apply(pd.to_numeric, errors="coerce").to_numpy(dtype=np.float64)
    order: dict[tuple[str, ...], int] = {}
    for k, y in zip(keys, year, strict=True):
        if int(y) in years:
            order.setdefault(k, len(order))
    out = {y: np.zeros((len(order), len(factors)), dtype=np.float64) for y in years}
    for k, y, v in zip(keys, year, values, strict=True):
        if int(y) in out:
            out[int(y)][order[k]] = v
    return list(order), out


def _period(
    keys: list[tuple[str, ...]],
    x0: FloatArray,
    xt: FloatArray,
    factors: tuple[str, ...],
    y0: int,
    yt: int,
    by: tuple[str, ...],
    unit: str,
) -> Decomposition:
    per_group = _group_effects(x0, xt)
    v0_i = x0.prod(axis=1)
    vt_i = xt.prod(axis=1)
    v0 = math.fsum(v0_i)
    vt = math.fsum(vt_i)
    additive = [math.fsum(per_group[:, k]) for k in range(len(factors))]
    if v0 > 0 and vt > 0:
        lm = float(logmean(vt, v0))
        mult: list[float | None] = [math.exp(a / lm) for a in additive]
    else:
        mult = [None] * len(factors)
    return Decomposition(
        factors=factors,
        y0=y0,
        yt=yt,
        v0=v0,
        vt=vt,
        effects=tuple(
            FactorEffect(f, a, m) for f, a, m in zip(factors, additive, mult, strict=True)
        ),
        groups=tuple(
            GroupEffect(k, float(a), float(b), tuple(float(x) for x in row))
            for k, a, b, row in zip(keys, v0_i, vt_i, per_group, strict=True)
        ),
        by=by,
        unit=unit,
    )


def decompose(
    frame: pd.DataFrame,
    factors: Sequence[str],
    y0: int,
    yt: int,
    by: str | Sequence[str] | None = None,
    *,
    unit: str | None = None,
    source: str = "frame",
) -> Decomposition:
    """Decompose the change of ``V = Σ_groups Π factors`` from ``y0`` to ``yt`` by LMDI-I.

    Args:
        frame: tidy table with a ``year`` column, the grouping columns ``by`` and the factor columns;
            one row per year and group. Other columns are ignored.
        factors: the factor columns; their product on a row is that group's ``V``.
        y0: base year.
        yt: end year (before or after ``y0``; swapping them flips the effects).
        by: grouping column(s); several columns make a multi-level grouping. ``None``: one group.
        unit: unit of ``V`` for the record; default ``frame.attrs["units"]`` or ``""``.
        source: name of the table in problem reports (a file name).

    Returns:
        the :class:`Decomposition`.

    Raises:
        PlanValidationError: every problem of the frame at once (missing column, unknown factor,
            missing year, NaN or negative value, a group without a row in one of the years, a
            duplicated year and group), each with its row and field. Rows are numbered as in
            :func:`row_numbers`.
    """
    fac = _names(factors)
    groups = _names(by)
    raise_if_problems(check_frame(frame, fac, (y0, yt), groups, source))
    keys, x = _arrays(frame, fac, (y0, yt), groups)
    return _period(keys, x[y0], x[yt], fac, y0, yt, groups, _unit(frame, unit))


def decompose_chained(
    frame: pd.DataFrame,
    factors: Sequence[str],
    years: Sequence[int] | None = None,
    by: str | Sequence[str] | None = None,
    *,
    unit: str | None = None,
    source: str = "frame",
) -> ChainedDecomposition:
    """Year-by-year LMDI-I decompositions over consecutive ``years``, and their cumulation.

    The steps' additive effects sum to the total change from the first to the last year, and their
    multiplicative factors multiply to ``V(last) / V(first)``. Every group needs a row in every year.

    Args:
        frame: as for :func:`decompose`.
        factors: the factor columns.
        years: the years to chain, in order (default: every year of the table, ascending).
        by: grouping column(s).
        unit: unit of ``V``; default ``frame.attrs["units"]``.
        source: name of the table in problem reports.

    Raises:
        PlanValidationError: as for :func:`decompose`, over all the years at once.
    """
    fac = _names(factors)
    groups = _names(by)
    if years is None:
        if YEAR in frame.columns:
            found = pd.to_numeric(frame[YEAR], errors="coerce").dropna()
            years = sorted({int(y) for y in found if float(y).is_integer()})
        else:
            years = ()
    yrs = tuple(int(y) for y in years)
    raise_if_problems(check_frame(frame, fac, yrs, groups, source))
    keys, x = _arrays(frame, fac, yrs, groups)
    u = _unit(frame, unit)
    steps = tuple(_period(keys, x[a], x[b], fac, a, b, groups, u) for a, b in pairwise(yrs))
    return ChainedDecomposition(fac, yrs, steps, groups, u)


def _unit(frame: pd.DataFrame, unit: str | None) -> str:
    return str(unit if unit is not None else frame.attrs.get("units", "") or "")


# --------------------------------------------------------------------------------------------------
# Kaya identity


def kaya(frame: pd.DataFrame, *, source: str = "frame") -> pd.DataFrame:
    """Add the Kaya factors to a table of population, GDP, energy and CO2.

    ``C = P · (GDP/P) · (E/GDP) · (C/E)``: the returned copy has the columns ``population`` (P),
    ``affluence`` (GDP per person), ``energy_intensity`` (energy per GDP) and ``carbon_intensity``
    (CO2 per energy), whose product on each row is ``co2`` — ready for
    ``decompose(out, KAYA_FACTORS, y0, yt, by=…)``. The factors carry the units of the input columns
    divided as above (e.g. GDP in 10^4 CNY, energy in tce: ``energy_intensity`` is tce per 10^4 CNY);
    ``attrs`` (e.g. ``attrs["units"]``, the unit of CO2 and so of V) are kept.

    Args:
        frame: a table with columns ``population``, ``gdp``, ``energy``, ``co2`` (and ``year`` and
            any grouping columns, which are kept).
        source: name of the table in problem reports.

    Raises:
        PlanValidationError: a column is missing; population, GDP or energy is not a number > 0
            (they are divisors); CO2 is not a number ≥ 0.
    """
    problems: list[Problem] = []
    missing = [c for c in KAYA_INPUTS if c not in frame.columns]
    for c in missing:
        problems.append(Problem(source, 1, c, None, f"a column named '{c}' for the Kaya identity"))
    raise_if_problems(problems)
    rows = row_numbers(frame)
    values = {
        c: pd.to_numeric(frame[c], errors="coerce").to_numpy(dtype=np.float64) for c in KAYA_INPUTS
    }
    for c, v in values.items():
        if c == "co2":
            bad = ~np.isfinite(v) | (v < 0)
            expected = "a number ≥ 0 (CO2 emissions)"
        else:
            bad = ~np.isfinite(v) | (v <= 0)
            expected = f"a number > 0 ({c} divides in the Kaya identity)"
        _grouped(problems, source, rows, bad, c, list(frame[c]), expected)
    raise_if_problems(problems)
    out = frame.copy()
    p, g, e, c = (values[k] for k in KAYA_INPUTS)
    out["population"] = p
    out["affluence"] = g / p
    out["energy_intensity"] = e / g
    out["carbon_intensity"] = c / e
    out.attrs = dict(frame.attrs)
    return out


__all__ = [
    "KAYA_FACTORS",
    "SCHEMA",
    "ChainedDecomposition",
    "Decomposition",
    "FactorEffect",
    "GroupEffect",
    "alignment_problems",
    "check_frame",
    "decompose",
    "decompose_chained",
    "json_document",
    "kaya",
    "logmean",
    "row_numbers",
]
