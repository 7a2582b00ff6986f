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
from neutra.inventory.prepare import Prepared, prepare, region_of
from neutra.inventory.quality import quality_findings
from neutra.inventory.recipes import C_TO_CO2, KG_PER_GJ_BASE, Resolver
from neutra.inventory.result import InventoryResult, totals_by_year
from neutra.inventory.sql import KEY, columns, overrides, u_activity
from neutra.inventory.uncertainty import approach1, approach2, sources
from neutra.model.enums import Method, Status
from neutra.model.plan import Plan
from neutra.refdata.library import Library

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


def _ncv_join(col: dict[str, str]) -> str:
    return (
        "LEFT JOIN ncvu n ON n.ncv_unit = a.ncv_unit"
        if col["ncv_unit"] != "NULL"
        else ("LEFT JOIN (SELECT NULL::DOUBLE AS ncv_f) n ON TRUE")
    )


def _detail_sql(con: duckdb.DuckDBPyConnection) -> str:
    """One row per activity row × gas term: the traceable form (row → factors → tonnes)."""
    col = columns(con)
    measured = f"(t.cc_override AND {col['carbon_content']} IS NOT NULL)"
    ncv = f"CASE WHEN t.needs_ncv THEN COALESCE({col['ncv']} * n.ncv_f, t.ncv_base) ELSE 1.0 END"
    energy = f"a.amount * t.unit_factor * ({ncv})"
    qty = (
        f"CASE WHEN t.basis = 'energy' OR {measured} THEN {energy} "
        "ELSE a.amount * t.unit_factor END"
    )
    coef = (
        f"CASE WHEN {measured} THEN {col['carbon_content']} * {KG_PER_GJ_BASE} * {C_TO_CO2} "
        "ELSE t.coef END"
    )
    ox = (
        f"CASE WHEN t.oxidised OR {measured} THEN COALESCE({col['oxidation']}, t.oxidation) "
        "ELSE 1.0 END"
    )
    return f"""
        SELECT a.row, a.file, a.facility, a.year, {col["month"]} AS month, a.scope, a.category,
            a.activity, a.amount, a.unit, t.activity_id, t.gas, t.origin, t.biogenic,
            CASE WHEN {measured} THEN '{Method.COMBUSTION_MEASURED_CC.value}' ELSE t.method END
                AS method,
            t.scope2_basis, t.status, t.factor_ids, t.factor_ids_measured, t.ncv_ids, t.ox_ids,
            {measured} AS measured, {col["ncv"]} IS NOT NULL AS row_ncv,
            {col["oxidation"]} IS NOT NULL AS row_ox,
            t.gwp, t.gwp_id, CAST({col["tier"]} AS INTEGER) AS tier, {qty} AS qty,
            {qty} * ({coef}) * ({ox}) * t.share / 1000.0 AS emission_t,
            {qty} * ({coef}) * ({ox}) * t.share / 1000.0 * t.gwp AS co2e_t,
            {u_activity(col)} AS u_activity, t.u_factor
        FROM act a
        JOIN keymap k USING ({", ".join(KEY)})
        JOIN terms t ON t.recipe_id = k.recipe_id
        {_ncv_join(col)}
        ORDER BY a.row, t.term
    """


