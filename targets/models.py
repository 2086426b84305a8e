"""What the plans promise: cities, plans, sectors, bureaus, indicators and targets."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from targets.querysets import IndicatorQuerySet, TargetQuerySet


class City(models.Model):
    code = models.SlugField(_("代码"), max_length=50, unique=True)
    name = models.CharField(_("名称"), max_length=50, unique=True)
    name_en = models.CharField(_("英文名称"), max_length=100, blank=True)
    # The province groups cities on the overview; a fact about the city, kept with its name.
    province = models.CharField(_("省份"), max_length=50, blank=True, db_index=True)
    province_en = models.CharField(_("省份英文名称"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("城市")
        verbose_name_plural = _("城市")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Sector(models.Model):
    """One taxonomy shared by every city, so sectors can be compared across cities."""

    code = models.SlugField(_("代码"), max_length=50, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    name_en = models.CharField(_("英文名称"), max_length=100, blank=True)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("领域")
        verbose_name_plural = _("领域")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name


class Plan(models.Model):
    class Kind(models.TextChoices):
        CARBON_PEAKING = "carbon_peaking", _("碳达峰工作方案")
        SYNERGY = "pollution_carbon_synergy", _("减污降碳协同增效实施方案")

    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="plans", verbose_name=_("城市"))
    code = models.SlugField(_("代码"), max_length=80, unique=True)
    title = models.CharField(_("标题"), max_length=200)
    title_en = models.CharField(_("英文标题"), max_length=300, blank=True)
    document_number = models.CharField(_("文号"), max_length=100, unique=True)
    issuers = models.JSONField(_("印发机关"), default=list, blank=True)
    issued = models.DateField(_("印发日期"))
    kind = models.CharField(_("类型"), max_length=40, choices=Kind.choices)
    source_file = models.CharField(_("来源文本"), max_length=200, blank=True)
    districts_note = models.TextField(_("区县落实说明"), blank=True)

    class Meta:
        verbose_name = _("规划")
        verbose_name_plural = _("规划")
        ordering = ["city__code", "issued"]
        constraints = [models.UniqueConstraint(fields=["city", "title"], name="plan_unique_title_per_city")]

    def __str__(self) -> str:
        return f"{self.title}（{self.document_number}）"


class Bureau(models.Model):
    class Kind(models.TextChoices):
        MUNICIPAL = "municipal_department", _("市直部门")
        PARTY = "party_department", _("市委部门")
        DISTRICT = "district_government", _("区县政府")
        STATE_UNIT = "state_unit", _("驻市单位")
        ENTERPRISE = "enterprise", _("企业")
        COORDINATION = "coordination_body", _("议事协调机构")
        OTHER = "other", _("其他")

    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="bureaus", verbose_name=_("城市"))
    name = models.CharField(_("名称"), max_length=100)
    name_en = models.CharField(_("英文名称"), max_length=200, blank=True)
    kind = models.CharField(_("类型"), max_length=40, choices=Kind.choices, default=Kind.MUNICIPAL)
    # Other spellings seen in the plan texts, typos included, so clauses resolve to one bureau.
    aliases = models.JSONField(_("别名"), default=list, blank=True)

    class Meta:
        verbose_name = _("责任单位")
        verbose_name_plural = _("责任单位")
        ordering = ["city__code", "name"]
        constraints = [models.UniqueConstraint(fields=["city", "name"], name="bureau_unique_name_per_city")]

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    """A city's metric. `code` is common across cities so the same metric can be compared."""

    class Direction(models.TextChoices):
        INCREASE = "increase", _("越高越好")
        DECREASE = "decrease", _("越低越好")

    class Nature(models.TextChoices):
        STOCK = "stock", _("存量")
        FLOW = "flow", _("年度流量")
        RATIO = "ratio", _("比率/强度")
        QUALITATIVE = "qualitative", _("定性")

    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="indicators", verbose_name=_("城市"))
    code = models.SlugField(_("通用代码"), max_length=80)
    name = models.CharField(_("名称"), max_length=200)
    name_en = models.CharField(_("英文名称"), max_length=300, blank=True)
    unit = models.CharField(_("单位"), max_length=50, blank=True)
    direction = models.CharField(_("方向"), max_length=10, choices=Direction.choices)
    nature = models.CharField(_("性质"), max_length=12, choices=Nature.choices, default=Nature.RATIO)
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="indicators", verbose_name=_("领域"))

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("指标")
        verbose_name_plural = _("指标")
        ordering = ["city__code", "sector__position", "code"]
        constraints = [models.UniqueConstraint(fields=["city", "code"], name="indicator_unique_code_per_city")]

    def __str__(self) -> str:
        return f"{self.name}（{self.city}）"


