"""The inventory engine: a pure function of a validated plan, its factor library and a RNG.

The bulk path is one DuckDB query over the activity rows joined to the (small) recipe tables:
no Python loop touches individual rows. Results are tidy tables in tonnes.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from neutra.errors import CalculationError, raise_if_problems
from neutra.inventory.gases import GwpSet
from neutra.inventory.market import market_based
from neutra.inventory.prepare import KEY, Prepared, prepare, region_of
from neutra.inventory.quality import quality_findings
from neutra.inventory.recipes import KG_PER_GJ_BASE, Resolver
from neutra.inventory.result import InventoryResult, totals_by_year
from neutra.inventory.uncertainty import approach1, approach2, sources
from neutra.model.enums import Method
from neutra.model.plan import Plan
from neutra.refdata.library import Library

# Default activity-data uncertainty (± %, 95 %) by tier when a row gives none: the tier bands of
# the EU MRR (Commission Implementing Regulation (EU) 2018/2066, Annex II: ±7.5/5/2.5 %), used as
# a stated assumption; a row's uncertainty_pct always wins.
TIER_UNCERTAINTY_PCT = {1: 7.5, 2: 5.0, 3: 2.5}
GROUP = [
    "facility",
    "year",
    "scope",
    "category",
    "activity_id",
    "gas",
    "biogenic",
    "method",
    "tier",
    "scope2_basis",
    "status",
]


def _optional(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return name in {c[0] for c in con.execute("DESCRIBE act").fetchall()}


def _select(con: duckdb.DuckDBPyConnection) -> str:
    """The per-row × per-gas expression, shared by the detail and the aggregate queries."""
    col = {
        c: f"a.{c}" if _optional(con, c) else "NULL"
        for c in ("ncv", "carbon_content", "oxidation", "tier", "uncertainty_pct", "month")
    }
    tier_u = " ".join(f"WHEN {k} THEN {v}" for k, v in TIER_UNCERTAINTY_PCT.items())
    ncv = f"CASE WHEN t.needs_ncv THEN COALESCE({col['ncv']} * n.ncv_f, t.ncv_base) ELSE 1.0 END"
    cc = (
        f"CASE WHEN t.cc_override AND {col['carbon_content']} IS NOT NULL "
        f"THEN {col['carbon_content']} * {KG_PER_GJ_BASE} * 44.0 / 12.0 ELSE t.coef END"
    )
    ox = f"CASE WHEN t.oxidised THEN COALESCE({col['oxidation']}, t.oxidation) ELSE 1.0 END"
    qty = f"a.amount * t.unit_factor * (CASE WHEN t.basis = 'energy' THEN {ncv} ELSE 1.0 END)"
    method = (
        f"CASE WHEN t.cc_override AND {col['carbon_content']} IS NOT NULL "
        f"THEN '{Method.COMBUSTION_MEASURED_CC.value}' ELSE t.method END"
    )
    return f"""
        a.row, a.file, a.facility, a.year, {col["month"]} AS month, a.scope, a.category,
        a.activity, a.amount, a.unit, t.activity_id, t.gas, t.origin, t.biogenic,
        {method} AS method, t.scope2_basis, t.status, t.factor_ids, t.gwp, t.gwp_id,
        CAST({col["tier"]} AS INTEGER) AS tier,
        {qty} AS qty,
        {qty} * ({cc}) * ({ox}) * t.share / 1000.0 AS emission_t,
        COALESCE({col["uncertainty_pct"]},
                 CASE CAST({col["tier"]} AS INTEGER) {tier_u} ELSE {TIER_UNCERTAINTY_PCT[1]} END
                ) / 100.0 AS u_activity,
        t.u_factor
    """


def _from() -> str:
    return f"""
        FROM act a
        JOIN keymap k USING ({", ".join(KEY)})
        JOIN terms t ON t.recipe_id = k.recipe_id
        LEFT JOIN ncvu n ON n.ncv_unit = {"a.ncv_unit"}
    """


def check(
    plan: Plan, library: Library, con: duckdb.DuckDBPyConnection | None = None
) -> tuple[Prepared, duckdb.DuckDBPyConnection]:
    """Check a plan against its reference data; returns what the calculation needs."""
    con = con or duckdb.connect()
    act = _in_boundary(plan)
    if "ncv_unit" not in act:
        act = act.assign(ncv_unit=pd.Series([None] * len(act), dtype=object))
    con.register("act", act)
    gwp = GwpSet(plan.settings.gwp_set)
    prep = prepare(plan, library, gwp, con)
    con.register("terms", prep.terms)
    con.register("ncvu", prep.ncv_units)
    return prep, con


def _in_boundary(plan: Plan) -> pd.DataFrame:
    out = [f.id for f in plan.facilities if not f.inside(plan.entity.boundary)]
    if not out:
        return plan.activity
    return plan.activity[~plan.activity["facility"].isin(out)]


def compute(
    plan: Plan, library: Library, rng: np.random.Generator, *, detail: bool = True
) -> InventoryResult:
    """Compute the inventory of a validated plan.

    Args:
        plan: the validated plan.
        library: its factor library (:func:`neutra.refdata.load_library`).
        rng: random generator for the Monte Carlo uncertainty (Approach 2).
        detail: also return one row per activity row × gas (traceability); the bulk path for
            very large plans may turn it off and keep only the aggregated results.

    Raises:
        PlanValidationError: the plan does not fit its reference data (every problem listed).
    """
    prep, con = check(plan, library)
    raise_if_problems(prep.problems)
    sel, frm = _select(con), _from()
    gcols = ", ".join(GROUP)
    summary = con.execute(f"""
        WITH r AS (SELECT {sel} {frm})
        SELECT {gcols}, sum(emission_t) AS emission_t, sum(emission_t * gwp) AS co2e_t,
               sum(qty) AS qty, count(*) AS n_rows, min(row) AS first_row,
               string_agg(DISTINCT factor_ids, ';') AS factor_ids, any_value(gwp) AS gwp,
               any_value(gwp_id) AS gwp_id,
               sqrt(sum(power(u_activity * emission_t * gwp, 2))) AS ua_abs,
               sum(coalesce(u_factor, 0) * emission_t * gwp) AS uf_abs,
               bool_or(u_factor IS NULL OR isnan(u_factor)) AS uf_missing
        FROM r GROUP BY ALL ORDER BY {gcols}
    """).df()
    if summary["emission_t"].isna().any():
        raise CalculationError("an emission could not be computed although the plan validated")
    rows = con.execute(f"SELECT {sel} {frm} ORDER BY a.row, t.term").df() if detail else None
    regions = region_of(plan)
    resolver = Resolver(library, GwpSet(plan.settings.gwp_set), plan.settings.co2_convention)
    elec = summary[summary["scope2_basis"] == "location"]
    consumption = elec.rename(columns={"qty": "energy_j"})[
        ["facility", "year", "activity_id", "energy_j"]
    ]
    market = market_based(plan, consumption, resolver, regions)
    findings = quality_findings(plan, summary, prep, market.findings, library)
    src = sources(summary)
    unc = pd.concat(
        [approach1(src), approach2(src, rng, plan.settings.monte_carlo_draws)], ignore_index=True
    )
    used = set(";".join(summary["factor_ids"].dropna()).split(";"))
    used |= set(";".join(market.rows["factor_ids"]).split(";"))
    factors = library.used({u for u in used if u})
    gwps = summary[summary["gwp_id"] != ""][["gas", "gwp", "gwp_id"]].drop_duplicates()
    con.close()
    return InventoryResult(
        summary=summary.drop(columns=["ua_abs", "uf_abs", "uf_missing"]),
        detail=rows,
        market=market.rows,
        claims=market.claims,
        totals=totals_by_year(summary, market.rows, plan.years),
        uncertainty=unc,
        sources=src,
        findings=findings,
        factors=factors,
        gwp_values=gwps,
        meta={
            "entity": plan.entity.name,
            "gwp_set": plan.settings.gwp_set,
            "factor_sets": list(library.set_ids),
            "refdata_version": library.version,
            "co2_convention": plan.settings.co2_convention.value,
            "boundary": plan.entity.boundary.value,
            "years": list(plan.years),
            "monte_carlo_draws": plan.settings.monte_carlo_draws,
            "seed": plan.settings.seed,
        },
        outputs=plan.outputs,
    )
