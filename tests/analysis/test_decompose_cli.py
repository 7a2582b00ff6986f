"""``neutra decompose`` through typer's CliRunner: a good table, bad tables, the JSON schema."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from neutra.cli import app

runner = CliRunner(env={"COLUMNS": "240"})

# Two sectors; V = output × share × intensity (energy, PJ). 2020 → 2021 is the hand-computed
# example of tests/analysis/test_lmdi.py (effects 30.231495, −9.179951, −7.051544).
GOOD = """year,sector,output,share,intensity,unit
2020,one,100,0.6,2,PJ
2020,two,100,0.4,1,PJ
2021,one,120,0.5,1.8,PJ
2021,two,120,0.5,1.1,PJ
2022,one,130,0.5,1.7,PJ
2022,two,130,0.5,1.0,PJ
"""
FACTORS = "output,share,intensity"


def write(tmp_path: Path, text: str, name: str = "table.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def invoke(*args: str) -> Result:
    return runner.invoke(app, ["decompose", *args])


def run(*args: str) -> tuple[int, str]:
    res = invoke(*args)
    return res.exit_code, res.output


def test_good_table_prints_the_effects(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)
    code, out = run(
        str(path), "--factors", FACTORS, "--from", "2020", "--to", "2021", "--by", "sector"
    )
    assert code == 0, out
    for text in ("output", "share", "intensity", "total", "30.2315", "-9.17995", "-7.05154"):
        assert text in out
    assert "additive effect (PJ)" in out
    assert "V(2020) = 160 PJ, V(2021) = 174 PJ" in out


def test_chained_text_has_every_step_and_the_cumulation(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)
    code, out = run(
        str(path),
        "--factors",
        FACTORS,
        "--from",
        "2020",
        "--to",
        "2022",
        "--by",
        "sector",
        "--chained",
    )
    assert code == 0, out
    assert "2020→2021" in out
    assert "2021→2022" in out
    assert "cumulative" in out


def test_json_schema(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)
    res = invoke(
        str(path),
        "--factors",
        FACTORS,
        "--from",
        "2020",
        "--to",
        "2021",
        "--by",
        "sector",
        "--json",
    )
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert set(doc) == {
        "schema",
        "method",
        "table",
        "unit",
        "factors",
        "by",
        "chained",
        "from",
        "to",
        "years",
        "v0",
        "vT",
        "change",
        "ratio",
        "effects",
        "steps",
    }
    assert doc["schema"] == "neutra.decomposition/1"
    assert doc["method"] == "LMDI-I"
    assert doc["table"] == "table.csv"
    assert doc["unit"] == "PJ"
    assert doc["factors"] == ["output", "share", "intensity"]
    assert doc["by"] == ["sector"]
    assert (doc["chained"], doc["from"], doc["to"], doc["years"]) == (
        False,
        2020,
        2021,
        [2020, 2021],
    )
    assert doc["v0"] == 160.0
    assert doc["vT"] == pytest.approx(174.0)
    assert doc["change"] == pytest.approx(14.0)
    assert doc["ratio"] == pytest.approx(1.0875)
    assert doc["steps"] == []
    effects = doc["effects"]
    assert [e["factor"] for e in effects] == doc["factors"]
    assert set(effects[0]) == {"factor", "additive", "multiplicative"}
    assert effects[0]["additive"] == pytest.approx(30.231495, abs=5e-7)
    assert math.fsum(e["additive"] for e in effects) == pytest.approx(doc["change"], rel=1e-12)
    assert math.prod(e["multiplicative"] for e in effects) == pytest.approx(doc["ratio"], rel=1e-12)


def test_chained_json_has_steps_and_cumulative_effects(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)
    res = invoke(
        str(path),
        "--factors",
        FACTORS,
        "--from",
        "2020",
        "--to",
        "2022",
        "--by",
        "sector",
        "--chained",
        "--json",
    )
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["chained"] is True
    assert doc["years"] == [2020, 2021, 2022]
    assert [(s["from"], s["to"]) for s in doc["steps"]] == [(2020, 2021), (2021, 2022)]
    assert set(doc["steps"][0]) == {"from", "to", "v0", "vT", "change", "ratio", "effects"}
    for k, e in enumerate(doc["effects"]):
        steps = [s["effects"][k] for s in doc["steps"]]
        assert e["additive"] == pytest.approx(math.fsum(s["additive"] for s in steps), rel=1e-12)
        assert e["multiplicative"] == pytest.approx(
            math.prod(s["multiplicative"] for s in steps), rel=1e-12
        )
    assert doc["change"] == pytest.approx(175.5 - 160.0)
    assert math.fsum(e["additive"] for e in doc["effects"]) == pytest.approx(15.5, rel=1e-12)


def test_a_descending_period_flips_the_effects(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)
    docs = []
    for a, b in (("2020", "2021"), ("2021", "2020")):
        res = invoke(
            str(path), "--factors", FACTORS, "--from", a, "--to", b, "--by", "sector", "--json"
        )
        assert res.exit_code == 0, res.output
        docs.append(json.loads(res.stdout))
    for f, b in zip(docs[0]["effects"], docs[1]["effects"], strict=True):
        assert f["additive"] == -b["additive"]


BAD = """year,sector,output,share,intensty
2020,one,100,0.6,2
2020,two,1o0,0.4,1
2021,one,120,-0.5,1.8
"""


def test_bad_table_lists_every_problem(tmp_path: Path) -> None:
    path = write(tmp_path, BAD)
    code, out = run(
        str(path), "--factors", "output,share,intensity", "--from", "2020", "--to", "2030"
    )
    assert code == 2
    assert "5 problems" in out
    assert "table.csv, row 1, field 'intensity'" in out  # unknown factor name …
    assert "did you mean 'intensty'?" in out  # … with a suggestion
    assert "row 3, field 'output': got '1o0'; expected a number" in out  # malformed number
    assert "row 4, field 'share': got '-0.5'; expected a value ≥ 0" in out  # negative value
    assert "field 'year': got '2030'" in out  # year missing
    assert "rows 2, 3" in out  # no --by: two rows for 2020


def test_bad_table_json_error_lists_every_problem(tmp_path: Path) -> None:
    path = write(tmp_path, BAD)
    res = invoke(
        str(path),
        "--factors",
        "output,share,intensity",
        "--from",
        "2020",
        "--to",
        "2021",
        "--by",
        "sector,region",
        "--json",
    )
    assert res.exit_code == 2
    doc = json.loads(res.stdout)
    assert doc["schema"] == "neutra.error/1"
    assert doc["error"] == "PlanValidationError"
    found = {(p["row"], p["field"], p["value"]) for p in doc["problems"]}
    assert found == {
        (1, "region", "region"),  # missing grouping column
        (1, "intensity", "intensity"),  # unknown factor
        (3, "output", "1o0"),  # malformed number
        (4, "share", "-0.5"),  # negative value
    }
    assert all(p["file"] == "table.csv" for p in doc["problems"])


def test_a_group_missing_in_a_year_is_named(tmp_path: Path) -> None:
    path = write(tmp_path, "year,sector,x\n2020,one,1\n2020,two,2\n2021,one,3\n")
    code, out = run(str(path), "--factors", "x", "--from", "2020", "--to", "2021", "--by", "sector")
    assert code == 2
    assert "row 3, field 'sector': got 'sector=two'" in out
    assert "a row for sector=two in 2021 as well" in out


def test_a_group_that_appears_with_explicit_zeros(tmp_path: Path) -> None:
    path = write(
        tmp_path, "year,sector,x,y\n2020,one,1,5\n2020,new,0,2\n2021,one,2,5\n2021,new,3,4\n"
    )
    res = invoke(
        str(path), "--factors", "x,y", "--from", "2020", "--to", "2021", "--by", "sector", "--json"
    )
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    # one: L(10, 5) ln 2 = 5 to x; new: 0 → 12, all to x (the factor from zero). D_x = 22/5.
    assert [e["additive"] for e in doc["effects"]] == [pytest.approx(17.0), 0.0]
    assert [e["multiplicative"] for e in doc["effects"]] == [pytest.approx(4.4), 1.0]


def test_gbk_table_with_chinese_headers(tmp_path: Path) -> None:
    text = (
        "年份,地区,人口,人均GDP\n2020,华东,10,5\n2020,华北,8,4\n2021,华东,11,5\n2021,华北,8,4.5\n"
    )
    path = write(tmp_path, text, "kaya.csv", "gbk")
    res = invoke(
        str(path),
        "--factors",
        "人口,人均GDP",
        "--from",
        "2020",
        "--to",
        "2021",
        "--by",
        "地区",
        "--json",
    )
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["by"] == ["地区"]
    assert doc["factors"] == ["人口", "人均gdp"]  # names are matched like headers (lower case)
    assert doc["unit"] is None
    assert doc["change"] == pytest.approx(55 + 36 - 50 - 32)


def test_mixed_units_are_a_problem(tmp_path: Path) -> None:
    path = write(tmp_path, "year,x,unit\n2020,1,PJ\n2021,2,TJ\n")
    code, out = run(str(path), "--factors", "x", "--from", "2020", "--to", "2021")
    assert code == 2
    assert "row 3, field 'unit': got 'TJ'; expected the same unit of V on every row" in out


def test_missing_file(tmp_path: Path) -> None:
    code, out = run(str(tmp_path / "nope.csv"), "--factors", "x", "--from", "2020", "--to", "2021")
    assert code == 1
    assert "no such file" in out
