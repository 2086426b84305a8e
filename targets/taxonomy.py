"""Vocabularies shared by the models, the fixture validator and the data migrations.

Kept free of Django imports so the fixture checker can run without a configured project.
"""

from __future__ import annotations

from typing import Literal, get_args

# The shared sector taxonomy: (code, Chinese name, English name). Seeded by a data migration;
# admins may add more in the admin, which is why the loader asks the database, not this list.
SECTORS: list[tuple[str, str, str]] = [
    ("overall", "总体目标", "Overall targets"),
    ("energy", "能源", "Energy"),
    ("energy_efficiency", "节能降碳", "Energy efficiency"),
    ("industry", "工业", "Industry"),
    ("buildings", "城乡建设", "Urban and rural construction"),
    ("transport", "交通运输", "Transport"),
    ("circular_economy", "循环经济", "Circular economy"),
    ("technology", "科技创新", "Technology and innovation"),
    ("carbon_sinks", "生态碳汇", "Ecosystems and carbon sinks"),
    ("lifestyle", "绿色低碳全民行动", "Green lifestyles"),
    ("agriculture", "农业农村", "Agriculture and rural areas"),
    ("environment", "环境治理", "Pollution control"),
    ("pilots", "试点示范", "Pilots and demonstration"),
    ("governance", "政策保障", "Policy and governance"),
]

# Each vocabulary as a type (the plan file schema's) and as the tuple of its values.
PlanKind = Literal["carbon_peaking", "pollution_carbon_synergy"]
TargetKind = Literal["level", "change_vs_baseline", "cumulative", "annual_growth", "qualitative"]
Comparator = Literal["at_least", "at_most", "about"]
Direction = Literal["increase", "decrease"]
Nature = Literal["stock", "flow", "ratio", "qualitative"]
BureauKind = Literal[
    "municipal_department",
    "party_department",
    "district_government",
    "state_unit",
    "enterprise",
    "coordination_body",
    "other",
]
PLAN_KINDS: tuple[str, ...] = get_args(PlanKind)
TARGET_KINDS: tuple[str, ...] = get_args(TargetKind)
COMPARATORS: tuple[str, ...] = get_args(Comparator)
DIRECTIONS: tuple[str, ...] = get_args(Direction)
NATURES: tuple[str, ...] = get_args(Nature)
BUREAU_KINDS: tuple[str, ...] = get_args(BureauKind)
MIN_YEAR, MAX_YEAR = 2020, 2060
