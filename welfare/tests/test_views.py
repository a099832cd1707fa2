"""Welfare visit pages and the campaign form, as staff, reviewers and other townships see them."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from unionportal.tests.factories import id_number, make_member, make_visit, page_text
from welfare.models import BeneficiaryType, FundSource, WelfareVisit

D = datetime.date


def visit_post(**extra) -> dict:
    data = {
        "visited_on": "2026-01-20",
        "beneficiary_type": BeneficiaryType.HARDSHIP,
        "beneficiary_name": "周桂英",
        "id_number": "",
        "cash": "800.00",
        "goods_value": "200",
        "fund_source": FundSource.OWN,
        "campaign": "2026年春节送温暖",
        "note": "",
    }
    data.update(extra)
    return data


def campaign_post(rows: list[dict], **extra) -> dict:
    data = {
        "campaign": "2026年春节送温暖",
        "visited_on": "2026-01-25",
        "beneficiary_type": BeneficiaryType.HARDSHIP,
        "fund_source": FundSource.HIGHER,
        "households-TOTAL_FORMS": str(len(rows)),
        "households-INITIAL_FORMS": "0",
        "households-MIN_NUM_FORMS": "0",
        "households-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        for key in ("name", "id_number", "cash", "goods_value", "note"):
            data[f"households-{i}-{key}"] = row.get(key, "")
    data.update(extra)
    return data


# Staff: list, detail, add, edit, delete


def test_staff_sees_their_visits_and_not_another_townships(client, staff_a, township_a, township_b):
    make_visit(township_a, beneficiary_name="周桂英")
    make_visit(township_b, beneficiary_name="钱多多")
    client.force_login(staff_a)

    text = page_text(client.get(reverse("welfare:visit_list")))

    assert "周桂英" in text
    assert "钱多多" not in text
    assert "共有慰问 1 条" in text


def test_list_searches_by_name_and_filters_by_campaign(client, staff_a, township_a):
    make_visit(township_a, beneficiary_name="周桂英", campaign="2026年春节送温暖")
    make_visit(township_a, beneficiary_name="吴明", campaign="金秋助学")
    client.force_login(staff_a)
    url = reverse("welfare:visit_list")

    assert "吴明" not in page_text(client.get(url, {"q": "周桂"}))
    found = page_text(client.get(url, {"campaign": "金秋助学"}))
    assert "吴明" in found and "周桂英" not in found


def test_list_totals_the_filtered_visits(client, staff_a, township_a):
    make_visit(
        township_a, campaign="2026年春节送温暖", cash=Decimal("800"), goods_value=Decimal("200")
    )
    make_visit(township_a, campaign="2026年春节送温暖", cash=Decimal("1000"))
    make_visit(township_a, campaign="金秋助学", cash=Decimal("3000"))
    client.force_login(staff_a)

    text = page_text(client.get(reverse("welfare:visit_list"), {"campaign": "2026年春节送温暖"}))

    assert "以上筛选结果合计：慰问金额 1,800.00 元，物资折款 200.00 元。" in text


def test_adding_a_visit_links_the_member_with_that_id(client, staff_a, township_a):
    member = make_member(township_a, name="周桂英")
    client.force_login(staff_a)

    # Typed with full-width digits and spaces, as it often is.
    typed = " ".join(member.id_number.translate({c: c + 0xFEE0 for c in range(48, 58)}))
    r = client.post(reverse("welfare:visit_create"), visit_post(id_number=typed))

    visit = WelfareVisit.objects.get()
    assert r.status_code == 302
    assert visit.member == member
    assert visit.township == township_a
    assert visit.history.get().history_user == staff_a
    detail = page_text(client.get(reverse("welfare:visit_detail", args=[visit.pk])))
    assert "周桂英" in detail and "新增" in detail and "张录入" in detail


def test_adding_a_visit_with_a_wrong_id_says_so_beside_the_field(client, staff_a):
    client.force_login(staff_a)
    good = id_number()
    wrong = good[:17] + ("0" if good[17] != "0" else "1")

    r = client.post(reverse("welfare:visit_create"), visit_post(id_number=wrong))

    assert r.status_code == 200
    assert "身份证号校验位不正确" in page_text(r)
    assert not WelfareVisit.objects.exists()


def test_editing_a_visit_records_the_change_in_history(client, staff_a, township_a):
    visit = make_visit(township_a, beneficiary_name="周桂英", cash=Decimal("500"))
    client.force_login(staff_a)

    r = client.post(
        reverse("welfare:visit_update", args=[visit.pk]),
        visit_post(cash="600", version=str(visit.version)),
    )

    assert r.status_code == 302
    visit.refresh_from_db()
    assert visit.cash == Decimal("600")
    detail = page_text(client.get(reverse("welfare:visit_detail", args=[visit.pk])))
    assert "500.00 → 600.00" in detail


def test_a_stale_edit_is_refused_and_keeps_the_input(client, staff_a, chair_a, township_a):
    visit = make_visit(township_a, cash=Decimal("500"))
    client.force_login(staff_a)
    opened_at = visit.version
    client.post(
        reverse("welfare:visit_update", args=[visit.pk]),
        visit_post(cash="700", version=str(opened_at)),
    )
    client.force_login(chair_a)

    r = client.post(
        reverse("welfare:visit_update", args=[visit.pk]),
        visit_post(cash="650", version=str(opened_at)),
    )

    assert r.status_code == 409  # refused, as on every record kind
    assert "您的修改未保存" in page_text(r)
    assert 'value="650' in r.content.decode()
    visit.refresh_from_db()
    assert visit.cash == Decimal("700")


def test_deleting_a_visit_asks_first(client, staff_a, township_a):
    visit = make_visit(township_a)
    client.force_login(staff_a)
    url = reverse("welfare:visit_delete", args=[visit.pk])

    assert "确认删除" in page_text(client.get(url))
    assert WelfareVisit.objects.exists()
    assert client.post(url).status_code == 302
    assert not WelfareVisit.objects.exists()


# The campaign form


def test_campaign_records_every_household_in_one_go(client, staff_a, township_a):
    member = make_member(township_a, name="陈阿大")
    client.force_login(staff_a)
    rows = [
        {"name": "陈阿大", "id_number": member.id_number, "cash": "1000", "goods_value": "300"},
        {"name": "李二嫂", "cash": "800"},
        {"name": "王三", "goods_value": "500", "note": "米油"},
        {},  # a blank row left by 添加一户 is ignored
    ]

    r = client.post(reverse("welfare:campaign_create"), campaign_post(rows), follow=True)

    visits = WelfareVisit.objects.order_by("beneficiary_name")
    assert visits.count() == 3
    assert {v.campaign for v in visits} == {"2026年春节送温暖"}
    assert {v.visited_on for v in visits} == {D(2026, 1, 25)}
    assert {v.fund_source for v in visits} == {FundSource.HIGHER}
    assert WelfareVisit.objects.get(beneficiary_name="陈阿大").member == member
    assert WelfareVisit.objects.get(beneficiary_name="李二嫂").member is None
    text = page_text(r)
    assert "已登记“2026年春节送温暖”慰问 3 户" in text
    assert "慰问金额合计 1,800.00 元" in text
    assert all(v.history.get().history_user == staff_a for v in visits)


def test_campaign_with_an_invalid_row_saves_nothing_and_names_the_row_error(client, staff_a):
    client.force_login(staff_a)
    good = id_number()
    rows = [
        {"name": "陈阿大", "cash": "1000"},
        {"name": "李二嫂", "id_number": good[:17] + ("0" if good[17] != "0" else "1")},
        {"name": "", "cash": "-5"},
    ]

    r = client.post(reverse("welfare:campaign_create"), campaign_post(rows))

    assert r.status_code == 200
    text = page_text(r)
    assert "身份证号校验位不正确" in text
    assert "请填写对象姓名。" in text
    assert "慰问金额不能为负数。" in text
    assert "所有各户均未保存" in text
    assert not WelfareVisit.objects.exists()
    # What was typed is still there, and the faulty boxes are marked.
    html = r.content.decode()
    assert 'value="陈阿大"' in html
    faulty = re.search(r'<input[^>]*name="households-1-id_number"[^>]*>', html).group()
    assert "is-invalid" in faulty


def test_campaign_needs_at_least_one_household(client, staff_a):
    client.force_login(staff_a)

    r = client.post(reverse("welfare:campaign_create"), campaign_post([{}, {}]))

    assert "请至少填写一户慰问对象。" in page_text(r)
    assert not WelfareVisit.objects.exists()


def test_campaign_refuses_the_same_id_twice(client, staff_a):
    client.force_login(staff_a)
    same = id_number()
    rows = [{"name": "甲", "id_number": same, "cash": "1"}, {"name": "乙", "id_number": same}]

    r = client.post(reverse("welfare:campaign_create"), campaign_post(rows))

    assert "与第1户的身份证号重复。" in page_text(r)
    assert not WelfareVisit.objects.exists()


def test_campaign_form_adds_rows_with_our_own_script_not_inline(client, staff_a):
    client.force_login(staff_a)

    r = client.get(reverse("welfare:campaign_create"))

    html = r.content.decode()
    assert "添加一户" in page_text(r)
    assert "js/formset.js" in html
    assert "<script>" not in html and "onclick" not in html
    assert 'id="households-empty-row"' in html and "__prefix__" in html


# Other townships and reviewers


@pytest.mark.parametrize("name", ["visit_detail", "visit_update", "visit_delete"])
def test_other_township_gets_404_and_nothing_changes(client, staff_b, township_a, name):
    visit = make_visit(township_a, beneficiary_name="周桂英", cash=Decimal("500"))
    client.force_login(staff_b)
    url = reverse(f"welfare:{name}", args=[visit.pk])

    assert client.get(url).status_code == 404
    assert client.post(url, visit_post(cash="1", version="1")).status_code == 404
    visit.refresh_from_db()
    assert visit.cash == Decimal("500")
    assert visit.version == 1


def test_reviewer_reads_every_township_with_a_filter_and_no_controls(
    client, reviewer, township_a, township_b
):
    visit = make_visit(township_a, beneficiary_name="周桂英")
    make_visit(township_b, beneficiary_name="钱多多")
    client.force_login(reviewer)

    listing = page_text(client.get(reverse("welfare:visit_list")))
    only_a = page_text(client.get(reverse("welfare:visit_list"), {"township": township_a.pk}))
    detail = client.get(reverse("welfare:visit_detail", args=[visit.pk])).content.decode()

    assert "周桂英" in listing and "钱多多" in listing and "全部乡镇" in listing
    assert "钱多多" not in only_a
    assert "新增慰问" not in listing and "登记慰问活动" not in listing
    assert reverse("welfare:visit_update", args=[visit.pk]) not in detail
    assert reverse("welfare:visit_delete", args=[visit.pk]) not in detail


@pytest.mark.parametrize(
    "name, with_pk",
    [
        ("visit_create", False),
        ("campaign_create", False),
        ("visit_update", True),
        ("visit_delete", True),
    ],
)
def test_reviewer_writes_are_refused(client, reviewer, township_a, name, with_pk):
    visit = make_visit(township_a, cash=Decimal("500"))
    client.force_login(reviewer)
    url = reverse(f"welfare:{name}", args=[visit.pk] if with_pk else [])

    assert client.post(url, visit_post(cash="1", version="1")).status_code == 403
    assert client.post(url, campaign_post([{"name": "甲", "cash": "1"}])).status_code == 403
    assert WelfareVisit.objects.count() == 1
    visit.refresh_from_db()
    assert visit.cash == Decimal("500")


# A fixed number of queries whatever the page size


def _make_visits(township, n: int) -> None:
    member = make_member(township)
    for i in range(n):
        make_visit(township, member=member if i % 2 else None)


@pytest.mark.parametrize("role", ["staff_a", "reviewer"])
def test_list_and_detail_query_counts_do_not_grow(
    client, request, township_a, role, django_assert_max_num_queries
):
    client.force_login(request.getfixturevalue(role))
    for n in (3, 60):
        _make_visits(township_a, n)
        visit = WelfareVisit.objects.filter(member__isnull=False).first()
        # 10 when the total is counted (data tokens, count, tokens again: unionportal/kept.py).
        with django_assert_max_num_queries(10):
            assert client.get(reverse("welfare:visit_list")).status_code == 200
        with django_assert_max_num_queries(8):  # seen again: the total kept, as before
            assert client.get(reverse("welfare:visit_list")).status_code == 200
        with django_assert_max_num_queries(10):
            assert client.get(reverse("welfare:visit_detail", args=[visit.pk])).status_code == 200


def test_an_administrator_chooses_the_township_of_a_campaign(client, administrator, township_b):
    client.force_login(administrator)
    url = f"{reverse('welfare:campaign_create')}?township={township_b.pk}"

    page = page_text(client.get(url))
    client.post(url, campaign_post([{"name": "甲", "cash": "1"}], township=str(township_b.pk)))

    assert "录入到乡镇" in page
    assert WelfareVisit.objects.get().township == township_b
