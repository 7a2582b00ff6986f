"""OSeMOSYS model data: read GNU MathProg data files and otoole CSV folders, write otoole CSV.

Formats
-------
*GNU MathProg data section* (GLPK, "Modeling Language GNU MathProg", chapter "Model data"), as
the OSeMOSYS data files (UTOPIA, SIMPLICITY) and otoole write it:

* ``set S := a b c;`` (``:=`` optional, commas optional);
* ``param P default d := records;`` where a record is plain data ``k1 k2 … value`` (as many keys as
  free index positions), a slice ``[UTOPIA,*,*,2]`` fixing the positions that are not ``*`` for the
  records after it, or a table ``: c1 c2 := r1 v v  r2 v v`` whose rows run over the first free
  position and columns over the second (``(tr) :`` swaps them; ``.`` is "no value");
* the tabbing form ``param default d : P1 P2 := k1 … kn v1 v2 …;`` (several parameters at once);
* ``#`` and ``/* */`` comments, ``data;``, ``end;`` (the rest of the file is ignored).

MathProg gives line breaks no meaning: records may wrap. Lines are used only to locate problems
(a table row or a record with the wrong number of tokens is found by its line). Every problem is
collected and raised together as :class:`~neutra.errors.PlanValidationError` (``row`` = the line).

*otoole CSV folder* (otoole, "Data formats"): one ``NAME.csv`` per set (one column ``VALUE``) and
per parameter (the index sets in OSeMOSYS order, then ``VALUE``; the second REGION of TradeRoute is
the column ``_REGION``), and optionally otoole's ``config.yaml`` (``Name:`` then ``default: d``),
whose defaults replace ours. Rows are numbered as in a spreadsheet (header = row 1).

Sources (read, not copied): the OSeMOSYS model file ``src/osemosys.txt`` (OSeMOSYS_GNU_MathProg,
version 2017_11_08, Apache-2.0) for the sets, the parameters and their index order; otoole
(``src/otoole/preprocess/config.yaml``, MIT) for the CSV layout and the default values.
"""

from __future__ import annotations

import csv
import difflib
import itertools
import re
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from neutra.errors import PlanValidationError, Problem

if TYPE_CHECKING:
    import xarray

_SET_NAMES = """REGION TECHNOLOGY FUEL EMISSION MODE_OF_OPERATION TIMESLICE YEAR SEASON DAYTYPE
DAILYTIMEBRACKET STORAGE"""
SETS: tuple[str, ...] = tuple(_SET_NAMES.split())
# Sets whose members are integers when every member is one (YEAR must be); the others are text.
_NUMBERED = frozenset({"YEAR", "MODE_OF_OPERATION", "SEASON", "DAYTYPE", "DAILYTIMEBRACKET"})


@dataclass(frozen=True, slots=True)
class ParamSpec:
    """A data parameter of OSeMOSYS: its index sets (in the order of ``osemosys.txt``) and the
    default used when neither the data nor a ``default`` clause gives one."""

    name: str
    dims: tuple[str, ...]
    default: float


