"""Carbon capture, utilisation and storage (CCUS) as an abatement measure (碳捕集利用与封存).

The basis is the distinction of the IPCC Special Report on Carbon Dioxide Capture and Storage
(2005; Technical Summary and Ch. 8 "Cost and economic potential"): the CO2 **avoided** is less
than the CO2 **captured**, because capture needs energy (the energy penalty) whose own
emissions are not captured; costs are quoted per t avoided (against the same plant without
capture). With the user's numbers (none is built in):

    captured   = capture_rate × source emissions                         t CO2/yr
    penalty    = penalty energy per t × captured                          GJ/yr
    avoided    = captured − penalty × penalty emission factor             t CO2/yr
    annual cost = opex + penalty × energy price + T&S cost per t × captured − other savings
    LCOA       = (CRF(r, n) · capex + annual cost) / avoided              currency per t avoided

(the levelised cost of abatement of SOURCES.md "Techno-economics" with the avoided CO2 as the
abatement). The cost per t *captured* is also given, as the IPCC reports both. If the penalty
energy comes from the captured source itself, its emissions are partly captured: give the
penalty emission factor net of that (× (1 − capture rate)).

:meth:`CcusMeasure.to_measure` turns it into an ordinary :class:`~neutra.measures.economics.Measure`
for the MACC, the policy instruments and the portfolio.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from neutra.errors import PlanError
from neutra.measures.economics import Measure, appraise_flows, base_cash_flows, crf, npv


@dataclass(frozen=True, slots=True)
class CcusMeasure:
    """A CCUS retrofit of an emission source.

    Attributes:
        name: what the measure is.
        source_emissions_tco2: CO2 of the source reaching the capture unit, t CO2 per year.
        capture_rate: fraction of it captured (0–1).
        capex: investment, currency, in year 0.
        opex: operating cost other than the penalty energy and transport and storage,
            currency per year.
        penalty_energy_gj_per_t: extra energy per t CO2 captured, GJ/t.
        energy_price_per_gj: price of that energy, currency per GJ.
        penalty_factor_tco2_per_gj: CO2 emitted (not captured) per GJ of penalty energy,
            t CO2/GJ (0 for carbon-free energy).
        transport_storage_per_t: transport and storage (or utilisation) cost per t captured,
            currency per t CO2 (negative when the CO2 is sold).
        lifetime: years of operation (whole years ≥ 1).
        annual_savings: other savings or revenues, currency per year.
        start_year: year of the investment and first operating year, or ``None``.
        ramp_years: operating years to full capture (linear ramp), 0 or 1: full at once.
        group: mutually exclusive alternatives share a group.
    """

    name: str
    source_emissions_tco2: float
    capture_rate: float
    capex: float
    opex: float
    penalty_energy_gj_per_t: float
    energy_price_per_gj: float
    penalty_factor_tco2_per_gj: float
    transport_storage_per_t: float
    lifetime: int
    annual_savings: float = 0.0
    start_year: int | None = None
    ramp_years: int = 0
    group: str | None = None

    def __post_init__(self) -> None:
        checks = {
            "source_emissions_tco2": self.source_emissions_tco2 >= 0,
            "capture_rate": 0 <= self.capture_rate <= 1,
            "capex": self.capex >= 0,
            "penalty_energy_gj_per_t": self.penalty_energy_gj_per_t >= 0,
            "energy_price_per_gj": self.energy_price_per_gj >= 0,
            "penalty_factor_tco2_per_gj": self.penalty_factor_tco2_per_gj >= 0,
            "lifetime": self.lifetime >= 1,
        }
        for field_name, ok in checks.items():
            value = getattr(self, field_name)
            if not (ok and math.isfinite(value)):
                raise PlanError(
                    f"CCUS measure {self.name!r}: {field_name} {value!r}: expected "
                    + ("a fraction 0–1" if field_name == "capture_rate" else "a number ≥ 0")
                    + (" (whole years ≥ 1)" if field_name == "lifetime" else "")
                )

    @property
    def captured_tco2(self) -> float:
        """CO2 captured, t per year."""
        return self.capture_rate * self.source_emissions_tco2

    @property
    def penalty_energy_gj(self) -> float:
        """Extra energy for capture, GJ per year."""
        return self.penalty_energy_gj_per_t * self.captured_tco2

    @property
    def penalty_emissions_tco2(self) -> float:
        """CO2 emitted by the penalty energy, t per year."""
        return self.penalty_energy_gj * self.penalty_factor_tco2_per_gj

    @property
    def avoided_tco2(self) -> float:
        """CO2 avoided (the abatement): captured − penalty emissions, t per year."""
        return self.captured_tco2 - self.penalty_emissions_tco2

    @property
    def energy_cost(self) -> float:
        """Cost of the penalty energy, currency per year."""
        return self.penalty_energy_gj * self.energy_price_per_gj

    @property
    def transport_storage_cost(self) -> float:
        """Transport and storage of the captured CO2, currency per year."""
        return self.transport_storage_per_t * self.captured_tco2

    def to_measure(self) -> Measure:
        """The measure for the MACC: opex includes the penalty energy and T&S costs; the
        abatement is the CO2 avoided."""
        return Measure(
            name=self.name,
            capex=self.capex,
            opex=self.opex + self.energy_cost + self.transport_storage_cost,
            annual_savings=self.annual_savings,
            lifetime=int(self.lifetime),
            annual_abatement=self.avoided_tco2,
            start_year=self.start_year,
            ramp_years=self.ramp_years,
            group=self.group,
        )

    def breakdown(self, rate: float) -> dict[str, Any]:
        """Captured, penalty and avoided CO2 (t/yr), the annual costs (currency/yr) and the
        levelised cost per t avoided and per t captured at ``rate`` (``None`` where the
        denominator is ≤ 0).

        The cost is the appraisal of :meth:`to_measure` (as in
        :func:`~neutra.measures.economics.evaluate`, so a ramp is honoured):
        ``net_annual_cost`` is its equivalent annual cost ``−CRF·NPV``, the cost per t avoided
        its LCOA, the cost per t captured ``−NPV`` over the discounted CO2 captured.
        """
        measure = self.to_measure()
        flows = base_cash_flows(measure)
        a = appraise_flows(flows, rate, with_irr=False)
        avoided = self.avoided_tco2
        captured = self.captured_tco2
        pv_captured = npv(rate, flows["share"].to_numpy(dtype=np.float64) * captured)
        return {
            "name": self.name,
            "captured_tco2": captured,
            "penalty_energy_gj": self.penalty_energy_gj,
            "penalty_emissions_tco2": self.penalty_emissions_tco2,
            "avoided_tco2": avoided,
            "annualised_capex": crf(rate, self.lifetime) * self.capex,
            "opex": self.opex,
            "energy_cost": self.energy_cost,
            "transport_storage_cost": self.transport_storage_cost,
            "annual_savings": self.annual_savings,
            "net_annual_cost": a.equivalent_annual_cost,
            "cost_per_t_avoided": a.lcoa,
            "cost_per_t_captured": -a.npv / pv_captured if captured > 0 else None,
        }


__all__ = ["CcusMeasure"]
