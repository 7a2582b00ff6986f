"""Workbook plans: problems point at the right sheet and cell."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from neutra.errors import PlanValidationError
from neutra.services import validate


def test_settings_problems_name_the_settings_sheet(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "entity"
    for k, v in (("name", "W"), ("level", "enterprise"), ("base_year", 2022)):
        ws.append([k, v])
    st = wb.create_sheet("settings")
    st.append(["gwp_set", "AR5"])
    st.append(["seedd", 5])
    act = wb.create_sheet("activity")
    act.append(["facility", "year", "scope", "category", "activity", "amount", "unit"])
    act.append(["a", 2022, 1, "process", "limestone", 10, "t"])
    path = tmp_path / "w.xlsx"
    wb.save(path)
    with pytest.raises(PlanValidationError) as info:
        validate(path)
    (p,) = info.value.problems
    assert (p.file, p.field, p.cell) == ("w.xlsx[settings]", "settings.seedd", "B2")
    assert "did you mean 'seed'" in p.expected


def test_unknown_grid_region_points_at_its_cell(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "entity"
    for k, v in (("name", "W"), ("level", "enterprise"), ("base_year", 2022)):
        ws.append([k, v])
    fac = wb.create_sheet("facilities")
    fac.append(["id", "grid_region"])
    fac.append(["a", "CN-Mars"])
    act = wb.create_sheet("activity")
    act.append(["facility", "year", "scope", "category", "activity", "amount", "unit"])
    act.append(["a", 2022, 2, "electricity", "electricity", 10, "MWh"])
    path = tmp_path / "g.xlsx"
    wb.save(path)
    with pytest.raises(PlanValidationError) as info:
        validate(path)
    (p,) = info.value.problems
    assert (p.file, p.cell, p.field, p.value) == (
        "g.xlsx[facilities]",
        "B2",
        "grid_region",
        "CN-Mars",
    )
