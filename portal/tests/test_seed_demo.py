"""`seed_demo`: demo records of every kind, valid IDs, working demo users, same data every run."""

import datetime
import hashlib
from dataclasses import replace
from io import StringIO

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError
from django.db import connections

from disputes.models import Case, CaseStatus
from events.models import Event, EventCategory
from honours.models import Honour
from members.models import (
    CollectiveContract,
    ContractKind,
    DuesRecord,
    DuesRemittance,
    Employer,
    GrassrootsUnion,
    Member,
    UnionKind,
    UnionMilestone,
)
from portal.demo.scales import COUNTY, SMALL, TOWNSHIPS, demo_users
from portal.demo.seed import seed_demo
from portal.kinds import KINDS
from unionportal.models import County, Role, Township, User
from unionportal.validators import id_birth_date, id_gender, validate_id_number
from welfare.models import HardshipFile, MutualAidEnrolment, WelfareVisit

pytestmark = pytest.mark.django_db

SMALL_END = datetime.date(2026, 10, 31)


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    # PBKDF2's million rounds would dominate these tests; logging in still checks the passwords.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def run_from_shell(monkeypatch):
    """Run the command as `manage.py` does and return the exit status."""
    # manage.py closes every connection when a command ends; the test's transaction needs it.
    monkeypatch.setattr(connections, "close_all", lambda: None)

    def run(*args: str) -> int:
        try:
            ManagementUtility(["manage.py", "seed_demo", *args]).execute()
        except SystemExit as exit:
            return exit.code
        return 0

    return run


def snapshot() -> dict[str, int]:
    counts = {key: model.objects.count() for key, _, model in KINDS}
    counts.update(users=User.objects.count(), townships=Township.objects.count())
    return counts


def digest() -> str:
    """Every seeded field except audit stamps, with townships by code (their keys may differ)."""
    h = hashlib.sha256()
    skip = {"created_at", "updated_at", "created_by", "updated_by", "township"}
    for _, _, model in KINDS:
        fields = [f.attname for f in model._meta.concrete_fields if f.name not in skip]
        for row in model.objects.order_by("pk").values_list("township__code", *fields):
            h.update(repr(row).encode())
    for through in (Event.employers.through, Event.unions.through):
        for row in through.objects.order_by("event_id", "pk").values_list():
            h.update(repr(row[1:]).encode())
    return h.hexdigest()


def wipe() -> None:
    for model in (HardshipFile, MutualAidEnrolment, Honour, DuesRemittance, UnionMilestone):
        model.objects.all().delete()
    for model in (Event, Case, WelfareVisit, DuesRecord, CollectiveContract, Member, Employer):
        model.objects.all().delete()
    GrassrootsUnion.objects.all().delete()
    User.objects.all().delete()
    Township.objects.all().delete()
    County.objects.all().delete()


def test_small_seed_fills_every_record_kind_in_every_township():
    out = seed()

    townships = list(Township.objects.all())
    assert {t.code for t in townships} == {spec.code for spec in SMALL.townships}
    for township in townships:
        for _key, label, model in KINDS:
            assert model.objects.filter(township=township).count() > 0, (township, label)
        events = Event.objects.filter(township=township)
        assert set(events.values_list("category", flat=True)) == set(EventCategory.values)
        contracts = CollectiveContract.objects.filter(township=township)
        assert set(contracts.values_list("kind", flat=True)) == set(ContractKind.values)
        assert contracts.filter(is_renewal=True).exists()
        unions = GrassrootsUnion.objects.filter(township=township)
        assert set(unions.values_list("kind", flat=True)) == set(UnionKind.values)
        assert unions.filter(standardised=True).exclude(star="none").exists()
        assert unions.filter(founded_on__gte=SMALL.start).exists()
    assert GrassrootsUnion.objects.filter(dissolved_on__isnull=False).exists()
    assert "会员" in out and "演示数据生成完毕" in out


def test_seeded_records_read_like_a_township_office_keeps_them():
    seed()

    for township in Township.objects.all():
        visits = WelfareVisit.objects.filter(township=township)
        for year in (2025, 2026):
            assert visits.filter(campaign=f"{year}年春节送温暖").exists()
        for visit in visits.filter(member__isnull=False).select_related("member"):
            assert visit.id_number == visit.member.id_number
        cases = Case.objects.filter(township=township)
        assert cases.filter(number__startswith=f"{township_prefix(township)}-2025-").exists()
        assert set(cases.values_list("status", flat=True)) >= {"open", "resolved"}
        dues = DuesRecord.objects.filter(township=township)
        assert any(d.amount_paid < d.amount_due for d in dues)
        assert Employer.objects.filter(township=township, union__isnull=True).exists()
        assert Member.objects.filter(township=township, left_on__isnull=False).exists()
        assert Member.objects.filter(township=township, is_migrant=True).exists()
        assert Member.objects.filter(township=township).exclude(model_worker="none").exists()
    # A few cases have stayed open for more than a month; every closed one closed after receipt.
    month_ago = SMALL_END - datetime.timedelta(days=30)
    assert Case.objects.filter(status=CaseStatus.OPEN, received_on__lt=month_ago).exists()
    for case in Case.objects.exclude(status=CaseStatus.OPEN):
        assert case.closed_on >= case.received_on
    inspections = Event.objects.filter(category=EventCategory.INSPECTION)
    for event in inspections:
        linked = set(event.employers.values_list("name", flat=True))
        assert linked and linked <= set(event.unit_names)
    media = set(
        Event.objects.filter(category=EventCategory.PUBLICITY).values_list("media", flat=True)
    )
    assert "" not in media
    assert not Event.objects.filter(starts_on__gt=SMALL_END).exists()
    assert not WelfareVisit.objects.filter(visited_on__gt=SMALL_END).exists()


