"""The records workbook's 活动 sheet (docs/spec/workbook.md)."""

import datetime

from events.models import Event, EventCategory
from unionportal.spreadsheet.cells import Column, Sheet

EVENTS = Sheet(
    key="events",
    name="活动",
    model=Event,
    columns=(
        Column("名称", "title", "text", True),
        Column("日期", "starts_on", "date", True, note="开始日期"),
        Column("结束日期", "ends_on", "date"),
        Column("类别", "category", "choice", True, EventCategory),
        Column("主办", "organiser", "text"),
        Column("参与人数", "participants", "int"),
        Column(
            "参与单位",
            "participating_units",
            "text",
            note="以“、”或“;”分隔；与本乡镇工会或单位同名的自动关联",
        ),
        Column("媒体", "media", "text", note="宣传报道的刊发媒体"),
        Column("简述", "description", "text"),
    ),
    key_fields=("title", "starts_on"),
    order_by=("starts_on", "title", "pk"),
    example=(
        "2026年安康杯知识竞赛",
        datetime.date(2026, 5, 12),
        datetime.date(2026, 5, 12),
        "安全生产",
        "慈东镇总工会",
        120,
        "恒达机械工会、慈东镇恒达机械有限公司",
        None,
        "12家企业参赛",
    ),
)
