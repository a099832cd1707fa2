"""Demo hardship register (困难职工档案) and medical mutual aid (职工医疗互助), per township.

About one member in a hundred is on the register (the county scale: about 3,000 files); most
files are households the demo's 送温暖 visits already go to, so 困难职工走访覆盖率 reads as a
county reader expects (most households on file visited at Spring Festival, not all). Reviews
are mostly within the last 12 months, some overdue; a fifth of the files have left hardship
with a reason, and a few of those households were filed again later. About a third of the
unions run mutual aid, one row per year they exist, enrolling 80–98 % of their workers.
"""

import datetime
import math
import random
from collections.abc import Iterator
from decimal import Decimal

from portal.demo.helpers import IdNumbers, Row, _day, _person_name, _rng, _TownshipPlan
from portal.demo.scales import DemoScale
from portal.demo.words import LOCAL_REGIONS
from welfare.models import (
    BeneficiaryType,
    ExitReason,
    HardshipCategory,
    HardshipCause,
    HardshipReview,
    WelfareVisit,
    review_cutoff,
)

# One file per this many members.
MEMBERS_PER_FILE = 100
CATEGORY_WEIGHTS = {
    HardshipCategory.DEEP: 25,
    HardshipCategory.RELATIVE: 60,
    HardshipCategory.ACCIDENT: 15,
}
CAUSE_WEIGHTS = {
    HardshipCause.ILLNESS: 26,
    HardshipCause.FAMILY_ILLNESS: 30,
    HardshipCause.SCHOOLING: 22,
    HardshipCause.DISABILITY: 8,
    HardshipCause.SINGLE_PARENT: 9,
    HardshipCause.UNEMPLOYED: 7,
    HardshipCause.INJURY: 5,
    HardshipCause.DISASTER: 3,
    HardshipCause.LOW_INCOME: 18,
    HardshipCause.OTHER: 2,
}
EXIT_WEIGHTS = {
    ExitReason.EMPLOYMENT: 40,
    ExitReason.ASSISTANCE: 30,
    ExitReason.POLICY: 22,
    ExitReason.OTHER: 8,
}
NOTES = {
    HardshipCause.ILLNESS: ("本人患尿毒症，长期透析", "本人癌症术后化疗", "本人脑梗后遗症"),
    HardshipCause.FAMILY_ILLNESS: ("配偶患白血病", "子女先天性心脏病", "父母长期卧床"),
    HardshipCause.SCHOOLING: ("两个子女在读大学", "子女就读高职", "子女在读高中"),
    HardshipCause.DISABILITY: ("本人肢体残疾", "配偶智力残疾"),
    HardshipCause.SINGLE_PARENT: ("单亲抚养两个孩子", "丧偶，独自抚养子女"),
    HardshipCause.INJURY: ("工伤致残，停工留薪期满",),
    HardshipCause.DISASTER: ("台风致房屋受损",),
}
# A visit of these types goes to a household in hardship.
HARDSHIP_VISITS = (BeneficiaryType.EXTREME_HARDSHIP, BeneficiaryType.HARDSHIP)


def _pick(rng: random.Random, weights: dict) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _causes(rng: random.Random, category: str) -> str:
    wanted = {_pick(rng, CAUSE_WEIGHTS) for _ in range(rng.choice((1, 2, 2, 3)))}
    if category == HardshipCategory.ACCIDENT:
        wanted.add(
            rng.choice((HardshipCause.INJURY, HardshipCause.DISASTER, HardshipCause.ILLNESS))
        )
    return ",".join(c for c in HardshipCause.values if c in wanted)


def visited_members(plan: _TownshipPlan, since: datetime.date) -> list[int]:
    """Members the township's hardship visits went to since `since`, most recent first (one
    query, after the visits are written)."""
    rows = (
        WelfareVisit.objects.filter(
            township=plan.township,
            beneficiary_type__in=HARDSHIP_VISITS,
            member__isnull=False,
            visited_on__gte=since,
        )
        .order_by("-visited_on", "-id")
        .values_list("member_id", flat=True)
    )
    return list(dict.fromkeys(rows))


