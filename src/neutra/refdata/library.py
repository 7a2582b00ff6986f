"""Loading factor sets and GWP sets; precedence and overrides; lookups with citations.

A factor set is a CSV file whose every row carries its source, licence and status. A plan names
the sets it uses, in order; for each activity id the *last* set that defines it wins, whole: an
id's NCV, carbon content and factors never come from two different sets. A plan's own
``factors.csv`` comes last, so its ids override the packaged ones.
"""

from __future__ import annotations

import difflib
import functools
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

import numpy as np
import pandas as pd

from neutra import units
from neutra.errors import Problem, ReferenceDataError, UnitError
from neutra.model.enums import Status

FACTOR_COLUMNS: tuple[str, ...] = (
    "id",
    "parameter",
    "gas",
    "value",
    "unit",
    "lower",
    "upper",
    "region",
    "year",
    "purpose",
    "convention",
    "name_en",
    "name_zh",
    "source",
    "licence",
    "status",
    "note",
)
PARAMETERS = frozenset(
    {
        "ncv",
        "carbon_content",
        "oxidation",
        "ef",
        "biogenic_fraction",
        "mass_fraction",
        "ce_coefficient",
    }
)
GWP_COLUMNS: tuple[str, ...] = (
    "gas",
    "gwp_set",
    "origin",
    "value",
    "source",
    "licence",
    "status",
    "note",
)
USER_SET = "plan"


@dataclass(frozen=True, slots=True)
class FactorSetInfo:
    """A factor set as the manifest describes it."""

    id: str
    file: str
    title_en: str
    title_zh: str
    source: str
    licence: str
    default: bool


@dataclass(frozen=True, slots=True)
class EtsSetInfo:
    """An ETS template's data set as the manifest describes it (``[[ets_sets]]``)."""

    id: str
    file: str
    title_en: str
    title_zh: str


@dataclass(frozen=True, slots=True)
class Manifest:
    """The packaged reference data: its version, factor sets, GWP sets and ETS data sets."""

    version: str
    sets: tuple[FactorSetInfo, ...]
    gwp_file: str
    gwp_sets: tuple[str, ...]
    default_gwp: str
    ets_sets: tuple[EtsSetInfo, ...] = ()

    def ets_set(self, set_id: str) -> EtsSetInfo:
        """The ETS data set ``set_id`` (see :mod:`neutra.market.templates`)."""
        for s in self.ets_sets:
            if s.id == set_id:
                return s
        raise ReferenceDataError(f"the manifest lists no [[ets_sets]] entry {set_id!r}")

    def info(self, set_id: str) -> FactorSetInfo:
        for s in self.sets:
            if s.id == set_id:
                return s
        raise ReferenceDataError(
            f"unknown factor set {set_id!r}; expected one of {', '.join(self.ids)}"
        )

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.sets)

    @property
    def defaults(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.sets if s.default)


def data_folder() -> resources.abc.Traversable:
    """The folder of the packaged reference data (``refdata/data``)."""
    return resources.files("neutra.refdata") / "data"


@functools.cache
def manifest() -> Manifest:
    """Read the packaged manifest (once)."""
    try:
        raw = tomllib.loads((data_folder() / "manifest.toml").read_text(encoding="utf-8"))
        sets = tuple(
            FactorSetInfo(
                s["id"],
                s["file"],
                s.get("title_en", s["id"]),
                s.get("title_zh", s.get("title_en", s["id"])),
                s.get("source", ""),
                s.get("licence", ""),
                bool(s.get("default", False)),
            )
            for s in raw["sets"]
        )
        ets_sets = tuple(
            EtsSetInfo(
                str(s["id"]),
                str(s["file"]),
                s.get("title_en", s["id"]),
                s.get("title_zh", s.get("title_en", s["id"])),
            )
            for s in raw.get("ets_sets", [])
        )
        gwp = raw["gwp"]
        return Manifest(
            str(raw["version"]), sets, gwp["file"], tuple(gwp["sets"]), gwp["default"], ets_sets
        )
    except (OSError, KeyError, TypeError, tomllib.TOMLDecodeError) as exc:
        raise ReferenceDataError(f"the packaged reference-data manifest is broken: {exc}") from exc


