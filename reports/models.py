from django.conf import settings
from django.db import models
from django.db.models import Q

from unionportal.models import County, Township


class SummaryNarrative(models.Model):
    """The parts of a work summary that staff write themselves, kept as a draft per township (or
    county federation) and period."""

    township = models.ForeignKey(
        Township,
        verbose_name="乡镇工会",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    county = models.ForeignKey(
        County,
        verbose_name="县总工会",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    period = models.CharField("期间", max_length=24)
    opening = models.TextField("开头", blank=True, help_text="可选：写在总结开头的几句话。")
    practices = models.TextField("主要做法和经验", blank=True)
    shortcomings = models.TextField("存在不足", blank=True)
    plans = models.TextField("下一步工作打算", blank=True)
    updated_at = models.DateTimeField("保存时间", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="保存人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "总结草稿"
        verbose_name_plural = "总结草稿"
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
        verbose_name="乡镇工会",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    county = models.ForeignKey(
        County,
        verbose_name="县总工会",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    period = models.CharField("期间", max_length=24)
    version = models.PositiveIntegerField("版本", default=1)
    title = models.CharField("标题", max_length=200)
    pdf = models.BinaryField("PDF")
    docx = models.BinaryField("DOCX")
    pdf_sha256 = models.CharField("PDF SHA-256", max_length=64)
    docx_sha256 = models.CharField("DOCX SHA-256", max_length=64)
    finalised_at = models.DateTimeField("定稿时间", auto_now_add=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="定稿人",
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "定稿总结"
        verbose_name_plural = "定稿总结"
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
        return f"{self.title}（第{self.version}版）"
