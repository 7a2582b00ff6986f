"""Science-based targets by the absolute contraction approach (SBTi criteria v5).

Source: SOURCES.md "Targets" [R]: the absolute contraction approach is **linear** from the base
year, ``E_target = E_base × (1 − r × (T − B))`` with ``r`` = 4.2 %/yr for 1.5 °C and 2.5 %/yr
for well-below 2 °C. Compounding, ``(1 − r)^(T − B)``, is a common bug and is not what the
criteria say. The 2025/26 revision makes ``r`` depend on the base and net-zero years with a
4.2 % floor; its formula is not confirmed in our sources, so it is not offered (the method is a
versioned choice: ``aca-v5``). The net-zero standard asks for at least 90 % absolute reduction by
2050 with the residual neutralised.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import pandas as pd

from neutra.errors import PlanValidationError, Problem

METHOD = "aca-v5"
NET_ZERO_REDUCTION = 0.90  # SBTi net-zero standard: ≥ 90 % absolute reduction by 2050


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
    base_year: int, base_emissions: float, target_year: int, ambition: str | Ambition
) -> SbtTarget:
    """The target and its linear pathway; every problem of the input at once."""
    problems = []
    try:
        amb = Ambition(ambition)
    except ValueError:
        problems.append(Problem("--ambition", None, "ambition", str(ambition), "1.5C or WB2C"))
        amb = Ambition.C15
    if not np.isfinite(base_emissions) or base_emissions < 0:
        problems.append(
            Problem(
                "--base-emissions",
                None,
                "base_emissions",
                str(base_emissions),
                "a finite number ≥ 0 (t CO2e)",
            )
        )
    if target_year <= base_year:
        problems.append(
            Problem(
                "--target-year",
                None,
                "target_year",
                str(target_year),
                f"a year after the base year {base_year}",
            )
        )
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
        METHOD,
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
