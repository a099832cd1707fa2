"""The records workbook's sheets of organisation and membership (docs/spec/workbook.md):
基层工会, 单位, 会员, 集体合同, 经费. The workbook app lists every kind's sheets in order."""

import datetime

from members.models import (
    CollectiveContract,
    ContractKind,
    DuesRecord,
    DuesRemittance,
    EconomicType,
    Employer,
    GrassrootsUnion,
    Member,
    MilestoneKind,
    MilestoneLevel,
    ModelWorkerLevel,
    StarRating,
    UnionKind,
    UnionMilestone,
)
from unionportal.spreadsheet.cells import Column, Sheet

UNIONS = Sheet(
    key="unions",
    name="基层工会",
    model=GrassrootsUnion,
    columns=(
        Column("工会名称", "name", "text", True, note="本乡镇内不重复"),
        Column("类型", "kind", "choice", True, UnionKind),
        Column("成立日期", "founded_on", "date", True),
        Column("工会主席", "chair_name", "text"),
        Column("主席为外来职工", "chair_is_migrant", "bool"),
        Column("规范化", "standardised", "bool", note="是否达到规范化建设要求"),
        Column("星级", "star", "choice", choices=StarRating),
        Column("职代会制度", "has_congress", "bool", note="是否建立职工代表大会制度"),
        Column("厂务公开", "has_affairs_openness", "bool", note="是否实行厂务（政务）公开"),
        Column("女职工委员会", "has_women_committee", "bool"),
        Column("撤销日期", "dissolved_on", "date", note="已撤销的工会填写"),
    ),
    key_fields=("name",),
    order_by=("name", "pk"),
    example=(
        "恒达机械工会",
        "企业工会",
        datetime.date(2015, 5, 1),
        "陈建国",
        "否",
        "是",
        "二星",
        "是",
        "是",
        "是",
        None,
    ),
)

EMPLOYERS = Sheet(
    key="employers",
    name="单位",
    model=Employer,
    columns=(
        Column("单位名称", "name", "text", True, note="本乡镇内不重复"),
        Column("统一社会信用代码", "credit_code", "credit", note="18位，校验位按GB 32100-2015核对"),
        Column("经济类型", "economic_type", "choice", choices=EconomicType),
        Column("职工人数", "employees", "int", True),
        Column("外来职工人数", "migrant_employees", "int", note="不超过职工人数"),
        Column("应建会", "should_unionise", "bool", note="不填时：职工人数达到25人为“是”"),
        Column(
            "所属工会", "union", "union", note="填“基层工会”表或系统中已有的工会名称；未建会不填"
        ),
    ),
    key_fields=("name",),
    order_by=("name", "pk"),
    example=(
        "慈东镇恒达机械有限公司",
        "91330282MA2AB3CD4E",
        "民营",
        86,
        30,
        "是",
        "恒达机械工会",
    ),
)

MEMBERS = Sheet(
    key="members",
    name="会员",
    model=Member,
    columns=(
        Column("姓名", "name", "text", True),
        Column("身份证号", "id_number", "id", True, note="18位，性别和出生日期由号码得出"),
        Column("所属工会", "union", "union", True, note="填“基层工会”表或系统中已有的工会名称"),
        Column("工作单位", "employer", "employer", note="填“单位”表或系统中已有的单位名称"),
        Column("入会日期", "joined_on", "date", True),
        Column("手机号", "mobile", "mobile", note="11位手机号码"),
        Column("民族", "ethnicity", "text"),
        Column("学历", "education", "text"),
        Column("农民工", "is_migrant", "bool"),
        Column("劳模", "model_worker", "choice", choices=ModelWorkerLevel),
        Column("离会日期", "left_on", "date", note="转出、退休、退会的日期"),
        Column("会员证号", "card_number", "text"),
    ),
    key_fields=("id_number",),
    # Not by ID: it is encrypted in the database, so its order there means nothing.
    order_by=("name", "pk"),
    example=(
        "王小红",
        "330282199001011220",
        "恒达机械工会",
        "慈东镇恒达机械有限公司",
        datetime.date(2016, 3, 8),
        "13805741234",
        "汉族",
        "大专",
        "是",
        "无",
        None,
        "HD-0001",
    ),
    personal=True,
)

