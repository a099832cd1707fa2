"""Personal information (GB/T 35273-2020 practice): ID numbers encrypted at rest, ID numbers and
mobiles masked on every list, search and export, whole only behind a logged reveal for staff of
the member's township."""

import datetime
import io

import pytest
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AccessAction, PersonalInfoAccess
from members.models import Member
from unionportal.masking import mask_id_number, mask_mobile
from unionportal.pii import id_number_hash
from unionportal.tests.factories import id_number, make_member, make_union, make_visit, page_text
from welfare.models import WelfareVisit
from workbook.services import import_workbook

MOBILE = "13812345678"


@pytest.fixture
def member(township_a):
    return make_member(
        township_a, name="周明", id_number=id_number(), mobile=MOBILE, card_number="CD2020001"
    )


def _raw(sql: str, params=()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _sheet_values(data: bytes, title: str) -> list[list]:
    book = load_workbook(io.BytesIO(data), read_only=True)
    return [list(row) for row in book[title].values]


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


# --- at rest -----------------------------------------------------------------------------------


def test_the_member_table_and_its_history_hold_ciphertext_not_the_number(member):
    stored = _raw("SELECT id_number, id_number_hash FROM members_member WHERE id = %s", [member.pk])
    history = _raw("SELECT id_number FROM members_historicalmember WHERE id = %s", [member.pk])

    assert stored[0][0].startswith("e1:") and member.id_number not in stored[0][0]
    assert stored[0][1] == id_number_hash(member.id_number)
    assert history and all(h[0].startswith("e1:") for h in history)
    assert Member.objects.get(pk=member.pk).id_number == member.id_number


def test_the_same_number_is_sealed_differently_each_time(township_a, township_b, member):
    other = make_member(township_b, id_number=member.id_number, left_on=datetime.date(2024, 1, 1))

    rows = _raw(
        "SELECT id_number, id_number_hash FROM members_member WHERE id IN (%s, %s)",
        [member.pk, other.pk],
    )

    assert rows[0][0] != rows[1][0]
    assert rows[0][1] == rows[1][1]


def test_a_visit_recipients_id_is_encrypted_and_links_the_member(township_a, member, staff_a):
    visit = make_visit(township_a, id_number=member.id_number)

    stored = _raw("SELECT id_number FROM welfare_welfarevisit WHERE id = %s", [visit.pk])
    history = _raw("SELECT id_number FROM welfare_historicalwelfarevisit WHERE id = %s", [visit.pk])

    assert stored[0][0].startswith("e1:")
    assert history and all(h[0].startswith("e1:") for h in history)
    found = WelfareVisit.objects.filter(id_number_hash=id_number_hash(member.id_number))
    assert list(found) == [visit]


def test_comparing_the_encrypted_column_fails_loudly_instead_of_matching_nothing(member):
    with pytest.raises(FieldError, match="id_number_hash"):
        list(Member.objects.filter(id_number=member.id_number))
    with pytest.raises(FieldError):
        list(Member.objects.filter(id_number__startswith="3302"))
    assert Member.objects.filter(id_number__isnull=False).count() == 1


def test_the_same_id_twice_in_a_township_is_refused_by_the_database(township_a, member):
    twin = Member(
        township=township_a,
        union=member.union,
        name="另一人",
        id_number=member.id_number,
        joined_on=datetime.date(2021, 1, 1),
    )
    twin.derive_from_id()

    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


def test_an_active_member_elsewhere_in_the_county_is_still_refused(
    client, staff_b, township_b, member
):
    union_b = make_union(township_b, name="西山乡工会")
    client.force_login(staff_b)

    response = client.post(
        reverse("members:member_create"),
        {
            "township": township_b.pk,
            "name": "周明",
            "id_number": member.id_number,
            "union": union_b.pk,
            "joined_on": "2024-01-01",
            "model_worker": "none",
        },
    )

    assert response.status_code == 200
    assert f"身份证号 {mask_id_number(member.id_number)} 的人员已是慈东镇" in page_text(response)
    assert Member.objects.filter(township=township_b).count() == 0


# --- search ------------------------------------------------------------------------------------


def test_the_whole_id_finds_the_member_but_a_prefix_does_not(client, staff_a, member):
    client.force_login(staff_a)
    url = reverse("members:member_list")

    whole = page_text(client.get(url, {"q": member.id_number}))
    prefix = page_text(client.get(url, {"q": member.id_number[:10]}))
    spaced = page_text(client.get(url, {"q": f"{member.id_number[:6]} {member.id_number[6:]}"}))

    assert " 周明 " in whole and " 符合条件的会员 1 条 " in whole
    assert " 周明 " in spaced
    assert " 周明 " not in prefix
    assert "完整身份证号" in client.get(url).content.decode()


def test_a_visit_is_found_by_the_recipients_whole_id(client, staff_a, township_a, member):
    make_visit(township_a, beneficiary_name="困难户甲", id_number=member.id_number)
    client.force_login(staff_a)

    text = page_text(client.get(reverse("welfare:visit_list"), {"q": member.id_number}))

    assert " 困难户甲 " in text


# --- masked everywhere but the reveal ------------------------------------------------------------


@pytest.mark.parametrize("who", ["staff_a", "reviewer", "administrator"])
def test_the_member_list_shows_masked_numbers_only(client, request, member, who):
    client.force_login(request.getfixturevalue(who))

    html = client.get(reverse("members:member_list")).content.decode()

    assert mask_id_number(member.id_number) in html
    assert member.id_number not in html
    assert MOBILE not in html


@pytest.mark.parametrize("who", ["staff_a", "chair_a", "reviewer", "administrator"])
def test_the_member_page_shows_masked_numbers_until_revealed(client, request, member, who):
    client.force_login(request.getfixturevalue(who))

    html = client.get(reverse("members:member_detail", args=[member.pk])).content.decode()

    assert mask_id_number(member.id_number) in html and mask_mobile(MOBILE) in html
    assert member.id_number not in html and MOBILE not in html
    assert ("显示完整信息" in html) == (who != "reviewer")


def test_staff_of_the_township_reveal_the_numbers_once_and_it_is_logged(client, staff_a, member):
    client.force_login(staff_a)
    detail = reverse("members:member_detail", args=[member.pk])

    revealed = client.post(reverse("members:member_reveal", args=[member.pk]))
    again = client.get(detail).content.decode()

    html = revealed.content.decode()
    assert revealed.status_code == 200
    assert "no-store" in revealed["Cache-Control"]
    assert member.id_number in html and MOBILE in html
    assert "已记入个人信息访问日志" in html
    assert member.id_number not in again and MOBILE not in again
    entry = PersonalInfoAccess.objects.get()
    assert entry.user == staff_a and entry.action == AccessAction.REVEAL
    assert entry.township == member.township
    assert (entry.record_kind, entry.record_id) == ("member", member.pk)
    assert entry.fields == "身份证号、手机号" and entry.ip == "127.0.0.1"
    assert "周明" in entry.record_label


def test_behind_the_proxy_the_log_keeps_the_clients_address_not_nginxs(
    client, staff_a, member, settings
):
    settings.BEHIND_PROXY = True
    client.force_login(staff_a)

    client.post(
        reverse("members:member_reveal", args=[member.pk]),
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="1.2.3.4, 10.20.30.40",
    )

    # nginx appends the address it saw; anything before it came from the client and may be forged.
    assert PersonalInfoAccess.objects.get().ip == "10.20.30.40"


def test_staff_of_another_township_cannot_reveal(client, staff_b, member):
    client.force_login(staff_b)

    response = client.post(reverse("members:member_reveal", args=[member.pk]))

    assert response.status_code == 404
    assert not PersonalInfoAccess.objects.exists()


def test_a_county_reviewer_cannot_reveal(client, reviewer, member):
    client.force_login(reviewer)

    response = client.post(reverse("members:member_reveal", args=[member.pk]))

    assert response.status_code == 403
    assert member.id_number not in response.content.decode()
    assert not PersonalInfoAccess.objects.exists()


def test_reveal_is_a_post_only(client, staff_a, member):
    client.force_login(staff_a)

    response = client.get(reverse("members:member_reveal", args=[member.pk]))

    assert response.status_code == 405
    assert not PersonalInfoAccess.objects.exists()


def test_opening_the_edit_form_counts_as_a_reveal(client, staff_a, member):
    client.force_login(staff_a)

    response = client.get(reverse("members:member_update", args=[member.pk]))

    assert member.id_number in response.content.decode()
    entry = PersonalInfoAccess.objects.get()
    assert entry.detail == "打开修改表单" and entry.record_id == member.pk


def test_a_visit_page_masks_the_recipients_id_and_reveals_it_logged(
    client, staff_a, reviewer, township_a
):
    number = id_number()
    visit = make_visit(township_a, beneficiary_name="困难户乙", id_number=number)
    client.force_login(reviewer)
    as_reviewer = client.get(reverse("welfare:visit_detail", args=[visit.pk])).content.decode()
    refused = client.post(reverse("welfare:visit_reveal", args=[visit.pk]))
    client.force_login(staff_a)

    revealed = client.post(reverse("welfare:visit_reveal", args=[visit.pk])).content.decode()

    assert mask_id_number(number) in as_reviewer and number not in as_reviewer
    assert "显示完整信息" not in as_reviewer
    assert refused.status_code == 403
    assert number in revealed
    entry = PersonalInfoAccess.objects.get()
    assert (entry.record_kind, entry.record_id, entry.fields) == (
        "welfarevisit",
        visit.pk,
        "身份证号",
    )


def test_the_history_shows_a_changed_id_and_mobile_masked(client, staff_a, member):
    old_number, new_number = member.id_number, id_number()
    client.force_login(staff_a)
    form = client.get(reverse("members:member_update", args=[member.pk])).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k != "township"}
    data.update(
        id_number=new_number,
        mobile="13900001111",
        union=member.union_id,
        joined_on="2020-01-01",
        version=member.version,
        employer="",
        left_on="",
    )

    client.post(reverse("members:member_update", args=[member.pk]), data)
    html = client.get(reverse("members:member_detail", args=[member.pk])).content.decode()

    assert Member.objects.get(pk=member.pk).id_number == new_number
    assert mask_id_number(old_number) in html and mask_id_number(new_number) in html
    assert old_number not in html and new_number not in html
    assert "13900001111" not in html and MOBILE not in html


