"""Neutra's errors: one hierarchy, every error names where the bad input is.

::

    NeutraError
    ├── PlanError (ValueError)             a plan that cannot be used
    │   ├── PlanValidationError            every problem of the plan's files at once
    │   └── ExpressionError                a scenario formula that does not parse or cannot be used
    ├── UnitError (ValueError)             a unit text that does not parse
    │   └── UnitDimensionError (TypeError) a unit of the wrong dimension
    ├── ReferenceDataError (LookupError)   a factor set, factor or GWP that is missing or broken
    ├── CalculationError (ArithmeticError) an inventory that cannot be computed from valid input
    └── StoreError (RuntimeError)          the results store cannot be read or written

Each concrete error is also a builtin exception, so ``except ValueError`` keeps working.
Messages are built from structured fields; :class:`Problem` is one located problem.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem in the user's input, located precisely.

    Attributes:
        file: file name (or ``workbook.xlsx[sheet]``) the problem is in.
        row: 1-based row as the user sees it (the header is row 1), or ``None`` for the file.
        field: column or key name, or ``None`` for the whole row or file.
        value: the offending value as text, or ``None``.
        expected: what would have been accepted.
        cell: spreadsheet cell reference (``F12``) where the input is a workbook.
        rows: every row with the same problem, when there are several (``row`` is the first).
    """

    file: str
    row: int | None
    field: str | None
    value: str | None
    expected: str
    cell: str | None = None
    rows: tuple[int, ...] = ()

    def where(self) -> str:
        parts = [self.file]
        if len(self.rows) > 1:
            shown = ", ".join(str(r) for r in self.rows[:10])
            more = ", …" if len(self.rows) > 10 else ""
            parts.append(f"rows {shown}{more} ({len(self.rows)} rows)")
        elif self.cell:
            parts.append(f"cell {self.cell}")
        elif self.row is not None:
            parts.append(f"row {self.row}")
        if self.field:
            parts.append(f"field '{self.field}'")
        return ", ".join(parts)

    def __str__(self) -> str:
        got = "" if self.value is None else f": got {self.value!r}"
        return f"{self.where()}{got}; expected {self.expected}"


class NeutraError(Exception):
    """Base class of every error Neutra raises on purpose."""


class PlanError(NeutraError, ValueError):
    """A plan that cannot be used."""


class PlanValidationError(PlanError):
    """All problems found in a plan's files; raised once, after collecting them all."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        # Ordered by file, then row, as the user will fix them.
        self.problems: tuple[Problem, ...] = tuple(
            sorted(problems, key=lambda p: (p.file, p.row if p.row is not None else 0))
        )
        n = len(self.problems)
        lines = [f"{n} problem{'s' if n != 1 else ''} in the plan / 计划文件中有 {n} 处问题:"]
        lines += [f"  - {p}" for p in self.problems]
        super().__init__("\n".join(lines))


class ExpressionError(PlanError):
    """A scenario formula (LEAP-style expression) that does not parse or cannot be evaluated.

    Attributes:
        text: the expression as the user wrote it.
        position: 0-based character offset of the problem in ``text``, or -1 for the whole text.
        reason: what is wrong, in words.
    """

    def __init__(self, text: str, position: int, reason: str) -> None:
        self.text = text
        self.position = position
        self.reason = reason
        where = f" at position {position}" if position >= 0 else ""
        super().__init__(f"{reason}{where} in {text!r}")

    def __reduce__(self) -> tuple[type[ExpressionError], tuple[str, int, str]]:
        return (type(self), (self.text, self.position, self.reason))


class UnitError(NeutraError, ValueError):
    """A unit text that does not parse."""

    def __init__(self, text: str, expected: str, reason: str = "") -> None:
        self.text = text
        self.expected = expected
        self.reason = reason
        extra = f" ({reason})" if reason else ""
        super().__init__(f"unit {text!r} is not understood{extra}; expected {expected}")


class UnitDimensionError(UnitError, TypeError):
    """A unit that parses but has the wrong dimension for its use."""

    def __init__(self, text: str, expected: str, dimension: str) -> None:
        self.dimension = dimension
        NeutraError.__init__(self, f"unit {text!r} has dimension {dimension}; expected {expected}")
        self.text = text
        self.expected = expected
        self.reason = dimension


class ReferenceDataError(NeutraError, LookupError):
    """A factor set, factor or GWP value that is missing or malformed."""


class CalculationError(NeutraError, ArithmeticError):
    """An inventory that cannot be computed although its input validated."""


class StoreError(NeutraError, RuntimeError):
    """The results store cannot be opened, read or written."""


def choices(values: Sequence[str], got: str, lead: str = "one of") -> str:
    """What was expected of a text: ``one of a, b, c``, with a hint at the value nearest
    ``got`` (`` (did you mean 'b'?)``); ``none`` when there is nothing to choose from."""
    if not values:
        return "none"
    near = difflib.get_close_matches(got, list(values), n=1)
    hint = f" (did you mean '{near[0]}'?)" if near else ""
    return f"{lead} {', '.join(values)}{hint}"


def raise_if_problems(problems: Iterable[Problem]) -> None:
    """Raise one :class:`PlanValidationError` listing every problem, if there are any."""
    found = list(problems)
    if found:
        raise PlanValidationError(found)
