import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from unionportal import clock
from unionportal.fields import MONEY
from unionportal.masking import mask_id_number, mask_mobile
from unionportal.models import Township, TownshipRecord
from unionportal.periods import PeriodError, parse_period
from unionportal.pii import EncryptedIdNumberField, IdNumberHashField, id_number_hash
from unionportal.validators import (
    CREDIT_CODE_PATTERN,
    MOBILE_PATTERN,
    id_birth_date,
    id_gender,
    normalize_credit_code,
    normalize_id_number,
    normalize_mobile,
    validate_credit_code,
    validate_id_number,
    validate_mobile,
)

# Employers with at least this many employees should establish a union (应建会) unless stated
# otherwise (spec/workbook.md, 单位).
UNION_THRESHOLD = 25


class EconomicType(models.TextChoices):
    STATE = "state", _("国有")
    COLLECTIVE = "collective", _("集体")
    PRIVATE = "private", _("民营")
    FOREIGN = "foreign", _("外资")
    HMT = "hmt", _("港澳台资")
    PUBLIC = "public", _("机关事业")
    OTHER = "other", _("其他")


class UnionKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业工会")
    PUBLIC = "public", _("机关事业工会")
    VILLAGE = "village", _("村（社区）工会")
    JOINT = "joint", _("联合工会")


class StarRating(models.TextChoices):
    NONE = "none", _("无")
    ONE = "one", _("一星")
    TWO = "two", _("二星")
    THREE = "three", _("三星")


class ModelWorkerLevel(models.TextChoices):
    NONE = "none", _("无")
    COUNTY = "county", _("县级")
    CITY = "city", _("市级")
    PROVINCE = "province", _("省级")
    NATIONAL = "national", _("全国")


