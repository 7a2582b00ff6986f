"""The sparse assembly of constraints gives the rows linopy's own arithmetic gives.

linopy (dense, xarray-aligned) is the oracle: the same expression is written both ways in two
models with the same variables, and the constraint matrices, right-hand sides and signs must
hold the same rows.
"""

from __future__ import annotations

from typing import Any

import linopy
import numpy as np
import pandas as pd
import pytest
import xarray as xr
from hypothesis import given, settings
from hypothesis import strategies as st

from neutra.optimize.sparse import Expr, constrain

A = pd.Index(["a0", "a1", "a2"], name="a")
B = pd.Index([2020, 2021, 2022, 2023], name="b")
C = pd.Index(["c0", "c1"], name="c")


def _rows(m: linopy.Model) -> list[tuple[Any, ...]]:
    """Each row as (coefficients by variable label, sign, rhs), sorted; empty rows dropped."""
    mat = m.matrices
    dense = mat.A.toarray() if mat.A is not None else np.zeros((0, len(mat.vlabels)))
    out = []
    for i in range(dense.shape[0]):
        row = np.round(dense[i], 9)
        if not row.any():
            continue
        sign = str(mat.sense[i])
        scale = 1.0
        out.append((tuple(row * scale), sign, round(float(mat.b[i]), 9)))
    return sorted(out)


def _pair(mask: np.ndarray) -> tuple[linopy.Model, Any, Any, linopy.Model, Any, Any]:
    out: list[Any] = []
    for _ in range(2):
        m = linopy.Model(force_dim_names=True)
        x = m.add_variables(lower=0, coords=[A, B], name="x", mask=xr.DataArray(mask, [A, B]))
        y = m.add_variables(lower=0, coords=[B, C], name="y")
        out += [m, x, y]
    return tuple(out)  # type: ignore[return-value]


arrays = st.integers(0, 2**31 - 1).map(lambda seed: np.random.default_rng(seed))


@settings(max_examples=40, deadline=None)
@given(rng=arrays)
def test_products_sums_and_constants_match_linopy(rng: np.random.Generator) -> None:
    mask = rng.random((3, 4)) > 0.2
    coef_bc = np.where(rng.random((4, 2)) > 0.3, rng.normal(size=(4, 2)), 0.0)
    coef_ab = rng.normal(size=(3, 4))
    const_b = rng.normal(size=4)
    rhs_bc = rng.normal(size=(4, 2))
    m1, x1, y1, m2, x2, y2 = _pair(mask)
    c_bc = xr.DataArray(coef_bc, [B, C])
    c_ab = xr.DataArray(coef_ab, [A, B])
    k_b = xr.DataArray(const_b, [B])
    r_bc = xr.DataArray(rhs_bc, [B, C])
    # (Σ_a coef_ab · x) · coef_bc − y + const_b  ≥  rhs (b, c)
    native = ((x1.fillna(0) * c_ab).sum("a") * c_bc) - y1 + k_b
    m1.add_constraints(native >= r_bc, name="k")
    ours = ((Expr.of(x2) * c_ab).sum("a") * c_bc) - Expr.of(y2) + k_b
    constrain(m2, "k", ours, ">=", r_bc)
    assert _rows(m1) == _rows(m2)


@settings(max_examples=30, deadline=None)
@given(rng=arrays)
def test_shifted_years_and_masks_match_linopy(rng: np.random.Generator) -> None:
    mask = rng.random((3, 4)) > 0.2
    keep = xr.DataArray(rng.random((3, 3)) > 0.3, [A, B[1:]])
    m1, x1, _, m2, x2, _ = _pair(mask)
    later, before = B[1:], B[:-1]
    x0 = x1.fillna(0)
    native = x0.sel(b=later) - x0.sel(b=before).assign_coords(b=later)
    m1.add_constraints(native <= 1.5, name="k", mask=keep)
    ex = Expr.of(x2)
    ours = ex.sel(b=later) - ex.sel(b=before).relabel(b=later)
    constrain(m2, "k", ours, "<=", 1.5, mask=keep)
    assert _rows(m1) == _rows(m2)


def test_a_scalar_selection_drops_the_dimension() -> None:
    m = linopy.Model(force_dim_names=True)
    x = Expr.of(m.add_variables(coords=[A, B], name="x"))
    first = x.sel(b=2020, drop=True)
    assert first.dims == ("a",)
    assert len(first.var) == 3


def test_expressions_on_different_labels_do_not_combine() -> None:
    m = linopy.Model(force_dim_names=True)
    x = Expr.of(m.add_variables(coords=[A, B], name="x"))
    with pytest.raises(ValueError, match="dimension 'b' differs"):
        _ = x.sel(b=B[1:]) - x.sel(b=B[:-1])


def test_zero_coefficients_make_no_terms() -> None:
    m = linopy.Model(force_dim_names=True)
    x = Expr.of(m.add_variables(coords=[A, B], name="x"))
    coef = xr.DataArray(np.zeros((4, 2)), [B, C])
    assert len((x * coef).var) == 0


def test_the_objective_sums_duplicate_terms() -> None:
    m = linopy.Model(force_dim_names=True)
    x = Expr.of(m.add_variables(coords=[A], name="x"))
    total, const = (x * 2.0 + x + 4.0).sum().total(m)
    assert const == pytest.approx(4.0)
    assert sorted(np.asarray(total.coeffs.values).ravel().tolist()) == [3.0, 3.0, 3.0]
