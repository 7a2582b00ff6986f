"""Service functions: what the CLI and the web app call. They hold the workflow, not the maths.

read → check against reference data → compute → store → report. Every problem of a plan is
reported at once, and nothing is stored unless the whole inventory computed.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from neutra import __version__
from neutra.errors import Problem, ReferenceDataError, raise_if_problems
from neutra.i18n import Lang
from neutra.inventory.engine import check, compute
from neutra.inventory.result import InventoryResult
from neutra.io import read_plan
from neutra.model.plan import Plan
from neutra.provenance import RunInfo
from neutra.refdata.library import Library, check_user_factors, gwp_sets, load_library


def library_for(plan: Plan) -> Library:
    """The factor library a plan names (its own factors.csv last, overriding)."""
    problems: list[Problem] = []
    label = "factors.csv"
    if plan.user_factors is not None:
        problems += check_user_factors(plan.user_factors, label)
    if plan.settings.gwp_set not in gwp_sets():
        problems.append(
            Problem(
                "plan.toml",
                None,
                "settings.gwp_set",
                plan.settings.gwp_set,
                f"one of {', '.join(gwp_sets())}",
            )
        )
    raise_if_problems(problems)
    try:
        return load_library(plan.settings.factor_sets, plan.user_factors, label)
    except ReferenceDataError as exc:
        raise_if_problems(
            [
                Problem(
                    "plan.toml",
                    None,
                    "settings.factor_sets",
                    ", ".join(plan.settings.factor_sets or ()),
                    str(exc),
                )
            ]
        )
        raise


def validate(path: str | Path) -> tuple[Plan, Library]:
    """Read a plan and check it against its reference data; raise with every problem."""
    plan = read_plan(path)
    library = library_for(plan)
    prep, con = check(plan, library)
    con.close()
    raise_if_problems(prep.problems)
    return plan, library


def run_info(plan: Plan, library: Library, kind: str = "inventory") -> RunInfo:
    phash = plan.content_hash()
    settings = plan.settings.model_dump(mode="json")
    settings["factor_sets"] = list(library.set_ids)
    sjson = json.dumps(settings, sort_keys=True)
    rid = hashlib.sha256(
        f"{kind}|{phash}|{library.version}|{__version__}|{sjson}".encode()
    ).hexdigest()[:16]
    return RunInfo(
        rid,
        datetime.now(UTC).isoformat(timespec="seconds"),
        plan.entity.name,
        plan.source,
        phash,
        library.version,
        __version__,
        sjson,
        kind,
    )


def inventory(path: str | Path, *, detail: bool = True) -> tuple[Plan, InventoryResult, RunInfo]:
    """Read, check and compute a plan's inventory (nothing is stored)."""
    plan, library = validate(path)
    rng = np.random.default_rng(plan.settings.seed)
    result = compute(plan, library, rng, detail=detail)
    return plan, result, run_info(plan, library)


def default_db(path: str | Path) -> Path:
    """The store a plan uses by default: ``neutra.duckdb`` inside its folder (or beside it)."""
    p = Path(path)
    return (p if p.is_dir() else p.parent) / "neutra.duckdb"


def store_inventory(db: str | Path, info: RunInfo, result: InventoryResult) -> str:
    """Store a computed inventory run (one transaction); returns the run id."""
    from neutra.store import Store

    return Store(db).save_inventory(info, result)


def write_report(
    path: str | Path, output: str | Path, lang: Lang = "en", db: str | Path | None = None
) -> Path:
    """Compute a plan's inventory, store it (if ``db``), and write its HTML report."""
    from neutra.report.html import render_inventory

    plan, result, info = inventory(path)
    if db is not None:
        store_inventory(db, info, result)
    out = Path(output)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_inventory(plan, result, info, lang), encoding="utf-8")
    return out
