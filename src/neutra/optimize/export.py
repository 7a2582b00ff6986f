"""Write optimisation results as otoole-compatible result CSV files.

otoole (the OSeMOSYS toolkit) writes one CSV per result variable, named after the variable, with
the index columns in OSeMOSYS order (REGION, TECHNOLOGY, FUEL, …, YEAR) and a ``VALUE`` column;
zero values are left out. Neutra writes its result tables the same way, so that otoole's
``results`` conversions and the tools built on them read them unchanged.
"""

from __future__ import annotations

from pathlib import Path

from neutra.optimize.solve import OptimizeResult

ORDER = (
    "REGION",
    "_REGION",
    "TIMESLICE",
    "TECHNOLOGY",
    "MODE_OF_OPERATION",
    "FUEL",
    "EMISSION",
    "STORAGE",
    "SEASON",
    "DAYTYPE",
    "DAILYTIMEBRACKET",
    "YEAR",
)


def write_otoole_results(result: OptimizeResult, folder: str | Path) -> Path:
    """One ``<Variable>.csv`` per result table (index columns in OSeMOSYS order, ``VALUE``)."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    for name, frame in result.tables.items():
        if "value" not in frame.columns:
            continue
        index = [c for c in ORDER if c in frame.columns]
        table = frame[[*index, "value"]].rename(columns={"value": "VALUE"})
        table.to_csv(out / f"{name}.csv", index=False, lineterminator="\n")
    return out
