"""Check a plan against its reference data and build the tables the bulk calculation joins.

Everything here works on distinct keys (category, activity, unit, facility, year), never per row,
so that a plan of millions of rows costs one ``SELECT DISTINCT`` and a few hundred lookups.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import numpy as np
import pandas as pd

from neutra import units
from neutra.errors import Problem, UnitError
from neutra.inventory.gases import GwpSet
from neutra.inventory.recipes import Recipe, Resolver
from neutra.inventory.sql import KEY, columns, overrides, tier_u_sql
from neutra.model.enums import Category, Method
from neutra.model.plan import Plan
from neutra.refdata.library import Library


@dataclass
class Prepared:
    """What the bulk calculation needs, and what checking the plan found."""

    keymap: pd.DataFrame  # KEY + recipe_id
    terms: pd.DataFrame  # one row per recipe × gas term
    recipes: dict[int, Recipe]
    ncv_units: pd.DataFrame  # ncv_unit → ncv_f (SI base factor)
    problems: list[Problem] = field(default_factory=list)
    notes: list[tuple[str, str, int, str]] = field(
        default_factory=list
    )  # (key text, facility, year, note)
    resolver: Resolver | None = None  # reused for market-based Scope 2 (its lookups are cached)


def region_of(plan: Plan) -> dict[str, str]:
    """Grid region of each facility: its own, else the entity's."""
    return {f.id: f.grid_region or plan.entity.grid_region for f in plan.facilities}


def _rows_of(con: duckdb.DuckDBPyConnection, where: str, params: list[object]) -> list[int]:
    res = con.execute(f"SELECT row FROM act WHERE {where} ORDER BY row LIMIT 1000", params)
    return [int(r[0]) for r in res.fetchall()]


def prepare(plan: Plan, library: Library, gwp: GwpSet, con: duckdb.DuckDBPyConnection) -> Prepared:
    """Resolve every distinct key of ``plan.activity`` (registered in ``con`` as ``act``)."""
    resolver = Resolver(library, gwp, plan.settings.co2_convention)
    regions = region_of(plan)
    _aggregate(con)
    keys = con.execute(
        f"SELECT {', '.join(KEY)}, bit_or(month_mask) AS month_mask FROM agg GROUP BY ALL"
    ).df()
    label = str(plan.activity["file"].iloc[0]) if len(plan.activity) else "activity.csv"
    recipe_ids: dict[int, int] = {}
    recipes: dict[int, Recipe] = {}
    rid_col = np.empty(len(keys), dtype=np.int64)
    problems: list[Problem] = []
    notes: list[tuple[str, str, int, str]] = []
    reported: set[tuple[str, str, str]] = set()
    letters = plan.activity_letters
    known_regions = library.regions("electricity")
    bad_regions: set[str] = set()
    for i, (cat, act, unit, fac, year) in enumerate(keys[KEY].itertuples(index=False, name=None)):
        elec = cat == Category.ELECTRICITY.value
        region = regions.get(fac, plan.entity.grid_region) if elec else ""
        if elec and known_regions and region not in known_regions:
            if fac not in bad_regions:
                problems.append(_region_problem(plan, fac, region, known_regions))
                bad_regions.add(fac)
            rid_col[i] = -1
            continue
        rec = resolver.recipe(cat, act, unit, region, int(year) if elec else 0)
        rid = recipe_ids.setdefault(id(rec), len(recipe_ids))
        recipes[rid] = rec
        rid_col[i] = rid
        for n in rec.notes:
            notes.append((f"{cat}/{act}/{unit}", fac, int(year), n))
        if rec.error is not None:
            tag = (rec.error, act, unit if rec.error_field == "unit" else "")
            if tag in reported and rec.error_field != "facility":
                continue
            reported.add(tag)
            if rec.error_field == "facility":
                rows = _rows_of(
                    con,
                    "category=? AND activity=? AND unit=? AND facility=? AND year=?",
                    [cat, act, unit, fac, int(year)],
                )
                value = f"{fac} → {region}"
            elif rec.error_field == "unit":
                rows = _rows_of(con, "activity=? AND unit=? AND category=?", [act, unit, cat])
                value = unit
            else:
                rows = _rows_of(con, "activity=? AND category=?", [act, cat])
                value = act
            first = rows[0] if rows else None
            cell = (
                f"{letters[rec.error_field]}{first}"
                if rec.error_field in letters and first
                else None
            )
            problems.append(
                Problem(
                    label,
                    first,
                    rec.error_field,
                    value,
                    rec.error,
                    cell,
                    tuple(rows) if len(rows) > 1 else (),
                )
            )
    keys["recipe_id"] = rid_col
    terms = _terms(recipes, gwp)
    ncv_units = _ncv_units(plan, label, problems)
    con.register("keymap", keys)
    problems += _missing_ncv(con, recipes, label)
    problems += _ncv_unit_pairs(con, label)
    notes += _unused_measurements(con, recipes)
    return Prepared(keys, terms, recipes, ncv_units, problems, notes, resolver)