def _bulk_sql(con: duckdb.DuckDBPyConnection) -> str:
    """Activity rows aggregated per recipe *before* the gas terms are applied.

    Every gas term is linear in one of four per-row bases (amount, energy, energy × oxidation,
    energy × oxidation × measured carbon content), so summing the bases first and applying the
    (few) terms afterwards gives the same totals as row × term. Rows without measured values
    (the bulk) are summed by key first, with no join at all, and only the sums meet the recipes;
    rows with measured NCV, carbon content or oxidation are computed row by row in SQL. The
    variances of the activity uncertainty are summed the same way (rows independent).
    """
    col = columns(con)
    u = u_activity(col)
    over = overrides(col)
    keys = ", ".join(KEY)  # rows without measured values come pre-summed in ``agg``
    plain = f"""
        WITH e AS (
            SELECT g.*, k.recipe_id, p.unit_factor AS f,
                p.unit_factor * (CASE WHEN p.needs_ncv THEN p.ncv_base ELSE 1.0 END) AS fe,
                p.oxidation AS ox
            FROM agg g JOIN keymap k USING ({keys}) JOIN recipes p ON p.recipe_id = k.recipe_id
            WHERE NOT g.measured_values
        )
        SELECT facility, year, scope, category, recipe_id, tier, FALSE AS measured,
            FALSE AS row_ncv, FALSE AS row_ox,
            s * f AS s_a, s * fe AS s_e, s * fe * ox AS s_eo, 0.0 AS s_eoc,
            v * f * f AS v_a, v * fe * fe AS v_e, v * power(fe * ox, 2) AS v_eo, 0.0 AS v_eoc,
            n_rows, first_row
        FROM e
    """
    if over == "FALSE":
        return plain
    return f"""
        {plain}
        UNION ALL BY NAME
        SELECT facility, year, scope, category, recipe_id, tier, cc IS NOT NULL AS measured,
            row_ncv, row_ox,
            sum(qa) AS s_a, sum(qe) AS s_e, sum(qe * ox) AS s_eo,
            coalesce(sum(qe * ox * cc), 0) AS s_eoc,
            sum(power(u * qa, 2)) AS v_a, sum(power(u * qe, 2)) AS v_e,
            sum(power(u * qe * ox, 2)) AS v_eo, coalesce(sum(power(u * qe * ox * cc, 2)), 0) AS v_eoc,
            count(*) AS n_rows, min(row) AS first_row
        FROM (
            SELECT a.facility, a.year, a.scope, a.category, a.row, k.recipe_id,
                CAST({col["tier"]} AS INTEGER) AS tier,
                a.amount * p.unit_factor AS qa,
                a.amount * p.unit_factor * (CASE WHEN p.needs_ncv
                    THEN COALESCE({col["ncv"]} * n.ncv_f, p.ncv_base) ELSE 1.0 END) AS qe,
                COALESCE({col["oxidation"]}, p.oxidation) AS ox,
                {col["carbon_content"]} * {KG_PER_GJ_BASE} * {C_TO_CO2} AS cc,
                {u} AS u, {col["ncv"]} IS NOT NULL AS row_ncv,
                {col["oxidation"]} IS NOT NULL AS row_ox
            FROM act a
            JOIN keymap k USING ({keys})
            JOIN recipes p ON p.recipe_id = k.recipe_id
            {_ncv_join(col)}
            WHERE {over}
        ) GROUP BY ALL
    """


def effective_ids(m: pd.DataFrame, status_of: dict[str, str]) -> pd.DataFrame:
    """The factor ids a row really used, and the least sure status among them.

    A measured carbon content replaces the default CO2 factor or carbon content; a measured NCV
    or oxidation replaces the default one: their ids leave the list, and the status is that of
    the defaults that remain (a measured value is the plan's own evidence).
    """
    measured = m["measured"].to_numpy(dtype=bool)
    row_ncv = m["row_ncv"].to_numpy(dtype=bool)
    row_ox = m["row_ox"].to_numpy(dtype=bool)
    ids = m["factor_ids"].where(~measured, m["factor_ids_measured"]).to_numpy(dtype=object)
    status = m["status"].to_numpy(dtype=object).copy()
    for i in np.flatnonzero(measured | row_ncv | row_ox):
        drop = set()
        if row_ncv[i]:
            drop |= set(str(m["ncv_ids"].iat[i]).split(";"))
        if row_ox[i]:
            drop |= set(str(m["ox_ids"].iat[i]).split(";"))
        kept = [x for x in str(ids[i]).split(";") if x and x not in drop]
        ids[i] = ";".join(kept)
        known = [Status(status_of[x]) for x in kept if x in status_of]
        status[i] = max(known, key=lambda s: s.rank).value if known else Status.REPORTED.value
    out = m.drop(
        columns=["factor_ids_measured", "ncv_ids", "ox_ids", "measured", "row_ncv", "row_ox"],
        errors="ignore",
    )
    out["factor_ids"] = ids
    out["status"] = status
    return out


