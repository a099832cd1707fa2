"""seed_demo(): the whole run, in one transaction (see the package's docstring)."""

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, models, transaction

from disputes.models import Case
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
from portal.demo.activity import _build_cases, _build_events, _build_visits
from portal.demo.building import build_honours, build_milestones, build_remittances
from portal.demo.hardship import build_hardship_files, build_hardship_reviews, build_mutual_aid
from portal.demo.helpers import IdNumbers, _apportion, _ids, _rng, _TableWriter, _TownshipPlan
from portal.demo.organisation import (
    _build_contracts,
    _build_dues,
    _build_members,
    _build_organisation,
)
from portal.demo.scales import (
    BATCH_SIZE,
    DEFAULT_SEED,
    DatabaseNotEmpty,
    DemoScale,
    DemoUser,
    demo_users,
)
from reports.models import AnnualTarget, AssessmentWeight, TargetIndicator
from unionportal import clock
from unionportal.models import County, Role, Township, User
from welfare.models import HardshipFile, HardshipReview, MutualAidEnrolment, WelfareVisit

# ---------------------------------------------------------------------------------------------
# The whole run


@dataclass
class SeedResult:
    """What `seed_demo` wrote: rows per record kind (in the home page's order), users, seconds."""

    scale: str
    townships: int
    counts: dict[str, int]
    users: list[DemoUser]
    township_names: dict[str, str]
    seconds: float


def _insert(model: type[models.Model], rows: Iterable[models.Model]) -> int:
    rows = list(rows)
    model._default_manager.bulk_create(rows, batch_size=BATCH_SIZE)
    return len(rows)


# The county's assessment rules (考核细则): points per key indicator, 100 in all.
DEMO_WEIGHTS = {
    TargetIndicator.UNIONISATION_RATE: 15,
    TargetIndicator.MEMBERSHIP_RATE: 15,
    TargetIndicator.MIGRANT_MEMBERSHIP_RATE: 10,
    TargetIndicator.NEW_MEMBERS: 10,
    TargetIndicator.CLOSURE_RATE: 15,
    TargetIndicator.CONTRACT_WORKERS: 10,
    TargetIndicator.VISITS: 5,
    TargetIndicator.EVENTS: 5,
    TargetIndicator.PARTICIPANTS: 5,
    TargetIndicator.COLLECTION_RATE: 10,
}
DEMO_TARGET_YEARS = (2025, 2026)


def _seed_targets(*, county: County, plans: Sequence["_TownshipPlan"], seed: int) -> int:
    """Annual targets per township (some ambitious, some easy, so the dashboard shows every
    colour) and the county's assessment weights, for each demo year."""
    rng = _rng(seed, "targets")
    targets = []
    for year in DEMO_TARGET_YEARS:
        for plan in plans:
            push = rng.uniform(0.85, 1.3)  # how ambitious this township's targets are
            counts = {
                TargetIndicator.NEW_MEMBERS: plan.members * 0.1,
                TargetIndicator.CONTRACT_WORKERS: plan.members * 0.7,
                TargetIndicator.VISITS: plan.visits / 2,
                TargetIndicator.WELFARE_AMOUNT: plan.visits / 2 * 1500,
                TargetIndicator.EVENTS: plan.events / 2,
                TargetIndicator.PARTICIPANTS: plan.events / 2 * 120,
            }
            rates = {
                TargetIndicator.UNIONISATION_RATE: 90,
                TargetIndicator.MEMBERSHIP_RATE: 85,
                TargetIndicator.MIGRANT_MEMBERSHIP_RATE: 75,
                TargetIndicator.CLOSURE_RATE: 85,
                TargetIndicator.COLLECTION_RATE: 92,
            }
            # 脱困: about a tenth of a township's register a year; visits reach most households on
            # file; mutual aid enrols most workers of the unions that run it.
            counts[TargetIndicator.HARDSHIP_OUT] = max(1, plan.members / 1000)
            rates[TargetIndicator.HARDSHIP_COVERAGE] = 60
            rates[TargetIndicator.MUTUAL_AID_RATE] = 85
            # Most townships remit in full; a target near it colours the few that fall short.
            rates[TargetIndicator.REMITTANCE_RATE] = 95
            for indicator, base in counts.items():
                targets.append((plan.township, year, indicator, round(base * push)))
            for indicator, base in rates.items():
                targets.append((plan.township, year, indicator, min(100, round(base * push, 1))))
    AnnualTarget.objects.bulk_create(
        AnnualTarget(township=t, year=y, indicator=i, value=Decimal(str(v)))
        for t, y, i, v in targets
    )
    AssessmentWeight.objects.bulk_create(
        AssessmentWeight(county=county, year=year, indicator=indicator, weight=weight)
        for year in DEMO_TARGET_YEARS
        for indicator, weight in DEMO_WEIGHTS.items()
    )
    return len(targets) + len(DEMO_TARGET_YEARS) * len(DEMO_WEIGHTS)