# Name, index sets, default. Index sets in the order of the model file's ``param`` declarations;
# defaults are those of otoole's config.yaml (otoole has no DiscountRateIdv: its test model uses
# 0.05, and the model file defaults it to DiscountRate[r], which ModelData.value applies).
# TradeRoute is indexed by REGION twice (r, rr).
_PARAM_TABLE = """
YearSplit TIMESLICE YEAR | 0
DiscountRate REGION | 0.05
DiscountRateIdv REGION TECHNOLOGY | 0.05
OperationalLife REGION TECHNOLOGY | 1
DiscountRateStorage REGION STORAGE | 0.05
DaySplit DAILYTIMEBRACKET YEAR | 0.00137
Conversionls TIMESLICE SEASON | 0
Conversionld TIMESLICE DAYTYPE | 0
Conversionlh TIMESLICE DAILYTIMEBRACKET | 0
DaysInDayType SEASON DAYTYPE YEAR | 7
TradeRoute REGION REGION FUEL YEAR | 0
DepreciationMethod REGION | 1
SpecifiedAnnualDemand REGION FUEL YEAR | 0
SpecifiedDemandProfile REGION FUEL TIMESLICE YEAR | 0
AccumulatedAnnualDemand REGION FUEL YEAR | 0
CapacityToActivityUnit REGION TECHNOLOGY | 1
CapacityFactor REGION TECHNOLOGY TIMESLICE YEAR | 1
AvailabilityFactor REGION TECHNOLOGY YEAR | 1
ResidualCapacity REGION TECHNOLOGY YEAR | 0
InputActivityRatio REGION TECHNOLOGY FUEL MODE_OF_OPERATION YEAR | 0
OutputActivityRatio REGION TECHNOLOGY FUEL MODE_OF_OPERATION YEAR | 0
CapitalCost REGION TECHNOLOGY YEAR | 0
VariableCost REGION TECHNOLOGY MODE_OF_OPERATION YEAR | 0
FixedCost REGION TECHNOLOGY YEAR | 0
TechnologyToStorage REGION TECHNOLOGY STORAGE MODE_OF_OPERATION | 0
TechnologyFromStorage REGION TECHNOLOGY STORAGE MODE_OF_OPERATION | 0
StorageLevelStart REGION STORAGE | 0
StorageMaxChargeRate REGION STORAGE | 0
StorageMaxDischargeRate REGION STORAGE | 0
MinStorageCharge REGION STORAGE YEAR | 0
OperationalLifeStorage REGION STORAGE | 0
CapitalCostStorage REGION STORAGE YEAR | 0
ResidualStorageCapacity REGION STORAGE YEAR | 999
CapacityOfOneTechnologyUnit REGION TECHNOLOGY YEAR | 0
TotalAnnualMaxCapacity REGION TECHNOLOGY YEAR | -1
TotalAnnualMinCapacity REGION TECHNOLOGY YEAR | 0
TotalAnnualMaxCapacityInvestment REGION TECHNOLOGY YEAR | -1
TotalAnnualMinCapacityInvestment REGION TECHNOLOGY YEAR | 0
TotalTechnologyAnnualActivityUpperLimit REGION TECHNOLOGY YEAR | -1
TotalTechnologyAnnualActivityLowerLimit REGION TECHNOLOGY YEAR | 0
TotalTechnologyModelPeriodActivityUpperLimit REGION TECHNOLOGY | -1
TotalTechnologyModelPeriodActivityLowerLimit REGION TECHNOLOGY | 0
ReserveMarginTagTechnology REGION TECHNOLOGY YEAR | 0
ReserveMarginTagFuel REGION FUEL YEAR | 0
ReserveMargin REGION YEAR | 1
RETagTechnology REGION TECHNOLOGY YEAR | 0
RETagFuel REGION FUEL YEAR | 0
REMinProductionTarget REGION YEAR | 0
EmissionActivityRatio REGION TECHNOLOGY EMISSION MODE_OF_OPERATION YEAR | 0
EmissionsPenalty REGION EMISSION YEAR | 0
AnnualExogenousEmission REGION EMISSION YEAR | 0
AnnualEmissionLimit REGION EMISSION YEAR | -1
ModelPeriodExogenousEmission REGION EMISSION | 0
ModelPeriodEmissionLimit REGION EMISSION | -1
"""


def _param_specs(table: str) -> dict[str, ParamSpec]:
    specs = {}
    for row in table.strip().splitlines():
        words, default = row.split("|")
        name, *dims = words.split()
        specs[name] = ParamSpec(name, tuple(dims), float(default))
    return specs


PARAMS: dict[str, ParamSpec] = _param_specs(_PARAM_TABLE)
# Parameters of the model file that are not data: computed there, or the symbolic ResultsPath.
_NOT_DATA = """DiscountFactor DiscountFactorMid CapitalRecoveryFactor PvAnnuity DiscountFactorStorage
DiscountFactorMidStorage"""
_COMPUTED = frozenset(_NOT_DATA.split())
_IGNORED = frozenset({"ResultsPath", "_REGION"})  # a symbolic param; otoole's alias set of REGION

Member = str | int


def _labels(dims: Sequence[str]) -> list[str]:
    """Distinct names of index positions: a repeated set gets a leading ``_`` (otoole's
    ``_REGION`` of TradeRoute); the CSV columns and the DataArray dimensions."""
    return [d if d not in dims[:i] else "_" + d for i, d in enumerate(dims)]


