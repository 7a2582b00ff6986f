"""Sparse linear expressions over labelled grids, added to linopy as frozen CSR constraints.

linopy's own arithmetic aligns xarray objects at every operation, a fixed cost of tens of
milliseconds per operation that dominates a small model such as UTOPIA. The OSeMOSYS equations
are therefore assembled here as lists of terms — the row's position on its grid (one integer
per dimension), the variable's linopy label and the coefficient — with the parameters as
labelled ``xarray.DataArray`` coefficients, and handed to linopy in one piece per family of
constraints as a :class:`linopy.constraints.CSRConstraint` (linopy's sparse constraint). The
model stays a linopy model: variables, named constraint families on their coordinates, duals,
the solution and HiGHS through linopy's direct interface.

Terms are only made where a coefficient is non-zero, so an expression is as sparse as the data
(a technology that produces one fuel gives one term per cell, not one per fuel).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import linopy
import numpy as np
import pandas as pd
import scipy.sparse  # type: ignore[import-untyped]
import xarray as xr
from linopy.constraints import CSRConstraint
from linopy.csr import Grid

IntArray = np.ndarray[Any, np.dtype[np.int64]]
FloatArray = np.ndarray[Any, np.dtype[np.float64]]


@dataclass(frozen=True)
class Expr:
    """Σ coef · variable over a grid of named dimensions, plus a constant on the grid.

    ``pos`` holds one row per term with the term's position along each of ``dims``; ``const``
    is ``None`` or a DataArray on (a subset of) the dimensions.
    """

    index: dict[str, pd.Index]  # the grid, in dimension order
    pos: IntArray  # (n_terms, n_dims)
    var: IntArray  # (n_terms,) linopy variable labels
    coef: FloatArray  # (n_terms,)
    const: xr.DataArray | None = None

    @property
    def dims(self) -> tuple[str, ...]:
        return tuple(self.index)

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(len(ix) for ix in self.index.values())

    # ---- making ----------------------------------------------------------------------------

    @classmethod
    def of(cls, variable: linopy.Variable) -> Expr:
        """The variable itself: one term per cell that is not masked."""
        labels = np.asarray(variable.labels.values)
        index = {str(d): variable.indexes[d].rename(str(d)) for d in variable.dims}
        where = np.nonzero(labels >= 0)
        pos = np.stack(where, axis=1).astype(np.int64)
        var = labels[where].astype(np.int64)
        return cls(index, pos, var, np.ones(len(var)))

    # ---- arithmetic --------------------------------------------------------------------------

    def __mul__(self, other: xr.DataArray | float) -> Expr:
        if not isinstance(other, xr.DataArray):
            factor = float(other)
            const = None if self.const is None else self.const * factor
            return Expr(self.index, self.pos, self.var, self.coef * factor, const)
        shared = [d for d in other.dims if d in self.index]
        extra = [str(d) for d in other.dims if d not in self.index]
        other = _conform(other, {d: self.index[str(d)] for d in shared})
        other = other.transpose(*shared, *extra)
        values = np.asarray(other.values, dtype=float)
        axes = [self.dims.index(str(d)) for d in shared]
        gathered = values[tuple(self.pos[:, a] for a in axes)]  # (n_terms, *extra shape)
        n = len(self.var)
        flat = gathered.reshape(n, int(np.prod(gathered.shape[1:], dtype=np.int64)))
        term, k = np.nonzero(flat)
        index = dict(self.index)
        pos = self.pos[term]
        if extra:
            extra_index = {d: other.indexes[d].rename(d) for d in extra}
            index.update(extra_index)
            extra_pos = np.stack(
                np.unravel_index(k, tuple(len(ix) for ix in extra_index.values())), axis=1
            )
            pos = np.concatenate([pos, extra_pos.astype(np.int64)], axis=1)
        const = None if self.const is None else self.const * other
        return Expr(index, pos, self.var[term], self.coef[term] * flat[term, k], const)

    def __truediv__(self, other: xr.DataArray | float) -> Expr:
        return self * (1 / other)

    def __neg__(self) -> Expr:
        return self * -1.0

    def __add__(self, other: Expr | xr.DataArray | float) -> Expr:
        if not isinstance(other, Expr):
            added = other if isinstance(other, xr.DataArray) else xr.DataArray(float(other))
            total = added if self.const is None else self.const + added
            return Expr(self.index, self.pos, self.var, self.coef, total)
        a, b = self.broadcast(other.index), other.broadcast(self.index)
        b = b.transpose(a.dims)
        const: xr.DataArray | None
        if a.const is None:
            const = b.const
        elif b.const is None:
            const = a.const
        else:
            const = a.const + b.const
        return Expr(
            a.index,
            np.concatenate([a.pos, b.pos]),
            np.concatenate([a.var, b.var]),
            np.concatenate([a.coef, b.coef]),
            const,
        )

    def __sub__(self, other: Expr | xr.DataArray | float) -> Expr:
        return self + (-other)

    # ---- reshaping ---------------------------------------------------------------------------

    def sum(self, dims: str | Sequence[str] | None = None) -> Expr:
        """Sum over ``dims`` (all when None): the terms stay, the dimensions go."""
        drop = list(self.dims) if dims is None else [dims] if isinstance(dims, str) else list(dims)
        keep = [i for i, d in enumerate(self.dims) if d not in drop]
        index = {d: ix for d, ix in self.index.items() if d not in drop}
        const = None
        if self.const is not None:
            const = self.const.sum([d for d in drop if d in self.const.dims])
        return Expr(index, self.pos[:, keep], self.var, self.coef, const)

    def rename(self, **names: str) -> Expr:
        index = {names.get(d, d): ix.rename(names.get(d, d)) for d, ix in self.index.items()}
        const = None
        if self.const is not None:
            const = self.const.rename({k: v for k, v in names.items() if k in self.const.dims})
        return Expr(index, self.pos, self.var, self.coef, const)

    def sel(self, drop: bool = False, **labels: Any) -> Expr:
        """Select members along dimensions (a list keeps the dimension; a scalar with
        ``drop`` removes it)."""
        out = self
        for dim, wanted in labels.items():
            out = out._select(dim, wanted, drop)
        return out

    def _select(self, dim: str, wanted: Any, drop: bool) -> Expr:
        axis = self.dims.index(dim)
        old = self.index[dim]
        scalar = not isinstance(wanted, list | tuple | pd.Index | np.ndarray)
        new = pd.Index([wanted] if scalar else list(wanted), name=dim)
        lookup = np.full(len(old), -1, dtype=np.int64)
        lookup[old.get_indexer(new)] = np.arange(len(new))
        moved = lookup[self.pos[:, axis]]
        keep = moved >= 0
        pos = self.pos[keep].copy()
        pos[:, axis] = moved[keep]
        index = dict(self.index)
        index[dim] = new
        const = None
        if self.const is not None:
            const = self.const.sel({dim: new}) if dim in self.const.dims else self.const
        out = Expr(index, pos, self.var[keep], self.coef[keep], const)
        if scalar and drop:
            out = out.sum(dim)
            if out.const is not None and dim in out.const.coords:
                out = Expr(out.index, out.pos, out.var, out.coef, out.const.drop_vars(dim))
        return out

    def relabel(self, **coords: pd.Index) -> Expr:
        """The same terms with a dimension's labels replaced (y−1 compared with y, …)."""
        index = dict(self.index)
        const = self.const
        for dim, labels in coords.items():
            index[dim] = pd.Index(labels, name=dim)
            if const is not None and dim in const.dims:
                const = const.assign_coords({dim: index[dim]})
        return Expr(index, self.pos, self.var, self.coef, const)

    def broadcast(self, index: Mapping[str, pd.Index]) -> Expr:
        """Repeat the terms over the dimensions of ``index`` that this expression lacks."""
        for d in index:
            if d in self.index and not self.index[d].equals(index[d]):
                raise ValueError(f"dimension {d!r} differs between the two expressions")
        missing = [d for d in index if d not in self.index]
        if not missing:
            return self
        sizes = [len(index[d]) for d in missing]
        count = int(np.prod(sizes))
        grid = np.stack(np.unravel_index(np.arange(count), sizes), axis=1).astype(np.int64)
        n = len(self.var)
        pos = np.concatenate([np.repeat(self.pos, count, axis=0), np.tile(grid, (n, 1))], axis=1)
        new_index = dict(self.index) | {d: index[d] for d in missing}
        return Expr(
            new_index,
            pos,
            np.repeat(self.var, count),
            np.repeat(self.coef, count),
            self.const,
        )

    def transpose(self, dims: Sequence[str]) -> Expr:
        order = [self.dims.index(d) for d in dims]
        return Expr(
            {d: self.index[d] for d in dims}, self.pos[:, order], self.var, self.coef, self.const
        )

    def constant_on_grid(self) -> FloatArray:
        """The constant broadcast on the grid (zeros when there is none)."""
        if self.const is None:
            return np.zeros(self.shape)
        extra = [d for d in self.const.dims if d not in self.index]
        if extra:
            raise ValueError(f"the constant has dimensions {extra} the terms do not have")
        return _on_grid(self.const, self.index).astype(float)

    # ---- into the model ----------------------------------------------------------------------

    def total(self, model: linopy.Model) -> tuple[linopy.LinearExpression, float]:
        """The expression summed to one linopy expression (an objective) and its constant."""
        coef = np.bincount(self.var, weights=self.coef, minlength=model._xCounter)
        var = np.flatnonzero(coef)
        data = xr.Dataset({"coeffs": ("_term", coef[var]), "vars": ("_term", var.astype(np.int64))})
        const = 0.0 if self.const is None else float(self.const.sum())
        return linopy.LinearExpression(data, model), const