def test_type_ahead_suggestions_show_the_id_masked(client, staff_a, member):
    client.force_login(staff_a)

    found = client.get(reverse("record_lookup", args=["member"]), {"q": "周"}).json()

    assert found["results"] == [
        {"id": member.pk, "label": f"周明（{mask_id_number(member.id_number)}）"}
    ]


@pytest.mark.parametrize("who", ["chair_a", "reviewer"])
def test_dashboards_and_summaries_carry_no_personal_numbers(client, request, member, who):
    user = request.getfixturevalue(who)
    client.force_login(user)
    pages = [reverse("reports:dashboard"), reverse("reports:summary")]
    if who == "reviewer":
        pages += [reverse("reports:county_dashboard"), reverse("reports:county_summary")]

    for url in pages:
        body = client.get(url, follow=True).content.decode()
        assert member.id_number not in body and mask_id_number(member.id_number) not in body
        assert MOBILE not in body and mask_mobile(MOBILE) not in body


# --- exports and the workbook round trip ---------------------------------------------------------


@pytest.mark.parametrize("who", ["staff_a", "reviewer"])
def test_the_member_list_export_is_masked_and_logged(client, request, member, who):
    user = request.getfixturevalue(who)
    client.force_login(user)

    response = client.get(reverse("members:member_list"), {"format": "xlsx"})

    data = _body(response)
    rows = _sheet_values(data, "会员")
    cells = [str(c) for row in rows[1:] for c in row if c is not None]
    assert mask_id_number(member.id_number) in cells and mask_mobile(MOBILE) in cells
    assert member.id_number.encode() not in data and MOBILE.encode() not in data
    entry = PersonalInfoAccess.objects.get()
    assert entry.user == user and entry.action == AccessAction.EXPORT
    assert "会员1条" in entry.detail


