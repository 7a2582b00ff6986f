"""Device and vehicle stock turnover, vectorised over Monte-Carlo draws.

Source: the LEAP (Stockholm Environment Institute) stock turnover method ("stock analysis").

Arrays may carry leading batch axes (draws); years are on the last axis, ``t = 0 … T−1`` with
``t = 0`` the base year and years consecutive.  ``S(a)`` is the fraction of a sales cohort still
in service at age ``a`` (``a = 0`` is the sales year); ages past the end of a survival array
have ``S = 0``.

* Weibull survival with mean lifetime ``L`` and shape ``k``: ``S(a) = exp(−(a/λ)^k)`` with
  ``λ = L / Γ(1 + 1/k)``, so that ``∫₀^∞ S = L``.  In yearly steps ``Σ_a S(a) ≈ L + ½`` (the
  trapezoid rule; the sales year counts in full).
* Base year: ``stock(0) = N₀``, split by age with shares ``p(a)``; by default the steady-state
  profile ``p(a) = S(a) / Σ_b S(b)`` (constant past sales).  The base year's sales are the
  age-0 cohort of ``N₀`` and are not added again.
* Survivors in year ``t``: base cohort of age ``a`` → ``N₀ p(a) S(a+t) / S(a)`` (0 where
  ``S(a) = 0``); sales of year ``s ≥ 1`` → ``sales(s) S(t−s)`` for ``t ≥ s``.
  ``stock(t) = Σ survivors``; ``retirements(t) = stock(t−1) + sales(t) − stock(t)``.
* Sales derived from stock: ``sales(t) = max(0, target(t) − survivors of earlier vintages in t)
  / S(0)``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from neutra.errors import CalculationError

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

_gamma = np.vectorize(math.gamma, otypes=[np.float64])


def _bad(mask: npt.NDArray[np.bool_], values: FloatArray, what: str, expected: str) -> None:
    """Raise :class:`CalculationError` naming (up to 10 of) the offending values."""
    if np.any(mask):
        shown = ", ".join(f"{v:g}" for v in np.asarray(values)[mask].ravel()[:10])
        raise CalculationError(f"{what}: got {shown}; expected {expected}")


def _floats(x: npt.ArrayLike, what: str, expected: str = "finite values ≥ 0") -> FloatArray:
    arr = np.asarray(x, dtype=np.float64)
    _bad(~np.isfinite(arr) | (arr < 0), arr, what, expected)
    return arr


def survival_weibull(
    ages: npt.ArrayLike, lifetime: npt.ArrayLike, shape: npt.ArrayLike
) -> FloatArray:
    """Weibull survival ``exp(−(a/λ)^k)`` with mean lifetime ``lifetime``.

    ``lifetime`` and ``shape`` of batch shape ``(...)`` give ``(..., *ages.shape)``.
    """
    a = _floats(ages, "ages")
    life = np.asarray(lifetime, dtype=np.float64)
    k = np.asarray(shape, dtype=np.float64)
    _bad(~(life > 0) | ~np.isfinite(life), life, "Weibull mean lifetime", "finite values > 0")
    _bad(~(k > 0) | ~np.isfinite(k), k, "Weibull shape", "finite values > 0")
    scale = life / _gamma(1.0 + 1.0 / k)
    extra = (np.newaxis,) * a.ndim
    ratio = a / scale[(..., *extra)]
    return np.asarray(np.exp(-(ratio ** k[(..., *extra)])), dtype=np.float64)


def survival_table(
    ages: npt.ArrayLike, table_ages: npt.ArrayLike, table_survival: npt.ArrayLike
) -> FloatArray:
    """A user survival profile, interpolated linearly at ``ages``.

    ``S(0) = 1`` unless age 0 is given; past the last given age the last value holds (so a
    profile ending in 0 stays 0).
    """
    a = _floats(ages, "ages")
    ta = np.asarray(table_ages, dtype=np.float64).ravel()
    ts = np.asarray(table_survival, dtype=np.float64).ravel()
    if ta.size == 0 or ta.shape != ts.shape:
        raise CalculationError(
            f"survival table: {ta.size} ages and {ts.size} values; expected as many, at least one"
        )
    _bad(~np.isfinite(ta) | (ta < 0), ta, "survival table ages", "finite ages ≥ 0")
    _bad(np.r_[False, np.diff(ta) <= 0], ta, "survival table ages", "strictly increasing ages")
    if ta[0] > 0:
        ta, ts = np.r_[0.0, ta], np.r_[1.0, ts]
    bad = ~((ts >= 0) & (ts <= 1)) | np.r_[False, np.diff(ts) > 0]
    _bad(bad, ta, "survival table at ages", "values within [0, 1] that never increase with age")
    return np.asarray(np.interp(a, ta, ts), dtype=np.float64)


@dataclass(frozen=True, slots=True)
class Turnover:
    """A stock turnover; vintage ``v`` was sold in ``vintage_years[v]``.

    Vintages are the base stock's ``A_base`` ages (oldest first, the last being the base
    year's own sales) followed by the sales years after the base: ``V = A_base + T − 1``.
    """

    stock: FloatArray  # (..., T) in service in each year, after that year's sales
    by_vintage: FloatArray  # (..., T, V) in service in year t by vintage v
    retirements: FloatArray  # (..., T) retired during year t (0 in the base year)
    vintage_years: IntArray  # (V,) consecutive sales years


@dataclass(frozen=True, slots=True)
class _Setup:
    years: IntArray
    base_stock: FloatArray  # (...)
    surv: FloatArray  # (..., A + 1): survival with a trailing 0 for ages past the table
    profile: FloatArray  # (..., A_base)


def _setup(
    years: npt.ArrayLike,
    base_stock: npt.ArrayLike,
    survival: npt.ArrayLike,
    base_age_profile: npt.ArrayLike | None,
) -> _Setup:
    y = np.asarray(years)
    if y.ndim != 1 or y.size == 0 or not np.issubdtype(y.dtype, np.integer):
        raise CalculationError(f"years: expected a non-empty 1-D integer array, got {y!r}")
    _bad(np.r_[False, np.diff(y) != 1], y.astype(np.float64), "years", "consecutive years")
    s = _floats(survival, "survival")
    if s.ndim == 0 or s.shape[-1] == 0:
        raise CalculationError("survival: expected an array of ages 0, 1, … on the last axis")
    rising = np.zeros(s.shape, dtype=bool)
    rising[..., 1:] = np.diff(s, axis=-1) > 1e-12
    _bad((s > 1) | rising, s, "survival", "values within [0, 1] that never increase with age")
    if base_age_profile is None:
        alive = np.flatnonzero(np.any(s > 0, axis=tuple(range(s.ndim - 1))))
        if alive.size == 0:
            raise CalculationError("survival: all zero; a steady-state stock needs S(0) > 0")
        kept = s[..., : alive[-1] + 1]
        total = kept.sum(axis=-1, keepdims=True)
        _bad(total == 0, total, "survival sum", "> 0 in every draw for a steady-state stock")
        profile = kept / total
    else:
        profile = _floats(base_age_profile, "base age profile")
        if profile.ndim == 0 or profile.shape[-1] == 0:
            raise CalculationError("base age profile: expected shares by age on the last axis")
        sums = profile.sum(axis=-1)
        _bad(~np.isclose(sums, 1.0, rtol=0, atol=1e-6), sums, "base age profile sum", "1")
    pad = np.zeros((*s.shape[:-1], 1))
    return _Setup(
        y.astype(np.int64), _floats(base_stock, "base stock"), np.concatenate([s, pad], -1), profile
    )


def _factors(setup: _Setup, a_base: int, n_years: int) -> FloatArray:
    """Fraction of each vintage's initial count in service in each year: ``(..., T, V)``."""
    n_ages = setup.surv.shape[-1] - 1
    offset = np.arange(a_base + n_years - 1) - (a_base - 1)  # sales year − base year
    age = np.arange(n_years)[:, None] - offset[None, :]  # (T, V)
    idx = np.where((age >= 0) & (age < n_ages), age, n_ages)
    f = setup.surv[..., idx]
    base_age = np.minimum(-offset[:a_base], n_ages)
    denom = setup.surv[..., None, base_age]  # (..., 1, A_base): S(a) of the base cohorts
    cond = np.zeros(np.broadcast_shapes(f[..., :a_base].shape, denom.shape))
    np.divide(f[..., :a_base], denom, out=cond, where=denom > 0)
    cond[..., 0, :] = 1.0  # the base stock is as given in the base year
    f = np.broadcast_to(f, (*cond.shape[:-1], f.shape[-1])).copy()
    f[..., :a_base] = cond
    return f


