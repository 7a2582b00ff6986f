"""Small scenario models written as plan folders, for the simulation tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from neutra.testing import expression_row as expr
from neutra.testing import write_plan

__all__ = ["expr", "write_plan"]


@pytest.fixture
def plan_dir(tmp_path: Path) -> Callable[..., Path]:
    def make(
        tables: dict[str, list[dict[str, Any]]],
        settings: dict[str, Any] | None = None,
        base_year: int = 2020,
        name: str = "plan",
    ) -> Path:
        return write_plan(tmp_path / name, tables, settings, base_year=base_year)

    return make