def test_the_visit_list_export_masks_the_recipients_id(client, reviewer, township_a):
    number = id_number()
    make_visit(township_a, beneficiary_name="困难户丙", id_number=number)
    client.force_login(reviewer)

    data = _body(client.get(reverse("welfare:visit_list"), {"format": "xlsx"}))

    cells = [str(c) for row in _sheet_values(data, "慰问")[1:] for c in row if c is not None]
    assert mask_id_number(number) in cells and number.encode() not in data


def test_the_workbook_export_page_masks_by_default(client, staff_a, member):
    client.force_login(staff_a)

    data = _body(client.get(reverse("workbook:export")))

    assert member.id_number.encode() not in data and MOBILE.encode() not in data
    assert PersonalInfoAccess.objects.get().action == AccessAction.EXPORT


def test_staff_export_with_whole_numbers_imports_back_and_is_logged(
    client, staff_a, member, township_a, other_county_township
):
    client.force_login(staff_a)
    response = client.post(
        reverse("workbook:export"), {"full": "1", "township": township_a.pk, "sheet": "members"}
    )
    data = _body(response)
    rows = _sheet_values(data, "会员")
    # Another county's township: in this one the person is already an active member.
    empty = other_county_township
    make_union(empty, name=member.union.name)

    report = import_workbook(data=data, township=empty, user=None)

    assert [member.id_number, MOBILE] == [rows[1][1], rows[1][5]]
    assert report.ok, [str(p) for p in report.problems]
    copied = Member.objects.get(township=empty)
    assert (copied.id_number, copied.mobile) == (member.id_number, MOBILE)
    entry = PersonalInfoAccess.objects.get()
    assert entry.action == AccessAction.EXPORT_FULL and entry.township == township_a


