"""Turn raw tables and the plan's header into a :class:`~neutra.model.plan.Plan`.

Shared by the folder and workbook readers, so both give the same plan and the same problems.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any, TypeVar

import numpy as np
import pandas as pd
from pydantic import BaseModel, ValidationError

from neutra import units
from neutra.errors import Problem, UnitError
from neutra.io.tables import RawTable, duplicate_rows, type_table
from neutra.model.enums import Category, category_aliases
from neutra.model.plan import Entity, Facility, Instrument, Output, Plan, Settings
from neutra.model.tables import EXTRA_TABLES

M = TypeVar("M", bound=BaseModel)


def pydantic_problems(
    exc: ValidationError,
    file: str,
    prefix: str,
    row: int | None = None,
    cell_of: Mapping[str, str] | None = None,
) -> list[Problem]:
    """One :class:`Problem` per pydantic error, naming the field and value."""
    out = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"])
        field = f"{prefix}.{loc}" if prefix else loc
        raw_value = err.get("input")
        value = None if isinstance(raw_value, dict) else str(raw_value)
        if err["type"] == "missing":
            value = None
        msg = err["msg"]
        if err["type"] == "extra_forbidden":
            keys = {"entity": list(Entity.model_fields), "settings": list(Settings.model_fields)}
            near = difflib.get_close_matches(loc, keys.get(prefix, []), n=1)
            msg = f"no such key (did you mean '{near[0]}'?)" if near else "no such key"
        cell = cell_of.get(loc) if cell_of else None
        out.append(Problem(file, row, field, value, msg, cell))
    return out


def build_header(
    file: str,
    entity: Any,
    settings: Any,
    cell_of: Mapping[str, str] | None = None,
    settings_file: str | None = None,
    settings_cells: Mapping[str, str] | None = None,
) -> tuple[Entity | None, Settings, list[Problem]]:
    """Validate the ``[entity]`` and ``[settings]`` parts of a plan (in a workbook they are two
    sheets: ``settings_file`` and ``settings_cells`` point at the second)."""
    problems: list[Problem] = []
    ent: Entity | None = None
    if not isinstance(entity, dict):
        problems.append(
            Problem(file, None, "entity", None, "an [entity] table with name, level and base_year")
        )
    else:
        try:
            ent = Entity.model_validate(entity)
        except ValidationError as exc:
            problems += pydantic_problems(exc, file, "entity", cell_of=cell_of)
    sett = Settings()
    if settings is not None:
        try:
            sett = Settings.model_validate(settings)
        except ValidationError as exc:
            problems += pydantic_problems(
                exc, settings_file or file, "settings", cell_of=settings_cells or cell_of
            )
    return ent, sett, problems


def _models(raw: RawTable | None, model: type[M]) -> list[M]:
    """Validate each row of a small table into a model, collecting problems."""
    if raw is None:
        return []
    typed, bad = type_table(raw)
    out: list[M] = []
    for i, rec in enumerate(typed.to_dict("records")):
        if bad[i]:
            continue
        row = int(rec.pop("row"))
        data = {k: v for k, v in rec.items() if v is not None and not _isna(v)}
        try:
            out.append(model.model_validate(data))
        except ValidationError as exc:
            cells = {k: f"{raw.letters[k]}{row}" for k in raw.letters} if raw.letters else None
            raw.problems += pydantic_problems(exc, raw.label, "", row=row, cell_of=cells)
    return out


def _isna(v: object) -> bool:
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def build_plan(
    file: str,
    entity: Any,
    settings: Any,
    tables: Mapping[str, RawTable | None],
    source: str,
    header_cells: Mapping[str, str] | None = None,
    *,
    balances: pd.DataFrame | None = None,
    missing_activity: Problem | None = None,
    settings_file: str | None = None,
    settings_cells: Mapping[str, str] | None = None,
) -> tuple[Plan | None, list[Problem]]:
    """Build the plan from its header and raw tables; return it with every problem found.

    A regional plan may have energy balance tables instead of activity data; any other plan
    without an activity table gets ``missing_activity`` as a problem.

    The plan is built from the rows that are valid even when there are problems, so that the
    caller can go on checking it against reference data and report everything at once; a plan
    returned together with problems must never be computed.
    """
    ent, sett, problems = build_header(
        file, entity, settings, header_cells, settings_file, settings_cells
    )
    facilities = _models(tables.get("facilities"), Facility)
    instruments = _models(tables.get("instruments"), Instrument)
    outputs = _models(tables.get("outputs"), Output)
    activity_raw = tables.get("activity")
    fac_raw = tables.get("facilities")
    # Ids of every facility row, valid or not: a bad cell in facilities.csv must not also make
    # every activity row of that facility "unknown".
    fac_ids = _ids(fac_raw)
    activity = pd.DataFrame()
    if activity_raw is not None:
        activity = _activity(activity_raw, ent, fac_ids)
    factors_raw = tables.get("factors")
    user_factors = None
    if factors_raw is not None:
        user_factors, bad = type_table(factors_raw)
        user_factors = user_factors[~bad].reset_index(drop=True)
    _check_instruments(tables.get("instruments"), instruments, fac_ids)
    _check_unique_ids(fac_raw, [f.id for f in facilities])
    series = None
    series_raw = tables.get("series")
    if series_raw is not None:
        series, bad_s = type_table(series_raw)
        series = series[~bad_s].reset_index(drop=True)
        series["file"] = series_raw.label
        _check_units(series_raw, series, "unit", bad_s)
        dup = series.duplicated(subset=["indicator", "year"], keep="first")
        for rec in series[dup].itertuples():
            first = series[(series["indicator"] == rec.indicator) & (series["year"] == rec.year)]
            series_raw.problems.append(
                series_raw.problem(
                    [int(rec.row)],
                    "indicator",
                    f"{rec.indicator} {rec.year}",
                    f"each indicator once per year (already on row {int(first['row'].iloc[0])})",
                )
            )
    extra, extra_letters = _extra_tables(tables)
    for raw in tables.values():
        if raw is not None:
            problems += raw.problems
    if activity_raw is None:
        if (
            (balances is not None and len(balances))
            or "branches" in extra
            or "expressions" in extra
        ):
            activity = empty_activity()
        elif missing_activity is not None:
            problems.append(missing_activity)
    if ent is None or "category" not in activity:
        return None, problems
    labels = {name: raw.label for name, raw in tables.items() if raw is not None}
    fac_rows = {}
    if fac_raw is not None and "id" in fac_raw.frame:
        fac_rows = {
            str(i).strip(): int(r) for i, r in zip(fac_raw.frame["id"], fac_raw.rows, strict=True)
        }
    plan = Plan(
        entity=ent,
        settings=sett,
        facilities=tuple(facilities),
        instruments=tuple(instruments),
        outputs=tuple(outputs),
        activity=activity,
        user_factors=user_factors,
        source=source,
        table_labels=labels,
        activity_letters=dict(activity_raw.letters or {}) if activity_raw else {},
        facility_rows=fac_rows,
        facility_letters=dict(fac_raw.letters or {}) if fac_raw is not None else {},
        balances=balances,
        series=series,
        tables=extra,
        table_letters=extra_letters,
    )
    return plan, problems


def _extra_tables(
    tables: Mapping[str, RawTable | None],
) -> tuple[dict[str, pd.DataFrame], dict[str, dict[str, str]]]:
    """Type the scenario and target tables; rows with a bad cell are dropped (their problems stay)."""
    frames: dict[str, pd.DataFrame] = {}
    letters: dict[str, dict[str, str]] = {}
    for spec in EXTRA_TABLES:
        raw = tables.get(spec.name)
        if raw is None:
            continue
        typed, bad = type_table(raw)
        typed = typed[~bad].reset_index(drop=True)
        typed["file"] = raw.label
        frames[spec.name] = typed
        if raw.letters:
            letters[spec.name] = dict(raw.letters)
    return frames, letters


def empty_activity() -> pd.DataFrame:
    """An activity table with the declared columns and no rows (regional plans)."""
    from neutra.model.tables import ACTIVITY

    kinds = {"str": object, "int": "Int64", "float": "float64", "bool": "boolean"}
    cols = {"row": pd.Series([], dtype="int64")}
    for c in ACTIVITY.columns:
        cols[c.name] = pd.Series([], dtype=kinds[c.kind])
    out = pd.DataFrame(cols)
    out["file"] = pd.Series([], dtype=object)
    return out


def _ids(raw: RawTable | None) -> set[str]:
    if raw is None or "id" not in raw.frame:
        return set()
    return {str(v).strip() for v in raw.frame["id"] if str(v).strip()}


def _check_unique_ids(raw: RawTable | None, ids: list[str]) -> None:
    if raw is None:
        return
    seen: set[str] = set()
    for fid in ids:
        if fid in seen:
            raw.problems.append(raw.problem([], "id", fid, "each facility id once"))
        seen.add(fid)


def _check_instruments(
    raw: RawTable | None, instruments: list[Instrument], known: set[str]
) -> None:
    if raw is None:
        return
    first: dict[str, int] = {}
    ids = raw.frame["id"].astype(str).str.strip().tolist() if "id" in raw.frame else []
    for i, iid in enumerate(ids):
        if not iid:
            continue
        row = int(raw.rows[i])
        if iid in first:
            raw.problems.append(
                raw.problem(
                    [row],
                    "id",
                    iid,
                    f"each instrument claimed once; it is already listed on row {first[iid]} "
                    "(double counting of certificates)",
                )
            )
        else:
            first[iid] = row
    if known:
        for ins in instruments:
            if ins.facility and ins.facility not in known:
                raw.problems.append(
                    raw.problem(
                        [first.get(ins.id, 0)],
                        "facility",
                        ins.facility,
                        "a facility id from facilities.csv",
                    )
                )


def _activity(raw: RawTable, ent: Entity | None, known: set[str]) -> pd.DataFrame:
    """Type and check the activity table; rows with problems are dropped (and reported)."""
    typed, bad = type_table(raw)
    if typed.empty or not set(raw.spec.required) <= set(raw.frame.columns):
        return pd.DataFrame()
    text = raw.frame
    # Category: canonical name, consistent with the scope.
    aliases = category_aliases()
    cat_text = text["category"].fillna("").astype(str).str.strip().str.lower()
    canon = cat_text.map(lambda s: aliases[s].value if s in aliases else "")
    unknown = ((canon == "") & (cat_text != "")).to_numpy()
    _report_rows(
        raw,
        unknown,
        "category",
        cat_text,
        "a category such as stationary_combustion, mobile_combustion, process, "
        "fugitive, electricity, heat, steam, cooling, or a Scope 3 category 1–15",
    )
    bad |= unknown
    scopes = typed["scope"].to_numpy(dtype="float64", na_value=np.nan)
    cat_scope = canon.map(lambda v: float(Category(v).scope) if v else np.nan).to_numpy(dtype=float)
    mismatch = ~np.isnan(scopes) & ~np.isnan(cat_scope) & (scopes != cat_scope)
    if mismatch.any():
        expected = canon.map(
            lambda v: f"scope {int(Category(v).scope)} for category {v}" if v else ""
        )
        for val, exp_txt in sorted(
            {(str(int(s)), e) for s, e in zip(scopes[mismatch], expected[mismatch], strict=True)}
        ):
            sel = mismatch & (scopes == float(val)) & (expected == exp_txt).to_numpy()
            raw.problems.append(raw.problem(raw.rows[sel], "scope", val, exp_txt))
    bad |= mismatch
    typed["category"] = canon.to_numpy(dtype=object)
    # Units: each distinct text parsed once.
    _check_units(raw, typed, "unit", bad)
    if "ncv_unit" in typed:
        _check_units(raw, typed, "ncv_unit", bad)
        ncv = typed.get("ncv")
        if ncv is not None:
            has_ncv = ~np.isnan(ncv.to_numpy(dtype=float))
            no_unit = has_ncv & typed["ncv_unit"].isna().to_numpy()
            _report_rows(
                raw,
                no_unit,
                "ncv_unit",
                typed["ncv_unit"].fillna(""),
                "the unit of the measured ncv, e.g. GJ/t or GJ/10^4Nm3",
            )
            bad |= no_unit
    elif "ncv" in typed and (~np.isnan(typed["ncv"].to_numpy(dtype=float))).any():
        has = ~np.isnan(typed["ncv"].to_numpy(dtype=float))
        raw.problems.append(
            raw.problem(
                raw.rows[has], "ncv_unit", None, "an ncv_unit column beside ncv (e.g. GJ/t)"
            )
        )
        bad |= has
    # Years inside the plan.
    if ent is not None:
        years = typed["year"].to_numpy(dtype="float64", na_value=np.nan)
        if ent.reporting_years:
            allowed = sorted(set(ent.reporting_years) | {ent.base_year})
            outside = ~np.isnan(years) & ~np.isin(years, allowed)
            expected = f"a year of the plan: {', '.join(map(str, allowed))}"
        else:
            outside = ~np.isnan(years) & (years < ent.base_year)
            expected = f"a year ≥ the base year {ent.base_year}"
        _report_rows(raw, outside, "year", text["year"].astype(str), expected)
        bad |= outside
    # Facilities named in facilities.csv.
    if known:
        fac = typed["facility"]
        unknown_fac = (fac.notna() & ~fac.isin(known)).to_numpy()
        _report_rows(
            raw,
            unknown_fac,
            "facility",
            fac.fillna(""),
            f"a facility id from facilities: {', '.join(sorted(known))}",
        )
        bad |= unknown_fac
    bad |= duplicate_rows(raw, typed)
    out = typed[~bad].reset_index(drop=True)
    out["file"] = raw.label
    out["year"] = out["year"].astype("int64")
    out["scope"] = out["scope"].astype("int64")
    out["activity"] = out["activity"].astype(str)
    out["facility"] = out["facility"].astype(str)
    return out


def _report_rows(
    raw: RawTable, mask: np.ndarray, column: str, text: pd.Series, expected: str
) -> None:
    if not mask.any():
        return
    vals = text.to_numpy()[mask]
    rows = raw.rows[mask]
    groups: dict[str, list[int]] = {}
    for v, r in zip(vals, rows, strict=True):
        groups.setdefault(str(v), []).append(int(r))
    for v, rs in groups.items():
        raw.problems.append(raw.problem(rs, column, v, expected))


def _check_units(raw: RawTable, typed: pd.DataFrame, column: str, bad: np.ndarray) -> None:
    col = typed[column]
    for text in col.dropna().unique():
        try:
            units.parse(str(text))
        except UnitError as exc:
            mask = (col == text).to_numpy()
            raw.problems.append(raw.problem(raw.rows[mask], column, str(text), f"{exc.expected}"))
            bad |= mask


def _raw_from_records(name: str, records: list[dict[str, Any]]) -> RawTable:
    from neutra.io.tables import frame_from_cells
    from neutra.model.tables import TABLES

    spec = next(t for t in TABLES if t.name == name)
    header = list(dict.fromkeys(k for r in records for k in r))
    body = [["" if r.get(h) is None else str(r.get(h)) for h in header] for r in records]
    return frame_from_cells(spec, name, header, body, 2)


def plan_from_records(
    entity: dict[str, Any],
    activity: list[dict[str, Any]],
    settings: dict[str, Any] | None = None,
    **tables: list[dict[str, Any]],
) -> Plan:
    """Build a plan from Python records (as a form or an API would send them), with the same
    checks as the file readers; raises :class:`PlanValidationError` with every problem."""
    from neutra.errors import raise_if_problems

    raws: dict[str, RawTable | None] = {"activity": _raw_from_records("activity", activity)}
    for name, recs in tables.items():
        raws[name] = _raw_from_records(name, recs)
    plan, problems = build_plan("plan", entity, settings, raws, "records")
    raise_if_problems(problems)
    if plan is None:  # pragma: no cover - problems are always reported when no plan is built
        raise ValueError("plan could not be built")
    return plan
