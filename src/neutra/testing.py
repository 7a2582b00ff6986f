"""Domain assertions for tests of Neutra and of code built on it."""

from __future__ import annotations

import math

from neutra import units


def assert_quantity_close(
    actual: float,
    actual_unit: str,
    expected: float,
    expected_unit: str,
    rel: float = 1e-9,
    abs_: float = 0.0,
) -> None:
    """Assert two quantities are equal within tolerance after converting to the same unit.

    Raises:
        AssertionError: they differ by more than the tolerance (message gives both in units).
    """
    converted = actual * units.factor(actual_unit, expected_unit)
    if not math.isclose(converted, expected, rel_tol=rel, abs_tol=abs_):
        raise AssertionError(
            f"{actual} {actual_unit} = {converted} {expected_unit}, "
            f"expected {expected} {expected_unit} (rel {rel}, abs {abs_})"
        )
