"""Small helpers of the report's plan sections (targets, MACC, carbon market, sinks): labels in
two languages, numbers as text, and the table dict the ``tbl`` macro draws."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from neutra.i18n import Lang

Labels = Mapping[str, tuple[str, str]]

WAN = 1e4  # 万: tonnes are shown in 万t CO2e, as Chinese plans report them


def label(labels: Labels, key: str, lang: Lang) -> str:
    """The text of ``key`` in ``lang`` (the key itself if unknown)."""
    pair = labels.get(key)
    if pair is None:
        return key
    return pair[1] if lang == "zh" else pair[0]


def missing(v: Any) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def num(v: Any, digits: int = 0, *, sign: bool = False, scale: float = 1.0) -> str:
    """``v / scale`` with thousands separators and ``digits`` decimals; blank when missing."""
    if missing(v):
        return ""
    x = float(v) / scale
    return f"{x:{'+' if sign else ''},.{digits}f}"


def pct(v: Any, digits: int = 1) -> str:
    """A fraction as a percentage (0.125 → ``12.5 %``); blank when missing."""
    return "" if missing(v) else f"{float(v) * 100:.{digits}f} %"


def years_text(years: Sequence[int]) -> str:
    """``2030`` or ``2030–2035 (6)``; ``—`` for none."""
    ys = [int(y) for y in years]
    if not ys:
        return "—"
    return str(ys[0]) if len(ys) == 1 else f"{ys[0]}–{ys[-1]} ({len(ys)})"


def table(
    head: Sequence[str], rows: Sequence[Sequence[Any]], numeric: Sequence[bool]
) -> dict[str, Any]:
    """The dict of the ``tbl`` macro (macros.html.j2): headings, text cells, numeric columns."""
    return {
        "head": list(head),
        "rows": [["" if c is None else str(c) for c in r] for r in rows],
        "num": list(numeric),
    }


__all__ = ["WAN", "Labels", "label", "missing", "num", "pct", "table", "years_text"]
