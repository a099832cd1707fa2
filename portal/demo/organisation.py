"""Demo organisation and membership: unions, employers, members, contracts and dues."""

import datetime
import itertools
import random
from collections.abc import Iterator
from decimal import Decimal

from members.models import (
    CollectiveContract,
    ContractKind,
    EconomicType,
    Employer,
    GrassrootsUnion,
    ModelWorkerLevel,
    StarRating,
    UnionKind,
)
from portal.demo.helpers import (
    IdNumbers,
    Row,
    _add_years,
    _apportion,
    _credit_code,
    _day,
    _MemberRef,
    _person_name,
    _rng,
    _TownshipPlan,
    _yuan,
)
from portal.demo.scales import DemoScale, TownshipSpec
from portal.demo.words import (
    _EDUCATION_WEIGHTS,
    BRANDS,
    EDUCATIONS,
    INDUSTRIES,
    JOINT_AREAS,
    LOCAL_REGIONS,
    MIGRANT_REGIONS,
    MINORITIES,
    MOBILE_PREFIXES,
    PUBLIC_BODIES,
    STATE_FIRMS,
    VILLAGE_FIRST,
    VILLAGE_SECOND,
)
from unionportal.periods import parse_period

# ---------------------------------------------------------------------------------------------
# Organisation: grassroots unions and employers


def _villages(rng: random.Random, count: int) -> list[str]:
    names: list[str] = []
    while len(names) < count:
        name = rng.choice(VILLAGE_FIRST) + rng.choice(VILLAGE_SECOND)
        if name[0] != name[1] and name not in names:
            names.append(name)
    return names


def _enterprise_name(rng: random.Random, spec: TownshipSpec, taken: set[str]) -> str:
    while True:
        place = rng.choices(("宁波", "浙江", "慈溪", spec.short, ""), weights=(4, 2, 3, 3, 1))[0]
        brand, trade = rng.choice(BRANDS), rng.choice(INDUSTRIES)
        roll = rng.random()
        if roll < 0.78:
            name = f"{place}{brand}{trade}有限公司"
        elif roll < 0.86:
            name = f"{place or '宁波'}{brand}{trade}股份有限公司"
        elif roll < 0.93:
            name = f"{spec.name}{brand}{trade}厂"
        else:
            name = f"{place or '浙江'}{brand}集团有限公司"
        if name not in taken:
            taken.add(name)
            return name


