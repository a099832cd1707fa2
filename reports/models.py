from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from unionportal.models import County, Township


class SummaryNarrative(models.Model):
    """The parts of a work summary that staff write themselves, kept as a draft per township (or
    county federation) and period."""

    township = models.ForeignKey(
        Township,
        verbose_name=_("乡镇工会"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    county = models.ForeignKey(
        County,
        verbose_name=_("县总工会"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    period = models.CharField(_("期间"), max_length=24)
    opening = models.TextField(_("开头"), blank=True, help_text=_("可选：写在总结开头的几句话。"))
    practices = models.TextField(_("主要做法和经验"), blank=True)
    shortcomings = models.TextField(_("存在不足"), blank=True)
    plans = models.TextField(_("下一步工作打算"), blank=True)
    updated_at = models.DateTimeField(_("保存时间"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("保存人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("总结草稿")
        verbose_name_plural = _("总结草稿")
        constraints = [
            models.CheckConstraint(
                condition=Q(township__isnull=False, county__isnull=True)
                | Q(township__isnull=True, county__isnull=False),
                name="narrative_one_scope",
            ),
            models.UniqueConstraint(
                fields=["township", "period"],
                condition=Q(township__isnull=False),
                name="narrative_unique_township_period",
            ),
            models.UniqueConstraint(
                fields=["county", "period"],
                condition=Q(county__isnull=False),
                name="narrative_unique_county_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.township or self.county} {self.period}"


class FinalSummary(models.Model):
    """A finalised summary: its PDF and DOCX as they were at finalisation, with their SHA-256.
    They never change afterwards, whatever happens to the records."""

    township = models.ForeignKey(
        Township,
        verbose_name=_("乡镇工会"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    county = models.ForeignKey(
        County,
        verbose_name=_("县总工会"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    period = models.CharField(_("期间"), max_length=24)
    version = models.PositiveIntegerField(_("版本"), default=1)
    title = models.CharField(_("标题"), max_length=200)
    pdf = models.BinaryField("PDF")
    docx = models.BinaryField("DOCX")
    pdf_sha256 = models.CharField("PDF SHA-256", max_length=64)
    docx_sha256 = models.CharField("DOCX SHA-256", max_length=64)
    # The SHA-256 of the document's content (reports.services.content_sha256): finalising
    # the same content again makes no new version. Empty for versions finalised before it existed.
    content_sha256 = models.CharField(_("内容 SHA-256"), max_length=64, blank=True, default="")
    finalised_at = models.DateTimeField(_("定稿时间"), auto_now_add=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("定稿人"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("定稿总结")
        verbose_name_plural = _("定稿总结")
        ordering = ["-finalised_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(township__isnull=False, county__isnull=True)
                | Q(township__isnull=True, county__isnull=False),
                name="final_summary_one_scope",
            ),
            models.UniqueConstraint(
                fields=["township", "period", "version"],
                condition=Q(township__isnull=False),
                name="final_summary_unique_township_version",
            ),
            models.UniqueConstraint(
                fields=["county", "period", "version"],
                condition=Q(county__isnull=False),
                name="final_summary_unique_county_version",
            ),
        ]

    def __str__(self) -> str:
        return _("{title}（第{version}版）").format(title=self.title, version=self.version)


class TargetIndicator(models.TextChoices):
    """The key indicators a county sets annual targets and assessment weights for (考核指标).

    信访受理数 has no target: more petitions received is neither good nor bad in itself; nor has
    在档困难职工户数 (households on the hardship register at end)."""

    UNIONISATION_RATE = "unionisation_rate", _("建会率")
    MEMBERSHIP_RATE = "membership_rate", _("入会率")
    MIGRANT_MEMBERSHIP_RATE = "migrant_membership_rate", _("农民工入会率")
    NEW_MEMBERS = "new_members", _("新发展会员")
    CLOSURE_RATE = "closure_rate", _("办结率")
    CONTRACT_WORKERS = "contract_workers", _("有效集体合同覆盖职工数")
    VISITS = "visits", _("慰问户次")
    WELFARE_AMOUNT = "welfare_amount", _("慰问金额")
    EVENTS = "events", _("职工活动次数")
    PARTICIPANTS = "participants", _("职工活动参与人次")
    COLLECTION_RATE = "collection_rate", _("经费收缴率")
    REMITTANCE_RATE = "remittance_rate", _("经费上缴率")
    HARDSHIP_OUT = "hardship_out", _("脱困户数")
    HARDSHIP_COVERAGE = "hardship_coverage", _("困难职工走访覆盖率")
    MUTUAL_AID_RATE = "mutual_aid_rate", _("医疗互助参加率")


RATE_TARGETS = (
    TargetIndicator.UNIONISATION_RATE,
    TargetIndicator.MEMBERSHIP_RATE,
    TargetIndicator.MIGRANT_MEMBERSHIP_RATE,
    TargetIndicator.CLOSURE_RATE,
    TargetIndicator.COLLECTION_RATE,
    TargetIndicator.REMITTANCE_RATE,
    TargetIndicator.HARDSHIP_COVERAGE,
    TargetIndicator.MUTUAL_AID_RATE,
)


class AnnualTarget(models.Model):
    """A township's target for one key indicator in one year, set by its county federation.

    Rates are percentages (90 means 90%); counts are for the whole year and are pro-rated for
    shorter periods on the dashboard (reports/dashboards.py)."""

    township = models.ForeignKey(
        Township, verbose_name=_("乡镇工会"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    indicator = models.CharField(_("指标"), max_length=32, choices=TargetIndicator.choices)
    value = models.DecimalField(_("年度目标"), max_digits=14, decimal_places=2)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("修改人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("年度目标")
        verbose_name_plural = _("年度目标")
        ordering = ["year", "township", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["township", "year", "indicator"], name="target_unique_township_year"
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="target_not_negative"),
            models.CheckConstraint(
                condition=~Q(indicator__in=[i.value for i in RATE_TARGETS]) | Q(value__lte=100),
                name="target_rate_at_most_100",
                violation_error_message=_("比率类目标不能超过100%。"),
            ),
        ]

    def __str__(self) -> str:
        return _("{township} {year}年{get_indicator_display}目标 {value}").format(
            township=self.township,
            year=self.year,
            get_indicator_display=self.get_indicator_display(),
            value=self.value,
        )


class AssessmentWeight(models.Model):
    """How much one key indicator weighs in a county's assessment rules (考核细则) for a year."""

    county = models.ForeignKey(
        County, verbose_name=_("县总工会"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    indicator = models.CharField(_("指标"), max_length=32, choices=TargetIndicator.choices)
    weight = models.PositiveSmallIntegerField(_("权重（分）"))
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("修改人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("考核权重")
        verbose_name_plural = _("考核权重")
        ordering = ["year", "county", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "year", "indicator"], name="weight_unique_county_year"
            ),
            models.CheckConstraint(condition=Q(weight__lte=100), name="weight_at_most_100"),
        ]

    def __str__(self) -> str:
        return _("{county} {year}年{get_indicator_display}权重 {weight}").format(
            county=self.county,
            year=self.year,
            get_indicator_display=self.get_indicator_display(),
            weight=self.weight,
        )
