"""Demo union milestones (工会建设), honours (荣誉表彰) and dues remitted upward (经费上缴).

Milestones: every mark a demo union carries (规范化, 星级, 职代会制度, 厂务公开, 女职工委员会) and
its chair become dated milestones, as the data migration turns real marks into milestones but
with plausible dates: most marks were gained before the data window (between founding and the
window's start), about one in seven within it, so the summaries have 新达标/新评 items; a two- or
three-star union often went up from a lower star two or three years earlier; every union's chair
was elected at its latest 换届 (every five years; about a third fall within the window); a union
with a workers' congress held it in some years (spring), with delegates in proportion to its
workers; a dissolved union has its 撤销; one union per township was dissolved before the window
and re-founded within it (重建). County scale: about 12,000 milestones.

Honours: county scale about 2,000. Members marked 劳模 at city level or above hold a 劳动模范 of
their level (one in seven of the county-level ones); about one more honour per 500 members:
五一劳动奖章, 文明职工, 十佳职工, 优秀工会积极分子 (persons) and 工人先锋号, 文明班组,
女职工示范单位, 先进职工之家 (collectives), granted around 五一 or in January,
by the body of their level.

Remittances: each quarter of the window, the township union remits 40% of the dues its
employers owe (2% of payroll) to the county federation, mostly in full within a month.
"""

import datetime
import random
from collections.abc import Iterator
from decimal import Decimal

from honours.models import HonourLevel, RecipientType
from members.models import GrassrootsUnion, MilestoneKind, ModelWorkerLevel, StarRating
from portal.demo.helpers import Row, _add_years, _day, _rng, _TownshipPlan, _yuan
from portal.demo.scales import DemoScale

_STATUS = (
    ("standardised", MilestoneKind.STANDARDISED),
    ("has_congress", MilestoneKind.CONGRESS_SYSTEM),
    ("has_affairs_openness", MilestoneKind.OPENNESS),
    ("has_women_committee", MilestoneKind.WOMEN_COMMITTEE),
)
_LOWER = {StarRating.TWO: StarRating.ONE, StarRating.THREE: StarRating.TWO}
_CONGRESS_NOTES = (
    "审议通过工资集体协议",
    "审议通过年度工作报告和经费收支情况",
    "审议通过职工福利费使用方案",
    "审议通过安全生产责任制",
    "选举产生职工代表",
)
# One union's workers are represented by about one delegate in ten (no fewer than 5).
WORKERS_PER_DELEGATE = 10
MEMBERS_PER_HONOUR = 500
REMITTED_SHARE = Decimal("0.40")  # of the dues owed (2% of payroll), remitted upward


def _mark_day(
    rng: random.Random, founded: datetime.date, scale: DemoScale, *, recent: float = 0.14
) -> datetime.date:
    """When a union gained a mark: usually before the window, sometimes within it."""
    last = scale.end - datetime.timedelta(days=30)
    if founded >= scale.start or rng.random() < recent:
        return _day(rng, max(founded, scale.start), last)
    return _day(rng, founded, scale.start - datetime.timedelta(days=1))