def _build_organisation(
    *,
    plan: _TownshipPlan,
    scale: DemoScale,
    seed: int,
    union_ids: Iterator[int],
    employer_ids: Iterator[int],
    credit_codes: set[str],
) -> None:
    """Grassroots unions of every kind and the employers they cover, kept on `plan`."""
    rng = _rng(seed, plan.spec.code, "organisation")
    spec, stamp = plan.spec, plan.stamp()
    n_public = min(len(PUBLIC_BODIES), max(1, round(plan.unions * 0.08)))
    n_village = max(1, round(plan.unions * 0.15))
    n_joint = max(1, round(plan.unions * 0.12))
    n_enterprise = plan.unions - n_public - n_village - n_joint
    n_firms = plan.employers - n_public - n_village
    if n_enterprise < 1 or n_firms < n_enterprise + n_joint:
        raise ValueError("单位数太少，不足以覆盖各类基层工会。")
    plan.villages = _villages(rng, n_village + 4)

    # Employers first (without unions): firms by size class, then public bodies and villages.
    names: set[str] = set()
    drafts: list[dict] = []  # name, raw size, economic type, credit head, wage, group
    for i in range(n_firms):
        if i < min(len(STATE_FIRMS), max(1, n_firms // 30)):
            name, etype, head = STATE_FIRMS[i].format(short=spec.short), EconomicType.STATE, "91"
            names.add(name)
        else:
            name = _enterprise_name(rng, spec, names)
            etype = rng.choices(
                (EconomicType.PRIVATE, EconomicType.FOREIGN, EconomicType.HMT, EconomicType.OTHER),
                weights=(82, 8, 6, 4),
            )[0]
            head = "91" if etype != EconomicType.OTHER else "92"
        low, high, _ = rng.choices(scale.firm_sizes, [w for *_, w in scale.firm_sizes])[0]
        drafts.append(
            {
                "name": name,
                "raw": rng.randint(low, high),
                "type": etype,
                "head": head,
                "wage": rng.randint(5200, 9000),
                "group": "firm",
            }
        )
    for suffix, _ in PUBLIC_BODIES[:n_public]:
        drafts.append(
            {
                "name": f"{spec.name}{suffix}",
                "raw": rng.randint(30, 160),
                "type": EconomicType.PUBLIC,
                "head": "11" if suffix.endswith(("政府", "办公室")) else "12",
                "wage": rng.randint(8500, 12000),
                "group": "public",
            }
        )
    for village in plan.villages[:n_village]:
        drafts.append(
            {
                "name": f"{village}村股份经济合作社",
                "raw": rng.randint(8, 40),
                "type": EconomicType.COLLECTIVE,
                "head": "N1",
                "wage": rng.randint(4200, 6000),
                "group": "village",
            }
        )

    # Which firms have their own union, which join a joint union, which have none: larger firms
    # tend to have their own.
    firms = [d for d in drafts if d["group"] == "firm"]
    by_size = sorted(firms, key=lambda d: d["raw"] * rng.uniform(0.7, 1.3), reverse=True)
    own = by_size[:n_enterprise]
    rest = sorted(by_size[n_enterprise:], key=lambda d: d["raw"])
    joined = rest[: max(n_joint, round(len(rest) * 0.55))]
    for d in own:
        d["cover"] = "own"
    for d in joined:
        d["cover"] = "joint"
    for d in drafts:
        d.setdefault("cover", "none" if d["group"] == "firm" else d["group"])

    # Scale the sizes so that members fill covered employers at a plausible 入会率 (~88%).
    covered_raw = sum(d["raw"] for d in drafts if d["cover"] != "none")
    factor = plan.members * 0.94 / 0.88 / covered_raw
    for d in drafts:
        d["employees"] = max(3, round(d["raw"] * factor * rng.uniform(0.9, 1.1)))

    # Unions.
    start, end = scale.start, scale.end

    def founded(kind: str) -> datetime.date:
        if rng.random() < 0.08:  # 新建工会 within the data window
            return _day(rng, start, end - datetime.timedelta(days=60))
        low = datetime.date(1995 if kind == UnionKind.PUBLIC else 2003, 1, 1)
        return _day(rng, low, start - datetime.timedelta(days=1))

    def union(name: str, kind: str, employees: int) -> GrassrootsUnion:
        standardised = rng.random() < (0.8 if kind == UnionKind.PUBLIC else 0.45)
        star = StarRating.NONE
        if standardised:
            star = rng.choices(
                (StarRating.NONE, StarRating.ONE, StarRating.TWO, StarRating.THREE),
                (30, 35, 25, 10),
            )[0]
        big = employees >= 100 or kind == UnionKind.PUBLIC
        founded_on = founded(kind)
        dissolved_on = None
        if kind in (UnionKind.ENTERPRISE, UnionKind.JOINT) and rng.random() < 0.04:
            low = max(start, founded_on + datetime.timedelta(days=200))
            if low < end - datetime.timedelta(days=30):
                dissolved_on = _day(rng, low, end - datetime.timedelta(days=30))
        congress = rng.random() < (0.9 if big else 0.5)
        migrant_chair = kind in (UnionKind.ENTERPRISE, UnionKind.JOINT) and rng.random() < 0.1
        return GrassrootsUnion(
            id=next(union_ids),
            name=name,
            kind=kind,
            founded_on=founded_on,
            chair_name=_person_name(rng, rng.random() < 0.65),
            chair_is_migrant=migrant_chair,
            standardised=standardised,
            star=star,
            has_congress=congress,
            has_affairs_openness=congress and rng.random() < 0.9,
            has_women_committee=rng.random() < (0.7 if big else 0.4),
            dissolved_on=dissolved_on,
            **stamp,
        )

    union_of: dict[str, GrassrootsUnion] = {}
    for d in drafts:
        if d["cover"] == "own":
            union_of[d["name"]] = union(f"{d['name']}工会", UnionKind.ENTERPRISE, d["employees"])
        elif d["cover"] == "public":
            suffix = d["name"][len(spec.name) :]
            label = dict(PUBLIC_BODIES)[suffix]
            union_of[d["name"]] = union(f"{spec.name}{label}", UnionKind.PUBLIC, d["employees"])
        elif d["cover"] == "village":
            union_of[d["name"]] = union(
                f"{d['name'].removesuffix('股份经济合作社')}工会", UnionKind.VILLAGE, d["employees"]
            )
    areas = list(JOINT_AREAS) + [f"{v}村" for v in plan.villages[n_village:]]
    joint_unions = [
        union(f"{spec.name}{area}联合工会", UnionKind.JOINT, 100)
        for area in rng.sample(areas, n_joint)
    ]
    for i, d in enumerate(joined):
        union_of[d["name"]] = joint_unions[i % n_joint]
    plan.union_rows = sorted({u.pk: u for u in union_of.values()}.values(), key=lambda u: u.pk)

    for d in drafts:
        employees = d["employees"]
        u = union_of.get(d["name"])
        migrant_share = 0.0 if d["group"] == "public" else rng.uniform(0.05, 0.7)
        if d["group"] == "village":
            migrant_share = rng.uniform(0.0, 0.1)
        should = employees >= 25
        if rng.random() < 0.05:
            should = not should  # 应建会 as stated by the office, not always the default
        if u is not None:
            should = should or rng.random() < 0.5
        employer = Employer(
            id=next(employer_ids),
            name=d["name"],
            credit_code="" if rng.random() < 0.03 else _credit_code(rng, d["head"], credit_codes),
            economic_type=d["type"],
            employees=employees,
            migrant_employees=round(employees * migrant_share),
            should_unionise=should,
            union_id=u.pk if u else None,
            **stamp,
        )
        plan.employer_rows.append(employer)
        plan.wages[employer.pk] = d["wage"]


# ---------------------------------------------------------------------------------------------
# Members


def _build_members(
    *,
    plan: _TownshipPlan,
    scale: DemoScale,
    seed: int,
    member_ids: Iterator[int],
    id_numbers: IdNumbers,
) -> list[Row]:
    """Members of the covered employers: valid resident IDs, ~88% of employees, some who left.

    Rows are dicts for `_TableWriter`; choice values are plain strings for the database driver.
    """
    rng = _rng(seed, plan.spec.code, "members")
    stamp = plan.stamp()
    unions = plan.union_by_id()
    covered = [e for e in plan.employer_rows if e.union_id is not None]
    weights = [e.employees * rng.uniform(0.8, 1.0) for e in covered]
    shares = _apportion(plan.members, weights)
    start, end = scale.start, scale.end
    start_ord, end_ord = start.toordinal(), end.toordinal()
    recruit_end = end - datetime.timedelta(days=10)
    born_low = datetime.date(1965, 1, 1).toordinal()
    born_high = datetime.date(2004, 12, 31).toordinal()
    card_seq = itertools.count(1)
    rows: list[Row] = []
    refs = plan.member_refs
    levels = {level: level.value for level in ModelWorkerLevel}
    choice, rand, randint = rng.choice, rng.random, rng.randint
    for employer, count in zip(covered, shares, strict=True):
        u = unions[employer.union_id]
        migrant_share = employer.migrant_employees / employer.employees
        union_end = u.dissolved_on or end
        for _ in range(count):
            migrant = rand() < migrant_share
            male = rand() < 0.56
            birth = datetime.date.fromordinal(
                max(randint(born_low, born_high), randint(born_low, born_high))
                if rand() < 0.5
                else randint(born_low, born_high)
            )
            region = choice(MIGRANT_REGIONS if migrant else LOCAL_REGIONS)
            id_number = id_numbers.make(rng, region=region, birth=birth, male=male)
            adult = _add_years(birth, 18)
            low = max(u.founded_on, adult).toordinal()
            # Most joined before the window; about one in eight is a 新发展会员 within it.
            if low < start_ord and rand() < 0.87:
                joined = datetime.date.fromordinal(randint(low, start_ord - 1))
            else:
                joined = datetime.date.fromordinal(
                    randint(max(low, start_ord), max(low, recruit_end.toordinal()))
                )
            if joined > union_end:
                joined = u.founded_on if u.founded_on > adult else adult
                joined = min(joined, union_end)
            left = None
            if u.dissolved_on is not None:
                left = u.dissolved_on
            elif rand() < 0.06:
                left_low = max(joined.toordinal() + 30, start_ord)
                if left_low < end_ord:
                    left = datetime.date.fromordinal(randint(left_low, end_ord))
            roll = rand()
            level = levels[ModelWorkerLevel.NONE]
            if roll < 0.012:
                level = levels[
                    ModelWorkerLevel.NATIONAL
                    if roll < 0.0002
                    else ModelWorkerLevel.PROVINCE
                    if roll < 0.0012
                    else ModelWorkerLevel.CITY
                    if roll < 0.004
                    else ModelWorkerLevel.COUNTY
                ]
            ethnicity = "汉族"
            if migrant and rand() < 0.08:
                ethnicity = choice(MINORITIES)
            elif rand() < 0.05:
                ethnicity = ""
            name = _person_name(rng, male)
            member_id = next(member_ids)
            rows.append(
                {
                    "id": member_id,
                    "name": name,
                    "id_number": id_number,
                    "gender": "M" if male else "F",
                    "birth_date": birth,
                    "union_id": u.pk,
                    "employer_id": employer.pk,
                    "joined_on": joined,
                    "mobile": ""
                    if rand() < 0.07
                    else f"{choice(MOBILE_PREFIXES)}{rng.randrange(10**8):08d}",
                    "ethnicity": ethnicity,
                    "education": ""
                    if rand() < 0.05
                    else rng.choices(EDUCATIONS, cum_weights=_EDUCATION_WEIGHTS)[0],
                    "is_migrant": migrant,
                    "model_worker": level,
                    "left_on": left,
                    # Drawn without the generator, so the demo's other values stay as they were.
                    "left_reason": "" if left is None else "离职",
                    "card_number": ""
                    if rand() < 0.1
                    else f"{plan.spec.prefix}{joined.year}{next(card_seq):06d}",
                    **stamp,
                }
            )
            if left is None:
                refs.append(_MemberRef(member_id, name, id_number, male, level, employer.pk))
    return rows


# ---------------------------------------------------------------------------------------------
# Collective contracts and dues


def _build_contracts(
    *, plan: _TownshipPlan, scale: DemoScale, seed: int, contract_ids: Iterator[int]
) -> list[CollectiveContract]:
    """Contracts of all four kinds, three-year terms, renewed when they run out."""
    rng = _rng(seed, plan.spec.code, "contracts")
    stamp = plan.stamp()
    unions = plan.union_by_id()
    rows: list[CollectiveContract] = []
    kinds = (
        (ContractKind.GENERAL, 0.85),
        (ContractKind.WAGE, 0.7),
        (ContractKind.WOMEN, 0.4),
        (ContractKind.SAFETY, 0.3),
    )

    def chain(party: str, employer_id, union_id, kind, covered: int, founded_on, dissolved_on):
        first = _day(rng, _add_years(scale.start, -3), scale.start - datetime.timedelta(days=1))
        if first < founded_on:
            first = founded_on + datetime.timedelta(days=rng.randint(20, 150))
        signed, renewal = first, (first >= _add_years(founded_on, 3) and rng.random() < 0.6)
        last = min(scale.end, dissolved_on or scale.end)
        while signed <= last:
            rows.append(
                CollectiveContract(
                    id=next(contract_ids),
                    party_name=party,
                    employer_id=employer_id,
                    union_id=union_id,
                    kind=kind,
                    signed_on=signed,
                    expires_on=_add_years(signed, 3) - datetime.timedelta(days=1),
                    workers_covered=covered,
                    is_renewal=renewal,
                    **stamp,
                )
            )
            signed, renewal = _add_years(signed, 3), True

    for employer in plan.employer_rows:
        if employer.union_id is None or employer.employees < 15:
            continue
        u = unions[employer.union_id]
        for kind, chance in kinds:
            if rng.random() < chance:
                covered = employer.employees
                if kind == ContractKind.WOMEN:
                    covered = round(employer.employees * rng.uniform(0.3, 0.55))
                chain(
                    employer.name,
                    employer.pk,
                    u.pk,
                    kind,
                    covered,
                    u.founded_on,
                    u.dissolved_on,
                )
    # Regional and sector contracts (区域性、行业性集体合同) signed by the joint unions.
    for u in plan.union_rows:
        if u.kind != UnionKind.JOINT:
            continue
        covered = sum(e.employees for e in plan.employer_rows if e.union_id == u.pk)
        for kind in (ContractKind.GENERAL, ContractKind.WAGE):
            if rng.random() < 0.8:
                chain(u.name, None, u.pk, kind, covered, u.founded_on, u.dissolved_on)
    return rows


def _dues_periods(first: datetime.date, last: datetime.date, monthly: bool) -> list[str]:
    codes = []
    for year in range(first.year, last.year + 1):
        if monthly:
            codes += [f"{year}-{m:02d}" for m in range(1, 13)]
        else:
            codes += [f"{year}Q{q}" for q in range(1, 5)]
    return codes


def _build_dues(
    *, plan: _TownshipPlan, scale: DemoScale, seed: int, dues_ids: Iterator[int]
) -> list[Row]:
    """Union dues (2% of the wage bill): monthly from employers of 100 or more, else quarterly.

    Most pay in full a few weeks after the period; some pay part or nothing, and periods whose
    payment would fall after the window's end are still unpaid.
    """
    rng = _rng(seed, plan.spec.code, "dues")
    stamp = plan.stamp()
    unions = plan.union_by_id()
    rows: list[Row] = []
    periods = {
        monthly: [parse_period(code) for code in _dues_periods(scale.start, scale.end, monthly)]
        for monthly in (True, False)
    }
    for employer in plan.employer_rows:
        if employer.union_id is None:
            continue
        u = unions[employer.union_id]
        first = max(scale.start, u.founded_on)
        last = min(scale.end, u.dissolved_on or scale.end)
        monthly = employer.employees >= 100
        laggard = rng.random() < 0.12  # a few employers are chronically behind
        wage = plan.wages[employer.pk]
        for period in periods[monthly]:
            if period.end < first or period.end > last:
                continue
            months = 1 if monthly else 3
            growth = 1.04 ** (period.start.year - scale.start.year)
            headcount = employer.employees * rng.uniform(0.97, 1.03)
            due = _yuan(headcount * wage * growth * 0.02 * months)
            paid_on: datetime.date | None = period.end + datetime.timedelta(days=rng.randint(5, 45))
            roll = rng.random() + (0.25 if laggard else 0)
            if paid_on > scale.end or roll > 1.0:
                paid, paid_on = Decimal("0.00"), None
            elif roll > 0.88:
                paid = _yuan(float(due) * rng.uniform(0.4, 0.95))
            else:
                paid = due
            rows.append(
                {
                    "id": next(dues_ids),
                    "employer_id": employer.pk,
                    "period": period.code,
                    "period_start": period.start,
                    "period_end": period.end,
                    "amount_due": due,
                    "amount_paid": paid,
                    "paid_on": paid_on,
                    **stamp,
                }
            )
    return rows
