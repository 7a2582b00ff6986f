"""Emission factors the simulation uses, per gigajoule of fuel, from the plan's factor sets.

The same resolver as the inventory (IPCC 2006 Vol. 2 Ch. 1–2 defaults, or the plan's own and
national sets, whichever the plan names): combustion factors of a fuel burnt, in tonnes of gas
per GJ with the oxidation factor applied, and the grid factor electricity imports carry. Every
factor keeps its ids and status so that results can name them.
"""

from __future__ import annotations

from dataclasses import dataclass

from neutra.inventory.gases import GwpSet
from neutra.inventory.recipes import Resolver
from neutra.model.enums import Category
from neutra.simulate.catalogue import NON_COMBUSTION_FUELS

J_PER_GJ = 1e9


@dataclass(frozen=True, slots=True)
class GasFactor:
    gas: str
    t_per_gj: float  # tonnes of gas per GJ of fuel
    gwp: float
    ids: str  # factor ids, ';'-separated
    status: str


@dataclass(frozen=True, slots=True)
class FuelFactors:
    fuel: str
    category: str
    gases: tuple[GasFactor, ...]
    note: str = ""

    @property
    def co2(self) -> float:
        return sum(g.t_per_gj for g in self.gases if g.gas == "CO2")

    @property
    def co2e(self) -> float:
        return sum(g.t_per_gj * g.gwp for g in self.gases)


def combustion(
    resolver: Resolver, gwp: GwpSet, fuel: str, category: str = "stationary_combustion"
) -> FuelFactors | str:
    """Factors of ``fuel`` burnt (zero for electricity, heat, hydrogen, solar, …), or why not."""
    if fuel in NON_COMBUSTION_FUELS:
        return FuelFactors(fuel, category, (), "no combustion where it is used")
    r = resolver.recipe(Category(category).value, fuel, "GJ")
    if r.error is not None:
        return r.error
    gases = []
    for t in r.terms:
        if t.biogenic:
            continue
        per_gj = t.coef * J_PER_GJ * (r.oxidation if t.oxidised else 1.0) * t.share / 1000.0
        ids = ";".join(dict.fromkeys(t.factor_ids + (r.oxidation_ids if t.oxidised else ())))
        gases.append(
            GasFactor(t.gas, per_gj, gwp.value(t.gas, t.origin).value, ids, t.status.value)
        )
    return FuelFactors(fuel, category, tuple(gases))


def grid(resolver: Resolver, region: str, year: int) -> tuple[GasFactor, str] | str:
    """The location-based grid factor for electricity from ``region`` (t CO2 per GJ) and the
    fallback used (``exact``, ``earlier_year``, …), or why there is none."""
    rec, tag = resolver.grid_factor("electricity", region, year)
    if rec is None:
        return f"a grid region with a location-based electricity factor; got {region!r}"
    r = resolver.recipe("electricity", "electricity", "GJ", region, year)
    if r.error is not None or not r.terms:
        return r.error or f"a grid factor for {region!r}"
    t = r.terms[0]
    return GasFactor(
        "CO2", t.coef * J_PER_GJ / 1000.0, 1.0, ";".join(t.factor_ids), t.status.value
    ), tag