def _unused_measurements(
    con: duckdb.DuckDBPyConnection, recipes: dict[int, Recipe]
) -> list[tuple[str, str, int, str]]:
    """Rows whose measured NCV or oxidation the calculation does not use (their factor is per
    tonne, not per GJ, and they give no carbon content): said, never silently dropped."""
    col = columns(con)
    out: list[tuple[str, str, int, str]] = []
    for name in ("ncv", "oxidation"):
        if col[name] == "NULL":
            continue
        conds = []
        for rid, r in recipes.items():
            if r.error is not None or not r.terms:
                continue
            used = any((t.basis == "energy") if name == "ncv" else t.oxidised for t in r.terms)
            if used:
                continue
            if any(t.cc_override for t in r.terms) and col["carbon_content"] != "NULL":
                conds.append(f"(k.recipe_id = {rid} AND {col['carbon_content']} IS NULL)")
            else:
                conds.append(f"k.recipe_id = {rid}")
        if not conds:
            continue
        res = con.execute(
            f"SELECT a.facility, a.year, a.activity, list(a.row ORDER BY a.row) FROM act a "
            f"JOIN keymap k USING ({', '.join(KEY)}) WHERE ({' OR '.join(conds)}) "
            f"AND {col[name]} IS NOT NULL GROUP BY ALL"
        ).fetchall()
        for fac, year, act, rows in res:
            shown = ", ".join(str(int(r)) for r in rows[:10])
            out.append(
                (
                    str(act),
                    str(fac),
                    int(year),
                    f"measured:{name}:{act}: rows {shown} give a measured {name} that its "
                    "factor (per unit of amount) does not use",
                )
            )
    return out


LOCATION_METHODS = frozenset(
    {
        Method.LOCATION_GRID,
        Method.LOCATION_NATIONAL_FALLBACK,
        Method.LOCATION_EARLIER_YEAR,
        Method.LOCATION_NATIONAL_EARLIER_YEAR,
    }
)


def _aggregate(con: duckdb.DuckDBPyConnection) -> None:
    """The one pass over all activity rows: sums by key, scope and tier (table ``agg``).

    Rows with measured NCV, carbon content or oxidation are flagged (``measured_values``) and
    computed row by row later; for the others the amount and the activity variance are summed.
    The months present per key are kept as a bit mask for the completeness check.
    """
    col = columns(con)
    month = col["month"]
    mask = f"bit_or(1::BIGINT << CAST({month} AS INTEGER))" if month != "NULL" else "NULL::BIGINT"
    # The activity variance needs no per-row CASE: rows without their own uncertainty share
    # their tier's default, so Σ(u·x)² = u_tier² · Σx² for them.
    upct = col["uncertainty_pct"]
    own_u = f"sum(power({upct} * a.amount / 100.0, 2))" if upct != "NULL" else "NULL::DOUBLE"
    has_u = f"{upct} IS NOT NULL" if upct != "NULL" else "FALSE"
    con.execute("DROP TABLE IF EXISTS agg")
    con.execute(f"""
        CREATE TEMP TABLE agg AS
        WITH g AS (
            SELECT {", ".join(f"a.{k}" for k in KEY)}, a.scope,
                CAST({col["tier"]} AS INTEGER) AS tier, ({overrides(col)}) AS measured_values,
                {has_u} AS has_u, sum(a.amount) AS s, sum(a.amount * a.amount) AS s2,
                {own_u} AS su2, count(*) AS n_rows, min(a.row) AS first_row,
                {mask} AS month_mask
            FROM act a GROUP BY ALL
        )
        SELECT * EXCLUDE (s2, su2, has_u),
            CASE WHEN has_u THEN su2 ELSE s2 * power({tier_u_sql("tier")}, 2) END AS v
        FROM g
    """)