@dataclass
class ModelData:
    """The sets and parameter values of one OSeMOSYS model.

    ``params`` hold only the values the data gives (a float Series on a MultiIndex named by the
    dims, a plain Index for one dim); :meth:`value` and :meth:`dense` fill in the defaults.
    """

    sets: dict[str, list[Member]]
    params: dict[str, pd.Series]
    defaults: dict[str, float]
    source: str = ""

    def __repr__(self) -> str:
        sizes = ", ".join(f"{k} {len(v)}" for k, v in self.sets.items() if v)
        given = sum(1 for s in self.params.values() if len(s))
        return f"ModelData({self.source!r}: {sizes}; {given} parameters with data)"

    def index(self, set_name: str) -> pd.Index:
        """The members of a set as a typed Index (int64 for integer sets, else str)."""
        members = self.sets.get(set_name.lstrip("_"), [])
        return _typed_index(members, set_name, _is_int_set(set_name.lstrip("_"), members))

    def value(self, name: str) -> pd.Series:
        """``name`` over the full product of its sets (in set order), defaults filled.

        DiscountRateIdv takes DiscountRate[r] where it is not given, as in the model file."""
        spec = PARAMS[name]
        levels = [self.index(d) for d in spec.dims]
        full = levels[0] if len(levels) == 1 else pd.MultiIndex.from_product(levels)
        out = self.params[name].reindex(full)
        if name == "DiscountRateIdv":
            rate = self.value("DiscountRate").reindex(full.get_level_values(0)).to_numpy()
            out = out.fillna(pd.Series(rate, index=full))
        return out.fillna(self.defaults[name]).astype(float).rename(name)

    def dense(self, name: str) -> xarray.DataArray:
        """``name`` as a DataArray with one dimension per index set, defaults filled (the
        second REGION of TradeRoute is the dimension ``_REGION``)."""
        import xarray as xr

        dims = _labels(PARAMS[name].dims)
        coords = {d: list(self.index(d)) for d in dims}
        values = np.asarray(self.value(name).to_numpy(), dtype=float)
        shape = tuple(len(c) for c in coords.values())
        return xr.DataArray(values.reshape(shape), coords=coords, dims=dims, name=name)


def _is_int_set(name: str, members: Sequence[Member]) -> bool:
    return all(isinstance(m, int) for m in members) and (bool(members) or name in _NUMBERED)


def _typed_index(values: Sequence[Member], name: str, as_int: bool) -> pd.Index:
    return pd.Index(list(values), dtype="int64" if as_int else "str", name=name)


_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def _number(text: str) -> float | None:
    return float(text) if _NUMBER.fullmatch(text) else None


def _as_int(text: str) -> int | None:
    x = _number(text)
    return int(x) if x is not None and x.is_integer() else None


def _near(word: str, choices: Iterable[str]) -> str:
    lower = {c.lower(): c for c in choices}
    near = difflib.get_close_matches(word.lower(), list(lower), n=1)
    return f" (did you mean '{lower[near[0]]}'?)" if near else ""


def _param_expected(name: str) -> str:
    if name in _COMPUTED:
        return f"a data parameter of the OSeMOSYS model ({name} is computed by the model)"
    return "a parameter of the OSeMOSYS model" + _near(name, PARAMS)


def _member_expected(dim: str, members: Sequence[Member], token: str) -> str:
    if not members:
        return f"a member of {dim} (the set {dim} is empty or not given)"
    shown = ", ".join(str(m) for m in members[:8]) + (", …" if len(members) > 8 else "")
    return f"a member of {dim} ({shown})" + _near(token, [str(m) for m in members])


@dataclass
class _Sink:
    """Where the problems of one file go; ``where`` names its rows ("line" or "row")."""

    label: str
    where: str
    problems: list[Problem]

    def __call__(
        self, row: int | None, field: str | None, value: str | None, expected: str, *more: int
    ) -> None:
        rows = tuple(sorted({row, *more})) if more and row is not None else ()
        self.problems.append(Problem(self.label, row, field, value, expected, rows=rows))


def _type_set(name: str, texts: Sequence[str], rows: Sequence[int], problem: _Sink) -> list[Member]:
    """A set's members, typed: integers for YEAR (required) and for the numbered sets when every
    member is one; otherwise text. An empty or repeated member is a problem."""
    typed: list[Member | None] = list(texts)
    if name in _NUMBERED:
        ints = [_as_int(t) for t in texts]
        if name == "YEAR" or all(i is not None for i in ints):
            typed = list(ints)
    first: dict[Member, int] = {}
    for m, t, r in zip(typed, texts, rows, strict=True):
        if t == "" or m is None:
            problem(r, name, t, "a member name" if t == "" else "an integer year")
        elif m in first:
            problem(r, name, t, f"each member once (first at {problem.where} {first[m]})")
        else:
            first[m] = r
    return list(first)


