"""Values of branch variables in one scenario: LEAP's look-up order, units, references.

A variable's value in a scenario comes from the first owner in the look-up order that has an
expression for it (the scenario, its measures, its parents and theirs, Current Accounts), else
from the variable's default. In every scenario the base year is Current Accounts' value. An
expression's ``Inherited`` is the value the next owner down the order would give; its
``BaseYearValue`` is Current Accounts' base-year value. Values are kept in each variable's
canonical unit (the unit of its Current Accounts row, else of its first row) as float arrays of
shape ``(..., T)``; the leading axes are Monte Carlo draws when there are any.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from neutra import units
from neutra.errors import CalculationError, ExpressionError, PlanError, PlanValidationError
from neutra.simulate.catalogue import VARIABLES, Kind
from neutra.simulate.expressions import Expr, Ref, evaluate
from neutra.simulate.model import CURRENT, KEY, Assignment, Key, SimModel, path_text

FloatArray = npt.NDArray[np.float64]
# Variables whose values may be below zero (a driver, a process factor of a gas taken up).
MAY_BE_NEGATIVE = frozenset({"value", "process_ef"})


def key_text(key: Key) -> str:
    path, variable, sub = key
    return f"{path_text(path)}:{variable}" + (f"[{sub}]" if sub else "")


@dataclass(frozen=True, slots=True)
class Source:
    """Where a value came from: the assignment used (``None``: the default) and its unit."""

    assignment: Assignment | None
    unit: str
    default: float | None = None


class _Ctx:
    """The expression context of one assignment."""

    def __init__(self, ev: Evaluator, key: Key, index: int, scale: float) -> None:
        self.ev = ev
        self.key = key
        self.index = index
        self.scale = scale
        self.years = ev.years
        self.base_year = int(ev.years[0])

    def ref(self, ref: Ref) -> FloatArray:
        if ref.driver:
            return self.ev.value(((KEY, ref.path[-1]), "value", ""))
        return self.ev.value((tuple(ref.path), ref.variable or "activity", ""))

    def base_value(self) -> FloatArray | float:
        if self.ev.owners[self.index] == CURRENT:
            raise CalculationError(
                f"{key_text(self.key)}: BaseYearValue in a Current Accounts expression "
                "(it is the value being defined)"
            )
        return self.ev.base_value(self.key) / self.scale

    def inherited(self) -> FloatArray:
        return self.ev.value_from(self.key, self.index + 1) / self.scale

    def siblings_sum(self) -> FloatArray:
        path = self.key[0]
        total: FloatArray = np.zeros(len(self.years))
        for sib in self.ev.model.children.get(path[:-1], []):
            if sib != path and self.ev.model.branches[sib].kind == Kind.SHARE:
                total = total + self.ev.value((sib, "activity", ""))
        return total / self.scale


class Evaluator:
    """Evaluates variables of one scenario (with some measures enabled), caching each once."""

    def __init__(
        self,
        model: SimModel,
        owners: list[str],
        multipliers: Mapping[Key, FloatArray] | None = None,
        shared: dict[Key, tuple[FloatArray, Source]] | None = None,
    ) -> None:
        self.model = model
        self.owners = owners
        self.years = np.asarray(model.years, dtype=np.int64)
        self.multipliers = dict(multipliers or {})
        self.cache: dict[Key, FloatArray] = {}
        self.sources: dict[Key, Source] = {}
        self._partial: dict[tuple[Key, int], FloatArray] = {}
        self._busy: list[tuple[Key, int]] = []
        self._current = owners.index(CURRENT)
        # Values that do not depend on the scenario (Current Accounts or the default, with no
        # reference to anything else), shared by every run of a model.
        self.shared = shared if shared is not None else {}
        book = model.assignments
        self._scenario_keys: set[Key] = set()
        for o in owners[: self._current]:
            self._scenario_keys.update(book.get(o, {}))
        self._all_keys = self._scenario_keys | set(book.get(CURRENT, {}))

    def unit(self, key: Key) -> str:
        """The canonical unit of a key's values."""
        found = self.model.canonical_units.get(key)
        if found:
            return found
        path, variable, _ = key
        var = VARIABLES[variable]
        if var.default_unit:
            return var.default_unit
        if variable in ("activity", "stock", "sales"):
            return self.model.branches[path].unit
        if variable == "lifetime":
            return "year"
        return "dimensionless"

    def value(self, key: Key) -> FloatArray:
        found = self.cache.get(key)
        if found is None:
            found = self.value_from(key, 0)
            m = self.multipliers.get(key)
            if m is not None:
                # Uncertainty scales the projected change; the base year stays observed.
                base = found[..., :1]
                found = base + m * (found - base)
            self.cache[key] = found
        return found

    def has(self, key: Key) -> bool:
        """Whether any owner of the look-up order gives the key a value."""
        return key in self._all_keys

    def _check_values(self, key: Key, a: Assignment, out: FloatArray) -> None:
        """A value must be finite, and ≥ 0 unless the variable may be negative."""
        bad = ~np.isfinite(out)
        what = "a finite value"
        if not bad.any() and key[1] not in MAY_BE_NEGATIVE:
            bad = out < 0
            what = "a value ≥ 0"
        if bad.any():
            year = int(self.years[np.argwhere(bad)[0][-1]])
            where = (
                f"scenario {self.owners[0]}" if self.owners[0] != CURRENT else "Current Accounts"
            )
            raise PlanValidationError(
                [
                    a.origin.problem(
                        "expression",
                        a.expr.text,
                        f"{what} of {key[1]} ({where} gives "
                        f"{float(out[np.unravel_index(np.argmax(bad), bad.shape)]):g} "
                        f"in {year})",
                    )
                ]
            )

    def _has_base(self, key: Key) -> bool:
        """Whether Current Accounts (or the variable's default) give a base-year value."""
        if key in self.model.assignments.get(CURRENT, {}):
            return True
        var = VARIABLES[key[1]]
        return var.default is not None or key[1] == "input_share"

    def current(self, key: Key) -> FloatArray:
        """The key's values as Current Accounts alone give them (every year)."""
        return self.value_from(key, self._current)

    def base_value(self, key: Key) -> FloatArray:
        if not self._has_base(key):
            raise CalculationError(
                f"{key_text(key)}: BaseYearValue (or Interp/Step/Growth from the base year) "
                "needs a Current Accounts value of this variable"
            )
        return self.value_from(key, self._current)[..., 0]

    def value_from(self, key: Key, start: int) -> FloatArray:
        """The key's value looked up from ``owners[start]`` on (``Inherited`` starts below)."""
        if start == 0:
            hit = self.shared.get(key)
            if hit is not None and key not in self._scenario_keys:
                self.sources[key] = hit[1]
                return hit[0]
        for j in range(start, len(self.owners)):
            a = self.model.assignments.get(self.owners[j], {}).get(key)
            if a is not None:
                out = self._assigned(key, j, a, record=start == 0)
                if start == 0 and j == self._current and _standalone(a.expr):
                    out.setflags(write=False)
                    self.shared[key] = (out, self.sources[key])
                return out
        var = VARIABLES[key[1]]
        default = var.default
        if key[1] == "input_share":
            b = self.model.branches[key[0]]
            default = 100.0 if key[2] == b.fuel else 0.0
        if default is None:
            expected = (
                f"a value of {key[1]} for {path_text(key[0])}: none in the scenario "
                f"{self.owners[0]}, its measures and parents, or Current Accounts"
            )
            node = self.model.branches.get(key[0])
            if node is not None and node.origin is not None:
                raise PlanValidationError([node.origin.problem("branch", node.text, expected)])
            raise CalculationError(expected)
        unit = self.unit(key)
        scale = units.factor(var.default_unit, unit) if var.default_unit else 1.0
        out = np.full(len(self.years), default * scale)
        if start == 0:
            self.sources[key] = Source(None, unit, default)
            out.setflags(write=False)
            self.shared[key] = (out, self.sources[key])
        return out

    def _assigned(self, key: Key, j: int, a: Assignment, record: bool) -> FloatArray:
        memo = self._partial.get((key, j))
        if memo is not None:
            return memo
        if (key, j) in self._busy:
            chain = [key_text(k) for k, _ in self._busy[self._busy.index((key, j)) :]]
            raise CalculationError(
                f"{a.origin.file} row {a.origin.row}: circular reference "
                + " → ".join([*chain, key_text(key)])
            )
        unit = self.unit(key)
        scale = units.factor(a.unit, unit) if a.unit and a.unit != unit else 1.0
        if a.expr.constant is not None:  # most values are plain numbers: no evaluation
            out = np.full(len(self.years), a.expr.constant * scale)
        else:
            self._busy.append((key, j))
            try:
                out = _evaluate(a.expr, _Ctx(self, key, j, scale)) * scale
            except PlanValidationError:
                raise
            except (CalculationError, ExpressionError) as exc:
                where = (
                    f"scenario {self.owners[0]}"
                    if self.owners[0] != CURRENT
                    else "Current Accounts"
                )
                raise PlanValidationError(
                    [
                        a.origin.problem(
                            "expression",
                            a.expr.text,
                            f"an expression that can be evaluated ({where}): {exc}",
                        )
                    ]
                ) from exc
            finally:
                self._busy.pop()
        if self.owners[j] != CURRENT and self._has_base(key):
            out = np.array(out, dtype=np.float64, copy=True)
            out[..., 0] = self.base_value(key)
        self._check_values(key, a, out)
        if record:
            self.sources[key] = Source(a, unit)
        self._partial[(key, j)] = out
        return out


def _standalone(expr: Expr) -> bool:
    """Whether an expression's value depends on nothing but itself and the years."""
    return not (expr.refs or expr.uses_inherited or expr.uses_siblings or expr.uses_base)


def _evaluate(expr: Expr, ctx: _Ctx) -> FloatArray:
    try:
        return evaluate(expr, ctx)
    except (CalculationError, PlanError):
        raise
    except (ValueError, ArithmeticError) as exc:
        raise CalculationError(f"{expr.text!r}: {exc}") from exc
