"""The summary as a chair reads it (issue 14): the figures the body states are the appendix's,
under the same names; wording a person would write; unfinished periods stated up to the build
day; periods typed as people name them; the county roll-up worded for its own federation."""

import datetime
import re

import pytest
from django.urls import reverse

from events.models import Event, EventCategory
from members.models import Employer, GrassrootsUnion
from reports.document import BulletList, Paragraph, Section
from reports.forms import period_choices
from reports.indicators import Scope
from reports.summary import build_document
from unionportal.models import County, Township
from unionportal.periods import PeriodError, parse_period

D = datetime.date
H1 = parse_period("2026H1")
ON = D(2026, 7, 10)
UNIT = r"(?:%|万元|元|家|人次|人|件|份|户次|次|篇)"


def body_paragraphs(document) -> list[str]:
    out: list[str] = []

    def walk(section: Section) -> None:
        out.extend(b.text for b in section.blocks if isinstance(b, Paragraph))
        for sub in section.subsections:
            walk(sub)

    for section in document.sections:
        walk(section)
    return out


def list_items(document) -> list[str]:
    items: list[str] = []

    def walk(section: Section) -> None:
        for b in section.blocks:
            if isinstance(b, BulletList):
                items.extend(b.items)
        for sub in section.subsections:
            walk(sub)

    for section in document.sections:
        walk(section)
    return items


def appendix(document) -> dict[str, tuple[str, str]]:
    table = document.appendix[0].blocks[0]
    return {row[0]: (row[1], row[2]) for row in table.rows}


def stated_figures(text: str) -> list[tuple[str, str]]:
    """(figure, the words before it) for every number with a unit in a paragraph; changes
    (增加/减少/提高/下降 …/是…倍) are not figures of their own."""
    found = []
    for m in re.finditer(rf"(\d+(?:\.\d+)?){UNIT}", text):
        before = text[max(0, m.start() - 6) : m.start()]
        if re.search(r"(增加|减少|提高|下降|增长|的)$", before):
            continue
        found.append((m.group(0), before))
    return found


@pytest.fixture
def doc(data):
    a, _ = data
    Event.objects.create(
        township=a,
        title="2026年劳动合同法宣讲会",
        starts_on=D(2026, 3, 5),
        category=EventCategory.LEGAL_EDUCATION,
        participants=40,
    )
    Event.objects.create(
        township=a, title="2026年工会工作会议", starts_on=D(2026, 2, 1), category="meeting"
    )
    return build_document(Scope.for_township(a), H1, on=ON)


# --- 1. one figure, one name ------------------------------------------------------------------


def test_every_figure_the_body_states_is_the_appendixs(doc):
    table = appendix(doc)
    this_period = {now for now, _ in table.values()}
    last_year = {before for _, before in table.values()}
    checked = 0
    for text in body_paragraphs(doc):
        for figure, before in stated_figures(text):
            number = re.sub(rf"{UNIT}$", "", figure)
            pool = last_year if before.endswith("去年同期") else this_period
            assert figure in pool or number in pool, (figure, text)
            checked += 1
    assert checked >= 20


@pytest.mark.parametrize(
    ("pattern", "label"),
    [
        (r"共开展职工活动(\d+)次", "职工活动次数"),
        (r"参与职工(\d+)人次", "职工活动参与人次"),
        (r"会议(\d+)次", "会议次数"),
        (r"宣传报道(\d+)篇", "宣传报道篇数"),
        (r"劳动法律监督检查(\d+)次", "执法检查次数"),
        (r"共受理职工信访和劳动争议(\d+)件", "信访受理数（件）"),
        (r"办结率([\d.]+%)", "办结率"),
        (r"协调解决信访和劳动争议(\d+)件", "协调解决数（件，按结案时间）"),
        (r"农民工入会率([\d.]+%)", "农民工入会率"),
        (r"收缴率([\d.]+%)", "经费收缴率"),
    ],
)
def test_a_figure_has_the_same_name_in_the_body_and_the_appendix(doc, pattern, label):
    stated = re.search(pattern, "".join(body_paragraphs(doc)))
    assert stated, pattern
    assert appendix(doc)[label][0] == stated.group(1)


def test_staff_activities_leave_out_inspections_reports_and_meetings(doc):
    text = "".join(body_paragraphs(doc))
    # the competition (200) and the 普法 talk (40); not the inspection, the report or the meeting
    assert "共开展职工活动2次，去年同期未开展，参与职工240人次" in text
    assert "此外，镇工会召开工会工作会议等会议1次" in text
    assert appendix(doc)["职工活动次数"][0] == "2"


