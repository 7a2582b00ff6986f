"""Allocation of a target: every method's shares sum to the whole (property), hand cases."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from neutra.errors import PlanValidationError
from neutra.targets.allocation import METHODS, allocate

FRAME = pd.DataFrame(
    {
        "member": ["A", "B", "C"],
        "base": [60.0, 30.0, 10.0],
        "history": [50.0, 30.0, 20.0],
        "output": [10.0, 20.0, 5.0],
        "benchmark": [2.0, 1.0, 4.0],
        "capability": [3.0, 1.0, 1.0],
        "potential": [10.0, 5.0, 0.0],
    }
)


def test_hand_cases() -> None:
    # equal rate: 80 of 100 → every member keeps 80 % of its base.
    eq = allocate(FRAME, 80.0, "equal_rate").set_index("member")["allowance"]
    assert eq.to_dict() == pytest.approx({"A": 48.0, "B": 24.0, "C": 8.0})
    # benchmark: output × benchmark = 20, 20, 20 → equal thirds of 90.
    bm = allocate(FRAME, 90.0, "benchmark").set_index("member")["allowance"]
    assert bm.to_dict() == pytest.approx({"A": 30.0, "B": 30.0, "C": 30.0})
    # potential: a cut of 15 by potential 10 : 5 : 0 → A −10, B −5, C keeps its 10.
    po = allocate(FRAME, 85.0, "potential").set_index("member")["allowance"]
    assert po.to_dict() == pytest.approx({"A": 50.0, "B": 25.0, "C": 10.0})
    # capability: cut 20 by base × capability = 180 : 30 : 10 → A −16.36, B −2.73, C −0.91.
    ca = allocate(FRAME, 80.0, "capability").set_index("member")["allowance"]
    assert ca["A"] == pytest.approx(60 - 20 * 180 / 220)


def test_a_cut_never_goes_below_zero() -> None:
    # potential 10 : 5 : 0 and a cut of 95: A and B would go below 0; the rest falls on C.
    po = allocate(FRAME, 5.0, "potential")
    assert (po["allowance"] >= -1e-9).all()
    assert po["allowance"].sum() == pytest.approx(5.0)


@given(
    total=st.floats(0, 500),
    method=st.sampled_from([*METHODS, "mix"]),
    scale=st.floats(0.1, 10),
)
def test_shares_sum_to_the_whole(total: float, method: str, scale: float) -> None:
    frame = FRAME.copy()
    frame["base"] *= scale
    weights = {"equal_rate": 0.5, "benchmark": 0.3, "potential": 0.2} if method == "mix" else None
    out = allocate(frame, total, method, weights)
    assert out["share"].sum() == pytest.approx(1.0)
    assert out["allowance"].sum() == pytest.approx(total, abs=1e-6)
    assert (out["allowance"] >= -1e-9).all()


def test_bad_input_located() -> None:
    bad = FRAME.copy()
    bad.loc[1, "base"] = -1.0
    with pytest.raises(PlanValidationError) as info:
        allocate(
            bad.drop(columns=["history"]), -3.0, "mix", {"equal_rate": 0.5, "grandfathering": 0.4}
        )
    fields = {(p.row, p.field) for p in info.value.problems}
    assert (3, "base") in fields  # the row as in a CSV with a header
    assert (None, "history") in fields
    assert (None, "weights") in fields
    assert (None, "total") in fields
