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


def test_utopia_matches_the_reference_tests(utopia) -> None:  # type: ignore[no-untyped-def]
    # The values OSeMOSYS_GNU_MathProg's tests assert for UTOPIA (shared/reference/osemosys/
    # README.md): AccumulatedNewCapacity in 2010, CapitalInvestment and
    # TotalTechnologyModelPeriodActivity summed over the years.
    acc = utopia.tables["AccumulatedNewCapacity"].query("YEAR == 2010")
    acc = acc.set_index("TECHNOLOGY")["value"]
    for tech, value in {
        "E01": 2.279801,
        "E31": 0.11,
        "RHE": 46.867723,
        "RHO": 46.135248,
        "RL1": 18.901890,
        "TXD": 11.69,
    }.items():
        assert acc[tech] == pytest.approx(value, rel=1e-6), tech
    invest = utopia.tables["CapitalInvestment"].groupby("TECHNOLOGY")["value"].sum()
    for tech, value in {
        "E01": 2845.536735,
        "E31": 330.0,
        "RHE": 4218.095050,
        "RHO": 4613.524752,
        "SRE": 10.0,
        "TXD": 18572.76,
    }.items():
        assert invest[tech] == pytest.approx(value, rel=1e-6), tech
    act = utopia.tables["TotalTechnologyAnnualActivity"].groupby("TECHNOLOGY")["value"].sum()
    for tech, value in {
        "E01": 301.572359,
        "E31": 30.987192,
        "E51": 56.29176,
        "RHE": 204.751311,
        "RHO": 623.698689,
        "RL1": 184.1,
        "TXD": 170.895,
    }.items():
        assert act[tech] == pytest.approx(value, rel=1e-6), tech
    cost = utopia.tables["TotalDiscountedCost"]["value"].sum()
    assert cost == pytest.approx(utopia.objective, rel=1e-9)


def test_simplicity_solves() -> None:
    res = solve(build(read_mathprog(DATA / "simplicity.txt")))
    assert res.termination == "optimal"
    assert res.objective is not None
    assert res.objective > 0
