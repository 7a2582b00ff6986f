"""Science-based targets by the absolute contraction approach (SBTi criteria v5).

Source: SOURCES.md "Targets" [R]: the absolute contraction approach is **linear** from the base
year, ``E_target = E_base × (1 − r × (T − B))`` with ``r`` = 4.2 %/yr for 1.5 °C and 2.5 %/yr
for well-below 2 °C. Compounding, ``(1 − r)^(T − B)``, is a common bug and is not what the
criteria say. The 2025/26 revision (Corporate Net-Zero Standard V2, ``cnzs-v2``) makes ``r``
depend on the base and net-zero years with a 4.2 % floor; its formula is not confirmed in our
sources (SOURCES.md: "[R, formula unconfirmed]"), so it is *known but not offered*: selecting it
is an error that says so. The method is a versioned choice, named in every result; ``aca-v5`` is
the default. The net-zero standard asks for at least 90 % absolute reduction by 2050 with the
residual neutralised (:mod:`neutra.targets.netzero`).
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import pandas as pd

from neutra.errors import PlanValidationError, Problem

METHOD = "aca-v5"  # the default method version
NET_ZERO_REDUCTION = 0.90  # SBTi net-zero standard: ≥ 90 % absolute reduction by 2050


@dataclass(frozen=True, slots=True)
class MethodVersion:
    """A named version of the absolute contraction method."""

    name: str
    title_en: str
    title_zh: str
    source: str


# Versions offered: their formula is confirmed in our sources.
METHODS: dict[str, MethodVersion] = {
    "aca-v5": MethodVersion(
        "aca-v5",
        "absolute contraction, SBTi criteria v5: linear, 4.2 %/yr (1.5 °C), 2.5 %/yr (WB2C)",
        "绝对减排法（SBTi 标准第5版）：线性，1.5 °C 每年 4.2 %，远低于 2 °C 每年 2.5 %",
        'SBTi criteria v5, as in SOURCES.md "Targets" [R]',
    ),
}
# Versions known but not offered, with the reason shown when one is selected.
KNOWN_NOT_OFFERED: dict[str, str] = {
    "cnzs-v2": (
        "SBTi Corporate Net-Zero Standard V2 (2025/26 revision): the rate depends on the base "
        "and net-zero years with a 4.2 %/yr floor, but its formula is not confirmed in our "
        "sources (SOURCES.md: [R, formula unconfirmed]), so it is not offered / 2025/26 修订版"
        "公式未经核实，暂不提供"
    ),
}


def _method_problem(method: str) -> Problem:
    """The problem of a method version that is not offered (known or unknown)."""
    offered = ", ".join(METHODS)
    if method in KNOWN_NOT_OFFERED:
        expected = f"an offered method ({offered}); {method!r} is known but not offered: "
        expected += KNOWN_NOT_OFFERED[method]
    else:
        expected = f"one of {offered} (known but not offered: {', '.join(KNOWN_NOT_OFFERED)})"
    return Problem("--method", None, "method", method, expected)


def base_and_year_problems(
    base_year: int, base_emissions: float, year: int, field: str
) -> list[Problem]:
    """The problems of a target's base-year emissions (a finite number ≥ 0, t CO2e) and of its
    ``year`` (after the base year), named as the options ``--base-emissions`` and ``--<field>``.
    """
    problems: list[Problem] = []
    finite = isinstance(base_emissions, numbers.Real) and math.isfinite(base_emissions)
    if not finite or base_emissions < 0:
        problems.append(
            Problem(
                "--base-emissions",
                None,
                "base_emissions",
                str(base_emissions),
                "a finite number ≥ 0 (t CO2e)",
            )
        )
    if year <= base_year:
        problems.append(
            Problem(
                f"--{field.replace('_', '-')}",
                None,
                field,
                str(year),
                f"a year after the base year {base_year}",
            )
        )
    return problems


class Ambition(StrEnum):
    """Temperature ambitions of the absolute contraction approach and their linear rates."""

    C15 = "1.5C"
    WB2C = "WB2C"

    @property
    def rate(self) -> float:
        return {"1.5C": 0.042, "WB2C": 0.025}[self.value]


@dataclass(frozen=True, slots=True)
class SbtTarget:
    method: str
    ambition: Ambition
    rate: float
    base_year: int
    base_emissions: float
    target_year: int
    target_emissions: float
    reduction: float  # fraction of the base
    pathway: pd.DataFrame  # year, emissions (linear from base to target)
    notes: tuple[str, ...] = ()


def absolute_contraction(
    base_year: int,
    base_emissions: float,
    target_year: int,
    ambition: str | Ambition,
    method: str = METHOD,
) -> SbtTarget:
    """The target and its linear pathway; every problem of the input at once.

    Args:
        base_year: the base year B.
        base_emissions: emissions in the base year, t CO2e.
        target_year: the target year T (after B).
        ambition: ``1.5C`` or ``WB2C``.
        method: the method version (:data:`METHODS`); a version of :data:`KNOWN_NOT_OFFERED`
            is refused with the reason.
    """
    problems = []
    if method not in METHODS:
        problems.append(_method_problem(str(method)))
    try:
        amb = Ambition(ambition)
    except ValueError:
        problems.append(Problem("--ambition", None, "ambition", str(ambition), "1.5C or WB2C"))
        amb = Ambition.C15
    problems += base_and_year_problems(base_year, base_emissions, target_year, "target_year")
    if problems:
        raise PlanValidationError(problems)
    years = np.arange(base_year, target_year + 1)
    cut = amb.rate * (years - base_year)
    notes: list[str] = []
    if cut[-1] > 1:
        notes.append(f"the linear rate reaches 100 % before {target_year}: the target is 0")
    path = base_emissions * np.maximum(1 - cut, 0.0)
    reduction = min(float(cut[-1]), 1.0)
    return SbtTarget(
        method,
        amb,
        amb.rate,
        base_year,
        float(base_emissions),
        target_year,
        float(path[-1]),
        reduction,
        pd.DataFrame({"year": years, "emissions": path}),
        tuple(notes),
    )
