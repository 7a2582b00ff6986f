"""Measures appraised at a private and a social discount rate, without and with policy.

The private rate is the owner's (its cost of capital); the social rate is the one a planner uses
for society's view. Both are the user's choice (none is built in). At the social rate, read the
figures *without* policy for the resource cost: subsidies, tax credits and concessional loans are
transfers within society, not costs or benefits of the measure.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from neutra.measures.economics import Measure, _check_rate, crf, evaluate, json_document, macc
from neutra.measures.interaction import interacting_macc, interactions_document
from neutra.measures.policy import (
    NO_POLICY,
    Policy,
    compare,
    effects_table,
    evaluate_policy,
    policy_for,
)
from neutra.measures.portfolio import Adoption, Gap, Portfolio, portfolio_document, select_portfolio

METRICS = ("npv", "irr", "payback", "discounted_payback", "lcoa")


def appraise(
    measures: Sequence[Measure],
    rate: float,
    social_rate: float | None = None,
    policies: Policy | Mapping[str, Policy] | None = None,
    base_year: int | None = None,
) -> pd.DataFrame:
    """Each measure at the private ``rate`` and, if given, the ``social_rate``.

    Returns:
        the :func:`~neutra.measures.economics.evaluate` frame at ``rate`` (so
        :func:`~neutra.measures.economics.macc` sorts it by the private LCOA without policy),
        plus ``start_year``, ``ramp_years``, ``group``; with ``social_rate``: ``crf_social``,
        ``npv_social``, ``lcoa_social``, ``discounted_payback_social``; with a policy: for each
        metric of :data:`METRICS` the columns ``<metric>_policy`` and ``<metric>_policy_change``
        at ``rate`` and, with ``social_rate``, ``<metric>_social_policy`` and
        ``<metric>_social_policy_change``; and the present value of each instrument at
        ``rate``, ``pv_<instrument>``. ``attrs`` holds ``rate``, ``social_rate`` and
        ``has_policy``.
    """
    _check_rate(rate)
    if social_rate is not None:
        _check_rate(social_rate)
    # one appraisal without and one with the policy per rate (an empty policy reuses the
    # first); the IRR is searched at the private rate only (it does not depend on the rate)
    private = [compare(m, policy_for(policies, m.name), rate, base_year) for m in measures]
    frame = evaluate(measures, rate, [eff.base for eff in private])
    frame["start_year"] = pd.array([m.start_year for m in measures], dtype="Int64")
    frame["ramp_years"] = [int(m.ramp_years) for m in measures]
    frame["group"] = pd.array([m.group for m in measures], dtype=object)
    has_policy = _has_policy(policies, measures)
    social = None
    if social_rate is not None:
        social = evaluate_policy(measures, social_rate, policies, base_year, with_irr=False)
        frame["crf_social"] = [crf(social_rate, m.lifetime) for m in measures]
        frame["npv_social"] = social["npv_base"].to_numpy()
        frame["lcoa_social"] = social["lcoa_base"].to_numpy()
        frame["discounted_payback_social"] = social["discounted_payback_base"].to_numpy()
    if has_policy:
        with_policy = effects_table(private, rate)
        for metric in METRICS:
            frame[f"{metric}_policy"] = with_policy[f"{metric}_policy"].to_numpy()
            # with minus without, both from the yearly cash flows (so no instrument gives 0)
            frame[f"{metric}_policy_change"] = with_policy[f"{metric}_change"].to_numpy()
        for col in with_policy.columns:
            if col.startswith("pv_") and col != "pv_abatement":
                frame[col] = with_policy[col].to_numpy()
        if social is not None:
            for metric in ("npv", "discounted_payback", "lcoa"):
                frame[f"{metric}_social_policy"] = social[f"{metric}_policy"].to_numpy()
                frame[f"{metric}_social_policy_change"] = social[f"{metric}_change"].to_numpy()
    frame.attrs.update({"rate": rate, "social_rate": social_rate, "has_policy": has_policy})
    return frame


def _has_policy(
    policies: Policy | Mapping[str, Policy] | None, measures: Sequence[Measure]
) -> bool:
    if policies is None:
        return False
    if isinstance(policies, Policy):
        return not policies.empty
    return any(not policies[m.name].empty for m in measures if m.name in policies)


def _num(value: Any) -> float | None:
    if value is None or value is pd.NA:
        return None
    v = float(value)
    return None if math.isnan(v) else v


def macc_document(
    curve: pd.DataFrame,
    table: str,
    year: int | None,
    policy: Mapping[str, Any] | None = None,
    policies: Mapping[str, Policy] | None = None,
) -> dict[str, Any]:
    """The ``neutra.macc/1`` document of a :func:`~neutra.measures.economics.macc` frame of
    :func:`appraise`, with the fields added to the schema.

    Added per measure: ``start_year``, ``ramp_years``, ``group``, ``social`` (``crf``, ``npv``,
    ``lcoa``, ``discounted_payback`` at the social rate, or ``null``), ``policy`` (``private``
    and, with a social rate, ``social``: the metrics with the policy; ``change``: with minus
    without at the private rate; ``present_values``: each instrument's present value at the
    private rate; ``instruments``: those applying to the measure, from ``policies``; or
    ``null``). Added at the top: ``social_rate`` and ``policy`` (the instruments given for all
    measures).
    """
    rate = float(curve.attrs.get("rate", math.nan))
    social_rate = curve.attrs.get("social_rate")
    doc = json_document(curve, rate, table, year)
    doc["social_rate"] = social_rate
    doc["policy"] = dict(policy) if policy else None
    has_policy = bool(curve.attrs.get("has_policy"))
    for entry, r in zip(doc["measures"], curve.to_dict("records"), strict=True):
        entry["start_year"] = None if pd.isna(r["start_year"]) else int(r["start_year"])
        entry["ramp_years"] = int(r["ramp_years"])
        entry["group"] = r["group"] if isinstance(r["group"], str) else None
        entry["social"] = (
            {
                "crf": _num(r["crf_social"]),
                "npv": _num(r["npv_social"]),
                "lcoa": _num(r["lcoa_social"]),
                "discounted_payback": _num(r["discounted_payback_social"]),
            }
            if social_rate is not None
            else None
        )
        if not has_policy:
            entry["policy"] = None
            continue
        name = str(r["name"])
        pol: dict[str, Any] = {
            "instruments": policies[name].describe() if policies and name in policies else None,
            "private": {m: _num(r[f"{m}_policy"]) for m in METRICS},
            "change": {m: _num(r[f"{m}_policy_change"]) for m in METRICS},
            "present_values": {
                k[3:]: _num(v) for k, v in r.items() if k.startswith("pv_") and k != "pv_abatement"
            },
        }
        if social_rate is not None:
            pol["social"] = {
                m: _num(r[f"{m}_social_policy"]) for m in ("npv", "discounted_payback", "lcoa")
            }
            pol["social_change"] = {
                m: _num(r[f"{m}_social_policy_change"])
                for m in ("npv", "discounted_payback", "lcoa")
            }
        entry["policy"] = pol
    return doc


@dataclass(frozen=True)
class MaccAnalysis:
    """Everything ``neutra macc`` shows.

    Attributes:
        curve: the MACC (:func:`~neutra.measures.economics.macc` of :func:`appraise`).
        interactions: the curve with interactions (:mod:`neutra.measures.interaction`), or
            ``None`` without a baseline.
        portfolio: the least-cost set closing a gap, or ``None`` without a gap.
        policy: the instruments given for all measures (as plain data), or ``None``.
        document: the ``neutra.macc/1`` document.
    """

    curve: pd.DataFrame
    interactions: pd.DataFrame | None
    portfolio: Portfolio | None
    policy: dict[str, Any] | None
    document: dict[str, Any]


def analyse_measures(
    measures: Sequence[Measure],
    label: str,
    rate: float,
    *,
    social_rate: float | None = None,
    year: int | None = None,
    policy: Policy | None = None,
    table_policies: Mapping[str, Policy] | None = None,
    baseline_tco2e: float | None = None,
    gap: Gap | None = None,
    adoption: Adoption = Adoption.BINARY,
) -> MaccAnalysis:
    """Appraise ``measures``, draw the MACC, and optionally the interacting curve and the
    least-cost portfolio.

    Args:
        measures: the measures (e.g. of a measures table named ``label``).
        label: where they come from, for the document.
        rate: private discount rate, a fraction.
        social_rate: social discount rate, or ``None``.
        year: the year of the curve: start year of measures without one, year of the gap.
        policy: instruments for every measure.
        table_policies: instruments per measure (a table's policy columns); each replaces the
            same instrument of ``policy`` for that measure.
        baseline_tco2e: baseline emissions for the interacting curve (and the portfolio).
        gap: a gap to close with the least-cost portfolio.
        adoption: binary or fractional adoption in the portfolio.
    """
    common = policy if policy is not None else NO_POLICY
    per_measure = {
        m.name: common.merged((table_policies or {}).get(m.name, NO_POLICY)) for m in measures
    }
    curve = macc(appraise(measures, rate, social_rate, per_measure, year))
    described = common.describe() or None
    doc = macc_document(curve, label, year, described, per_measure)
    inter = None
    if baseline_tco2e is not None:
        inter = interacting_macc(curve, baseline_tco2e)
        doc["interactions"] = interactions_document(inter)
    chosen = None
    if gap is not None:
        chosen = select_portfolio(
            measures,
            gap,
            rate,
            policies=per_measure,
            base_year=year,
            adoption=adoption,
            baseline_tco2e=baseline_tco2e if not gap.cumulative else None,
        )
        doc["portfolio"] = portfolio_document(chosen)
    return MaccAnalysis(curve, inter, chosen, described, doc)


__all__ = ["METRICS", "MaccAnalysis", "analyse_measures", "appraise", "macc_document"]
