"""Measures applied in order against a declining baseline (SOURCES.md "Techno-economics")."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from neutra.errors import PlanError
from neutra.measures.economics import Measure, evaluate, macc
from neutra.measures.interaction import interacting_macc, interactions_document


def _frame(abatements: list[float], costs: list[float]) -> pd.DataFrame:
    # lifetime 1 at 0 %: CRF = 1, so LCOA = capex / abatement
    measures = [
        Measure(f"m{i}", c, 0, 0, 1, a)
        for i, (a, c) in enumerate(zip(abatements, costs, strict=True))
    ]
    return macc(evaluate(measures, 0.0))


def test_hand_case_total_below_naive_sum() -> None:
    # Baseline 100 t. Cheapest first: m0 (20 t, LCOA 1), then m1 (50 t, LCOA 2).
    frame = evaluate([Measure("m0", 20, 0, 0, 1, 20), Measure("m1", 100, 0, 0, 1, 50)], 0.0)
    curve = interacting_macc(frame, 100.0)
    # hand: m0 cuts 20 % of 100 = 20, leaving 80; m1 cuts 50 % of 80 = 40, leaving 40
    assert curve["name"].tolist() == ["m0", "m1"]
    assert curve["interacting_abatement"].tolist() == pytest.approx([20.0, 40.0])
    assert curve["baseline_after"].tolist() == pytest.approx([80.0, 40.0])
    assert curve.attrs["total"] == pytest.approx(60.0)
    assert curve.attrs["naive_total"] == pytest.approx(70.0)
    assert curve.attrs["total"] < curve.attrs["naive_total"]
    # m1 still costs 100 a year but abates 40 t: 2.5 per t (standalone 100/50 = 2)
    assert curve["lcoa_interacting"].tolist() == pytest.approx([1.0, 2.5])
    assert curve["x1"].tolist() == pytest.approx([20.0, 60.0])
    doc = interactions_document(curve)
    assert doc["total"] == pytest.approx(60.0)
    assert [o["name"] for o in doc["order"]] == ["m0", "m1"]


def test_given_order_and_errors() -> None:
    frame = evaluate([Measure("a", 20, 0, 0, 1, 20), Measure("b", 100, 0, 0, 1, 50)], 0.0)
    curve = interacting_macc(frame, 100.0, order=["b", "a"])
    # hand: b cuts 50, leaving 50; a cuts 20 % of 50 = 10
    assert curve["interacting_abatement"].tolist() == pytest.approx([50.0, 10.0])
    with pytest.raises(PlanError, match="order"):
        interacting_macc(frame, 100.0, order=["a"])
    with pytest.raises(PlanError, match="exceeds the baseline"):
        interacting_macc(frame, 40.0)
    with pytest.raises(PlanError, match="baseline"):
        interacting_macc(frame, 0.0)


def test_measures_off_the_curve_are_not_applied() -> None:
    frame = evaluate([Measure("a", 20, 0, 0, 1, 20), Measure("none", 5, 0, 0, 1, 0)], 0.0)
    curve = interacting_macc(frame, 100.0)
    assert curve["name"].tolist() == ["a"]


@given(
    abatements=st.lists(st.floats(0.01, 100.0), min_size=1, max_size=10),
    costs=st.lists(st.floats(-100, 1000), min_size=10, max_size=10),
    baseline=st.floats(100.0, 1e4),
)
def test_total_never_exceeds_the_baseline(
    abatements: list[float], costs: list[float], baseline: float
) -> None:
    curve = interacting_macc(_frame(abatements, costs[: len(abatements)]), baseline)
    f = np.array(abatements) / baseline
    total = curve.attrs["total"]
    assert total == pytest.approx(baseline * (1 - np.prod(1 - f)), rel=1e-9)
    assert total <= baseline * (1 + 1e-12)
    assert total <= sum(abatements) * (1 + 1e-12)
    if len(abatements) >= 2:
        assert total < sum(abatements)  # two measures that both abate overlap
    after = curve["baseline_after"].to_numpy()
    assert np.all(np.diff(after) <= 0)  # the baseline only declines
    assert after[-1] == pytest.approx(baseline - total, rel=1e-9, abs=1e-9)
