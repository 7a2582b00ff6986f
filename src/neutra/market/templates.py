"""ETS templates as cited data: China's national ETS (power), the EU ETS and the UK ETS.

A template is selected by name (``cn-power``, ``cn-industry``, ``eu-ets``, ``uk-ets``;
``cn-industry``: the sectors added in 2024, whose allocation the plan gives). Its figures live in the
packaged files ``refdata/data/ets_*.csv`` (listed under ``[[ets_sets]]`` in ``manifest.toml``),
one row per parameter with its source, licence and status (verified | reported | unverified);
nothing here is a number of its own. Every result reports the parameters it used, with status.

The EU cap path (Directive 2003/87/EC Art. 9, as amended by Directives (EU) 2018/410 and
2023/959) is rebuilt from the 2021 quantity: each later year subtracts the year's linear
reduction amount and adds the year's one-off adjustments (the 2024 and 2026 rebasing cuts, the
2024 maritime step). The amount of a year whose factor has no published amount (4.4 % from
2028) is the factor times the reference quantity implied by the last published amount
(amount ÷ factor). The UK carbon budgets come from :mod:`neutra.targets.budgets`.
"""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from neutra.errors import ReferenceDataError
from neutra.model.enums import Status
from neutra.refdata.library import data_folder, manifest
from neutra.targets.budgets import UK_BUDGETS_MT, Budget

COLUMNS: tuple[str, ...] = (
    "scheme",
    "parameter",
    "key",
    "year_from",
    "year_to",
    "value",
    "unit",
    "name_en",
    "name_zh",
    "source",
    "licence",
    "status",
    "note",
)


@dataclass(frozen=True, slots=True)
class Parameter:
    """One cited figure of a template, valid from ``year_from`` to ``year_to`` (open if None)."""

    scheme: str
    parameter: str
    key: str
    year_from: int | None
    year_to: int | None
    value: float
    unit: str
    name_en: str
    name_zh: str
    source: str
    licence: str
    status: Status
    note: str

    def covers(self, year: int) -> bool:
        lo = self.year_from if self.year_from is not None else year
        hi = self.year_to if self.year_to is not None else year
        return lo <= year <= hi

    @property
    def id(self) -> str:
        years = f"{self.year_from or ''}-{self.year_to or ''}"
        return f"{self.scheme}:{self.parameter}:{self.key}:{years}"


@dataclass(frozen=True, slots=True)
class Template:
    """An ETS template: its names, data set, defaults and cited parameters.

    Attributes:
        name: ``cn-power``, ``cn-industry``, ``eu-ets`` or ``uk-ets``.
        default_method: allocation method used when none is given (see
            :class:`neutra.market.allocation.Method`).
        banking: whether banking is on when not switched.
        has_cap_path: whether an absolute cap path can be computed (EU).
        budgets: UK carbon budgets (MtCO2e, five-year sums) for ``uk-ets``, else empty.
        notes: what every result under the template must say (what it does not model).
    """

    name: str
    title_en: str
    title_zh: str
    set_id: str
    data_file: str
    reference_data_version: str
    default_method: str
    banking: bool
    has_cap_path: bool
    parameters: tuple[Parameter, ...]
    budgets: tuple[Budget, ...] = ()
    notes: tuple[str, ...] = ()

    def find(self, parameter: str, year: int, key: str | None = None) -> Parameter | None:
        """The parameter valid in ``year`` (the latest-starting one if several are)."""
        hits = [
            p
            for p in self.parameters
            if p.parameter == parameter and (key is None or p.key == key) and p.covers(year)
        ]
        if not hits:
            return None
        return max(hits, key=lambda p: p.year_from or 0)

    def all(self, parameter: str) -> tuple[Parameter, ...]:
        return tuple(p for p in self.parameters if p.parameter == parameter)

    def years(self, parameter: str) -> tuple[int, int] | None:
        """First and last year the parameter is given for (closed periods only)."""
        ps = self.all(parameter)
        lo = [p.year_from for p in ps if p.year_from is not None]
        hi = [p.year_to for p in ps if p.year_to is not None]
        if not lo or not hi:
            return None
        return min(lo), max(hi)

    def offset_limit(self, year: int) -> Parameter | None:
        """The offset limit (fraction of the allowances due) valid in ``year``."""
        return self.find("offset_limit", year)