def _assemble(
    spec: ParamSpec,
    keys: Sequence[Sequence[str]],
    key_rows: Sequence[Sequence[int]],
    vals: Sequence[str],
    val_rows: Sequence[int],
    sets: dict[str, list[Member]],
    problem: _Sink,
) -> pd.Series:
    """A parameter's Series from its key columns and values, given as text: checks the numbers,
    the set members and repeated indices (problems grouped by offending token)."""
    bad: dict[tuple[str, str], list[int]] = {}
    numbers = {t: _number(t) for t in set(vals)}
    ok = [numbers[t] is not None for t in vals]
    for k, t in enumerate(vals):
        if not ok[k]:
            bad.setdefault(("a number", t), []).append(val_rows[k])
    columns: list[list[Any]] = []
    for dim, col, rows in zip(spec.dims, keys, key_rows, strict=True):
        members, as_int = sets[dim], _is_int_set(dim, sets[dim])
        known = set(members)
        conv = {t: _as_int(t) if as_int else t for t in set(col)}
        unknown = {t: _member_expected(dim, members, t) for t, m in conv.items() if m not in known}
        for k, t in enumerate(col):
            if t in unknown:
                ok[k] = False
                bad.setdefault((unknown[t], t), []).append(rows[k])
        columns.append([conv[t] for t in col])
    for (expected, token), rows in bad.items():
        problem(min(rows), spec.name, token, expected, *rows)
    first: dict[tuple[Any, ...], int] = {}
    for k in (k for k in range(len(vals)) if ok[k]):
        key = tuple(c[k] for c in columns)
        if key in first:
            ok[k] = False
            where = f"one value per index (first given at {problem.where} {first[key]})"
            problem(val_rows[k], spec.name, ",".join(str(x) for x in key), where)
        else:
            first[key] = val_rows[k]
    keep = [k for k in range(len(vals)) if ok[k]]
    levels = [
        _typed_index([c[k] for k in keep], d, _is_int_set(d, sets[d]))
        for c, d in zip(columns, spec.dims, strict=True)
    ]
    index = levels[0] if len(levels) == 1 else pd.MultiIndex.from_arrays(levels)
    return pd.Series([numbers[vals[k]] for k in keep], index=index, dtype=float, name=spec.name)


# ---- GNU MathProg ----------------------------------------------------------------------------

