"""The shared-taxonomy sector of a chapter, from the words of its title."""

from __future__ import annotations

import re

_RULES = [
    ("overall", r"主要目标|总体要求|总体目标|指导思想|基本原则|工作目标"),
    ("pilots", r"试点|示范|创建|模式创新|协同创新"),
    ("technology", r"科技|创新|研究|技术"),
    ("energy_efficiency", r"节能|能效|降碳增效"),
    ("energy", r"能源|电力|煤炭|可再生|新能源|油气"),
    ("industry", r"工业|产业|制造|园区"),
    ("buildings", r"城乡建设|建筑|城市更新|住房"),
    ("transport", r"交通|运输|出行|车辆"),
    ("circular_economy", r"循环|资源|废弃物|再生"),
    ("carbon_sinks", r"碳汇|生态建设|森林|湿地|国土"),
    ("agriculture", r"农业|农村|乡村"),
    ("environment", r"污染|大气|水环境|土壤|固体废物|环境|减污|分区管控"),
    ("lifestyle", r"全民|生活|宣传|消费"),
    ("governance", r"保障|组织|实施|机制|政策|监督|考核|金融|合作|财政|统计|领导"),
]
_COMPILED = [(sector, re.compile(pattern)) for sector, pattern in _RULES]


def sector_of(title: str, default: str = "overall") -> str:
    for sector, pattern in _COMPILED:
        if pattern.search(title):
            return sector
    return default