@dataclass(frozen=True, slots=True)
class _Definition:
    """What a template adds to its data set: its names, defaults, notes and budgets."""

    set_id: str  # the [[ets_sets]] entry of the manifest
    title_en: str
    title_zh: str
    default_method: str
    banking: bool
    has_cap_path: bool
    notes: tuple[str, ...] = ()
    budgets: tuple[Budget, ...] = ()


_TEMPLATES: dict[str, _Definition] = {
    "cn-power": _Definition(
        "ets-cn-power",
        "China national ETS, power sector",
        "全国碳排放权交易市场（发电行业）",
        "benchmark",
        banking=True,
        has_cap_path=False,
        notes=(
            "China's power ETS has no absolute cap: the total is the sum of the allocations; the "
            "plans' relief rules (gas-unit and 20 % shortfall caps) are not modelled / 未计入履约豁免规则",
        ),
    ),
    "cn-industry": _Definition(
        "ets-cn-industry",
        "China national ETS, steel, cement and aluminium",
        "全国碳排放权交易市场（钢铁、水泥、铝冶炼）",
        "given",
        banking=True,
        has_cap_path=False,
    ),
    "eu-ets": _Definition(
        "ets-eu-cap",
        "EU Emissions Trading System",
        "欧盟碳排放交易体系",
        "given",
        banking=True,
        has_cap_path=True,
        notes=(
            "EU cap: stationary installations and maritime (2024 step); the 2026–2027 maritime "
            "increases and the Market Stability Reserve are not modelled / 未计入2026—2027年海运增量及市场稳定储备",
        ),
    ),
    "uk-ets": _Definition(
        "ets-uk-cap",
        "UK Emissions Trading Scheme",
        "英国碳排放交易体系",
        "given",
        banking=True,
        has_cap_path=False,
        notes=(
            "UK ETS: no annual cap path is shipped (see the template's phase caps) / 未提供英国逐年总量",
        ),
        budgets=UK_BUDGETS_MT,
    ),
}
TEMPLATE_NAMES: tuple[str, ...] = tuple(_TEMPLATES)


def _int(text: str, where: str) -> int | None:
    t = text.strip()
    if not t:
        return None
    try:
        return int(t)
    except ValueError as exc:
        raise ReferenceDataError(f"{where}: {text!r} is not a year") from exc


def parse_parameters(text: str, label: str) -> tuple[Parameter, ...]:
    """Parameters from the text of an ``ets_*.csv`` file; raise on any malformed row."""
    reader = csv.DictReader(io.StringIO(text))
    if tuple(reader.fieldnames or ()) != COLUMNS:
        raise ReferenceDataError(f"{label}: header must be {','.join(COLUMNS)}")
    out: list[Parameter] = []
    statuses = {s.value for s in Status}
    for i, rec in enumerate(reader, start=2):
        where = f"{label} row {i}"
        try:
            value = float(rec["value"])
        except ValueError as exc:
            raise ReferenceDataError(f"{where}: value {rec['value']!r} is not a number") from exc
        if rec["status"] not in statuses or not rec["source"].strip():
            raise ReferenceDataError(f"{where}: every row needs a source and a known status")
        out.append(
            Parameter(
                scheme=rec["scheme"],
                parameter=rec["parameter"],
                key=rec["key"],
                year_from=_int(rec["year_from"], where),
                year_to=_int(rec["year_to"], where),
                value=value,
                unit=rec["unit"],
                name_en=rec["name_en"],
                name_zh=rec["name_zh"],
                source=rec["source"],
                licence=rec["licence"],
                status=Status(rec["status"]),
                note=rec["note"],
            )
        )
    return tuple(out)


@functools.cache
def load_template(name: str) -> Template:
    """The template ``name`` (``cn-power``, ``eu-ets``, ``uk-ets``), read on first use.

    Raises:
        ReferenceDataError: unknown name, or the packaged data is missing or malformed.
    """
    if name not in _TEMPLATES:
        raise ReferenceDataError(
            f"unknown ETS template {name!r}; expected one of {', '.join(TEMPLATE_NAMES)}"
        )
    d = _TEMPLATES[name]
    m = manifest()
    info = m.ets_set(d.set_id)
    try:
        text = (data_folder() / info.file).read_text(encoding="utf-8")
    except OSError as exc:
        raise ReferenceDataError(f"{info.file} cannot be read: {exc}") from exc
    return Template(
        name=name,
        title_en=d.title_en,
        title_zh=d.title_zh,
        set_id=d.set_id,
        data_file=info.file,
        reference_data_version=m.version,
        default_method=d.default_method,
        banking=d.banking,
        has_cap_path=d.has_cap_path,
        parameters=parse_parameters(text, info.file),
        budgets=d.budgets,
        notes=d.notes,
    )


