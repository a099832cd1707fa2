"""The records workbook's 信访 sheet (docs/spec/workbook.md)."""

import datetime

from disputes.models import Case, CaseCategory, CaseStatus, Channel, Handling
from unionportal.spreadsheet.cells import Column, Sheet

CASES = Sheet(
    key="cases",
    name="信访",
    model=Case,
    columns=(
        Column("编号", "number", "text", True, note="本乡镇内不重复"),
        Column("受理日期", "received_on", "date", True),
        Column("方式", "channel", "choice", choices=Channel),
        Column("诉求人", "petitioner", "text", True, note="个人或群体名称"),
        Column("涉及人数", "people_involved", "int", note="不填为1"),
        Column("涉及单位", "employer", "employer", note="填“单位”表或系统中已有的单位名称"),
        Column("类别", "category", "choice", True, CaseCategory),
        Column("涉及金额", "amount_involved", "money", note="元"),
        Column("处理方式", "handling", "choice", choices=Handling),
        Column("状态", "status", "choice", True, CaseStatus),
        Column("结案日期", "closed_on", "date", note="状态不是“处理中”时必填"),
        Column("追回金额", "amount_recovered", "money", note="为职工追回的金额（元）"),
        Column("摘要", "summary", "text"),
    ),
    key_fields=("number",),
    order_by=("number", "pk"),
    example=(
        "XF-2026-001",
        datetime.date(2026, 3, 2),
        "来访",
        "张某等5人",
        5,
        "慈东镇恒达机械有限公司",
        "拖欠工资",
        42000,
        "协调",
        "已解决",
        datetime.date(2026, 3, 20),
        42000,
        "协调企业补发2月工资",
    ),
)
