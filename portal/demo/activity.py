"""Demo activity: welfare visits (送温暖), petitions and disputes, events."""

import calendar
import datetime
import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db import models

from disputes.models import Case, CaseCategory, CaseStatus, Channel, Handling
from events.models import Event, EventCategory
from members.models import (
    EconomicType,
    Employer,
    GrassrootsUnion,
    ModelWorkerLevel,
)
from portal.demo.helpers import (
    IdNumbers,
    Row,
    _day,
    _hundreds,
    _MemberRef,
    _person_name,
    _rng,
    _TownshipPlan,
    _yuan,
)
from portal.demo.scales import DemoScale
from portal.demo.words import DOUBLE_NINTH, LOCAL_REGIONS, MEDIA, SPRING_FESTIVAL, UNIVERSITIES
from welfare.models import BeneficiaryType, FundSource

# ---------------------------------------------------------------------------------------------
# Welfare visits


@dataclass(frozen=True)
class _Campaign:
    title: str  # blank for everyday hardship help (日常帮扶)
    start: datetime.date
    end: datetime.date
    weight: float
    kind: str


def _campaigns(scale: DemoScale) -> list[_Campaign]:
    found: list[_Campaign] = []
    for y in scale.years:
        d = datetime.date
        spring = SPRING_FESTIVAL[y]
        candidates = [
            _Campaign(
                f"{y}年春节送温暖",
                spring - datetime.timedelta(days=28),
                spring - datetime.timedelta(days=2),
                45,
                "spring",
            ),
            _Campaign(f"{y}年五一劳模慰问", d(y, 4, 20), d(y, 4, 30), 6, "model"),
            _Campaign(f"{y}年夏送清凉", d(y, 7, 1), d(y, 8, 25), 15, "summer"),
            _Campaign(f"{y}年金秋助学", d(y, 8, 5), d(y, 9, 10), 12, "study"),
            _Campaign(
                f"{y}年重阳节慰问离退休职工",
                DOUBLE_NINTH[y] - datetime.timedelta(days=5),
                DOUBLE_NINTH[y] + datetime.timedelta(days=3),
                8,
                "elderly",
            ),
            _Campaign("", d(y, 1, 1), d(y, 12, 31), 14, "daily"),
        ]
        for c in candidates:
            if c.start >= scale.start and c.end <= scale.end:
                found.append(c)
            elif c.kind == "daily" and c.start <= scale.end:
                found.append(_Campaign("", c.start, min(c.end, scale.end), c.weight, c.kind))
    return found


HARDSHIP_NOTES = (
    "因病致困",
    "子女就学负担重",
    "单亲家庭",
    "家庭成员重病",
    "工伤致困",
    "因灾致困",
    "下岗失业后再就业困难",
)