def build_hardship_files(
    *,
    plan: _TownshipPlan,
    scale: DemoScale,
    seed: int,
    file_ids: Iterator[int],
    id_numbers: IdNumbers,
) -> list[Row]:
    """The township's register: rows for welfare_hardshipfile, keyed by attname."""
    rng = _rng(seed, plan.spec.code, "hardship")
    end = scale.end
    wanted = max(5, round(plan.members / MEMBERS_PER_FILE))
    refs = {r.id: r for r in plan.member_refs}
    union_of = {e.pk: e.union_id for e in plan.employer_rows}
    # Three in four files are households the visits go to; the rest other members and a few
    # workers who are not members.
    visited = [refs[m] for m in visited_members(plan, review_cutoff(end)) if m in refs]
    from_visits = visited[: round(wanted * 0.75)]
    taken = {r.id for r in from_visits}
    others = [r for r in plan.member_refs if r.id not in taken]
    people: list[tuple] = [(r.name, r.id_number, r.id, r.employer_id) for r in from_visits]
    for ref in rng.sample(others, min(len(others), round((wanted - len(people)) * 0.8))):
        people.append((ref.name, ref.id_number, ref.id, ref.employer_id))
    while len(people) < wanted:
        male = rng.random() < 0.55
        birth = _day(rng, datetime.date(1966, 1, 1), datetime.date(1996, 12, 31))
        number = id_numbers.make(rng, region=rng.choice(LOCAL_REGIONS), birth=birth, male=male)
        people.append((_person_name(rng, male), number, None, None))
    stamp = plan.stamp()
    rows: list[Row] = []

    def file_row(person: tuple, filed: datetime.date, category: str) -> Row:
        name, number, member_id, employer_id = person
        causes = _causes(rng, category)
        first = causes.split(",")[0]
        size = rng.choice((2, 3, 3, 3, 4, 4, 5))
        income = (
            rng.uniform(350, 800) if category == HardshipCategory.DEEP else rng.uniform(600, 1500)
        )
        return {
            "id": next(file_ids),
            **stamp,
            "name": name,
            "id_number": number,
            "member_id": member_id,
            "employer_id": employer_id,
            "union_id": union_of.get(employer_id),
            "category": category,
            "causes": causes,
            "household_size": size,
            "income_per_head": Decimal(round(income)),
            "filed_on": filed,
            "reviewed_on": None,
            "out_on": None,
            "out_reason": "",
            "reported_on": filed + datetime.timedelta(days=rng.randint(5, 30))
            if rng.random() < 0.9
            else None,
            "note": rng.choice(NOTES.get(first, ("",))),
        }

    def review(row: Row, until: datetime.date) -> None:
        """The latest annual review (年度复核, held January to April) before `until`: the last
        season's for most files, the season before for one in ten (overdue); none for a file
        filed after the last season began."""
        filed = row["filed_on"]
        season = until.year if until >= datetime.date(until.year, 1, 5) else until.year - 1
        if rng.random() < 0.1:
            season -= 1
        start = datetime.date(season, 1, 5)
        last = min(datetime.date(season, 4, 30), until)
        if filed < start:
            row["reviewed_on"] = _day(rng, start, last)

    for person in people:
        category = _pick(rng, CATEGORY_WEIGHTS)
        filed = _day(
            rng, datetime.date(scale.start.year - 4, 1, 1), end - datetime.timedelta(days=30)
        )
        row = file_row(person, filed, category)
        # Households not visited lately are the ones more likely out of hardship.
        leaves = rng.random() < (0.12 if person[2] in taken else 0.3)
        if leaves and (end - filed).days > 240:
            out = _day(rng, filed + datetime.timedelta(days=180), end)
            row["out_on"], row["out_reason"] = out, _pick(rng, EXIT_WEIGHTS)
            review(row, out)
            rows.append(row)
            # A few fall back into hardship and are filed again (a new file for the same ID).
            if rng.random() < 0.08 and (end - out).days > 240:
                again = file_row(
                    person, _day(rng, out + datetime.timedelta(days=120), end), category
                )
                again["category"] = HardshipCategory.ACCIDENT
                review(again, end)
                rows.append(again)
            continue
        review(row, end)
        rows.append(row)
    return rows


def build_mutual_aid(
    *, plan: _TownshipPlan, scale: DemoScale, seed: int, aid_ids: Iterator[int]
) -> list[Row]:
    """One row per year for about a third of the unions (those with workers), enrolling 80–98 %
    of the workers of their employers; payouts to a few in a hundred enrolled."""
    rng = _rng(seed, plan.spec.code, "mutual-aid")
    workers: dict[int, int] = {}
    for employer in plan.employer_rows:
        if employer.union_id is not None:
            workers[employer.union_id] = workers.get(employer.union_id, 0) + employer.employees
    stamp = plan.stamp()
    rows: list[Row] = []
    for union in plan.union_rows:
        base = workers.get(union.pk, 0)
        if base < 10 or rng.random() > 0.34:
            continue
        premium = rng.choice((50, 60, 80, 100))
        share = rng.uniform(0.8, 0.98)
        for year in scale.years:
            founded, dissolved = union.founded_on, union.dissolved_on
            if founded.year > year or (dissolved is not None and dissolved.year <= year):
                continue
            staff = max(10, round(base * rng.uniform(0.95, 1.05)))
            # 80–98 % of the workers, whole people: small unions round inside the range too.
            wished = round(staff * (share + rng.uniform(-0.02, 0.02)))
            enrolled = max(math.ceil(staff * 0.8), min(math.floor(staff * 0.98), wished))
            payouts = round(enrolled * rng.uniform(0.02, 0.06))
            rows.append(
                {
                    "id": next(aid_ids),
                    **stamp,
                    "union_id": union.pk,
                    "year": year,
                    "workers": staff,
                    "enrolled": enrolled,
                    "premiums": Decimal(enrolled * premium),
                    "payouts": payouts,
                    "paid_out": Decimal(round(payouts * rng.uniform(1500, 6000))),
                }
            )
    return rows


def build_hardship_reviews(*, files: list[Row], seed: int) -> list[HardshipReview]:
    """The review history behind each file's 复核日期: one review in each January–April season
    from the first after its filing to its latest, so 复核逾期 of a past day reads as it did
    then (the one-in-ten late files skipped that one season)."""
    rng = _rng(seed, "hardship-reviews")
    reviews = []
    for row in files:
        latest = row["reviewed_on"]
        if latest is None:
            continue
        for season in range(row["filed_on"].year + 1, latest.year):
            day = _day(rng, datetime.date(season, 1, 5), datetime.date(season, 4, 30))
            if day > row["filed_on"]:
                reviews.append(HardshipReview(file_id=row["id"], reviewed_on=day))
        reviews.append(HardshipReview(file_id=row["id"], reviewed_on=latest))
    return reviews
