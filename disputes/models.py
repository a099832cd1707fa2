from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from members.models import Employer
from unionportal.fields import MONEY
from unionportal.models import Attachment, TownshipRecord


class Channel(models.TextChoices):
    VISIT = "visit", _("来访")
    LETTER = "letter", _("来信")
    PHONE = "phone", _("来电")
    ONLINE = "online", _("网络")
    OTHER = "other", _("其他")


class CaseCategory(models.TextChoices):
    WAGES = "wages", _("拖欠工资")
    CONTRACT = "contract", _("劳动合同")
    INSURANCE = "insurance", _("社会保险")
    INJURY = "injury", _("工伤")
    HOURS = "hours", _("工时休假")
    OTHER = "other", _("其他")


class Handling(models.TextChoices):
    COORDINATION = "coordination", _("协调")
    MEDIATION = "mediation", _("调解")
    ARBITRATION = "arbitration", _("参与仲裁")
    REFERRAL = "referral", _("转办")
    OTHER = "other", _("其他")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("处理中")
    RESOLVED = "resolved", _("已解决")
    ARBITRATION = "arbitration", _("转仲裁")
    REJECTED = "rejected", _("不予受理")


class Case(TownshipRecord):
    """A petition or labour dispute (信访/劳动争议) received by the township union."""

    number = models.CharField(_("编号"), max_length=40)
    received_on = models.DateField(_("受理日期"))
    channel = models.CharField(_("方式"), max_length=8, choices=Channel.choices, blank=True)
    petitioner = models.CharField(_("诉求人"), max_length=100)
    people_involved = models.PositiveIntegerField(_("涉及人数"), default=1)
    employer = models.ForeignKey(
        Employer,
        verbose_name=_("涉及单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
    )
    category = models.CharField(_("类别"), max_length=10, choices=CaseCategory.choices)
    amount_involved = models.DecimalField(_("涉及金额（元）"), null=True, blank=True, **MONEY)
    handling = models.CharField(_("处理方式"), max_length=12, choices=Handling.choices, blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    closed_on = models.DateField(_("结案日期"), null=True, blank=True)
    amount_recovered = models.DecimalField(_("追回金额（元）"), null=True, blank=True, **MONEY)
    summary = models.TextField(_("摘要"), blank=True)

    class Meta:
        verbose_name = _("信访案件")
        verbose_name_plural = _("信访案件")
        ordering = ["-received_on", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["township", "number"],
                name="case_number_unique_in_township",
                violation_error_message=_("本乡镇已有该编号的信访案件。"),
            ),
            models.CheckConstraint(
                condition=Q(status="open") | Q(closed_on__isnull=False),
                name="case_closed_has_date",
                violation_error_message=_("状态不是“处理中”时必须填写结案日期。"),
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("received_on")),
                name="case_closed_after_received",
                violation_error_message=_("结案日期不能早于受理日期。"),
            ),
            models.CheckConstraint(
                condition=Q(amount_involved__isnull=True) | Q(amount_involved__gte=0),
                name="case_amount_involved_nonneg",
                violation_error_message=_("涉及金额不能为负数。"),
            ),
            models.CheckConstraint(
                condition=Q(amount_recovered__isnull=True) | Q(amount_recovered__gte=0),
                name="case_amount_recovered_nonneg",
                violation_error_message=_("追回金额不能为负数。"),
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
            errors["closed_on"] = _("状态不是“处理中”时必须填写结案日期。")
        if self.closed_on and self.received_on and self.closed_on < self.received_on:
            errors["closed_on"] = _("结案日期不能早于受理日期。")
        if self.employer_id and self.township_id and self.employer.township_id != self.township_id:
            errors["employer"] = _("涉及单位必须是本乡镇的单位。")
        if errors:
            raise ValidationError(errors)

    @property
    def is_closed(self) -> bool:
        return self.status != CaseStatus.OPEN


class CaseAttachment(Attachment):
    case = models.ForeignKey(
        Case, verbose_name=_("信访案件"), on_delete=models.CASCADE, related_name="attachments"
    )

    class Meta(Attachment.Meta):
        verbose_name = _("信访附件")
        verbose_name_plural = _("信访附件")