def _region_problem(plan: Plan, fac: str, region: str, known: set[str]) -> Problem:
    """A grid region no factor set knows: on the facility's row, or on the entity's key."""
    own = plan.facility(fac)
    choices = f"a grid region of the factor sets: {', '.join(sorted(known))}"
    if own is not None and own.grid_region:
        label = plan.table_labels.get("facilities", "facilities.csv")
        row = plan.facility_rows.get(fac)
        letter = plan.facility_letters.get("grid_region")
        cell = f"{letter}{row}" if letter and row else None
        return Problem(label, row, "grid_region", region, choices, cell)
    head = plan.table_labels.get("activity", "plan.toml")
    head = "plan.toml" if head == "activity.csv" else head.replace("[activity]", "[entity]")
    return Problem(head, None, "entity.grid_region", region, choices)


def _terms(recipes: dict[int, Recipe], gwp: GwpSet) -> pd.DataFrame:
    recs = []
    for rid, r in recipes.items():
        if r.error is not None:
            continue
        for n, t in enumerate(r.terms):
            gv = gwp.value(t.gas, t.origin)
            basis2 = ""
            if t.method in LOCATION_METHODS:
                basis2 = "location"
            recs.append(
                {
                    "recipe_id": rid,
                    "term": n,
                    "activity_id": r.activity_id,
                    "gas": t.gas,
                    "basis": t.basis,
                    "coef": t.coef,
                    "oxidised": t.oxidised,
                    "cc_override": t.cc_override,
                    "share": t.share,
                    "biogenic": t.biogenic,
                    "origin": t.origin,
                    "method": t.method.value,
                    "factor_ids": ";".join(dict.fromkeys(t.factor_ids)),
                    # With a measured carbon content only the NCV, oxidation and biogenic share
                    # remain defaults.
                    "factor_ids_measured": ";".join(
                        dict.fromkeys(
                            r.ncv_ids
                            + r.oxidation_ids
                            + tuple(i for i in t.factor_ids if ":biogenic_fraction" in i)
                        )
                    ),
                    "ncv_ids": ";".join(r.ncv_ids),
                    "ox_ids": ";".join(r.oxidation_ids),
                    "status": t.status.value,
                    "u_factor": t.u_factor,
                    "unit_factor": r.unit_factor,
                    "needs_ncv": r.unit_dimension != "energy",
                    "ncv_base": r.ncv_base,
                    "oxidation": r.oxidation,
                    "gwp": gv.value,
                    "gwp_id": gv.factor_id,
                    "scope2_basis": basis2,
                }
            )
    cols = [
        "recipe_id",
        "term",
        "activity_id",
        "gas",
        "basis",
        "coef",
        "oxidised",
        "cc_override",
        "share",
        "biogenic",
        "origin",
        "method",
        "factor_ids",
        "factor_ids_measured",
        "ncv_ids",
        "ox_ids",
        "status",
        "u_factor",
        "unit_factor",
        "needs_ncv",
        "ncv_base",
        "oxidation",
        "gwp",
        "gwp_id",
        "scope2_basis",
    ]
    return pd.DataFrame(recs, columns=cols)


def _ncv_units(plan: Plan, label: str, problems: list[Problem]) -> pd.DataFrame:
    act = plan.activity
    if "ncv_unit" not in act or act["ncv_unit"].isna().all():
        return pd.DataFrame(
            {"ncv_unit": pd.Series([], dtype=str), "ncv_f": pd.Series([], dtype=float)}
        )
    out = []
    for u in act["ncv_unit"].dropna().unique():
        try:
            f, dim = units.to_base(str(u))
            if dim not in ("energy per mass", "energy per volume"):
                raise UnitError(str(u), "energy per mass or per volume, e.g. GJ/t, GJ/10^4Nm3")
            out.append({"ncv_unit": u, "ncv_f": f})
        except UnitError as exc:
            rows = act.loc[act["ncv_unit"] == u, "row"].tolist()
            problems.append(
                Problem(
                    label,
                    rows[0],
                    "ncv_unit",
                    str(u),
                    exc.expected,
                    None,
                    tuple(rows) if len(rows) > 1 else (),
                )
            )
    return pd.DataFrame(out, columns=["ncv_unit", "ncv_f"])


