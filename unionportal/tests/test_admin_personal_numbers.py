"""The Django admin never shows a whole ID number or mobile: viewing one is a logged reveal on the
portal's record pages (audit/), and the admin has no such log. It shows them masked, in the change
form, the history list and a past version alike, and an administrator can still correct them."""

import datetime

import pytest
from django.urls import reverse

from members.models import Member
from unionportal.masking import mask_id_number, mask_mobile
from unionportal.tests.factories import (
    id_number,
    make_member,
    make_township,
    make_transfer,
    make_visit,
)
from welfare.models import WelfareVisit

MOBILE = "13812345678"
NEW_MOBILE = "13987654321"


@pytest.fixture
def member(township_a) -> Member:
    member = make_member(township_a, name="陈会员", mobile=MOBILE)
    # A second version, so the history list has a change to show.
    member.id_number = id_number(birth=datetime.date(1990, 7, 1))
    member.mobile = NEW_MOBILE
    member.derive_from_id()
    member.save()
    return member


@pytest.fixture
def visit(township_a) -> WelfareVisit:
    visit = make_visit(township_a, id_number=id_number())
    visit.id_number = id_number(birth=datetime.date(1970, 1, 1))
    visit.save()
    return visit


def full_numbers(obj) -> set[str]:
    """Every whole number the record has held, across its history."""
    numbers = set()
    for version in obj.history.all():
        numbers.add(version.id_number)
        numbers.add(getattr(version, "mobile", ""))
    numbers.discard("")
    return numbers


def admin_pages(obj) -> dict[str, str]:
    opts = obj._meta
    oldest = obj.history.order_by("history_id").first()
    name = f"admin:{opts.app_label}_{opts.model_name}"
    return {
        "change": reverse(f"{name}_change", args=[obj.pk]),
        "history": reverse(f"{name}_history", args=[obj.pk]),
        "past version": reverse(f"{name}_simple_history", args=[obj.pk, oldest.history_id]),
        "list": reverse(f"{name}_changelist"),
    }


def test_the_member_admin_pages_show_no_whole_id_number_or_mobile(client, administrator, member):
    client.force_login(administrator)
    numbers = full_numbers(member)
    assert len(numbers) == 4  # two ID numbers, two mobiles

    for page, url in admin_pages(member).items():
        response = client.get(url)
        assert response.status_code == 200, page
        content = response.content.decode()
        assert [n for n in numbers if n in content] == [], page

    change = client.get(admin_pages(member)["change"]).content.decode()
    assert mask_id_number(member.id_number) in change
    assert mask_mobile(NEW_MOBILE) in change


def test_the_welfare_visit_admin_pages_show_no_whole_id_number(client, administrator, visit):
    client.force_login(administrator)
    numbers = full_numbers(visit)
    assert len(numbers) == 2

    for page, url in admin_pages(visit).items():
        response = client.get(url)
        assert response.status_code == 200, page
        content = response.content.decode()
        assert [n for n in numbers if n in content] == [], page

    change = client.get(admin_pages(visit)["change"]).content.decode()
    assert mask_id_number(visit.id_number) in change


def test_the_history_list_says_the_numbers_changed_without_showing_them(
    client, administrator, member
):
    client.force_login(administrator)

    history = client.get(admin_pages(member)["history"]).content.decode()

    assert "身份证号" in history and "手机号" in history
    assert mask_mobile(MOBILE) in history and mask_mobile(NEW_MOBILE) in history


def member_form(member: Member, **changes) -> dict[str, str]:
    data = {
        "township": member.township_id,
        "name": member.name,
        "id_number": "",
        "union": member.union_id,
        "employer": "",
        "joined_on": member.joined_on.isoformat(),
        "mobile": "",
        "ethnicity": "",
        "education": "",
        "model_worker": member.model_worker,
        "left_on": "",
        "card_number": "",
    }
    return {**data, **changes}


def test_left_empty_the_numbers_stay_as_they_were(client, administrator, member):
    client.force_login(administrator)
    before = (member.id_number, member.mobile)

    response = client.post(admin_pages(member)["change"], member_form(member, name="陈新名"))

    assert response.status_code == 302, response.content.decode()[:3000]
    member.refresh_from_db()
    assert member.name == "陈新名"
    assert (member.id_number, member.mobile) == before


def test_an_administrator_can_still_correct_the_numbers(client, administrator, member):
    client.force_login(administrator)
    corrected = id_number(birth=datetime.date(1988, 8, 8))

    response = client.post(
        admin_pages(member)["change"],
        member_form(member, id_number=corrected, mobile="13600001111"),
    )

    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.id_number, member.mobile) == (corrected, "13600001111")
    assert member.birth_date == datetime.date(1988, 8, 8)


def test_a_transfer_is_read_only_in_the_admin_with_the_id_number_masked(
    client, administrator, member
):
    transfer = make_transfer(member.township, make_township(member.township.county), member=member)
    transfer.reason = "家庭原因"  # a second version for the history list
    transfer.save()
    client.force_login(administrator)
    numbers = full_numbers(member)

    for page, url in admin_pages(transfer).items():
        response = client.get(url)
        assert response.status_code == 200, page
        content = response.content.decode()
        assert [n for n in numbers if n in content] == [], page

    for page in ("list", "change"):
        content = client.get(admin_pages(transfer)[page]).content.decode()
        assert mask_id_number(member.id_number) in content, page
    change = client.get(admin_pages(transfer)["change"]).content.decode()
    assert 'name="_save"' not in change
    refused = client.post(admin_pages(transfer)["change"], {"reason": "改了"})
    assert refused.status_code == 403
    assert client.get(reverse("admin:members_membertransfer_add")).status_code == 403
    transfer.refresh_from_db()
    assert transfer.reason == "家庭原因"
