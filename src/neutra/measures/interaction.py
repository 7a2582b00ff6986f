"""Interactions between measures: applied in order against a declining baseline.

Measures do not add up: once one measure has cut the baseline, the next one acts on what is left
(an efficiency gain saves fewer emissions after the fuel switch). As in SOURCES.md
"Techno-economics", measures are applied in order against a declining baseline so that no
abatement is counted twice. Each measure's standalone abatement ``a_i`` (against the full
baseline ``B``) defines its share ``f_i = a_i / B`` of whatever baseline is left when it is
applied:

    abatement_i = f_i · R_(i−1),   R_i = R_(i−1) − abatement_i = B · Π_(j≤i) (1 − f_j)

so the total ``B · (1 − Π (1 − f_i))`` never exceeds the baseline and is below the naive sum
``Σ a_i`` whenever two measures both abate. A measure's costs are unchanged by the interaction; its
levelised cost of abatement rises to ``LCOA_i · a_i / abatement_i`` (the abatement of every year
shrinks by the same factor). The order is the curve's (cheapest standalone LCOA first) unless
given.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from neutra.errors import PlanError


def check_baseline(baseline_tco2e: float) -> None:
    """Raise :class:`PlanError` unless the baseline the measures act on is > 0 (t CO2e/yr)."""
    if not (math.isfinite(baseline_tco2e) and baseline_tco2e > 0):
        raise PlanError(f"baseline {baseline_tco2e!r}: expected t CO2e per year > 0")


def baseline_shares(
    names: pd.Series, amounts: np.ndarray, baseline_tco2e: float, what: str, unit: str
) -> np.ndarray:
    """Each measure's share of a (checked) baseline, ``amount / baseline``.

    Args:
        names: the measures' names, for the message.
        amounts: what each measure cuts on its own, ``unit``.
        baseline_tco2e: the baseline, > 0 (see :func:`check_baseline`).
        what, unit: the amount's name and unit in the message.

    Raises:
        PlanError: the first measure whose amount exceeds the baseline.
    """
    over = amounts > baseline_tco2e
    if over.any():
        name = names.iloc[int(np.argmax(over))]
        raise PlanError(
            f"measure {name!r}: {what} {amounts[over][0]:,.6g} {unit} exceeds the baseline "
            f"{baseline_tco2e:,.6g}; expected at most the baseline"
        )
    return amounts / baseline_tco2e


def interacting_macc(
    frame: pd.DataFrame, baseline_tco2e: float, order: Sequence[str] | None = None
) -> pd.DataFrame:
    """The MACC with interactions, from an :func:`~neutra.measures.economics.evaluate` frame.

    Args:
        frame: one row per measure with ``name``, ``annual_abatement`` (standalone, t CO2e/yr)
            and ``lcoa`` (NaN: off the curve).
        baseline_tco2e: the baseline emissions the measures act on, t CO2e per year (> 0).
        order: names in the order of application; ``None``: ascending standalone LCOA.
            Measures without an LCOA are not applied.

    Returns:
        the rows in order of application with, besides the input columns, ``share_of_remaining``
        (``f_i``), ``baseline_before`` and ``baseline_after`` (t CO2e/yr),
        ``interacting_abatement`` (t CO2e/yr), ``lcoa_interacting`` (currency per t CO2e) and
        ``x0``/``x1`` (cumulative interacting abatement). ``attrs["baseline_tco2e"]``,
        ``attrs["naive_total"]`` (Σ a_i) and ``attrs["total"]`` record the totals.

    Raises:
        PlanError: a baseline ≤ 0, a standalone abatement above the baseline, or an ``order``
            that does not name each measure with an LCOA exactly once.
    """
    check_baseline(baseline_tco2e)
    on = frame[frame["lcoa"].notna() & (frame["annual_abatement"] > 0)]
    if order is None:
        applied = on.sort_values("lcoa", kind="stable")
    else:
        names = list(order)
        known = set(on["name"])
        if sorted(names) != sorted(known):
            missing = sorted(known - set(names))
            extra = sorted(set(names) - known)
            raise PlanError(
                f"order {names!r}: expected each measure with an LCOA once "
                f"(missing {missing}, not on the curve {extra})"
            )
        applied = on.set_index("name").loc[names].reset_index()
    applied = applied.reset_index(drop=True).copy()
    a = applied["annual_abatement"].to_numpy(dtype=np.float64)
    f = baseline_shares(applied["name"], a, baseline_tco2e, "abatement", "t CO2e/yr")
    after = baseline_tco2e * np.cumprod(1.0 - f)
    before = np.concatenate([[baseline_tco2e], after[:-1]])
    cut = f * before
    x1 = np.cumsum(cut)
    applied["share_of_remaining"] = f
    applied["baseline_before"] = before
    applied["baseline_after"] = after
    applied["interacting_abatement"] = cut
    with np.errstate(divide="ignore", invalid="ignore"):
        applied["lcoa_interacting"] = np.where(
            cut > 0, applied["lcoa"].to_numpy(dtype=np.float64) * a / cut, np.nan
        )
    applied["x0"] = np.concatenate([[0.0], x1[:-1]])
    applied["x1"] = x1
    applied["rank"] = np.arange(1, len(applied) + 1)
    applied.attrs.update(frame.attrs)
    applied.attrs["baseline_tco2e"] = baseline_tco2e
    applied.attrs["naive_total"] = float(a.sum())
    applied.attrs["total"] = float(x1[-1]) if len(x1) else 0.0
    return applied


def interactions_document(curve: pd.DataFrame) -> dict[str, object]:
    """The ``interactions`` part of the ``neutra.macc/1`` document."""
    return {
        "baseline_tco2e": curve.attrs["baseline_tco2e"],
        "naive_total": curve.attrs["naive_total"],
        "total": curve.attrs["total"],
        "order": [
            {
                "name": str(r["name"]),
                "standalone_abatement": float(r["annual_abatement"]),
                "share_of_remaining": float(r["share_of_remaining"]),
                "interacting_abatement": float(r["interacting_abatement"]),
                "lcoa_interacting": None
                if math.isnan(r["lcoa_interacting"])
                else float(r["lcoa_interacting"]),
                "x0": float(r["x0"]),
                "x1": float(r["x1"]),
            }
            for r in curve.to_dict("records")
        ],
    }


__all__ = ["baseline_shares", "check_baseline", "interacting_macc", "interactions_document"]
