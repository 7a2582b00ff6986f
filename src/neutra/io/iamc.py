"""Scenario-simulation results in the IAMC time-series format (readable by pyam).

Format
------
The long ("tidy") IAMC format of the Integrated Assessment Modeling Consortium, as read and
written by pyam (``pyam.IamDataFrame``): one row per data point with exactly the columns
``model, scenario, region, variable, unit, year, value``. Variable names are hierarchical,
levels separated by ``|`` (``Final Energy|Industry``). :func:`write_iamc` writes it as UTF-8 CSV
or as an XLSX workbook whose sheet ``data`` holds the long table (the sheet pyam reads by
default) and sheet ``data_wide`` the same data with one column per year.

Sources: the pyam documentation (data model and ``IamDataFrame`` columns) and the IAMC variable
names and units of the IPCC AR6 scenario database as maintained in the IAMC common definitions
(github.com/IAMconsortium/common-definitions, ``definitions/variable/emissions/emissions.yaml``,
``carbon-management.yaml``, ``energy/primary-energy.yaml``, ``final-energy.yaml``, …).

Variables and units
-------------------
Emissions (territorial; every CO2 variable is net of capture, removals negative):

* ``Emissions|CO2`` [Mt CO2/yr] = ``|Energy`` + ``|Industrial Processes`` + ``|AFOLU``
  (+ ``|Other`` for flows of an unknown source, only when there are any);
* ``Emissions|CO2|Energy`` = ``|Energy|Demand`` + ``|Energy|Supply``;
* ``Emissions|CO2|Energy|Demand|<Sector>`` — fuel combustion of the demand branches, by the
  ``sector`` of the result, title-cased (a sector whose name is a final-energy carrier name, e.g.
  ``Other``, gets `` Sector`` appended, as in AR6's ``Other Sector``);
* ``Emissions|CO2|Energy|Supply|<Module>`` — transformation (the last segment of the module's
  path, ``Supply/Electricity`` → ``Electricity``);
* ``Emissions|CO2|Industrial Processes`` and ``|Industrial Processes|<Sector>`` — process
  emissions of the demand branches;
* ``Emissions|CO2|AFOLU`` — sinks (negative);
* ``Emissions|Kyoto Gases`` [Mt CO2-equiv/yr] — CO2, CH4, N2O, HFCs, PFCs, SF6 and NF3 weighted
  with the result's GWP set (``result.gwp_set``), CO2 net as above;
* ``Emissions|CH4`` [Mt CH4/yr], ``Emissions|N2O`` [kt N2O/yr], ``Emissions|F-Gases``
  [Mt CO2-equiv/yr] (HFCs, PFCs, SF6, NF3);
* ``Emissions|Non-Kyoto Gases`` [Mt CO2-equiv/yr] — Neutra-specific, only when the result has
  any: gases the GWP set weighs that are outside the Kyoto basket (CFCs, HCFCs, halons, HFEs, …);
* ``Carbon Capture`` [Mt CO2/yr, positive] = ``|Energy`` + ``|Industrial Processes``;
  ``Carbon Capture|Energy`` = ``|Energy|Demand`` (``|<Sector>``) + ``|Energy|Supply``
  (``|<Module>``); ``Carbon Capture|Industrial Processes|<Sector>``.
* ``Indirect Emissions|CO2|Imports`` and ``|Imports|<Carrier>`` [Mt CO2/yr] — Neutra-specific:
  emissions embodied in imported electricity (and other module imports). They are not
  territorial emissions: they are *not* part of ``Emissions|CO2`` nor ``Emissions|Kyoto Gases``,
  and they are kept in a tree of their own so that no aggregation of ``Emissions|CO2`` adds them.
  Neutra's ``net`` total = ``Emissions|Kyoto Gases`` + ``Emissions|Non-Kyoto Gases`` +
  ``Indirect Emissions|CO2|Imports`` (all in CO2e).

Capture at a demand branch is recorded by the simulation as one flow on the branch's
combustion and process CO2 together; it is split between ``Energy|Demand|<Sector>`` and
``Industrial Processes|<Sector>`` (and the two ``Carbon Capture`` children) in proportion to the
branch's combustion and process CO2 of that year. Capture at a transformation process is
counted under its module. Emissions follow the flows of the result exactly, so that
``Emissions|Kyoto Gases`` (+ ``Non-Kyoto Gases``) equals the result's ``net − imports`` total.

Energy [EJ/yr, converted from ``result.energy_unit``]:

* ``Final Energy`` = Σ ``Final Energy|<Sector>`` = Σ of the carriers below; also
  ``Final Energy|<Sector>|<Carrier…>``;
* carriers, from the fuel ids: ``Solids|Coal``, ``Solids|Biomass``, ``Liquids|Oil``,
  ``Liquids|Biomass``, ``Gases|Natural Gas``, ``Gases|Coal`` (coke-oven, blast-furnace and other
  manufactured gases), ``Gases|Biomass``, ``Electricity``, ``Heat``, ``Hydrogen``, ``Solar``,
  ``Geothermal``, ``Other`` (every other fuel); the parents ``Solids``, ``Liquids`` and ``Gases``
  are the sums of their children;
* ``Primary Energy`` = Σ of ``Primary Energy|Coal|Oil|Gas|Biomass|Nuclear|Hydro|Solar|Wind|
  Geothermal|Other`` and ``Primary Energy|Secondary Energy Trade``: imports of a module's output
  (electricity, heat, …) and secondary carriers that no module of the plan produces (the AR6
  variable for "trade in secondary energy carriers"). Primary energy of non-combustible sources is
  the input the plan's process efficiency gives (direct equivalent at 100 %);
* ``Secondary Energy|<Carrier>`` = Σ ``Secondary Energy|<Carrier>|<Process>`` — output of the
  transformation processes (the last segment of the process path), by the module's output
  carrier (``Secondary Energy|Electricity|Coal``);
* ``Capacity|<Carrier>`` = Σ ``Capacity|<Carrier>|<Process>`` [GW] — exogenous plus added
  capacity of the processes.

Every variable is given for every scenario and year of the result (zeros where a part is
absent), so that parents equal the sums of their children (pyam ``check_aggregate``). Note
that ``Final Energy`` has two complete sets of children (sectors and carriers): check it with
explicit ``components``. GDP and population are not exported: the result's totals carry no unit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from neutra import units
from neutra._version import __version__
from neutra.errors import PlanError

if TYPE_CHECKING:
    from neutra.simulate.results import SimulationResult

COLUMNS = ["model", "scenario", "region", "variable", "unit", "year", "value"]
DEFAULT_MODEL = f"Neutra {__version__}"

EJ = "EJ/yr"
MT_CO2 = "Mt CO2/yr"
MT_CO2E = "Mt CO2-equiv/yr"

CO2 = "Emissions|CO2"
CAPTURE = "Carbon Capture"
INDIRECT = "Indirect Emissions|CO2|Imports"
FINAL = "Final Energy"
PRIMARY = "Primary Energy"

_PFCS = frozenset(
    {"CF4", "C2F6", "C3F8", "C4F10", "C5F12", "C6F14", "C7F16", "C8F18", "C10F18"}
    | {"cC3F6", "cC4F8"}
)
_OTHER_F = frozenset({"SF6", "NF3"})


def is_f_gas(gas: str) -> bool:
    """HFCs, PFCs, SF6 and NF3: the fluorinated gases of the Kyoto basket."""
    return gas.startswith("HFC") or gas in _PFCS or gas in _OTHER_F


def is_kyoto(gas: str) -> bool:
    return gas in ("CO2", "CH4", "N2O") or is_f_gas(gas)


def _ids(*names: str) -> frozenset[str]:
    return frozenset(names)


_SOLID_COAL = _ids(
    "raw_coal",
    "cleaned_coal",
    "other_washed_coal",
    "briquettes",
    "coke",
    "other_coking_products",
    "anthracite",
    "coking_coal",
    "other_bituminous_coal",
    "sub_bituminous_coal",
    "lignite",
    "brown_coal_briquettes",
    "patent_fuel",
    "coke_oven_coke",
    "gas_coke",
    "coal_tar",
    "peat",
)
_GAS_COAL = _ids(
    "coke_oven_gas",
    "blast_furnace_gas",
    "converter_gas",
    "oxygen_steel_furnace_gas",
    "gas_works_gas",
    "other_gas",
)
_OIL = _ids(
    "crude_oil",
    "gasoline",
    "motor_gasoline",
    "aviation_gasoline",
    "jet_gasoline",
    "kerosene",
    "jet_kerosene",
    "other_kerosene",
    "diesel",
    "gas_diesel_oil",
    "fuel_oil",
    "residual_fuel_oil",
    "lpg",
    "refinery_gas",
    "refinery_feedstocks",
    "other_petroleum_products",
    "naphtha",
    "bitumen",
    "lubricants",
    "petroleum_coke",
    "paraffin_waxes",
    "white_spirit_sbp",
    "shale_oil",
    "oil_shale_and_tar_sands",
    "orimulsion",
    "natural_gas_liquids",
    "ethane",
    "waste_oils",
)
_NATURAL_GAS = _ids("natural_gas", "lng")
_SOLID_BIO = _ids(
    "wood_wood_waste",
    "charcoal",
    "other_primary_solid_biomass",
    "sulphite_lyes",
    "municipal_wastes_biomass_fraction",
    "biomass",
)
_LIQUID_BIO = _ids("biogasoline", "biodiesels", "other_liquid_biofuels")
_GAS_BIO = _ids("landfill_gas", "sludge_gas", "other_biogas", "biogas")

_CARRIERS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(_SOLID_COAL, ("Solids", "Coal")),
    **dict.fromkeys(_GAS_COAL, ("Gases", "Coal")),
    **dict.fromkeys(_OIL, ("Liquids", "Oil")),
    **dict.fromkeys(_NATURAL_GAS, ("Gases", "Natural Gas")),
    **dict.fromkeys(_SOLID_BIO, ("Solids", "Biomass")),
    **dict.fromkeys(_LIQUID_BIO, ("Liquids", "Biomass")),
    **dict.fromkeys(_GAS_BIO, ("Gases", "Biomass")),
    "electricity": ("Electricity",),
    "heat": ("Heat",),
    "hydrogen": ("Hydrogen",),
    "solar": ("Solar",),
    "geothermal": ("Geothermal",),
}
_CARRIER_TOPS = frozenset({c[0] for c in _CARRIERS.values()} | {"Other"})

_PRIMARY: dict[str, str] = {
    **dict.fromkeys(_SOLID_COAL | _GAS_COAL, "Coal"),
    **dict.fromkeys(_OIL, "Oil"),
    **dict.fromkeys(_NATURAL_GAS, "Gas"),
    **dict.fromkeys(_SOLID_BIO | _LIQUID_BIO | _GAS_BIO, "Biomass"),
    **dict.fromkeys(("electricity", "heat", "hydrogen"), "Secondary Energy Trade"),
    "solar": "Solar",
    "wind": "Wind",
    "hydro": "Hydro",
    "nuclear": "Nuclear",
    "geothermal": "Geothermal",
}
_SMALL_WORDS = frozenset({"and", "or", "of", "the", "for", "in"})


def carrier_of(fuel: str) -> tuple[str, ...]:
    """The IAMC final-energy carrier of a fuel id (``("Solids", "Coal")``; ``("Other",)``)."""
    return _CARRIERS.get(fuel, ("Other",))


def primary_of(fuel: str) -> str:
    """The IAMC primary-energy category of a fuel id of the result's ``primary`` table."""
    if fuel.endswith(" (imports)"):
        return "Secondary Energy Trade"
    return _PRIMARY.get(fuel, "Other")


