"""Gas names and GWP lookups (100-year GWP sets: SAR, AR4, AR5, AR6, AR6-fossil-split)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from neutra.errors import ReferenceDataError
from neutra.refdata.library import gwp_table

CO2E = "CO2e"  # a factor already expressed in CO2e by its source


def gas_key(text: str) -> str:
    """Comparable form of a gas name: ``HFC-134a`` → ``HFC134A``."""
    return re.sub(r"[\s\-_]", "", text).upper()


@dataclass(frozen=True, slots=True)
class GwpValue:
    gas: str
    origin: str
    value: float
    source: str
    status: str
    factor_id: str


class GwpSet:
    """The GWP values of one named set, with the fossil / non-fossil CH4 split where it has one."""

    def __init__(self, name: str) -> None:
        self.name = name
        t = gwp_table(name)
        self._values: dict[tuple[str, str], GwpValue] = {}
        self.names: dict[str, str] = {}
        for rec in t.itertuples():
            key = gas_key(str(rec.gas))
            origin = str(rec.origin or "")
            fid = f"gwp:{name}:{rec.gas}" + (f":{origin}" if origin else "")
            self._values[(key, origin)] = GwpValue(
                str(rec.gas), origin, float(rec.value), str(rec.source), str(rec.status), fid
            )
            self.names[key] = str(rec.gas)

    def canonical(self, text: str) -> str | None:
        """The set's spelling of a gas name (``R-134a`` → ``HFC134a``), or ``None``."""
        key = gas_key(text)
        candidates = [key]
        if re.fullmatch(r"R\d{2,3}[A-Z]{0,2}", key):  # ASHRAE 34 refrigerant numbers
            candidates += [p + key[1:] for p in ("HFC", "HCFC", "CFC", "PFC")]
        for c in candidates:
            if c in self.names:
                return self.names[c]
        return None

    def value(self, gas: str, origin: str = "fossil") -> GwpValue:
        """GWP of ``gas``; ``origin`` (fossil / non_fossil) matters only where the set splits."""
        if gas == CO2E:
            return GwpValue(CO2E, "", 1.0, "factor already in CO2e", "reported", "")
        key = gas_key(gas)
        for k in ((key, origin), (key, "")):
            if k in self._values:
                return self._values[k]
        raise ReferenceDataError(f"GWP set {self.name} has no value for {gas}")


def gwp_for(library: Any, name: str) -> GwpSet:
    """The GWP set ``name``, built once per factor library."""
    key = ("gwp", name)
    found = library.cache.get(key)
    if not isinstance(found, GwpSet):
        found = GwpSet(name)
        library.cache[key] = found
    return found