@dataclass(frozen=True, slots=True)
class CapYear:
    """The cap of one year and the parameters it was computed from."""

    year: int
    cap: float | None  # allowances (t CO2e); None where the template gives no cap path
    used: tuple[Parameter, ...]
    derived: bool  # a reduction amount was derived (factor × implied reference quantity)


def _reduction(t: Template, year: int) -> tuple[float, tuple[Parameter, ...], bool]:
    """The linear reduction amount of ``year`` and the parameters behind it."""
    amount = t.find("lrf_amount", year)
    if amount is not None:
        return amount.value, (amount,), False
    factor = t.find("lrf", year)
    if factor is None:
        raise ReferenceDataError(f"{t.data_file}: no linear reduction factor for {year}")
    earlier = [p for p in t.all("lrf_amount") if p.year_from is not None and p.year_from < year]
    if not earlier:
        raise ReferenceDataError(f"{t.data_file}: no reduction amount before {year}")
    last = max(earlier, key=lambda p: p.year_from or 0)
    last_factor = t.find("lrf", last.year_from or year)
    if last_factor is None or last_factor.value <= 0:
        raise ReferenceDataError(f"{t.data_file}: no factor for the amount {last.id}")
    # Reference quantity implied by the last published amount: amount ÷ factor.
    return factor.value * last.value / last_factor.value, (factor, last, last_factor), True


def cap_path(t: Template, years: Iterable[int]) -> tuple[CapYear, ...]:
    """The cap of each year (EU: Art. 9 path; others: ``None``), floored at zero."""
    wanted = sorted(set(years))
    if not t.has_cap_path:
        return tuple(CapYear(y, None, (), False) for y in wanted)
    base_params = t.all("cap")
    if not base_params or base_params[0].year_from is None:
        raise ReferenceDataError(f"{t.data_file}: no base-year cap")
    base = base_params[0]
    y0 = base.year_from or 0
    out: list[CapYear] = []
    cap = base.value
    used: list[Parameter] = [base]
    derived = False
    last = max(wanted, default=y0)
    by_year: dict[int, tuple[float, tuple[Parameter, ...], bool]] = {y0: (cap, (base,), False)}
    for y in range(y0 + 1, last + 1):
        amount, ps, d = _reduction(t, y)
        adjustments = tuple(p for p in t.all("cap_adjustment") if p.covers(y))
        cap = cap - amount + sum(p.value for p in adjustments)
        used.extend(ps)
        used.extend(adjustments)
        derived = derived or d
        by_year[y] = (cap, tuple(dict.fromkeys(used)), derived)
    for y in wanted:
        if y < y0:
            out.append(CapYear(y, None, (), False))
            continue
        value, ps, d = by_year[y]
        out.append(CapYear(y, max(value, 0.0), ps, d))
    return tuple(out)


def describe(t: Template, years: Sequence[int]) -> dict[str, object]:
    """Template facts for output: names, defaults, offset limits by year, phase caps, budgets."""
    limits: dict[int, float | None] = {}
    for y in years:
        p = t.offset_limit(y)
        limits[int(y)] = None if p is None else p.value
    phase = [
        {
            "key": p.key,
            "first_year": p.year_from,
            "last_year": p.year_to,
            "allowances": p.value,
            "status": p.status.value,
            "source": p.source,
        }
        for p in (*t.all("phase_cap"), *t.all("phase_cap_base"))
    ]
    return {
        "name": t.name,
        "title_en": t.title_en,
        "title_zh": t.title_zh,
        "data_file": t.data_file,
        "default_method": t.default_method,
        "banking_default": t.banking,
        "offset_limit_by_year": limits,
        "phase_caps": phase,
        "carbon_budgets_mtco2e": [
            {
                "budget": b.name,
                "first_year": b.first_year,
                "last_year": b.last_year,
                "amount": b.amount,
            }
            for b in t.budgets
        ],
    }


__all__ = [
    "COLUMNS",
    "TEMPLATE_NAMES",
    "CapYear",
    "Parameter",
    "Template",
    "cap_path",
    "describe",
    "load_template",
    "parse_parameters",
]