def township_prefix(township: Township) -> str:
    return next(spec.prefix for spec in SMALL.townships if spec.code == township.code)


def test_every_member_has_a_valid_id_number_that_gives_gender_and_birth_date():
    seed()

    members = list(Member.objects.values_list("id_number", "gender", "birth_date"))
    assert len(members) == SMALL.members
    for id_number, gender, birth_date in members:
        validate_id_number(id_number)
        assert id_gender(id_number) == gender
        assert id_birth_date(id_number) == birth_date
        assert 1965 <= birth_date.year <= 2004
    assert len({m[0] for m in members}) == len(members)


def test_every_seeded_row_passes_model_validation():
    seed()

    # Keys, uniqueness and check constraints were enforced by the database on insert; this
    # checks the field validators (ID numbers, credit codes, mobiles) and each model's clean().
    for _, _label, model in KINDS:
        relations = [f.name for f in model._meta.concrete_fields if f.is_relation]
        for record in model.objects.select_related(*relations):
            record.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)


def test_demo_users_sign_in_with_the_printed_passwords(client):
    out = seed()

    expected = demo_users(SMALL)
    assert User.objects.count() == len(expected) == 2 * len(SMALL.townships) + 2
    for demo in expected:
        assert demo.username in out and demo.password in out
        user = User.objects.get(username=demo.username)
        validate_password(demo.password, user)
        assert client.login(username=demo.username, password=demo.password), demo.username
        client.logout()
        assert user.role == demo.role and user.full_name
        if demo.role in (Role.STAFF, Role.CHAIR):
            assert user.township.code == demo.township_code
        elif demo.role == Role.REVIEWER:
            assert user.county.name == SMALL.county
        else:
            assert user.is_staff and user.is_superuser and user.township is None


@pytest.mark.slow
def test_seeding_again_into_an_empty_database_gives_the_same_records():
    seed()
    first = digest()
    wipe()
    seed()
    assert digest() == first

    wipe()
    seed("--seed", "7")
    assert digest() != first


def test_second_run_exits_with_status_1_and_changes_nothing(run_from_shell, capsys):
    seed()
    before, fingerprint = snapshot(), digest()
    capsys.readouterr()

    assert run_from_shell() == 1

    assert "已有乡镇工会" in capsys.readouterr().err
    assert snapshot() == before and digest() == fingerprint
    with pytest.raises(CommandError) as refused:
        seed()
    assert refused.value.returncode == 1


def test_if_empty_leaves_existing_data_alone_and_exits_0(
    township_a, staff_a, run_from_shell, capsys
):
    before = snapshot()

    assert run_from_shell("--if-empty") == 0

    assert "已有乡镇工会数据，跳过" in capsys.readouterr().out
    assert snapshot() == before


def test_if_empty_seeds_an_empty_database():
    seed("--if-empty")

    assert Township.objects.count() == len(SMALL.townships)
    assert Member.objects.count() == SMALL.members


def test_existing_user_with_a_demo_username_stops_the_seed():
    User.objects.create_user(username="demo_admin", password="Someone#2026", role=Role.ADMIN)

    with pytest.raises(CommandError, match="demo_admin"):
        seed()

    assert not County.objects.exists() and User.objects.count() == 1


def test_county_shape_writes_the_exact_totals_and_three_years_of_dues():
    tiny = replace(
        COUNTY,
        townships=TOWNSHIPS[:3],
        unions=90,
        employers=120,
        members=1500,
        visits=150,
        cases=60,
        events=90,
    )

    result = seed_demo(scale=tiny, seed=1)

    assert result.counts["members"] == Member.objects.count() == 1500
    assert result.counts["unions"] == GrassrootsUnion.objects.count() == 90
    assert result.counts["employers"] == Employer.objects.count() == 120
    assert WelfareVisit.objects.count() == 150 and Case.objects.count() == 60
    assert Event.objects.count() == 90
    years = set(DuesRecord.objects.values_list("period_start__year", flat=True))
    assert years == {2024, 2025, 2026}
    # Only the first township signs in; every record is stamped by the demo administrator.
    assert set(User.objects.values_list("username", flat=True)) == {
        "cidong_staff",
        "cidong_chair",
        "county_reviewer",
        "demo_admin",
    }
    admin = User.objects.get(username="demo_admin")
    assert Member.objects.exclude(created_by=admin).count() == 0
    assert Event.objects.exclude(updated_by=admin).count() == 0


def test_the_demo_county_has_targets_and_weights_so_its_dashboard_is_coloured(client):
    from django.urls import reverse

    from reports.models import AnnualTarget, AssessmentWeight, TargetIndicator

    seed()
    assert AnnualTarget.objects.count() == len(SMALL.townships) * 2 * len(TargetIndicator)
    assert sum(AssessmentWeight.objects.filter(year=2026).values_list("weight", flat=True)) == 100
    client.force_login(User.objects.get(username="county_reviewer"))
    page = client.get(reverse("reports:county_dashboard"), {"period": "2026H1"}).content.decode()
    assert "✓" in page and ("✗" in page or "△" in page)
