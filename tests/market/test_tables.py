"""Reading the entities table and the price file: every problem located, all at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from neutra.errors import PlanError, PlanValidationError
from neutra.market.tables import read_entities_table, read_price_file


def write(tmp_path: Path, text: str, name: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_chinese_headers_in_gbk(tmp_path: Path) -> None:
    text = "排放单位,年份,核查排放量,机组类型,供电量,供热量,冷却方式,供热比\n甲电厂,2020,1000,燃气机组,2000,0,,0\n"
    t = read_entities_table(write(tmp_path, text, "units.csv", "gbk"))
    assert t.frame.loc[0, "entity"] == "甲电厂"
    assert t.frame.loc[0, "electricity_supplied_mwh"] == 2000.0
    assert "heat_ratio" in t.columns
    assert "history_t" not in t.columns
    assert t.frame["history_t"].isna().all()  # absent optional columns are empty, not zero


def test_every_problem_of_a_bad_table_at_once(tmp_path: Path) -> None:
    text = (
        "entity,year,verified_emissions_t,heat_ratio,electricty_supplied_mwh\n"
        "A,2020,-5,0.2,1\n"  # row 2: negative emissions
        "A,20x0,10,0.2,1\n"  # row 3: malformed year
        "B,2021,10,1.5,1\n"  # row 4: heat ratio above 1
        "B,2021,12,0.5,1\n"  # row 5: B 2021 twice
        ",2022,10,0.1,1\n"  # row 6: no entity
    )
    with pytest.raises(PlanValidationError) as info:
        read_entities_table(write(tmp_path, text, "bad.csv"))
    found = {(p.row, p.field) for p in info.value.problems}
    assert {
        (1, "electricty_supplied_mwh"),  # misspelt column, with a suggestion
        (2, "verified_emissions_t"),
        (3, "year"),
        (4, "heat_ratio"),
        (4, "year"),  # the duplicate, rows 4 and 5
        (6, "entity"),
    } <= found
    hint = next(p for p in info.value.problems if p.field == "electricty_supplied_mwh")
    assert "electricity_supplied_mwh" in hint.expected
    dup = next(p for p in info.value.problems if p.row == 4 and p.field == "year")
    assert dup.rows == (4, 5)


def test_price_file(tmp_path: Path) -> None:
    p = read_price_file(write(tmp_path, "年份,碳价\n2024,80\n2025,90.5\n", "p.csv"))
    assert p.prices == {2024: 80.0, 2025: 90.5}
    with pytest.raises(PlanValidationError) as info:
        read_price_file(write(tmp_path, "year,price\n2024,-1\n2024,x\n", "q.csv"))
    assert {(p.row, p.field) for p in info.value.problems} >= {(2, "price"), (3, "price")}
    with pytest.raises(PlanError, match="no such file"):
        read_price_file(tmp_path / "missing.csv")
