"""Side tables in workbooks: the sheets ``macc``, ``ets``, ``forest`` are read as CSV text,
their problems located at sheet and cell, their cells typed on export so that the round trip
folder → workbook → folder gives the same text (tests/test_cli.py has the examples' round
trips)."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from neutra import services
from neutra.cli import app
from neutra.errors import PlanValidationError
from neutra.io import read_plan
from neutra.io.export import write_folder, write_workbook
from neutra.io.measures_table import read_measures_table
from neutra.io.tables import TableText
from neutra.io.workbook import number_text, sheet_cell_text, sheet_csv, typed_cell
from neutra.model.plan import canonical_csv

EXAMPLE = Path(__file__).resolve().parents[2] / "src" / "neutra" / "examples" / "steel_enterprise"
runner = CliRunner(env={"COLUMNS": "240"})

ACTIVITY_HEADER = ["facility", "year", "scope", "category", "activity", "amount", "unit"]
MACC_HEADER = ["name", "capex", "opex", "annual_savings", "lifetime", "annual_abatement"]


def _workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    """A small workbook plan (entity and activity) with extra sheets, rows as given."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "entity"
    for k, v in (("name", "W"), ("level", "enterprise"), ("base_year", 2022)):
        ws.append([k, v])
    act = wb.create_sheet("activity")
    act.append(ACTIVITY_HEADER)
    act.append(["a", 2022, 1, "stationary_combustion", "natural_gas", 100, "t"])
    for name, rows in sheets.items():
        sheet = wb.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    sheet.cell(row=r, column=c, value=value)
    wb.save(path)
    return path


def _steel_workbook(tmp_path: Path) -> Path:
    folder = tmp_path / "steel"
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns("*.duckdb*"))
    return write_workbook(read_plan(folder), tmp_path / "plan.xlsx")


def test_a_bad_cell_of_the_macc_sheet_is_located(tmp_path: Path) -> None:
    path = _steel_workbook(tmp_path)
    wb = openpyxl.load_workbook(path)
    wb["macc"]["B3"] = "abc"  # capex of the second measure
    wb.save(path)
    with pytest.raises(PlanValidationError) as info:
        services.validate(path)
    (p,) = info.value.problems
    assert (p.file, p.row, p.field, p.value, p.cell) == ("plan.xlsx[macc]", 3, "capex", "abc", "B3")
    res = runner.invoke(app, ["validate", str(path)])
    assert res.exit_code == 2
    assert "plan.xlsx[macc], cell B3, field 'capex'" in res.output


def test_rows_are_the_sheet_s_and_later_problems_get_their_cell(tmp_path: Path) -> None:
    """A blank row and a cell of two lines do not shift the rows; a problem found after reading
    (a wedge row in a plan without a scenario model) gets its cell too."""
    path = _workbook(
        tmp_path / "w.xlsx",
        {
            "macc": [
                [*MACC_HEADER, "wedge", "note"],
                ["lighting", 1000, 0, 300, 10, 2, None, "first line\nsecond line"],
                [],
                ["pump", "abc", 0, 10, 10, 1],
                ["boiler", 5000, 100, 200, 15, None, "efficiency"],
            ]
        },
    )
    with pytest.raises(PlanValidationError) as info:
        services.validate(path)
    where = {(p.file, p.row, p.field, p.cell) for p in info.value.problems}
    assert ("w.xlsx[macc]", 4, "capex", "B4") in where
    with pytest.raises(PlanValidationError) as info:
        services.validate(_fixed(path))
    (p,) = info.value.problems
    assert (p.file, p.row, p.field, p.cell) == ("w.xlsx[macc]", 5, "wedge", "G5")
    assert "scenario model" in p.expected


def _fixed(path: Path) -> Path:
    wb = openpyxl.load_workbook(path)
    wb["macc"]["B4"] = 2000
    wb.save(path)
    return path


def test_a_missing_ets_template_names_the_settings_sheet(tmp_path: Path) -> None:
    path = _workbook(
        tmp_path / "e.xlsx",
        {
            "ets": [
                ["entity", "year", "verified_emissions_t", "free_allocation_t"],
                ["works", 2024, 1000, 900],
            ]
        },
    )
    with pytest.raises(PlanValidationError) as info:
        services.validate(path)
    (p,) = info.value.problems
    assert (p.file, p.field) == ("e.xlsx[settings]", "settings.ets_template")
    assert "settings sheet" in p.expected


