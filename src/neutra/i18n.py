"""Bilingual text (中文 / English) for the report and the CLI: one catalogue, looked up by key."""

from __future__ import annotations

from typing import Literal

Lang = Literal["en", "zh"]

_T: dict[str, tuple[str, str]] = {
    # report sections
    "title": ("GHG inventory report", "温室气体排放清单报告"),
    "key_figures": ("Key figures", "关键数据"),
    "by_scope": ("Emissions by scope", "按范围划分的排放"),
    "by_gas": ("Emissions by gas", "按气体划分的排放"),
    "by_source": ("Emissions by source", "按排放源划分的排放"),
    "by_facility": ("Emissions by facility", "按设施划分的排放"),
    "scope2_dual": ("Scope 2: location-based and market-based", "范围二：基于位置与基于市场"),
    "claims": ("Contractual instruments claimed", "已使用的合同工具（绿证、购电协议）"),
    "intensity": ("Intensities", "排放强度"),
    "uncertainty": ("Uncertainty (95 % interval)", "不确定性（95% 置信区间）"),
    "quality": ("Data quality findings", "数据质量发现"),
    "appendix": ("Appendix: factors used and their sources", "附录：所用因子及其来源"),
    "method": ("Method and settings", "方法与设置"),
    "illustrative": ("Illustrative data", "示例数据"),
    # columns and labels
    "year": ("Year", "年份"),
    "scope": ("Scope", "范围"),
    "gas": ("Gas", "气体"),
    "category": ("Category", "类别"),
    "activity": ("Source", "排放源"),
    "facility": ("Facility", "设施"),
    "co2e_t": ("t CO2e", "吨二氧化碳当量"),
    "share": ("Share", "占比"),
    "status": ("Status", "状态"),
    "source": ("Source", "来源"),
    "value": ("Value", "数值"),
    "unit": ("Unit", "单位"),
    "factor": ("Factor", "因子"),
    "licence": ("Licence", "许可"),
    "approach": ("Approach", "方法"),
    "total": ("Total", "合计"),
    "lower": ("Lower", "下限"),
    "upper": ("Upper", "上限"),
    "severity": ("Severity", "级别"),
    "code": ("Finding", "发现"),
    "detail": ("Detail", "详情"),
    "scope1": ("Scope 1", "范围一"),
    "scope2_location": ("Scope 2 (location)", "范围二（基于位置）"),
    "scope2_market": ("Scope 2 (market)", "范围二（基于市场）"),
    "scope3": ("Scope 3", "范围三"),
    "total_location": ("Total (location-based)", "总排放（基于位置）"),
    "total_market": ("Total (market-based)", "总排放（基于市场）"),
    "biogenic_co2": ("Biogenic CO2 (outside scopes)", "生物质CO2（范围外单独报告）"),
    "gwp_set": ("GWP set", "GWP 值集"),
    "factor_sets": ("Factor sets", "因子集"),
    "co2_convention": ("CO2 factor convention", "CO2 因子口径"),
    "boundary": ("Boundary", "边界"),
    "refdata_version": ("Reference data", "参考数据版本"),
    "plan_hash": ("Plan hash", "计划哈希"),
    "run_id": ("Run", "运行编号"),
    "package_version": ("Neutra version", "Neutra 版本"),
    "mwh": ("MWh", "兆瓦时"),
    "instrument": ("Instrument", "工具"),
    "location": ("Location-based", "基于位置"),
    "market": ("Market-based", "基于市场"),
    "product": ("Product", "产品"),
    "per_unit_total": ("Total per unit", "单位产品总排放"),
    "per_unit_s12": ("Scope 1+2 per unit", "单位产品范围一+二排放"),
    "generated": ("Generated", "生成时间"),
    "unverified_note": (
        "Factors marked unverified come from sources not yet checked against the"
        " official text; results that use them are flagged.",
        "标记为“未核实”的因子尚未与官方文本核对；使用这些因子的结果均已标注。",
    ),
    # regional status report
    "region_title": ("Regional status analysis", "区域碳排放现状分析"),
    "trend": ("Emissions over time", "排放趋势"),
    "production_based_t": ("Production-based total", "生产侧排放总量"),
    "consumption_based_t": (
        "Consumption-based total (with electricity inflow)",
        "消费侧排放总量（含调入电力）",
    ),
    "sectoral_co2_t": ("Sectoral approach, energy CO2", "部门法能源活动CO2"),
    "reference_co2_t": ("Reference approach, energy CO2", "参考法能源活动CO2"),
    "process_co2_t": ("Industrial processes CO2", "工业生产过程CO2"),
    "electricity_inflow_co2_t": ("CO2 of net electricity inflow", "净调入电力隐含CO2"),
    "approaches": ("Reference vs sectoral approach", "参考法与部门法比较"),
    "by_sector": ("Emissions by sector", "分部门排放"),
    "by_fuel": ("Emissions by fuel", "分品种排放"),
    "energy_mix": ("Energy mix", "能源结构"),
    "structure": ("Industry structure", "产业结构"),
    "intensities": ("Intensity and per-capita indicators", "强度与人均指标"),
    "kaya": ("Drivers: Kaya identity, LMDI-I decomposition", "驱动因素：Kaya恒等式与LMDI分解"),
    "peak": ("Peak", "达峰判断"),
    "closure": ("Energy balance checks", "能源平衡表校核"),
    "calorific_value": ("calorific-value method", "电热当量法"),
    "coal_equivalent": ("coal-equivalent method", "发电煤耗法"),
    "population": ("Population", "人口"),
    "affluence": ("GDP per capita", "人均GDP"),
    "energy_intensity": ("Energy intensity of GDP", "单位GDP能耗"),
    "carbon_intensity": ("CO2 per energy", "单位能耗碳排放"),
    # CLI
    "cli_valid": ("Plan is valid", "计划有效"),
    "cli_report_written": ("Report written to", "报告已写入"),
    "cli_run_stored": ("Run stored in", "运行结果已保存至"),
    "cli_computing": ("Computing inventory", "正在计算排放清单"),
    "cli_simulating": ("Simulating scenarios", "正在模拟情景"),
    "cli_optimizing": ("Building and solving the model", "正在构建并求解优化模型"),
    "cli_not_optimal": ("No optimal solution", "未得到最优解"),
    "quantity": ("Quantity", "指标"),
    "cli_iamc_written": ("IAMC export written to", "IAMC 格式结果已写入"),
    "sim_title": ("Scenario pathways", "情景路径"),
    "scenario": ("Scenario", "情景"),
    "peak_year": ("Peak year", "达峰年份"),
    "peak_value": ("Peak, t CO2e", "峰值（t CO2e）"),
    "neutrality_year": ("Net zero year", "净零年份"),
    "with_trade": ("… with offsets", "计入抵销后"),
    "net": ("Net emissions", "净排放"),
    "wedges": (
        "Wedges: baseline to scenario, by measure",
        "楔形图：基准情景与各情景之差（按措施）",
    ),
    "lever_reduce": ("Reduce (减)", "减（节能降耗）"),
    "lever_replace": ("Replace (替)", "替（替代）"),
    "lever_absorb": ("Absorb (吸)", "吸（碳汇与捕集）"),
    "lever_trade": ("Trade (易)", "易（交易与抵消）"),
    "lever_other": ("Scenario assumptions", "情景假设"),
    "final_energy": ("Final energy", "终端能源消费"),
    "primary_energy": ("Primary energy", "一次能源"),
    "sankey": ("Energy flows", "能源流向"),
    "capacity": ("Capacity by process", "分技术装机容量"),
    "generation": ("Output by process and imports", "分技术产出与调入"),
    "carbon_price": ("Carbon price of the cap (shadow price)", "排放上限的碳影子价格"),
    "opt_title": ("Least-cost pathway", "最低成本路径"),
    "opt_emissions": ("Emissions by year, limits and carbon price", "逐年排放、排放上限与碳价"),
    "opt_cost": ("Discounted cost by technology", "分技术贴现成本"),
    "pathways": ("Emission pathways of all scenarios", "各情景排放路径"),
    # finding codes
    "f_missing_months": ("Months missing", "月份缺失"),
    "f_facility_missing": ("Facility missing vs previous year", "与上年相比设施缺失"),
    "f_source_missing": ("Source missing vs previous year", "与上年相比排放源缺失"),
    "f_tiers": ("Activity data by tier", "活动数据层级"),
    "f_unverified_factor": ("Unverified factor used", "使用了未核实因子"),
    "f_no_factor_bounds": ("Factor uncertainty not published", "因子未公布不确定性范围"),
    "f_grid_national": (
        "National grid factor used (no regional factor)",
        "使用全国电网因子（无区域因子）",
    ),
    "f_grid_earlier_year": ("Earlier year's grid factor used", "使用往年电网因子"),
    "f_grid_national_earlier_year": ("Earlier national grid factor used", "使用往年全国电网因子"),
    "f_not_estimated": ("Gas not estimated (no factor)", "未估算的气体（无因子）"),
    "f_outside_boundary": ("Facility outside the boundary", "设施在边界之外"),
    "f_instrument_wrong_market": (
        "Instrument from another market rejected",
        "其他市场的工具不予采用",
    ),
    "f_instrument_vintage": ("Instrument vintage too old", "工具年份不符合要求"),
    "f_instrument_unclaimed": ("Instrument not fully used", "工具未全部使用"),
    "f_no_residual_mix": ("No residual mix: grid average used", "无剩余组合因子：采用电网平均因子"),
    "f_measured_value_unused": ("Measured value not used by its factor", "实测值未被所用因子采用"),
    "f_no_coal_rate": (
        "No coal rate of thermal power for the coal-equivalent method",
        "缺少发电煤耗，无法按发电煤耗法折算",
    ),
    "f_no_ce_coefficient": ("No standard-coal coefficient", "缺少折标准煤系数"),
    "f_no_grid_factor": ("No grid factor for the electricity inflow", "缺少调入电力排放因子"),
    "f_residual_fallback": (
        "Residual mix of another region or year used",
        "采用其他区域或年份的剩余组合因子",
    ),
    # categories
    "c_stationary_combustion": ("Stationary combustion", "固定燃烧"),
    "c_mobile_combustion": ("Mobile combustion", "移动燃烧"),
    "c_process": ("Process emissions", "工业过程排放"),
    "c_fugitive": ("Fugitive emissions", "逸散排放"),
    "c_electricity": ("Purchased electricity", "外购电力"),
    "c_heat": ("Purchased heat", "外购热力"),
    "c_steam": ("Purchased steam", "外购蒸汽"),
    "c_cooling": ("Purchased cooling", "外购冷量"),
    "c_1_purchased_goods_and_services": ("3.1 Purchased goods and services", "3.1 外购商品和服务"),
    "c_2_capital_goods": ("3.2 Capital goods", "3.2 资本货物"),
    "c_3_fuel_and_energy_related": (
        "3.3 Fuel- and energy-related activities",
        "3.3 燃料和能源相关活动",
    ),
    "c_4_upstream_transportation": ("3.4 Upstream transportation", "3.4 上游运输和配送"),
    "c_5_waste": ("3.5 Waste", "3.5 运营中产生的废弃物"),
    "c_6_business_travel": ("3.6 Business travel", "3.6 商务差旅"),
    "c_7_employee_commuting": ("3.7 Employee commuting", "3.7 员工通勤"),
    "c_8_upstream_leased_assets": ("3.8 Upstream leased assets", "3.8 上游租赁资产"),
    "c_9_downstream_transportation": ("3.9 Downstream transportation", "3.9 下游运输和配送"),
    "c_10_processing_of_sold_products": ("3.10 Processing of sold products", "3.10 售出产品的加工"),
    "c_11_use_of_sold_products": ("3.11 Use of sold products", "3.11 售出产品的使用"),
    "c_12_end_of_life_of_sold_products": (
        "3.12 End-of-life of sold products",
        "3.12 售出产品的报废处理",
    ),
    "c_13_downstream_leased_assets": ("3.13 Downstream leased assets", "3.13 下游租赁资产"),
    "c_14_franchises": ("3.14 Franchises", "3.14 特许经营"),
    "c_15_investments": ("3.15 Investments", "3.15 投资"),
}


def t(key: str, lang: Lang = "en") -> str:
    """The text of ``key`` in ``lang``; the key itself if the catalogue lacks it."""
    pair = _T.get(key)
    if pair is None:
        return key
    return pair[1] if lang == "zh" else pair[0]


def both(key: str) -> str:
    """``English / 中文`` for messages shown to every user."""
    pair = _T.get(key)
    return f"{pair[0]} / {pair[1]}" if pair else key


def category(value: str, lang: Lang = "en") -> str:
    return t(f"c_{value}", lang) if f"c_{value}" in _T else value


def finding(code: str, lang: Lang = "en") -> str:
    return t(f"f_{code}", lang) if f"f_{code}" in _T else code
