"""OSeMOSYS model data: GNU MathProg data files and otoole CSV folders (neutra.optimize.data)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pandas as pd
import pytest

from neutra.errors import PlanValidationError, Problem
from neutra.optimize.data import (
    PARAMS,
    SETS,
    ModelData,
    read_mathprog,
    read_model,
    read_otoole_csv,
    write_otoole_csv,
)

DATA = Path(__file__).parent / "data"
SUPER_SIMPLE = DATA / "super_simple_model.txt"
REFERENCE = Path(os.environ.get("NEUTRA_OSEMOSYS_REFERENCE", "/work/shared/reference/osemosys"))


def _reference(name: str) -> Path:
    """UTOPIA or SIMPLICITY from tests/optimize/data, else from the shared reference folder."""
    for folder in (DATA, REFERENCE):
        if (folder / name).is_file():
            return folder / name
    pytest.skip(f"{name} (OSeMOSYS reference data) is not available")


@pytest.fixture(scope="module")
def utopia() -> ModelData:
    return read_mathprog(_reference("utopia.txt"))


def _problems(tmp_path: Path, text: str) -> tuple[Problem, ...]:
    path = tmp_path / "model.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PlanValidationError) as info:
        read_mathprog(path)
    return info.value.problems


# A small valid preamble for the bad-input cases (lines 1-5).
SETS_TEXT = """set REGION := UTOPIA;
set TECHNOLOGY := E01 E21;
set FUEL := ELC;
set MODE_OF_OPERATION := 1 2;
set YEAR := 1990 1991;
"""


# ---- the parameter table ----------------------------------------------------------------------


def test_params_follow_the_model_file() -> None:
    assert len(PARAMS) == 54  # 61 params in osemosys.txt less 6 computed ones and ResultsPath
    assert PARAMS["InputActivityRatio"].dims == (
        "REGION",
        "TECHNOLOGY",
        "FUEL",
        "MODE_OF_OPERATION",
        "YEAR",
    )
    assert PARAMS["SpecifiedDemandProfile"].dims == ("REGION", "FUEL", "TIMESLICE", "YEAR")
    assert PARAMS["TradeRoute"].dims == ("REGION", "REGION", "FUEL", "YEAR")
    assert "DiscountFactor" not in PARAMS
    assert "ResultsPath" not in PARAMS
    assert all(d in SETS for p in PARAMS.values() for d in p.dims)
    # otoole's config.yaml defaults
    assert PARAMS["DaySplit"].default == 0.00137
    assert PARAMS["ResidualStorageCapacity"].default == 999
    assert PARAMS["TotalAnnualMaxCapacity"].default == -1


# ---- UTOPIA -----------------------------------------------------------------------------------


def test_utopia_sets(utopia: ModelData) -> None:
    s = utopia.sets
    assert list(s) == list(SETS)
    assert s["REGION"] == ["UTOPIA"]
    assert len(s["TECHNOLOGY"]) == 21
    assert s["TECHNOLOGY"][:2] == ["E01", "E21"]
    assert s["FUEL"] == ["DSL", "ELC", "GSL", "HCO", "HYD", "OIL", "URN", "RH", "RL", "TX"]
    assert s["YEAR"] == list(range(1990, 2011))
    assert s["TIMESLICE"] == ["ID", "IN", "SD", "SN", "WD", "WN"]
    assert s["EMISSION"] == ["CO2", "NOX"]
    assert s["MODE_OF_OPERATION"] == [1, 2]
    assert s["SEASON"] == [1, 2, 3]
    assert s["DAYTYPE"] == [1]
    assert s["DAILYTIMEBRACKET"] == [1, 2]
    assert s["STORAGE"] == ["DAM"]


def test_utopia_values_as_in_the_file(utopia: ModelData) -> None:
    p = utopia.params
    # line 93: YearSplit row WD, 0.3333 in every year
    assert p["YearSplit"][("WD", 2005)] == 0.3333
    # line 135: CapacityToActivityUnit, UTOPIA row, column E01 (table without a slice)
    assert p["CapacityToActivityUnit"][("UTOPIA", "E01")] == 31.536
    # line 142: InputActivityRatio [UTOPIA,*,DSL,1,*], row RHO
    assert p["InputActivityRatio"][("UTOPIA", "RHO", "DSL", 1, 1990)] == 1.428571429
    # line 236: CapitalCost E01 falls from 1400 (1990) to 1200 (2010)
    assert p["CapitalCost"][("UTOPIA", "E01", 1990)] == 1400
    assert p["CapitalCost"][("UTOPIA", "E01", 2010)] == 1200
    # line 282: ResidualCapacity E01, 0.32 in 2000 between 0.3 and 0.3 (as in the file)
    assert p["ResidualCapacity"][("UTOPIA", "E01", 2000)] == 0.32
    # line 399: OperationalLife E31 100 (the third column)
    assert p["OperationalLife"][("UTOPIA", "E31")] == 100
    # line 410: TotalAnnualMaxCapacity TXE 0.4 in 1991
    assert p["TotalAnnualMaxCapacity"][("UTOPIA", "TXE", 1991)] == 0.4
    # lines 462-468: Conversionls [*,*] table, WD belongs to season 1
    assert p["Conversionls"][("WD", 1)] == 1
    assert p["Conversionls"][("WD", 2)] == 0
    # lines 496-497: TechnologyToStorage [UTOPIA,*,*,2] : DAM := E51 1
    assert p["TechnologyToStorage"].to_dict() == {("UTOPIA", "E51", "DAM", 2): 1.0}
    # only the given values are stored: YearSplit has 6 × 21, CapitalCost 21 rows × 21 years
    assert len(p["YearSplit"]) == 126
    assert len(p["CapitalCost"]) == 441
    assert p["CapitalCost"].index.names == ["REGION", "TECHNOLOGY", "YEAR"]
    assert p["DiscountRate"].index.name == "REGION"
    assert p["DiscountRate"].empty


def test_utopia_defaults_are_filled(utopia: ModelData) -> None:
    d = utopia.defaults
    assert d["VariableCost"] == 0.00001  # line 262: "default 0.00001"
    assert d["TotalAnnualMaxCapacity"] == -1  # line 404
    assert d["DaySplit"] == 0.00137  # line 492
    assert d["MinStorageCharge"] == 0  # line 521: "default 0."
    assert d["StorageLevelStart"] == 999  # line 508 (otoole's default is 0)
    assert d["EmissionsPenalty"] == 0  # line 366 has no default clause: otoole's default
    vc = utopia.value("VariableCost")
    assert len(vc) == 1 * 21 * 2 * 21
    assert vc[("UTOPIA", "E01", 1, 1990)] == 0.3  # given (line 264)
    assert vc[("UTOPIA", "E01", 2, 1990)] == 0.00001  # filled by the default clause
    dr = utopia.value("DiscountRate")
    assert dr.to_dict() == {"UTOPIA": 0.05}  # line 79: "default 0.05 :=;"
    # DiscountRateIdv takes DiscountRate[r], as the model file says
    assert (utopia.value("DiscountRateIdv") == 0.05).all()
    assert len(utopia.value("DaysInDayType")) == 3 * 1 * 21
    assert (utopia.value("DaysInDayType") == 7).all()


def test_utopia_dense(utopia: ModelData) -> None:
    iar = utopia.dense("InputActivityRatio")
    assert iar.dims == ("REGION", "TECHNOLOGY", "FUEL", "MODE_OF_OPERATION", "YEAR")
    assert iar.shape == (1, 21, 10, 2, 21)
    assert list(iar.coords["TECHNOLOGY"].values[:3]) == ["E01", "E21", "E31"]  # set order
    assert iar.sel(TECHNOLOGY="E70", FUEL="DSL", MODE_OF_OPERATION=1, YEAR=1990).item() == 3.4
    assert iar.sel(TECHNOLOGY="E01", FUEL="DSL", MODE_OF_OPERATION=1, YEAR=1990).item() == 0
    trade = utopia.dense("TradeRoute")  # REGION twice: the second is _REGION, as in otoole
    assert trade.dims == ("REGION", "_REGION", "FUEL", "YEAR")
    assert trade.shape == (1, 1, 10, 21)


def test_utopia_parses_fast() -> None:
    path = _reference("utopia.txt")
    read_mathprog(path)  # warm up
    start = time.perf_counter()
    read_mathprog(path)
    assert time.perf_counter() - start < 0.5


# ---- SIMPLICITY and super_simple --------------------------------------------------------------


def test_simplicity() -> None:
    data = read_mathprog(_reference("simplicity.txt"))
    assert data.sets["REGION"] == ["SIMPLICITY"]
    assert len(data.sets["TECHNOLOGY"]) == 29
    assert len(data.sets["FUEL"]) == 21
    assert data.sets["YEAR"] == list(range(2014, 2041))
    p = data.params
    assert p["AnnualEmissionLimit"][("SIMPLICITY", "CO2", 2030)] == 0.2  # line 34
    assert p["OperationalLife"][("SIMPLICITY", "HYD1")] == 80  # line 278, 10th column
    assert p["CapitalCost"][("SIMPLICITY", "SOLPV1", 2020)] == 1600  # line 109
    # lines 440-444: [SIMPLICITY,HYD2,*,*]: 1 2 := DAM 0 1
    assert p["TechnologyFromStorage"][("SIMPLICITY", "HYD2", "DAM", 2)] == 1
    assert data.defaults["ResidualStorageCapacity"] == 999


def test_super_simple_tabbing_form() -> None:
    data = read_model(SUPER_SIMPLE)
    assert data.sets["REGION"] == ["BB"]
    assert data.sets["TIMESLICE"] == ["x"]
    assert data.sets["TECHNOLOGY"] == ["gas_import", "gas_plant"]
    assert data.sets["MODE_OF_OPERATION"] == [1]
    assert data.sets["SEASON"] == []
    assert data.params["OutputActivityRatio"].to_dict() == {
        ("BB", "gas_import", "natural_gas", 1, 2016): 1.0,
        ("BB", "gas_plant", "electricity", 1, 2016): 1.0,
    }
    assert data.params["VariableCost"][("BB", "gas_plant", 1, 2016)] == 9.1202
    assert data.defaults["TotalAnnualMaxCapacity"] == 99999  # "param default 99999 : … :="
    assert data.value("CapacityFactor").tolist() == [1.0, 1.0]


# ---- otoole CSV -------------------------------------------------------------------------------


def _assert_same(a: ModelData, b: ModelData) -> None:
    assert a.sets == b.sets
    assert a.defaults == b.defaults
    for name in PARAMS:
        pd.testing.assert_series_equal(a.params[name], b.params[name], check_exact=True)


@pytest.mark.parametrize("name", ["utopia.txt", "simplicity.txt", "super_simple_model.txt"])
def test_round_trip_through_otoole_csv(tmp_path: Path, name: str) -> None:
    source = SUPER_SIMPLE if name == SUPER_SIMPLE.name else _reference(name)
    data = read_mathprog(source)
    folder = write_otoole_csv(data, tmp_path / "csv")
    _assert_same(read_otoole_csv(folder), data)
    _assert_same(read_model(folder), data)


def test_otoole_csv_layout(tmp_path: Path, utopia: ModelData) -> None:
    folder = write_otoole_csv(utopia, tmp_path)
    lines = (folder / "CapitalCost.csv").read_text().splitlines()
    assert lines[:2] == ["REGION,TECHNOLOGY,YEAR,VALUE", "UTOPIA,E01,1990,1400.0"]
    assert (folder / "YEAR.csv").read_text().splitlines()[:2] == ["VALUE", "1990"]
    assert (folder / "TradeRoute.csv").read_text() == "REGION,_REGION,FUEL,YEAR,VALUE\n"
    assert (folder / "_REGION.csv").read_text() == "VALUE\nUTOPIA\n"
    config = (folder / "config.yaml").read_text()
    assert "VariableCost:\n    indices: [REGION,TECHNOLOGY,MODE_OF_OPERATION,YEAR]" in config
    assert "    default: 1e-05\n" in config
    # without config.yaml the defaults are otoole's
    (folder / "config.yaml").unlink()
    assert read_otoole_csv(folder).defaults["VariableCost"] == 0


def test_otoole_csv_problems(tmp_path: Path) -> None:
    (tmp_path / "REGION.csv").write_text("VALUE\nR1\nR1\n")
    (tmp_path / "TECHNOLOGY.csv").write_text("VALUE\nT1\n")
    (tmp_path / "YEAR.csv").write_text("VALUE\n2020\n20x1\n")
    (tmp_path / "CapitalCost.csv").write_text(
        "REGION,TECHNOLOGY,YEAR,VALUE\nR1,T1,2020,1\nR1,T9,2020,2\n\nR1,T1,2020,abc\nR1,T1,2020,4\n"
    )
    (tmp_path / "FixedCost.csv").write_text("REGION,YEAR,VALUE\n")
    (tmp_path / "Technologies.csv").write_text("VALUE\n")
    with pytest.raises(PlanValidationError) as info:
        read_otoole_csv(tmp_path)
    got = {(p.file, p.row, p.value): p.expected for p in info.value.problems}
    assert got[("REGION.csv", 3, "R1")].startswith("each member once")
    assert got[("YEAR.csv", 3, "20x1")] == "an integer year"
    assert got[("CapitalCost.csv", 3, "T9")].startswith("a member of TECHNOLOGY")
    assert got[("CapitalCost.csv", 5, "abc")] == "a number"  # the blank row 4 counts
    assert "first given at row 2" in got[("CapitalCost.csv", 6, "R1,T1,2020")]
    assert got[("FixedCost.csv", 1, "REGION,YEAR,VALUE")].endswith("REGION,TECHNOLOGY,YEAR,VALUE")
    assert "did you mean 'TECHNOLOGY'" in got[("Technologies.csv", None, "Technologies")]
    assert len(got) == 7


# ---- MathProg syntax and problems -------------------------------------------------------------


def test_mathprog_syntax(tmp_path: Path) -> None:
    path = tmp_path / "model.txt"
    path.write_text(
        """data;