def _apply_terms(
    bases: pd.DataFrame, terms: pd.DataFrame, status_of: dict[str, str]
) -> pd.DataFrame:
    """Gas terms applied to the aggregated bases, then summed to the result grain."""
    m = bases.merge(terms, on="recipe_id", how="inner", validate="many_to_many")
    # A measured carbon content replaces the CO2 factor: E = energy × C × oxidation × 44/12,
    # whatever basis the default factor had.
    measured = (m["measured"] & m["cc_override"]).to_numpy()
    amount = (m["basis"] == "amount").to_numpy() & ~measured
    plain = (~m["oxidised"]).to_numpy() & ~measured
    base = np.select([measured, amount, plain], [m["s_eoc"], m["s_a"], m["s_e"]], m["s_eo"])
    var = np.select([measured, amount, plain], [m["v_eoc"], m["v_a"], m["v_e"]], m["v_eo"])
    coef = np.where(measured, 1.0, m["coef"])
    scale = coef * m["share"] / 1000.0  # kg → t
    m["emission_t"] = base * scale
    m["co2e_t"] = m["emission_t"] * m["gwp"]
    m["qty"] = np.where((m["basis"] == "amount") & ~measured, m["s_a"], m["s_e"])
    m["ua_var"] = var * np.square(scale * m["gwp"])
    m["uf_abs"] = np.nan_to_num(m["u_factor"]) * m["co2e_t"]
    m["uf_missing"] = m["u_factor"].isna()
    m["method"] = m["method"].where(~measured, Method.COMBUSTION_MEASURED_CC.value)
    m["measured"] = measured
    m = effective_ids(m, status_of)
    keys = [*GROUP, "factor_ids", "gwp", "gwp_id"]
    out = m.groupby(keys, as_index=False, dropna=False, sort=True).agg(
        emission_t=("emission_t", "sum"),
        co2e_t=("co2e_t", "sum"),
        qty=("qty", "sum"),
        n_rows=("n_rows", "sum"),
        first_row=("first_row", "min"),
        ua_var=("ua_var", "sum"),
        uf_abs=("uf_abs", "sum"),
        uf_missing=("uf_missing", "any"),
    )
    out["ua_abs"] = np.sqrt(out.pop("ua_var"))
    out["tier"] = out["tier"].astype("Int64")
    return out


def _completeness(con: duckdb.DuckDBPyConnection) -> tuple[pd.DataFrame, pd.DataFrame]:
    """From the aggregate: sources seen per year, and monthly sources missing months."""
    seen = con.execute(
        "SELECT DISTINCT year, facility, category, activity FROM agg ORDER BY ALL"
    ).df()
    full = sum(1 << m for m in range(1, 13))  # bits 1..12: every month present
    months = con.execute(f"""
        SELECT facility, year, activity,
            [m FOR m IN range(1, 13) IF (bit_or(month_mask) >> m) & 1 = 1] AS months
        FROM agg WHERE month_mask IS NOT NULL GROUP BY ALL
        HAVING bit_or(month_mask) != {full} ORDER BY ALL
    """).df()
    return seen, months


def check(
    plan: Plan, library: Library, con: duckdb.DuckDBPyConnection | None = None
) -> tuple[Prepared, duckdb.DuckDBPyConnection]:
    """Check a plan against its reference data; returns what the calculation needs."""
    con = con or duckdb.connect()
    act = _in_boundary(plan)
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
    recipes = prep.terms[["recipe_id", "unit_factor", "needs_ncv", "ncv_base", "oxidation"]]
    con.register("recipes", recipes.drop_duplicates("recipe_id"))
    status_of = dict(zip(library.table["factor_id"], library.table["status"], strict=True))
    summary = _apply_terms(con.execute(_bulk_sql(con)).df(), prep.terms, status_of)
    if summary["emission_t"].isna().any():
        raise CalculationError("an emission could not be computed although the plan validated")
    rows = None
    if detail:
        rows = effective_ids(con.execute(_detail_sql(con)).df(), status_of)
    regions = region_of(plan)
    resolver = prep.resolver or Resolver(
        library, GwpSet(plan.settings.gwp_set), plan.settings.co2_convention
    )
    elec = summary[summary["scope2_basis"] == "location"]
    consumption = elec.rename(columns={"qty": "energy_j"})[
        ["facility", "year", "activity_id", "energy_j"]
    ]
    market = market_based(plan, consumption, resolver, regions)
    seen, months = _completeness(con)
    findings = quality_findings(plan, summary, prep, market.findings, library, seen, months)
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