def _conform(da: xr.DataArray, index: Mapping[Any, pd.Index]) -> xr.DataArray:
    """``da`` with its labels on the given dimensions in the given order."""
    for dim, ix in index.items():
        if dim in da.dims and not da.indexes[dim].equals(ix):
            da = da.reindex({dim: ix})
    return da


def constrain(
    model: linopy.Model,
    name: str,
    lhs: Expr,
    sign: str,
    rhs: xr.DataArray | float = 0.0,
    mask: xr.DataArray | None = None,
) -> None:
    """Add ``lhs sign rhs`` (where ``mask``) to ``model`` as one frozen constraint family.

    The grid is the union of the dimensions of the terms, the right-hand side and the mask;
    rows without a term are dropped by linopy, as for any frozen constraint.
    """
    index = dict(lhs.index)
    for extra in (rhs, mask):
        if isinstance(extra, xr.DataArray):
            for d in extra.dims:
                if d not in index:
                    index[str(d)] = extra.indexes[d].rename(str(d))
    lhs = lhs.broadcast(index)
    shape = lhs.shape
    size = int(np.prod(shape))
    target = _on_grid(rhs, lhs.index) if isinstance(rhs, xr.DataArray) else np.full(shape, rhs)
    target = (target - lhs.constant_on_grid()).reshape(size)
    active = np.ones(size, dtype=bool)
    if mask is not None:
        active = _on_grid(mask, lhs.index).astype(bool).reshape(size)
    rows = np.ravel_multi_index(tuple(lhs.pos.T), shape) if len(lhs.var) else np.zeros(0, int)
    positions = np.flatnonzero(active)
    order = np.full(size, -1, dtype=np.int64)
    order[positions] = np.arange(len(positions))
    row = order[rows]
    keep = (row >= 0) & (lhs.coef != 0)
    matrix = scipy.sparse.csr_array(
        (lhs.coef[keep], (row[keep], lhs.var[keep])),
        shape=(len(positions), model._xCounter),
    )
    matrix.sum_duplicates()
    matrix.eliminate_zeros()
    grid = Grid.from_coords(list(lhs.index.values()))
    con = CSRConstraint(matrix, positions, target[positions], sign, grid, model, name)
    model.add_constraints(con, name=name, freeze=True)


def _on_grid(da: xr.DataArray, index: Mapping[str, pd.Index]) -> FloatArray:
    da = _conform(da, index)
    missing = [d for d in da.dims if d not in index]
    if missing:
        raise ValueError(f"dimensions {missing} are not on the constraint's grid")
    shape = [len(ix) for ix in index.values()]
    zeros = xr.DataArray(np.zeros(shape), coords=list(index.values()), dims=list(index))
    return np.asarray(da.broadcast_like(zeros).transpose(*index).values)


__all__ = ["Expr", "constrain"]