def _missing_ncv(
    con: duckdb.DuckDBPyConnection, recipes: dict[int, Recipe], label: str
) -> list[Problem]:
    """Rows in mass or volume units that need an NCV their fuel has no default for: every row of
    an energy-based recipe, and rows that give a measured carbon content (which is per GJ)."""
    no_default = {
        rid: r
        for rid, r in recipes.items()
        if r.error is None and r.unit_dimension != "energy" and np.isnan(r.ncv_base)
    }
    energy = [rid for rid, r in no_default.items() if any(t.basis == "energy" for t in r.terms)]
    by_cc = [rid for rid, r in no_default.items() if any(t.cc_override for t in r.terms)]
    if not energy and not by_cc:
        return []
    col = columns(con)
    ncv_null = f"{col['ncv']} IS NULL"
    conds = []
    if energy:
        conds.append(f"k.recipe_id IN ({', '.join(map(str, energy))})")
    if by_cc and col["carbon_content"] != "NULL":
        conds.append(
            f"(k.recipe_id IN ({', '.join(map(str, by_cc))}) "
            f"AND {col['carbon_content']} IS NOT NULL)"
        )
    if not conds:
        return []
    res = con.execute(
        f"SELECT a.activity, a.unit, list(a.row ORDER BY a.row) FROM act a JOIN keymap k "
        f"USING ({', '.join(KEY)}) WHERE ({' OR '.join(conds)}) AND {ncv_null} GROUP BY ALL"
    ).fetchall()
    out = []
    for act, unit, rows in res:
        rows = [int(r) for r in rows]
        dim = units.dimension_of(str(unit))
        out.append(
            Problem(
                label,
                rows[0],
                "ncv",
                None,
                f"a measured ncv (e.g. GJ/t or MJ/m3) for '{act}' in {unit}, because the factor "
                f"sets have no default NCV per {dim} for it — or give the amount in an energy "
                "unit (GJ, TJ, tce)",
                None,
                tuple(rows) if len(rows) > 1 else (),
            )
        )
    return out


def _ncv_unit_pairs(con: duckdb.DuckDBPyConnection, label: str) -> list[Problem]:
    """A measured NCV must be per the row's own unit: per mass for t, per volume for m3."""
    col = columns(con)
    if col["ncv_unit"] == "NULL":
        return []
    pairs = con.execute(
        "SELECT unit, ncv_unit, list(row ORDER BY row) FROM act "
        "WHERE ncv_unit IS NOT NULL GROUP BY ALL"
    ).fetchall()
    out = []
    energy = units.parse("J").dimensionality
    for unit, ncv_unit, rows in pairs:
        try:
            if units.dimension_of(str(ncv_unit)) not in ("energy per mass", "energy per volume"):
                continue  # reported once, where the ncv unit itself is checked
            if units.dimension_of(str(unit)) == "energy":
                rows = [int(r) for r in rows]
                out.append(
                    Problem(
                        label,
                        rows[0],
                        "ncv",
                        None,
                        f"no ncv for an amount already in energy units ({unit}); "
                        "remove the ncv, or give the amount in t or m3",
                        None,
                        tuple(rows) if len(rows) > 1 else (),
                    )
                )
                continue
            ok = (units.parse(str(unit)) * units.parse(str(ncv_unit))).dimensionality == energy
        except UnitError:
            continue  # reported where the unit itself is checked
        if not ok:
            rows = [int(r) for r in rows]
            out.append(
                Problem(
                    label,
                    rows[0],
                    "ncv_unit",
                    str(ncv_unit),
                    f"an NCV per {units.dimension_of(str(unit))} to match the amount in {unit} "
                    "(e.g. GJ/t for t, MJ/m3 or GJ/10^4Nm3 for m3)",
                    None,
                    tuple(rows) if len(rows) > 1 else (),
                )
            )
    return out