class Gender(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class ContractKind(models.TextChoices):
    GENERAL = "general", _("综合")
    WAGE = "wage", _("工资专项")
    WOMEN = "women", _("女职工专项")
    SAFETY = "safety", _("安全卫生专项")


def _nonneg(field: str, label: str, app: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__gte": 0}),
        name=f"{app}_{field}_nonneg",
        violation_error_message=_("{label}不能为负数。").format(label=label),
    )


class GrassrootsUnion(TownshipRecord):
    """A grassroots union (基层工会) of an enterprise, public body, village or a joint union."""

    name = models.CharField(_("工会名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=12, choices=UnionKind.choices)
    founded_on = models.DateField(_("成立日期"))
    chair_name = models.CharField(_("工会主席"), max_length=40, blank=True)
    chair_is_migrant = models.BooleanField(_("主席为外来职工"), default=False)
    standardised = models.BooleanField(_("规范化"), default=False)
    star = models.CharField(
        _("星级"), max_length=6, choices=StarRating.choices, default=StarRating.NONE
    )
    has_congress = models.BooleanField(_("职代会制度"), default=False)
    has_affairs_openness = models.BooleanField(_("厂务公开"), default=False)
    has_women_committee = models.BooleanField(_("女职工委员会"), default=False)
    dissolved_on = models.DateField(_("撤销日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("基层工会")
        verbose_name_plural = _("基层工会")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["township", "name"],
                name="union_name_unique_in_township",
                violation_error_message=_("本乡镇已有同名的基层工会。"),
            ),
            models.CheckConstraint(
                condition=Q(dissolved_on__isnull=True) | Q(dissolved_on__gte=F("founded_on")),
                name="union_dissolved_after_founded",
                violation_error_message=_("撤销日期不能早于成立日期。"),
            ),
            models.CheckConstraint(condition=Q(kind__in=UnionKind.values), name="union_kind_valid"),
            models.CheckConstraint(
                condition=Q(star__in=StarRating.values), name="union_star_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["township", "founded_on"], name="union_township_founded"),
            models.Index(fields=["township", "dissolved_on"], name="union_township_dissolved"),
        ]

    def __str__(self) -> str:
        return self.name

    def is_active_on(self, day: datetime.date) -> bool:
        return self.founded_on <= day and (self.dissolved_on is None or self.dissolved_on > day)


class Employer(TownshipRecord):
    """An employer (单位) in the township, whether or not it has a union yet."""

    name = models.CharField(_("单位名称"), max_length=100)
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, blank=True, validators=[validate_credit_code]
    )
    economic_type = models.CharField(
        _("经济类型"), max_length=12, choices=EconomicType.choices, blank=True
    )
    employees = models.PositiveIntegerField(_("职工人数"))
    migrant_employees = models.PositiveIntegerField(_("外来职工人数"), default=0)
    should_unionise = models.BooleanField(
        _("应建会"),
        default=True,
        help_text=format_lazy(
            _("职工人数达到{UNION_THRESHOLD}人的单位一般应建会。"), UNION_THRESHOLD=UNION_THRESHOLD
        ),
    )
    union = models.ForeignKey(
        GrassrootsUnion,
        verbose_name=_("所属工会"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="employers",
    )

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["township", "name"],
                name="employer_name_unique_in_township",
                violation_error_message=_("本乡镇已有同名的单位。"),
            ),
            models.CheckConstraint(
                condition=Q(credit_code="") | Q(credit_code__regex=CREDIT_CODE_PATTERN),
                name="employer_credit_code_format",
                violation_error_message=_("统一社会信用代码格式不正确。"),
            ),
            _nonneg("employees", _("职工人数"), "employer"),
            _nonneg("migrant_employees", _("外来职工人数"), "employer"),
            models.CheckConstraint(
                condition=Q(migrant_employees__lte=F("employees")),
                name="employer_migrants_within_employees",
                violation_error_message=_("外来职工人数不能超过职工人数。"),
            ),
            models.CheckConstraint(
                condition=Q(economic_type="") | Q(economic_type__in=EconomicType.values),
                name="employer_economic_type_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        self.credit_code = normalize_credit_code(self.credit_code)
        if (
            self.employees is not None
            and self.migrant_employees is not None
            and self.migrant_employees > self.employees
        ):
            raise ValidationError({"migrant_employees": _("外来职工人数不能超过职工人数。")})
        if self.union_id and self.township_id and self.union.township_id != self.township_id:
            raise ValidationError({"union": _("所属工会必须是本乡镇的基层工会。")})

    @staticmethod
    def default_should_unionise(employees: int) -> bool:
        return employees >= UNION_THRESHOLD


class Member(TownshipRecord):
    """A union member (会员). The resident ID number identifies the person within a township."""

    name = models.CharField(_("姓名"), max_length=40)
    # Encrypted at rest; found and kept unique through id_number_hash (unionportal/pii.py).
    id_number = EncryptedIdNumberField(
        _("身份证号"),
        max_length=18,
        validators=[validate_id_number],
        help_text=_("18位居民身份证号码，可输入全角数字或小写x。"),
    )
    id_number_hash = IdNumberHashField(_("身份证号索引"))
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices, editable=False)
    birth_date = models.DateField(_("出生日期"), editable=False)
    union = models.ForeignKey(
        GrassrootsUnion,
        verbose_name=_("所属工会"),
        on_delete=models.PROTECT,
        related_name="members",
    )
    employer = models.ForeignKey(
        Employer,
        verbose_name=_("工作单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    joined_on = models.DateField(_("入会日期"))
    mobile = models.CharField(_("手机号"), max_length=11, blank=True, validators=[validate_mobile])
    ethnicity = models.CharField(_("民族"), max_length=20, blank=True)
    education = models.CharField(_("学历"), max_length=20, blank=True)
    is_migrant = models.BooleanField(_("农民工"), default=False)
    model_worker = models.CharField(
        _("劳模"), max_length=10, choices=ModelWorkerLevel.choices, default=ModelWorkerLevel.NONE
    )
    left_on = models.DateField(_("离会日期"), null=True, blank=True)
    left_reason = models.CharField(_("离会原因"), max_length=100, blank=True)
    card_number = models.CharField(_("会员证号"), max_length=40, blank=True)
    # Set on the record a transfer from another township of the county creates (MemberTransfer):
    # its 入会日期 is the transfer date, from which the member counts here, and it is no
    # 新发展会员 (spec/indicators.md).
    transferred_in = models.BooleanField(_("由外乡镇转入"), default=False, editable=False)

    class Meta:
        verbose_name = _("会员")
        verbose_name_plural = _("会员")
        ordering = ["name", "id"]
        constraints = [
            # The ID is ciphertext in the database: uniqueness holds on its keyed hash, and
            # its format (GB 11643 checksum) is checked by the model's validator.
            models.UniqueConstraint(
                fields=["township", "id_number_hash"],
                name="member_id_hash_unique_in_township",
                violation_error_message=_("本乡镇已有该身份证号的会员。"),
            ),
            models.CheckConstraint(
                condition=Q(mobile="") | Q(mobile__regex=MOBILE_PATTERN),
                name="member_mobile_format",
                violation_error_message=_("手机号应为以1开头的11位数字。"),
            ),
            models.CheckConstraint(
                condition=Q(gender__in=Gender.values), name="member_gender_valid"
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                name="member_left_after_joined",
                violation_error_message=_("离会日期不能早于入会日期。"),
            ),
            models.CheckConstraint(
                condition=Q(model_worker__in=ModelWorkerLevel.values),
                name="member_model_worker_valid",
            ),
        ]
        indexes = [
            # Covers the dashboard's per-township tally (会员数, 新发展会员数, 农民工会员数 at a
            # date): the whole count reads this index instead of the wide member rows, about
            # twice as fast on SQLite at county scale (benchmarks/bench_dashboard.py).
            # transferred_in too: 新发展会员 leaves out members transferred in from another
            # township, and still counts off the index alone.
            models.Index(
                fields=["township", "joined_on", "left_on", "is_migrant", "transferred_in"],
                name="member_township_joined",
            ),
            models.Index(fields=["township", "left_on"], name="member_township_left"),
            models.Index(fields=["id_number_hash"], name="member_id_number_hash"),
            models.Index(fields=["union", "joined_on"], name="member_union_joined"),
            # A union's members in place (在册: left_on) counted off the index alone, without
            # reading each member's row: the union list's counts (members.queries).
            models.Index(fields=["union", "left_on"], name="member_union_left"),
            # The member list's default order within a township (姓名), read off the index
            # instead of sorting the township's members on every page.
            models.Index(fields=["township", "name", "id"], name="member_township_name"),
            # The same order across a county's townships (reviewers): read in name order and
            # stop after 50, instead of sorting 300,000 members.
            models.Index(fields=["name", "id"], name="member_name"),
            # A search by 会员证号 (exact), beside the name's range on the index above.
            models.Index(fields=["card_number"], name="member_card_number"),
        ]

    def __str__(self) -> str:
        return self.name

    def derive_from_id(self) -> None:
        """Store the canonical ID and the gender and birth date it encodes (GB 11643-1999)."""
        self.id_number = normalize_id_number(self.id_number)
        self.id_number_hash = id_number_hash(self.id_number)
        self.mobile = normalize_mobile(self.mobile) if self.mobile else ""
        birth = id_birth_date(self.id_number)
        if birth is not None and len(self.id_number) == 18 and self.id_number[16].isdigit():
            self.birth_date = birth
            self.gender = id_gender(self.id_number)

    def clean_fields(self, exclude=None) -> None:
        self.derive_from_id()
        super().clean_fields(exclude=exclude)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.left_on and self.joined_on and self.left_on < self.joined_on:
            errors["left_on"] = _("离会日期不能早于入会日期。")
        if self.joined_on and self.birth_date and self.joined_on < self.birth_date:
            errors["joined_on"] = _("入会日期不能早于出生日期。")
        if self.union_id and self.township_id and self.union.township_id != self.township_id:
            errors["union"] = _("所属工会必须是本乡镇的基层工会。")
        if self.employer_id and self.township_id and self.employer.township_id != self.township_id:
            errors["employer"] = _("工作单位必须是本乡镇的单位。")
        if errors:
            raise ValidationError(errors)

    @property
    def is_active(self) -> bool:
        return self.left_on is None or self.left_on > clock.today()

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_mobile(self) -> str:
        return mask_mobile(self.mobile)


class CollectiveContract(TownshipRecord):
    """A collective contract (集体合同) signed by an employer, or a regional/sector contract."""

    party_name = models.CharField(
        _("单位名称"), max_length=100, help_text=_("签约单位；区域性、行业性合同填工会名称。")
    )
    employer = models.ForeignKey(
        Employer,
        verbose_name=_("签约单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contracts",
    )
    union = models.ForeignKey(
        GrassrootsUnion,
        verbose_name=_("签约工会"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contracts",
    )
    kind = models.CharField(_("合同类型"), max_length=10, choices=ContractKind.choices)
    signed_on = models.DateField(_("签订日期"))
    expires_on = models.DateField(_("期满日期"))
    workers_covered = models.PositiveIntegerField(_("覆盖职工人数"), default=0)
    is_renewal = models.BooleanField(_("续签"), default=False)

    class Meta:
        verbose_name = _("集体合同")
        verbose_name_plural = _("集体合同")
        ordering = ["-signed_on", "party_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["township", "party_name", "kind", "signed_on"],
                name="contract_unique_in_township",
                violation_error_message=_("本乡镇已有同一单位、同一类型、同一签订日期的集体合同。"),
            ),
            models.CheckConstraint(
                condition=Q(expires_on__gte=F("signed_on")),
                name="contract_expires_after_signed",
                violation_error_message=_("期满日期不能早于签订日期。"),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ContractKind.values), name="contract_kind_valid"
            ),
            _nonneg("workers_covered", _("覆盖职工人数"), "contract"),
        ]
        indexes = [
            models.Index(fields=["township", "signed_on"], name="contract_township_signed"),
            models.Index(fields=["township", "expires_on"], name="contract_township_expires"),
        ]

    def __str__(self) -> str:
        return _("{party_name}{get_kind_display}集体合同（{signed_on:%Y-%m-%d}）").format(
            party_name=self.party_name,
            get_kind_display=self.get_kind_display(),
            signed_on=self.signed_on,
        )

    def clean(self) -> None:
        if self.signed_on and self.expires_on and self.expires_on < self.signed_on:
            raise ValidationError({"expires_on": _("期满日期不能早于签订日期。")})


DUES_PERIOD_PATTERN = r"^[0-9]{4}(-(0[1-9]|1[0-2])|Q[1-4]|H[12])?$"


class DuesRecord(TownshipRecord):
    """Union dues (工会经费) due from and paid by one employer for one period (所属期间)."""

    employer = models.ForeignKey(
        Employer, verbose_name=_("缴费单位"), on_delete=models.PROTECT, related_name="dues"
    )
    period = models.CharField(
        _("所属期间"), max_length=7, help_text=_("如 2026-03、2026Q1、2026H1 或 2026")
    )
    period_start = models.DateField(_("期间起"), editable=False)
    period_end = models.DateField(_("期间止"), editable=False)
    amount_due = models.DecimalField(_("应缴金额（元）"), **MONEY)
    amount_paid = models.DecimalField(_("实缴金额（元）"), **MONEY)
    paid_on = models.DateField(_("缴纳日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("经费收缴")
        verbose_name_plural = _("经费收缴")
        ordering = ["-period_start", "employer__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["township", "employer", "period"],
                name="dues_unique_in_township",
                violation_error_message=_("该单位在这一所属期间已有经费记录。"),
            ),
            models.CheckConstraint(
                condition=Q(period__regex=DUES_PERIOD_PATTERN),
                name="dues_period_format",
                violation_error_message=_("所属期间格式应为 2026-03、2026Q1、2026H1 或 2026。"),
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="dues_period_ordered"
            ),
            _nonneg("amount_due", _("应缴金额"), "dues"),
            _nonneg("amount_paid", _("实缴金额"), "dues"),
        ]
        indexes = [
            models.Index(
                fields=["township", "period_start", "period_end"], name="dues_township_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employer} {self.period}"

    def derive_period(self) -> None:
        parsed = parse_period(self.period, allow_range=False)
        self.period = parsed.code
        self.period_start, self.period_end = parsed.start, parsed.end

    def clean_fields(self, exclude=None) -> None:
        try:
            self.derive_period()
        except PeriodError:
            raise ValidationError(
                {"period": _("所属期间格式应为 2026-03、2026Q1、2026H1 或 2026。")}
            ) from None
        super().clean_fields(exclude=exclude)

    def clean(self) -> None:
        if self.employer_id and self.township_id and self.employer.township_id != self.township_id:
            raise ValidationError({"employer": _("缴费单位必须是本乡镇的单位。")})


class MilestoneKind(models.TextChoices):
    ELECTION = "election", _("换届")
    CONGRESS_HELD = "congress_held", _("职代会召开")
    CONGRESS_SYSTEM = "congress_system", _("建立职代会制度")
    OPENNESS = "openness", _("建立厂务公开")
    STANDARDISED = "standardised", _("规范化达标")
    STAR = "star", _("星级评定")
    MODEL_HOME = "model_home", _("模范职工之家")
    WOMEN_COMMITTEE = "women_committee", _("成立女职工委员会")
    REFOUNDED = "refounded", _("重建")
    DISSOLVED = "dissolved", _("撤销")


class MilestoneLevel(models.TextChoices):
    # 无 on a status milestone records that the union lost the status (e.g. 规范化 no longer
    # met, a star withdrawn): the status of a day is its latest milestone, whichever way it went.
    NONE = "none", _("无")
    ONE = "one", _("一星")
    TWO = "two", _("二星")
    THREE = "three", _("三星")
    COUNTY = "county", _("县级")
    CITY = "city", _("市级")
    PROVINCE = "province", _("省级")
    NATIONAL = "national", _("全国")


STAR_LEVELS = ("none", "one", "two", "three")
HOME_LEVELS = ("none", "county", "city", "province", "national")
# The kinds that set a yes/no status of the union (the union's flag of the same meaning), and
# the kinds that end or restart its life.
STATUS_FLAGS = {
    "standardised": "standardised",
    "congress_system": "has_congress",
    "openness": "has_affairs_openness",
    "women_committee": "has_women_committee",
}
LIFE_KINDS = ("refounded", "dissolved")


class UnionMilestone(TownshipRecord):
    """A dated event in a grassroots union's life (工会建设): 换届, 职代会召开, a status gained or
    lost, 重建 or 撤销. The union's status on a day is its latest milestone of that 事项 on or
    before the day (reports/indicators.py, members/queries.py)."""

    union = models.ForeignKey(
        # A union entered by mistake goes with its milestones; a real one is dissolved (撤销).
        GrassrootsUnion,
        verbose_name=_("工会"),
        on_delete=models.CASCADE,
        related_name="milestones",
    )
    kind = models.CharField(_("事项"), max_length=16, choices=MilestoneKind.choices)
    happened_on = models.DateField(_("日期"))
    level = models.CharField(
        _("等级"),
        max_length=10,
        choices=MilestoneLevel.choices,
        blank=True,
        help_text=_("星级评定：一星、二星、三星；模范职工之家：县级至全国；“无”表示取消该项。"),
    )
    chair_name = models.CharField(
        _("工会主席"), max_length=40, blank=True, help_text=_("换届时填写")
    )
    chair_is_migrant = models.BooleanField(_("主席为外来职工"), default=False)
    delegates = models.PositiveIntegerField(
        _("职工代表人数"), null=True, blank=True, help_text=_("职代会召开时填写")
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("工会建设")
        verbose_name_plural = _("工会建设")
        ordering = ["-happened_on", "union__name", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["township", "union", "kind", "happened_on"],
                name="milestone_unique_in_township",
                violation_error_message=_("该工会在这一日期已有同一事项的记录。"),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=MilestoneKind.values),
                name="milestone_kind_valid",
                violation_error_message=_("事项不在可选范围内。"),
            ),
            models.CheckConstraint(
                condition=~Q(kind="star") | Q(level__in=STAR_LEVELS),
                name="milestone_star_level",
                violation_error_message=_("星级评定须填写等级：一星、二星、三星（取消填“无”）。"),
            ),
            models.CheckConstraint(
                condition=~Q(kind="model_home") | Q(level__in=HOME_LEVELS),
                name="milestone_home_level",
                violation_error_message=_("模范职工之家须填写等级：县级、市级、省级或全国。"),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["star", "model_home"])
                | Q(level="")
                | Q(level="none", kind__in=list(STATUS_FLAGS)),
                name="milestone_level_for_kind",
                violation_error_message=_(
                    "只有星级评定和模范职工之家填写等级"
                    "（规范化、职代会制度、厂务公开、女职工委员会取消时填“无”）。"
                ),
            ),
            models.CheckConstraint(
                condition=Q(kind="election") | (Q(chair_name="") & Q(chair_is_migrant=False)),
                name="milestone_chair_on_election",
                violation_error_message=_("工会主席只在换届时填写。"),
            ),
            models.CheckConstraint(
                condition=Q(kind="congress_held") | Q(delegates__isnull=True),
                name="milestone_delegates_on_congress",
                violation_error_message=_("职工代表人数只在职代会召开时填写。"),
            ),
        ]
        indexes = [
            # The status of a day: the latest milestone of a union and 事项 on or before it.
            models.Index(fields=["union", "kind", "happened_on"], name="milestone_union_kind_day"),
            models.Index(fields=["township", "happened_on"], name="milestone_township_day"),
        ]

    def __str__(self) -> str:
        return _("{union} {kind}（{day:%Y-%m-%d}）").format(
            union=self.union, kind=self.get_kind_display(), day=self.happened_on
        )

    @property
    def withdrawn(self) -> bool:
        """A status milestone that records the status lost (等级 无)."""
        return self.level == MilestoneLevel.NONE and self.kind != MilestoneKind.STAR

    def clean(self) -> None:
        errors: dict[str, str] = {}
        # The union may be one a workbook import is creating (no primary key yet).
        union = self.union if self.union_id or type(self).union.is_cached(self) else None
        if union and self.township_id and union.township_id != self.township_id:
            errors["union"] = _("工会必须是本乡镇的基层工会。")
        if self.kind == MilestoneKind.STAR and self.level not in STAR_LEVELS:
            errors["level"] = _("星级评定须填写等级：一星、二星、三星（取消填“无”）。")
        elif self.kind == MilestoneKind.MODEL_HOME and self.level not in HOME_LEVELS:
            errors["level"] = _("模范职工之家须填写等级：县级、市级、省级或全国。")
        elif (
            self.kind not in (MilestoneKind.STAR, MilestoneKind.MODEL_HOME)
            and self.level
            and not (self.level == MilestoneLevel.NONE and self.kind in STATUS_FLAGS)
        ):
            errors["level"] = _(
                "只有星级评定和模范职工之家填写等级"
                "（规范化、职代会制度、厂务公开、女职工委员会取消时填“无”）。"
            )
        if self.kind != MilestoneKind.ELECTION and (self.chair_name or self.chair_is_migrant):
            errors["chair_name"] = _("工会主席只在换届时填写。")
        if self.kind != MilestoneKind.CONGRESS_HELD and self.delegates is not None:
            errors["delegates"] = _("职工代表人数只在职代会召开时填写。")
        if union and self.happened_on and union.founded_on and self.happened_on < union.founded_on:
            errors["happened_on"] = _("日期不能早于工会成立日期。")
        if errors:
            raise ValidationError(errors)


class DuesRemittance(TownshipRecord):
    """Dues the township union remits to the higher union (经费上缴, 上缴市总/县总) for a period."""

    period = models.CharField(
        _("所属期间"), max_length=7, help_text=_("如 2026-03、2026Q1、2026H1 或 2026")
    )
    period_start = models.DateField(_("期间起"), editable=False)
    period_end = models.DateField(_("期间止"), editable=False)
    amount_due = models.DecimalField(_("应上缴金额（元）"), **MONEY)
    amount_paid = models.DecimalField(_("实上缴金额（元）"), **MONEY)
    paid_on = models.DateField(_("上缴日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("经费上缴")
        verbose_name_plural = _("经费上缴")
        ordering = ["-period_start", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["township", "period"],
                name="remittance_unique_in_township",
                violation_error_message=_("本乡镇这一所属期间已有经费上缴记录。"),
            ),
            models.CheckConstraint(
                condition=Q(period__regex=DUES_PERIOD_PATTERN),
                name="remittance_period_format",
                violation_error_message=_("所属期间格式应为 2026-03、2026Q1、2026H1 或 2026。"),
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="remittance_period_ordered"
            ),
            _nonneg("amount_due", _("应上缴金额"), "remittance"),
            _nonneg("amount_paid", _("实上缴金额"), "remittance"),
        ]
        indexes = [
            models.Index(
                fields=["township", "period_start", "period_end"],
                name="remittance_township_period",
            ),
        ]

    def __str__(self) -> str:
        return _("经费上缴 {period}").format(period=self.period)

    def derive_period(self) -> None:
        parsed = parse_period(self.period, allow_range=False)
        self.period = parsed.code
        self.period_start, self.period_end = parsed.start, parsed.end

    def clean_fields(self, exclude=None) -> None:
        try:
            self.derive_period()
        except PeriodError:
            raise ValidationError(
                {"period": _("所属期间格式应为 2026-03、2026Q1、2026H1 或 2026。")}
            ) from None
        super().clean_fields(exclude=exclude)


class TransferState(models.TextChoices):
    PENDING = "pending", _("待接收")
    ACCEPTED = "accepted", _("已接收")
    RETURNED = "returned", _("已退回")
    CANCELLED = "cancelled", _("已撤回")


class MemberTransfer(TownshipRecord):
    """A member's transfer to another township of the same county (跨乡镇转会). Its `township`
    is the sending one, whose staff start it and may cancel it while pending; the receiving
    township's staff accept it (choosing the union and employer there) or return it with a
    remark. On acceptance the member's record in the sending township ends on the transfer date
    and a record in the receiving township starts on it (members/services.py)."""

    member = models.ForeignKey(
        Member, verbose_name=_("会员"), on_delete=models.PROTECT, related_name="transfers_out"
    )
    to_township = models.ForeignKey(
        Township, verbose_name=_("转入乡镇"), on_delete=models.PROTECT, related_name="+"
    )
    day = models.DateField(_("转会日期"))
    reason = models.CharField(_("转会原因"), max_length=40)
    proposed_unit = models.CharField(
        _("拟转入的工会或单位"),
        max_length=100,
        blank=True,
        help_text=_("如已知，写明新的工作单位或工会，供接收乡镇参考。"),
    )
    state = models.CharField(
        _("状态"), max_length=10, choices=TransferState.choices, default=TransferState.PENDING
    )
    received_member = models.ForeignKey(
        Member,
        verbose_name=_("转入后的会员记录"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transfers_in",
    )
    decided_by = models.ForeignKey(
        "unionportal.User",
        verbose_name=_("办理人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("办理时间"), null=True, blank=True)
    remark = models.CharField(_("退回意见"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("跨乡镇转会")
        verbose_name_plural = _("跨乡镇转会")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(state="pending"),
                name="transfer_one_pending_per_member",
                violation_error_message=_("该会员已有一笔待接收的跨乡镇转会。"),
            ),
            models.CheckConstraint(
                condition=~Q(to_township=F("township")),
                name="transfer_to_another_township",
                violation_error_message=_("只能转往本县的其他乡镇。"),
            ),
            models.CheckConstraint(
                condition=Q(state__in=TransferState.values), name="transfer_state_valid"
            ),
            models.CheckConstraint(
                condition=~Q(state="accepted") | Q(received_member__isnull=False),
                name="transfer_accepted_has_member",
            ),
        ]
        indexes = [
            models.Index(fields=["to_township", "state"], name="transfer_to_state"),
            models.Index(fields=["township", "state"], name="transfer_from_state"),
        ]

    def __str__(self) -> str:
        return _("{member}转往{township}（{day:%Y-%m-%d}）").format(
            member=self.member.name, township=self.to_township.name, day=self.day
        )
