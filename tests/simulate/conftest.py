"""Small scenario models written as plan folders, for the simulation tests."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import tomli_w

Tables = dict[str, list[dict[str, Any]]]


def write_plan(
    folder: Path, tables: Tables, settings: dict[str, Any] | None = None, base_year: int = 2020
) -> Path:
    """Write plan.toml and one CSV per table into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    head = {
        "entity": {
            "name": "Test region",
            "level": "region",
            "base_year": base_year,
            "grid_region": "CN-South",
        },
        "settings": {
            "gwp_set": "AR5",
            "end_year": base_year + 10,
            "energy_unit": "GJ",
            "factor_sets": ["ipcc2006", "cn-mee-grid"],
            **(settings or {}),
        },
    }
    (folder / "plan.toml").write_text(tomli_w.dumps(head), encoding="utf-8")
    for name, rows in tables.items():
        header = list(dict.fromkeys(k for r in rows for k in r))
        with (folder / f"{name}.csv").open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(header)
            for r in rows:
                w.writerow(["" if r.get(h) is None else r.get(h) for h in header])
    return folder


def expr(
    scenario: str, branch: str, variable: str, expression: object, **more: Any
) -> dict[str, Any]:
    return {
        "scenario": scenario,
        "branch": branch,
        "variable": variable,
        "expression": expression,
        **more,
    }


@pytest.fixture
def plan_dir(tmp_path: Path) -> Callable[..., Path]:
    def make(
        tables: Tables,
        settings: dict[str, Any] | None = None,
        base_year: int = 2020,
        name: str = "plan",
    ) -> Path:
        return write_plan(tmp_path / name, tables, settings, base_year)

    return make