@pytest.mark.parametrize("who", ["reviewer", "staff_b"])
def test_only_the_townships_staff_may_export_whole_numbers(client, request, member, who):
    client.force_login(request.getfixturevalue(who))

    response = client.post(
        reverse("workbook:export"), {"full": "1", "township": member.township_id}
    )

    assert response.status_code in (403, 404)
    assert not PersonalInfoAccess.objects.exists()


def test_importing_a_masked_export_says_which_rows_and_writes_nothing(
    client, staff_a, member, township_a
):
    client.force_login(staff_a)
    data = _body(client.get(reverse("members:member_list"), {"format": "xlsx"}))

    report = import_workbook(data=data, township=township_a, user=staff_a, dry_run=True)

    messages = [str(p) for p in report.problems]
    assert any("身份证号已脱敏，不能用于导入，请用含完整身份证号的导出文件" in m for m in messages)
    assert any("手机号已脱敏" in m for m in messages)
    assert not report.written


def test_the_command_line_export_writes_whole_numbers_and_logs_the_operator(
    tmp_path, member, township_a
):
    out = tmp_path / "export.xlsx"

    call_command("export_workbook", township=township_a.code, out=str(out), stdout=io.StringIO())

    rows = _sheet_values(out.read_bytes(), "会员")
    assert rows[1][1] == member.id_number and rows[1][5] == MOBILE
    entry = PersonalInfoAccess.objects.get()
    assert entry.user is None and entry.user_label == "命令行"
    assert entry.action == AccessAction.EXPORT_FULL


# --- the administrator's log page ----------------------------------------------------------------


def test_administrators_read_the_log_and_nobody_edits_it(client, administrator, staff_a, member):
    client.force_login(staff_a)
    client.post(reverse("members:member_reveal", args=[member.pk]))
    entry = PersonalInfoAccess.objects.get()
    client.force_login(administrator)

    home = client.get(reverse("home")).content.decode()
    listing = client.get(reverse("admin:audit_personalinfoaccess_changelist"))
    filtered = client.get(
        reverse("admin:audit_personalinfoaccess_changelist"), {"action__exact": "export"}
    )
    add = client.get(reverse("admin:audit_personalinfoaccess_add"))
    delete = client.post(
        reverse("admin:audit_personalinfoaccess_delete", args=[entry.pk]), {"post": "yes"}
    )

    text = page_text(listing)
    assert reverse("admin:audit_personalinfoaccess_changelist") in home
    assert listing.status_code == 200
    assert "张录入" in text and "显示完整信息" in text and "周明" in text
    assert "周明" not in page_text(filtered)
    assert add.status_code == 403
    assert delete.status_code == 403
    assert PersonalInfoAccess.objects.count() == 1


@pytest.mark.parametrize("who", ["staff_a", "reviewer"])
def test_others_cannot_open_the_log(client, request, who):
    client.force_login(request.getfixturevalue(who))

    response = client.get(reverse("admin:audit_personalinfoaccess_changelist"))

    assert response.status_code in (302, 403)


def test_a_deleted_account_keeps_its_log_entries_by_name(client, staff_a, member):
    client.force_login(staff_a)
    client.post(reverse("members:member_reveal", args=[member.pk]))
    client.logout()

    staff_a.delete()

    entry = PersonalInfoAccess.objects.get()
    assert entry.user is None and entry.user_label == "张录入"