def _base_counts(setup: _Setup) -> FloatArray:
    """Base-year count of each base vintage, oldest first: ``(..., A_base)``."""
    return setup.base_stock[..., None] * setup.profile[..., ::-1]


def turnover(
    years: npt.ArrayLike,
    base_stock: npt.ArrayLike,
    sales: npt.ArrayLike,
    survival: npt.ArrayLike,
    base_age_profile: npt.ArrayLike | None = None,
) -> Turnover:
    """Stock, stock by vintage and retirements from base stock, sales and survival."""
    setup = _setup(years, base_stock, survival, base_age_profile)
    n_years = setup.years.size
    q = _floats(sales, "sales")
    if q.ndim == 0 or q.shape[-1] != n_years:
        raise CalculationError(f"sales: last axis {q.shape[-1:]} ≠ {n_years} years")
    base = _base_counts(setup)
    a_base = base.shape[-1]
    batch = np.broadcast_shapes(base.shape[:-1], q.shape[:-1])
    counts = np.concatenate(
        [
            np.broadcast_to(base, (*batch, a_base)),
            np.broadcast_to(q[..., 1:], (*batch, n_years - 1)),
        ],
        axis=-1,
    )
    by_vintage = counts[..., None, :] * _factors(setup, a_base, n_years)
    stock = by_vintage.sum(axis=-1)
    retirements = np.zeros_like(stock)
    retirements[..., 1:] = stock[..., :-1] + q[..., 1:] - stock[..., 1:]
    first = int(setup.years[0]) - a_base + 1
    vintage_years = np.arange(first, int(setup.years[-1]) + 1, dtype=np.int64)
    return Turnover(stock, by_vintage, retirements, vintage_years)


