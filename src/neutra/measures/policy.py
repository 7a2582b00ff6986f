"""Policy instruments and what they do to a measure's economics (政策工具对措施经济性的影响).

Each instrument is a frozen dataclass; a :class:`Policy` bundles those that apply to a measure.
:func:`cash_flows` gives a measure's yearly cash flows (to its owner) with and without them,
honouring the start year and the ramp; :func:`compare` and :func:`evaluate_policy` give NPV,
IRR, paybacks and the levelised cost of abatement (LCOA) without and with the policy and the
difference. Formulas and their basis: ``docs/method-measures.md``.

Timing (as in :mod:`neutra.measures.economics`): year ``t = 0`` is the investment, at the start
of the measure's ``start_year``; operating year ``t = 1 … n`` is calendar year
``start_year + t − 1`` and its flows fall at its end. Savings, energy value, abatement and so
carbon revenue are ``share_t`` of their full values (the ramp); opex is paid in full from year 1.

* :class:`CapexSubsidy` — ``share × capex + amount`` (at most ``cap``) paid in year 0.
* :class:`InvestmentTaxCredit` — ``share × capex`` credited in equal parts in operating years
  1 … ``years`` (the owner is assumed to have the tax to set it against).
* :class:`CarbonPrice` — ``price(year) × abatement_t`` counted as revenue or avoided cost.
* :class:`GreenLoan` — ``share`` of the capex net of the subsidy borrowed at a concessional
  ``rate`` and repaid as an annuity ``A = P · CRF(rate, years)`` in operating years 1 … ``years``.
  At the discount rate ``r`` the loan is worth ``P · (1 − CRF(rate, m)/CRF(r, m))`` to the owner
  (``P`` borrowed now against repayments whose present value is ``P · CRF(rate, m)/CRF(r, m)``).
* :class:`TieredTariff` — electricity saved valued at a block tariff: the saving is the fall of
  the annual bill, ``bill(C) − bill(C − S)``, so the kWh saved come off the highest blocks first.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from typing import Any

import numpy as np
import pandas as pd

from neutra.errors import PlanError
from neutra.measures.economics import (
    Appraisal,
    Measure,
    _base_flows,
    _flows_frame,
    _nan,
    _operating_years,
    _total,
    appraise_flows,
    crf,
    npv,
)

COMPONENTS = (
    "investment",
    "subsidy",
    "loan_drawn",
    "loan_payment",
    "tax_credit",
    "opex",
    "savings",
    "energy_value",
    "carbon_revenue",
)
"""Cash-flow columns of :func:`cash_flows`, in currency to the owner (costs negative)."""


def _fraction(value: float, what: str, low: float = 0.0, high: float = 1.0) -> None:
    if not (math.isfinite(value) and low <= value <= high):
        raise PlanError(f"{what} {value!r}: expected a fraction from {low:g} to {high:g}")


@dataclass(frozen=True, slots=True)
class CapexSubsidy:
    """A capital subsidy (投资补贴), paid to the owner in year 0.

    Attributes:
        share: fraction of the capex subsidised (0–1).
        amount: a fixed sum, currency (added to the share).
        cap: the most the programme pays, currency, or ``None``.
    """

    share: float = 0.0
    amount: float = 0.0
    cap: float | None = None

    def __post_init__(self) -> None:
        _fraction(self.share, "subsidy share")
        if not (math.isfinite(self.amount) and self.amount >= 0):
            raise PlanError(f"subsidy amount {self.amount!r}: expected currency ≥ 0")
        if self.cap is not None and not (math.isfinite(self.cap) and self.cap >= 0):
            raise PlanError(f"subsidy cap {self.cap!r}: expected currency ≥ 0")

    def value(self, measure: Measure) -> float:
        """The subsidy paid for ``measure``, currency; more than its capex is an error."""
        paid = subsidy_paid(measure.capex, self.share, self.amount, self.cap)
        if "subsidy" in instrument_misfits(measure.capex, None, subsidy=paid):
            raise PlanError(
                f"measure {measure.name!r}: subsidy {paid:,.6g} exceeds its capex "
                f"{measure.capex:,.6g}; expected at most the investment"
            )
        return paid


@dataclass(frozen=True, slots=True)
class InvestmentTaxCredit:
    """An investment tax credit (投资抵免): a share of the capex set against tax.

    Attributes:
        share: fraction of the (gross) capex credited (0–1).
        years: the credit is spread in equal parts over operating years 1 … ``years``
            (1: all at the end of the first year); at most the measure's lifetime.
    """

    share: float
    years: int = 1

    def __post_init__(self) -> None:
        _fraction(self.share, "tax credit share")
        if not (self.years == int(self.years) and self.years >= 1):
            raise PlanError(f"tax credit years {self.years!r}: expected whole years ≥ 1")


@dataclass(frozen=True, slots=True)
class CarbonPrice:
    """A carbon price path (碳价): currency per t CO2e, by calendar year or flat.

    Attributes:
        by_year: ``(year, price)`` pairs; every operating year of a measure must be covered.
        flat: one price for every year (used when ``by_year`` is empty).
    """

    by_year: tuple[tuple[int, float], ...] = ()
    flat: float | None = None

    def __post_init__(self) -> None:
        if (self.flat is None) == (not self.by_year):
            raise PlanError("carbon price: expected either a flat price or prices by year")
        prices = [self.flat] if self.flat is not None else [p for _, p in self.by_year]
        for p in prices:
            if p is None or not math.isfinite(p):
                raise PlanError(f"carbon price {p!r}: expected a number (currency per t CO2e)")
        years = [y for y, _ in self.by_year]
        if len(set(years)) != len(years):
            raise PlanError("carbon price: each year once")

    @classmethod
    def path(cls, prices: Mapping[int, float]) -> CarbonPrice:
        """A price path from ``{year: price}``."""
        return cls(tuple(sorted((int(y), float(p)) for y, p in prices.items())))

    def prices(self, years: Sequence[int] | None, measure: str, n: int) -> np.ndarray:
        """Prices for operating years 1 … ``n`` whose calendar years are ``years``."""
        if self.flat is not None:
            return np.full(n, self.flat, dtype=np.float64)
        if years is None:
            raise PlanError(
                f"measure {measure!r}: a carbon price by year needs the measure's start year "
                "(a start_year column, or the evaluation's base year --year)"
            )
        table = dict(self.by_year)
        missing = [y for y in years if y not in table]
        if missing:
            shown = ", ".join(str(y) for y in missing[:10]) + (", …" if len(missing) > 10 else "")
            raise PlanError(
                f"measure {measure!r}: the carbon price path has no price for {shown}; expected "
                f"a price for every operating year {years[0]}–{years[-1]} (extend the path)"
            )
        return np.array([table[y] for y in years], dtype=np.float64)


@dataclass(frozen=True, slots=True)
class GreenLoan:
    """A concessional (green) loan (绿色贷款): part of the investment borrowed at a low rate.

    Attributes:
        rate: the loan's interest rate, a fraction.
        share: fraction of the capex net of any subsidy that is borrowed (0–1).
        years: tenor, repaid as an annuity over operating years 1 … ``years``; ``None``: the
            measure's lifetime. At most the lifetime.
    """

    rate: float
    share: float
    years: int | None = None

    def __post_init__(self) -> None:
        if not (math.isfinite(self.rate) and -1 < self.rate < 1):
            raise PlanError(f"loan rate {self.rate!r}: expected a fraction (0.035 for 3.5 %)")
        _fraction(self.share, "loan share")
        if self.years is not None and not (self.years == int(self.years) and self.years >= 1):
            raise PlanError(f"loan years {self.years!r}: expected whole years ≥ 1")


@dataclass(frozen=True, slots=True)
class TieredTariff:
    """An increasing-block electricity tariff (阶梯电价) and the consumer's annual use.

    Attributes:
        blocks: ``(upper, price)`` pairs in order: the block runs up to ``upper`` kWh per year
            (``None`` for the last, open block) at ``price`` currency per kWh.
        consumption_kwh: the consumer's annual use without the measure, kWh.
    """

    blocks: tuple[tuple[float | None, float], ...]
    consumption_kwh: float

    def __post_init__(self) -> None:
        if not self.blocks:
            raise PlanError("tiered tariff: expected at least one block")
        bounds = [u for u, _ in self.blocks]
        if bounds[-1] is not None:
            raise PlanError("tiered tariff: the last block must be open (upper bound None)")
        if any(u is None for u in bounds[:-1]):
            raise PlanError("tiered tariff: only the last block may be open")
        limits = [float(u) for u in bounds[:-1] if u is not None]
        if any(not b > a for a, b in zip([0.0, *limits], limits, strict=False)):
            raise PlanError(f"tiered tariff: block bounds {limits}: expected increasing, > 0")
        if any(not (math.isfinite(p) and p >= 0) for _, p in self.blocks):
            raise PlanError("tiered tariff: expected prices ≥ 0 (currency per kWh)")
        if not (math.isfinite(self.consumption_kwh) and self.consumption_kwh >= 0):
            raise PlanError(f"consumption {self.consumption_kwh!r}: expected kWh per year ≥ 0")

    def bill(self, kwh: float) -> float:
        """The annual bill for ``kwh`` (≥ 0), currency."""
        total, lower = 0.0, 0.0
        for upper, price in self.blocks:
            top = kwh if upper is None else min(kwh, float(upper))
            if top > lower:
                total += (top - lower) * price
            if upper is None or kwh <= float(upper):
                break
            lower = float(upper)
        return total

    def saving_value(self, saved_kwh: float, measure: str = "") -> float:
        """Value of saving ``saved_kwh`` in a year: ``bill(C) − bill(C − saved)``."""
        after = self.consumption_kwh - saved_kwh
        if after < 0:
            raise PlanError(
                f"measure {measure!r}: saves {saved_kwh:,.6g} kWh but the tariff's consumption "
                f"is {self.consumption_kwh:,.6g} kWh; expected a saving ≤ the consumption"
            )
        return self.bill(self.consumption_kwh) - self.bill(after)


@dataclass(frozen=True, slots=True)
class Policy:
    """The instruments that apply to a measure (any may be ``None``)."""

    subsidy: CapexSubsidy | None = None
    tax_credit: InvestmentTaxCredit | None = None
    carbon_price: CarbonPrice | None = None
    green_loan: GreenLoan | None = None
    tariff: TieredTariff | None = None

    @property
    def empty(self) -> bool:
        return all(getattr(self, f.name) is None for f in fields(self))

    def merged(self, override: Policy) -> Policy:
        """This policy with every instrument that ``override`` sets replaced by its."""
        changes = {
            f.name: getattr(override, f.name)
            for f in fields(override)
            if getattr(override, f.name) is not None
        }
        return replace(self, **changes)

    def describe(self) -> dict[str, Any]:
        """The instruments as plain data (for JSON documents)."""
        out: dict[str, Any] = {}
        if self.subsidy is not None:
            out["subsidy"] = {
                "share": self.subsidy.share,
                "amount": self.subsidy.amount,
                "cap": self.subsidy.cap,
            }
        if self.tax_credit is not None:
            out["tax_credit"] = {"share": self.tax_credit.share, "years": self.tax_credit.years}
        if self.carbon_price is not None:
            cp = self.carbon_price
            out["carbon_price"] = (
                {"flat": cp.flat}
                if cp.flat is not None
                else {"by_year": {str(y): p for y, p in cp.by_year}}
            )
        if self.green_loan is not None:
            gl = self.green_loan
            out["green_loan"] = {"rate": gl.rate, "share": gl.share, "years": gl.years}
        if self.tariff is not None:
            out["tiered_tariff"] = {
                "blocks": [[u, p] for u, p in self.tariff.blocks],
                "consumption_kwh": self.tariff.consumption_kwh,
            }
        return out


NO_POLICY = Policy()


def subsidy_paid(
    capex: float, share: float = 0.0, amount: float = 0.0, cap: float | None = None
) -> float:
    """A capital subsidy for an investment of ``capex``: ``share × capex + amount``, at most
    ``cap`` (not checked against the capex: :func:`instrument_misfits`)."""
    paid = share * capex + amount
    return paid if cap is None else min(paid, cap)


def instrument_misfits(
    capex: float | None,
    lifetime: int | None,
    *,
    subsidy: float | None = None,
    tax_credit_years: int | None = None,
    loan_years: int | None = None,
) -> tuple[str, ...]:
    """The instruments that do not fit a measure with ``capex`` and ``lifetime``.

    Returns:
        in this order, ``"subsidy"`` when the subsidy paid exceeds the capex (beyond rounding),
        ``"tax_credit"`` and ``"green_loan"`` when spread over more years than the lifetime;
        empty when all fit. A check whose numbers are ``None`` is skipped.
    """
    out: list[str] = []
    if capex is not None and subsidy is not None and subsidy > capex * (1 + 1e-12):
        out.append("subsidy")
    if lifetime is not None:
        if tax_credit_years is not None and int(tax_credit_years) > int(lifetime):
            out.append("tax_credit")
        if loan_years is not None and int(loan_years) > int(lifetime):
            out.append("green_loan")
    return tuple(out)


def cash_flows(
    measure: Measure, policy: Policy = NO_POLICY, base_year: int | None = None
) -> pd.DataFrame:
    """Yearly cash flows of ``measure`` to its owner under ``policy``.

    Args:
        measure: the measure (its ``start_year`` and ``ramp_years`` are honoured).
        policy: the instruments; :data:`NO_POLICY` for none.
        base_year: start year of a measure that has none (needed only for a carbon price by
            year).

    Returns:
        rows ``t = 0 … lifetime`` with ``t``, ``year`` (calendar year, or missing without a
        start year), ``share`` (of full output), the columns of :data:`COMPONENTS` (currency,
        costs negative), ``net`` (their sum) and ``abatement`` (t CO2e): the
        :func:`~neutra.measures.economics.base_cash_flows` with the instruments' columns.

    Raises:
        PlanError: an instrument that does not fit the measure (a subsidy above the capex, a
            loan or tax credit longer than the lifetime, no carbon price for a year, …).
    """
    flows = _with_instruments(_base_flows(measure), measure, policy, base_year)
    return _flows_frame(flows, measure, base_year)


def _with_instruments(
    base: dict[str, np.ndarray], m: Measure, policy: Policy, base_year: int | None
) -> dict[str, np.ndarray]:
    """The :func:`cash_flows` columns (but ``t``, ``year``) of ``m`` from its ``base`` columns
    (:func:`~neutra.measures.economics.base_cash_flows`), which are not changed."""
    n = len(base["net"]) - 1
    share = base["share"][1:]
    cols = {c: base[c].copy() if c in base else np.zeros(n + 1) for c in COMPONENTS}
    if policy.tariff is not None:
        tariff = policy.tariff
        saved_kwh = share * m.energy_saved_kwh
        cols["energy_value"][1:] = [tariff.saving_value(float(s), m.name) for s in saved_kwh]
    abatement = base["abatement"]

    subsidy = 0.0
    if policy.subsidy is not None:
        subsidy = policy.subsidy.value(m)
        cols["subsidy"][0] = subsidy
    tc, gl = policy.tax_credit, policy.green_loan
    tenor = None
    if gl is not None:
        tenor = n if gl.years is None else int(gl.years)
    misfit = instrument_misfits(
        None, n, tax_credit_years=None if tc is None else tc.years, loan_years=tenor
    )
    if tc is not None:
        if "tax_credit" in misfit:
            raise PlanError(
                f"measure {m.name!r}: tax credit over {tc.years} years exceeds its lifetime "
                f"{n}; expected at most the lifetime"
            )
        cols["tax_credit"][1 : int(tc.years) + 1] = tc.share * m.capex / tc.years
    if gl is not None and tenor is not None:
        if "green_loan" in misfit:
            raise PlanError(
                f"measure {m.name!r}: loan over {tenor} years exceeds its lifetime {n}; "
                "expected at most the lifetime"
            )
        principal = gl.share * (m.capex - subsidy)
        cols["loan_drawn"][0] = principal
        cols["loan_payment"][1 : tenor + 1] = -principal * crf(gl.rate, tenor)
    if policy.carbon_price is not None:
        years = _operating_years(m, base_year)
        prices = policy.carbon_price.prices(years, m.name, n)
        cols["carbon_revenue"][1:] = prices * abatement[1:]
    return {
        "share": base["share"],
        **cols,
        "net": _total(cols[c] for c in COMPONENTS),
        "abatement": abatement,
    }


@dataclass(frozen=True, slots=True)
class PolicyEffect:
    """A measure's economics without and with a policy at one rate.

    Attributes:
        measure: the measure's name.
        base: without any instrument.
        policy: with the policy's instruments.
        components: present value of each instrument's cash flows at the rate, currency
            (``subsidy``, ``tax_credit``, ``carbon_revenue``, ``green_loan`` — drawn minus the
            repayments —, ``tariff`` — the energy value under the tariff minus at the flat
            price); they sum to ``policy.npv − base.npv``.
    """

    measure: str
    base: Appraisal
    policy: Appraisal
    components: dict[str, float] = field(default_factory=dict)

    @property
    def npv_change(self) -> float:
        return self.policy.npv - self.base.npv


INSTRUMENT_VALUES = ("subsidy", "tax_credit", "carbon_revenue", "green_loan", "tariff")
"""The keys of :attr:`PolicyEffect.components`."""


def compare(
    measure: Measure,
    policy: Policy,
    rate: float,
    base_year: int | None = None,
    *,
    with_irr: bool = True,
) -> PolicyEffect:
    """Economics of ``measure`` at ``rate`` without and with ``policy``.

    An empty policy reuses the appraisal without instruments (its components are 0);
    ``with_irr=False`` skips the IRR searches (see
    :func:`~neutra.measures.economics.appraise_flows`).
    """
    base_flows = _base_flows(measure)
    base = appraise_flows(base_flows, rate, with_irr=with_irr)
    if policy.empty:
        return PolicyEffect(measure.name, base, base, dict.fromkeys(INSTRUMENT_VALUES, 0.0))
    flows = _with_instruments(base_flows, measure, policy, base_year)

    def pv(*columns: str) -> float:
        return npv(rate, _total(flows[c] for c in columns))

    components = {
        "subsidy": pv("subsidy"),
        "tax_credit": pv("tax_credit"),
        "carbon_revenue": pv("carbon_revenue"),
        "green_loan": pv("loan_drawn", "loan_payment"),
        "tariff": pv("energy_value") - npv(rate, base_flows["energy_value"]),
    }
    return PolicyEffect(
        measure.name, base, appraise_flows(flows, rate, with_irr=with_irr), components
    )


def policy_for(policies: Policy | Mapping[str, Policy] | None, name: str) -> Policy:
    """The policy that applies to measure ``name``: the one given, or its entry, or none."""
    if policies is None:
        return NO_POLICY
    if isinstance(policies, Policy):
        return policies
    return policies.get(name, NO_POLICY)


def effects_table(effects: Sequence[PolicyEffect], rate: float) -> pd.DataFrame:
    """The :func:`evaluate_policy` frame of :func:`compare` results at ``rate``."""
    rows: list[dict[str, Any]] = []
    for eff in effects:
        row: dict[str, Any] = {"name": eff.measure}
        for metric in ("npv", "irr", "payback", "discounted_payback", "lcoa"):
            b = _nan(getattr(eff.base, metric))
            p = _nan(getattr(eff.policy, metric))
            row[f"{metric}_base"] = b
            row[f"{metric}_policy"] = p
            row[f"{metric}_change"] = p - b
        row["pv_abatement"] = eff.base.pv_abatement
        row.update({f"pv_{k}": v for k, v in eff.components.items()})
        rows.append(row)
    frame = pd.DataFrame(rows)
    frame.attrs["rate"] = rate
    return frame


def evaluate_policy(
    measures: Sequence[Measure],
    rate: float,
    policies: Policy | Mapping[str, Policy] | None,
    base_year: int | None = None,
    *,
    with_irr: bool = True,
) -> pd.DataFrame:
    """Each measure's economics at ``rate`` without and with its policy.

    Args:
        measures: the measures.
        rate: discount rate, a fraction.
        policies: one policy for all, or one per measure name (missing: none).
        base_year: start year of measures without one (for a carbon price by year).
        with_irr: ``False`` skips the IRR searches (the ``irr_*`` columns are then NaN).

    Returns:
        one row per measure: ``name``; for each of ``npv``, ``irr``, ``payback``,
        ``discounted_payback``, ``lcoa`` the columns ``<metric>_base``, ``<metric>_policy``
        and ``<metric>_change`` (NaN where undefined); ``pv_abatement`` (t CO2e); and the
        present value of each instrument, ``pv_<component>`` (see :class:`PolicyEffect`).
    """
    effects = [
        compare(m, policy_for(policies, m.name), rate, base_year, with_irr=with_irr)
        for m in measures
    ]
    return effects_table(effects, rate)


__all__ = [
    "COMPONENTS",
    "INSTRUMENT_VALUES",
    "NO_POLICY",
    "CapexSubsidy",
    "CarbonPrice",
    "GreenLoan",
    "InvestmentTaxCredit",
    "Policy",
    "PolicyEffect",
    "TieredTariff",
    "cash_flows",
    "compare",
    "effects_table",
    "evaluate_policy",
    "instrument_misfits",
    "policy_for",
    "subsidy_paid",
]
