"""Techno-economics of abatement measures and the marginal abatement cost curve (MACC).

Formulas (docs SOURCES.md, "Techno-economics"):

* capital recovery factor ``CRF(r, n) = r(1+r)^n / ((1+r)^n − 1)``, and ``1/n`` at ``r = 0``;
* levelised cost of abatement ``LCOA = (CRF·CAPEX + OPEX − savings) / annual abatement``
  (currency per t CO2e; negative when the measure pays for itself);
* a MACC sorts measures by LCOA; each bar is as wide as the measure's annual abatement.

Each measure's abatement is taken as given: interactions between measures (applying them in order
against a declining baseline) belong to scenario models, not here.

Cash flows of a measure: ``−capex`` in year 0, then ``savings − opex`` at the end of each of its
``lifetime`` years. With these, ``NPV = −(CRF·CAPEX + OPEX − savings) / CRF``, i.e.
``LCOA · abatement = −CRF · NPV``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from neutra.errors import PlanError

SCHEMA = "neutra.macc/1"
NO_ABATEMENT = "no LCOA: annual_abatement ≤ 0 (the cost cannot be spread over no abatement)"


def crf(rate: float, years: float) -> float:
    """Capital recovery factor: the annuity that repays 1 over ``years`` at ``rate``.

    ``CRF(r, n) = r(1+r)^n / ((1+r)^n − 1)``; ``1/n`` at ``r = 0`` (its limit).

    Raises:
        PlanError: ``years`` ≤ 0 or ``rate`` ≤ −1.
    """
    if not years > 0:
        raise PlanError(f"lifetime {years!r}: expected a number of years > 0")
    if not rate > -1:
        raise PlanError(f"discount rate {rate!r}: expected a fraction > −1 (0.08 for 8 %)")
    if rate == 0:
        return 1.0 / years
    # r / (1 − (1+r)^−n), with expm1/log1p so that rates near 0 lose no precision
    return rate / -math.expm1(-years * math.log1p(rate))


def npv(rate: float, cashflows: Sequence[float] | np.ndarray) -> float:
    """Net present value of ``cashflows`` at the ends of years 0, 1, 2, … (year 0 first)."""
    if not rate > -1:
        raise PlanError(f"discount rate {rate!r}: expected a fraction > −1 (0.08 for 8 %)")
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
    if not rate > -1:
        raise PlanError(f"discount rate {rate!r}: expected a fraction > −1 (0.08 for 8 %)")
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


@dataclass(frozen=True, slots=True)
class Measure:
    """One abatement measure.

    Attributes:
        name: what the measure is.
        capex: investment, currency, paid in year 0.
        opex: operating and maintenance cost, currency per year.
        annual_savings: energy and other savings, currency per year.
        lifetime: years of operation (whole years, ≥ 1).
        annual_abatement: emissions avoided, t CO2e per year.
    """

    name: str
    capex: float
    opex: float
    annual_savings: float
    lifetime: int
    annual_abatement: float


def _check_rate(rate: float) -> None:
    if not (math.isfinite(rate) and -1 < rate < 1):
        raise PlanError(
            f"discount rate {rate!r}: expected a fraction between −1 and 1 (0.08 for 8 %)"
        )


def evaluate(measures: Sequence[Measure], rate: float) -> pd.DataFrame:
    """Economics of each measure at discount ``rate`` (a fraction, 0.08 for 8 %).

    Returns:
        one row per measure, in the given order, with the measure's fields and ``crf``,
        ``annualised_capex`` (CRF·capex), ``net_annual_cost`` (annualised capex + opex − savings),
        ``lcoa`` (currency per t CO2e; NaN when the abatement is ≤ 0, see ``lcoa_note``),
        ``lcoa_note`` (why LCOA is missing, else ""), ``npv``, ``irr`` (NaN when there is none),
        ``payback`` (simple, years; NaN when the net saving is ≤ 0) and ``discounted_payback``
        (years; NaN when not repaid within the lifetime).

    Raises:
        PlanError: ``rate`` not in (−1, 1), or a lifetime ≤ 0.
    """
    _check_rate(rate)
    rows: list[dict[str, Any]] = []
    for m in measures:
        f = crf(rate, m.lifetime)
        net_saving = m.annual_savings - m.opex
        annualised = f * m.capex
        net_cost = annualised + m.opex - m.annual_savings
        ok = m.annual_abatement > 0
        flows = np.full(int(m.lifetime) + 1, net_saving, dtype=np.float64)
        flows[0] = -m.capex
        r_irr = irr(flows)
        pay = simple_payback(m.capex, net_saving)
        dpay = discounted_payback(m.capex, net_saving, rate, m.lifetime)
        rows.append(
            {
                "name": m.name,
                "capex": float(m.capex),
                "opex": float(m.opex),
                "annual_savings": float(m.annual_savings),
                "lifetime": int(m.lifetime),
                "annual_abatement": float(m.annual_abatement),
                "crf": f,
                "annualised_capex": annualised,
                "net_annual_cost": net_cost,
                "lcoa": net_cost / m.annual_abatement if ok else math.nan,
                "lcoa_note": "" if ok else NO_ABATEMENT,
                "npv": npv(rate, flows),
                "irr": math.nan if r_irr is None else r_irr,
                "payback": math.nan if pay is None else pay,
                "discounted_payback": math.nan if dpay is None else dpay,
            }
        )
    columns = [
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
    ]
    frame = pd.DataFrame(rows, columns=columns)
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
    "Measure",
    "crf",
    "discounted_payback",
    "evaluate",
    "irr",
    "json_document",
    "macc",
    "npv",
    "simple_payback",
]
