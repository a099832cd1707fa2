"""Hardship register pages (困难职工档案): staff, reviewers and other townships; personal details
masked where not needed and every reveal and export logged; overdue reviews flagged."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AccessAction, PersonalInfoAccess
from unionportal import clock
from unionportal.tests.factories import id_number, make_member, make_union, make_visit
from welfare.models import HardshipFile, HardshipReview

D = datetime.date
TODAY = D(2026, 7, 10)
# The household of most tests: one ID number throughout (id_number() gives a fresh one per call).
PERSON = id_number(birth=D(1975, 4, 4), male=False)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: TODAY)


def text_of(response) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def make_file(township, **fields) -> HardshipFile:
    fields.setdefault("name", "周桂英")
    fields.setdefault("id_number", PERSON)
    fields.setdefault("category", "deep")
    fields.setdefault("causes", "illness,schooling")
    fields.setdefault("household_size", 3)
    fields.setdefault("income_per_head", Decimal("612.00"))
    fields.setdefault("filed_on", D(2025, 9, 1))
    file = HardshipFile.objects.create(township=township, **fields)
    if file.reviewed_on:
        HardshipReview.objects.create(file=file, reviewed_on=file.reviewed_on)
    return file


def file_post(**extra) -> dict:
    data = {
        "name": "周桂英",
        "id_number": PERSON,
        "category": "deep",
        "causes": ["illness", "schooling"],
        "household_size": "3",
        "income_per_head": "612",
        "filed_on": "2025-09-01",
        "out_on": "",
        "out_reason": "",
        "reported_on": "",
        "note": "",
    }
    data.update(extra)
    return data


# Staff: list, detail, add, edit, delete


def test_staff_list_their_files_with_masked_ids_and_not_another_townships(
    client, staff_a, township_a, township_b
):
    own = make_file(township_a)
    make_file(township_b, name="钱多多")
    client.force_login(staff_a)

    page = text_of(client.get(reverse("welfare:hardship_list")))

    assert "周桂英" in page and "钱多多" not in page
    assert own.masked_id_number in page and own.id_number not in page


def test_adding_a_file_links_the_member_and_stores_the_causes(client, staff_a, township_a):
    member = make_member(township_a, id_number=PERSON)
    client.force_login(staff_a)

    response = client.post(reverse("welfare:hardship_create"), file_post())

    file = HardshipFile.objects.get()
    assert response.status_code == 302
    assert file.member == member and file.causes == "illness,schooling"
    assert file.id_number_hash == member.id_number_hash


def test_a_second_open_file_for_the_same_id_is_refused_in_chinese(client, staff_a, township_a):
    make_file(township_a)
    client.force_login(staff_a)

    response = client.post(reverse("welfare:hardship_create"), file_post(filed_on="2026-01-01"))

    assert response.status_code == 200
    assert "在档（未脱困）" in response.content.decode()
    assert HardshipFile.objects.count() == 1


def test_an_exit_date_needs_its_reason_beside_the_field(client, staff_a, township_a):
    client.force_login(staff_a)

    response = client.post(reverse("welfare:hardship_create"), file_post(out_on="2026-03-01"))

    assert "填写脱困日期时必须同时填写脱困原因" in response.content.decode()
    assert not HardshipFile.objects.exists()


def test_a_household_may_be_filed_again_after_leaving_hardship(client, staff_a, township_a):
    make_file(township_a, filed_on=D(2020, 1, 1), out_on=D(2022, 1, 1), out_reason="policy")
    client.force_login(staff_a)

    response = client.post(reverse("welfare:hardship_create"), file_post(filed_on="2026-02-01"))

    assert response.status_code == 302
    assert HardshipFile.objects.count() == 2


def test_editing_records_history_and_a_stale_edit_is_refused(client, staff_a, chair_a, township_a):
    file = make_file(township_a)
    client.force_login(staff_a)
    url = reverse("welfare:hardship_update", args=[file.pk])

    client.post(url, file_post(household_size="4", version="1"))
    stale = client.post(url, file_post(household_size="5", version="1"))
    detail = text_of(client.get(reverse("welfare:hardship_detail", args=[file.pk])))

    file.refresh_from_db()
    assert file.household_size == 4 and file.version == 2
    assert stale.status_code == 409
    assert "家庭人口" in detail and "修改" in detail


def test_deleting_a_file_asks_first(client, staff_a, township_a):
    file = make_file(township_a)
    client.force_login(staff_a)
    url = reverse("welfare:hardship_delete", args=[file.pk])

    assert client.get(url).status_code == 200
    assert HardshipFile.objects.filter(pk=file.pk).exists()
    client.post(url)
    assert not HardshipFile.objects.filter(pk=file.pk).exists()


# Personal information


def test_staff_see_causes_and_income_and_reveal_the_whole_id_logged(client, staff_a, township_a):
    file = make_file(township_a)
    client.force_login(staff_a)

    detail = text_of(client.get(reverse("welfare:hardship_detail", args=[file.pk])))
    revealed = text_of(client.post(reverse("welfare:hardship_reveal", args=[file.pk])))

    assert "本人大病、子女就学" in detail and "612" in detail
    assert file.id_number not in detail and file.id_number in revealed
    log = PersonalInfoAccess.objects.get(action=AccessAction.REVEAL)
    assert log.record_id == file.pk and log.user == staff_a


def test_opening_the_edit_form_is_a_logged_reveal(client, staff_a, township_a):
    file = make_file(township_a)
    client.force_login(staff_a)

    client.get(reverse("welfare:hardship_update", args=[file.pk]))

    assert PersonalInfoAccess.objects.filter(record_id=file.pk, detail="打开修改表单").exists()


def test_reviewer_sees_masked_names_and_no_causes_or_income(client, reviewer, township_a):
    file = make_file(township_a, note="配偶透析")
    client.force_login(reviewer)

    listing = text_of(client.get(reverse("welfare:hardship_list")))
    detail = text_of(client.get(reverse("welfare:hardship_detail", args=[file.pk])))
    reveal = client.post(reverse("welfare:hardship_reveal", args=[file.pk]))

    assert "周**" in listing and "周桂英" not in listing
    assert "周桂英" not in detail and "本人大病" not in detail and "612" not in detail
    assert "配偶透析" not in detail and "仅本乡镇工作人员可见" in detail
    assert reveal.status_code == 403


def test_exports_are_logged_and_a_reviewers_leaves_out_names_causes_and_income(
    client, staff_a, reviewer, township_a
):
    make_file(township_a)
    client.force_login(reviewer)
    response = client.get(reverse("welfare:hardship_list"), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)))["困难职工"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]

    assert "致困原因" not in rows[0] and "家庭月人均收入" not in rows[0]
    assert "周**" in rows[1] and "周桂英" not in rows[1]
    assert PersonalInfoAccess.objects.filter(action=AccessAction.EXPORT, user=reviewer).exists()

    client.force_login(staff_a)
    own = client.get(reverse("welfare:hardship_list"), {"format": "xlsx"})
    staff_rows = list(load_workbook(io.BytesIO(b"".join(own.streaming_content)))["困难职工"].values)
    assert "致困原因" in staff_rows[0] and "本人大病、子女就学" in staff_rows[1]
    assert PersonalInfoAccess.objects.filter(action=AccessAction.EXPORT, user=staff_a).exists()


# Links: visits and member


def test_a_file_shows_the_households_visits_and_member_and_a_visit_names_its_file(
    client, staff_a, township_a, township_b
):
    member = make_member(township_a, id_number=PERSON)
    file = make_file(township_a, member=member)
    visit = make_visit(township_a, visited_on=D(2026, 1, 20), id_number=file.id_number)
    make_visit(township_b, visited_on=D(2026, 1, 21), id_number=file.id_number, campaign="别镇")
    client.force_login(staff_a)

    detail = client.get(reverse("welfare:hardship_detail", args=[file.pk])).content.decode()
    visit_page = client.get(reverse("welfare:visit_detail", args=[visit.pk])).content.decode()
    member_page = client.get(reverse("members:member_detail", args=[member.pk])).content.decode()

    assert reverse("welfare:visit_detail", args=[visit.pk]) in detail
    assert "别镇" not in detail
    assert reverse("members:member_detail", args=[member.pk]) in detail
    assert reverse("welfare:hardship_detail", args=[file.pk]) in visit_page
    assert reverse("welfare:hardship_detail", args=[file.pk]) in member_page


# Overdue reviews (tasks for staff)


def test_overdue_reviews_are_flagged_and_filtered(client, staff_a, township_a):
    make_file(township_a, name="逾期户", filed_on=D(2025, 1, 1), reviewed_on=D(2025, 7, 1))
    make_file(
        township_a,
        name="按时户",
        id_number=id_number(birth=D(1980, 1, 1)),
        filed_on=D(2025, 1, 1),
        reviewed_on=D(2025, 7, 10),
    )
    client.force_login(staff_a)

    everything = client.get(reverse("welfare:hardship_list")).content.decode()
    overdue = text_of(client.get(reverse("welfare:hardship_list"), {"overdue": "1"}))
    home = client.get(reverse("home")).content.decode()

    assert everything.count("复核逾期</span>") == 1
    assert "逾期户" in overdue and "按时户" not in overdue
    assert f"{reverse('welfare:hardship_list')}?overdue=1" in home
    assert "1 户困难职工档案超过12个月未复核" in re.sub(r"<[^>]+>", "", home)


# Other townships and reviewers


@pytest.mark.parametrize(
    "name", ["hardship_detail", "hardship_update", "hardship_delete", "hardship_reveal"]
)
def test_other_township_gets_404_and_nothing_changes(client, staff_b, township_a, name):
    file = make_file(township_a)
    client.force_login(staff_b)
    url = reverse(f"welfare:{name}", args=[file.pk])

    assert client.get(url).status_code in (404, 405)
    assert client.post(url, file_post(name="改了", version="1")).status_code == 404
    file.refresh_from_db()
    assert (file.name, file.version) == ("周桂英", 1)
    assert not PersonalInfoAccess.objects.exists()


@pytest.mark.parametrize("name", ["hardship_create", "hardship_update", "hardship_delete"])
def test_reviewer_writes_are_refused(client, reviewer, township_a, name):
    file = make_file(township_a)
    client.force_login(reviewer)
    args = [] if name == "hardship_create" else [file.pk]

    assert (
        client.post(reverse(f"welfare:{name}", args=args), file_post(version="1")).status_code
        == 403
    )
    assert HardshipFile.objects.count() == 1


@pytest.mark.parametrize("role", ["staff_a", "reviewer"])
def test_list_and_detail_query_counts_do_not_grow(
    client, request, township_a, role, django_assert_max_num_queries
):
    client.force_login(request.getfixturevalue(role))
    union = make_union(township_a)
    for n in (3, 60):
        for i in range(n):
            make_file(
                township_a,
                union=union,
                id_number=id_number(birth=D(1960, 1, 1) + datetime.timedelta(days=n * 100 + i)),
            )
        file = HardshipFile.objects.first()
        with django_assert_max_num_queries(10):
            assert client.get(reverse("welfare:hardship_list")).status_code == 200
        with django_assert_max_num_queries(14):
            assert client.get(reverse("welfare:hardship_detail", args=[file.pk])).status_code == 200


def test_a_reviewers_records_workbook_masks_names_and_leaves_out_causes_and_income(
    client, reviewer, staff_a, township_a
):
    make_file(township_a)
    client.force_login(reviewer)
    response = client.get(reverse("workbook:export"), {"township": "all"})
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book["困难职工"].values)

    assert "致困原因" not in rows[0] and "家庭月人均收入" not in rows[0]
    assert "周**" in rows[1] and "周桂英" not in rows[1]

    client.force_login(staff_a)
    own = client.get(reverse("workbook:export"), {"township": str(township_a.pk)})
    staff_rows = list(load_workbook(io.BytesIO(b"".join(own.streaming_content)))["困难职工"].values)
    assert "致困原因" in staff_rows[0] and "周桂英" in staff_rows[1]
