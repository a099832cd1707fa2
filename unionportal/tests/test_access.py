import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404

from disputes.models import Case, CaseCategory
from events.models import Event, EventCategory
from members.models import CollectiveContract, DuesRecord, Employer, GrassrootsUnion, Member
from unionportal import access
from unionportal.models import Role, User
from unionportal.tests.factories import make_member
from unionportal.validators import id_check_char
from welfare.models import WelfareVisit

D = datetime.date
RECORD_MODELS = [
    GrassrootsUnion,
    Employer,
    Member,
    CollectiveContract,
    DuesRecord,
    WelfareVisit,
    Case,
    Event,
]


def fill(township, tag: str, serial: str) -> None:
    """One record of every kind in the township."""
    union = GrassrootsUnion.objects.create(
        township=township, name=f"{tag}工会", kind="joint", founded_on=D(2020, 1, 1)
    )
    employer = Employer.objects.create(
        township=township, name=f"{tag}公司", employees=30, union=union
    )
    first17 = f"3302821985061{serial}"
    Member.objects.create(
        township=township,
        name=f"{tag}会员",
        id_number=first17 + id_check_char(first17),
        gender="M",
        birth_date=D(1985, 6, 1),
        union=union,
        joined_on=D(2021, 1, 1),
    )
    CollectiveContract.objects.create(
        township=township,
        party_name=employer.name,
        employer=employer,
        kind="general",
        signed_on=D(2025, 1, 1),
        expires_on=D(2027, 12, 31),
    )
    DuesRecord.objects.create(
        township=township,
        employer=employer,
        period="2026-01",
        period_start=D(2026, 1, 1),
        period_end=D(2026, 1, 31),
        amount_due=100,
        amount_paid=100,
    )
    WelfareVisit.objects.create(
        township=township,
        visited_on=D(2026, 1, 20),
        beneficiary_type="hardship",
        beneficiary_name=f"{tag}户",
        cash=500,
    )
    Case.objects.create(
        township=township,
        number=f"{tag}-1",
        received_on=D(2026, 2, 1),
        petitioner=f"{tag}诉求人",
        category=CaseCategory.WAGES,
    )
    Event.objects.create(
        township=township,
        title=f"{tag}活动",
        starts_on=D(2026, 3, 1),
        category=EventCategory.MEETING,
    )


@pytest.fixture
def records(township_a, township_b, other_county_township):
    fill(township_a, "甲", "1111")
    fill(township_b, "乙", "2222")
    fill(other_county_township, "丙", "3333")


@pytest.mark.parametrize("model", RECORD_MODELS)
def test_staff_of_a_see_only_township_a(records, staff_a, township_a, model):
    rows = access.visible(staff_a, model)
    assert rows.count() == 1
    assert set(rows.values_list("township_id", flat=True)) == {township_a.pk}


@pytest.mark.parametrize("model", RECORD_MODELS)
def test_staff_of_b_never_see_a(records, staff_b, township_a, model):
    a_record = model.objects.get(township=township_a)
    assert not access.visible(staff_b, model).filter(pk=a_record.pk).exists()
    with pytest.raises(Http404):
        access.get_visible_or_404(staff_b, model, a_record.pk)
    with pytest.raises(Http404):
        access.get_writable_or_404(staff_b, model, a_record.pk)


@pytest.mark.parametrize("model", RECORD_MODELS)
def test_reviewer_sees_the_whole_county_and_nothing_else(
    records, reviewer, township_a, township_b, model
):
    townships = set(access.visible(reviewer, model).values_list("township_id", flat=True))
    assert townships == {township_a.pk, township_b.pk}


def test_a_township_added_to_or_moved_out_of_the_county_counts_at_once(
    reviewer, township_a, other_county_township
):
    make_member(township_a)
    assert access.visible(reviewer, Member).count() == 1  # the county's townships now read

    # The same user object (as in a shell or a long test): the change is seen at once.
    make_member(other_county_township)
    other_county = other_county_township.county
    other_county_township.county = township_a.county
    other_county_township.save()
    assert access.visible(reviewer, Member).count() == 2
    township_a.county = other_county
    township_a.save()
    assert access.visible(reviewer, Member).count() == 1


@pytest.mark.parametrize("model", RECORD_MODELS)
def test_reviewer_changes_nothing(records, reviewer, township_a, model):
    record = model.objects.get(township=township_a)
    assert access.get_visible_or_404(reviewer, model, record.pk) == record
    with pytest.raises(PermissionDenied):
        access.get_writable_or_404(reviewer, model, record.pk)
    assert not access.can_write(reviewer, township_a)


def test_chair_has_staff_rights_in_own_township_only(records, chair_a, township_a, township_b):
    assert access.can_write(chair_a, township_a)
    assert not access.can_write(chair_a, township_b)
    assert list(access.writable_townships(chair_a)) == [township_a]


def test_administrator_sees_and_changes_everything(records, administrator, other_county_township):
    assert access.visible(administrator, Member).count() == 3
    assert access.can_write(administrator, other_county_township)


def test_anonymous_and_inactive_users_see_nothing(records, staff_a):
    from django.contrib.auth.models import AnonymousUser

    assert access.visible(AnonymousUser(), Member).count() == 0
    staff_a.is_active = False
    assert access.visible(staff_a, Member).count() == 0
    assert access.visible_townships(staff_a).count() == 0


def test_id_that_is_not_a_number_is_a_404(records, staff_a):
    with pytest.raises(Http404):
        access.get_visible_or_404(staff_a, Member, "abc")


