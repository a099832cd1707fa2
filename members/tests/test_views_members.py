"""The member pages as staff use them: add, find, correct, transfer, delete; and what other
townships and reviewers may not do."""

import datetime
import re

import pytest
from django.urls import reverse

from members.models import Member
from members.queries import active_on
from unionportal import clock
from unionportal.pii import id_number_hash
from unionportal.tests.factories import (
    form_values,
    id_number,
    make_employer,
    make_member,
    make_union,
    member_post,
    page_text,
)
from unionportal.validators import id_check_char


@pytest.fixture
def union_a(township_a):
    return make_union(township_a, name="慈东镇机械厂工会")


def _field_error(response, field: str) -> str:
    """The error text crispy-forms shows under one field."""
    html = response.content.decode()
    found = re.search(
        rf'<div id="id_{field}_error" class="invalid-feedback[^"]*">(.*?)</div>', html, re.S
    )
    return re.sub(r"<[^>]+>", "", found.group(1)).strip() if found else ""


def test_a_wrong_check_digit_is_shown_beside_the_id_field(client, staff_a, union_a):
    client.force_login(staff_a)
    good = id_number()
    wrong = good[:17] + ("0" if good[17] != "0" else "1")

    response = client.post(reverse("members:member_create"), member_post(union_a, id_number=wrong))

    assert response.status_code == 200
    assert _field_error(response, "id_number") == "身份证号校验位不正确，请核对后重新输入。"
    assert 'value="张三"' in response.content.decode()
    assert not Member.objects.exists()


def test_full_width_digits_and_lower_case_x_are_accepted_and_the_member_is_found(
    client, staff_a, union_a
):
    client.force_login(staff_a)
    first17 = ""
    # Pick a birth serial whose check character is X, to type it lower-case.
    for serial in range(100, 999):
        first17 = f"33028219900307{serial}"
        if id_check_char(first17) == "X":
            break
    typed = "".join(chr(ord(c) + 0xFEE0) for c in first17) + "x"

    response = client.post(
        reverse("members:member_create"), member_post(union_a, name="李四", id_number=typed)
    )

    member = Member.objects.get()
    assert response["Location"] == reverse("members:member_detail", args=[member.pk])
    assert member.id_number == first17 + "X"
    assert member.gender == ("M" if int(first17[16]) % 2 else "F")
    # The ID is encrypted: a whole number typed any way finds the member (not a prefix).
    found = client.get(reverse("members:member_list"), {"q": typed})
    assert " 李四 " in page_text(found)
    assert " 符合条件的会员 1 条 " in page_text(found)


