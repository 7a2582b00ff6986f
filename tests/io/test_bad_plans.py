"""The bad-plan corpus (tests/badplans): every bad input gives one clear, located error.

Each case of tests/badplans/cases.toml is a small plan with a planted problem. Validating it must
raise one :class:`~neutra.errors.PlanValidationError` (also a ``ValueError``) whose problems name
the file, the row as the user sees it (header = row 1), the field and the value; positive controls
must validate. Cases the reader does not handle yet carry ``xfail`` with the reason.
"""

from __future__ import annotations

import csv
import io
import re
import tomllib
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from neutra.errors import PlanValidationError, Problem
from neutra.services import validate

BADPLANS = Path(__file__).resolve().parents[1] / "badplans"
CASES: dict[str, dict[str, Any]] = tomllib.loads(
    (BADPLANS / "cases.toml").read_text(encoding="utf-8")
)
MATCH_KEYS = ("file", "row", "field", "value", "cell")
REQUIRED_CASES = {
    "unknown_activity",
    "wrong_unit_dimension",
    "negative_amount",
    "missing_column",
    "duplicate_rows",
    "year_outside_plan",
    "malformed_number",
    "empty_activity_file",
    "header_only",
    "gbk_bad_bytes",
    "gbk_ok",
    "xlsx_merged_header",
    "unknown_grid_region",
    "instrument_claimed_twice",
    "unknown_facility",
    "bad_scope_category",
    "unknown_category",
    "bad_month",
    "bad_unit_text",
    "missing_entity_field",
    "bad_level",
    "unknown_toml_key",
    "bad_toml_syntax",
    "unknown_column",
    "bad_oxidation",
    "ncv_without_unit",
    "missing_ncv_for_volume",
    "unknown_gwp_set",
    "unknown_factor_set",
    "bad_boolean",
    "many_problems",
}


def _params(*, rows: bool = False) -> list[Any]:
    out = []
    for name, case in CASES.items():
        if rows and not any("row" in e for e in case.get("expect", ())):
            continue
        marks = []
        if "xfail" in case and not (rows and case.get("xfail_rows") is False):
            marks.append(pytest.mark.xfail(strict=True, reason=case["xfail"]))
        out.append(pytest.param(name, marks=marks, id=name))
    return out


def _matches(p: Problem, exp: dict[str, Any]) -> bool:
    if any(k in exp and getattr(p, k) != exp[k] for k in MATCH_KEYS):
        return False
    return "contains" not in exp or exp["contains"].lower() in p.expected.lower()


def _error(name: str) -> PlanValidationError:
    with pytest.raises(PlanValidationError) as info:
        validate(BADPLANS / CASES[name]["path"])
    return info.value


def _matching(err: PlanValidationError, exp: dict[str, Any]) -> list[Problem]:
    found = [p for p in err.problems if _matches(p, exp)]
    assert found, f"no problem matches {exp}; the error was:\n{err}"
    return found


@pytest.mark.parametrize("name", _params())
def test_bad_plan(name: str) -> None:
    case = CASES[name]
    path = BADPLANS / case["path"]
    assert path.exists(), f"{path} is missing (workbooks: run tests/badplans/make_workbooks.py)"
    if case.get("valid"):
        plan, _ = validate(path)
        assert len(plan.activity) > 0
        return
    err = _error(name)
    assert isinstance(err, ValueError)
    text = str(err)
    for exp in case["expect"]:
        found = _matching(err, exp)
        assert any(str(p) in text for p in found)
        if "file" in exp:
            assert exp["file"] in text
        if "field" in exp:
            assert f"field '{exp['field']}'" in text
        if exp.get("value"):
            assert repr(exp["value"]) in text
    n = len(err.problems)
    assert n >= case.get("min_problems", 1), text
    assert n <= case.get("max_problems", n), f"more problems than expected:\n{text}"
    assert text.startswith(f"{n} problem")


