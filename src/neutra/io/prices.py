"""A carbon price path: a CSV of ``year, price`` (currency per t CO2e, one allowance).

Columns (header row; case and spaces do not matter; Chinese headers ``年份``, ``碳价``,
``价格``, ``碳价格`` are understood): ``year`` (1900–2200), ``price`` (≥ 0), optional ``note``.
UTF-8 and GBK/GB18030 files are read. Every problem — unknown or missing column, empty cell,
malformed number, value out of range, a year twice — is collected and raised at once, located by
row (header = row 1) and field. ``neutra ets --price-file`` and ``neutra macc
--carbon-price-file`` read it.
"""

from __future__ import annotations

from dataclasses import dataclass

from neutra.errors import raise_if_problems
from neutra.io.tables import TableSource, duplicate_keys, read_standalone_csv, type_table
from neutra.model.tables import Column, TableSpec

PRICE_COLUMNS: tuple[Column, ...] = (
    Column("year", "int", True, "calendar year", 1900, 2200),
    Column("price", "float", True, "carbon price in currency per t CO2e (allowance), ≥ 0", 0.0),
    Column("note", "str", False, "free text"),
)
PRICES = TableSpec("prices", PRICE_COLUMNS, "a carbon price by year")
# Chinese headers (applied before the project's common aliases, which give 年份 → year).
PRICE_HEADER_ALIASES: dict[str, str] = {"碳价": "price", "价格": "price", "碳价格": "price"}


@dataclass(frozen=True)
class PriceTable:
    """A checked price path.

    Attributes:
        prices: price by year, in the file's order.
        rows: the row of each year in the file.
        label: the file name, for messages.
    """

    prices: dict[int, float]
    rows: dict[int, int]
    label: str


def read_price_file(path: TableSource) -> PriceTable:
    """Read and check a price path (``year``, ``price``): a CSV file, or its text
    (:class:`neutra.io.tables.TableText`).

    Raises:
        PlanError: the file does not exist.
        PlanValidationError: every problem of the file at once (bad or repeated years, bad
            prices).
    """
    raw = read_standalone_csv(
        path, PRICES, expected="a CSV table of carbon prices by year", aliases=PRICE_HEADER_ALIASES
    )
    typed, _bad = type_table(raw)
    raise_if_problems([*raw.problems, *duplicate_keys(raw, typed, ["year"], "year")])
    prices = {int(y): float(p) for y, p in zip(typed["year"], typed["price"], strict=True)}
    rows = {int(y): int(r) for y, r in zip(typed["year"], typed["row"], strict=True)}
    return PriceTable(prices, rows, raw.label)


__all__ = ["PRICES", "PRICE_COLUMNS", "PRICE_HEADER_ALIASES", "PriceTable", "read_price_file"]
