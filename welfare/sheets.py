"""The records workbook's 慰问, 困难职工 and 医疗互助 sheets (docs/spec/workbook.md)."""

import datetime

from unionportal.spreadsheet.cells import Column, Sheet
from welfare.models import (
    BeneficiaryType,
    ExitReason,
    FundSource,
    HardshipCategory,
    HardshipCause,
    HardshipFile,
    MutualAidEnrolment,
    WelfareVisit,
)

VISITS = Sheet(
    key="visits",
    name="慰问",
    model=WelfareVisit,
    columns=(
        Column("日期", "visited_on", "date", True),
        Column("对象类型", "beneficiary_type", "choice", True, BeneficiaryType),
        Column("对象姓名", "beneficiary_name", "text", True, note="每行一户或一人"),
        Column("身份证号", "id_number", "id", note="是会员的，据此关联会员"),
        Column("慰问金额", "cash", "money", note="元，最多两位小数"),
        Column("物资折款", "goods_value", "money", note="元，最多两位小数"),
        Column("资金来源", "fund_source", "choice", choices=FundSource),
        Column("活动名称", "campaign", "text", note="如 2026年春节送温暖"),
        Column("备注", "note", "text"),
    ),
    key_fields=("visited_on", "beneficiary_type", "beneficiary_name", "id_number", "cash"),
    order_by=("visited_on", "pk"),
    example=(
        datetime.date(2026, 1, 20),
        "困难职工",
        "李大明",
        None,
        500,
        200,
        "本级工会",
        "2026年春节送温暖",
        "大病救助",
    ),
    personal=True,
)

_HARDSHIP_COLUMNS = (
    Column("姓名", "name", "text", True, note="户主（职工本人）"),
    Column("身份证号", "id_number", "id", True, note="是会员的，据此关联会员和慰问记录"),
    Column("工作单位", "employer", "employer", note="“单位”工作表或本乡镇已有的单位名称"),
    Column("所属工会", "union", "union", note="基层工会名称"),
    Column("困难类别", "category", "choice", True, HardshipCategory),
    Column("致困原因", "causes", "choices", True, HardshipCause),
    Column("家庭人口", "household_size", "int", note="不少于1人"),
    Column("家庭月人均收入", "income_per_head", "money", note="元"),
    Column("建档日期", "filed_on", "date", True),
    Column("复核日期", "reviewed_on", "date", note="最近一次年度复核；超过12个月未复核即为逾期"),
    Column("脱困日期", "out_on", "date"),
    Column("脱困原因", "out_reason", "choice", choices=ExitReason, note="填写脱困日期时必填"),
    Column("上报日期", "reported_on", "date", note="上报市总/县总的日期"),
    Column("备注", "note", "text"),
)

# One row per file. The key is the ID number: a row updates the file of that ID with the same
# 建档日期, else the ID's open file; a 建档日期 after the ID's last 脱困日期 opens a new file.
HARDSHIP = Sheet(
    key="hardship",
    name="困难职工",
    model=HardshipFile,
    columns=_HARDSHIP_COLUMNS,
    key_fields=("id_number_hash", "filed_on"),
    order_by=("filed_on", "pk"),
    example=(
        "王秀兰",
        "330282197805124320",
        "恒达机械有限公司",
        "恒达机械工会",
        "相对困难",
        "家属大病、子女就学",
        4,
        860,
        datetime.date(2025, 3, 12),
        datetime.date(2026, 3, 10),
        None,
        None,
        datetime.date(2025, 4, 1),
        "配偶尿毒症透析",
    ),
    personal=True,
)

# What a county reviewer's export holds: counts and masked names, not the household's causes or
# income (welfare/queries.py sees_hardship_details); the queryset is annotated with name_masked.
HARDSHIP_FOR_REVIEWERS = Sheet(
    key="hardship",
    name="困难职工",
    model=HardshipFile,
    columns=tuple(
        Column(c.header, c.field, c.kind, c.required, c.choices, c.note, export="name_masked")
        if c.field == "name"
        else c
        for c in _HARDSHIP_COLUMNS
        if c.field not in ("causes", "income_per_head", "note")
    ),
    key_fields=HARDSHIP.key_fields,
    order_by=HARDSHIP.order_by,
    personal=True,
)

MUTUAL_AID = Sheet(
    key="mutual_aid",
    name="医疗互助",
    model=MutualAidEnrolment,
    columns=(
        Column("所属工会", "union", "union", True, note="基层工会名称"),
        Column("年度", "year", "int", True, note="如 2026"),
        Column("在职职工人数", "workers", "int", True, note="参加率的分母"),
        Column("参加人数", "enrolled", "int", True, note="不超过在职职工人数"),
        Column("缴费金额", "premiums", "money", note="元"),
        Column("受助人次", "payouts", "int"),
        Column("受助金额", "paid_out", "money", note="元"),
    ),
    key_fields=("union", "year"),
    order_by=("year", "union__name", "pk"),
    example=("恒达机械工会", 2026, 320, 305, 30500, 12, 46800),
)