def test_visible_townships_per_role(
    records, staff_a, reviewer, other_reviewer, township_a, township_b, other_county_township
):
    assert list(access.visible_townships(staff_a)) == [township_a]
    assert set(access.visible_townships(reviewer)) == {township_a, township_b}
    assert list(access.visible_townships(other_reviewer)) == [other_county_township]


def test_user_role_must_match_township_or_county(township_a, county):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user(username="x1", role=Role.STAFF)
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user(username="x2", role=Role.REVIEWER, township=township_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user(username="x3", role=Role.CHAIR, township=township_a, county=county)


def test_createsuperuser_makes_an_administrator(db):
    from django.core.management import call_command

    call_command("createsuperuser", username="root", email="", interactive=False, verbosity=0)
    user = User.objects.get(username="root")
    assert user.role == Role.ADMIN and user.is_superuser
    assert user.is_administrator


# --- the rules beyond reading and writing, all in the access door ---------------------------


def test_a_reviewer_looks_at_their_own_county_whatever_they_ask_for(
    reviewer, county, other_county_township
):
    assert access.county_in_view(reviewer, str(other_county_township.county_id)) == county


def test_an_administrator_chooses_a_county_or_gets_the_first_by_name(
    administrator, county, other_county_township
):
    other = other_county_township.county
    assert access.county_in_view(administrator, str(other.pk)) == other
    first = sorted([county, other], key=lambda c: c.name)[0]
    assert access.county_in_view(administrator, None) == first
    assert access.county_in_view(administrator, "²") == first


@pytest.mark.parametrize("who", ["staff_a", "chair_a"])
def test_township_users_may_not_look_at_a_county(request, who):
    with pytest.raises(PermissionDenied):
        access.county_in_view(request.getfixturevalue(who))


def test_an_administrator_with_no_county_gets_404(administrator):
    with pytest.raises(Http404):
        access.county_in_view(administrator)


def test_only_the_chair_of_the_township_or_an_administrator_finalises(
    staff_a, chair_a, reviewer, administrator, township_a, township_b
):
    assert access.can_finalise(chair_a, township_a)
    assert not access.can_finalise(chair_a, township_b)
    assert not access.can_finalise(staff_a, township_a)
    assert not access.can_finalise(reviewer, township_a)
    assert access.can_finalise(administrator, township_b)


def test_narratives_are_written_by_those_who_change_the_township_records(
    staff_a, chair_a, reviewer, township_a, township_b
):
    assert access.can_edit_narrative(staff_a, township_a)
    assert access.can_edit_narrative(chair_a, township_a)
    assert not access.can_edit_narrative(staff_a, township_b)
    assert not access.can_edit_narrative(reviewer, township_a)


def test_targets_are_set_by_the_county_reviewers_and_administrators(
    staff_a, reviewer, other_reviewer, administrator, county
):
    assert access.can_set_targets(reviewer, county)
    assert not access.can_set_targets(other_reviewer, county)
    assert not access.can_set_targets(staff_a, county)
    assert access.can_set_targets(administrator, county)


def test_whole_numbers_are_revealed_to_the_own_township_only(
    staff_a, staff_b, reviewer, administrator, township_a
):
    assert access.may_reveal(staff_a, township_a.pk)
    assert not access.may_reveal(staff_b, township_a.pk)
    assert not access.may_reveal(reviewer, township_a.pk)
    assert access.may_reveal(administrator, township_a.pk)


def test_the_second_factor_is_offered_to_reviewers_and_administrators(
    staff_a, chair_a, reviewer, administrator
):
    assert [
        access.may_use_second_factor(u) for u in (staff_a, chair_a, reviewer, administrator)
    ] == [
        False,
        False,
        True,
        True,
    ]


def test_administrator_only_pages_refuse_everyone_else(staff_a, reviewer, administrator):
    access.require_administrator(administrator)
    for user in (staff_a, reviewer):
        with pytest.raises(PermissionDenied):
            access.require_administrator(user)


def test_a_county_roll_ups_own_parts_are_written_by_its_reviewers(
    staff_a, chair_a, reviewer, other_reviewer, administrator, county
):
    assert access.can_edit_county_narrative(reviewer, county)
    assert not access.can_edit_county_narrative(other_reviewer, county)
    assert not access.can_edit_county_narrative(staff_a, county)
    assert not access.can_edit_county_narrative(chair_a, county)
    assert access.can_edit_county_narrative(administrator, county)
    reviewer.is_active = False
    assert not access.can_edit_county_narrative(reviewer, county)


def test_chairs_submit_summaries_and_the_countys_reviewers_receive_them(
    staff_a, chair_a, staff_b, reviewer, other_reviewer, administrator, county, township_a
):
    assert [
        access.can_submit_summary(u, township_a)
        for u in (staff_a, chair_a, staff_b, reviewer, administrator)
    ] == [False, True, False, False, True]
    assert [
        access.can_review_submissions(u, county)
        for u in (staff_a, chair_a, reviewer, other_reviewer, administrator)
    ] == [False, False, True, False, True]


def test_accounts_are_managed_by_administrators_and_seen_by_the_countys_reviewers(
    staff_a, chair_a, staff_b, reviewer, other_reviewer, administrator
):
    assert set(access.visible_accounts(reviewer)) == {staff_a, chair_a, staff_b, reviewer}
    assert set(access.visible_accounts(other_reviewer)) == {other_reviewer}
    assert set(access.visible_accounts(administrator)) == set(User.objects.all())
    assert not access.visible_accounts(staff_a).exists()
    assert [access.may_see_accounts(u) for u in (staff_a, chair_a, reviewer, administrator)] == [
        False,
        False,
        True,
        True,
    ]
    assert [access.may_manage_accounts(u) for u in (staff_a, chair_a, reviewer, administrator)] == [
        False,
        False,
        False,
        True,
    ]
