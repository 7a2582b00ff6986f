"""Plan folders: ``plan.toml`` (entity, settings) plus one CSV file per table."""

from __future__ import annotations

import csv
import io
import re
import tomllib
from pathlib import Path
from typing import Any

import pandas as pd

from neutra.errors import PlanError, Problem
from neutra.io.balance import read_balance_csv
from neutra.io.build import build_plan
from neutra.io.tables import (
    RawTable,
    frame_from_cells,
    locate_csv_rows,
    read_text_file,
)
from neutra.model.plan import Plan
from neutra.model.tables import SIDE_FILES, TABLES, TableSpec


def read_csv_table(path: Path, spec: TableSpec) -> tuple[RawTable | None, list[Problem]]:
    """Read one CSV table as text cells (UTF-8 or GBK), checking its columns."""
    label = path.name
    text, problem = read_text_file(path, label)
    if text is None:
        return None, [problem] if problem else []
    try:
        records = list(csv.reader(io.StringIO(text)))
    except csv.Error as exc:
        return None, [Problem(label, None, None, None, f"well-formed CSV ({exc})")]
    records = [r for r in records if any(c.strip() for c in r)]
    if not records:
        return None, [Problem(label, None, None, None, "a header row and at least one data row")]
    header, body = records[0], records[1:]
    # Row numbers as the user sees them in a text editor or spreadsheet (header = row 1),
    # counting blank lines that were skipped.
    raw = frame_from_cells(spec, label, header, [[c.strip() for c in r] for r in body], 2)
    locate_csv_rows(raw, text, header, body)
    return raw, []


def read_folder(folder: Path) -> tuple[Plan | None, list[Problem]]:
    """Read a plan folder. Returns the plan (``None`` if it cannot be built) and all problems."""
    toml_path = folder / "plan.toml"
    problems: list[Problem] = []
    if not toml_path.is_file():
        raise PlanError(
            f"{folder}: no plan.toml here; expected a plan folder with plan.toml "
            "and activity.csv, or an .xlsx workbook"
        )
    head: dict[str, Any] = {}
    toml_broken = False
    try:
        head = tomllib.loads(toml_path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        problems.append(Problem("plan.toml", None, None, None, "UTF-8 text"))
    except tomllib.TOMLDecodeError as exc:
        # Python < 3.14 has the position only in the message: "(at line 4, column 9)".
        m = re.search(r"at line (\d+)", str(exc))
        problems.append(
            Problem("plan.toml", int(m.group(1)) if m else None, None, None, f"valid TOML ({exc})")
        )
        toml_broken = True
    for key in head:
        if key not in ("entity", "settings"):
            problems.append(
                Problem("plan.toml", None, key, None, "only the tables [entity] and [settings]")
            )
    tables: dict[str, RawTable | None] = {}
    for spec in TABLES:
        path = folder / f"{spec.name}.csv"
        if path.is_file():
            raw, probs = read_csv_table(path, spec)
            problems += probs
            tables[spec.name] = raw
    missing = None
    if not (folder / "activity.csv").is_file():
        missing = Problem(
            "activity.csv",
            None,
            None,
            None,
            "an activity.csv file beside plan.toml (or, for a region, "
            "energy_balance_YYYY.csv files; or a scenario model: branches.csv, …)",
        )
    tables.setdefault("activity", None)
    balances, more_b = _balances(sorted(folder.glob("energy_balance_*.csv")))
    problems += more_b
    if toml_broken:  # the header's own problems would only repeat the syntax error
        more = [p for t in tables.values() if t is not None for p in t.problems]
        return None, problems + more
    plan, more = build_plan(
        "plan.toml",
        head.get("entity"),
        head.get("settings"),
        tables,
        str(folder),
        balances=balances,
        missing_activity=missing,
    )
    side, more_s = read_side_tables(folder)
    if plan is not None:
        plan = plan.model_copy(update={"side_tables": side})
    return plan, problems + more + more_s


def read_side_tables(folder: Path) -> tuple[dict[str, str], list[Problem]]:
    """The text of a plan folder's side tables (``macc.csv``, ``ets.csv``, ``forest.csv``) by
    file name, read as the other CSV files (:func:`neutra.io.tables.read_text_file`: UTF-8 with
    or without BOM, else GB18030); their rows are read by :mod:`neutra.side_tables`. An empty
    file, or one in neither encoding, is a problem."""
    out: dict[str, str] = {}
    problems: list[Problem] = []
    for name in SIDE_FILES:
        path = folder / name
        if not path.is_file():
            continue
        text, problem = read_text_file(path, name)
        if text is None:
            problems += [problem] if problem else []
        else:
            out[name] = text
    return out, problems


def _balances(paths: list[Path]) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Every year's energy balance table of a plan folder, stacked (``None`` if there are none)."""
    if not paths:
        return None, []
    frames, problems = [], []
    for path in paths:
        frame, probs = read_balance_csv(path)
        problems += probs
        if frame is not None:
            frames.append(frame)
    return (pd.concat(frames, ignore_index=True) if frames else None), problems
