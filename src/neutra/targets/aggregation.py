"""A plan's targets split among members (top-down) and members' own plans added up (bottom-up).

``allocation.csv`` lists, for a target of ``targets.csv`` with an ``allocate`` method, the
members it is split among (sectors, districts, enterprises) with what the method needs
(``base``, ``history``, ``output`` × ``benchmark``, ``capability``, ``potential``) and, where the
member has its own plan, ``planned`` — its emissions in the target year (for a budget: over the
budget's years, and ``base`` likewise), all in the target's ``unit``. The target's limit
(the most allowed in its year, or the budget) is allocated by :func:`neutra.targets.allocation.
allocate`; each member's plan is held against its allowance, and the plans' sum against the
top-down target: the gap that the members' plans leave.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from neutra import units
from neutra.errors import PlanValidationError, Problem
from neutra.io.tables import Origin
from neutra.targets.allocation import METHODS, NEEDS, allocate, weights_sum_to_one
from neutra.targets.plan_targets import Target

ALLOCATABLE = ("absolute", "budget", "sbti", "netzero")


def parse_method(text: str) -> tuple[str, dict[str, float] | None]:
    """``equal_rate`` → (equal_rate, None); ``mix:equal_rate=0.5,capability=0.5`` → (mix, …).

    Raises ValueError with what is wrong."""
    text = text.strip()
    if not text.startswith("mix"):
        if text not in METHODS:
            raise ValueError("one of " + ", ".join(METHODS) + ", or mix:method=weight,…")
        return text, None
    _, _, body = text.partition(":")
    weights: dict[str, float] = {}
    for part in body.split(","):
        name, _, w = part.partition("=")
        name = name.strip()
        if name not in METHODS:
            raise ValueError(f"mix of known methods ({', '.join(METHODS)}), not {name!r}")
        try:
            weights[name] = float(w)
        except ValueError:
            raise ValueError(f"a number as the weight of {name}, not {w!r}") from None
    if not weights_sum_to_one(weights):
        raise ValueError("weights summing to 1, e.g. mix:equal_rate=0.5,capability=0.5")
    return "mix", weights


def allocate_targets(
    targets: list[Target],
    checks: pd.DataFrame,
    frame: pd.DataFrame,
    letters: dict[str, str] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Members' allowances and plans (``members``) and the top-down against bottom-up sum
    (``summary``), for every target the allocation table names; every problem at once."""
    pairs = tuple(sorted((letters or {}).items()))
    by_id = {t.id: t for t in targets}
    problems: list[Problem] = []

    def bad(rec: dict[str, Any], col: str, value: Any, expected: str) -> None:
        origin = Origin(str(rec.get("file", "allocation.csv")), int(rec["row"]), pairs)
        problems.append(origin.problem(col, value, expected))

    groups: dict[str, list[dict[str, Any]]] = {}
    for rec in frame.to_dict("records"):
        groups.setdefault(str(rec["target"]), []).append(rec)
    plans: list[tuple[Target, str, dict[str, float] | None, list[dict[str, Any]]]] = []
    for tid, recs in groups.items():
        t = by_id.get(tid)
        if t is None:
            bad(recs[0], "target", tid, "a target id of targets.csv: " + ", ".join(by_id))
            continue
        if t.kind not in ALLOCATABLE:
            bad(recs[0], "target", tid, f"a target of kind {', '.join(ALLOCATABLE)}")
            continue
        try:
            method, weights = parse_method(t.allocate)
        except ValueError as exc:
            problems.append(
                Problem(t.file, t.row, "allocate", t.allocate or None, f"{exc} (allocation.csv)")
            )
            continue
        seen: set[str] = set()
        for rec in recs:
            if str(rec["member"]) in seen:
                bad(rec, "member", rec["member"], f"each member once per target ({tid})")
            seen.add(str(rec["member"]))
            for m in weights or [method]:
                for col in NEEDS[m]:
                    v = rec.get(col)
                    if v is None or pd.isna(v):
                        bad(rec, col, None, f"a value ≥ 0 for the {m} allocation of {tid}")
        plans.append((t, method, weights, recs))
    if problems:
        raise PlanValidationError(problems)
    rows: list[pd.DataFrame] = []
    summary: list[dict[str, Any]] = []
    for t, method, weights, recs in plans:
        members = pd.DataFrame(recs)
        # Emission amounts of the table are in the target's unit; the allocation is in t.
        scale = units.factor(t.unit, "t")
        for col in ("base", "history", "potential", "planned"):
            if col in members.columns:
                members[col] = pd.to_numeric(members[col], errors="coerce") * scale
        if t.kind == "budget":
            limit = float(t.value or 0.0)  # the budget itself, not what banking carried in
        else:  # the target's limit in the first scenario (the same in all unless relative)
            limit = float(checks.loc[checks["target"] == t.id, "limit"].iloc[0])
        out = allocate(members, limit, method, weights, source=recs[0].get("file", "allocation"))
        out.insert(0, "target", t.id)
        out["level"] = members.get("level", pd.Series([""] * len(members))).to_numpy()
        out["name"] = members.get("name", pd.Series([""] * len(members))).to_numpy()
        out["name_zh"] = members.get("name_zh", pd.Series([""] * len(members))).to_numpy()
        planned_arr = (
            pd.to_numeric(members["planned"], errors="coerce").to_numpy(dtype=float)
            if "planned" in members.columns
            else np.full(len(members), np.nan)
        )
        out["planned"] = planned_arr
        out["gap"] = planned_arr - out["allowance"].to_numpy()
        out["method"] = t.allocate
        rows.append(out)
        have = ~np.isnan(planned_arr)
        bottom_up = float(planned_arr[have].sum()) if have.any() else float("nan")
        summary.append(
            {
                "target": t.id,
                "method": t.allocate,
                "top_down": limit,
                "bottom_up": bottom_up,
                "gap": bottom_up - limit if have.all() else float("nan"),
                "members": len(members),
                "members_with_plans": int(have.sum()),
                "members_over": int((out["gap"] > 1e-9 * max(limit, 1.0)).sum()),
            }
        )
    cols = ["target", "member", "allowance", "share", "planned", "gap"]
    return (
        pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=cols),
        pd.DataFrame(summary),
    )


__all__ = ["allocate_targets", "parse_method"]
