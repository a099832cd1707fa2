"""Building small workbooks and reading the database state for the workbook tests."""

import datetime
import io
import zipfile
from decimal import Decimal

from openpyxl import Workbook

from disputes.models import Case, CaseStatus
from events.models import Event
from honours.models import Honour
from members.models import (
    CollectiveContract,
    DuesRecord,
    DuesRemittance,
    Employer,
    GrassrootsUnion,
    Member,
    UnionMilestone,
)
from unionportal.models import Township
from unionportal.tests.factories import id_number
from unionportal.validators import credit_check_char
from welfare.models import HardshipFile, MutualAidEnrolment, WelfareVisit
from workbook.book import SHEETS

MEMBER_HEADERS = ["姓名", "身份证号", "所属工会", "工作单位", "入会日期"]
UNION_SHEET = [["工会名称", "类型", "成立日期"], ["甲工会", "企业工会", datetime.date(2015, 1, 1)]]


def xlsx(sheets: dict[str, list[list]]) -> bytes:
    """A workbook with the given sheets: each a list of rows, the first row the headers."""
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def members_workbook(count: int, *, union: str = "甲工会") -> bytes:
    rows = [MEMBER_HEADERS] + [
        [f"会员{i}", id_number(), union, None, datetime.date(2020, 1, 1)] for i in range(count)
    ]
    return xlsx({"基层工会": UNION_SHEET, "会员": rows})


