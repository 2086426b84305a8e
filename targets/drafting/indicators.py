"""Name, direction and nature of the indicator a target is measured on, from its clause."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Common metrics get the shared codes other cities use, so their data can be compared.
_COMMON_CODES = [
    (re.compile(r"非化石能源(消费)?(比重|占比)"), "non_fossil_energy_share"),
    (re.compile(r"单位(国内|地区)生产总值(能源消耗|能耗)"), "energy_intensity"),
    (re.compile(r"单位(国内|地区)生产总值二氧化碳排放"), "carbon_intensity"),
    (re.compile(r"^光伏(发电)?(装机)?(容量|规模)"), "pv_installed_capacity"),
    (re.compile(r"新能源(发电)?装机(容量|规模)"), "new_energy_installed_capacity"),
    (re.compile(r"新型储能"), "new_energy_storage_capacity"),
    (re.compile(r"清洁取暖率"), "clean_heating_rate"),
    (re.compile(r"绿色建筑"), "green_building_share"),
    (re.compile(r"绿色出行"), "green_travel_share"),
    (re.compile(r"森林覆盖率"), "forest_coverage"),
    (re.compile(r"(一般)?工业固体废物综合利用率"), "industrial_solid_waste_utilisation"),
    (re.compile(r"碳(排放)?达峰"), "carbon_peak"),
]
_DECREASE = re.compile(r"能耗|能源消耗|排放|煤耗|强度|浓度|填埋|煤炭消费|污染|散煤|落后|淘汰")
_DECREASE_VERB = re.compile(r"下降|降低|降至|降到|减少|压减|削减|控制在|不高于|不超过")
_RATIO = re.compile(r"率|比重|比例|占比|强度|单位.*生产总值|煤耗|覆盖|%|浓度")
_FLOW = re.compile(r"消费量|利用量|用量|产量|运量|货运量|客运量|处置量|回收量|排放量|年")
# Words before a metric's name that are not part of it.
_LEAD_WORDS = re.compile(
    r"^(?:[，,；;：:]|全市|全县|全区|全省|我市|本市|各区县|各县区|城区|力争|争取|确保|基本|其中|累计|"
    r"全面|进一步|逐步|持续|年|实现|推动|推进|上述)+"
)


@dataclass
class IndicatorGuess:
    name: str
    direction: str
    nature: str
    code: str = ""


def clean_name(text: str) -> str:
    name = re.sub(r"(?:比|较|与|相比|相较于?)20\d\d年(?:相比|水平)?", "", text)
    name = _LEAD_WORDS.sub("", name)
    name = re.sub(r"(?:的|为|均|要|都|总量|总数)$", "", name)
    return name.strip('，,；;：:“”"')


def guess_indicator(name: str, unit: str, verb: str) -> IndicatorGuess:
    direction = "decrease" if _DECREASE.search(name) or _DECREASE_VERB.search(verb) else "increase"
    if _RATIO.search(name) or unit in ("%", "％"):
        nature = "ratio"
    elif _FLOW.search(name):
        nature = "flow"
    else:
        nature = "stock"
    code = next((code for pattern, code in _COMMON_CODES if pattern.search(name)), "")
    return IndicatorGuess(name, direction, nature, code)