def test_each_event_is_stated_in_one_section_only(doc):
    places = [
        s.heading
        for s in doc.sections
        if "劳动合同法宣讲会"
        in "".join(b.text for b in s.blocks if isinstance(b, Paragraph))
        + "".join(i for b in s.blocks if isinstance(b, BulletList) for i in b.items)
    ]
    assert places == ["四、劳动竞赛与职工活动"]
    publicity = next(s for s in doc.sections if "宣传工作" in s.heading)
    assert "普法" not in "".join(b.text for b in publicity.blocks if isinstance(b, Paragraph))


def test_resolved_and_closure_rate_are_stated_on_their_own_bases(data):
    a, _ = data
    from disputes.models import Case, CaseStatus

    # resolved in June, received last December: 协调解决 counts it, 办结率 does not
    Case.objects.create(
        township=a,
        number="C9",
        received_on=D(2025, 12, 1),
        petitioner="诉求人",
        category="wages",
        status=CaseStatus.RESOLVED,
        closed_on=D(2026, 6, 1),
    )
    text = build_document(Scope.for_township(a), H1, on=ON).plain_text()
    assert "这4件中已办结2件，办结率50%" in text
    assert "按结案时间统计，上半年协调解决信访和劳动争议3件（含此前受理的案件）" in text


def test_a_comparison_follows_the_figure_it_compares(doc):
    text = "".join(body_paragraphs(doc))
    assert "共受理职工信访和劳动争议4件，去年同期未受理，其中" in text


# --- 2. wording --------------------------------------------------------------------------------


def test_no_machine_wording(doc):
    text = doc.plain_text()
    assert not re.search(r"\d\.0%", text)
    assert "增长100" not in text and "同比新增" not in text
    assert not re.search(r"(?<![\d.])0\.\d+万元", text)
    assert "在规范化建设方面" not in text
    assert "外来职工入会率" not in text
    for item in list_items(doc):
        assert not item[0].isdigit(), item  # a renderer's "1." must not run into a date
    for text in body_paragraphs(doc):
        assert not re.match(r"^[上下全]半年[续新]签", text)


def test_amounts_below_ten_thousand_yuan_are_in_yuan(doc):
    text = doc.plain_text()
    assert "合计3200元" in text
    assert "追回工资等款项5.8万元" in text


def test_the_opening_follows_the_periods_highlights(data):
    a, _ = data
    first = build_document(Scope.for_township(a), H1, on=ON).opening[0].text
    from welfare.models import WelfareVisit

    for n in range(30):
        WelfareVisit.objects.create(
            township=a,
            visited_on=D(2026, 2, 1),
            beneficiary_type="hardship",
            beneficiary_name=f"户{n}",
        )
    second = build_document(Scope.for_township(a), H1, on=ON).opening[0].text
    assert first != second
    assert "突出抓好帮扶送温暖" in second


# --- 3. periods --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "code", "label"),
    [
        ("2026年1-8月", "2026-01-01..2026-08-31", "2026年1—8月"),
        ("2026年1—8月", "2026-01-01..2026-08-31", "2026年1—8月"),
        ("2026年上半年", "2026H1", "2026年上半年"),
        ("2026年下半年", "2026H2", "2026年下半年"),
        ("2026年第三季度", "2026Q3", "2026年第三季度"),
        ("2026年", "2026", "2026年"),
        ("2026-01-01..2026-08-31", "2026-01-01..2026-08-31", "2026年1—8月"),
    ],
)
def test_periods_typed_as_people_name_them(typed, code, label):
    period = parse_period(typed)
    assert (period.code, period.label) == (code, label)


def test_a_month_range_ending_before_it_starts_is_refused():
    with pytest.raises(PeriodError):
        parse_period("2026年8-1月")


def test_the_picker_offers_year_to_date_at_each_month_end():
    choices = dict(period_choices(D(2026, 9, 5), year_to_date=True))
    assert choices["2026-01-01..2026-08-31"] == "2026年1—8月"
    assert choices["2026Q3"] == "2026年第三季度" and choices["2026H1"] == "2026年上半年"
    assert "2026-01-01..2026-09-30" not in choices  # September is not over


def test_a_whole_month_range_is_titled_and_named_by_its_months(data):
    a, _ = data
    document = build_document(Scope.for_township(a), parse_period("2026年1-6月"), on=ON)
    assert document.title == "慈东镇工会2026年1—6月工作总结"
    text = document.plain_text()
    assert "1—6月，镇工会共受理" in text
    assert "本期" not in text.split("附件")[0]