_TOKEN = re.compile(
    r"""
    (?P<nl>\n)
  | (?P<sp>[ \t\r\f\v,]+)
  | (?P<cm>\#[^\n]*)
  | (?P<bc>/\*.*?\*/)
  | (?P<open>/\*)
  | (?P<as>:=)
  | (?P<tr>\(\s*tr\s*\))
  | (?P<p>[:;\[\]()])
  | (?P<q>"(?:[^"\n]|"")*"|'(?:[^'\n]|'')*')
  | (?P<w>(?:[^\s,;:\[\]()\#"'/]|/(?!\*))+)
  | (?P<x>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_DATA = ("w", "q")  # kinds of the tokens that are symbols or numbers (words, quoted strings)


class _MathProg:
    """The tokens of a data file and one pass over its statements, collecting the set members,
    the parameter records (as token indices) and the problems."""

    def __init__(self, source: str, label: str) -> None:
        self.problems: list[Problem] = []
        self.report = _Sink(label, "line", self.problems)
        self.kind: list[str] = []
        self.text: list[str] = []
        self.line: list[int] = []
        self.bol: list[bool] = []  # first token of its line
        self.members: dict[str, list[int]] = {}
        self.seen: dict[str, int] = {}  # set or parameter name → line of its statement
        self.defaults: dict[str, float] = {}
        self.keys: dict[str, list[list[int]]] = {}
        self.vals: dict[str, list[int]] = {}
        line, bol = 1, True
        for m in _TOKEN.finditer(source):
            kind, text = m.lastgroup or "x", m.group()
            if kind in ("nl", "bc"):
                line, bol = line + text.count("\n"), bol or "\n" in text
            elif kind == "open":
                self.report(line, None, "/*", "a comment closed by '*/'")
                break
            elif kind == "x":
                self.report(line, None, text, "a name, a number or one of := : ; [ ] (tr)")
            elif kind not in ("sp", "cm"):
                if kind == "q":
                    text = text[1:-1].replace(text[0] * 2, text[0])
                self.kind.append(kind)
                self.text.append(text)
                self.line.append(line)
                self.bol.append(bol)
                bol = False

    def _is(self, i: int, kind: str, text: str) -> bool:
        return i < len(self.kind) and self.kind[i] == kind and self.text[i] == text

    def _bad(self, i: int, field: str | None, expected: str, value: str | None = None) -> None:
        self.report(self.line[i], field, self.text[i] if value is None else value, expected)

    def _starts(self, j: int) -> bool:
        """Whether token j begins a statement (to detect a missing ';')."""
        if not self.bol[j] or self.kind[j] != "w":
            return False
        t, more = self.text[j], j + 1 < len(self.kind)
        if t in ("param", "set"):
            return more and (self.kind[j + 1] == "w" or self._is(j + 1, "p", ":"))
        return t in ("end", "data") and (not more or self._is(j + 1, "p", ";"))

    def run(self) -> None:
        n, i = len(self.kind), 0
        while i < n:
            if self._is(i, "p", ";"):  # an empty statement
                i += 1
                continue
            j = i + 1
            while j < n and not self._is(j, "p", ";") and not self._starts(j):
                j += 1
            head = self.text[i] if self.kind[i] == "w" else ""
            if head == "end":
                return
            closed = self._is(j, "p", ";")
            if not closed and head in ("param", "set"):
                nxt = (
                    f"the next statement (line {self.line[j]})" if j < n else "the end of the file"
                )
                stmt = " ".join(self.text[i : min(i + 2, j)])
                field = self.text[i + 1] if j > i + 1 else None
                self._bad(i, field, f"';' to end this statement before {nxt}", stmt)
            if head == "param":
                self._param(i, j)
            elif head == "set":
                self._set(i, j)
            elif not (head == "data" and j == i + 1):
                self._bad(i, None, "a 'set' or 'param' statement")
            i = j + 1 if closed else j

    def _register(self, i: int, known: Collection[str], expected: Callable[[str], str]) -> bool:
        name = self.text[i]
        if name not in known:
            self._bad(i, name, expected(name))
        elif name in self.seen:
            first = self.seen[name]
            self._bad(i, name, f"one statement per set or parameter (first at line {first})")
        else:
            self.seen[name] = self.line[i]
            return True
        return False

    def _set(self, s: int, e: int) -> None:
        if s + 1 >= e or self.kind[s + 1] not in _DATA:
            self._bad(s, None, "a set name after 'set'")
            return
        name, i = self.text[s + 1], s + 2 + (s + 2 < e and self.kind[s + 2] == "as")
        other = next((k for k in range(i, e) if self.kind[k] not in _DATA), None)
        if name in _IGNORED:
            return
        if self._register(s + 1, SETS, lambda n: "a set of the OSeMOSYS model" + _near(n, SETS)):
            if other is not None:
                self._bad(other, name, "a list of members (OSeMOSYS sets are simple sets)")
            else:
                self.members[name] = list(range(i, e))

    def _default(self, i: int, e: int, field: str | None) -> float | None:
        if i + 1 >= e or self.kind[i + 1] not in _DATA:
            self._bad(i, field, "a number after 'default'")
            return None
        value = _number(self.text[i + 1])
        if value is None:
            self._bad(i + 1, field, "a number")
        return value

    def _param(self, s: int, e: int) -> None:
        i = s + 1
        if i < e and (self._is(i, "w", "default") or self._is(i, "p", ":")):
            self._tabbing(s, e)
        elif i >= e or self.kind[i] not in _DATA:
            self._bad(s, None, "a parameter name after 'param'")
        elif self.text[i] not in _IGNORED and self._register(i, PARAMS, _param_expected):
            name = self.text[i]
            if self._is(i + 1, "w", "default"):
                if (default := self._default(i + 1, e, name)) is not None:
                    self.defaults[name] = default
                i += 2
            self._records(PARAMS[name], i + 1, e)

    def _add(self, name: str, key: list[int], value: int) -> None:
        if not (self.kind[value] == "w" and self.text[value] == "."):  # "." gives no value
            self.keys.setdefault(name, []).append(key)
            self.vals.setdefault(name, []).append(value)

    def _run_end(self, i: int, e: int) -> int:
        while i < e and self.kind[i] in _DATA:
            i += 1
        return i

    def _records(self, spec: ParamSpec, i: int, e: int) -> None:
        """Plain data, slices and tables of one parameter statement."""
        name, dim = spec.name, len(spec.dims)
        fixed: list[int | None] | None = [None] * dim  # the slice: a token per fixed position
        while i < e:
            if self.kind[i] == "as":
                i += 1
            elif self._is(i, "p", "["):
                j = i + 1
                while j < e and not self._is(j, "p", "]"):
                    j += 1
                inner = list(range(i + 1, j))
                shown = "[" + ",".join(self.text[k] for k in inner) + "]"
                if j >= e or any(self.kind[k] not in _DATA for k in inner):
                    self._bad(i, name, "a slice such as [r,*,*] closed by ']'", shown)
                    return
                fixed = [None if self.text[k] == "*" else k for k in inner]
                if len(inner) != dim:  # the records that follow are skipped
                    fixed = None
                    expected = f"a slice of {dim} positions ({', '.join(spec.dims)})"
                    self._bad(i, name, expected, shown)
                i = j + 1
            elif self.kind[i] == "tr" or self._is(i, "p", ":"):
                i = self._table(spec, fixed, i, e)
            elif self.kind[i] in _DATA:
                j = self._run_end(i, e)
                if fixed is not None:
                    free = [p for p, f in enumerate(fixed) if f is None]
                    names = ", ".join(spec.dims[p] for p in free)
                    what = f"{len(free)} index values ({names}) and a value"
                    for row in self._rows(list(range(i, j)), len(free) + 1, len(free), name, what):
                        key = [-1 if f is None else f for f in fixed]
                        for p, k in zip(free, row, strict=False):
                            key[p] = k
                        self._add(name, key, row[-1])
                i = j
            else:
                self._bad(i, name, "a record: values, a slice [ … ] or a table ': … :='")
                return

    def _table(self, spec: ParamSpec, fixed: list[int | None] | None, i: int, e: int) -> int:
        """A table ``[(tr)] : c1 … cn := r v … v …``; returns the index after its body."""
        name, start, transposed = spec.name, i, self.kind[i] == "tr"
        if transposed:
            if not self._is(i + 1, "p", ":"):
                self._bad(i, name, "':' and the column labels after (tr)")
                return self._run_end(i + 1, e)
            i += 1
        j = self._run_end(i + 1, e)
        if j >= e or self.kind[j] != "as":
            self._bad(start, name, "':=' after the column labels of the table")
            return max(j, i + 1)
        cols, end = list(range(i + 1, j)), self._run_end(j + 1, e)
        free = [] if fixed is None else [p for p, f in enumerate(fixed) if f is None]
        if fixed is None or len(free) != 2:  # a bad slice is reported already
            if fixed is not None:
                expected = f"a slice with two '*' before a table ({name} has {len(fixed)} indices)"
                self._bad(start, name, expected)
            return end
        rpos, cpos = (free[1], free[0]) if transposed else (free[0], free[1])
        what = f"a row label and {len(cols)} values (the table at line {self.line[start]})"
        for row in self._rows(list(range(j + 1, end)), len(cols) + 1, 1, name, what):
            for c, v in zip(cols, row[1:], strict=True):
                key = [-1 if f is None else f for f in fixed]
                key[rpos], key[cpos] = row[0], c
                self._add(name, key, v)
        return end

    def _tabbing(self, s: int, e: int) -> None:
        """``param [default d] : P1 P2 … := k1 … kn v1 v2 …`` (otoole writes this form)."""
        i, default = s + 1, None
        if self._is(i, "w", "default"):
            default, i = self._default(i, e, None), i + 2
        j = self._run_end(i + 1, e)
        names = list(range(i + 1, j))
        if not self._is(i, "p", ":") or j >= e or self.kind[j] != "as" or not names:
            expected = "':', the parameter names and ':=' (tabbing data; no set prefix)"
            self._bad(min(j, e - 1), None, expected)
            return
        registered = [self._register(k, PARAMS, _param_expected) for k in names]
        if not all(registered):  # every name is checked, so all unknown names are reported
            return
        specs = [PARAMS[self.text[k]] for k in names]
        dim = len(specs[0].dims)
        if any(len(p.dims) != dim for p in specs):
            self._bad(names[0], None, "parameters with the same number of indices in one block")
            return
        if default is not None:
            self.defaults.update({p.name: default for p in specs})
        end = self._run_end(j + 1, e)
        if end < e:
            self._bad(end, None, "index values and values only, in tabbing data")
        what = f"{dim} index values and {len(specs)} value(s)"
        for row in self._rows(list(range(j + 1, end)), dim + len(specs), dim, specs[0].name, what):
            for p, v in zip(specs, row[dim:], strict=True):
                self._add(p.name, row[:dim], v)

    def _rows(
        self, body: list[int], width: int, first_value: int, field: str, what: str
    ) -> list[list[int]]:
        """Split tokens into records of ``width`` tokens, reporting the lines that do not fit.

        MathProg ignores line breaks, so a body is accepted whole if every line holds whole
        records, or if it splits into records with numbers in their value positions. Otherwise
        each line not holding whole records is a problem, and the other lines are still read."""
        lines = [list(g) for _, g in itertools.groupby(body, key=self.line.__getitem__)]
        if all(len(g) % width == 0 for g in lines):
            return [g[k : k + width] for g in lines for k in range(0, len(g), width)]
        rows = [body[k : k + width] for k in range(0, len(body), width)]
        if len(body) % width == 0 and all(
            self.text[v] == "." or _number(self.text[v]) is not None
            for r in rows
            for v in r[first_value:]
        ):
            return rows
        for g in lines:
            if len(g) % width:
                shown = " ".join(self.text[k] for k in g)
                shown = shown if len(shown) <= 60 else shown[:59] + "…"
                self._bad(g[0], field, f"{width} tokens per record: {what} (found {len(g)})", shown)
        return [
            g[k : k + width] for g in lines if len(g) % width == 0 for k in range(0, len(g), width)
        ]

    def result(self, source: str) -> ModelData:
        """The data read, whatever the problems (they are in ``self.problems``)."""
        text, line = self.text, self.line
        sets = {}
        for name in SETS:
            tokens = self.members.get(name, [])
            sets[name] = _type_set(
                name, [text[k] for k in tokens], [line[k] for k in tokens], self.report
            )
        params = {}
        for name, spec in PARAMS.items():
            keys, vals = self.keys.get(name, []), self.vals.get(name, [])
            key_text = [[text[k[p]] for k in keys] for p in range(len(spec.dims))]
            key_line = [[line[k[p]] for k in keys] for p in range(len(spec.dims))]
            val_text, val_line = [text[v] for v in vals], [line[v] for v in vals]
            params[name] = _assemble(
                spec, key_text, key_line, val_text, val_line, sets, self.report
            )
        defaults = {name: self.defaults.get(name, spec.default) for name, spec in PARAMS.items()}
        return ModelData(sets, params, defaults, source)


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def read_mathprog(path: str | Path) -> ModelData:
    """Read a GNU MathProg data file (the data section of an OSeMOSYS model)."""
    p = Path(path)
    parser = _MathProg(_decode(p.read_bytes()), p.name)
    parser.run()
    data = parser.result(str(p))
    if parser.problems:
        raise PlanValidationError(parser.problems)
    return data


# ---- otoole CSV --------------------------------------------------------------------------------


def _read_csv(path: Path, columns: list[str], problem: _Sink) -> tuple[pd.DataFrame, list[int]]:
    """A CSV file as stripped text cells in ``columns`` (any order), without blank lines; with
    each row's number. A file that cannot be used is a problem and reads as empty."""
    empty = pd.DataFrame({c: pd.Series([], dtype=object) for c in columns})
    try:
        df = pd.read_csv(
            path, dtype=str, keep_default_na=False, skip_blank_lines=False, encoding="utf-8-sig"
        )
    except pd.errors.EmptyDataError:
        problem(None, None, None, f"a header row {','.join(columns)}")
        return empty, []
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        problem(None, None, None, f"a well-formed UTF-8 CSV file ({exc})")
        return empty, []
    df.columns = [str(c).strip() for c in df.columns]
    if sorted(df.columns) != sorted(columns) and not (columns == ["VALUE"] and "VALUE" in df):
        problem(1, path.stem, ",".join(df.columns), "the columns " + ",".join(columns))
        return empty, []
    df = df[columns].apply(lambda c: c.str.strip())
    df = df[~(df == "").all(axis=1)]
    return df, [int(i) + 2 for i in df.index]


def _read_config(path: Path, problems: list[Problem]) -> dict[str, float]:
    """Defaults from otoole's config.yaml (a top-level ``Name:``, then an indented ``default:``)."""
    defaults: dict[str, float] = {}
    current = None
    for no, raw in enumerate(_decode(path.read_bytes()).splitlines(), start=1):
        line = raw.split("#", 1)[0].rstrip()
        if line and not line[0].isspace():
            current = line[:-1].strip().strip("'\"") if line.endswith(":") else None
        elif current in PARAMS and line.strip().startswith("default:"):
            text = line.split(":", 1)[1].strip()
            if (value := _number(text)) is None:
                problems.append(Problem(path.name, no, current, text, "a number"))
            else:
                defaults[current] = value
    return defaults


def read_otoole_csv(folder: str | Path, *, config: str | Path | None = None) -> ModelData:
    """Read an otoole CSV folder. Defaults come from ``config`` (otoole's config.yaml), else from
    ``folder/config.yaml`` if there is one, else from :data:`PARAMS`; a CSV file that is absent
    is a set or parameter without data."""
    root = Path(folder)
    if not root.is_dir():
        raise NotADirectoryError(f"not a folder of otoole CSV files: {root}")
    problems: list[Problem] = []
    files = {p.stem: p for p in sorted(root.glob("*.csv"))}
    known = set(SETS) | set(PARAMS)
    for stem in sorted(set(files) - known - _IGNORED):
        expected = "a set or parameter of the OSeMOSYS model" + _near(stem, known)
        problems.append(Problem(files[stem].name, None, None, stem, expected))
    sets: dict[str, list[Member]] = {}
    for name in SETS:
        sink = _Sink(f"{name}.csv", "row", problems)
        df, rows = _read_csv(files[name], ["VALUE"], sink) if name in files else (None, [])
        sets[name] = _type_set(name, [] if df is None else df["VALUE"].tolist(), rows, sink)
    params: dict[str, pd.Series] = {}
    for name, spec in PARAMS.items():
        sink, columns = _Sink(f"{name}.csv", "row", problems), [*_labels(spec.dims), "VALUE"]
        df, rows = _read_csv(files[name], columns, sink) if name in files else (None, [])
        cells = [[] if df is None else df[c].tolist() for c in columns]
        params[name] = _assemble(
            spec, cells[:-1], [rows] * len(spec.dims), cells[-1], rows, sets, sink
        )
    cfg = Path(config) if config is not None else root / "config.yaml"
    given = _read_config(cfg, problems) if config is not None or cfg.is_file() else {}
    if problems:
        raise PlanValidationError(problems)
    defaults = {name: given.get(name, spec.default) for name, spec in PARAMS.items()}
    return ModelData(sets, params, defaults, str(root))


def _write(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def write_otoole_csv(data: ModelData, folder: str | Path) -> Path:
    """Write ``data`` as an otoole CSV folder, with otoole's config.yaml holding the data's
    defaults and ``_REGION.csv`` (otoole's copy of REGION for TradeRoute); returns the folder."""
    root = Path(folder)
    root.mkdir(parents=True, exist_ok=True)
    config: list[str] = []
    for name in [*SETS, "_REGION"]:
        members = data.sets.get(name.lstrip("_"), [])
        _write(root / f"{name}.csv", ["VALUE"], ([m] for m in members))
        dtype = "int" if _is_int_set(name, members) else "str"
        config.append(f"{name}:\n    dtype: {dtype}\n    type: set\n")
    for name, spec in PARAMS.items():
        s = data.params.get(name, pd.Series([], dtype=float))
        keys = list(s.index) if len(spec.dims) > 1 else [(k,) for k in s.index]
        rows = [[*key, repr(float(v))] for key, v in zip(keys, s.to_numpy(), strict=True)]
        _write(root / f"{name}.csv", [*_labels(spec.dims), "VALUE"], rows)
        default = data.defaults.get(name, spec.default)
        config.append(
            f"{name}:\n    indices: [{','.join(_labels(spec.dims))}]\n    type: param\n"
            f"    dtype: float\n    default: {default!r}\n"
        )
    (root / "config.yaml").write_text("".join(config), encoding="utf-8")
    return root


def read_model(path: str | Path) -> ModelData:
    """Read OSeMOSYS data: a folder is an otoole CSV folder, a file a GNU MathProg data file."""
    p = Path(path)
    if p.is_dir():
        return read_otoole_csv(p)
    if not p.exists():
        raise FileNotFoundError(f"no OSeMOSYS data file or otoole CSV folder at {p}")
    return read_mathprog(p)