CONTRACTS = Sheet(
    key="contracts",
    name="集体合同",
    model=CollectiveContract,
    columns=(
        Column(
            "单位名称",
            "party_name",
            "text",
            True,
            note="签约单位；区域性、行业性合同填工会名称",
        ),
        Column("合同类型", "kind", "choice", True, ContractKind),
        Column("签订日期", "signed_on", "date", True),
        Column("期满日期", "expires_on", "date", True),
        Column("覆盖职工人数", "workers_covered", "int"),
        Column("续签", "is_renewal", "bool"),
    ),
    key_fields=("party_name", "kind", "signed_on"),
    order_by=("party_name", "kind", "signed_on", "pk"),
    example=(
        "慈东镇恒达机械有限公司",
        "工资专项",
        datetime.date(2026, 1, 1),
        datetime.date(2028, 12, 31),
        86,
        "是",
    ),
)

DUES = Sheet(
    key="dues",
    name="经费",
    model=DuesRecord,
    columns=(
        Column("单位名称", "employer", "employer", True, note="缴费单位"),
        Column("所属期间", "period", "period", True, note="2026-03、2026Q1、2026H1 或 2026"),
        Column("应缴金额", "amount_due", "money", True, note="元"),
        Column("实缴金额", "amount_paid", "money", True, note="元"),
        Column("缴纳日期", "paid_on", "date"),
    ),
    key_fields=("employer", "period"),
    order_by=("employer__name", "period_start", "pk"),
    example=(
        "慈东镇恒达机械有限公司",
        "2026Q1",
        4300,
        4300,
        datetime.date(2026, 4, 10),
    ),
)

MILESTONES = Sheet(
    key="milestones",
    name="工会建设",
    model=UnionMilestone,
    columns=(
        Column(
            "工会名称",
            "union",
            "union",
            True,
            note="填“基层工会”表或系统中已有的工会名称；已撤销的工会可登记“重建”",
        ),
        Column("事项", "kind", "choice", True, MilestoneKind),
        Column("日期", "happened_on", "date", True),
        Column(
            "等级",
            "level",
            "choice",
            choices=MilestoneLevel,
            note="星级评定：一星/二星/三星；模范职工之家：县级/市级/省级/全国；取消某项填“无”",
        ),
        Column("工会主席", "chair_name", "text", note="换届时填写当选的主席"),
        Column("主席为外来职工", "chair_is_migrant", "bool", note="换届时填写"),
        Column("职工代表人数", "delegates", "int", note="职代会召开时填写"),
        Column("说明", "note", "text", note="如 审议通过工资集体协议"),
    ),
    key_fields=("union", "kind", "happened_on"),
    order_by=("union__name", "happened_on", "kind", "pk"),
    example=(
        "恒达机械工会",
        "换届",
        datetime.date(2026, 3, 18),
        None,
        "陈建国",
        "否",
        None,
        "第三届委员会",
    ),
)

REMITTANCES = Sheet(
    key="remittances",
    name="经费上缴",
    model=DuesRemittance,
    columns=(
        Column("所属期间", "period", "period", True, note="2026-03、2026Q1、2026H1 或 2026"),
        Column("应上缴金额", "amount_due", "money", True, note="元"),
        Column("实上缴金额", "amount_paid", "money", True, note="元"),
        Column("上缴日期", "paid_on", "date"),
    ),
    key_fields=("period",),
    order_by=("period_start", "period", "pk"),
    example=("2026H1", 52000, 52000, datetime.date(2026, 7, 15)),
)
