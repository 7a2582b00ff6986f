"""Top-down allocation of a target among sectors, districts or enterprises.

Methods (issue "Targets …", §2; the shares always sum to the whole):

* ``equal_rate`` — every member cuts by the same fraction of its base emissions: share ∝ base;
  the allowed emissions of each are base × (target / Σ base);
* ``grandfathering`` — by historical emissions (a period's mean): share ∝ history;
* ``benchmark`` — by output × benchmark intensity: share ∝ output × benchmark;
* ``capability`` — the more capable (e.g. GDP per capita) take a larger cut: the cut is
  allocated ∝ capability × base, and the allowance is base − cut;
* ``potential`` — the cut is allocated ∝ abatement potential (e.g. from the MACC);
* ``mix`` — a weighted mix of the shares of the methods above (weights summing to 1).

Every allowance is ≥ 0; when a cut method would take a member below 0, the shortfall is spread
over the others in proportion to their remaining emissions, so the total still holds.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import numpy.typing as npt
import pandas as pd

from neutra.errors import PlanValidationError, Problem

FloatArray = npt.NDArray[np.float64]
# The columns each method needs.
NEEDS: dict[str, tuple[str, ...]] = {
    "equal_rate": ("base",),
    "grandfathering": ("history",),
    "benchmark": ("output", "benchmark"),
    "capability": ("base", "capability"),
    "potential": ("base", "potential"),
}
METHODS = tuple(NEEDS)


def weights_sum_to_one(weights: Mapping[str, float] | None) -> bool:
    """Whether the weights of a ``mix`` are given and sum to 1."""
    return bool(weights) and abs(sum((weights or {}).values()) - 1) <= 1e-9


def _cut_allowance(base: FloatArray, cut_weight: FloatArray, total: float) -> FloatArray:
    """Allowances after allocating the cut Σbase − total by ``cut_weight`` (never below 0)."""
    need = float(base.sum()) - total
    allowance = base.copy()
    weight = cut_weight.astype(float).copy()
    for _ in range(len(base) + 1):
        if need <= 1e-12 * max(float(base.sum()), 1.0):
            break
        active = (allowance > 0) & (weight > 0)
        if not active.any():  # nobody can cut by this weight: by remaining emissions instead
            active = allowance > 0
            weight = allowance.copy()
        w = np.where(active, weight, 0.0)
        cut = need * w / w.sum()
        taken = np.minimum(cut, allowance)
        allowance = allowance - taken
        need -= float(taken.sum())
    kept = float(allowance.sum())
    # The loop stops within rounding of the total: close the last bit exactly.
    return allowance * (total / kept) if kept > 0 else allowance


def allocate(
    members: pd.DataFrame,
    total: float,
    method: str,
    weights: Mapping[str, float] | None = None,
    *,
    source: str = "members",
) -> pd.DataFrame:
    """Allowances of ``members`` (columns: ``member`` and what the method needs: ``base``,
    ``history``, ``output`` and ``benchmark``, ``capability``, ``potential``) summing to
    ``total``; returns member, allowance, share, cut. A value's problem names the row of the
    ``row`` column when there is one, else the row as in a CSV with a header."""
    problems: list[Problem] = []
    methods = list(weights) if method == "mix" and weights else [method]
    rows = (
        [int(r) for r in members["row"]]
        if "row" in members.columns
        else [i + 2 for i in range(len(members))]
    )
    for m in methods:
        if m not in NEEDS:
            problems.append(
                Problem(source, None, "method", m, "one of " + ", ".join([*METHODS, "mix"]))
            )
            continue
        for col in NEEDS[m]:
            if col not in members.columns:
                problems.append(Problem(source, None, col, None, f"a '{col}' column for {m}"))
                continue
            values = members[col].to_numpy(dtype=float)
            for i in np.nonzero(~np.isfinite(values) | (values < 0))[0]:
                problems.append(
                    Problem(source, rows[i], col, str(members[col].iloc[i]), "a number ≥ 0")
                )
    if method == "mix" and not weights_sum_to_one(weights):
        problems.append(
            Problem(
                source,
                None,
                "weights",
                str(dict(weights or {})),
                "weights of methods summing to 1",
            )
        )
    if total < 0 or not np.isfinite(total):
        problems.append(Problem(source, None, "total", str(total), "a total ≥ 0"))
    if problems:
        raise PlanValidationError(problems)
    shares = np.zeros(len(members))
    for m in methods:
        w = 1.0 if method != "mix" else float(weights[m])  # type: ignore[index]
        shares = shares + w * _shares(members, total, m)
    allowance = shares * total
    out = pd.DataFrame(
        {"member": members["member"].to_numpy(), "allowance": allowance, "share": shares}
    )
    if "base" in members.columns:
        out["cut"] = members["base"].to_numpy(dtype=float) - allowance
    return out


def _shares(members: pd.DataFrame, total: float, method: str) -> FloatArray:
    def col(name: str) -> FloatArray:
        values: FloatArray = members[name].to_numpy(dtype=float)
        return values

    if method == "equal_rate":
        basis = col("base")
    elif method == "grandfathering":
        basis = col("history")
    elif method == "benchmark":
        basis = col("output") * col("benchmark")
    else:
        base = col("base")
        whole = float(base.sum())
        if total <= 1e-12 * max(whole, 1.0) or total >= whole:  # nothing or all to cut
            return base / whole if whole > 0 else np.full(len(base), 1 / len(base))
        weight = base * col("capability") if method == "capability" else col("potential")
        out: FloatArray = _cut_allowance(base, weight, total) / total
        return out
    s = float(basis.sum())
    if s <= 0:
        return np.full(len(basis), 1 / len(basis))
    shares: FloatArray = basis / s
    return shares