def _shows_row(p: Problem, row: int) -> bool:
    """Whether the rendered problem shows ``row`` (as 'row N', in 'rows …', or in a cell)."""
    where = p.where()
    return bool(re.search(rf"(\brow {row}\b|\brows [\d, …]*\b{row}\b|\bcell [A-Z]+{row}\b)", where))


def _user_row(case_path: Path, file: str, row: int) -> dict[str, str] | None:
    """The row ``row`` of a case's CSV file or sheet as the user sees it, by its header."""
    folder = case_path if case_path.is_dir() else case_path.parent
    m = re.fullmatch(r"(.+\.xlsx)\[(\w+)\]", file)
    if m:
        ws = openpyxl.load_workbook(folder / m.group(1))[m.group(2)]
        cells = [
            ["" if v is None else str(v) for v in r]
            for r in ws.iter_rows(min_row=1, max_row=ws.max_row, values_only=True)
        ]
    elif file.endswith(".csv"):
        data = (folder / file).read_bytes()
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return None
        # A spreadsheet shows each record (blank lines too) as one row.
        cells = list(csv.reader(io.StringIO(text, newline="")))
    else:
        return None
    if row > len(cells):
        return None
    return dict(zip(cells[0], cells[row - 1], strict=False))


@pytest.mark.parametrize("name", _params(rows=True))
def test_rows_as_the_user_sees_them(name: str) -> None:
    """Row numbers count the header as row 1 (and blank lines), as a spreadsheet shows them."""
    case = CASES[name]
    err = _error(name)
    for exp in case["expect"]:
        if "row" not in exp:
            continue
        found = _matching(err, exp)
        assert any(_shows_row(p, exp["row"]) for p in found), [str(p) for p in found]
        assert any(f"{exp['row']}" in str(p) for p in found)
        # The expectation itself is the user's view: the named cell holds the value.
        if exp.get("field") and "value" in exp and exp["row"] > 1:
            record = _user_row(BADPLANS / case["path"], exp["file"], exp["row"])
            assert record is not None
            assert record.get(exp["field"], "").strip() == exp["value"]


def test_gbk_file_reads_chinese_text() -> None:
    """The GBK positive control: Chinese headers, units and notes arrive intact."""
    plan, _ = validate(BADPLANS / CASES["gbk_ok"]["path"])
    act = plan.activity
    assert list(act["row"]) == [2, 3, 4, 5]
    assert set(act["note"]) == {"高炉喷吹煤粉", "钢包烘烤", "外购电力", "厂内车辆"}
    assert "亿千瓦时" in set(act["unit"])
    assert "电网公司账单" in set(act["evidence"])


def test_corpus_is_complete() -> None:
    folders = {
        p.name for p in BADPLANS.iterdir() if p.is_dir() and not p.name.startswith(("_", "."))
    }
    used = {Path(c["path"]).parts[0] for c in CASES.values()}
    assert folders == used
    assert set(CASES) >= REQUIRED_CASES
    assert sum(1 for c in CASES.values() if not c.get("valid")) >= 24
    for name, case in CASES.items():
        assert case.get("valid") or case.get("expect"), name
        for exp in case.get("expect", ()):
            assert set(exp) <= {*MATCH_KEYS, "contains"}, (name, exp)


BAD_CASES = sorted(n for n, c in CASES.items() if not c.get("valid"))


@pytest.mark.parametrize("name", BAD_CASES)
def test_bad_plan_writes_nothing_to_the_store(name: str, tmp_path: Path) -> None:
    """Through the CLI: exit code 2, the problems on stderr, and no store file created."""
    from typer.testing import CliRunner

    from neutra.cli import app

    db = tmp_path / "store.duckdb"
    res = CliRunner().invoke(
        app, ["inventory", str(BADPLANS / CASES[name]["path"]), "--db", str(db)]
    )
    assert res.exit_code == 2, res.output
    assert "problem" in res.output
    assert not db.exists()
