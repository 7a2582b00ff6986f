"""Portfolio selection: the least-cost set of measures that closes a target gap (措施组合优化).

A mixed-integer programme solved with HiGHS (highspy)::

    minimise    Σ_i cost_i · x_i
    subject to  Σ_i c_i · x_i ≥ G                (the gap, t CO2e)
                Σ_(i ∈ g) x_i ≤ 1                 for each group g of mutually exclusive measures
                x_i ∈ {0, 1}   (or 0 ≤ x_i ≤ 1 with fractional adoption, an LP)

where ``c_i`` is what measure ``i`` contributes to the gap and ``cost_i`` what it costs:

* a gap in one year ``Y`` (t CO2e in that year): ``c_i`` is the measure's abatement in ``Y``
  (its start year and ramp honoured; full abatement when it has no start year and no base year
  is given); ``cost_i`` its equivalent annual cost ``−NPV_i · CRF(r, n_i)`` (currency per year),
  so that measures of different lifetimes compare — the area under the MACC;
* a cumulative gap over ``Y0 … Y1`` (t CO2e summed over those years): ``c_i`` the abatement in
  those years; ``cost_i`` the measure's NPV cost discounted to the start of ``Y0``,
  ``−NPV_i · (1 + r)^−(s_i − Y0)``.

NPVs include the measure's policy instruments, if any (:mod:`neutra.measures.policy`).

With a baseline ``B`` (a gap in one year only), measures interact as in
:mod:`neutra.measures.interaction`: measure ``i`` cuts the share ``f_i = c_i / B`` of what is
left, so a set ``S`` abates ``B · (1 − Π_(i∈S) (1 − f_i))``. The gap constraint stays linear in
logarithms: ``Σ_i −ln(1 − f_i) · x_i ≥ −ln(1 − G/B)`` (exact for a binary choice).

A gap larger than all measures together can deliver is refused before solving, with the maximum.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import numpy as np
import pandas as pd

from neutra.errors import CalculationError, PlanError
from neutra.measures.economics import Measure, _check_rate, crf, npv
from neutra.measures.interaction import baseline_shares, check_baseline
from neutra.measures.policy import Policy, cash_flows, policy_for


class Adoption(StrEnum):
    """How a measure may be adopted: all or nothing (MILP), or any fraction (LP)."""

    BINARY = "binary"
    FRACTIONAL = "fractional"


@dataclass(frozen=True, slots=True)
class Gap:
    """The abatement still needed to reach a target.

    Attributes:
        tco2e: the gap, t CO2e (≥ 0): in ``year``, or summed over ``year … until_year``.
        year: the year of the gap (or the first year of a cumulative gap); ``None``: a year
            in which every measure runs at full abatement.
        until_year: last year of a cumulative gap, or ``None`` for a gap in one year.
    """

    tco2e: float
    year: int | None = None
    until_year: int | None = None

    def __post_init__(self) -> None:
        if not (math.isfinite(self.tco2e) and self.tco2e >= 0):
            raise PlanError(f"gap {self.tco2e!r}: expected t CO2e ≥ 0")
        if self.until_year is not None:
            if self.year is None:
                raise PlanError("a cumulative gap needs its first year (--year) as well")
            if self.until_year < self.year:
                raise PlanError(
                    f"gap years {self.year}–{self.until_year}: expected the last year ≥ the first"
                )

    @property
    def cumulative(self) -> bool:
        return self.until_year is not None

    def describe(self) -> str:
        if self.until_year is not None:
            return f"{self.tco2e:,.6g} t CO2e over {self.year}–{self.until_year}"
        when = f" in {self.year}" if self.year is not None else " a year"
        return f"{self.tco2e:,.6g} t CO2e{when}"


@dataclass(frozen=True)
class Portfolio:
    """The chosen measures and what they cost.

    Attributes:
        gap: the gap closed.
        adoption: binary (MILP) or fractional (LP).
        table: one row per measure: ``name``, ``group``, ``contribution_tco2e``, ``cost``,
            ``adopted`` (0–1), ``chosen`` (adopted > 0).
        cost: the portfolio's cost, in ``cost_unit``.
        abatement_tco2e: what the portfolio delivers towards the gap (with interactions if a
            baseline is given).
        maximum_tco2e: the most all measures could deliver.
        cost_unit: what ``cost`` is.
        baseline_tco2e: the baseline of the interactions, or ``None``.
        status: HiGHS's model status.
    """

    gap: Gap
    adoption: Adoption
    table: pd.DataFrame
    cost: float
    abatement_tco2e: float
    maximum_tco2e: float
    cost_unit: str
    baseline_tco2e: float | None
    status: str

    @property
    def chosen(self) -> tuple[str, ...]:
        return tuple(str(n) for n in self.table.loc[self.table["chosen"], "name"])


def contributions(
    measures: Sequence[Measure],
    gap: Gap,
    rate: float,
    policies: Policy | Mapping[str, Policy] | None = None,
    base_year: int | None = None,
) -> pd.DataFrame:
    """What each measure contributes to ``gap`` (t CO2e) and what it costs (see the module).

    Measures without a start year start in ``base_year`` (for a cumulative gap: in
    ``base_year`` or else the gap's first year).
    """
    _check_rate(rate)
    start_default = base_year
    if gap.cumulative and start_default is None:
        start_default = gap.year
    rows: list[dict[str, Any]] = []
    for m in measures:
        flows = cash_flows(m, policy_for(policies, m.name), start_default)
        value = npv(rate, flows["net"].to_numpy(dtype=np.float64))
        years = flows["year"]
        ab = flows["abatement"].to_numpy(dtype=np.float64)
        if gap.cumulative:
            first, last = int(gap.year or 0), int(gap.until_year or 0)  # set when cumulative
            inside = (years >= first) & (years <= last)
            contribution = float(ab[inside.to_numpy(dtype=bool, na_value=False)].sum())
            # the NPV is at the start of the measure's start year s: discount it to Y0
            cost = -value * (1.0 + rate) ** -(_start(flows) - first)
        else:
            if gap.year is None or years.isna().all():
                contribution = float(m.annual_abatement)
            else:
                hit = (years == gap.year).to_numpy(dtype=bool, na_value=False)
                contribution = float(ab[hit].sum())
            cost = -value * crf(rate, m.lifetime)
        rows.append(
            {
                "name": m.name,
                "group": m.group if m.group else None,
                "contribution_tco2e": contribution,
                "cost": cost,
            }
        )
    frame = pd.DataFrame(rows, columns=["name", "group", "contribution_tco2e", "cost"])
    frame["group"] = pd.Series([r["group"] for r in rows], dtype=object)
    return frame


def _start(flows: pd.DataFrame) -> int:
    """The calendar start year of a measure's cash flows (its first operating year)."""
    return int(flows["year"].iloc[1])


def _groups(frame: pd.DataFrame) -> list[list[int]]:
    groups: dict[str, list[int]] = {}
    for i, g in enumerate(frame["group"]):
        if isinstance(g, str) and g.strip():
            groups.setdefault(str(g), []).append(i)
    return [ix for ix in groups.values() if len(ix) > 1]


def _best_per_group(values: np.ndarray, groups: list[list[int]]) -> np.ndarray:
    """Mask of the measures that give the most of ``values`` (> 0) with one per group."""
    take = values > 0
    for ix in groups:
        take[ix] = False
        best = ix[int(np.argmax(values[ix]))]
        take[best] = values[best] > 0
    return take


def select_portfolio(
    measures: Sequence[Measure],
    gap: Gap,
    rate: float,
    *,
    policies: Policy | Mapping[str, Policy] | None = None,
    base_year: int | None = None,
    adoption: Adoption = Adoption.BINARY,
    baseline_tco2e: float | None = None,
) -> Portfolio:
    """The least-cost set of ``measures`` closing ``gap`` (see the module for the model).

    Args:
        measures: the candidates; those sharing a ``group`` are mutually exclusive.
        gap: the gap (in one year, or cumulative).
        rate: discount rate of the costs, a fraction.
        policies: instruments applying to all or to each measure by name.
        base_year: start year of measures without one.
        adoption: binary (a MILP) or fractional (an LP).
        baseline_tco2e: with a gap in one year, the baseline the measures act on (t CO2e in
            that year): measures interact (module notes). ``None``: abatements add up.

    Raises:
        PlanError: a gap larger than the measures can deliver (the message gives the gap and
            the maximum), a baseline with a cumulative gap, or a contribution above the baseline.
        CalculationError: HiGHS did not find an optimum for a feasible gap.
    """
    frame = contributions(measures, gap, rate, policies, base_year)
    c = frame["contribution_tco2e"].to_numpy(dtype=np.float64)
    cost = frame["cost"].to_numpy(dtype=np.float64)
    groups = _groups(frame)
    if baseline_tco2e is not None:
        if gap.cumulative:
            raise PlanError(
                "interactions (a baseline) apply to a gap in one year, not a cumulative gap"
            )
        check_baseline(baseline_tco2e)
        f = baseline_shares(frame["name"], c, baseline_tco2e, "contribution", "t CO2e")
        take = _best_per_group(f, groups)
        maximum = baseline_tco2e * (1.0 - float(np.prod(1.0 - f[take])))
    else:
        take = _best_per_group(c, groups)
        maximum = float(c[take].sum())
    tol = 1e-9 * max(1.0, gap.tco2e)
    if gap.tco2e > maximum + tol:
        raise PlanError(
            f"gap {gap.describe()} cannot be closed: the measures deliver at most "
            f"{maximum:,.6g} t CO2e"
            + (" with interactions" if baseline_tco2e is not None else "")
            + "; expected a gap ≤ that maximum (add measures or lower the gap)"
        )
    if baseline_tco2e is not None:
        with np.errstate(divide="ignore"):
            need = (
                -math.log1p(-gap.tco2e / baseline_tco2e) if gap.tco2e < baseline_tco2e else math.inf
            )
            weights = -np.log1p(-f)
        if math.isinf(need):  # the whole baseline: only a measure abating all of it closes it
            weights = np.where(np.isinf(weights), 1.0, 0.0)
            need = 1.0
        weights = np.minimum(weights, need)  # a measure that abates all closes the gap alone
    else:
        weights, need = c, gap.tco2e
    x, status = _solve(cost, weights, need, groups, adoption is Adoption.BINARY)
    if adoption is Adoption.BINARY:
        x = np.round(x)
    x = x + 0.0  # no negative zeros in the output
    if float(weights @ x) < need - 1e-6 * max(1.0, abs(need)):
        raise CalculationError(
            f"HiGHS returned a portfolio that does not close the gap {gap.describe()} "
            f"(status {status}); the data may be badly scaled"
        )
    if baseline_tco2e is not None:
        delivered = baseline_tco2e * (1.0 - float(np.prod((1.0 - f) ** x)))
    else:
        delivered = float(c @ x)
    out = frame.copy()
    out["adopted"] = x
    out["chosen"] = x > 1e-9
    unit = (
        f"currency, present value at the start of {gap.year}"
        if gap.cumulative
        else "currency per year (equivalent annual cost)"
    )
    return Portfolio(
        gap=gap,
        adoption=adoption,
        table=out,
        cost=float(cost @ x),
        abatement_tco2e=delivered,
        maximum_tco2e=maximum,
        cost_unit=unit,
        baseline_tco2e=baseline_tco2e,
        status=status,
    )


def _solve(
    cost: np.ndarray, weights: np.ndarray, need: float, groups: list[list[int]], integer: bool
) -> tuple[np.ndarray, str]:
    """Solve the selection with HiGHS; HiGHS's banner is kept off standard output."""
    import highspy

    from neutra.optimize.solve import _quiet

    n = int(cost.size)
    if n == 0:
        return np.zeros(0), "Optimal"
    with _quiet(True):
        h = highspy.Highs()  # type: ignore[no-untyped-call]
        h.setOptionValue("output_flag", False)
        h.setOptionValue("mip_rel_gap", 0.0)
        h.setOptionValue("mip_abs_gap", 0.0)
        idx = np.arange(n, dtype=np.int32)
        h.addCols(
            n,
            cost.astype(np.float64),
            np.zeros(n),
            np.ones(n),
            0,
            np.zeros(0, dtype=np.int32),
            np.zeros(0, dtype=np.int32),
            np.zeros(0),
        )
        if integer:
            kind = np.full(n, int(highspy.HighsVarType.kInteger), dtype=np.uint8)
            h.changeColsIntegrality(n, idx, kind)
        nz = np.nonzero(weights)[0].astype(np.int32)
        h.addRow(float(need), highspy.kHighsInf, int(nz.size), nz, weights[nz].astype(np.float64))
        for ix in groups:
            members = np.asarray(ix, dtype=np.int32)
            h.addRow(-highspy.kHighsInf, 1.0, int(members.size), members, np.ones(members.size))
        h.run()
        model_status = h.getModelStatus()
        status = h.modelStatusToString(model_status)
        optimal = model_status == highspy.HighsModelStatus.kOptimal
        x = np.asarray(h.getSolution().col_value, dtype=np.float64) if optimal else None
    if x is None:
        raise CalculationError(
            f"HiGHS found no optimal portfolio (status {status}) although the gap is within "
            "what the measures can deliver; the data may be badly scaled"
        )
    return np.clip(x, 0.0, 1.0), status


def portfolio_document(p: Portfolio) -> dict[str, Any]:
    """The ``portfolio`` part of the ``neutra.macc/1`` document."""
    return {
        "gap_tco2e": p.gap.tco2e,
        "year": p.gap.year,
        "until_year": p.gap.until_year,
        "cumulative": p.gap.cumulative,
        "adoption": str(p.adoption),
        "baseline_tco2e": p.baseline_tco2e,
        "status": p.status,
        "cost": p.cost,
        "cost_unit": p.cost_unit,
        "abatement_tco2e": p.abatement_tco2e,
        "maximum_tco2e": p.maximum_tco2e,
        "chosen": list(p.chosen),
        "measures": [
            {
                "name": str(r["name"]),
                "group": r["group"],
                "contribution_tco2e": float(r["contribution_tco2e"]),
                "cost": float(r["cost"]),
                "adopted": float(r["adopted"]),
            }
            for r in p.table.to_dict("records")
        ],
    }


__all__ = [
    "Adoption",
    "Gap",
    "Portfolio",
    "contributions",
    "portfolio_document",
    "select_portfolio",
]