def test_an_unfinished_year_is_stated_to_the_build_day_against_the_same_span(data):
    a, _ = data
    Event.objects.create(
        township=a, title="去年技能赛", starts_on=D(2025, 5, 1), category="competition"
    )
    Event.objects.create(
        township=a, title="去年秋季运动会", starts_on=D(2025, 9, 1), category="sports"
    )
    document = build_document(Scope.for_township(a), parse_period("2026"), on=ON)
    text = document.plain_text()
    assert "截至2026年7月10日" in text
    assert "2026年12月31日" not in text
    assert text.startswith("慈东镇工会2026年度工作总结\n2026年以来，")
    table = document.appendix[0].blocks[0]
    assert table.header == ("指标", "截至7月10日", "去年同期")
    # this year to 10 July: the May competition and the 1 July sports day; a year earlier the
    # same span holds last May's competition, not last September's sports day
    assert appendix(document)["职工活动次数"] == ("2", "1")
    assert document.date == "2026年7月10日"


def test_a_period_not_understood_is_a_message_on_the_page(client, data, staff_a):
    client.force_login(staff_a)
    response = client.get(reverse("reports:summary"), {"period": "明年春天"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "无法识别期间“明年春天”" in html
    assert 'value="明年春天"' in html
    typed = client.get(reverse("reports:summary"), {"period": "2026年上半年"})
    assert typed.status_code == 200
    assert "慈东镇工会2026年上半年工作总结" in typed.content.decode()
    download = client.get(reverse("reports:summary_download"), {"period": "x", "format": "pdf"})
    assert download.status_code == 302


# --- 6. county roll-up --------------------------------------------------------------------------


def test_a_city_federation_is_worded_as_a_city(data, county):
    a, b = data
    county.name = "余姚市"
    county.save()
    document = build_document(
        Scope.for_county(county), H1, township_names={a.pk: a.name, b.pk: b.name}, on=ON
    )
    text = document.plain_text()
    assert document.title == "余姚市总工会2026年上半年工作总结"
    assert "在市委和上级工会的领导下" in text
    assert "全市共有基层工会" in text
    assert "县委" not in text and "全县" not in text


def test_rankings_only_where_many_more_townships_than_ranked(data, county):
    a, b = data
    names = {a.pk: a.name, b.pk: b.name}
    for n in range(5):
        t = Township.objects.create(code=f"t{n}", name=f"第{n}镇", county=county)
        u = GrassrootsUnion.objects.create(
            township=t, name=f"工会{n}", kind="enterprise", founded_on=D(2020, 1, 1)
        )
        Employer.objects.create(township=t, name=f"单位{n}", employees=10, union=u)
        names[t.pk] = t.name
    document = build_document(Scope.for_county(county), H1, township_names=names, on=ON)
    assert "建会率居前3位的是" in document.plain_text()


def test_county_narrative_parts_come_from_the_county(data, county):
    from reports.models import SummaryNarrative
    from reports.services import summary_document

    SummaryNarrative.objects.create(county=county, period="2026H1", plans="推进全县建会入会。")
    document = summary_document(county=County.objects.get(pk=county.pk), period=H1)
    assert "推进全县建会入会。" in document.plain_text()


def test_the_periods_milestones_and_honours_are_stated_and_in_the_appendix(data):
    from honours.models import Honour
    from members.models import UnionMilestone

    a, _ = data
    u1 = GrassrootsUnion.objects.get(township=a, name="U1")
    UnionMilestone.objects.create(
        township=a, union=u1, kind="election", happened_on=D(2026, 4, 1), chair_name="甲"
    )
    UnionMilestone.objects.create(
        township=a, union=u1, kind="congress_held", happened_on=D(2026, 5, 1), delegates=30
    )
    Honour.objects.create(
        township=a,
        recipient="张三",
        recipient_type="person",
        title="五一劳动奖章",
        level="city",
        granted_on=D(2026, 4, 28),
    )
    document = build_document(Scope.for_township(a), H1, on=ON)
    text = "".join(body_paragraphs(document))
    assert "上半年，全镇1家工会完成换届，去年同期无工会换届，召开职代会1次，" in text
    assert "上半年，全镇获得各级荣誉表彰1项，其中劳动模范和五一劳动奖章1人（项）。" in text
    table = appendix(document)
    assert table["换届工会数（家）"][0] == "1" and table["荣誉表彰数（项）"][0] == "1"


def test_a_roll_up_names_each_item_with_its_township_once(data, county):
    a, b = data
    Event.objects.create(
        township=a,
        title="慈东镇职工篮球赛",
        starts_on=D(2026, 3, 1),
        category="sports",
        participants=300,
    )
    Event.objects.create(
        township=a, title="2026年工会工作会议", starts_on=D(2026, 2, 1), category="meeting"
    )
    document = build_document(
        Scope.for_county(county), H1, township_names={a.pk: a.name, b.pk: b.name}, on=ON
    )
    items = list_items(document)
    assert "慈东镇职工篮球赛（3月1日，300人参加）" in items
    assert "慈东镇技能比武（5月1日，200人参加）" in items
    assert "此外，全县各级工会召开会议1次" in document.plain_text()