def _normalise_factor_frame(df: pd.DataFrame, set_id: str) -> pd.DataFrame:
    df = df.copy()
    for c in FACTOR_COLUMNS:
        if c not in df.columns:
            df[c] = None
    df = df[list(FACTOR_COLUMNS)]
    for c in ("value", "lower", "upper"):
        df[c] = pd.to_numeric(df[c], errors="raise").astype("float64")
    df["year"] = pd.to_numeric(df["year"], errors="raise").astype("Int64")
    text_cols = [c for c in FACTOR_COLUMNS if c not in ("value", "lower", "upper", "year")]
    for c in text_cols:
        df[c] = df[c].astype(object).where(df[c].notna(), "").astype(str).str.strip()
    df["status"] = df["status"].replace("", Status.UNVERIFIED.value)
    df["set"] = set_id
    return df


@functools.cache
def _packaged_set(set_id: str) -> pd.DataFrame:
    info = manifest().info(set_id)
    path = data_folder() / info.file
    try:
        with path.open("rb") as fh:
            df = pd.read_csv(fh, dtype=str, keep_default_na=False, encoding="utf-8")
        missing = set(FACTOR_COLUMNS) - set(df.columns)
        if missing:
            raise ReferenceDataError(f"{info.file}: missing columns {sorted(missing)}")
        df = df.replace("", np.nan)
        return _normalise_factor_frame(df, set_id)
    except (OSError, ValueError) as exc:
        raise ReferenceDataError(f"factor set {set_id!r} ({info.file}) is broken: {exc}") from exc


@functools.cache
def _gwp_table() -> pd.DataFrame:
    m = manifest()
    with (data_folder() / m.gwp_file).open("rb") as fh:
        df = pd.read_csv(fh, dtype=str, keep_default_na=False, encoding="utf-8")
    df["value"] = pd.to_numeric(df["value"], errors="raise")
    return df


def packaged_set(set_id: str) -> pd.DataFrame:
    """The rows of one packaged factor set (a copy)."""
    return _packaged_set(set_id).copy()


def check_user_factors(df: pd.DataFrame, label: str) -> list[Problem]:
    """Problems in a plan's own factor set (parameters, units, statuses, bounds)."""
    problems: list[Problem] = []
    statuses = {s.value for s in Status}
    rows = df["row"].to_numpy() if "row" in df else np.arange(2, len(df) + 2)
    for i, rec in enumerate(df.to_dict("records")):
        row = int(rows[i])
        if rec.get("parameter") not in PARAMETERS:
            problems.append(
                Problem(
                    label,
                    row,
                    "parameter",
                    str(rec.get("parameter")),
                    f"one of {', '.join(sorted(PARAMETERS))}",
                )
            )
        status = rec.get("status")
        if status not in (None, "") and status not in statuses:
            problems.append(
                Problem(label, row, "status", str(status), "verified, reported or unverified")
            )
        unit = rec.get("unit")
        try:
            units.parse(str(unit))
        except UnitError as exc:
            problems.append(Problem(label, row, "unit", str(unit), exc.expected))
        v, lo, hi = rec.get("value"), rec.get("lower"), rec.get("upper")
        if v is not None and lo is not None and not np.isnan(lo) and lo > v:
            problems.append(Problem(label, row, "lower", str(lo), f"a bound ≤ value {v}"))
        if v is not None and hi is not None and not np.isnan(hi) and hi < v:
            problems.append(Problem(label, row, "upper", str(hi), f"a bound ≥ value {v}"))
        if rec.get("parameter") in ("ef", "mass_fraction") and not rec.get("gas"):
            problems.append(Problem(label, row, "gas", None, "the gas of this factor"))
    return problems


