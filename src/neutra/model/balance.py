"""The vocabulary of a Chinese regional energy balance table (能源平衡表), declared once.

Rows and fuel columns as printed in the China Energy Statistical Yearbook's regional tables
(SOURCES.md, "Energy balance tables" [R]), each with a canonical id, its Chinese and English
label, and — for fuels — the physical unit the yearbook prints.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Section(StrEnum):
    """Where a row sits in the balance."""

    SUPPLY = "supply"
    AVAILABLE = "available"
    TRANSFORMATION = "transformation"
    LOSSES = "losses"
    FINAL = "final"
    DIFFERENCE = "difference"


@dataclass(frozen=True, slots=True)
class Item:
    """A row of the balance. ``parent`` names the row it is a part of (not added twice)."""

    id: str
    zh: str
    en: str
    section: Section
    parent: str | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Fuel:
    """A fuel column: its printed unit and its kind (for the energy mix)."""

    id: str
    zh: str
    en: str
    unit: str
    kind: str  # coal | oil | gas | heat | electricity | other
    aliases: tuple[str, ...] = ()


ITEMS: tuple[Item, ...] = (
    Item(
        "available",
        "可供本地区消费的能源量",
        "Available for local consumption",
        Section.AVAILABLE,
        aliases=("可供本省（区、市）消费的能源量", "可供消费的能源量"),
    ),
    Item("production", "一次能源生产量", "Primary energy production", Section.SUPPLY),
    Item("recovery", "回收能", "Recovered energy", Section.SUPPLY),
    Item(
        "inflow",
        "外省（区、市）调入量",
        "Inflow from other provinces",
        Section.SUPPLY,
        aliases=("外省(区、市)调入量", "外省调入量", "调入量"),
    ),
    Item("imports", "进口量", "Imports", Section.SUPPLY),
    Item(
        "bunkers_abroad",
        "境内飞机和轮船在境外的加油量",
        "Domestic aircraft and ships refuelled abroad",
        Section.SUPPLY,
    ),
    Item(
        "outflow",
        "本省（区、市）调出量(−)",
        "Outflow to other provinces (−)",
        Section.SUPPLY,
        aliases=("本省（区、市）调出量(-)", "本省(区、市)调出量(-)", "本省调出量", "调出量"),
    ),
    Item("exports", "出口量(−)", "Exports (−)", Section.SUPPLY, aliases=("出口量(-)", "出口量")),
    Item(
        "bunkers_foreign",
        "境外飞机和轮船在境内的加油量(−)",
        "Foreign aircraft and ships refuelled here (−)",
        Section.SUPPLY,
        aliases=("境外飞机和轮船在境内的加油量(-)", "境外飞机和轮船在境内的加油量"),
    ),
    Item(
        "stock_change",
        "库存增(−)、减(+)量",
        "Stock change (increase −, decrease +)",
        Section.SUPPLY,
        aliases=("库存增(-)、减(+)量", "库存增(-)减(+)量", "库存增减量"),
    ),
    Item(
        "transformation",
        "加工转换投入(−)产出(+)量",
        "Transformation input (−) / output (+)",
        Section.TRANSFORMATION,
        aliases=("加工转换投入(-)产出(+)量", "加工转换投入产出量"),
    ),
    Item("thermal_power", "火力发电", "Thermal power", Section.TRANSFORMATION, "transformation"),
    Item("heating", "供热", "Heating", Section.TRANSFORMATION, "transformation"),
    Item("coal_washing", "洗选煤", "Coal washing", Section.TRANSFORMATION, "transformation"),
    Item("coking", "炼焦", "Coking", Section.TRANSFORMATION, "transformation"),
    Item(
        "refining",
        "炼油及煤制油",
        "Oil refining and coal liquefaction",
        Section.TRANSFORMATION,
        "transformation",
        aliases=("炼油",),
    ),
    Item("gas_making", "制气", "Gas works", Section.TRANSFORMATION, "transformation"),
    Item(
        "gas_liquefaction",
        "天然气液化",
        "Natural gas liquefaction",
        Section.TRANSFORMATION,
        "transformation",
    ),
    Item(
        "briquetting",
        "煤制品加工",
        "Coal products",
        Section.TRANSFORMATION,
        "transformation",
        aliases=("型煤加工",),
    ),
    Item(
        "transformation_recovery",
        "回收能（加工转换）",
        "Recovered energy (transformation)",
        Section.TRANSFORMATION,
        "transformation",
    ),
    Item("losses", "损失量", "Losses", Section.LOSSES),
    Item("final_consumption", "终端消费量", "Final consumption", Section.FINAL),
    Item(
        "agriculture",
        "农、林、牧、渔业",
        "Agriculture, forestry, animal husbandry and fishery",
        Section.FINAL,
        "final_consumption",
        aliases=("农、林、牧、渔、水利业", "农林牧渔业"),
    ),
    Item("industry", "工业", "Industry", Section.FINAL, "final_consumption"),
    Item(
        "industry_feedstock",
        "其中：用作原料、材料",
        "of which: non-energy use (feedstock)",
        Section.FINAL,
        "industry",
        aliases=("其中:用作原料、材料", "用作原料、材料"),
    ),
    Item("construction", "建筑业", "Construction", Section.FINAL, "final_consumption"),
    Item(
        "transport",
        "交通运输、仓储和邮政业",
        "Transport, storage and post",
        Section.FINAL,
        "final_consumption",
    ),
    Item(
        "commerce",
        "批发和零售业、住宿和餐饮业",
        "Wholesale, retail, hotels and restaurants",
        Section.FINAL,
        "final_consumption",
        aliases=("批发、零售业和住宿、餐饮业",),
    ),
    Item("other", "其他", "Other", Section.FINAL, "final_consumption"),
    Item("residential", "居民生活", "Residential", Section.FINAL, "final_consumption"),
    Item("residential_urban", "城镇", "Urban", Section.FINAL, "residential"),
    Item("residential_rural", "乡村", "Rural", Section.FINAL, "residential"),
    Item("statistical_difference", "平衡差额", "Statistical difference", Section.DIFFERENCE),
)

FUELS: tuple[Fuel, ...] = (
    Fuel("raw_coal", "原煤", "Raw coal", "万t", "coal"),
    Fuel("cleaned_coal", "洗精煤", "Cleaned coal", "万t", "coal"),
    Fuel("other_washed_coal", "其他洗煤", "Other washed coal", "万t", "coal"),
    Fuel("briquettes", "型煤", "Briquettes", "万t", "coal"),
    Fuel("coke", "焦炭", "Coke", "万t", "coal"),
    Fuel("coke_oven_gas", "焦炉煤气", "Coke-oven gas", "亿m3", "coal"),
    Fuel("blast_furnace_gas", "高炉煤气", "Blast-furnace gas", "亿m3", "coal"),
    Fuel("converter_gas", "转炉煤气", "Converter gas", "亿m3", "coal"),
    Fuel("other_gas", "其他煤气", "Other gas", "亿m3", "coal"),
    Fuel("other_coking_products", "其他焦化产品", "Other coking products", "万t", "coal"),
    Fuel("crude_oil", "原油", "Crude oil", "万t", "oil"),
    Fuel("gasoline", "汽油", "Gasoline", "万t", "oil"),
    Fuel("kerosene", "煤油", "Kerosene", "万t", "oil"),
    Fuel("diesel", "柴油", "Diesel", "万t", "oil"),
    Fuel("fuel_oil", "燃料油", "Fuel oil", "万t", "oil"),
    Fuel("lpg", "液化石油气", "LPG", "万t", "oil"),
    Fuel("refinery_gas", "炼厂干气", "Refinery gas", "万t", "oil"),
    Fuel("other_petroleum_products", "其他石油制品", "Other petroleum products", "万t", "oil"),
    Fuel("natural_gas", "天然气", "Natural gas", "亿m3", "gas"),
    Fuel("lng", "液化天然气", "LNG", "万t", "gas"),
    Fuel("heat", "热力", "Heat", "万百万千焦", "heat"),
    Fuel("electricity", "电力", "Electricity", "亿kWh", "electricity"),
    Fuel("other_energy", "其他能源", "Other energy", "万tce", "other"),
)


def item_names() -> dict[str, Item]:
    """Every spelling of every row: id, Chinese label, aliases, English label (lower case)."""
    out: dict[str, Item] = {}
    for it in ITEMS:
        for name in (it.id, it.zh, it.en, *it.aliases):
            out[_key(name)] = it
    return out


def fuel_names() -> dict[str, Fuel]:
    """Every spelling of every fuel column."""
    out: dict[str, Fuel] = {}
    for f in FUELS:
        for name in (f.id, f.zh, f.en, *f.aliases):
            out[_key(name)] = f
    return out


def _key(text: str) -> str:
    """Comparable form of a label: no spaces, ASCII brackets and minus, lower case."""
    s = text.strip().lower().replace(" ", "").replace("　", "")
    for a, b in (("（", "("), ("）", ")"), ("－", "-"), ("−", "-"), ("：", ":"), ("、", "、")):
        s = s.replace(a, b)
    return s


label_key = _key
