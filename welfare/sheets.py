"""The records workbook's 慰问 sheet (docs/spec/workbook.md)."""

import datetime

from unionportal.spreadsheet.cells import Column, Sheet
from welfare.models import BeneficiaryType, FundSource, WelfareVisit

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