def _build_visits(
    *,
    plan: _TownshipPlan,
    scale: DemoScale,
    seed: int,
    visit_ids: Iterator[int],
    id_numbers: IdNumbers,
) -> list[Row]:
    """送温暖 each Spring Festival, 夏送清凉, 金秋助学, 劳模 and 重阳 visits, everyday help."""
    rng = _rng(seed, plan.spec.code, "visits")
    stamp = plan.stamp()
    campaigns = _campaigns(scale)
    weights = [c.weight for c in campaigns]
    refs = plan.member_refs
    # The township's file of households in hardship (困难职工档案): visited year after year.
    hardship = rng.sample(refs, min(len(refs), max(8, len(refs) // 40)))
    models_pool = [r for r in refs if r.model_worker != ModelWorkerLevel.NONE.value] or refs[:5]
    firm_names = [e.name for e in plan.employer_rows if e.union_id is not None]
    seen: set[tuple] = set()
    rows: list[Row] = []
    while len(rows) < plan.visits:
        c = rng.choices(campaigns, weights=weights)[0]
        on = _day(rng, c.start, c.end)
        member: _MemberRef | None = None
        name, id_number, note = "", "", ""
        cash, goods = Decimal(0), Decimal(0)
        source = FundSource.OWN
        if c.kind in ("spring", "daily"):
            btype = rng.choices(
                (
                    BeneficiaryType.EXTREME_HARDSHIP,
                    BeneficiaryType.HARDSHIP,
                    BeneficiaryType.RETIRED,
                    BeneficiaryType.MODEL_WORKER,
                    BeneficiaryType.OTHER,
                ),
                (20, 45, 12, 8, 15) if c.kind == "spring" else (35, 65, 0, 0, 0),
            )[0]
            if btype in (BeneficiaryType.EXTREME_HARDSHIP, BeneficiaryType.HARDSHIP):
                extreme = btype == BeneficiaryType.EXTREME_HARDSHIP
                cash = _hundreds(rng, 1000, 3000) if extreme else _hundreds(rng, 500, 1500)
                goods = _hundreds(rng, 200, 600)
                note = rng.choice(HARDSHIP_NOTES)
                if rng.random() < 0.8:
                    member = rng.choice(hardship)
                source = rng.choices(
                    (FundSource.HIGHER, FundSource.OWN, FundSource.GRASSROOTS), (40, 45, 15)
                )[0]
            elif btype == BeneficiaryType.RETIRED:
                cash, goods = _hundreds(rng, 300, 800), _hundreds(rng, 100, 300)
            elif btype == BeneficiaryType.MODEL_WORKER:
                member = rng.choice(models_pool)
                cash, goods = _hundreds(rng, 1000, 2000), _hundreds(rng, 200, 500)
                source = FundSource.HIGHER
            else:
                member = rng.choice(refs)
                goods = _hundreds(rng, 200, 500)
                note = rng.choice(("春节留岗一线职工", "新就业形态劳动者", "外来务工人员留甬过年"))
                source = rng.choice((FundSource.OWN, FundSource.EMPLOYER))
        elif c.kind == "model":
            btype, member = BeneficiaryType.MODEL_WORKER, rng.choice(models_pool)
            cash, goods, source = _hundreds(rng, 1000, 3000), Decimal(0), FundSource.HIGHER
        elif c.kind == "summer":
            btype, member = BeneficiaryType.OTHER, rng.choice(refs)
            goods = _hundreds(rng, 100, 400)
            note = f"{rng.choice(firm_names)}高温一线岗位"
            source = rng.choice((FundSource.OWN, FundSource.EMPLOYER, FundSource.GRASSROOTS))
        elif c.kind == "study":
            btype = BeneficiaryType.STUDENT
            parent = rng.choice(hardship)
            child_male = rng.random() < 0.5
            name = _person_name(rng, child_male, surname=parent.name[0])
            note = f"{parent.name}之{'子' if child_male else '女'}，考入{rng.choice(UNIVERSITIES)}"
            cash = _hundreds(rng, 2000, 5000)
            source = rng.choice((FundSource.HIGHER, FundSource.OWN))
        else:  # elderly
            btype = BeneficiaryType.RETIRED
            cash, goods = _hundreds(rng, 300, 800), _hundreds(rng, 100, 300)
        if btype == BeneficiaryType.RETIRED:
            male = rng.random() < 0.5
            name = _person_name(rng, male)
            if rng.random() < 0.6:
                birth = _day(rng, datetime.date(1940, 1, 1), datetime.date(1964, 12, 31))
                id_number = id_numbers.make(
                    rng, region=rng.choice(LOCAL_REGIONS), birth=birth, male=male
                )
        if member is not None:
            name, id_number = member.name, member.id_number
        elif not name:
            name = _person_name(rng, rng.random() < 0.5)
        key = (on, btype, name, id_number, cash)
        if key in seen:  # the workbook treats an identical row as a re-import
            continue
        seen.add(key)
        rows.append(
            {
                "id": next(visit_ids),
                "visited_on": on,
                "beneficiary_type": BeneficiaryType(btype).value,
                "beneficiary_name": name,
                "id_number": id_number,
                "member_id": member.id if member else None,
                "cash": cash,
                "goods_value": goods,
                "fund_source": FundSource(source).value,
                "campaign": c.title,
                "note": note,
                **stamp,
            }
        )
    return rows


# ---------------------------------------------------------------------------------------------
# Cases


def _build_cases(
    *, plan: _TownshipPlan, scale: DemoScale, seed: int, case_ids: Iterator[int]
) -> list[Case]:
    """Petitions and labour disputes, numbered CD-2025-001 …, most closed, a few long open."""
    rng = _rng(seed, plan.spec.code, "cases")
    stamp = plan.stamp()
    # Disputes arise in firms, not in the township's public bodies.
    employers = [e for e in plan.employer_rows if e.economic_type != EconomicType.PUBLIC]
    received = sorted(_day(rng, scale.start, scale.end) for _ in range(plan.cases))
    per_year: dict[int, itertools.count] = {}
    rows: list[Case] = []
    for on in received:
        seq = next(per_year.setdefault(on.year, itertools.count(1)))
        category = rng.choices(
            (
                CaseCategory.WAGES,
                CaseCategory.CONTRACT,
                CaseCategory.INSURANCE,
                CaseCategory.INJURY,
                CaseCategory.HOURS,
                CaseCategory.OTHER,
            ),
            (45, 15, 12, 10, 8, 10),
        )[0]
        people = rng.choices((1, rng.randint(2, 9), rng.randint(10, 60)), (70, 20, 10))[0]
        employer = rng.choice(employers) if rng.random() < 0.9 else None
        lead = _person_name(rng, rng.random() < 0.7)
        petitioner = lead if people == 1 else f"{lead}等{people}名职工"
        amount = None
        if category in (CaseCategory.WAGES, CaseCategory.INJURY, CaseCategory.INSURANCE):
            amount = _hundreds(rng, 3000, 15000) * people
        handling = rng.choices(
            (
                Handling.COORDINATION,
                Handling.MEDIATION,
                Handling.ARBITRATION,
                Handling.REFERRAL,
                Handling.OTHER,
            ),
            (45, 30, 10, 10, 5),
        )[0]
        status = rng.choices(
            (
                CaseStatus.RESOLVED,
                CaseStatus.ARBITRATION,
                CaseStatus.REJECTED,
                CaseStatus.OPEN,
            ),
            (72, 10, 6, 12),
        )[0]
        if handling == Handling.ARBITRATION and status == CaseStatus.RESOLVED:
            status = CaseStatus.ARBITRATION
        closed = None
        if status != CaseStatus.OPEN:
            closed = on + datetime.timedelta(days=rng.randint(2, 60))
            if closed > scale.end:
                status, closed = CaseStatus.OPEN, None
        recovered = None
        if status == CaseStatus.RESOLVED and amount is not None:
            recovered = _yuan(float(amount) * rng.choice((1.0, 1.0, 1.0, rng.uniform(0.6, 0.95))))
        unit = employer.name if employer else "个体包工头"
        summary = {
            CaseCategory.WAGES: f"反映{unit}拖欠{rng.randint(1, 6)}个月工资",
            CaseCategory.CONTRACT: f"反映{unit}未签订书面劳动合同即解除劳动关系",
            CaseCategory.INSURANCE: f"反映{unit}未依法缴纳社会保险",
            CaseCategory.INJURY: f"反映在{unit}工作期间受伤，工伤待遇未落实",
            CaseCategory.HOURS: f"反映{unit}长期加班且未支付加班费",
            CaseCategory.OTHER: f"咨询与{unit}的劳动关系问题",
        }[category]
        if amount is not None:
            summary += f"，涉及金额{amount:.0f}元"
        summary += {
            CaseStatus.RESOLVED: "。经镇工会" + Handling(handling).label + "，已妥善解决。",
            CaseStatus.ARBITRATION: "。经调解未达成一致，已引导申请劳动仲裁。",
            CaseStatus.REJECTED: "。经核实不属于受理范围，已向诉求人说明。",
            CaseStatus.OPEN: "。正在协调处理中。",
        }[status]
        rows.append(
            Case(
                id=next(case_ids),
                number=f"{plan.spec.prefix}-{on.year}-{seq:03d}",
                received_on=on,
                channel=rng.choices(
                    (Channel.VISIT, Channel.PHONE, Channel.LETTER, Channel.ONLINE, Channel.OTHER),
                    (45, 25, 5, 20, 5),
                )[0],
                petitioner=petitioner,
                people_involved=people,
                employer_id=employer.pk if employer else None,
                category=category,
                amount_involved=amount,
                handling=handling,
                status=status,
                closed_on=closed,
                amount_recovered=recovered,
                summary=summary,
                **stamp,
            )
        )
    return rows


# ---------------------------------------------------------------------------------------------
# Events

# (title pattern, months it happens in or None for any) per category. Patterns may use {year},
# {t} (township), {short}, {firm}, {n} (a running number) and {q} (a quarter).
EVENT_TEMPLATES: dict[str, tuple[tuple[str, tuple[int, ...] | None], ...]] = {
    EventCategory.COMPETITION: (
        ("{year}年{t}“比学赶超”劳动竞赛", (3, 4)),
        ("{year}年{t}数控车工技能比武", None),
        ("{year}年{t}电工技能竞赛", None),
        ("{year}年{t}焊工技能大赛", None),
        ("{firm}叉车技能比武", None),
        ("{year}年{t}直播电商技能大赛", None),
        ("{year}年{t}家政服务技能竞赛", None),
    ),
    EventCategory.SAFETY: (
        ("{year}年{t}“安康杯”竞赛启动会", (3, 4)),
        ("{year}年“安康杯”安全知识竞赛", (6,)),
        ("{firm}安全生产隐患排查", None),
        ("{year}年“安全生产月”宣传咨询日", (6,)),
        ("{firm}消防应急疏散演练", None),
        ("{year}年“安康杯”竞赛总结表彰", (12, 1)),
    ),
    EventCategory.SPORTS_CULTURE: (
        ("{year}年{t}职工趣味运动会", (4, 5, 10, 11)),
        ("{year}年{t}职工篮球赛", None),
        ("{year}年{t}迎新春职工文艺汇演", (1, 2)),
        ("{year}年{t}职工拔河比赛", None),
        ("{year}年{t}职工书法摄影展", None),
        ("{year}年“工会杯”羽毛球赛", None),
        ("{year}年{t}职工登山健身活动", (3, 4, 10, 11)),
    ),
    EventCategory.TRAINING: (
        ("{year}年{t}基层工会主席培训班", None),
        ("{year}年工会财务知识培训", None),
        ("{year}年第{n}期职工电工技能培训", None),
        ("{year}年职工学历提升班开班", (3, 9)),
        ("{year}年工会干部业务培训", None),
        ("{year}年职工心理健康讲座", None),
    ),
    EventCategory.AWARD: (
        ("{year}年度{t}优秀工会工作者评选", (12, 1)),
        ("{year}年{t}“最美职工”评选表彰", (4,)),
        ("{year}年度{t}先进职工之家表彰", (12, 1)),
        ("{year}年五一劳动奖章推荐评选", (3, 4)),
    ),
    EventCategory.MEETING: (
        ("{year}年{t}工会工作会议", (1, 2, 3)),
        ("{year}年第{q}季度基层工会主席例会", None),
        ("{year}年工会经费审查委员会会议", None),
        ("{year}年{t}工会工作推进会", None),
        ("{year}年度{t}工会工作总结会", (12, 1)),
    ),
    EventCategory.INSPECTION: (
        ("{year}年{month}月劳动法律法规执行情况检查", None),
        ("{year}年根治欠薪专项检查", (11, 12, 1)),
        ("{year}年夏季高温劳动保护专项检查", (7, 8)),
        ("{year}年女职工权益保护专项检查", (3, 9)),
        ("{year}年集体合同履约情况检查", None),
    ),
    EventCategory.LEGAL_EDUCATION: (
        ("{year}年《工会法》宣传进企业", None),
        ("{year}年“尊法守法·携手筑梦”农民工公益法律服务行动", (1, 2, 12)),
        ("{year}年劳动合同法宣讲会", None),
        ("{year}年职工法律维权知识讲座", None),
        ("{year}年“法律进工地”普法活动", None),
    ),
    EventCategory.PUBLICITY: (
        ("{t}工会开展春节送温暖活动", (1, 2)),
        ("{t}工会“安康杯”竞赛见实效", None),
        ("{firm}职工技能比武展风采", None),
        ("{t}工会为一线职工送清凉", (7, 8)),
        ("{t}工会金秋助学圆学子梦", (8, 9)),
        ("{t}推进新就业形态劳动者入会", None),
        ("{firm}建成“爱心妈咪小屋”", None),
    ),
    EventCategory.WOMEN: (
        ("{year}年“三八”国际妇女节女职工健康讲座", (3,)),
        ("{year}年女职工“两癌”筛查", None),
        ("{year}年女职工插花技艺培训", None),
        ("{year}年“巾帼建功”岗位能手评选", None),
        ("{year}年爱心妈咪小屋建设推进会", None),
    ),
    EventCategory.OTHER: (
        ("{year}年职工疗休养活动", None),
        ("{year}年工会会员普惠服务进企业", None),
        ("{year}年{t}青年职工联谊活动", None),
        ("{year}年新就业形态劳动者入会集中行动", None),
        ("{short}“工会驿站”揭牌", None),
        ("{year}年“职工之家”建设验收", None),
    ),
}
_EVENT_WEIGHTS = {
    EventCategory.COMPETITION: 8,
    EventCategory.SAFETY: 10,
    EventCategory.SPORTS_CULTURE: 12,
    EventCategory.TRAINING: 14,
    EventCategory.AWARD: 6,
    EventCategory.MEETING: 12,
    EventCategory.INSPECTION: 8,
    EventCategory.LEGAL_EDUCATION: 8,
    EventCategory.PUBLICITY: 12,
    EventCategory.WOMEN: 6,
    EventCategory.OTHER: 4,
}


def _event_title(
    pattern: str,
    on: datetime.date,
    spec,
    firm: Employer,
    n: int,
    months: tuple[int, ...] | None,
) -> str:
    """The title for an event on `on`. A year-end event held in January (a 年度 selection, a
    summary) is named for the year just ended, not the new one."""
    year = on.year - 1 if on.month == 1 and months and 12 in months else on.year
    return pattern.format(
        year=year,
        month=on.month,
        t=spec.name,
        short=spec.short,
        firm=firm.name,
        n=n,
        q="一二三四"[(on.month - 1) // 3],
    )


def _event_day(
    rng: random.Random, scale: DemoScale, months: tuple[int, ...] | None
) -> datetime.date:
    """A day in the window, in one of `months` when the event is seasonal."""
    if months is None:
        return _day(rng, scale.start, scale.end)
    while True:
        year, month = rng.choice(scale.years), rng.choice(months)
        first = datetime.date(year, month, 1)
        last = datetime.date(year, month, calendar.monthrange(year, month)[1])
        if first <= scale.end and last >= scale.start:
            return _day(rng, max(first, scale.start), min(last, scale.end))


@dataclass
class EventRows:
    events: list[Event]
    employer_links: list[models.Model]
    union_links: list[models.Model]


def _build_events(
    *, plan: _TownshipPlan, scale: DemoScale, seed: int, event_ids: Iterator[int]
) -> EventRows:
    """Events of all eleven categories; inspections and competitions name and link their units."""
    rng = _rng(seed, plan.spec.code, "events")
    stamp = plan.stamp()
    spec = plan.spec
    EmployerLink, UnionLink = Event.employers.through, Event.unions.through
    firms = [e for e in plan.employer_rows if e.economic_type != EconomicType.PUBLIC]
    active_unions = [u for u in plan.union_rows if u.dissolved_on is None]
    categories = list(_EVENT_WEIGHTS)
    picks = categories[: plan.events] + rng.choices(
        categories, weights=list(_EVENT_WEIGHTS.values()), k=max(0, plan.events - len(categories))
    )
    # Workers under each union (its employers' employees): a contest or a sports day of some
    # unions has no more participants than those unions' workers.
    workers: dict[int, int] = {}
    for employer in plan.employer_rows:
        if employer.union_id is not None:
            workers[employer.union_id] = workers.get(employer.union_id, 0) + employer.employees
    # A title is held once per half-year; a repeated one is told apart (第二场 …).
    held: dict[tuple[str, int, int], int] = {}
    result = EventRows([], [], [])
    counter = itertools.count(1)
    for category in picks:
        for _attempt in range(12):
            pattern, months = rng.choice(EVENT_TEMPLATES[category])
            firm = rng.choice(firms)
            on = _event_day(rng, scale, months)
            title = _event_title(pattern, on, spec, firm, next(counter), months)
            if (title, on.year, (on.month - 1) // 6) not in held:
                break
        half = (title, on.year, (on.month - 1) // 6)
        held[half] = held.get(half, 0) + 1
        if held[half] > 1:
            title = f"{title}（第{'一二三四五六七八九十'[min(held[half], 10) - 1]}场）"
        linked_firms: list[Employer] = []
        linked_unions: list[GrassrootsUnion] = []
        if category in (EventCategory.INSPECTION, EventCategory.SAFETY):
            linked_firms = rng.sample(firms, min(len(firms), rng.randint(2, 5)))
        elif category in (EventCategory.COMPETITION, EventCategory.SPORTS_CULTURE):
            linked_unions = rng.sample(active_unions, min(len(active_unions), rng.randint(2, 6)))
        if "{firm}" in pattern and firm not in linked_firms:
            linked_firms.insert(0, firm)
        units = [e.name for e in linked_firms] + [u.name for u in linked_unions]
        organiser = spec.name + "工会"
        if category == EventCategory.INSPECTION:
            organiser += rng.choice(("、人力社保所", "、司法所", "、市场监管所"))
        elif category == EventCategory.SAFETY:
            organiser += "、安监站"
        multi_day = category in (EventCategory.COMPETITION, EventCategory.TRAINING)
        ends = on + datetime.timedelta(days=rng.randint(1, 3)) if multi_day else None
        participants = {
            EventCategory.MEETING: (20, 80),
            EventCategory.TRAINING: (30, 150),
            EventCategory.COMPETITION: (50, 400),
            EventCategory.SPORTS_CULTURE: (80, 500),
            EventCategory.INSPECTION: (4, 12),
            EventCategory.PUBLICITY: None,
        }.get(category, (20, 200))
        # Attendance fits its base: the chairs of the township's unions (a few staff beside),
        # the union cadres (about two a union), the workers of the units taking part.
        base = None
        if "主席" in pattern:
            base = len(active_unions) + 2
        elif category in (EventCategory.TRAINING, EventCategory.MEETING) and "工会" in pattern:
            base = 2 * len(active_unions) + 5
        elif category in (EventCategory.COMPETITION, EventCategory.SPORTS_CULTURE):
            base = sum(workers.get(u.pk, 0) for u in linked_unions)
            if "{firm}" in pattern:
                base += firm.employees
        if participants and base is not None:
            low, high = participants
            high = min(high, base)
            participants = (min(low, max(1, round(high * 0.6))), max(1, high))
        media = rng.choice(MEDIA) if category == EventCategory.PUBLICITY else ""
        description = {
            EventCategory.INSPECTION: (
                f"联合检查{len(linked_firms)}家单位劳动用工、工资支付和劳动保护情况。"
            ),
            EventCategory.PUBLICITY: f"{media}报道{spec.name}工会工作。",
        }.get(category, f"{spec.name}工会组织开展，职工反响良好。")
        event = Event(
            id=next(event_ids),
            title=title,
            starts_on=on,
            ends_on=ends,
            category=category,
            organiser=organiser,
            participants=rng.randint(*participants) if participants else None,
            participating_units="、".join(units),
            media=media,
            description=description,
            **stamp,
        )
        result.events.append(event)
        result.employer_links += [
            EmployerLink(event_id=event.pk, employer_id=e.pk) for e in linked_firms
        ]
        result.union_links += [
            UnionLink(event_id=event.pk, grassrootsunion_id=u.pk) for u in linked_unions
        ]
    return result