def _clean(text: object) -> str:
    out = str(text).replace("|", "-").strip()
    return out or "Unspecified"


def _last(path: object) -> str:
    return _clean(str(path).rstrip("/").rsplit("/", 1)[-1])


def sector_label(sector: object) -> str:
    """A sector name as an IAMC variable level: title-cased, never a carrier name."""
    words = _clean(sector).replace("_", " ").split()
    out = " ".join(
        w.lower() if i and w.lower() in _SMALL_WORDS else w[:1].upper() + w[1:]
        for i, w in enumerate(words)
    )
    return f"{out} Sector" if out in _CARRIER_TOPS else out


def _chain(root: str, parts: Sequence[str]) -> list[str]:
    """``root|a``, ``root|a|b``, … — a variable and its parents below ``root``."""
    return ["|".join([root, *parts[: i + 1]]) for i in range(len(parts))]


class _Rows:
    """Contributions to variables, summed per scenario, variable and year at the end."""

    def __init__(self) -> None:
        self.parts: list[pd.DataFrame] = []
        self.units: dict[str, str] = {}

    def add(
        self,
        scenario: Iterable[object],
        year: Iterable[object],
        value: Iterable[float],
        names: Sequence[Sequence[str]],
        unit: str,
    ) -> None:
        """Add ``value`` (one per row) to every variable of the row's list in ``names``."""
        base = pd.DataFrame(
            {
                "scenario": np.asarray(list(scenario), dtype=object),
                "year": np.asarray(list(year), dtype=np.int64),
                "value": np.asarray(list(value), dtype=np.float64),
            }
        )
        if len(base) != len(names):  # pragma: no cover - internal invariant
            raise ValueError("one list of variable names per row")
        if base.empty:
            return
        base["variable"] = pd.Series(list(names), dtype=object)
        long = base.explode("variable", ignore_index=True)
        long = long[long["variable"].notna()]
        for v in long["variable"].unique():
            self.unit(str(v), unit)
        self.parts.append(long[["scenario", "variable", "year", "value"]])

    def unit(self, variable: str, unit: str) -> None:
        known = self.units.setdefault(variable, unit)
        if known != unit:  # pragma: no cover - internal invariant
            raise ValueError(f"{variable}: units {known!r} and {unit!r}")

    def frame(self, scenarios: list[str], years: list[int]) -> pd.DataFrame:
        grid = pd.MultiIndex.from_product(
            [scenarios, sorted(self.units), years], names=["scenario", "variable", "year"]
        )
        if self.parts:
            all_parts = pd.concat(self.parts, ignore_index=True)
            summed = all_parts.groupby(["scenario", "variable", "year"], sort=False)["value"].sum()
        else:
            summed = pd.Series(dtype=np.float64)
        out = summed.reindex(grid, fill_value=0.0).rename("value").reset_index()
        out["unit"] = out["variable"].map(self.units)
        return out


