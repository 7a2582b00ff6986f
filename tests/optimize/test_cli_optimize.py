"""`neutra optimize` on OSeMOSYS data: table, JSON, store, otoole results, failures."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from neutra.cli import app
from neutra.optimize.data import read_mathprog, write_otoole_csv

DATA = Path(__file__).parent / "data"
runner = CliRunner(env={"COLUMNS": "200"})


@pytest.fixture(scope="module")
def utopia_json(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, object], Path]:
    tmp = tmp_path_factory.mktemp("opt")
    db, out = tmp / "runs.duckdb", tmp / "results"
    args = ["optimize", str(DATA / "utopia.txt"), "--json", "--db", str(db), "--results", str(out)]
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout), tmp


def test_json_has_objective_emissions_and_timings(
    utopia_json: tuple[dict[str, object], Path],
) -> None:
    doc, _ = utopia_json
    assert doc["schema"] == "neutra.optimize/1"
    assert doc["termination"] == "optimal"
    # OSeMOSYS_GNU_MathProg tests: UTOPIA 29446.86269; CO2 163.516797, NOX 170.895.
    assert doc["objective"] == pytest.approx(29446.86269, rel=1e-6)
    emissions = doc["emissions"]
    assert isinstance(emissions, dict)
    assert emissions["CO2"] == pytest.approx(163.516797, rel=1e-6)
    timings = doc["timings"]
    assert isinstance(timings, dict)
    assert {"read", "build", "solve", "results"} <= set(timings)


def test_run_is_stored_and_results_written(utopia_json: tuple[dict[str, object], Path]) -> None:
    doc, tmp = utopia_json
    con = duckdb.connect(str(tmp / "runs.duckdb"), read_only=True)
    kind = con.execute("SELECT kind FROM runs WHERE run_id = ?", [doc["run_id"]]).fetchone()
    assert kind == ("optimize",)
    n = con.execute("SELECT count(*) FROM opt_TotalCapacityAnnual").fetchone()
    assert n is not None
    assert n[0] > 0
    con.close()
    with (tmp / "results" / "TotalCapacityAnnual.csv").open(encoding="utf-8") as fh:
        header = next(csv.reader(fh))
    assert header == ["REGION", "TECHNOLOGY", "YEAR", "VALUE"]  # otoole's layout


def test_otoole_folder_and_infeasible_diagnosis(tmp_path: Path) -> None:
    folder = write_otoole_csv(read_mathprog(DATA / "utopia.txt"), tmp_path / "csv")
    cap = folder / "TotalAnnualMaxCapacity.csv"
    with cap.open("a", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        for tech in ("E01", "E21", "E70"):
            w.writerow(["UTOPIA", tech, 2005, 0.01])
    res = runner.invoke(app, ["optimize", str(folder), "--no-store"])
    assert res.exit_code == 3, res.output
    assert "infeasible" in res.output
    assert "TCC1_TotalAnnualMaxCapacityConstraint" in res.output
    assert "2005" in res.output


def test_missing_model_is_a_clear_error(tmp_path: Path) -> None:
    res = runner.invoke(app, ["optimize", str(tmp_path / "nope.txt"), "--no-store"])
    assert res.exit_code != 0
    assert "no such file or folder" in res.output


def test_html_report(tmp_path: Path) -> None:
    out = tmp_path / "utopia.html"
    args = ["optimize", str(DATA / "utopia.txt"), "--no-store", "--report", str(out)]
    res = runner.invoke(app, [*args, "--lang", "zh"])
    assert res.exit_code == 0, res.output
    html = out.read_text(encoding="utf-8")
    for needle in ("最低成本路径", "29,446.862694", "163.516797", "分技术装机容量"):
        assert needle in html