/* a block
   comment */ set REGION := "R1" R2;   # quoted and bare symbols
set TECHNOLOGY := T1, T2, T3;
set YEAR := 2020 2021;
set TIMESLICE := 1 2;
param CapacityFactor default 0.9 :=
[R1,*,*,2020] (tr): T1 T2 T3 :=
1 0.1 0.2 .
2 0.3
  0.4 0.5
[R2,T1,*,*]: 2020 2021 :=
1 0.7 0.6 2 0.5 0.4
;
param default 5 : CapitalCost FixedCost :=
R1 T1 2020 100 1
R1 T2 2020 . 2
;
param DiscountRate := R1 0.1 R2
0.08;
end;
anything after end is ignored
""",
        encoding="utf-8",
    )
    data = read_mathprog(path)
    assert data.sets["REGION"] == ["R1", "R2"]
    assert data.sets["TIMESLICE"] == ["1", "2"]
    cf = data.params["CapacityFactor"]
    # (tr): rows are the second '*' (TIMESLICE), columns the first (TECHNOLOGY); '.' = no value
    assert cf[("R1", "T2", "1", 2020)] == 0.2
    assert cf[("R1", "T3", "2", 2020)] == 0.5
    assert ("R1", "T3", "1", 2020) not in cf.index
    assert cf[("R2", "T1", "2", 2021)] == 0.4  # two records on one line
    assert data.value("CapacityFactor")[("R1", "T3", "1", 2020)] == 0.9
    assert data.params["CapitalCost"].to_dict() == {("R1", "T1", 2020): 100.0}
    assert data.params["FixedCost"][("R1", "T2", 2020)] == 2
    assert data.defaults["CapitalCost"] == data.defaults["FixedCost"] == 5
    assert data.params["DiscountRate"].to_dict() == {"R1": 0.1, "R2": 0.08}


def test_unknown_technology(tmp_path: Path) -> None:
    text = SETS_TEXT + "param CapitalCost default 0 :=\n[UTOPIA,*,*]: 1990 1991 :=\nE99 1 2\n;\n"
    (p,) = _problems(tmp_path, text)
    assert (p.file, p.row, p.field, p.value) == ("model.txt", 8, "CapitalCost", "E99")
    assert p.expected.startswith("a member of TECHNOLOGY (E01, E21)")


def test_unknown_parameter(tmp_path: Path) -> None:
    (p,) = _problems(tmp_path, SETS_TEXT + "param CapitalCosts default 0 := ;\n")
    assert (p.row, p.field, p.value) == (6, "CapitalCosts", "CapitalCosts")
    assert p.expected == ("a parameter of the OSeMOSYS model (did you mean 'CapitalCost'?)")


def test_wrong_arity(tmp_path: Path) -> None:
    text = SETS_TEXT + "param FixedCost :=\nUTOPIA E01 1990 5\nUTOPIA E21 6\n;\n"
    (p,) = _problems(tmp_path, text)
    assert (p.row, p.field, p.value) == (8, "FixedCost", "UTOPIA E21 6")
    assert "3 index values (REGION, TECHNOLOGY, YEAR) and a value (found 3)" in p.expected
    (p,) = _problems(tmp_path, SETS_TEXT + "param VariableCost :=\n[UTOPIA,*,1]: 1990 :=\nE01 1;")
    assert (p.row, p.value) == (7, "[UTOPIA,*,1]")
    assert p.expected.startswith("a slice of 4 positions")


def test_malformed_number(tmp_path: Path) -> None:
    (p,) = _problems(tmp_path, SETS_TEXT + "param FixedCost :=\nUTOPIA E01 1990 1.2.3\n;\n")
    assert (p.row, p.field, p.value, p.expected) == (7, "FixedCost", "1.2.3", "a number")


def test_table_row_with_wrong_number_of_values(tmp_path: Path) -> None:
    text = SETS_TEXT + "param CapitalCost :=\n[UTOPIA,*,*]: 1990 1991 :=\nE01 1 2\nE21 3\n;\n"
    (p,) = _problems(tmp_path, text)
    assert (p.row, p.field, p.value) == (9, "CapitalCost", "E21 3")
    assert "a row label and 2 values (the table at line 7) (found 2)" in p.expected


def test_unterminated_statement_and_duplicates(tmp_path: Path) -> None:
    text = SETS_TEXT + (
        "param ResidualCapacity :=\n"  # line 6, no ';'
        "UTOPIA E01 1990 1\n"
        "UTOPIA E01 1990 2\n"  # line 8: the same index again
        "param FixedCost := ;\n"
        "param FixedCost := ;\n"  # line 10
    )
    problems = _problems(tmp_path, text)
    assert [(p.row, p.field) for p in problems] == [
        (6, "ResidualCapacity"),
        (8, "ResidualCapacity"),
        (10, "FixedCost"),
    ]
    assert problems[0].expected.startswith("';' to end this statement before the next statement")
    assert problems[1].expected == "one value per index (first given at line 7)"
    assert problems[2].expected.startswith("one statement per set or parameter")


def test_every_problem_is_reported_together(tmp_path: Path) -> None:
    text = SETS_TEXT + (
        "param CapitalCost default 0 :=\n"
        "[UTOPIA,*,*]: 1990 1991 :=\n"
        "E99 1400 1400\n"  # line 8: unknown technology
        "E21 2000 2x00\n"  # line 9: malformed number
        ";\n"
        "param CapitalCosts default 0 := ;\n"  # line 11: unknown parameter
        "param FixedCost :=\n"
        "UTOPIA E21 6\n"  # line 13: wrong arity
        ";\n"
        "param DiscountFactor := UTOPIA 1990 1;\n"  # line 15: computed by the model
        "set FOO := a;\n"  # line 16: not a set of OSeMOSYS
    )
    problems = _problems(tmp_path, text)
    assert [(p.row, p.value) for p in problems] == [
        (8, "E99"),
        (9, "2x00"),
        (11, "CapitalCosts"),
        (13, "UTOPIA E21 6"),
        (15, "DiscountFactor"),
        (16, "FOO"),
    ]
    assert "computed by the model" in problems[4].expected
    message = str(PlanValidationError(list(problems)))
    assert message.startswith("6 problems")
    assert "model.txt, row 8, field 'CapitalCost'" in message


def test_read_model_of_a_missing_path(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        read_model(tmp_path / "nothing.txt")
