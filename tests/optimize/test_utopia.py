"""Golden results: UTOPIA and SIMPLICITY solved by the OSeMOSYS formulation on HiGHS."""

from __future__ import annotations

from pathlib import Path

import pytest

from neutra.optimize.data import read_mathprog
from neutra.optimize.osemosys import build
from neutra.optimize.solve import solve

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def utopia():  # type: ignore[no-untyped-def]
    return solve(build(read_mathprog(DATA / "utopia.txt")))


def test_utopia_objective(utopia) -> None:  # type: ignore[no-untyped-def]
    # OSeMOSYS_GNU_MathProg, tests/: glpsol with src/osemosys.txt on utopia.txt gives
    # obj = 2.944686269e+04 (shared/reference/osemosys/README.md).
    assert utopia.termination == "optimal"
    assert utopia.objective == pytest.approx(29446.86269, rel=1e-6)
    # The fast formulation's objective constant: residual-capacity fixed costs (same README).
    assert utopia.constant == pytest.approx(1242.7252440533, rel=1e-9)


def test_utopia_model_period_emissions(utopia) -> None:  # type: ignore[no-untyped-def]
    # Same source: model-period emissions CO2 163.516797 and NOX 170.895.
    assert utopia.emissions["CO2"] == pytest.approx(163.516797, rel=1e-6)
    assert utopia.emissions["NOX"] == pytest.approx(170.895, rel=1e-6)


def test_utopia_unique_parts_of_the_solution(utopia) -> None:  # type: ignore[no-untyped-def]
    # The values the OSeMOSYS repository's tests assert that do not depend on ties between
    # technologies (RHE and RHO capacity in 2010; E31 and E70 are fixed by limits).
    cap = utopia.tables["TotalCapacityAnnual"].set_index(["TECHNOLOGY", "YEAR"])["value"]
    assert cap[("RHE", 2010)] == pytest.approx(46.867723, rel=1e-6)
    assert cap[("RHO", 2010)] == pytest.approx(46.135248, rel=1e-6)
    cost = utopia.tables["TotalDiscountedCost"]["value"].sum()
    assert cost == pytest.approx(utopia.objective, rel=1e-9)


def test_simplicity_solves() -> None:
    res = solve(build(read_mathprog(DATA / "simplicity.txt")))
    assert res.termination == "optimal"
    assert res.objective is not None
    assert res.objective > 0
