"""Domain assertions for tests of Neutra and of code built on it."""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import tomli_w

from neutra import units


def assert_quantity_close(
    actual: float,
    actual_unit: str,
    expected: float,
    expected_unit: str,
    rel: float = 1e-9,
    abs_: float = 0.0,
) -> None:
    """Assert two quantities are equal within tolerance after converting to the same unit.

    Raises:
        AssertionError: they differ by more than the tolerance (message gives both in units).
    """
    converted = actual * units.factor(actual_unit, expected_unit)
    if not math.isclose(converted, expected, rel_tol=rel, abs_tol=abs_):
        raise AssertionError(
            f"{actual} {actual_unit} = {converted} {expected_unit}, "
            f"expected {expected} {expected_unit} (rel {rel}, abs {abs_})"
        )


def expression_row(
    scenario: str, branch: str, variable: str, expression: object, **more: Any
) -> dict[str, Any]:
    """One row of expressions.csv (``more``: fuel, gas, unit, measure, note)."""
    return {
        "scenario": scenario,
        "branch": branch,
        "variable": variable,
        "expression": expression,
        **more,
    }


def write_plan(
    folder: Path,
    tables: Mapping[str, list[dict[str, Any]]],
    settings: Mapping[str, Any] | None = None,
    *,
    base_year: int = 2020,
    entity: Mapping[str, Any] | None = None,
) -> Path:
    """Write a plan folder: ``plan.toml`` and one CSV per table (rows as dicts; a blank cell
    for a missing key). Defaults: a region in CN-South, AR5, ten years, energy in GJ."""
    folder.mkdir(parents=True, exist_ok=True)
    head = {
        "entity": {
            "name": "Test region",
            "level": "region",
            "base_year": base_year,
            "grid_region": "CN-South",
            **(entity or {}),
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


def industry_model() -> dict[str, list[dict[str, Any]]]:
    """A tiny scenario model: GDP +5 %/yr from 100 in 2020, industry output 1000 t × GDP^0.5
    (60 % Steel burning 20 GJ/t of coke oven coke, 40 % Other using 1 MWh/t of electricity with
    0.5 t/t of process CO2), a baseline and a ``policy`` with two measures: ``eff`` (Steel's coke
    intensity to 0.8× by 2030) and ``ccs`` (half of Other's process CO2 captured from 2025)."""
    return {
        "drivers": [{"driver": "gdp", "unit": "1e8*CNY"}],
        "scenarios": [
            {"scenario": "baseline", "kind": "baseline"},
            {"scenario": "policy", "parents": "baseline", "measures": "eff,ccs", "kind": "policy"},
        ],
        "measures": [
            {"measure": "eff", "lever": "减", "name": "Efficiency"},
            {"measure": "ccs", "lever": "absorb", "name": "CCUS"},
        ],
        "branches": [
            {"branch": "Demand/Industry", "kind": "activity", "unit": "t"},
            {"branch": "Demand/Industry/Steel", "kind": "share"},
            {"branch": "Demand/Industry/Other", "kind": "share"},
        ],
        "expressions": [
            expression_row("current", "Key/gdp", "value", 100),
            expression_row("baseline", "Key/gdp", "value", "Growth(5%)"),
            expression_row("current", "Demand/Industry", "activity", 1000),
            expression_row("baseline", "Demand/Industry", "activity", "GrowthAs(gdp, 0.5)"),
            expression_row("current", "Demand/Industry/Steel", "activity", 60),
            expression_row("current", "Demand/Industry/Other", "activity", "Remainder(100)"),
            expression_row(
                "current",
                "Demand/Industry/Steel",
                "intensity",
                20,
                fuel="coke_oven_coke",
                unit="GJ/t",
            ),
            expression_row(
                "current", "Demand/Industry/Other", "intensity", 1, fuel="electricity", unit="MWh/t"
            ),
            expression_row(
                "current", "Demand/Industry/Other", "process_ef", 0.5, gas="CO2", unit="t/t"
            ),
            {
                "measure": "eff",
                "branch": "Demand/Industry/Steel",
                "variable": "intensity",
                "fuel": "coke_oven_coke",
                "expression": "Inherited * Data(2020, 1, 2030, 0.8)",
                "unit": "",
            },
            {
                "measure": "ccs",
                "branch": "Demand/Industry/Other",
                "variable": "capture_rate",
                "expression": "Step(2025, 50)",
            },
        ],
    }


def markdown_section(text: str, heading: str) -> str:
    """The text of a Markdown document from the line starting with ``heading`` (e.g.
    ``"### targets.csv"``) to the next heading of the same or a higher level.

    Raises:
        AssertionError: no such heading (for tests that hold docs against the code).
    """
    level = len(heading) - len(heading.lstrip("#"))
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.startswith(heading):
            out = []
            for rest in lines[i + 1 :]:
                m = re.match(r"(#+) ", rest)
                if m and len(m.group(1)) <= level:
                    break
                out.append(rest)
            return "\n".join(out)
    raise AssertionError(f"no heading {heading!r} in the document")
