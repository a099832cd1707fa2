from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from members.models import Employer
from unionportal.fields import MONEY
from unionportal.models import Attachment, TownshipRecord


class Channel(models.TextChoices):
    VISIT = "visit", "来访"
    LETTER = "letter", "来信"
    PHONE = "phone", "来电"
    ONLINE = "online", "网络"
    OTHER = "other", "其他"


class CaseCategory(models.TextChoices):
    WAGES = "wages", "拖欠工资"
    CONTRACT = "contract", "劳动合同"
    INSURANCE = "insurance", "社会保险"
    INJURY = "injury", "工伤"
    HOURS = "hours", "工时休假"
    OTHER = "other", "其他"


class Handling(models.TextChoices):
    COORDINATION = "coordination", "协调"
    MEDIATION = "mediation", "调解"
    ARBITRATION = "arbitration", "参与仲裁"
    REFERRAL = "referral", "转办"
    OTHER = "other", "其他"


class CaseStatus(models.TextChoices):
    OPEN = "open", "处理中"
    RESOLVED = "resolved", "已解决"
    ARBITRATION = "arbitration", "转仲裁"
    REJECTED = "rejected", "不予受理"


class Case(TownshipRecord):
    """A petition or labour dispute (信访/劳动争议) received by the township union."""

    number = models.CharField("编号", max_length=40)
    received_on = models.DateField("受理日期")
    channel = models.CharField("方式", max_length=8, choices=Channel.choices, blank=True)
    petitioner = models.CharField("诉求人", max_length=100)
    people_involved = models.PositiveIntegerField("涉及人数", default=1)
    employer = models.ForeignKey(
        Employer,
        verbose_name="涉及单位",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
    )
    category = models.CharField("类别", max_length=10, choices=CaseCategory.choices)
    amount_involved = models.DecimalField("涉及金额（元）", null=True, blank=True, **MONEY)
    handling = models.CharField("处理方式", max_length=12, choices=Handling.choices, blank=True)
    status = models.CharField(
        "状态", max_length=12, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    closed_on = models.DateField("结案日期", null=True, blank=True)
    amount_recovered = models.DecimalField("追回金额（元）", null=True, blank=True, **MONEY)
    summary = models.TextField("摘要", blank=True)

    class Meta:
        verbose_name = "信访案件"
        verbose_name_plural = "信访案件"
        ordering = ["-received_on", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["township", "number"],
                name="case_number_unique_in_township",
                violation_error_message="本乡镇已有该编号的信访案件。",
            ),
            models.CheckConstraint(
                condition=Q(status="open") | Q(closed_on__isnull=False),
                name="case_closed_has_date",
                violation_error_message="状态不是“处理中”时必须填写结案日期。",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("received_on")),
                name="case_closed_after_received",
                violation_error_message="结案日期不能早于受理日期。",
            ),
            models.CheckConstraint(
                condition=Q(amount_involved__isnull=True) | Q(amount_involved__gte=0),
                name="case_amount_involved_nonneg",
                violation_error_message="涉及金额不能为负数。",
            ),
            models.CheckConstraint(
                condition=Q(amount_recovered__isnull=True) | Q(amount_recovered__gte=0),
                name="case_amount_recovered_nonneg",
                violation_error_message="追回金额不能为负数。",
            ),
            models.CheckConstraint(condition=Q(people_involved__gte=0), name="case_people_nonneg"),
            models.CheckConstraint(
                condition=Q(status__in=CaseStatus.values), name="case_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(category__in=CaseCategory.values), name="case_category_valid"
            ),
            models.CheckConstraint(
                condition=Q(channel="") | Q(channel__in=Channel.values), name="case_channel_valid"
            ),
            models.CheckConstraint(
                condition=Q(handling="") | Q(handling__in=Handling.values),
                name="case_handling_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["township", "received_on"], name="case_township_received"),
            models.Index(fields=["township", "closed_on"], name="case_township_closed"),
            models.Index(fields=["township", "status"], name="case_township_status"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.petitioner}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.status and self.status != CaseStatus.OPEN and not self.closed_on:
            errors["closed_on"] = "状态不是“处理中”时必须填写结案日期。"
        if self.closed_on and self.received_on and self.closed_on < self.received_on:
            errors["closed_on"] = "结案日期不能早于受理日期。"
        if self.employer_id and self.township_id and self.employer.township_id != self.township_id:
            errors["employer"] = "涉及单位必须是本乡镇的单位。"
        if errors:
            raise ValidationError(errors)

    @property
    def is_closed(self) -> bool:
        return self.status != CaseStatus.OPEN


class CaseAttachment(Attachment):
    case = models.ForeignKey(
        Case, verbose_name="信访案件", on_delete=models.CASCADE, related_name="attachments"
    )

    class Meta(Attachment.Meta):
        verbose_name = "信访附件"
        verbose_name_plural = "信访附件"