def sales_for_stock(
    years: npt.ArrayLike,
    base_stock: npt.ArrayLike,
    target_stock: npt.ArrayLike,
    survival: npt.ArrayLike,
    base_age_profile: npt.ArrayLike | None = None,
) -> FloatArray:
    """Sales that bring the stock to ``target_stock`` each year after the base (never < 0).

    ``target_stock[..., 0]`` is not used (the base-year stock is ``base_stock``); the returned
    ``sales[..., 0]`` is the base stock's age-0 cohort.  Where the target falls faster than
    the stock retires, sales are 0 and the stock stays above the target.
    """
    setup = _setup(years, base_stock, survival, base_age_profile)
    n_years = setup.years.size
    target = _floats(target_stock, "target stock")
    if target.ndim == 0 or target.shape[-1] != n_years:
        raise CalculationError(f"target stock: last axis {target.shape[-1:]} ≠ {n_years} years")
    s0 = setup.surv[..., 0]
    _bad(s0 <= 0, s0, "survival at age 0", "> 0 to derive sales from a stock")
    base = _base_counts(setup)
    a_base = base.shape[-1]
    base_left = (base[..., None, :] * _factors(setup, a_base, n_years)[..., :a_base]).sum(-1)
    batch = np.broadcast_shapes(base_left.shape[:-1], target.shape[:-1], s0.shape)
    sales = np.zeros((*batch, n_years))
    sales[..., 0] = base[..., -1]
    n_ages = setup.surv.shape[-1] - 1
    for t in range(1, n_years):
        ages = np.minimum(t - np.arange(1, t), n_ages)  # ages in year t of sales years 1 … t−1
        left = base_left[..., t] + (sales[..., 1:t] * setup.surv[..., ages]).sum(-1)
        sales[..., t] = np.maximum(0.0, (target[..., t] - left) / s0)
    return sales


def vintage_weighted(by_vintage: npt.ArrayLike, per_vintage: npt.ArrayLike) -> FloatArray:
    """``Σ_v by_vintage[..., t, v] · per_vintage[..., v]``, e.g. stock × vintage intensity."""
    stock = np.asarray(by_vintage, dtype=np.float64)
    weight = np.asarray(per_vintage, dtype=np.float64)
    if stock.ndim < 2 or weight.ndim < 1 or stock.shape[-1] != weight.shape[-1]:
        raise CalculationError(
            f"vintage_weighted: by_vintage {stock.shape} and per_vintage {weight.shape} "
            "do not share the vintage axis"
        )
    return np.asarray((stock * weight[..., None, :]).sum(axis=-1), dtype=np.float64)
