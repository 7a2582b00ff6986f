"""Transformation modules as pure array functions: requirement, capacity, dispatch, inputs.

LEAP's transformation logic (SEI, LEAP help "Transformation", "Processes", "Endogenous capacity"):

* requirement: a module must produce ``P = D / (1 − losses − own use)`` for a demand ``D`` of its
  output fuel (final demand plus the inputs of modules calculated before it);
* imports: an exogenous share of ``P``, plus any shortfall of local capacity;
* capacity: exogenous capacity plus endogenous additions, built in the listed order and sizes
  whenever capacity falls below the peak load × (1 + planning reserve margin), where the peak
  load is ``P / (8760 h × load factor)``; additions stay once built;
* dispatch of the local output: by percent share, in merit order up to each process's available
  energy (capacity × availability × 8760 h), or in proportion to available energy;
* inputs: ``output / efficiency`` split by input shares.

Arrays have years on the last axis and optional leading axes (Monte Carlo draws).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from neutra.errors import CalculationError

FloatArray = npt.NDArray[np.float64]
HOURS_PER_YEAR = 8760.0
GJ_PER_MWH = 3.6


def production(demand: FloatArray, losses: FloatArray, own_use: FloatArray) -> FloatArray:
    """Output a module must produce to deliver ``demand`` after losses and own use."""
    keep = 1.0 - losses - own_use
    if np.any(keep <= 0):
        raise CalculationError("losses plus own use below 100 % of the module's output")
    return demand / keep


def available_energy(capacity_mw: FloatArray, availability: FloatArray) -> FloatArray:
    """GJ a process can produce in a year: MW × availability × 8760 h × 3.6 GJ/MWh."""
    return capacity_mw * availability * HOURS_PER_YEAR * GJ_PER_MWH


def additions(
    required_mw: FloatArray, existing_mw: FloatArray, sizes_mw: Sequence[float]
) -> FloatArray:
    """How many of the listed additions are built by each year, shape ``(..., T, K)`` of 0/1.

    The capacity needed beyond the existing is ``max(0, required − existing)``; additions are
    never retired, so each year builds on the largest need so far. The first ``k`` additions are
    built where their cumulative size is the first to reach that need (all of them, if the
    list runs out: the rest is a shortfall met by imports).
    """
    need = np.maximum.accumulate(np.maximum(required_mw - existing_mw, 0.0), axis=-1)
    cum = np.cumsum(np.asarray(sizes_mw, dtype=np.float64))
    if cum.size == 0:
        return np.zeros((*need.shape, 0))
    before = np.concatenate([[0.0], cum[:-1]])
    # Addition i is built once the need exceeds what the additions before it provide.
    built = need[..., None] > before + 1e-9 * np.maximum(cum[-1], 1.0)
    out: FloatArray = built.astype(np.float64)
    return out


def dispatch(
    method: str,
    local: FloatArray,
    available: Sequence[FloatArray],
    shares: Sequence[FloatArray],
    merit: Sequence[int],
) -> tuple[list[FloatArray], FloatArray]:
    """Split a module's local output among its processes; returns outputs and the shortfall.

    ``share``: output × share (shares are fractions summing to 1, capacity not binding);
    ``merit``: fill processes in ``merit`` order, each up to its available energy;
    ``capacity``: in proportion to available energy, each at most its available energy.
    """
    n = len(available)
    zero = np.zeros_like(local)
    if method == "share":
        total = sum(shares, start=zero)
        bad = np.abs(total - 1.0) > 1e-6
        if np.any(bad):
            raise CalculationError(
                "process shares summing to 100 % (they sum to "
                f"{float(np.max(np.where(bad, total, 0)) * 100):.4g} %)"
            )
        return [local * s for s in shares], zero
    if method == "merit":
        remaining = local
        outs: list[FloatArray] = [zero] * n
        for i in sorted(range(n), key=lambda k: merit[k]):
            take = np.minimum(remaining, available[i])
            outs[i] = take
            remaining = remaining - take
        return outs, np.maximum(remaining, 0.0)
    if method == "capacity":
        total = sum(available, start=zero)
        with np.errstate(divide="ignore", invalid="ignore"):
            frac = np.where(total > 0, np.minimum(local / total, 1.0), 0.0)
        return [a * frac for a in available], np.maximum(local - total, 0.0)
    raise CalculationError(f"dispatch {method!r}: expected share, merit or capacity")
