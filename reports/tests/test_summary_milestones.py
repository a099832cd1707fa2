"""The summary's statements from milestones, honours and remittances (issue 15): committees
re-elected with migrant chairs, congresses, 厂务公开, new star ratings and a re-founded union
named, model workers and a collective honour named with their level, the remittance rate with
同比, a past period stating the status of its time, and the county roll-up naming townships."""

import datetime
from decimal import Decimal

from members.models import UnionMilestone
from reports.document import Paragraph
from reports.indicators import Scope
from reports.summary import build_document
from unionportal.periods import parse_period
from unionportal.tests import factories as f

D = datetime.date
H1, LAST_H2 = parse_period("2026H1"), parse_period("2025H2")
ON = D(2026, 7, 10)


def milestone(union, kind, day, **fields):
    return UnionMilestone.objects.create(
        township_id=union.township_id, union=union, kind=kind, happened_on=day, **fields
    )


def text_of(document, heading: str) -> str:
    found = next(s for s in document.sections if heading in s.heading)
    parts = [*found.blocks, *(b for sub in found.subsections for b in sub.blocks)]
    return "".join(b.text for b in parts if isinstance(b, Paragraph))


def _records(township):
    u = f.make_union(township, name="恒达机械工会", founded_on=D(2015, 5, 1))
    milestone(u, "standardised", D(2020, 1, 1))
    milestone(u, "star", D(2020, 1, 1), level="one")
    milestone(u, "star", D(2026, 3, 1), level="three")
    milestone(u, "election", D(2026, 4, 1), chair_name="陈建国", chair_is_migrant=True)
    milestone(u, "congress_held", D(2026, 3, 18), delegates=45)
    milestone(u, "openness", D(2026, 2, 1))
    v = f.make_union(township, name="老街联合工会", founded_on=D(2001, 1, 1))
    milestone(v, "dissolved", D(2024, 6, 30))
    milestone(v, "refounded", D(2026, 5, 20))
    milestone(v, "election", D(2025, 4, 1), chair_name="李四")  # last year: for 同比
    f.make_honour(
        township, recipient="王小红", title="劳动模范", level="city", granted_on=D(2026, 4, 28)
    )
    f.make_honour(
        township,
        recipient="恒达机械有限公司装配车间",
        recipient_type="collective",
        title="工人先锋号",
        level="county",
        granted_on=D(2026, 4, 28),
    )
    f.make_honour(township, title="十佳职工", level="township", granted_on=D(2026, 1, 10))
    f.make_remittance(
        township, period="2026Q1", amount_due=Decimal(40000), amount_paid=Decimal(40000)
    )
    f.make_remittance(
        township, period="2026Q2", amount_due=Decimal(40000), amount_paid=Decimal(36000)
    )
    f.make_remittance(
        township, period="2025Q1", amount_due=Decimal(40000), amount_paid=Decimal(32000)
    )
    f.make_remittance(
        township, period="2025Q2", amount_due=Decimal(40000), amount_paid=Decimal(32000)
    )


def test_a_half_year_summary_states_the_milestones_honours_and_remittances(township_a):
    _records(township_a)

    document = build_document(Scope.for_township(township_a), H1, on=ON)
    organisation = text_of(document, "组织建设")
    activities = text_of(document, "职工活动")
    dues = text_of(document, "经费")

    assert "1家工会完成换届（其中1家选举外来职工担任工会主席）" in organisation
    assert "召开职代会1次" in organisation
    assert "新建立厂务公开制度1家" in organisation
    assert "新评星级工会1家（三星级1家）" in organisation
    assert "重建基层工会1家" in organisation
    assert "恒达机械工会被评为三星级工会" in organisation
    assert "老街联合工会于5月20日重建" in organisation
    assert "与去年同期持平" in organisation  # 换届: 1 union each year
    assert "获得各级荣誉表彰3项，其中劳动模范和五一劳动奖章1人（项）" in activities
    assert "集体荣誉1项" in activities
    assert "王小红获评市级劳动模范" in activities
    assert "恒达机械有限公司装配车间获评县级工人先锋号" in activities
    assert "十佳职工" not in activities  # a township-level honour is counted, not named
    assert "应上缴上级工会经费8万元，实上缴7.6万元，上缴率95%" in dues
    assert "比去年同期提高15个百分点" in dues


def test_a_summary_of_an_earlier_period_states_the_status_of_that_time(township_a):
    _records(township_a)

    earlier = build_document(Scope.for_township(township_a), LAST_H2, on=ON)
    organisation = text_of(earlier, "组织建设")

    assert "截至2025年12月31日，全镇有规范化工会1家、星级工会1家" in organisation
    assert "基层工会1家" in organisation  # 老街联合工会 was dissolved then
    assert "三星" not in organisation and "重建" not in organisation


def test_the_county_roll_up_sums_and_names_townships(township_a, township_b):
    _records(township_a)
    f.make_remittance(
        township_b, period="2026H1", amount_due=Decimal(20000), amount_paid=Decimal(4000)
    )

    names = {t.pk: t.name for t in (township_a, township_b)}
    document = build_document(Scope.for_county(township_a.county), H1, on=ON, township_names=names)
    organisation = text_of(document, "组织建设")
    dues = text_of(document, "经费")

    assert f"{township_a.name}恒达机械工会被评为三星级工会" in organisation
    assert "实上缴8万元，上缴率80%" in dues  # (76,000 + 4,000) ÷ 100,000
