"""Vocabularies shared by the models, the fixture validator and the data migrations.

Kept free of Django imports so the fixture checker can run without a configured project.
"""

from __future__ import annotations

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

PLAN_KINDS = ("carbon_peaking", "pollution_carbon_synergy")
TARGET_KINDS = ("level", "change_vs_baseline", "cumulative", "annual_growth", "qualitative")
COMPARATORS = ("at_least", "at_most", "about")
DIRECTIONS = ("increase", "decrease")
NATURES = ("stock", "flow", "ratio", "qualitative")
BUREAU_KINDS = (
    "municipal_department",
    "party_department",
    "district_government",
    "state_unit",
    "enterprise",
    "coordination_body",
    "other",
)
MIN_YEAR, MAX_YEAR = 2020, 2060
