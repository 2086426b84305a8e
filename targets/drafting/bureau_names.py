"""The usual names of Chinese government units, their abbreviations and frequent misprints.

A unit is written with its level first (市, 省, 县, 区) and then its core name; the core is what
this dictionary knows. Canonical cores follow the short forms plans print most often
(发展改革委, 住房城乡建设局); every other spelling maps to them.
"""

from __future__ import annotations

import re

# canonical core -> other spellings seen in plans (full names, abbreviations, misprints)
CORE_NAMES: dict[str, tuple[str, ...]] = {
    "发展改革委": (
        "发展和改革委员会",
        "发展改革委员会",
        "发改委",
        "发展和改革委",
        "发展和改革局",
        "发展改革局",
        "发改局",
    ),
    "工业和信息化局": ("工信局", "工业和信息化委员会", "经济和信息化局", "经信局"),
    "生态环境局": ("环保局", "环境保护局", "生态环境保护局"),
    "住房城乡建设局": ("住房和城乡建设局", "住建局", "住房城乡住建局", "住房和城乡建设委员会", "住房城乡建设委"),
    "城市管理局": ("城管局", "城市管理综合执法局", "综合行政执法局"),
    "交通运输局": ("交通局", "交通运输委员会"),
    "农业农村局": ("农业局", "农业农村委员会", "农业农村委"),
    "科技局": ("科学技术局", "科技委", "科学技术委员会"),
    "自然资源和规划局": ("自然资源规划局", "自然资源与规划局", "资源规划局"),
    "自然资源局": (),
    "市场监管局": ("市场监督管理局", "市场监管委"),
    "商务局": ("商务委", "商务委员会"),
    "教育局": ("教育委员会", "教委", "教育和体育局", "教体局"),
    "财政局": (),
    "统计局": (),
    "水利局": (),
    "水务局": (),
    "林业局": ("林业和草原局",),
    "海洋发展局": ("海洋与渔业局", "海洋局"),
    "公安局": (),
    "税务局": (),
    "机关事务服务中心": (),
    "机关事务管理局": ("机关事务局",),
    "大数据局": ("大数据中心",),
    "人力资源社会保障局": ("人力资源和社会保障局", "人社局", "人力资源与社会保障局"),
    "国资委": ("国有资产监督管理委员会", "国资局"),
    "外办": ("外事办公室", "外事办", "人民政府外事办公室"),
    "地方金融监管局": ("地方金融监督管理局", "金融监管局", "金融局", "金融办", "金融工作办公室"),
    "行政审批服务局": ("行政审批局",),
    "文化和旅游局": ("文化旅游局", "文旅局", "文化和旅游委员会"),
    "卫生健康委": ("卫生健康委员会", "卫健委", "卫生健康局", "卫健局"),
    "应急局": ("应急管理局",),
    "民政局": (),
    "司法局": (),
    "审计局": (),
    "医保局": ("医疗保障局",),
    "能源局": ("能源管理局",),
    "气象局": (),
    "邮政管理局": ("邮政局",),
    "粮食和储备局": ("粮食局", "发展改革委（粮食和储备局）"),
    "委组织部": ("委员会组织部",),
    "委宣传部": ("委员会宣传部",),
    "委网信办": ("委网络安全和信息化委员会办公室", "网信办"),
    "委党校": ("委党校（行政学院）", "行政学院"),
    "委机构编制委员会办公室": ("委编办", "编办"),
    "总工会": (),
    "妇联": ("妇女联合会",),
    "科协": ("科学技术协会",),
    "团委": ("共青团委员会",),
}
_ALIAS_TO_CORE = {alias: core for core, aliases in CORE_NAMES.items() for alias in aliases}
_LEVELS = "市省县区州盟旗"
_DISTRICTS = re.compile(
    r"^各(?:有关)?(区县|县区|区市|县市区|县（市、区）|市|县|区|市县|地市|市、县|县市|市州|盟市)(人民)?(政府)?"
)
_STATE_UNITS = (
    "海关",
    "人民银行",
    "税务",
    "国铁",
    "铁路",
    "银保监",
    "金融监督管理总局",
    "供电公司",
    "电网",
    "电力公司",
    "车务段",
)
_UNIT_ENDINGS = (
    "局", "委", "办", "厅", "部", "院", "会", "中心", "政府", "公司", "行", "分行", "支行", "所", "站", "队",
    "段", "校", "组", "室", "小组", "处", "单位", "部门", "管委会",
    "区市", "区县", "县区", "各市", "集团", "海关", "协会", "联",
)  # fmt: skip


def canonical_name(name: str, known: dict[str, str] | None = None) -> tuple[str, bool]:
    """(canonical name, recognised) for a unit name as printed.

    `known` maps every name and alias of the city's stored bureaus to its canonical name and
    wins over the dictionary, so a city's own spelling stays its own.
    """
    known = known or {}
    if name in known:
        return known[name], True
    district = _DISTRICTS.match(name)
    if district:
        canonical = f"各{district.group(1)}政府" if name.endswith("政府") else f"各{district.group(1)}"
        return known.get(canonical, canonical), True
    if (
        name.startswith("各有关")
        or name in ("有关部门", "有关单位")
        or name.startswith(("市有关", "市直有关", "省有关"))
    ):
        return name, True
    # 管委会 (development zones' committees) and leading groups and their offices are named in
    # full in every plan; their names need no dictionary.
    if name.endswith("管委会") or re.search(r"领导小组(办公室)?$", name):
        return name, True
    # 市发展改革委, or with the place name first: 日照市生态环境局
    for start in (0, 2, 3, 4):
        if start < len(name) and name[start] in _LEVELS:
            canonical = _level_name(name[start], name[start + 1 :])
            if canonical:
                return known.get(canonical, canonical), True
    return name, False


def _level_name(level: str, core: str) -> str:
    """市生态环境局, or a province's 厅 of the same department: 省生态环境厅, 省住房和城乡建设厅 → 省住房城乡建设厅."""
    core = _ALIAS_TO_CORE.get(core, core)
    if core in CORE_NAMES:
        return level + core
    if core.endswith("厅"):
        bureau = _ALIAS_TO_CORE.get(core[:-1] + "局", core[:-1] + "局")
        if bureau in CORE_NAMES and bureau.endswith("局"):
            return level + bureau[:-1] + "厅"
    return ""


def looks_like_unit(name: str) -> bool:
    """A piece of a clause that names a unit rather than an action or a sentence fragment."""
    if not 2 <= len(name) <= 40 or re.search(r"[。；：\d]", name):
        return False
    if canonical_name(name)[1]:
        return True
    return name.endswith(_UNIT_ENDINGS) and not name.startswith(("以下", "其他", "加强", "推进", "实施", "完成"))


def bureau_kind(name: str) -> str:
    if (name.startswith("各") and ("政府" in name or _DISTRICTS.match(name))) or name.endswith("管委会"):
        return "district_government"
    if re.match(rf"^[{_LEVELS}]委", name):
        return "party_department"
    if "领导小组" in name or "联席会议" in name or "指挥部" in name:
        return "coordination_body"
    if any(word in name for word in _STATE_UNITS):
        return "state_unit"
    if name.endswith(("公司", "集团")):
        return "enterprise"
    if re.match(rf"^[{_LEVELS}]", name) and name.endswith(("局", "委", "办", "中心", "厅", "院")):
        return "municipal_department"
    return "other"