def seed_demo(
    *,
    scale: DemoScale,
    seed: int = DEFAULT_SEED,
    progress: Callable[[str], None] | None = None,
) -> SeedResult:
    """Fill an empty database with `scale`'s demo records and users, in one transaction.

    Raises DatabaseNotEmpty (and writes nothing) when any township exists already. `progress`
    receives one Chinese line per record kind with the seconds elapsed so far.
    """
    began = time.monotonic()

    def report(label: str, count: int) -> None:
        if progress is not None:
            progress(f"{label}：{count:,} 条（已用 {time.monotonic() - began:.1f} 秒）")

    with transaction.atomic():
        if Township.objects.exists():
            raise DatabaseNotEmpty("数据库中已有乡镇工会数据")
        taken = set(
            User.objects.filter(username__in=[u.username for u in demo_users(scale)]).values_list(
                "username", flat=True
            )
        )
        if taken:
            raise DatabaseNotEmpty(f"已存在同名用户：{'、'.join(sorted(taken))}")

        county = County.objects.create(name=scale.county)
        townships = {
            spec.code: Township.objects.create(code=spec.code, name=spec.name, county=county)
            for spec in scale.townships
        }
        users = demo_users(scale)
        saved: dict[str, User] = {}
        for demo in users:
            saved[demo.username] = User.objects.create(
                username=demo.username,
                password=make_password(demo.password),
                role=demo.role,
                full_name=demo.full_name,
                township=townships.get(demo.township_code),
                county=county if demo.role == Role.REVIEWER else None,
                is_staff=demo.role == Role.ADMIN,
                is_superuser=demo.role == Role.ADMIN,
            )
        admin_id = saved["demo_admin"].pk
        report("县总工会、乡镇工会和演示用户", len(townships) + len(users))

        # Townships differ in size (±20%); every record kind follows the township's size, so a
        # small township never gets more unions than its employers can carry.
        split_rng = _rng(seed, "split")
        sizes = [split_rng.uniform(0.8, 1.2) for _ in scale.townships]
        shares = {
            key: _apportion(getattr(scale, key), sizes)
            for key in ("unions", "employers", "members", "visits", "cases", "events")
        }
        plans = [
            _TownshipPlan(
                spec=spec,
                township=townships[spec.code],
                actor_id=admin_id,
                **{key: values[i] for key, values in shares.items()},
            )
            for i, spec in enumerate(scale.townships)
        ]

        counts: dict[str, int] = {}
        union_ids, employer_ids = _ids(GrassrootsUnion), _ids(Employer)
        credit_codes: set[str] = set()
        for plan in plans:
            _build_organisation(
                plan=plan,
                scale=scale,
                seed=seed,
                union_ids=union_ids,
                employer_ids=employer_ids,
                credit_codes=credit_codes,
            )
        counts["unions"] = _insert(GrassrootsUnion, (u for p in plans for u in p.union_rows))
        report("基层工会", counts["unions"])
        counts["employers"] = _insert(Employer, (e for p in plans for e in p.employer_rows))
        report("单位", counts["employers"])

        now = clock.now()
        id_numbers, member_ids = IdNumbers(), _ids(Member)
        writer = _TableWriter(Member, now=now)
        counts["members"] = 0
        for plan in plans:  # one township at a time keeps at most ~10,000 rows in memory
            counts["members"] += writer.write(
                _build_members(
                    plan=plan, scale=scale, seed=seed, member_ids=member_ids, id_numbers=id_numbers
                )
            )
        report("会员", counts["members"])

        contract_ids = _ids(CollectiveContract)
        counts["contracts"] = _insert(
            CollectiveContract,
            (
                c
                for p in plans
                for c in _build_contracts(plan=p, scale=scale, seed=seed, contract_ids=contract_ids)
            ),
        )
        report("集体合同", counts["contracts"])

        dues_ids, writer = _ids(DuesRecord), _TableWriter(DuesRecord, now=now)
        counts["dues"] = 0
        for plan in plans:
            counts["dues"] += writer.write(
                _build_dues(plan=plan, scale=scale, seed=seed, dues_ids=dues_ids)
            )
        report("经费记录", counts["dues"])

        visit_ids, writer = _ids(WelfareVisit), _TableWriter(WelfareVisit, now=now)
        counts["visits"] = 0
        for plan in plans:
            counts["visits"] += writer.write(
                _build_visits(
                    plan=plan, scale=scale, seed=seed, visit_ids=visit_ids, id_numbers=id_numbers
                )
            )
        report("慰问", counts["visits"])

        case_ids = _ids(Case)
        counts["cases"] = _insert(
            Case,
            (
                c
                for p in plans
                for c in _build_cases(plan=p, scale=scale, seed=seed, case_ids=case_ids)
            ),
        )
        report("信访案件", counts["cases"])

        event_ids = _ids(Event)
        built = [_build_events(plan=p, scale=scale, seed=seed, event_ids=event_ids) for p in plans]
        counts["events"] = _insert(Event, (e for b in built for e in b.events))
        _insert(Event.employers.through, (x for b in built for x in b.employer_links))
        _insert(Event.unions.through, (x for b in built for x in b.union_links))
        report("活动", counts["events"])

        # After the visits: most files are households the visits went to (portal/demo/hardship.py).
        file_ids, writer = _ids(HardshipFile), _TableWriter(HardshipFile, now=now)
        counts["hardship"], reviews = 0, []
        for plan in plans:
            files = build_hardship_files(
                plan=plan, scale=scale, seed=seed, file_ids=file_ids, id_numbers=id_numbers
            )
            counts["hardship"] += writer.write(files)
            reviews += build_hardship_reviews(files=files, seed=seed)
        report("困难职工档案", counts["hardship"])
        counts["hardship_reviews"] = _insert(HardshipReview, reviews)
        report("困难职工档案复核", counts["hardship_reviews"])
        aid_ids, writer = _ids(MutualAidEnrolment), _TableWriter(MutualAidEnrolment, now=now)
        counts["mutual_aid"] = 0
        for plan in plans:
            counts["mutual_aid"] += writer.write(
                build_mutual_aid(plan=plan, scale=scale, seed=seed, aid_ids=aid_ids)
            )
        report("医疗互助", counts["mutual_aid"])

        # The unions' marks as dated milestones, honours, remittances (portal/demo/building.py).
        for model, key, label, build in (
            (UnionMilestone, "milestones", "工会建设", build_milestones),
            (Honour, "honours", "荣誉表彰", build_honours),
            (DuesRemittance, "remittances", "经费上缴", build_remittances),
        ):
            ids, writer = _ids(model), _TableWriter(model, now=now)
            counts[key] = 0
            for plan in plans:
                counts[key] += writer.write(
                    build(plan=plan, scale=scale, seed=seed, **{f"{key[:-1]}_ids": ids})
                )
            report(label, counts[key])

        counts["targets"] = _seed_targets(county=county, plans=plans, seed=seed)
        report("年度目标与考核权重", counts["targets"])

        # Keys were assigned here, not by the database: move PostgreSQL's sequences past them.
        # (SQLite's AUTOINCREMENT follows explicit keys by itself; the statement list is empty.)
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(
                no_style(),
                [
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
                    UnionMilestone,
                    Honour,
                    DuesRemittance,
                ],
            ):
                cursor.execute(sql)

    return SeedResult(
        scale=scale.name,
        townships=len(townships),
        counts=counts,
        users=users,
        township_names={code: t.name for code, t in townships.items()},
        seconds=time.monotonic() - began,
    )