class Target(models.Model):
    class Kind(models.TextChoices):
        LEVEL = "level", _("水平值")
        CHANGE = "change_vs_baseline", _("较基年变化")
        CUMULATIVE = "cumulative", _("期间累计")
        ANNUAL_GROWTH = "annual_growth", _("年均增长")
        QUALITATIVE = "qualitative", _("定性")

    class Comparator(models.TextChoices):
        AT_LEAST = "at_least", _("不低于")
        AT_MOST = "at_most", _("不高于")
        ABOUT = "about", _("左右")

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="targets", verbose_name=_("规划"))
    code = models.SlugField(_("代码"), max_length=100)
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="targets", verbose_name=_("指标"))
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    comparator = models.CharField(_("比较方式"), max_length=10, choices=Comparator.choices, blank=True)
    # Level and cumulative targets: the indicator's unit. Change and growth: signed percent.
    value = models.DecimalField(_("目标值"), max_digits=20, decimal_places=6, null=True, blank=True)
    target_year = models.PositiveSmallIntegerField(_("目标年"))
    period_start = models.PositiveSmallIntegerField(_("起始年"), null=True, blank=True)
    baseline_year = models.PositiveSmallIntegerField(_("基准年"), null=True, blank=True)
    strive = models.BooleanField(_("力争"), default=False)
    section = models.CharField(_("条款"), max_length=50)
    source_text = models.TextField(_("原文"))
    # A reading the text does not state outright (a baseline, a period start, a year), so a
    # leader can see which figures rest on it.
    interpretation = models.TextField(_("解读说明"), blank=True)
    position = models.PositiveIntegerField(_("排序"), default=0)
    bureaus = models.ManyToManyField(
        Bureau, through="TargetResponsibility", related_name="targets", verbose_name=_("责任单位")
    )
    history = HistoricalRecords(excluded_fields=["position"])

    objects = TargetQuerySet.as_manager()
    # Set on loaded rows by the API's and the search page's selectors.
    current_snapshot: Any
    status: str
    status_label: str

    class Meta:
        verbose_name = _("目标")
        verbose_name_plural = _("目标")
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="target_unique_code_per_plan"),
            models.CheckConstraint(
                condition=Q(kind="qualitative") | (Q(value__isnull=False) & ~Q(comparator="")),
                name="target_quantified_has_value_and_comparator",
            ),
            models.CheckConstraint(
                condition=~Q(kind="qualitative") | Q(value__isnull=True),
                name="target_qualitative_has_no_value",
            ),
            models.CheckConstraint(
                condition=Q(baseline_year__isnull=True) | Q(target_year__gte=models.F("baseline_year")),
                name="target_year_not_before_baseline",
            ),
            models.CheckConstraint(
                condition=Q(period_start__isnull=True) | Q(target_year__gte=models.F("period_start")),
                name="target_year_not_before_period_start",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["change_vs_baseline", "annual_growth"]) | Q(baseline_year__isnull=False),
                name="target_relative_has_baseline",
            ),
            models.CheckConstraint(
                condition=~Q(kind="cumulative") | Q(period_start__isnull=False),
                name="target_cumulative_has_period_start",
            ),
            models.CheckConstraint(
                condition=Q(target_year__gte=2020) & Q(target_year__lte=2060), name="target_year_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.name} {self.target_year}（{self.plan.city}）"

    def counterparts(self) -> TargetQuerySet:
        """Targets of the city's other plans that state the same commitment on this indicator."""
        return Target.objects.filter(
            indicator_id=self.indicator_id, target_year=self.target_year, kind=self.kind
        ).exclude(pk=self.pk)


class Role(models.TextChoices):
    LEAD = "lead", _("牵头")
    SUPPORT = "support", _("配合")


class Responsibility(models.Model):
    """A bureau's part in a target or measure: the first printed leads, the rest support."""

    bureau = models.ForeignKey(Bureau, on_delete=models.PROTECT, verbose_name=_("责任单位"))
    role = models.CharField(_("角色"), max_length=10, choices=Role.choices, default=Role.SUPPORT)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        abstract = True
        ordering = ["position"]


class TargetResponsibility(Responsibility):
    target = models.ForeignKey(
        Target, on_delete=models.CASCADE, related_name="responsibilities", verbose_name=_("目标")
    )

    class Meta(Responsibility.Meta):
        verbose_name = _("目标责任单位")
        verbose_name_plural = _("目标责任单位")
        constraints = [
            models.UniqueConstraint(fields=["target", "bureau"], name="target_responsibility_unique"),
            models.UniqueConstraint(fields=["target"], condition=Q(role="lead"), name="target_single_lead"),
        ]

    def __str__(self) -> str:
        return f"{self.bureau}（{self.get_role_display()}）"


class Frequency(models.TextChoices):
    ANNUAL = "annual", _("年度")
    QUARTERLY = "quarterly", _("季度")
    MONTHLY = "monthly", _("月度")


class CitySetup(models.Model):
    """A city's own reporting set-up (not plan text): who coordinates and reviews, and when
    values are due. Loaded from fixtures/cities/<city>.yaml, editable in the admin."""

    city = models.OneToOneField(City, on_delete=models.CASCADE, related_name="setup", verbose_name=_("城市"))
    coordinating_bureau = models.ForeignKey(
        Bureau, on_delete=models.PROTECT, related_name="coordinated_setups", verbose_name=_("牵头协调单位")
    )
    review_required = models.BooleanField(_("数据需审核"), default=False)
    first_year = models.PositiveSmallIntegerField(_("报送起始年"), default=2021)
    # Annual values are due on this day of the following year; quarters and months this many
    # days after they end.
    annual_due_month = models.PositiveSmallIntegerField(_("年度数据截止月"), default=3)
    annual_due_day = models.PositiveSmallIntegerField(_("年度数据截止日"), default=31)
    subannual_due_days = models.PositiveSmallIntegerField(_("季度/月度数据截止天数"), default=30)
    source_file = models.CharField(_("设置文件"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("城市报送设置")
        verbose_name_plural = _("城市报送设置")
        ordering = ["city__code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(annual_due_month__gte=1) & Q(annual_due_month__lte=12), name="setup_due_month_1_12"
            ),
            models.CheckConstraint(
                condition=Q(annual_due_day__gte=1) & Q(annual_due_day__lte=31), name="setup_due_day_1_31"
            ),
        ]

    def __str__(self) -> str:
        return str(self.city)

    def clean(self) -> None:
        if self.coordinating_bureau_id and self.city_id and self.coordinating_bureau.city_id != self.city_id:
            raise ValidationError({"coordinating_bureau": _("牵头协调单位必须是本市的单位。")})


class IndicatorReporting(models.Model):
    """Who reports an indicator (数据报送单位) and how often. Kept apart from the plan's
    responsible bureaus, which stay as printed."""

    class Basis(models.TextChoices):
        PLAN = "plan", _("规划所列牵头单位")
        SETUP = "setup", _("城市设置决定")

    indicator = models.OneToOneField(
        Indicator, on_delete=models.CASCADE, related_name="reporting", verbose_name=_("指标")
    )
    bureau = models.ForeignKey(
        Bureau, on_delete=models.PROTECT, related_name="reported_indicators", verbose_name=_("数据报送单位")
    )
    frequency = models.CharField(_("报送频率"), max_length=10, choices=Frequency.choices, default=Frequency.ANNUAL)
    basis = models.CharField(_("依据"), max_length=10, choices=Basis.choices, default=Basis.PLAN)
    reason = models.CharField(_("设置理由"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("指标报送单位")
        verbose_name_plural = _("指标报送单位")
        ordering = ["indicator"]
        constraints = [
            models.CheckConstraint(
                condition=Q(basis="plan") | ~Q(reason=""), name="indicator_reporting_setup_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.name}：{self.bureau}"

    def clean(self) -> None:
        if self.bureau_id and self.indicator_id and self.bureau.city_id != self.indicator.city_id:
            raise ValidationError({"bureau": _("数据报送单位必须是指标所在城市的单位。")})
        if self.basis == self.Basis.SETUP and not self.reason.strip():
            raise ValidationError({"reason": _("城市设置决定须说明理由。")})
