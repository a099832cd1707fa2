"""The records workbook's 荣誉 sheet (docs/spec/workbook.md, second round)."""

import datetime

from honours.models import Honour, HonourLevel, RecipientType
from unionportal.spreadsheet.cells import Column, Sheet

HONOURS = Sheet(
    key="honours",
    name="荣誉",
    model=Honour,
    columns=(
        Column("获奖对象", "recipient", "text", True, note="个人姓名或集体名称"),
        Column("对象类型", "recipient_type", "choice", True, RecipientType),
        Column("身份证号", "id_number", "id", note="个人填写，据此关联会员"),
        Column(
            "荣誉名称",
            "title",
            "text",
            True,
            note="如 劳动模范、五一劳动奖章、工人先锋号、文明职工、文明班组、十佳职工",
        ),
        Column("级别", "level", "choice", True, HonourLevel),
        Column("授予单位", "granted_by", "text", note="如 慈溪市总工会"),
        Column("授予日期", "granted_on", "date", True),
        Column("工作单位", "workplace", "text"),
    ),
    key_fields=("recipient", "title", "granted_on"),
    order_by=("granted_on", "recipient", "pk"),
    example=(
        "王小红",
        "个人",
        None,
        "劳动模范",
        "市级",
        "慈溪市人民政府",
        datetime.date(2026, 4, 28),
        "慈东镇恒达机械有限公司",
    ),
    personal=True,
)