def build_milestones(
    *, plan: _TownshipPlan, scale: DemoScale, seed: int, milestone_ids: Iterator[int]
) -> list[Row]:
    """Milestones implying each union's marks, elections, congresses, 撤销 and one 重建."""
    rng = _rng(seed, plan.spec.code, "milestones")
    stamp = plan.stamp()
    workers: dict[int, int] = {}
    for employer in plan.employer_rows:
        if employer.union_id is not None:
            workers[employer.union_id] = workers.get(employer.union_id, 0) + employer.employees
    rows: list[Row] = []

    def add(union: GrassrootsUnion, kind: str, day: datetime.date, **fields) -> None:
        rows.append(
            {
                "id": next(milestone_ids),
                **stamp,
                "union_id": union.pk,
                "kind": kind,
                "happened_on": day,
                "level": fields.get("level", ""),
                "chair_name": fields.get("chair_name", ""),
                "chair_is_migrant": fields.get("chair_is_migrant", False),
                "delegates": fields.get("delegates"),
                "note": fields.get("note", ""),
            }
        )

    refound = next(
        (
            u
            for u in rng.sample(plan.union_rows, len(plan.union_rows))
            if u.dissolved_on is None and u.founded_on < _add_years(scale.start, -3)
        ),
        None,
    )
    for union in plan.union_rows:
        founded, end = union.founded_on, union.dissolved_on or scale.end
        congress_on = None
        for flag, kind in _STATUS:
            if getattr(union, flag):
                day = _mark_day(rng, founded, scale)
                if kind == MilestoneKind.OPENNESS and congress_on:
                    day = max(day, congress_on)  # 厂务公开 goes with the congress
                if kind == MilestoneKind.CONGRESS_SYSTEM:
                    congress_on = day
                add(union, kind, min(day, end))
        if union.star != StarRating.NONE:
            day = min(_mark_day(rng, founded, scale, recent=0.2), end)
            lower = _LOWER.get(union.star)
            earlier = _add_years(day, -rng.choice((2, 3)))
            if lower and earlier > founded and rng.random() < 0.4:
                add(union, MilestoneKind.STAR, earlier, level=lower)
            add(union, MilestoneKind.STAR, day, level=union.star)
        if union.chair_name:
            # The latest 换届 (five-year terms), electing the union's chair of today.
            low = max(founded, _add_years(end, -5))
            add(
                union,
                MilestoneKind.ELECTION,
                _day(rng, low, end - datetime.timedelta(days=20)),
                chair_name=union.chair_name,
                chair_is_migrant=union.chair_is_migrant,
                note="选举产生新一届工会委员会",
            )
        if congress_on is not None:
            delegates = max(5, min(150, workers.get(union.pk, 0) // WORKERS_PER_DELEGATE))
            for year in scale.years:
                spring = datetime.date(year, rng.randint(2, 4), rng.randint(1, 28))
                if congress_on < spring <= end and rng.random() < 0.15:
                    add(
                        union,
                        MilestoneKind.CONGRESS_HELD,
                        spring,
                        delegates=delegates,
                        note=rng.choice(_CONGRESS_NOTES),
                    )
        if union.star == StarRating.THREE and rng.random() < 0.3:
            # 模范职工之家: named among the best-run three-star unions.
            add(
                union,
                MilestoneKind.MODEL_HOME,
                min(_mark_day(rng, founded, scale, recent=0.25), end),
                level=rng.choice(("county", "county", "city")),
            )
        if union.dissolved_on is not None:
            add(union, MilestoneKind.DISSOLVED, union.dissolved_on, note="企业关停，工会撤销")
        if union is refound:
            gone = _day(rng, max(founded, _add_years(scale.start, -2)), _add_years(scale.start, -1))
            add(union, MilestoneKind.DISSOLVED, gone, note="企业停产，工会撤销")
            back = _day(rng, scale.start, scale.end - datetime.timedelta(days=60))
            add(union, MilestoneKind.REFOUNDED, back, note="企业恢复生产，依法重建工会")
    # Milestones are dated no earlier than the union's founding (a CheckConstraint in spirit:
    # the model's clean() refuses it) and kept unique per union, 事项 and day.
    seen: set[tuple] = set()
    unique = []
    for row in rows:
        key = (row["union_id"], row["kind"], row["happened_on"])
        if key not in seen:
            seen.add(key)
            unique.append(row)
    return unique


_PERSON_TITLES = (
    ("五一劳动奖章", 12, (HonourLevel.CITY, HonourLevel.PROVINCE)),
    ("文明职工", 30, (HonourLevel.TOWNSHIP, HonourLevel.COUNTY)),
    ("十佳职工", 22, (HonourLevel.TOWNSHIP, HonourLevel.COUNTY)),
    ("优秀工会积极分子", 24, (HonourLevel.TOWNSHIP, HonourLevel.COUNTY, HonourLevel.CITY)),
)
_COLLECTIVE_TITLES = (
    ("工人先锋号", 30, (HonourLevel.COUNTY, HonourLevel.CITY, HonourLevel.PROVINCE)),
    ("文明班组", 35, (HonourLevel.TOWNSHIP, HonourLevel.COUNTY)),
    ("女职工示范单位", 15, (HonourLevel.COUNTY, HonourLevel.CITY)),
    ("先进职工之家", 20, (HonourLevel.TOWNSHIP, HonourLevel.COUNTY)),
)
_TEAMS = ("装配车间", "质检班组", "机加工车间", "销售部", "仓储物流组", "研发中心", "生产一线班组")
_LEVEL_OF_MODEL = {
    ModelWorkerLevel.COUNTY: HonourLevel.COUNTY,
    ModelWorkerLevel.CITY: HonourLevel.CITY,
    ModelWorkerLevel.PROVINCE: HonourLevel.PROVINCE,
    ModelWorkerLevel.NATIONAL: HonourLevel.NATIONAL,
}


def _granted_by(plan: _TownshipPlan, scale: DemoScale, level: str, title: str) -> str:
    if title == "五一劳动奖章":
        return {HonourLevel.PROVINCE: "浙江省总工会"}.get(level, "宁波市总工会")
    if title == "劳动模范":
        return {
            HonourLevel.COUNTY: f"{scale.county}人民政府",
            HonourLevel.CITY: "宁波市人民政府",
            HonourLevel.PROVINCE: "浙江省人民政府",
            HonourLevel.NATIONAL: "中共中央、国务院",
        }[level]
    return {
        HonourLevel.TOWNSHIP: plan.township.union_name,
        HonourLevel.COUNTY: f"{scale.county}总工会",
        HonourLevel.CITY: "宁波市总工会",
        HonourLevel.PROVINCE: "浙江省总工会",
        HonourLevel.NATIONAL: "中华全国总工会",
    }[level]


def _granted_on(rng: random.Random, scale: DemoScale, title: str) -> datetime.date | None:
    """Around 五一 for the 劳模 and 奖章 titles, else in January for the year before; within the
    window mostly, None when the chosen day falls after it."""
    year = rng.choice(scale.years)
    if title in ("劳动模范", "五一劳动奖章", "工人先锋号"):
        day = datetime.date(year, 4, rng.randint(20, 30))
    else:
        day = datetime.date(year, 1, rng.randint(8, 28))
    return day if scale.start <= day <= scale.end else None


def build_honours(*, plan: _TownshipPlan, scale: DemoScale, seed: int, honour_ids) -> list[Row]:
    rng = _rng(seed, plan.spec.code, "honours")
    stamp = plan.stamp()
    employers = {e.pk: e for e in plan.employer_rows}
    rows: list[Row] = []
    taken: set[tuple] = set()

    def add(recipient: str, kind: str, title: str, level: str, day, **fields) -> None:
        key = (recipient, title, day)
        if day is None or key in taken:
            return
        taken.add(key)
        rows.append(
            {
                "id": next(honour_ids),
                **stamp,
                "recipient": recipient,
                "recipient_type": kind,
                "id_number": fields.get("id_number", ""),
                "member_id": fields.get("member_id"),
                "title": title,
                "level": level,
                "granted_by": _granted_by(plan, scale, level, title),
                "granted_on": day,
                "workplace": fields.get("workplace", ""),
            }
        )

    refs = plan.member_refs
    for ref in refs:  # the members marked 劳模 hold the title of their level
        # Every city, provincial and national 劳模; of the many county-level ones, those named
        # by the county's recent rounds (about one in seven).
        if ref.model_worker in _LEVEL_OF_MODEL and (
            ref.model_worker != ModelWorkerLevel.COUNTY or rng.random() < 0.15
        ):
            workplace = employers[ref.employer_id].name if ref.employer_id in employers else ""
            day = _granted_on(rng, scale, "劳动模范") if rng.random() < 0.3 else None
            if day is None:  # named before the window: on file, not in this window's figures
                day = datetime.date(rng.choice((2015, 2018, 2020, 2023)), 4, 28)
            add(
                ref.name,
                RecipientType.PERSON,
                "劳动模范",
                _LEVEL_OF_MODEL[ref.model_worker],
                day,
                id_number=ref.id_number,
                member_id=ref.id,
                workplace=workplace,
            )
    target = max(3, plan.members // MEMBERS_PER_HONOUR)
    titled = [e for e in plan.employer_rows if e.union_id is not None]
    for _ in range(target):
        if rng.random() < 0.75 and refs:
            title, _w, levels = rng.choices(_PERSON_TITLES, [t[1] for t in _PERSON_TITLES])[0]
            ref = rng.choice(refs)
            workplace = employers[ref.employer_id].name if ref.employer_id in employers else ""
            add(
                ref.name,
                RecipientType.PERSON,
                title,
                rng.choice(levels),
                _granted_on(rng, scale, title),
                id_number=ref.id_number,
                member_id=ref.id,
                workplace=workplace,
            )
        elif titled:
            title, _w, levels = rng.choices(_COLLECTIVE_TITLES, [t[1] for t in _COLLECTIVE_TITLES])[
                0
            ]
            employer = rng.choice(titled)
            team = employer.name if title != "工人先锋号" else employer.name + rng.choice(_TEAMS)
            add(
                team,
                RecipientType.COLLECTIVE,
                title,
                rng.choice(levels),
                _granted_on(rng, scale, title),
                workplace=employer.name,
            )
    return rows


def build_remittances(
    *, plan: _TownshipPlan, scale: DemoScale, seed: int, remittance_ids
) -> list[Row]:
    """One row per quarter of the window that has ended: 40% of 2% of the covered payroll."""
    rng = _rng(seed, plan.spec.code, "remittances")
    payroll = sum(
        e.employees * plan.wages.get(e.pk, 4500)
        for e in plan.employer_rows
        if e.union_id is not None
    )
    rows: list[Row] = []
    for year in scale.years:
        for quarter in range(1, 5):
            start = datetime.date(year, 3 * quarter - 2, 1)
            last = (
                datetime.date(year + 1, 1, 1)
                if quarter == 4
                else datetime.date(year, 3 * quarter + 1, 1)
            ) - datetime.timedelta(days=1)
            if start < scale.start or last > scale.end:
                continue
            growth = Decimal(str(1.04 ** (year - scale.start.year)))
            due = _yuan(float(Decimal(payroll * 3) * Decimal("0.02") * REMITTED_SHARE * growth))
            share = Decimal("1") if rng.random() < 0.8 else Decimal(str(rng.uniform(0.85, 0.98)))
            paid_on = last + datetime.timedelta(days=rng.randint(10, 30))
            rows.append(
                {
                    "id": next(remittance_ids),
                    **plan.stamp(),
                    "period": f"{year}Q{quarter}",
                    "period_start": start,
                    "period_end": last,
                    "amount_due": due,
                    "amount_paid": (due * share).quantize(Decimal("0.01")),
                    "paid_on": paid_on if paid_on <= scale.end else None,
                }
            )
    return rows
