"""One ETS assessment: allocation, compliance position, cost, cap, and the figures used.

:func:`assess` is a pure function of a checked entities table, a template and the settings;
``neutra ets`` and the library both call it. Every cited parameter it used is returned with
its status, and a note names each unverified one.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from neutra.errors import PlanValidationError, Problem
from neutra.market.allocation import AllocationRule, allocate
from neutra.market.compliance import compliance_path, totals
from neutra.market.templates import CapYear, Parameter, Template, cap_path
from neutra.model.enums import Status

# The allocation columns of a position row (see :class:`~neutra.market.allocation.Allocation`),
# after ``row``, ``entity``, ``year`` and before the compliance columns.
ALLOCATION_COLUMNS: tuple[str, ...] = (
    "unit_type",
    "supply_benchmark",
    "heat_benchmark",
    "correction_used",
    "benchmark_t",
    "grandfathered_t",
    "given_t",
)


@dataclass(frozen=True)
class EtsResult:
    """The result of :func:`assess`.

    Attributes:
        positions: one row per entity and year: the allocation columns of
            :class:`neutra.market.allocation.Allocation` and the compliance columns of
            :data:`neutra.market.compliance.POSITION_COLUMNS` (t CO2e; money in the price's
            currency, NaN without a price).
        by_year: sums over entities by year, with the template's ``cap_t`` (NaN if none).
        by_entity: sums over years by entity, with ``bank_end_t``.
        total: sums over everything (``bank_end_t`` included).
        cap: the template's cap path over the table's years.
        parameters: the cited template parameters used.
        notes: what the user must know (unverified figures used, assumptions).
    """

    table: str
    template: Template
    rule: AllocationRule
    banking: bool
    rate: float
    base_year: int
    price_source: str | None
    prices: dict[int, float] | None
    positions: pd.DataFrame
    by_year: pd.DataFrame
    by_entity: pd.DataFrame
    total: dict[str, float]
    cap: tuple[CapYear, ...]
    parameters: tuple[Parameter, ...]
    notes: tuple[str, ...]

    @property
    def unverified(self) -> tuple[Parameter, ...]:
        return tuple(p for p in self.parameters if p.status is Status.UNVERIFIED)


def _price_path(
    years: list[int],
    price: float | None,
    prices: Mapping[int, float] | None,
    price_label: str | None,
    label: str,
) -> tuple[dict[int, float] | None, str | None, list[Problem]]:
    if price is not None and prices is not None:
        return (
            None,
            None,
            [Problem("--price", None, None, None, "--price or --price-file, not both")],
        )
    if price is not None:
        if not (price >= 0 and math.isfinite(price)):
            return None, None, [Problem("--price", None, "price", str(price), "a price ≥ 0")]
        return dict.fromkeys(years, float(price)), "constant", []
    if prices is not None:
        missing = [y for y in years if y not in prices]
        if missing:
            return (
                None,
                None,
                [
                    Problem(
                        price_label or "prices",
                        None,
                        "year",
                        ", ".join(map(str, missing)),
                        f"a price for every year of {label}",
                    )
                ],
            )
        return {y: float(prices[y]) for y in years}, price_label or "prices", []
    return None, None, []


def _derived_note(template: Template, cap: CapYear) -> str:
    """The note on a cap path with a derived reduction amount (``cap.derived``): from the first
    year without a published amount, its factor × the reference quantity implied by the last
    published amount (:func:`neutra.market.templates.cap_path`)."""
    base = template.all("cap")[0].year_from or 0
    start = next(y for y in range(base + 1, cap.year + 1) if template.find("lrf_amount", y) is None)
    factor = template.find("lrf", start)
    last = max(
        (p for p in template.all("lrf_amount") if (p.year_from or start) < start),
        key=lambda p: p.year_from or 0,
    )
    share = f"{round(factor.value * 100, 6):g} %" if factor is not None else "the factor"
    return (
        f"cap from {start} uses a derived reduction amount ({share} × the reference quantity "
        f"implied by the {last.year_from}–{last.year_to or ''} amount) / "
        f"{start}年起的年度减量为推算值"
    )


def assess(
    frame: pd.DataFrame,
    template: Template,
    rule: AllocationRule,
    *,
    label: str,
    columns: Iterable[str] | None = None,
    price: float | None = None,
    prices: Mapping[int, float] | None = None,
    price_label: str | None = None,
    banking: bool | None = None,
    rate: float = 0.0,
) -> EtsResult:
    """Allocation and compliance of every entity and year of ``frame`` under ``template``.

    Args:
        frame: a checked entities table (see :mod:`neutra.market.tables`).
        template: from :func:`neutra.market.templates.load_template`.
        rule: allocation methods and weights.
        label: the table's name, for located problems.
        columns: the columns the table had (``None``: those of ``frame``).
        price: one price for every year (currency per allowance), or
        prices: a price by year (every year of the table needed); neither: tonnes only.
        price_label: name of the price file, for messages.
        banking: carry surpluses forward; ``None``: the template's default.
        rate: discount rate per year for the discounted total (fraction ≥ 0).

    Raises:
        PlanValidationError: every problem at once (rows lacking what their methods need,
            years without a price, offsets in a year without an offset rule, bad settings).
    """
    years = sorted({int(y) for y in frame["year"]})
    path, source, problems = _price_path(years, price, prices, price_label, label)
    if not (rate >= 0 and math.isfinite(rate)):
        problems.append(Problem("--rate", None, "rate", str(rate), "a discount rate ≥ 0"))
    limits: dict[int, float] = {}
    used: dict[str, Parameter] = {}
    offsets = pd.to_numeric(frame.get("offsets_t"), errors="coerce").fillna(0.0)
    for y in years:
        p = template.offset_limit(y)
        if p is None:
            rows = frame.loc[(frame["year"] == y) & (offsets > 0), "row"].astype(int).tolist()
            if rows:
                problems.append(
                    Problem(
                        label,
                        rows[0],
                        "offsets_t",
                        str(y),
                        f"no offsets: {template.name} has no offset rule for {y}",
                        None,
                        tuple(rows) if len(rows) > 1 else (),
                    )
                )
            limits[y] = 0.0
            continue
        limits[y] = p.value
        used[p.id] = p
    allocation_error: PlanValidationError | None = None
    try:
        alloc = allocate(frame, template, rule, label, columns)
    except PlanValidationError as exc:
        allocation_error = exc
    if allocation_error is not None or problems:
        found = list(problems) + list(allocation_error.problems if allocation_error else ())
        raise PlanValidationError(found)
    use_banking = template.banking if banking is None else banking
    positions_in = pd.DataFrame(
        {
            "entity": alloc.frame["entity"].to_numpy(),
            "year": alloc.frame["year"].to_numpy(),
            "verified_t": pd.to_numeric(alloc.frame["verified_emissions_t"]).to_numpy(),
            "free_t": alloc.frame["free_t"].to_numpy(),
            "auctioned_t": alloc.frame["auctioned_t"].to_numpy(),
            "offsets_t": offsets.to_numpy(),
        }
    )
    comp = compliance_path(
        positions_in, prices=path, offset_limits=limits, banking=use_banking, rate=rate
    )
    keep = ["row", "entity", "year", *ALLOCATION_COLUMNS]
    merged = alloc.frame[keep].merge(comp, on=["entity", "year"], how="inner", validate="1:1")
    merged = merged.sort_values(["entity", "year"], kind="stable").reset_index(drop=True)
    caps = cap_path(template, years)
    for c in caps:
        for p in c.used:
            used[p.id] = p
    for p in alloc.parameters:
        used[p.id] = p
    by_year = totals(comp, "year")
    by_year["cap_t"] = [next((c.cap for c in caps if c.year == y), None) for y in by_year["year"]]
    by_year["cap_t"] = pd.to_numeric(by_year["cap_t"], errors="coerce")
    total_row = totals(comp).iloc[0]
    notes = list(alloc.notes)
    params = tuple(sorted(used.values(), key=lambda p: p.id))
    unverified = [p for p in params if p.status is Status.UNVERIFIED]
    if unverified:
        names = "; ".join(
            f"{p.parameter} {p.key} ({p.year_from}–{p.year_to or ''})" for p in unverified
        )
        notes.append(f"uses UNVERIFIED figures / 使用了未核实的数据: {names}")
    derived = next((c for c in caps if c.derived), None)
    if derived is not None:
        notes.append(_derived_note(template, derived))
    notes.extend(template.notes)
    return EtsResult(
        table=label,
        template=template,
        rule=rule,
        banking=use_banking,
        rate=rate,
        base_year=years[0] if years else 0,
        price_source=source,
        prices=path,
        positions=merged,
        by_year=by_year,
        by_entity=totals(comp, "entity"),
        total={str(k): float(v) for k, v in total_row.items()},
        cap=caps,
        parameters=params,
        notes=tuple(notes),
    )


__all__ = ["ALLOCATION_COLUMNS", "EtsResult", "assess"]
