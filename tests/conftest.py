"""Shared fixtures: the bundled example and a builder of small plans."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "src" / "neutra" / "examples" / "steel_enterprise"
CITY = ROOT / "src" / "neutra" / "examples" / "city"

PLAN_TOML = """
[entity]
name = "Test Co."
level = "enterprise"
base_year = {base_year}
grid_region = "{grid_region}"
{extra_entity}

[settings]
gwp_set = "{gwp_set}"
co2_convention = "{convention}"
{extra_settings}
"""

MakePlan = Callable[..., Path]


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A fresh copy of the bundled steel example."""
    dest = tmp_path / "steel"
    shutil.copytree(EXAMPLE, dest)
    return dest


@pytest.fixture
def city(tmp_path: Path) -> Path:
    """A fresh copy of the bundled city example (a region with energy balance tables)."""
    dest = tmp_path / "city"
    shutil.copytree(CITY, dest)
    return dest


@pytest.fixture
def make_plan(tmp_path: Path) -> MakePlan:
    """Write a small plan folder: ``make_plan(activity_csv, **options) -> folder``."""
    counter = iter(range(10_000))

    def _make(
        activity: str,
        *,
        base_year: int = 2022,
        grid_region: str = "CN-East",
        gwp_set: str = "AR5",
        convention: str = "computed",
        extra_entity: str = "",
        extra_settings: str = "",
        files: dict[str, str] | None = None,
    ) -> Path:
        folder = tmp_path / f"plan{next(counter)}"
        folder.mkdir()
        (folder / "plan.toml").write_text(
            PLAN_TOML.format(
                base_year=base_year,
                grid_region=grid_region,
                gwp_set=gwp_set,
                convention=convention,
                extra_entity=extra_entity,
                extra_settings=extra_settings,
            ),
            encoding="utf-8",
        )
        (folder / "activity.csv").write_text(activity.strip() + "\n", encoding="utf-8")
        for name, text in (files or {}).items():
            (folder / name).write_text(text.strip() + "\n", encoding="utf-8")
        return folder

    return _make