def replace_part(data: bytes, name: str, content: bytes) -> bytes:
    """The same .xlsx with one ZIP member replaced."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, content if info.filename == name else src.read(info.filename))
    return out.getvalue()


MODELS = [
    GrassrootsUnion,
    Employer,
    Member,
    CollectiveContract,
    DuesRecord,
    WelfareVisit,
    Case,
    Event,
    HardshipFile,
    MutualAidEnrolment,
]


def township_state(township: Township) -> dict[str, list]:
    """Every record of the township with all its values and history count, to compare before
    and after an import that must change nothing."""
    state: dict[str, list] = {}
    for model in MODELS:
        rows = model.objects.filter(township=township).order_by("pk").values()
        state[model.__name__] = list(rows)
        state[f"{model.__name__}.history"] = [model.history.filter(township=township).count()]
    return state


def comparable(sheet_key: str, township: Township) -> list[tuple]:
    """The records of one sheet as the workbook sees them (references by name), sorted."""
    sheet = next(s for s in SHEETS if s.key == sheet_key)
    paths = [
        f"{c.field}__name" if c.kind in ("union", "employer") else c.field for c in sheet.columns
    ]
    if sheet_key == "members":
        paths += ["gender", "birth_date"]
    if sheet_key == "dues":
        paths += ["period_start", "period_end"]
    if sheet_key == "contracts":
        paths += ["employer__name", "union__name"]
    rows = sheet.model.objects.filter(township=township).values_list(*paths)
    return sorted(rows, key=repr)


def fill_every_sheet(township: Township) -> None:
    """Records of every kind with every column filled, including awkward text."""
    union = GrassrootsUnion.objects.create(
        township=township,
        name="恒达机械工会",
        kind="enterprise",
        founded_on=datetime.date(2015, 5, 1),
        chair_name="陈建国",
        chair_is_migrant=True,
        standardised=True,
        star="two",
        has_congress=True,
        has_affairs_openness=True,
        has_women_committee=True,
    )
    GrassrootsUnion.objects.create(
        township=township,
        name="老街联合工会",
        kind="joint",
        founded_on=datetime.date(2001, 1, 1),
        dissolved_on=datetime.date(2024, 6, 30),
    )
    employer = Employer.objects.create(
        township=township,
        name="恒达机械有限公司",
        credit_code="91330282MA2AB3CD4" + credit_check_char("91330282MA2AB3CD4"),
        economic_type="private",
        employees=86,
        migrant_employees=30,
        should_unionise=True,
        union=union,
    )
    Employer.objects.create(township=township, name="小作坊", employees=8, should_unionise=False)
    member = Member(
        township=township,
        name="王小红",
        id_number=id_number(birth=datetime.date(1990, 1, 1), male=False),
        union=union,
        employer=employer,
        joined_on=datetime.date(2016, 3, 8),
        mobile="13805741234",
        ethnicity="汉族",
        education="=大专",
        is_migrant=True,
        model_worker="city",
        left_on=datetime.date(2025, 12, 31),
        card_number="-0001",
    )
    member.derive_from_id()
    member.save()
    plain = Member(
        township=township,
        name="@李明",
        id_number=id_number(),
        union=union,
        joined_on=datetime.date(2020, 1, 1),
    )
    plain.derive_from_id()
    plain.save()
    CollectiveContract.objects.create(
        township=township,
        party_name="恒达机械有限公司",
        employer=employer,
        kind="wage",
        signed_on=datetime.date(2026, 1, 1),
        expires_on=datetime.date(2028, 12, 31),
        workers_covered=86,
        is_renewal=True,
    )
    CollectiveContract.objects.create(
        township=township,
        party_name="老街联合工会",
        union=GrassrootsUnion.objects.get(township=township, name="老街联合工会"),
        kind="general",
        signed_on=datetime.date(2020, 1, 1),
        expires_on=datetime.date(2022, 12, 31),
    )
    for period, due, paid in (("2026Q1", "4300.50", "4300.50"), ("2026-04", "1200", "0")):
        record = DuesRecord(
            township=township,
            employer=employer,
            period=period,
            amount_due=Decimal(due),
            amount_paid=Decimal(paid),
            paid_on=datetime.date(2026, 4, 10) if paid != "0" else None,
        )
        record.derive_period()
        record.save()
    for _ in range(2):  # two identical visits: both kept, both recognised on re-import
        WelfareVisit.objects.create(
            township=township,
            visited_on=datetime.date(2026, 1, 20),
            beneficiary_type="hardship",
            beneficiary_name="李大明",
            cash=Decimal("500.00"),
        )
    WelfareVisit.objects.create(
        township=township,
        visited_on=datetime.date(2026, 1, 21),
        beneficiary_type="model",
        beneficiary_name="王小红",
        id_number=member.id_number,
        member=member,
        cash=Decimal("800.00"),
        goods_value=Decimal("200.50"),
        fund_source="higher",
        campaign="2026年春节送温暖",
        note="+慰问劳模",
    )
    # 困难职工: a household out of hardship and filed again later; 医疗互助 of the union.
    for filed, extra in (
        (
            datetime.date(2020, 3, 1),
            {
                "category": "deep",
                "causes": "illness,family_illness",
                "household_size": 4,
                "income_per_head": Decimal("612.50"),
                "reviewed_on": datetime.date(2021, 3, 1),
                "out_on": datetime.date(2022, 6, 30),
                "out_reason": "employment",
                "reported_on": datetime.date(2020, 3, 20),
                "note": "=配偶透析",
            },
        ),
        (
            datetime.date(2024, 9, 1),
            {"category": "accident", "causes": "injury", "reviewed_on": datetime.date(2026, 3, 1)},
        ),
    ):
        HardshipFile.objects.create(
            township=township,
            name="王小红",
            id_number=member.id_number,
            member=member,
            employer=employer,
            union=union,
            filed_on=filed,
            **extra,
        )
    MutualAidEnrolment.objects.create(
        township=township,
        union=union,
        year=2026,
        workers=86,
        enrolled=80,
        premiums=Decimal("6400.00"),
        payouts=3,
        paid_out=Decimal("9600.50"),
    )
    # 工会建设 implying the marks above (the union's present status), 荣誉, 经费上缴.
    for kind, day, extra in (
        ("election", datetime.date(2015, 5, 1), {"chair_name": "王建华"}),
        (
            "election",
            datetime.date(2021, 5, 10),
            {"chair_name": "陈建国", "chair_is_migrant": True},
        ),
        ("congress_system", datetime.date(2016, 1, 1), {}),
        ("openness", datetime.date(2016, 1, 1), {}),
        ("women_committee", datetime.date(2017, 3, 8), {"note": "=首届女职工委员会"}),
        ("standardised", datetime.date(2018, 6, 1), {}),
        ("star", datetime.date(2019, 12, 1), {"level": "one"}),
        ("star", datetime.date(2023, 12, 1), {"level": "two"}),
        ("model_home", datetime.date(2022, 5, 1), {"level": "city"}),
        (
            "congress_held",
            datetime.date(2026, 3, 18),
            {"delegates": 45, "note": "审议通过工资集体协议"},
        ),
    ):
        UnionMilestone.objects.create(
            township=township, union=union, kind=kind, happened_on=day, **extra
        )
    UnionMilestone.objects.create(
        township=township,
        union=GrassrootsUnion.objects.get(township=township, name="老街联合工会"),
        kind="dissolved",
        happened_on=datetime.date(2024, 6, 30),
    )
    for honour in (
        Honour(
            township=township,
            recipient="王小红",
            recipient_type="person",
            id_number=member.id_number,
            member=member,
            title="劳动模范",
            level="city",
            granted_by="慈溪市人民政府",
            granted_on=datetime.date(2025, 4, 28),
            workplace="恒达机械有限公司",
        ),
        Honour(
            township=township,
            recipient="恒达机械有限公司装配车间",
            recipient_type="collective",
            title="工人先锋号",
            level="county",
            granted_by="+慈溪市总工会",
            granted_on=datetime.date(2026, 4, 28),
        ),
    ):
        honour.clean_fields()
        honour.save()
    for period, due, paid in (("2026Q1", "43000", "43000"), ("2026-04", "12000.50", "0")):
        remittance = DuesRemittance(
            township=township,
            period=period,
            amount_due=Decimal(due),
            amount_paid=Decimal(paid),
            paid_on=datetime.date(2026, 4, 15) if paid != "0" else None,
        )
        remittance.derive_period()
        remittance.save()
    Case.objects.create(
        township=township,
        number="XF-2026-001",
        received_on=datetime.date(2026, 3, 2),
        channel="visit",
        petitioner="张某等5人",
        people_involved=5,
        employer=employer,
        category="wages",
        amount_involved=Decimal("42000.00"),
        handling="coordination",
        status=CaseStatus.RESOLVED,
        closed_on=datetime.date(2026, 3, 20),
        amount_recovered=Decimal("42000.00"),
        summary="协调企业补发2月工资\n第二行",
    )
    Case.objects.create(
        township=township,
        number="XF-2026-002",
        received_on=datetime.date(2026, 4, 2),
        petitioner="赵某",
        category="injury",
    )
    event = Event.objects.create(
        township=township,
        title="2026年安康杯知识竞赛",
        starts_on=datetime.date(2026, 5, 12),
        ends_on=datetime.date(2026, 5, 13),
        category="safety",
        organiser="镇总工会",
        participants=120,
        participating_units="恒达机械工会、恒达机械有限公司;外地某厂",
        media="江苏工人报",
        description="12家企业参赛",
    )
    event.unions.add(union)
    event.employers.add(employer)
