from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from members.models import Member
from unionportal.fields import MONEY
from unionportal.masking import mask_id_number
from unionportal.models import TownshipRecord
from unionportal.pii import EncryptedIdNumberField, IdNumberHashField, id_number_hash
from unionportal.validators import normalize_id_number, validate_id_number


class BeneficiaryType(models.TextChoices):
    EXTREME_HARDSHIP = "extreme", "特困职工"
    HARDSHIP = "hardship", "困难职工"
    RETIRED = "retired", "离退休职工"
    MODEL_WORKER = "model", "劳模"
    STUDENT = "student", "助学"
    OTHER = "other", "其他"


class FundSource(models.TextChoices):
    HIGHER = "higher", "上级工会"
    OWN = "own", "本级工会"
    GRASSROOTS = "grassroots", "基层工会"
    EMPLOYER = "employer", "企业"
    OTHER = "other", "其他"


class WelfareVisit(TownshipRecord):
    """One household or person visited (慰问/送温暖), usually as part of a campaign."""

    visited_on = models.DateField("日期")
    beneficiary_type = models.CharField("对象类型", max_length=10, choices=BeneficiaryType.choices)
    beneficiary_name = models.CharField("对象姓名", max_length=40)
    # The recipient's ID: encrypted at rest, linked and searched by its hash (unionportal/pii.py).
    id_number = EncryptedIdNumberField(
        "身份证号", max_length=18, blank=True, validators=[validate_id_number]
    )
    id_number_hash = IdNumberHashField("身份证号索引")
    member = models.ForeignKey(
        Member,
        verbose_name="会员",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="welfare_visits",
    )
    cash = models.DecimalField("慰问金额（元）", default=0, **MONEY)
    goods_value = models.DecimalField("物资折款（元）", default=0, **MONEY)
    fund_source = models.CharField(
        "资金来源", max_length=10, choices=FundSource.choices, blank=True
    )
    campaign = models.CharField(
        "活动名称", max_length=100, blank=True, help_text="如 2026年春节送温暖"
    )
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        verbose_name = "慰问"
        verbose_name_plural = "慰问"
        ordering = ["-visited_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(cash__gte=0),
                name="visit_cash_nonneg",
                violation_error_message="慰问金额不能为负数。",
            ),
            models.CheckConstraint(
                condition=Q(goods_value__gte=0),
                name="visit_goods_nonneg",
                violation_error_message="物资折款不能为负数。",
            ),
            models.CheckConstraint(
                condition=Q(beneficiary_type__in=BeneficiaryType.values), name="visit_type_valid"
            ),
            models.CheckConstraint(
                condition=Q(fund_source="") | Q(fund_source__in=FundSource.values),
                name="visit_fund_source_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["township", "visited_on"], name="visit_township_date"),
            models.Index(fields=["township", "id_number_hash"], name="visit_township_id_hash"),
        ]

    def __str__(self) -> str:
        return f"{self.visited_on:%Y-%m-%d} {self.beneficiary_name}"

    def clean_fields(self, exclude=None) -> None:
        self.id_number = normalize_id_number(self.id_number) if self.id_number else ""
        self.id_number_hash = id_number_hash(self.id_number)
        super().clean_fields(exclude=exclude)

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    def clean(self) -> None:
        if self.member_id and self.township_id and self.member.township_id != self.township_id:
            raise ValidationError({"member": "会员必须是本乡镇的会员。"})