class Library:
    """The factors a plan uses: its sets in precedence order, overridden by whole id."""

    def __init__(
        self,
        set_ids: Sequence[str],
        user: pd.DataFrame | None = None,
        user_label: str = "factors.csv",
    ) -> None:
        m = manifest()
        for s in set_ids:
            m.info(s)  # raises on an unknown set
        self.version = m.version
        self.set_ids: tuple[str, ...] = tuple(set_ids) + ((USER_SET,) if user is not None else ())
        frames = [_packaged_set(s) for s in set_ids]
        if user is not None:
            uf = user.drop(columns=[c for c in ("row", "file") if c in user.columns])
            uf = _normalise_factor_frame(uf, USER_SET)
            uf["source"] = uf["source"].where(uf["source"] != "", user_label)
            frames.append(uf)
        combined = (
            pd.concat(frames, ignore_index=True)
            if frames
            else pd.DataFrame(columns=[*FACTOR_COLUMNS, "set"])
        )
        # Whole-id override: each id's emission parameters come from the last set that defines
        # them, never mixed across sets; statistical conversion coefficients (ce_coefficient)
        # are overridden on their own, so a standard-coal set does not hide grid factors.
        order = {s: i for i, s in enumerate(self.set_ids)}
        rank = combined["set"].map(order)
        group = combined["parameter"].where(combined["parameter"] == "ce_coefficient", "emission")
        last = rank.groupby([combined["id"], group]).transform("max")
        self.table: pd.DataFrame = combined[rank == last].reset_index(drop=True)
        self.table["factor_id"] = self._factor_ids(self.table)
        self._by_id = {str(k): v for k, v in self.table.groupby("id", sort=False)}
        self.overridden = sorted(set(combined["id"][rank != last]))
        # Derived lookups (resolvers per GWP set and convention), built on first use.
        self.cache: dict[object, object] = {}

    @staticmethod
    def _factor_ids(t: pd.DataFrame) -> pd.Series:
        parts = [t["set"], t["id"], t["parameter"]]
        out = parts[0].str.cat(parts[1:], sep=":")
        for c in ("gas", "region", "purpose", "convention"):
            out = out.where(t[c] == "", out + ":" + t[c])
        yr = t["year"].astype("string").fillna("")
        return out.where(yr == "", out + ":" + yr)

    def has(self, activity_id: str) -> bool:
        return activity_id in self._by_id

    def rows(self, activity_id: str) -> pd.DataFrame:
        """All rows of one activity id (empty if unknown)."""
        return self._by_id.get(activity_id, self.table.iloc[0:0])

    @functools.cached_property
    def aliases(self) -> dict[str, str]:
        """Names users type for ids: the id itself and its English and Chinese names."""
        out: dict[str, str] = {}
        for rec in self.table[["id", "name_en", "name_zh"]].drop_duplicates().itertuples():
            for name in (rec.name_en, rec.name_zh):
                if name:
                    out.setdefault(str(name).strip().lower(), str(rec.id))
        for i in self._by_id:
            out[i.lower()] = i
        return out

    def canonical(self, text: str) -> str | None:
        """The id a user's text names (id, English or Chinese name), or ``None``."""
        return self.aliases.get(text.strip().lower())

    def suggest(self, text: str, n: int = 3) -> list[str]:
        """Ids close to a misspelt text."""
        hits = difflib.get_close_matches(
            text.strip().lower(), list(self.aliases), n=n * 2, cutoff=0.6
        )
        out: list[str] = []
        for h in hits:
            i = self.aliases[h]
            if i not in out:
                out.append(i)
        return out[:n]

    def regions(self, activity_id: str = "electricity") -> set[str]:
        r = self.rows(activity_id)
        return set(r["region"][r["region"] != ""])

    def used(self, factor_ids: set[str]) -> pd.DataFrame:
        """The rows behind a set of factor ids, for a citation appendix."""
        return self.table[self.table["factor_id"].isin(factor_ids)].reset_index(drop=True)


def gwp_table(gwp_set: str) -> pd.DataFrame:
    """The GWP values of one set, with their sources."""
    t = _gwp_table()
    if gwp_set not in set(t["gwp_set"]):
        raise ReferenceDataError(
            f"unknown GWP set {gwp_set!r}; expected one of {', '.join(manifest().gwp_sets)}"
        )
    return t[t["gwp_set"] == gwp_set].reset_index(drop=True)


def gwp_sets() -> tuple[str, ...]:
    return manifest().gwp_sets


def load_library(
    set_ids: Sequence[str] | None, user: pd.DataFrame | None = None, user_label: str = "factors.csv"
) -> Library:
    """The factor library of a plan (the manifest's defaults when it names no sets)."""
    return Library(tuple(set_ids) if set_ids is not None else manifest().defaults, user, user_label)