def _scen_year(df: pd.DataFrame) -> tuple[list[object], list[object]]:
    return df["scenario"].tolist(), df["year"].tolist()


def _emissions(result: SimulationResult, rows: _Rows) -> None:
    em = result.emissions
    supply = _supply_modules(result)
    gas = em["gas"].astype(str)
    source = em["source"].astype(str)
    territorial = em[source != "imports"]
    t_gas = territorial["gas"].astype(str)
    s, y = _scen_year(territorial)
    co2e_mt = territorial["co2e"].to_numpy(dtype=np.float64) / 1e6
    tonnes = territorial["tonnes"].to_numpy(dtype=np.float64)
    kyoto = t_gas.map(is_kyoto).to_numpy(dtype=bool)
    f_gas = t_gas.map(is_f_gas).to_numpy(dtype=bool)
    rows.add(s, y, np.where(kyoto, co2e_mt, 0.0), [["Emissions|Kyoto Gases"]] * len(s), MT_CO2E)
    rows.add(s, y, np.where(f_gas, co2e_mt, 0.0), [["Emissions|F-Gases"]] * len(s), MT_CO2E)
    is_ch4 = (t_gas == "CH4").to_numpy()
    is_n2o = (t_gas == "N2O").to_numpy()
    rows.add(s, y, np.where(is_ch4, tonnes / 1e6, 0.0), [["Emissions|CH4"]] * len(s), "Mt CH4/yr")
    rows.add(s, y, np.where(is_n2o, tonnes / 1e3, 0.0), [["Emissions|N2O"]] * len(s), "kt N2O/yr")
    if not kyoto.all():
        other = territorial[~kyoto]
        s, y = _scen_year(other)
        value = other["co2e"].to_numpy(dtype=np.float64) / 1e6
        rows.add(s, y, value, [["Emissions|Non-Kyoto Gases"]] * len(s), MT_CO2E)
    # Indirect emissions of imports (not territorial).
    imp = em[(source == "imports") & (gas == "CO2")]
    s, y = _scen_year(imp)
    names = [[INDIRECT, f"{INDIRECT}|{'|'.join(carrier_of(str(f)))}"] for f in imp["fuel"]]
    rows.add(s, y, imp["tonnes"].to_numpy(dtype=np.float64) / 1e6, names, MT_CO2)
    _co2(em[(gas == "CO2") & (source != "imports")], supply, rows)