def test_the_sheet_text_trims_empty_cells_and_rows(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws["A1"], ws["B1"] = "name", "note"
    ws["A2"], ws["B2"] = "a", 'say "1,2"'
    ws["A4"] = 0.1 + 0.2  # a formula's value: 0.30000000000000004
    ws.cell(row=4, column=6)  # an empty cell (formatted, say) on the right
    ws.cell(row=9, column=2)  # … and below
    assert sheet_csv(ws) == 'name,note\na,"say ""1,2"""\n\n0.3\n'


def test_numbers_are_written_without_float_noise() -> None:
    assert number_text(0.1 + 0.2) == "0.3"  # 15 significant digits, a spreadsheet's precision
    assert number_text(3_000_000_000.0) == "3000000000"
    assert number_text(0.47) == "0.47"
    assert sheet_cell_text(1.0, "0.0") == "1.0"  # fixed decimals as shown …
    assert sheet_cell_text(0.125, "0.00") == "0.125"  # … unless the display rounds the value
    assert sheet_cell_text(True) == "true"


@pytest.mark.parametrize(
    ("text", "value", "fmt"),
    [
        ("68", 68, None),
        ("0.47", 0.47, None),
        ("1.0", 1.0, "0.0"),
        ("-2.50", -2.5, "0.00"),
        ("007", "007", None),  # a name, not 7
        ("1e3", "1e3", None),
        ("1,000", "1,000", None),
        ("-0", "-0", None),
        ("12345678901234567", "12345678901234567", None),  # beyond a double's 15 digits
        ("=1+1", "=1+1", None),
        ("", None, None),
    ],
)
def test_typed_cells(text: str, value: object, fmt: str | None) -> None:
    got = typed_cell(text)
    assert got == (value, fmt)
    assert type(got[0]) is type(value)


@settings(max_examples=60, deadline=None)
@given(
    st.one_of(
        st.from_regex(r"-?(0|[1-9][0-9]{0,17})(\.[0-9]{1,18})?", fullmatch=True),
        st.floats(allow_nan=False, allow_infinity=False).map(repr),
        st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cc", "Cs"]), max_size=8),
    )
)
def test_a_cell_s_text_comes_back_exactly(text: str) -> None:
    """text → typed cell → saved workbook → text is the identity (on the stripped text): what
    the workbook writer and reader rely on for a lossless round trip."""
    value, fmt = typed_cell(text)
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    cell = ws.cell(row=1, column=1, value=value)
    if fmt is not None:
        cell.number_format = fmt
    if isinstance(value, str):
        cell.data_type = "s"
    buf = io.BytesIO()
    wb.save(buf)
    back = openpyxl.load_workbook(buf)
    sheet = back.active
    assert sheet is not None
    got = sheet["A1"]
    assert sheet_cell_text(got.value, got.number_format) == text.strip()


def test_tricky_cells_survive_folder_workbook_folder(make_plan, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    macc = (
        "name,capex,opex,annual_savings,lifetime,annual_abatement,group,note\n"
        '007,1.0,0.30000000000000004,1e3,10,0.0000001,-0,"=SUM(A1), quoted ""x"""\n'
        "\n"
        'b,12345678901234567,0,"1,000",20,2.50,g,"two\nlines"\n'
    )
    folder = make_plan(
        "facility,year,scope,category,activity,amount,unit\n"
        "a,2022,1,stationary_combustion,natural_gas,100,t",
        files={"macc.csv": macc},
    )
    plan = read_plan(folder)
    xlsx = write_workbook(plan, tmp_path / "t.xlsx")
    ws = openpyxl.load_workbook(xlsx)["macc"]
    assert ws["B2"].value == 1  # a number …
    assert ws["B2"].number_format == "0.0"  # … shown 1.0
    assert ws["A2"].value == "007"  # a name stays text
    assert ws["C2"].value == "0.30000000000000004"  # more digits than a spreadsheet keeps
    assert ws["H2"].data_type == "s"  # text, not a formula
    wplan = read_plan(xlsx)
    assert wplan.content_hash() == plan.content_hash()
    back = write_folder(wplan, tmp_path / "back")
    assert (back / "macc.csv").read_text(encoding="utf-8") == macc  # the same text
    assert canonical_csv(wplan.side_tables["macc.csv"]) == canonical_csv(macc)


def test_editing_a_sheet_changes_the_plan_hash(tmp_path: Path) -> None:
    path = _steel_workbook(tmp_path)
    before = read_plan(path).content_hash()
    wb = openpyxl.load_workbook(path)
    wb["ets"]["C2"] = 21_083_250  # verified emissions of 2024, one tonne more
    wb.save(path)
    assert read_plan(path).content_hash() != before


def test_a_reader_reads_text_as_it_reads_the_file(tmp_path: Path) -> None:
    text = "name,capex,opex,annual_savings,lifetime,annual_abatement\n\nlighting,1000,0,300,10,2\n"
    path = tmp_path / "m.csv"
    path.write_text(text, encoding="utf-8")
    from_file = read_measures_table(path)
    from_text = read_measures_table(TableText(text, "m.csv"))
    assert from_text == from_file
    assert from_text.rows == (3,)  # the blank line counts, as in a text editor
    sheet = read_measures_table(TableText(text, "w.xlsx[macc]", sheet=True))
    assert (sheet.rows, sheet.label) == ((3,), "w.xlsx[macc]")


def test_a_file_and_a_sheet_have_the_same_rows() -> None:
    """Rows as a spreadsheet shows them, in a file as in a sheet: a blank line counts, a cell
    over two lines is one row (tests/badplans/cases.toml, blank_and_multiline_rows)."""
    text = (
        "name,capex,opex,annual_savings,lifetime,annual_abatement,note\n"
        'lighting,1000,0,300,10,2,"first line\nsecond line"\n'
        "\n"
        "pump,abc,0,10,10,1,\n"
    )
    with pytest.raises(PlanValidationError) as info:
        read_measures_table(TableText(text, "macc.csv"))
    (p,) = info.value.problems
    assert (p.file, p.row, p.field, p.cell) == ("macc.csv", 4, "capex", None)
    with pytest.raises(PlanValidationError) as info:
        read_measures_table(TableText(text, "w.xlsx[macc]", sheet=True))
    (p,) = info.value.problems
    assert (p.file, p.row, p.field, p.cell) == ("w.xlsx[macc]", 4, "capex", "B4")
