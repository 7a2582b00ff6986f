"""Techno-economics of abatement measures and the marginal abatement cost curve (MACC).

Formulas (docs SOURCES.md, "Techno-economics"):

* capital recovery factor ``CRF(r, n) = r(1+r)^n / ((1+r)^n − 1)``, and ``1/n`` at ``r = 0``;
* levelised cost of abatement ``LCOA = (CRF·CAPEX + OPEX − savings) / annual abatement``
  (currency per t CO2e; negative when the measure pays for itself);
* a MACC sorts measures by LCOA; each bar is as wide as the measure's annual abatement.

Each measure's abatement is taken as given here; interactions between measures (applied in order
against a declining baseline) are in :mod:`neutra.measures.interaction`, policy instruments in
:mod:`neutra.measures.policy`.

Cash flows of a measure: ``−capex`` in year 0, then ``savings − opex`` at the end of each of its
``lifetime`` years. With these, ``NPV = −(CRF·CAPEX + OPEX − savings) / CRF``, i.e.
``LCOA · abatement = −CRF · NPV``. A measure with a ramp (``ramp_years`` > 1) reaches its full
savings and abatement only in operating year ``ramp_years``: its yearly savings and abatement are
``share_t`` times the full values (:func:`ramp_shares`), and its LCOA is the levelised cost
``−NPV / Σ_t abatement_t/(1+r)^t`` (discounted cost over discounted abatement, which is the CRF
formula above when every year is at full abatement).

:func:`base_cash_flows` gives these yearly flows and :func:`appraise_flows` their NPV, IRR,
paybacks and LCOA; :func:`evaluate` tabulates them, and :mod:`neutra.measures.policy` adds the
instruments' columns to the same flows.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from neutra.errors import PlanError

SCHEMA = "neutra.macc/1"
NO_ABATEMENT = "no LCOA: annual_abatement ≤ 0 (the cost cannot be spread over no abatement)"


def _check_above_minus_one(rate: float) -> None:
    """The discount-rate check of the formulas (:func:`crf`, :func:`npv`, the paybacks)."""
    if not rate > -1:
        raise PlanError(f"discount rate {rate!r}: expected a fraction > −1 (0.08 for 8 %)")


def crf(rate: float, years: float) -> float:
    """Capital recovery factor: the annuity that repays 1 over ``years`` at ``rate``.

    ``CRF(r, n) = r(1+r)^n / ((1+r)^n − 1)``; ``1/n`` at ``r = 0`` (its limit).

    Raises:
        PlanError: ``years`` ≤ 0 or ``rate`` ≤ −1.
    """
    if not years > 0:
        raise PlanError(f"lifetime {years!r}: expected a number of years > 0")
    _check_above_minus_one(rate)
    if rate == 0:
        return 1.0 / years
    # r / (1 − (1+r)^−n), with expm1/log1p so that rates near 0 lose no precision
    return rate / -math.expm1(-years * math.log1p(rate))


def npv(rate: float, cashflows: Sequence[float] | np.ndarray) -> float:
    """Net present value of ``cashflows`` at the ends of years 0, 1, 2, … (year 0 first)."""
    _check_above_minus_one(rate)
    cf = np.asarray(cashflows, dtype=np.float64)
    t = np.arange(cf.size, dtype=np.float64)
    return float(np.sum(cf / (1.0 + rate) ** t))


def irr(cashflows: Sequence[float] | np.ndarray, tol: float = 1e-12) -> float | None:
    """Internal rate of return: the rate at which the NPV of ``cashflows`` is 0, by bisection.

    Rates from just above −1 up to 10⁶ are searched on a grid for the first sign change of the
    NPV, then bisected. ``None`` when the cash flows do not change sign (no IRR) or the NPV does
    not change sign in that range. With several sign changes of the cash flows there may be
    several IRRs; the lowest found on the grid is returned.
    """
    cf = np.asarray(cashflows, dtype=np.float64)
    nz = cf[cf != 0]
    if nz.size < 2 or np.all(nz > 0) or np.all(nz < 0):
        return None
    grid = np.concatenate([-1.0 + np.logspace(-6, 0, 60, endpoint=False), np.logspace(-8, 6, 400)])
    grid = np.unique(np.concatenate([grid, [0.0]]))
    values = np.array([npv(float(r), cf) for r in grid])
    if np.any(values == 0):
        return float(grid[int(np.argmax(values == 0))])
    change = np.nonzero(np.sign(values[:-1]) != np.sign(values[1:]))[0]
    if change.size == 0:
        return None
    lo, hi = float(grid[change[0]]), float(grid[change[0] + 1])
    f_lo = values[change[0]]
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        f_mid = npv(mid, cf)
        if f_mid == 0 or hi - lo < tol * max(1.0, abs(mid)):
            return mid
        if np.sign(f_mid) == np.sign(f_lo):
            lo, f_lo = mid, f_mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def simple_payback(capex: float, annual_net_saving: float) -> float | None:
    """Years for undiscounted net savings to repay ``capex``; ``None`` when saving ≤ 0."""
    if not annual_net_saving > 0:
        return None
    return capex / annual_net_saving


def discounted_payback(
    capex: float, annual_net_saving: float, rate: float, lifetime: float | None = None
) -> float | None:
    """Years for discounted net savings to repay ``capex``.

    The annuity formula solved for the number of years:
    ``n = −ln(1 − r·capex/s) / ln(1 + r)`` (``capex/s`` at ``r = 0``), so that the NPV of a
    measure with lifetime ``n`` would be exactly 0. ``None`` when the saving is ≤ 0, when the
    discounted savings never repay the capex (``r·capex ≥ s``), or when ``n`` exceeds
    ``lifetime`` (if given).
    """
    if not annual_net_saving > 0:
        return None
    _check_above_minus_one(rate)
    if rate == 0:
        n = capex / annual_net_saving
    else:
        x = rate * capex / annual_net_saving
        if x >= 1:
            return None
        n = -math.log1p(-x) / math.log1p(rate)
    if lifetime is not None and n > lifetime:
        return None
    return n


def ramp_shares(lifetime: int, ramp_years: int) -> np.ndarray:
    """Share of the full savings and abatement reached in operating years 1 … ``lifetime``.

    Linear ramp: ``share_t = min(1, t / ramp_years)``, so the full value is reached in operating
    year ``ramp_years`` (0 or 1: full from the first year). A ramp longer than the lifetime never
    reaches the full value.
    """
    if not ramp_years >= 0:
        raise PlanError(f"ramp_years {ramp_years!r}: expected whole years ≥ 0")
    t = np.arange(1, int(lifetime) + 1, dtype=np.float64)
    if ramp_years <= 1:
        return np.ones_like(t)
    return np.minimum(1.0, t / float(ramp_years))


def payback_from_flows(
    cashflows: Sequence[float] | np.ndarray, rate: float = 0.0, extend: bool = False
) -> float | None:
    """Years until the cumulative (discounted at ``rate``) cash flow is repaid for good.

    ``cashflows`` are at the ends of years 0, 1, 2, …. The payback is the time from which the
    cumulative discounted cash flow stays ≥ 0. Within the year ``k`` in which it turns, the year's
    flow ``f`` is spread as in the annuity formula: with ``D`` the discounted deficit left after
    year ``k − 1`` and ``v = 1/(1+r)``, ``v^x = v^(k−1) − r·D/f`` (``x = k − 1 + D/f`` at
    ``r = 0``). For constant flows this is :func:`discounted_payback` (:func:`simple_payback` at
    ``r = 0``) exactly.

    Returns:
        0 when the cumulative flow is never negative and some flow is positive; ``None`` when no
        flow is positive or the deficit is not repaid within the flows — unless ``extend``, in
        which case a deficit left at the end is repaid by continuing the last year's flow (if it
        is positive), as :func:`simple_payback` does beyond the lifetime.
    """
    _check_above_minus_one(rate)
    cf = np.asarray(cashflows, dtype=np.float64)
    v = 1.0 / (1.0 + rate)
    disc = cf * v ** np.arange(cf.size, dtype=np.float64)
    cum = np.cumsum(disc)
    negative = np.nonzero(cum < 0)[0]
    if negative.size == 0:
        return 0.0 if np.any(cf > 0) else None
    last = int(negative[-1])
    deficit = float(-cum[last])
    if last == cf.size - 1:
        f = float(cf[-1])
        if not (extend and f > 0):
            return None
        k = cf.size  # the flow of year n + 1, n + 2, … continues the last year's
    else:
        k = last + 1
        f = float(cf[k])
    if rate == 0:
        return (k - 1) + deficit / f
    # v^x = v^(k−1)·(1 − q) with q = r·D·(1+r)^(k−1)/f, so x = k − 1 − ln(1 − q)/ln(1 + r)
    q = rate * deficit * (1.0 + rate) ** (k - 1) / f
    if not q < 1:  # extended beyond the flows, the annuity never repays the deficit
        return None
    return (k - 1) - math.log1p(-q) / math.log1p(rate)


@dataclass(frozen=True, slots=True)
class Measure:
    """One abatement measure.

    Attributes:
        name: what the measure is.
        capex: investment, currency, paid in year 0.
        opex: operating and maintenance cost, currency per year.
        annual_savings: energy and other savings, currency per year (besides
            ``energy_saved_kwh × energy_price``, if those are given).
        lifetime: years of operation (whole years, ≥ 1).
        annual_abatement: emissions avoided, t CO2e per year (at full output).
        energy_saved_kwh: electricity saved, kWh per year at full output (negative when the
            measure uses more, e.g. electrification); valued at ``energy_price`` or, under a
            tiered tariff, at the tariff's blocks (:mod:`neutra.measures.policy`).
        energy_price: flat price of the saved electricity, currency per kWh.
        start_year: calendar year of the investment and the first operating year, or ``None``.
        ramp_years: operating years to reach the full savings and abatement (linear, see
            :func:`ramp_shares`; 0 or 1: full from the first year).
        group: mutually exclusive alternatives share a group (at most one is adopted in a
            portfolio), or ``None``.
    """

    name: str
    capex: float
    opex: float
    annual_savings: float
    lifetime: int
    annual_abatement: float
    energy_saved_kwh: float = 0.0
    energy_price: float = 0.0
    start_year: int | None = None
    ramp_years: int = 0
    group: str | None = None

    @property
    def total_savings(self) -> float:
        """Savings at full output, currency per year: ``annual_savings + kWh saved × price``."""
        return self.annual_savings + self.energy_saved_kwh * self.energy_price


def _check_rate(rate: float) -> None:
    if not (math.isfinite(rate) and -1 < rate < 1):
        raise PlanError(
            f"discount rate {rate!r}: expected a fraction between −1 and 1 (0.08 for 8 %)"
        )


def _operating_years(measure: Measure, base_year: int | None) -> list[int] | None:
    """Calendar years of operating years 1 … lifetime, or ``None`` without a start year."""
    start = measure.start_year if measure.start_year is not None else base_year
    if start is None:
        return None
    return list(range(int(start), int(start) + int(measure.lifetime)))


# cash-flow columns as arrays over t = 0 … lifetime (a frame's columns but t and year)
_Flows = dict[str, np.ndarray]
_BASE_COMPONENTS = ("investment", "opex", "savings", "energy_value")


def _base_flows(m: Measure) -> _Flows:
    """The columns of :func:`base_cash_flows` other than ``t`` and ``year``."""
    n = int(m.lifetime)
    if n < 1:
        raise PlanError(f"measure {m.name!r}: lifetime {m.lifetime!r}: expected whole years ≥ 1")
    share = ramp_shares(n, m.ramp_years)
    cols = {c: np.zeros(n + 1) for c in _BASE_COMPONENTS}
    cols["investment"][0] = -m.capex
    cols["opex"][1:] = -m.opex
    cols["savings"][1:] = share * m.annual_savings
    cols["energy_value"][1:] = share * m.energy_saved_kwh * m.energy_price
    return {
        "share": np.concatenate([[0.0], share]),
        **cols,
        "net": _total(cols[c] for c in _BASE_COMPONENTS),
        "abatement": np.concatenate([[0.0], share * m.annual_abatement]),
    }


def _total(columns: Iterable[np.ndarray]) -> np.ndarray:
    """The sum of cash-flow columns (at least one), added in order."""
    return functools.reduce(np.add, columns)


def _flows_frame(flows: _Flows, measure: Measure, base_year: int | None) -> pd.DataFrame:
    """A cash-flow frame: ``t``, ``year`` and the columns of ``flows``."""
    years = _operating_years(measure, base_year)
    size = len(flows["net"])
    frame = pd.DataFrame(
        {
            "t": np.arange(size),
            "year": pd.array(
                [None if years is None else years[0] - 1 + t for t in range(size)],
                dtype="Int64",
            ),
            **flows,
        }
    )
    frame.attrs["measure"] = measure.name
    return frame


def base_cash_flows(measure: Measure, base_year: int | None = None) -> pd.DataFrame:
    """Yearly cash flows of ``measure`` to its owner without policy instruments.

    Args:
        measure: the measure (its ``start_year`` and ``ramp_years`` are honoured).
        base_year: start year of a measure that has none (only the ``year`` column uses it).

    Returns:
        rows ``t = 0 … lifetime`` with ``t``, ``year`` (calendar year, or missing without a
        start year), ``share`` (of full output), ``investment`` (``−capex`` in year 0),
        ``opex`` (``−opex`` from year 1), ``savings`` and ``energy_value`` (kWh saved × the flat
        ``energy_price``), both ``share_t`` of their full values, ``net`` (their sum) and
        ``abatement`` (t CO2e). :func:`neutra.measures.policy.cash_flows` adds the instruments.

    Raises:
        PlanError: a lifetime < 1.
    """
    return _flows_frame(_base_flows(measure), measure, base_year)


@dataclass(frozen=True, slots=True)
class Appraisal:
    """A measure's economics from its yearly cash flows at one discount rate.

    Attributes:
        rate: the discount rate, a fraction.
        npv: net present value at the start year (year 0), currency.
        irr: internal rate of return, or ``None`` (none, or not computed).
        payback: simple payback, years, or ``None``.
        discounted_payback: years within the lifetime, or ``None``.
        pv_abatement: discounted abatement, t CO2e.
        lcoa: ``−NPV / pv_abatement``, currency per t CO2e, or ``None`` when
            ``pv_abatement`` ≤ 0.
        equivalent_annual_cost: ``−NPV · CRF(rate, lifetime)``, currency per year.
    """

    rate: float
    npv: float
    irr: float | None
    payback: float | None
    discounted_payback: float | None
    pv_abatement: float
    lcoa: float | None
    equivalent_annual_cost: float


def appraise_flows(
    flows: pd.DataFrame | _Flows, rate: float, *, with_irr: bool = True
) -> Appraisal:
    """NPV, IRR, paybacks and LCOA of a cash-flow frame (:func:`base_cash_flows`,
    :func:`neutra.measures.policy.cash_flows`; or its columns as arrays) at ``rate``.

    ``with_irr=False`` skips the IRR search (``irr`` is then ``None``); the IRR does not depend
    on the rate.

    Raises:
        PlanError: ``rate`` not in (−1, 1).
    """
    _check_rate(rate)
    net = np.asarray(flows["net"], dtype=np.float64)
    value = npv(rate, net)
    pv_ab = npv(rate, np.asarray(flows["abatement"], dtype=np.float64))
    return Appraisal(
        rate=rate,
        npv=value,
        irr=irr(net) if with_irr else None,
        payback=payback_from_flows(net, 0.0, extend=True),
        discounted_payback=payback_from_flows(net, rate),
        pv_abatement=pv_ab,
        lcoa=-value / pv_ab if pv_ab > 0 else None,
        equivalent_annual_cost=-value * crf(rate, len(net) - 1),
    )


def _nan(value: float | None) -> float:
    return math.nan if value is None else float(value)


_COLUMNS = (
    "name",
    "capex",
    "opex",
    "annual_savings",
    "lifetime",
    "annual_abatement",
    "crf",
    "annualised_capex",
    "net_annual_cost",
    "lcoa",
    "lcoa_note",
    "npv",
    "irr",
    "payback",
    "discounted_payback",
)


def evaluate(
    measures: Sequence[Measure], rate: float, appraisals: Sequence[Appraisal] | None = None
) -> pd.DataFrame:
    """Economics of each measure at discount ``rate`` (a fraction, 0.08 for 8 %).

    Each row is the :func:`appraise_flows` of the measure's :func:`base_cash_flows`: start
    year and policy instruments do not enter (the NPV is at the measure's own start); a ramp
    does (see the module notes). :mod:`neutra.measures.policy` gives the yearly cash flows with
    instruments, :mod:`neutra.measures.appraisal` both discount rates.

    Args:
        measures: the measures.
        rate: the discount rate.
        appraisals: the measures' appraisals without instruments at ``rate``, in the same
            order, when already computed (else they are computed here).

    Returns:
        one row per measure, in the given order, with the measure's fields and ``crf``,
        ``annualised_capex`` (CRF·capex), ``net_annual_cost`` (the equivalent annual cost
        ``−CRF·NPV``; without a ramp, annualised capex + opex − savings, savings including
        ``energy_saved_kwh × energy_price``), ``lcoa`` (currency per t CO2e; NaN when the
        abatement is ≤ 0, see ``lcoa_note``), ``lcoa_note`` (why LCOA is missing, else ""),
        ``npv``, ``irr`` (NaN when there is none), ``payback`` (simple, years; NaN when never
        repaid) and ``discounted_payback`` (years; NaN when not repaid within the lifetime).

    Raises:
        PlanError: ``rate`` not in (−1, 1), or a lifetime ≤ 0.
    """
    _check_rate(rate)
    if appraisals is not None and len(appraisals) != len(measures):
        raise ValueError(f"{len(appraisals)} appraisals for {len(measures)} measures")
    rows: list[dict[str, Any]] = []
    for i, m in enumerate(measures):
        f = crf(rate, m.lifetime)
        a = appraise_flows(_base_flows(m), rate) if appraisals is None else appraisals[i]
        ok = m.annual_abatement > 0 and a.lcoa is not None
        rows.append(
            {
                "name": m.name,
                "capex": float(m.capex),
                "opex": float(m.opex),
                "annual_savings": float(m.annual_savings),
                "lifetime": int(m.lifetime),
                "annual_abatement": float(m.annual_abatement),
                "crf": f,
                "annualised_capex": f * m.capex,
                "net_annual_cost": a.equivalent_annual_cost,
                "lcoa": _nan(a.lcoa) if ok else math.nan,
                "lcoa_note": "" if ok else NO_ABATEMENT,
                "npv": a.npv,
                "irr": _nan(a.irr),
                "payback": _nan(a.payback),
                "discounted_payback": _nan(a.discounted_payback),
            }
        )
    frame = pd.DataFrame(rows, columns=list(_COLUMNS))
    frame.attrs["rate"] = rate
    return frame


def macc(frame: pd.DataFrame) -> pd.DataFrame:
    """The marginal abatement cost curve of an :func:`evaluate` frame.

    Rows are sorted by ``lcoa`` ascending (ties keep their order); each measure with an LCOA is a
    bar from ``x0`` to ``x1`` = cumulative annual abatement (t CO2e/yr) before and after it.
    Measures without an LCOA come last with ``x0`` = ``x1`` = NaN (not on the curve). The index
    is reset; ``rank`` is the 1-based position on the curve.
    """
    out = frame.sort_values("lcoa", kind="stable", na_position="last").reset_index(drop=True)
    on = out["lcoa"].notna().to_numpy()
    width = np.where(on, out["annual_abatement"].to_numpy(dtype=np.float64), 0.0)
    x1 = np.cumsum(width)
    x0 = np.concatenate([[0.0], x1[:-1]])  # bars touch exactly: x0 of one = x1 of the previous
    out["x0"] = np.where(on, x0, np.nan)
    out["x1"] = np.where(on, x1, np.nan)
    out["rank"] = np.arange(1, len(out) + 1)
    out.attrs.update(frame.attrs)
    return out


def _num(value: Any) -> float | None:
    v = float(value)
    return None if math.isnan(v) else v


def json_document(curve: pd.DataFrame, rate: float, table: str, year: int | None) -> dict[str, Any]:
    """The ``neutra.macc/1`` document of a :func:`macc` frame read from ``table``.

    Missing numbers (no LCOA, IRR or payback) are ``null``; numbers are not rounded.
    """
    measures = [
        {
            "name": str(r["name"]),
            "lcoa": _num(r["lcoa"]),
            "lcoa_note": str(r["lcoa_note"]) or None,
            "npv": _num(r["npv"]),
            "irr": _num(r["irr"]),
            "payback": _num(r["payback"]),
            "discounted_payback": _num(r["discounted_payback"]),
            "crf": _num(r["crf"]),
            "annual_abatement": _num(r["annual_abatement"]),
            "x0": _num(r["x0"]),
            "x1": _num(r["x1"]),
        }
        for r in curve.to_dict("records")
    ]
    on = curve["x1"].dropna()
    total = float(on.iloc[-1]) if len(on) else 0.0
    return {
        "schema": SCHEMA,
        "table": table,
        "rate": rate,
        "year": year,
        "lcoa_unit": "currency per t CO2e",
        "abatement_unit": "t CO2e/yr",
        "total_abatement": total,
        "measures": measures,
    }


__all__ = [
    "NO_ABATEMENT",
    "SCHEMA",
    "Appraisal",
    "Measure",
    "appraise_flows",
    "base_cash_flows",
    "crf",
    "discounted_payback",
    "evaluate",
    "irr",
    "json_document",
    "macc",
    "npv",
    "payback_from_flows",
    "ramp_shares",
    "simple_payback",
]