def test_staff_of_another_township_cannot_open_or_change_a_member(client, staff_b, township_a):
    member = make_member(township_a, name="王五")
    client.force_login(staff_b)

    for name in ("member_detail", "member_update", "member_delete", "member_transfer"):
        url = reverse(f"members:{name}", args=[member.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {"name": "改了"}).status_code == 404
    assert "王五" not in page_text(client.get(reverse("members:member_list")))
    member.refresh_from_db()
    assert member.name == "王五" and member.version == 1


def test_a_person_active_in_another_township_is_refused_with_where_and_a_masked_id(
    client, staff_a, union_a, township_b
):
    number = id_number()
    make_member(township_b, id_number=number, union=make_union(township_b, name="西山乡工会"))
    client.force_login(staff_a)

    response = client.post(reverse("members:member_create"), member_post(union_a, id_number=number))

    error = _field_error(response, "id_number")
    masked = f"{number[:6]}********{number[-4:]}"
    assert f"身份证号 {masked} 的人员已是西山乡（西山乡工会）的在册会员" in error
    assert number not in response.content.decode().replace(f'value="{number}"', "")
    assert Member.objects.filter(township__code="cidong").count() == 0


def test_a_person_who_left_another_townships_union_may_join_here(
    client, staff_a, union_a, township_b
):
    number = id_number()
    make_member(township_b, id_number=number, left_on=datetime.date(2024, 1, 1))
    client.force_login(staff_a)

    response = client.post(reverse("members:member_create"), member_post(union_a, id_number=number))

    assert response.status_code == 302
    assert Member.objects.filter(id_number_hash=id_number_hash(number)).count() == 2


def test_transfer_moves_the_member_and_the_history_shows_from_and_to(
    client, staff_a, township_a, union_a
):
    member = make_member(township_a, union=union_a, name="赵六")
    other = make_union(township_a, name="慈东镇电子厂工会")
    client.force_login(staff_a)

    response = client.post(
        reverse("members:member_transfer", args=[member.pk]),
        {"union": other.pk, "day": "2025-03-01", "reason": "工作调动", "version": member.version},
        follow=True,
    )

    member.refresh_from_db()
    assert member.union == other
    text = page_text(response)
    assert "已将赵六从“慈东镇机械厂工会”转入“慈东镇电子厂工会”。" in text
    assert "转会（慈东镇机械厂工会 → 慈东镇电子厂工会，2025-03-01，工作调动）" in text
    assert "所属工会：慈东镇机械厂工会 → 慈东镇电子厂工会" in text


def test_transfer_form_offers_today_and_may_change_the_employer(
    client, staff_a, township_a, union_a
):
    old_employer = make_employer(township_a, name="慈东镇机械厂")
    new_employer = make_employer(township_a, name="慈东镇电子厂")
    member = make_member(township_a, union=union_a, employer=old_employer, name="赵六")
    other = make_union(township_a, name="慈东镇电子厂工会")
    url = reverse("members:member_transfer", args=[member.pk])
    client.force_login(staff_a)
    opened = form_values(client.get(url))
    assert opened["day"] == f"{clock.today():%Y-%m-%d}"

    sent = client.post(
        url,
        {**opened, "union": other.pk, "employer": new_employer.pk, "reason": "调往电子厂"},
        follow=True,
    )

    member.refresh_from_db()
    assert (member.union, member.employer) == (other, new_employer)
    assert "工作单位：慈东镇机械厂 → 慈东镇电子厂" in page_text(sent)


def test_transfer_needs_a_reason_and_a_day_not_in_the_future(client, staff_a, township_a, union_a):
    member = make_member(township_a, union=union_a)
    other = make_union(township_a)
    url = reverse("members:member_transfer", args=[member.pk])
    client.force_login(staff_a)
    tomorrow = clock.today() + datetime.timedelta(days=1)

    response = client.post(
        url, {"union": other.pk, "day": f"{tomorrow:%Y-%m-%d}", "version": member.version}
    )

    assert response.status_code == 200
    assert "转会日期不能晚于今天。" in _field_error(response, "day")
    assert _field_error(response, "reason")
    member.refresh_from_db()
    assert member.union == union_a and member.version == 1


def test_leave_from_the_transfer_page_ends_the_membership_with_day_and_reason(
    client, staff_a, township_a, union_a
):
    member = make_member(township_a, union=union_a, name="孙八")
    client.force_login(staff_a)

    response = client.post(
        reverse("members:member_transfer", args=[member.pk]),
        {"leave-day": "2025-06-30", "leave-reason": "退休", "leave-version": member.version},
        follow=True,
    )

    member.refresh_from_db()
    assert (member.left_on, member.left_reason) == (datetime.date(2025, 6, 30), "退休")
    assert member.union == union_a
    text = page_text(response)
    assert "已登记孙八于 2025-06-30 离会。" in text
    assert "离会（2025-06-30，退休）" in text
    assert "离会原因 退休" in text
    assert not Member.objects.filter(pk=member.pk).filter(active_on(clock.today())).exists()


def test_a_member_who_has_left_cannot_leave_or_transfer_again(client, staff_a, township_a, union_a):
    member = make_member(township_a, union=union_a, left_on=datetime.date(2024, 1, 1))
    other = make_union(township_a)
    url = reverse("members:member_transfer", args=[member.pk])
    client.force_login(staff_a)

    left = client.post(url, {"leave-day": "2025-01-01", "leave-reason": "退会", "leave-version": 1})
    moved = client.post(
        url, {"union": other.pk, "day": "2025-01-01", "reason": "调动", "version": 1}
    )

    assert "会员已于 2024-01-01 离会，不能再办理离会。" in page_text(left)
    assert "会员已于 2024-01-01 离会，不能再办理转会。" in page_text(moved)
    member.refresh_from_db()
    assert (member.left_on, member.union, member.version) == (datetime.date(2024, 1, 1), union_a, 1)


def test_leave_before_joining_is_refused(client, staff_a, township_a, union_a):
    member = make_member(township_a, union=union_a, joined_on=datetime.date(2020, 1, 1))
    client.force_login(staff_a)

    response = client.post(
        reverse("members:member_transfer", args=[member.pk]),
        {"leave-day": "2019-12-31", "leave-reason": "退会", "leave-version": 1},
    )

    assert "离会日期不能早于入会日期。" in page_text(response)
    member.refresh_from_db()
    assert member.left_on is None


def test_reviewer_cannot_transfer_or_leave(client, reviewer, township_a, union_a):
    member = make_member(township_a, union=union_a)
    other = make_union(township_a)
    url = reverse("members:member_transfer", args=[member.pk])
    client.force_login(reviewer)

    assert client.get(url).status_code == 403
    assert client.post(url, {"leave-day": "2025-01-01", "leave-reason": "退会"}).status_code == 403
    moved = client.post(url, {"union": other.pk, "day": "2025-01-01", "reason": "调动"})
    assert moved.status_code == 403
    member.refresh_from_db()
    assert (member.left_on, member.union, member.version) == (None, union_a, 1)


def test_transfer_to_another_townships_union_is_refused(client, staff_a, township_a, township_b):
    member = make_member(township_a)
    elsewhere = make_union(township_b)
    client.force_login(staff_a)

    response = client.post(
        reverse("members:member_transfer", args=[member.pk]),
        {"union": elsewhere.pk, "day": "2025-01-01", "reason": "调动", "version": member.version},
    )

    assert "所选记录不存在或不属于本乡镇，请重新选择。" in page_text(response)
    member.refresh_from_db()
    assert member.union.township_id == township_a.pk


def test_a_stale_transfer_says_who_saved_and_the_form_as_shown_then_goes_through(
    client, staff_a, chair_a, township_a, union_a
):
    member = make_member(township_a, union=union_a, name="赵六")
    other = make_union(township_a, name="慈东镇电子厂工会")
    url = reverse("members:member_transfer", args=[member.pk])
    client.force_login(staff_a)
    opened = form_values(client.get(url))
    # The chair corrects the member's mobile while the transfer form is open.
    client.force_login(chair_a)
    edit = member_post(union_a, name="赵六", id_number=member.id_number, mobile="13800000001")
    edited = client.post(reverse("members:member_update", args=[member.pk]), {**edit, "version": 1})
    assert edited.status_code == 302
    client.force_login(staff_a)

    refused = client.post(url, {**opened, "union": str(other.pk), "reason": "工作调动"})

    assert refused.status_code == 409
    assert re.search(
        r"该记录已被 李主席 于 \d\d:\d\d 修改，您的修改未保存。请核对后重新提交。",
        page_text(refused),
    )
    member.refresh_from_db()
    assert member.union == union_a
    again = form_values(refused)
    assert again["union"] == str(other.pk)  # the user's choice is kept

    sent = client.post(url, again)

    assert sent.status_code == 302
    member.refresh_from_db()
    assert (member.union, member.mobile, member.version) == (other, "13800000001", 3)


def test_two_edits_from_the_same_version_the_second_is_refused_and_keeps_its_input(
    client, staff_a, chair_a, township_a, union_a
):
    member = make_member(township_a, union=union_a, name="钱七")
    url = reverse("members:member_update", args=[member.pk])
    base = {
        "name": "钱七",
        "id_number": member.id_number,
        "union": union_a.pk,
        "joined_on": "2020-01-01",
        "model_worker": "none",
        "version": member.version,
    }
    client.force_login(chair_a)
    first = client.post(url, {**base, "mobile": "13800000001"})
    assert first.status_code == 302

    client.force_login(staff_a)
    second = client.post(url, {**base, "mobile": "13900000002", "education": "大专"})

    assert second.status_code == 409
    text = page_text(second)
    assert re.search(
        r"该记录已被 李主席 于 \d\d:\d\d 修改，您的修改未保存。请核对后重新提交。", text
    )
    assert 'value="13900000002"' in second.content.decode()
    assert 'value="大专"' in second.content.decode()
    member.refresh_from_db()
    assert member.mobile == "13800000001"
    assert member.education == ""
    assert member.version == 2


def test_a_union_with_members_and_employers_cannot_be_deleted_and_says_why(
    client, staff_a, township_a, union_a
):
    for _ in range(3):
        make_member(township_a, union=union_a)
    make_employer(township_a, union=union_a)
    client.force_login(staff_a)
    url = reverse("members:union_delete", args=[union_a.pk])

    shown = client.get(url)
    refused = client.post(url)

    reason = "该基层工会下还有 1 家单位、3 名会员，不能删除。请先转移或删除这些记录。"
    assert reason in page_text(shown)
    assert "确认删除" not in page_text(shown)
    assert refused.status_code == 409
    assert reason in page_text(refused)
    assert union_a.__class__.objects.filter(pk=union_a.pk).exists()


def test_a_member_is_deleted_after_confirmation(client, staff_a, township_a):
    member = make_member(township_a, name="孙八")
    client.force_login(staff_a)

    response = client.post(reverse("members:member_delete", args=[member.pk]), follow=True)

    assert "已删除会员“孙八”。" in page_text(response)
    assert not Member.objects.filter(pk=member.pk).exists()


def test_reviewer_sees_members_read_only_and_is_refused_every_write(
    client, reviewer, township_a, union_a
):
    member = make_member(township_a, union=union_a, name="周九")
    client.force_login(reviewer)

    detail = client.get(reverse("members:member_detail", args=[member.pk]))
    listing = client.get(reverse("members:member_list"))

    assert " 周九 " in page_text(detail)
    for control in ("修改", "删除", "转会"):
        assert f"{control}</a>" not in detail.content.decode()
    assert "新增会员" not in page_text(listing)
    assert " 慈东镇 " in page_text(listing)  # township column and filter
    assert client.get(reverse("members:member_create")).status_code == 403
    assert client.post(reverse("members:member_create"), member_post(union_a)).status_code == 403
    for name in ("member_update", "member_delete", "member_transfer"):
        url = reverse(f"members:{name}", args=[member.pk])
        assert client.get(url).status_code == 403
        assert client.post(url, {"union": union_a.pk}).status_code == 403
    assert Member.objects.get().name == "周九"


def test_chair_has_the_same_rights_as_staff(client, chair_a, union_a):
    client.force_login(chair_a)

    response = client.post(reverse("members:member_create"), member_post(union_a, name="吴十"))

    assert response.status_code == 302
    assert Member.objects.get().created_by == chair_a


def test_member_detail_shows_visits_linked_or_matching_the_id_and_cases_of_the_employer(
    client, staff_a, township_a, township_b
):
    from unionportal.tests.factories import make_case, make_visit

    employer = make_employer(township_a, name="慈东镇五金厂")
    member = make_member(township_a, name="褚十二", employer=employer)
    make_visit(township_a, member=member, beneficiary_name="褚十二")
    make_visit(township_a, id_number=member.id_number, beneficiary_name="褚十二（未关联）")
    make_visit(township_a, beneficiary_name="别人")
    make_visit(township_b, id_number=member.id_number, beneficiary_name="外乡同号")
    make_case(township_a, employer=employer, petitioner="五金厂职工")
    make_case(township_a, petitioner="别的单位")
    client.force_login(staff_a)

    text = page_text(client.get(reverse("members:member_detail", args=[member.pk])))

    assert " 慰问记录（2） " in text
    assert "褚十二（未关联）" in text
    assert "别人" not in text and "外乡同号" not in text
    assert " 工作单位（慈东镇五金厂）的信访案件（1） " in text
    assert "五金厂职工" in text and "别的单位" not in text


def test_the_edit_form_shows_the_union_fixed_and_points_to_transfer(client, staff_a, township_a):
    member = make_member(township_a, union=make_union(township_a, name="慈东镇印刷厂工会"))
    client.force_login(staff_a)

    response = client.get(reverse("members:member_update", args=[member.pk]))

    html = response.content.decode()
    box = html.split('id="div_id_union"')[1].split('id="div_id_employer"')[0]
    assert 'value="慈东镇印刷厂工会"' in box and " disabled " in box
    assert "data-typeahead-url" not in box
    assert "调整所属工会请使用“转会”。" in page_text(response)


def test_an_id_typed_with_spaces_is_accepted(client, staff_a, union_a):
    client.force_login(staff_a)
    good = id_number()
    typed = f"{good[:6]} {good[6:14]} {good[14:]}"  # 20 characters as typed from a card

    response = client.post(
        reverse("members:member_create"),
        member_post(union_a, id_number=typed, mobile="138 1234 5678"),
    )

    assert response.status_code == 302, _field_error(response, "id_number")
    member = Member.objects.get()
    assert (member.id_number, member.mobile) == (good, "13812345678")


def test_a_posted_id_of_another_townships_union_is_refused_without_echoing_its_name(
    client, staff_b, union_a
):
    client.force_login(staff_b)

    response = client.post(reverse("members:member_create"), member_post(union_a))

    assert response.status_code == 200
    assert _field_error(response, "union") == "所选记录不存在或不属于本乡镇，请重新选择。"
    assert union_a.name not in response.content.decode()
    assert not Member.objects.exists()
