"""The home page's 待办: each item counts something that needs doing and links to the list that
shows it; the county sees townships late on a summary and townships with overdue cases; the same
number of queries whatever the county's size."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.models import Submission, SubmissionDeadline, SubmissionState
from portal.todo import todo_items
from reports.models import FinalSummary
from unionportal import clock
from unionportal.models import Township
from unionportal.tests.factories import make_case, make_contract, make_dues, page_text

D = datetime.date
TODAY = D(2026, 7, 10)


@pytest.fixture(autouse=True)
def july(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: TODAY)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def work(township_a, chair_a):
    """Township A: one case open 40 days, one contract running out in 30 days and one in 90,
    two dues rows of 2026-06 (the last ended period) one unpaid, an older unpaid row, a deadline
    in 10 days."""
    make_case(township_a, received_on=D(2026, 5, 31), petitioner="超期诉求人")
    make_case(township_a, received_on=D(2026, 7, 1), petitioner="新诉求人")
    make_contract(township_a, party_name="将期满公司", expires_on=D(2026, 8, 9))
    make_contract(township_a, party_name="远期公司", expires_on=D(2026, 10, 8))
    make_dues(township_a, period="2026-06", amount_paid=Decimal("10.00"))
    make_dues(township_a, period="2026-06")
    make_dues(township_a, period="2026-05", amount_paid=Decimal("0.00"))
    SubmissionDeadline.objects.create(
        county=township_a.county, period="2026H1", due_on=D(2026, 7, 20)
    )


def test_staff_see_each_item_with_a_link_to_what_it_counts(client, staff_a, work):
    client.force_login(staff_a)

    text = page_text(client.get(reverse("home")))

    assert "待办" in text
    assert "1 件信访案件受理超过30天仍未办结" in text
    assert "1 份集体合同将在60天内期满" in text
    assert "2026年6月有 1 条经费记录未足额缴纳" in text
    assert "2026年上半年工作总结须在2026-07-20前报送县总工会（还有10天）" in text
    items = {i.text: i.url for i in todo_items_for(staff_a)}
    cases = page_text(client.get(items["1 件信访案件受理超过30天仍未办结"]))
    assert "超期诉求人" in cases and "新诉求人" not in cases
    contracts = page_text(client.get(items["1 份集体合同将在60天内期满"]))
    assert "将期满公司" in contracts and "远期公司" not in contracts
    dues = client.get(items["2026年6月有 1 条经费记录未足额缴纳"])
    assert dues.status_code == 200
    assert len(dues.context["listing"].page.object_list) == 1


def todo_items_for(user):
    from disputes.queries import overdue_counts_by_township
    from unionportal.access import visible_townships

    return todo_items(
        user,
        list(visible_townships(user)),
        today=TODAY,
        overdue_cases=overdue_counts_by_township(user),
        reviews_due={},
    )


def test_a_returned_summary_and_its_remark_are_on_the_todo(chair_a, township_a, work):
    final = FinalSummary.objects.create(
        township=township_a,
        period="2026H1",
        title="总结",
        pdf=b"%PDF",
        docx=b"PK",
        pdf_sha256="0" * 64,
        docx_sha256="0" * 64,
        finalised_by=chair_a,
    )
    now = clock.now()
    Submission.objects.create(
        township=township_a,
        period="2026H1",
        final=final,
        state=SubmissionState.RETURNED,
        remark="数字有误",
        submitted_at=now,
        updated_at=now,
    )

    text = page_text(client_for(chair_a).get(reverse("home")))

    assert "县总工会退回了2026年上半年工作总结：数字有误" in text
    # Not submitted: the deadline stays on the list too.
    assert "须在2026-07-20前报送" in text


def test_another_townships_work_is_not_on_the_todo(staff_b, work):
    text = page_text(client_for(staff_b).get(reverse("home")))

    assert "信访案件受理超过" not in text
    assert "集体合同将在" not in text
    assert "经费记录未足额缴纳" not in text
    # The deadline is the county's: township B has it too.
    assert "须在2026-07-20前报送" in text


def test_the_county_sees_townships_late_on_a_summary_and_with_overdue_cases(
    reviewer, township_a, township_b, work, monkeypatch
):
    monkeypatch.setattr(clock, "today", lambda: D(2026, 7, 25))

    text = page_text(client_for(reviewer).get(reverse("home")))

    assert "2026年上半年工作总结：2 个乡镇逾期未报送（截止2026-07-20）" in text
    assert "1 个乡镇有受理超过30天未办结的信访案件：慈东镇" in text


def _todo_queries(user) -> int:
    from disputes.queries import overdue_counts_by_township
    from unionportal.access import visible_townships

    with CaptureQueriesContext(connection) as ctx:
        townships = list(visible_townships(user))
        todo_items(
            user,
            townships,
            today=TODAY,
            overdue_cases=overdue_counts_by_township(user),
            reviews_due={},
        )
    return len(ctx.captured_queries)


def test_the_todo_takes_the_same_queries_for_2_or_6_townships(
    reviewer, staff_a, county, township_a, township_b, work, django_assert_max_num_queries
):
    small = _todo_queries(reviewer)
    reviewer_home = client_for(reviewer)
    with CaptureQueriesContext(connection) as ctx:
        reviewer_home.get(reverse("home"))
    home_with_two = len(ctx.captured_queries)
    for n in range(4):
        t = Township.objects.create(code=f"x{n}", name=f"新镇{n}", county=county)
        make_case(t, received_on=D(2026, 5, 1))
        make_dues(t, period="2026-06", amount_paid=Decimal("0.00"))

    with django_assert_max_num_queries(small):
        _todo_queries(reviewer)
    # Nine for a township: the county's deadlines, the township's submissions, contracts and
    # dues (kept under the township's data token: the token read before and after), overdue
    # cases, its township, and one count of transfers in and out; six once kept.
    with django_assert_max_num_queries(9):
        _todo_queries(staff_a)
    with django_assert_max_num_queries(6):
        _todo_queries(staff_a)
    with django_assert_max_num_queries(home_with_two):
        reviewer_home.get(reverse("home"))


def test_transfers_waiting_for_the_township_are_on_its_todo_with_fixed_queries(
    staff_a, staff_b, township_a, township_b, django_assert_max_num_queries
):
    from members.models import TransferState
    from unionportal.tests.factories import make_transfer

    make_transfer(township_b, township_a, day=D(2026, 7, 1))
    returned = make_transfer(township_a, township_b, day=D(2026, 7, 1))
    returned.state, returned.decided_at = TransferState.RETURNED, clock.now()
    returned.save()
    once = _todo_queries(staff_a)

    items = {i.text: i.url for i in todo_items_for(staff_a)}
    assert "1 名会员从其他乡镇转入，待接收" in items
    assert "1 笔转往其他乡镇的转会被退回" in items
    listing = page_text(client_for(staff_a).get(items["1 名会员从其他乡镇转入，待接收"]))
    assert "西山乡" in listing and "待接收" in listing
    # Nothing waits for B: the pending transfer is A's to accept, the returned one A's to resend.
    b_items = " ".join(i.text for i in todo_items_for(staff_b))
    assert "待接收" not in b_items and "被退回" not in b_items
    for n in range(5):
        make_transfer(township_b, township_a, day=D(2026, 7, 2 + n))
    with django_assert_max_num_queries(once):
        _todo_queries(staff_a)
    assert "6 名会员从其他乡镇转入，待接收" in {i.text for i in todo_items_for(staff_a)}


def test_paying_the_dues_or_a_new_contract_shows_on_the_next_home_page(
    client, staff_a, township_a, work, monkeypatch
):
    from members.models import DuesRecord

    client.force_login(staff_a)
    text = page_text(client.get(reverse("home")))
    assert "2026年6月有 1 条经费记录未足额缴纳" in text
    assert "1 份集体合同将在60天内期满" in text
    # Kept under the township's data token: a write to its records shows at once.
    DuesRecord.objects.filter(period="2026-06").update(amount_paid=Decimal("1000000.00"))
    make_contract(township_a, expires_on=D(2026, 8, 1))
    text = page_text(client.get(reverse("home")))
    assert "经费记录未足额缴纳" not in text
    assert "2 份集体合同将在60天内期满" in text
    # The next day counts the contracts again (the kept figures are the day's).
    monkeypatch.setattr(clock, "today", lambda: D(2026, 8, 5))
    assert "1 份集体合同将在60天内期满" in page_text(client.get(reverse("home")))


def test_the_kept_todo_reads_its_two_tables_and_is_kept_across_other_writes(staff_a, work):
    from portal.todo import TODO_TABLES, township_records_todo
    from unionportal.tests.factories import make_member, record_tables_read

    a = staff_a.township
    with CaptureQueriesContext(connection) as ctx:
        first = township_records_todo(staff_a, a.pk, TODAY)
    assert record_tables_read(ctx.captured_queries) == TODO_TABLES
    make_member(a)  # another kind of record: nothing counted again
    with CaptureQueriesContext(connection) as ctx:
        assert township_records_todo(staff_a, a.pk, TODAY) == first
    assert len(ctx.captured_queries) == 1  # the tokens
    make_contract(a, party_name="又一家将期满", expires_on=D(2026, 8, 1))
    assert township_records_todo(staff_a, a.pk, TODAY) == (first[0] + 1, first[1])