def _supply_modules(result: SimulationResult) -> dict[str, str]:
    """Transformation branch (process or module) → its module's path."""
    out: dict[str, str] = {}
    tr = result.transformation
    for module, process in zip(tr["module"], tr["process"], strict=True):
        out[str(module)] = str(module)
        if process:
            out[str(process)] = str(module)
    return out


def _co2(co2: pd.DataFrame, supply: dict[str, str], rows: _Rows) -> None:
    energy, demand, supply_v = f"{CO2}|Energy", f"{CO2}|Energy|Demand", f"{CO2}|Energy|Supply"
    ip = f"{CO2}|Industrial Processes"
    cap_e, cap_d = f"{CAPTURE}|Energy", f"{CAPTURE}|Energy|Demand"
    cap_s, cap_ip = f"{CAPTURE}|Energy|Supply", f"{CAPTURE}|Industrial Processes"
    mt = co2["tonnes"].to_numpy(dtype=np.float64) / 1e6
    source = co2["source"].astype(str).to_numpy()
    branch = co2["branch"].astype(str).to_numpy()
    sector = [sector_label(v) for v in co2["sector"]]
    in_supply = np.asarray([b in supply for b in branch], dtype=bool)
    module = [_last(supply.get(b, b.rsplit("/", 1)[0])) for b in branch]
    # Share of a demand branch's capture that is on combustion CO2 (the rest: process CO2).
    key = ["scenario", "branch", "year"]
    comb = co2[co2["source"] == "combustion"].groupby(key)["tonnes"].sum()
    proc = co2[co2["source"] == "process"].groupby(key)["tonnes"].sum()
    idx = pd.MultiIndex.from_frame(co2[key])
    c = comb.reindex(idx, fill_value=0.0).to_numpy(dtype=np.float64)
    p = proc.reindex(idx, fill_value=0.0).to_numpy(dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(c + p > 0, c / (c + p), 1.0)
    s, y = _scen_year(co2)
    em_names: list[list[str]] = []
    em_vals: list[float] = []
    cap_names: list[list[str]] = []
    cap_vals: list[float] = []
    out_s: list[object] = []
    out_y: list[object] = []
    cap_s_: list[object] = []
    cap_y: list[object] = []

    def emit(i: int, names: list[str], value: float) -> None:
        out_s.append(s[i])
        out_y.append(y[i])
        em_names.append([CO2, *names])
        em_vals.append(value)

    def captured(i: int, names: list[str], value: float) -> None:
        cap_s_.append(s[i])
        cap_y.append(y[i])
        cap_names.append([CAPTURE, *names])
        cap_vals.append(-value)

    for i, src in enumerate(source):
        v = float(mt[i])
        if src == "transformation" or (src == "capture" and in_supply[i]):
            emit(i, [energy, supply_v, f"{supply_v}|{module[i]}"], v)
            if src == "capture":
                captured(i, [cap_e, cap_s, f"{cap_s}|{module[i]}"], v)
        elif src == "combustion":
            emit(i, [energy, demand, f"{demand}|{sector[i]}"], v)
        elif src == "process":
            emit(i, [ip, f"{ip}|{sector[i]}"], v)
        elif src == "capture":
            on_energy = v * float(share[i])
            emit(i, [energy, demand, f"{demand}|{sector[i]}"], on_energy)
            emit(i, [ip, f"{ip}|{sector[i]}"], v - on_energy)
            captured(i, [cap_e, cap_d, f"{cap_d}|{sector[i]}"], on_energy)
            captured(i, [cap_ip, f"{cap_ip}|{sector[i]}"], v - on_energy)
        elif src == "sink":
            emit(i, [f"{CO2}|AFOLU"], v)
        else:
            emit(i, [f"{CO2}|Other"], v)
    rows.add(out_s, out_y, em_vals, em_names, MT_CO2)
    rows.add(cap_s_, cap_y, cap_vals, cap_names, MT_CO2)


def _energy(result: SimulationResult, rows: _Rows) -> None:
    to_ej = units.factor(result.energy_unit, "EJ")
    en = result.energy
    s, y = _scen_year(en)
    names = []
    for sector, fuel in zip(en["sector"], en["fuel"], strict=True):
        sec = sector_label(sector)
        carrier = carrier_of(str(fuel))
        names.append(
            [
                FINAL,
                f"{FINAL}|{sec}",
                *_chain(f"{FINAL}|{sec}", carrier),
                *_chain(FINAL, carrier),
            ]
        )
    rows.add(s, y, en["value"].to_numpy(dtype=np.float64) * to_ej, names, EJ)
    pr = result.primary
    s, y = _scen_year(pr)
    names = [[PRIMARY, f"{PRIMARY}|{primary_of(str(f))}"] for f in pr["fuel"]]
    rows.add(s, y, pr["value"].to_numpy(dtype=np.float64) * to_ej, names, EJ)
    tr = result.transformation
    out = tr[tr["flow"] == "output"]
    s, y = _scen_year(out)
    names = [
        [*_chain("Secondary Energy", carrier_of(str(f))), _secondary(str(f), p)]
        for f, p in zip(out["fuel"], out["process"], strict=True)
    ]
    rows.add(s, y, out["value"].to_numpy(dtype=np.float64) * to_ej, names, EJ)
    output_fuel = dict(zip(out["module"].astype(str), out["fuel"].astype(str), strict=True))
    cap = result.capacity
    s, y = _scen_year(cap)
    names = []
    for module, process in zip(cap["module"], cap["process"], strict=True):
        carrier = carrier_of(output_fuel.get(str(module), ""))
        names.append(
            [*_chain("Capacity", carrier), f"Capacity|{'|'.join(carrier)}|{_last(process)}"]
        )
    rows.add(s, y, cap["value"].to_numpy(dtype=np.float64) / 1000.0, names, "GW")


def _secondary(fuel: str, process: object) -> str:
    return f"Secondary Energy|{'|'.join(carrier_of(fuel))}|{_last(process)}"


# Variables given even when the result has nothing for them (as zeros).
_ALWAYS: dict[str, str] = {
    CO2: MT_CO2,
    f"{CO2}|Energy": MT_CO2,
    f"{CO2}|Energy|Demand": MT_CO2,
    f"{CO2}|Energy|Supply": MT_CO2,
    f"{CO2}|Industrial Processes": MT_CO2,
    f"{CO2}|AFOLU": MT_CO2,
    "Emissions|Kyoto Gases": MT_CO2E,
    "Emissions|CH4": "Mt CH4/yr",
    "Emissions|N2O": "kt N2O/yr",
    "Emissions|F-Gases": MT_CO2E,
    CAPTURE: MT_CO2,
    f"{CAPTURE}|Energy": MT_CO2,
    f"{CAPTURE}|Energy|Demand": MT_CO2,
    f"{CAPTURE}|Energy|Supply": MT_CO2,
    f"{CAPTURE}|Industrial Processes": MT_CO2,
    INDIRECT: MT_CO2,
    FINAL: EJ,
    PRIMARY: EJ,
}


def iamc_frame(
    result: SimulationResult, *, model: str = DEFAULT_MODEL, region: str
) -> pd.DataFrame:
    """The result's scenarios as IAMC long-format data (see the module docstring for the
    variables and units): columns ``model, scenario, region, variable, unit, year, value``.

    Raises:
        PlanError: ``model`` or ``region`` is empty.
    """
    if not model.strip():
        raise PlanError("iamc export: empty model name; expected e.g. 'Neutra 0.1.0'")
    if not region.strip():
        raise PlanError("iamc export: empty region; expected the region's name, e.g. 'Guangdong'")
    rows = _Rows()
    for variable, unit in _ALWAYS.items():
        rows.unit(variable, unit)
    _emissions(result, rows)
    _energy(result, rows)
    out = rows.frame([str(s) for s in result.scenarios], [int(y) for y in result.years])
    order = {s: i for i, s in enumerate(result.scenarios)}
    out = out.sort_values(
        ["scenario", "variable", "year"],
        key=lambda c: c.map(order) if c.name == "scenario" else c,
        kind="stable",
    )
    out["model"] = model
    out["region"] = region
    out["year"] = out["year"].astype(np.int64)
    out["value"] = out["value"].astype(np.float64)
    return out[COLUMNS].reset_index(drop=True)


def write_iamc(frame: pd.DataFrame, path: Path) -> Path:
    """Write IAMC data: ``.csv`` (long format, UTF-8) or ``.xlsx`` (sheet ``data``: long
    format; sheet ``data_wide``: one column per year). Returns ``path``.

    Raises:
        PlanError: the suffix is neither ``.csv`` nor ``.xlsx``, or columns are missing.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise PlanError(
            f"{path}: unknown suffix {path.suffix or '(none)'!r} for IAMC data; "
            "expected .csv (long format) or .xlsx (sheets data and data_wide)"
        )
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise PlanError(f"{path}: IAMC data without the columns {', '.join(missing)}")
    data = frame[COLUMNS]
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":
        data.to_csv(path, index=False, encoding="utf-8")
        return path
    index = ["model", "scenario", "region", "variable", "unit"]
    wide = data.pivot(index=index, columns="year", values="value").reset_index()
    wide.columns.name = None
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        data.to_excel(writer, sheet_name="data", index=False)
        wide.to_excel(writer, sheet_name="data_wide", index=False)
    return path


__all__ = [
    "COLUMNS",
    "DEFAULT_MODEL",
    "carrier_of",
    "iamc_frame",
    "primary_of",
    "sector_label",
    "write_iamc",
]
