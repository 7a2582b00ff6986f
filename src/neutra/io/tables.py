"""Raw tables from CSV files or workbook sheets, and their vectorised typing against a spec.

Every problem found is collected (never only the first): unknown or missing columns, empty
required cells, malformed numbers, values out of range, duplicate rows.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from neutra.errors import PlanError, PlanValidationError, Problem
from neutra.model.tables import Column, TableSpec

# Column headers a Chinese user may type, mapped to the canonical names.
HEADER_ALIASES: dict[str, str] = {
    "设施": "facility",
    "年份": "year",
    "年": "year",
    "范围": "scope",
    "类别": "category",
    "排放源类别": "category",
    "活动": "activity",
    "燃料": "activity",
    "燃料品种": "activity",
    "活动数据": "amount",
    "数量": "amount",
    "消耗量": "amount",
    "单位": "unit",
    "月份": "month",
    "月": "month",
    "低位发热量": "ncv",
    "低位发热量单位": "ncv_unit",
    "单位热值含碳量": "carbon_content",
    "含碳量": "carbon_content",
    "碳氧化率": "oxidation",
    "层级": "tier",
    "不确定性": "uncertainty_pct",
    "证据": "evidence",
    "备注": "note",
}
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_TRUE = {"true", "yes", "y", "1", "是", "t"}
_FALSE = {"false", "no", "n", "0", "否", "f"}
MAX_VALUES_LISTED = 50  # distinct bad values listed per column; the rest are summarised


def column_letter(index: int) -> str:
    """Spreadsheet column letter of a 0-based column index (0 → A, 26 → AA)."""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def cell_text(v: Any) -> str:
    """A typed table's cell as text: blank (``""``) for a missing value, else stripped."""
    if v is None or pd.isna(v):
        return ""
    return str(v).strip()


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a row came from, to point at it (file, row and workbook column letters)."""

    file: str
    row: int
    letters: tuple[tuple[str, str], ...] = ()

    def problem(self, column: str | None, value: Any, expected: str) -> Problem:
        cell = None
        letters = dict(self.letters)
        if column in letters:
            cell = f"{letters[column]}{self.row}"
        return Problem(
            self.file, self.row, column, None if value is None else str(value), expected, cell
        )


@dataclass
class RawTable:
    """A table as read: every cell as stripped text, and how to point at a cell."""

    spec: TableSpec
    label: str
    frame: pd.DataFrame
    rows: np.ndarray  # the row number the user sees for each frame row
    letters: dict[str, str] | None = None  # workbook column letters by column name
    problems: list[Problem] = field(default_factory=list)

    def problem(
        self, rows: np.ndarray | list[int], column: str | None, value: str | None, expected: str
    ) -> Problem:
        rows_t = tuple(int(r) for r in rows)
        first = rows_t[0] if rows_t else None
        cell = None
        if self.letters is not None and column in self.letters and first is not None:
            cell = f"{self.letters[column]}{first}"
        return Problem(
            self.label, first, column, value, expected, cell, rows_t if len(rows_t) > 1 else ()
        )


# Chinese headers of the scenario tables; where a word means another column in another table
# (燃料 is the activity of activity.csv but the fuel of expressions.csv), the table decides.
SIM_HEADER_ALIASES: dict[str, str] = {
    "情景": "scenario",
    "父情景": "parents",
    "措施": "measure",
    "分支": "branch",
    "类型": "kind",
    "变量": "variable",
    "燃料": "fuel",
    "燃料品种": "fuel",
    "气体": "gas",
    "表达式": "expression",
    "数值": "expression",
    "驱动因素": "driver",
    "杠杆": "lever",
    "部门": "sector",
    "单位": "unit",
    "备注": "note",
    "名称": "name",
    "中文名称": "name_zh",
}


def normalise_headers(headers: list[str], names: tuple[str, ...] = ()) -> list[str]:
    """Canonical column names: stripped, lower case, spaces to underscores, Chinese aliases
    (those of the scenario tables first when ``names``, the table's columns, has their target)."""
    out = []
    for h in headers:
        s = str(h).replace("\ufeff", "").strip()
        sim = SIM_HEADER_ALIASES.get(s)
        if sim is not None and sim not in names and f"{sim}s" in names:
            sim = f"{sim}s"  # 措施 is the measures (plural) column of scenarios.csv
        s = sim if sim is not None and sim in names else HEADER_ALIASES.get(s, s)
        out.append(re.sub(r"\s+", "_", s.lower()))
    return out


def frame_from_cells(
    spec: TableSpec,
    label: str,
    header: list[str],
    body: list[list[str]],
    first_row: int,
    letters: bool = False,
) -> RawTable:
    """Build a :class:`RawTable` from a header and body of text cells; check the columns."""
    names = normalise_headers(header, spec.names)
    problems: list[Problem] = []
    width = len(names)
    frame = (
        pd.DataFrame(
            [r[:width] + [""] * (width - len(r)) for r in body], columns=names, dtype=object
        )
        if body
        else pd.DataFrame(columns=names, dtype=object)
    )
    rows = np.arange(first_row, first_row + len(frame), dtype=np.int64)
    letter_map = {n: column_letter(i) for i, n in enumerate(names)} if letters else None
    raw = RawTable(spec, label, frame, rows, letter_map, problems)
    seen: set[str] = set()
    for i, n in enumerate(names):
        where = [1]
        if n == "":
            problems.append(
                Problem(
                    label,
                    1,
                    None,
                    header[i],
                    "a column name in every header cell",
                    f"{column_letter(i)}1" if letters else None,
                )
            )
            continue
        if n in seen:
            problems.append(raw.problem(where, n, n, "each column once"))
        seen.add(n)
        if n not in spec.names:
            near = difflib.get_close_matches(n, spec.names, n=1)
            hint = f" (did you mean '{near[0]}'?)" if near else ""
            problems.append(
                Problem(
                    label,
                    1,
                    n,
                    n,
                    f"one of the columns {', '.join(spec.names)}{hint}",
                    f"{column_letter(i)}1" if letters else None,
                )
            )
    for req in spec.required:
        if req not in names:
            problems.append(
                Problem(label, 1, req, None, f"a '{req}' column ({spec.column(req).description})")
            )
    if not body and not problems:
        problems.append(Problem(label, None, None, None, f"at least one row of {spec.description}"))
    if frame.columns.duplicated().any():  # reported above; type the first of each name only
        raw.frame = frame.loc[:, ~frame.columns.duplicated()]
    return raw


def _report(raw: RawTable, mask: np.ndarray, column: str, text: pd.Series, expected: str) -> None:
    """Add one problem per distinct bad value (with all its rows) where ``mask`` is set."""
    if not mask.any():
        return
    bad_rows = raw.rows[mask]
    bad_vals = text.to_numpy()[mask]
    groups: dict[str, list[int]] = {}
    for v, r in zip(bad_vals, bad_rows, strict=True):
        groups.setdefault(str(v), []).append(int(r))
        if len(groups) > MAX_VALUES_LISTED:
            break
    for v, rs in list(groups.items())[:MAX_VALUES_LISTED]:
        raw.problems.append(raw.problem(rs, column, v, expected))
    if len(groups) > MAX_VALUES_LISTED:
        raw.problems.append(
            raw.problem(bad_rows, column, None, f"{expected} (more bad values not listed)")
        )


def _parse_numbers(text: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Numbers from text, thousands separators allowed; (values, malformed-mask)."""
    s = text.astype(str).str.strip().str.replace("\u00a0", "", regex=False)
    thousands = s.str.match(_THOUSANDS)
    if thousands.any():
        s = s.where(~thousands, s.str.replace(",", "", regex=False))
    values = pd.to_numeric(s.where(s != ""), errors="coerce").to_numpy(dtype=np.float64)
    bad = np.isnan(values) & (s != "").to_numpy()
    bad |= np.isinf(values)
    return values, bad


def type_table(raw: RawTable) -> tuple[pd.DataFrame, np.ndarray]:
    """Type every column of ``raw`` by its spec, collecting problems into ``raw.problems``.

    Returns:
        the typed frame (columns of the spec that are present, plus ``row``) and a mask of rows
        that have at least one problem.
    """
    spec = raw.spec
    n = len(raw.frame)
    bad_any = np.zeros(n, dtype=bool)
    out: dict[str, object] = {"row": raw.rows}
    for col in spec.columns:
        if col.name not in raw.frame.columns:
            continue
        text = raw.frame[col.name].fillna("").astype(str).str.strip()
        empty = (text == "").to_numpy()
        if col.required:
            _report(raw, empty, col.name, text, f"a value ({col.description})")
            bad_any |= empty
        if col.kind == "str":
            out[col.name] = text.where(~empty, None).to_numpy(dtype=object)
            continue
        if col.kind == "bool":
            low = text.str.lower()
            truth = low.isin(_TRUE).to_numpy()
            falsity = low.isin(_FALSE).to_numpy()
            bad = ~(truth | falsity | empty)
            _report(raw, bad, col.name, text, "true or false (是/否)")
            bad_any |= bad
            out[col.name] = pd.array(np.where(empty, None, truth), dtype="boolean")
            continue
        values, bad = _parse_numbers(text)
        _report(raw, bad, col.name, text, f"a number ({col.description})")
        bad_any |= bad
        ok = ~np.isnan(values)
        if col.kind == "int":
            frac = ok & (np.mod(np.where(ok, values, 0), 1) != 0)
            _report(raw, frac, col.name, text, f"a whole number ({col.description})")
            bad_any |= frac
        _range_check(raw, col, values, ok, text, bad_any)
        if col.kind == "int":
            out[col.name] = pd.array(np.where(ok, values, np.nan), dtype="Float64").astype("Int64")
        else:
            out[col.name] = values
    return pd.DataFrame(out), bad_any


def _range_check(
    raw: RawTable,
    col: Column,
    values: np.ndarray,
    ok: np.ndarray,
    text: pd.Series,
    bad_any: np.ndarray,
) -> None:
    lo, hi = col.minimum, col.maximum
    if lo is None and hi is None:
        return
    bad = np.zeros_like(ok)
    if lo is not None:
        bad |= ok & (values < lo)
    if hi is not None:
        bad |= ok & (values > hi)
    if col.name == "amount" and lo is not None:
        expected = f"a number ≥ {lo:g} ({col.description})"
    elif lo is not None and hi is not None:
        expected = f"a value from {lo:g} to {hi:g} ({col.description})"
    elif lo is not None:
        expected = f"a value ≥ {lo:g} ({col.description})"
    else:
        expected = f"a value ≤ {hi:g} ({col.description})"
    _report(raw, bad, col.name, text, expected)
    bad_any |= bad


def duplicate_rows(raw: RawTable, typed: pd.DataFrame) -> np.ndarray:
    """Report rows identical in every column to an earlier row; return their mask."""
    cols = [c for c in typed.columns if c != "row"]
    if not cols or typed.empty:
        return np.zeros(len(typed), dtype=bool)
    dup = typed.duplicated(subset=cols, keep="first").to_numpy()
    if dup.any():
        keys = pd.util.hash_pandas_object(typed[cols], index=False).to_numpy()
        first_row: dict[int, int] = {}
        for key, row, is_dup in zip(keys, typed["row"], dup, strict=True):
            if not is_dup:
                first_row.setdefault(int(key), int(row))
                continue
            raw.problems.append(
                raw.problem(
                    [int(row)],
                    None,
                    None,
                    f"a row that differs from row {first_row[int(key)]}; it is an exact "
                    "duplicate (counted twice) — delete it or make it distinguishable "
                    "(month, evidence)",
                )
            )
    return np.asarray(dup, dtype=bool)


def decode_text(data: bytes, label: str) -> tuple[str | None, Problem | None]:
    """Text of a CSV file's bytes: UTF-8 (with or without BOM), else GB18030/GBK as Excel
    writes it; else the problem."""
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc), None
        except UnicodeDecodeError:
            continue
    return None, Problem(
        label, None, None, None, "text encoded as UTF-8 or GBK/GB18030 (save as 'CSV UTF-8')"
    )


def duplicate_keys(raw: RawTable, typed: pd.DataFrame, keys: list[str], what: str) -> list[Problem]:
    """One problem per value of ``keys`` (rows with all of them filled) that stands in more
    than one row, with all its rows: "each ``what`` once". None if a key column is absent."""
    if not set(keys) <= set(typed.columns):
        return []
    sub = typed.dropna(subset=keys)
    dup = sub.duplicated(subset=keys, keep=False)
    out = []
    for key, group in sub[dup].groupby(keys, sort=False):
        rows = [int(r) for r in group["row"]]
        shown = key if isinstance(key, tuple) else (key,)
        out.append(
            raw.problem(rows, keys[-1], " / ".join(str(k) for k in shown), f"each {what} once")
        )
    return out


def read_text_file(path: Path, label: str) -> tuple[str | None, Problem | None]:
    """Text of a CSV file: UTF-8 (with or without BOM), else GB18030/GBK as Excel writes it."""
    data = path.read_bytes()
    if not data.strip():
        return None, Problem(label, None, None, None, "a non-empty CSV file with a header row")
    return decode_text(data, label)


def locate_csv_rows(raw: RawTable, text: str, header: list[str], body: list[list[str]]) -> None:
    """Give ``raw`` the row numbers a user sees in a spreadsheet (header = row 1, blank lines
    counted, a cell over two lines one row: :func:`numbered_records`) and report every row with
    more fields than the header."""
    rows = [n for n, _r in numbered_records(text, raw.label)]
    raw.rows = np.asarray(rows[1 : len(body) + 1], dtype=np.int64)
    _long_rows(raw, header, body)


def _long_rows(raw: RawTable, header: list[str], body: list[list[str]]) -> None:
    """Report every row of ``body`` with more fields than the header (rows in ``raw.rows``)."""
    for i, r in enumerate(body):
        if len(r) > len(header):
            raw.problems.append(
                raw.problem(
                    [int(raw.rows[i])],
                    None,
                    ",".join(r),
                    f"at most {len(header)} fields, as in the header",
                )
            )


def csv_records(text: str, label: str) -> list[list[str]]:
    """The non-blank records of a standalone CSV table's text (:func:`numbered_records` without
    the row numbers); raise :class:`PlanValidationError` when it is not CSV or has no rows."""
    return [r for _n, r in numbered_records(text, label)]


def read_csv_records(path: Path, label: str) -> tuple[str, list[list[str]]]:
    """The text of a standalone CSV table (UTF-8 or GBK) and its non-blank records; raise
    :class:`PlanValidationError` when it cannot be read, is not CSV or has no rows."""
    text, problem = read_text_file(path, label)
    if text is None:
        raise PlanValidationError([problem] if problem else [])
    return text, csv_records(text, label)


def alias_headers(header: list[str], aliases: Mapping[str, str]) -> list[str]:
    """A table's own header aliases (e.g. Chinese headers) applied to the header cells, before
    the project's common ones (:func:`normalise_headers`)."""
    return [aliases.get(h.replace("\ufeff", "").strip(), h) for h in header]


def raw_csv_table(
    text: str,
    records: list[list[str]],
    spec: TableSpec | Callable[[list[str]], TableSpec],
    label: str,
    aliases: Mapping[str, str] | None = None,
) -> RawTable:
    """A :class:`RawTable` of a standalone CSV table's text, labelled ``label``: that of
    :func:`raw_text_table`. ``records`` (the text's :func:`csv_records`) is not used: the rows
    are read from the text, numbered as a spreadsheet shows them."""
    return raw_text_table(TableText(text, label), spec, aliases)


@dataclass(frozen=True)
class TableText:
    """A standalone table given as text instead of a file: a plan's side table.

    Attributes:
        text: the table as CSV text (decoded).
        label: what problems name as the file: ``macc.csv`` (a plan folder's file) or
            ``plan.xlsx[macc]`` (a workbook's sheet).
        sheet: the text is a workbook sheet's (:func:`neutra.io.workbook.sheet_csv`: CSV
            record *i* is sheet row *i* + 1, blank rows as empty records), so problems also
            name cells (``F12``). Rows are those a spreadsheet shows either way
            (:func:`numbered_records`).
    """

    text: str
    label: str
    sheet: bool = False


# Where a standalone table is read from: a CSV file, or a text (a plan's side table).
TableSource = str | Path | TableText


def numbered_records(text: str, label: str) -> list[tuple[int, list[str]]]:
    """The non-blank records of a CSV text with the rows a spreadsheet shows them in: record
    *i* (blank ones counted) is row *i* + 1, a cell over two lines staying in one row; raise
    :class:`PlanValidationError` when it is not CSV or has no rows."""
    try:
        records = list(csv.reader(io.StringIO(text)))
    except csv.Error as exc:
        raise PlanValidationError(
            [Problem(label, None, None, None, f"well-formed CSV ({exc})")]
        ) from exc
    out = [(i + 1, r) for i, r in enumerate(records) if any(c.strip() for c in r)]
    if not out:
        raise PlanValidationError([Problem(label, None, None, None, "a header row and data rows")])
    return out


def raw_text_table(
    source: TableText,
    spec: TableSpec | Callable[[list[str]], TableSpec],
    aliases: Mapping[str, str] | None = None,
) -> RawTable:
    """A :class:`RawTable` of a table given as text; a sheet's problems also name cells (``B4``).

    The table's own header ``aliases`` are applied first; cells are stripped; rows are numbered
    as the user sees them (:func:`numbered_records`), with over-long rows reported. ``spec`` is
    the table's spec, or a function of its (aliased) header cells giving it.

    Raises:
        PlanValidationError: the text is not CSV or has no rows.
    """
    numbered = numbered_records(source.text, source.label)
    header = alias_headers(numbered[0][1], aliases or {})
    body = [r for _n, r in numbered[1:]]
    table = spec(header) if callable(spec) else spec
    cells = [[c.strip() for c in r] for r in body]
    raw = frame_from_cells(table, source.label, header, cells, 2, letters=source.sheet)
    raw.rows = np.asarray([n for n, _r in numbered[1:]], dtype=np.int64)
    _long_rows(raw, header, body)
    return raw


def read_standalone_csv(
    path: TableSource,
    spec: TableSpec | Callable[[list[str]], TableSpec],
    *,
    expected: str,
    aliases: Mapping[str, str] | None = None,
) -> RawTable:
    """Read a standalone CSV table as a :class:`RawTable` (see :func:`raw_text_table`): a file
    (UTF-8 or GBK), or a text (:class:`TableText`, a plan's side table).

    Args:
        path: the file, whose name labels every problem; or the text with its label.
        spec: the table's spec, or a function of its (aliased) header cells giving it.
        expected: what the file should hold, for the message when it does not exist
            (e.g. ``"a CSV table of measures"``).
        aliases: the table's own header aliases, applied before the common ones.

    Raises:
        PlanError: the file does not exist.
        PlanValidationError: it cannot be read, is not CSV or has no rows.
    """
    if isinstance(path, TableText):
        return raw_text_table(path, spec, aliases)
    p = Path(path)
    if not p.is_file():
        raise PlanError(f"{p}: no such file; expected {expected}")
    text, problem = read_text_file(p, p.name)
    if text is None:
        raise PlanValidationError([problem] if problem else [])
    return raw_text_table(TableText(text, p.name), spec, aliases)
