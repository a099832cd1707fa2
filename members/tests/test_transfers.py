"""Transfers to another township of the county (跨乡镇转会): sent by the member's township, accepted
or returned by the receiving one, withdrawn by the sender while pending; on acceptance the member
counts in the old township up to the day before the transfer date and in the new one from it, and
is no 新发展会员 there. Both townships see the transfer; nobody else does."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from members import services
from members.models import Member, MemberTransfer, TransferState
from members.queries import active_on
from reports import indicators
from reports.indicators import TOTAL, Scope
from unionportal import clock
from unionportal.models import Role, User
from unionportal.periods import parse_period
from unionportal.record_services import StaleRecord
from unionportal.tests.factories import (
    make_employer,
    make_member,
    make_township,
    make_transfer,
    make_union,
    page_text,
)

D = datetime.date
TODAY = D(2026, 10, 10)
DAY = D(2026, 10, 1)


@pytest.fixture(autouse=True)
def october(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: TODAY)


@pytest.fixture
def member(township_a):
    return make_member(
        township_a,
        name="周转会",
        union=make_union(township_a, name="慈东机械工会"),
        joined_on=D(2020, 1, 1),
        card_number="HY-001",
        is_migrant=True,
    )


@pytest.fixture
def union_b(township_b):
    return make_union(township_b, name="西山纺织工会")


def send(member, user, **overrides):
    fields = {
        "to_township": overrides.pop("to_township", None),
        "day": DAY,
        "reason": "随单位搬迁",
        "proposed_unit": "西山纺织厂",
        "expected_version": member.version,
        **overrides,
    }
    return services.send_transfer(user=user, member=member, **fields)


@pytest.fixture
def sent(member, staff_a, township_b):
    return send(member, staff_a, to_township=township_b)


def accept(transfer, user, union, employer=None):
    return services.accept_transfer(
        user=user,
        transfer=transfer,
        union=union,
        employer=employer,
        expected_version=transfer.version,
    )


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- services -----------------------------------------------------------------------------------


def test_a_sent_transfer_waits_and_the_member_stays_where_they_are(sent, member, township_a):
    assert sent.state == TransferState.PENDING
    member.refresh_from_db()
    assert member.left_on is None
    assert Member.objects.filter(active_on(TODAY), township=township_a).count() == 1


def test_accepting_ends_the_old_record_on_the_day_and_starts_one_in_the_new_township(
    sent, member, staff_b, township_a, township_b, union_b
):
    employer = make_employer(township_b, name="西山纺织厂")

    done = accept(sent, staff_b, union_b, employer)

    member.refresh_from_db()
    received = done.received_member
    assert done.state == TransferState.ACCEPTED
    assert (done.decided_by, done.decided_at is not None) == (staff_b, True)
    assert member.left_on == DAY
    assert member.left_reason == "转出至西山乡：随单位搬迁"
    assert received.township == township_b
    assert (received.union, received.employer) == (union_b, employer)
    assert received.joined_on == DAY
    assert received.transferred_in
    assert received.id_number == member.id_number
    assert (received.card_number, received.is_migrant) == ("HY-001", True)
    # Counted in A up to the day before the transfer date, in B from it.
    before, on = DAY - datetime.timedelta(days=1), DAY
    assert Member.objects.filter(active_on(before), township=township_a).count() == 1
    assert Member.objects.filter(active_on(before), township=township_b).count() == 0
    assert Member.objects.filter(active_on(on), township=township_a).count() == 0
    assert Member.objects.filter(active_on(on), township=township_b).count() == 1


def test_both_histories_name_the_transfer_and_the_other_township(sent, member, staff_b, union_b):
    done = accept(sent, staff_b, union_b)

    out = member.history.latest("history_id").history_change_reason
    into = done.received_member.history.latest("history_id").history_change_reason
    assert out == "转会转出（转往西山乡，2026-10-01，随单位搬迁）"
    assert into == "转会转入（自慈东镇转入，2026-10-01，随单位搬迁）"


def test_a_second_transfer_while_one_is_pending_is_refused(sent, member, staff_a, township_a):
    third = make_township(township_a.county, name="东湖镇")
    member.refresh_from_db()

    with pytest.raises(ValidationError) as refused:
        send(member, staff_a, to_township=third)

    assert "周转会已有一笔转往西山乡的跨乡镇转会（2026-10-01）待接收" in refused.value.messages[0]
    assert MemberTransfer.objects.count() == 1


def test_a_transfer_within_the_township_or_leaving_is_refused_while_one_is_pending(
    sent, member, staff_a, township_a
):
    member.refresh_from_db()
    other = make_union(township_a, name="慈东五金工会")

    with pytest.raises(ValidationError) as moving:
        services.transfer_member(
            user=staff_a, member=member, union=other, day=TODAY, expected_version=member.version
        )
    with pytest.raises(ValidationError) as leaving:
        services.leave_member(
            user=staff_a, member=member, day=TODAY, reason="退休", expected_version=member.version
        )

    assert "请先撤回那笔转会" in moving.value.messages[0]
    assert "不能再办理离会" in leaving.value.messages[0]


def test_the_day_the_township_and_the_county_are_checked(member, staff_a, township_a):
    other_county = make_township(
        type(township_a.county).objects.create(name="余姚县"), name="兰亭镇"
    )
    b = make_township(township_a.county, name="北山乡")

    with pytest.raises(ValidationError) as future:
        send(member, staff_a, to_township=b, day=TODAY + datetime.timedelta(days=1))
    with pytest.raises(ValidationError) as early:
        send(member, staff_a, to_township=b, day=D(2019, 12, 31))
    with pytest.raises(ValidationError) as own:
        send(member, staff_a, to_township=township_a)
    with pytest.raises(ValidationError) as elsewhere:
        send(member, staff_a, to_township=other_county)

    assert future.value.message_dict["day"] == ["转会日期不能晚于今天。"]
    assert early.value.message_dict["day"] == ["转会日期不能早于入会日期。"]
    assert "请选择本县的其他乡镇" in own.value.message_dict["to_township"][0]
    assert own.value.message_dict["to_township"]
    assert elsewhere.value.message_dict["to_township"] == ["只能转往本县（市、区）的乡镇。"]
    assert not MemberTransfer.objects.exists()


def test_returning_keeps_the_member_and_the_sender_may_send_again(
    sent, member, staff_a, staff_b, township_b
):
    services.return_transfer(
        user=staff_b, transfer=sent, remark="本乡镇无此单位", expected_version=sent.version
    )

    sent.refresh_from_db()
    member.refresh_from_db()
    assert (sent.state, sent.remark, sent.decided_by) == (
        TransferState.RETURNED,
        "本乡镇无此单位",
        staff_b,
    )
    assert member.left_on is None
    again = send(member, staff_a, to_township=township_b)
    assert again.state == TransferState.PENDING


def test_a_cancelled_transfer_cannot_be_accepted_and_says_who_withdrew_it(
    sent, staff_a, staff_b, union_b
):
    services.cancel_transfer(user=staff_a, transfer=sent, expected_version=sent.version)
    sent.refresh_from_db()

    with pytest.raises(ValidationError) as refused:
        accept(sent, staff_b, union_b)

    assert refused.value.messages[0].startswith("这笔转会已由张录入于 ")
    assert refused.value.messages[0].endswith("办理为“已撤回”，不能再接收。")
    assert not Member.objects.filter(transferred_in=True).exists()


def test_an_accepted_transfer_cannot_be_cancelled_or_returned(sent, staff_a, staff_b, union_b):
    done = accept(sent, staff_b, union_b)

    with pytest.raises(ValidationError) as cancelled:
        services.cancel_transfer(user=staff_a, transfer=done, expected_version=done.version)
    with pytest.raises(ValidationError) as returned:
        services.return_transfer(user=staff_b, transfer=done, remark="错了", expected_version=1)

    assert "办理为“已接收”，不能再撤回。" in cancelled.value.messages[0]
    assert "办理为“已接收”，不能再退回。" in returned.value.messages[0]


def test_a_stale_form_is_refused(sent, staff_b, union_b):
    with pytest.raises(StaleRecord):
        services.accept_transfer(
            user=staff_b, transfer=sent, union=union_b, employer=None, expected_version=99
        )
    with pytest.raises(StaleRecord):
        send(sent.member, sent.created_by, to_township=sent.to_township, expected_version=0)


def test_only_the_receiving_township_accepts_and_only_the_sender_cancels(
    sent, staff_a, staff_b, union_b, reviewer
):
    for user in (staff_a, reviewer):
        with pytest.raises(PermissionDenied):
            accept(sent, user, union_b)
    for user in (staff_b, reviewer):
        with pytest.raises(PermissionDenied):
            services.cancel_transfer(user=user, transfer=sent, expected_version=sent.version)


def test_the_union_must_be_the_receiving_townships(sent, staff_b, member):
    with pytest.raises(ValidationError) as refused:
        accept(sent, staff_b, member.union)

    assert refused.value.message_dict["union"] == ["所属工会必须是本乡镇的基层工会。"]


def test_a_person_with_an_earlier_record_in_the_receiving_township_is_refused(
    member, staff_a, staff_b, township_b, union_b
):
    make_member(
        township_b,
        name="周转会",
        id_number=member.id_number,
        left_on=D(2019, 6, 30),
        joined_on=D(2015, 1, 1),
    )
    transfer = send(member, staff_a, to_township=township_b)

    with pytest.raises(ValidationError) as refused:
        accept(transfer, staff_b, union_b)

    assert "同一人在一个乡镇只能有一条会员记录，不能再转入" in refused.value.messages[0]
    member.refresh_from_db()
    assert member.left_on is None


# --- indicators ---------------------------------------------------------------------------------


def test_summaries_count_the_member_on_the_right_side_of_the_date_and_not_as_new(
    sent, staff_b, township_a, township_b, union_b
):
    make_member(township_b, union=union_b, joined_on=D(2026, 10, 5), name="新会员")
    accept(sent, staff_b, union_b)
    september, q4 = parse_period("2026-09"), parse_period("2026Q4")

    a_sep = indicators.organisation(Scope.for_township(township_a), september)[TOTAL]
    b_sep = indicators.organisation(Scope.for_township(township_b), september)[TOTAL]
    a_q4 = indicators.organisation(Scope.for_township(township_a), q4)[TOTAL]
    b_q4 = indicators.organisation(Scope.for_township(township_b), q4)[TOTAL]

    assert (a_sep.members, b_sep.members) == (1, 0)
    assert (a_q4.members, b_q4.members) == (0, 2)
    # The member transferred in is no 新发展会员 of B; the one who joined is.
    assert b_q4.new_members == 1
    assert b_q4.migrant_members == 1


def test_the_monthly_trend_leaves_the_member_transferred_in_out_of_new_members(
    sent, staff_b, township_b, union_b
):
    from reports.trend import monthly

    accept(sent, staff_b, union_b)

    trend = monthly(Scope.for_township(township_b), parse_period("2026Q4"))

    assert trend[TOTAL][D(2026, 10, 1)].new_members == 0


# --- pages --------------------------------------------------------------------------------------


def test_the_sender_starts_a_transfer_from_the_members_transfer_page(member, staff_a, township_b):
    client = client_for(staff_a)
    page = client.get(reverse("members:member_transfer", args=[member.pk]))
    out_url = reverse("members:member_transfer_out", args=[member.pk])
    assert out_url in page.content.decode()
    form = page_text(client.get(out_url))
    assert "西山乡" in form and "慈东镇" not in form.split("转入乡镇", 1)[1]

    response = client.post(
        out_url,
        {
            "version": member.version,
            "to_township": township_b.pk,
            "day": "2026-10-01",
            "reason": "随单位搬迁",
        },
    )

    transfer = MemberTransfer.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("members:transfer_detail", args=[transfer.pk])
    page = page_text(client.get(reverse("members:member_transfer", args=[member.pk])))
    assert "已办理转往西山乡（转会日期 2026-10-01），等待对方乡镇接收。" in page


def test_the_receiver_sees_it_on_the_todo_and_the_list_and_accepts_it(
    sent, staff_b, union_b, member
):
    client = client_for(staff_b)

    home = page_text(client.get(reverse("home")))
    listing = page_text(
        client.get(reverse("members:transfer_list"), {"direction": "in", "state": "pending"})
    )
    detail = page_text(client.get(reverse("members:transfer_detail", args=[sent.pk])))
    response = client.post(
        reverse("members:transfer_accept", args=[sent.pk]),
        {"version": sent.version, "union": union_b.pk},
    )

    assert "1 名会员从其他乡镇转入，待接收" in home
    assert "周转会" in listing and "慈东镇" in listing
    assert "接收" in detail and "退回" in detail
    # The ID is masked for the receiving township, and the sender's record is not linked.
    assert member.id_number not in detail and member.masked_id_number in detail
    received = Member.objects.get(transferred_in=True)
    assert response["Location"] == reverse("members:member_detail", args=[received.pk])
    page = page_text(client.get(response["Location"]))
    assert "自慈东镇转入" in page and "转会转入（自慈东镇转入，2026-10-01，随单位搬迁）" in page
    # The sending township's record stays out of the receiver's reach.
    assert client.get(reverse("members:member_detail", args=[member.pk])).status_code == 404
    assert "待接收" not in page_text(client.get(reverse("home")))


def test_the_receiver_returns_it_with_a_remark_and_the_sender_sees_it(sent, staff_a, staff_b):
    response = client_for(staff_b).post(
        reverse("members:transfer_return", args=[sent.pk]),
        {"version": sent.version, "remark": "本乡镇无此单位"},
    )

    assert response.status_code == 302
    home = page_text(client_for(staff_a).get(reverse("home")))
    detail = page_text(client_for(staff_a).get(reverse("members:transfer_detail", args=[sent.pk])))
    assert "1 笔转往其他乡镇的转会被退回" in home
    assert "本乡镇无此单位" in detail and "已退回" in detail


def test_the_sender_cancels_a_pending_transfer(sent, staff_a):
    client = client_for(staff_a)

    response = client.post(
        reverse("members:transfer_cancel", args=[sent.pk]), {"version": sent.version}
    )
    again = client.post(reverse("members:transfer_cancel", args=[sent.pk]), {"version": 2})

    sent.refresh_from_db()
    assert response.status_code == 302
    assert sent.state == TransferState.CANCELLED
    text = page_text(client.get(again["Location"]))
    assert "这笔转会已由张录入于" in text and "不能再撤回" in text


def test_sender_cannot_accept_and_receiver_cannot_cancel(sent, staff_a, staff_b):
    accepted = client_for(staff_a).get(reverse("members:transfer_accept", args=[sent.pk]))
    cancelled = client_for(staff_b).post(
        reverse("members:transfer_cancel", args=[sent.pk]), {"version": sent.version}
    )

    assert (accepted.status_code, cancelled.status_code) == (403, 403)
    sent.refresh_from_db()
    assert sent.state == TransferState.PENDING


def test_the_county_sees_transfers_read_only(sent, reviewer, union_b):
    client = client_for(reviewer)

    listing = page_text(client.get(reverse("members:transfer_list")))
    detail = client.get(reverse("members:transfer_detail", args=[sent.pk]))
    posted = client.post(
        reverse("members:transfer_accept", args=[sent.pk]),
        {"version": sent.version, "union": union_b.pk},
    )

    assert "周转会" in listing
    assert detail.status_code == 200
    assert reverse("members:transfer_accept", args=[sent.pk]) not in detail.content.decode()
    assert posted.status_code == 403
    sent.refresh_from_db()
    assert sent.state == TransferState.PENDING


def test_another_township_sees_nothing_of_the_transfer(sent, township_a, union_b):
    third = make_township(township_a.county, name="东湖镇")
    outsider = User.objects.create_user("staff_c", role=Role.STAFF, township=third)
    client = client_for(outsider)

    listing = page_text(client.get(reverse("members:transfer_list")))
    pages = [
        client.get(reverse("members:transfer_detail", args=[sent.pk])),
        client.get(reverse("members:transfer_accept", args=[sent.pk])),
        client.post(
            reverse("members:transfer_accept", args=[sent.pk]),
            {"version": sent.version, "union": union_b.pk},
        ),
        client.post(reverse("members:transfer_return", args=[sent.pk]), {"remark": "x"}),
        client.post(reverse("members:transfer_cancel", args=[sent.pk]), {"version": "1"}),
    ]

    assert "周转会" not in listing
    assert [p.status_code for p in pages] == [404] * 5
    sent.refresh_from_db()
    assert sent.state == TransferState.PENDING


def test_the_member_page_lists_the_transfer_on_the_senders_side(sent, staff_a, member):
    page = page_text(client_for(staff_a).get(reverse("members:member_detail", args=[member.pk])))

    assert "跨乡镇转会" in page and "转往西山乡" in page and "待接收" in page


def test_the_dashboards_new_member_link_leaves_out_members_transferred_in(
    sent, staff_b, township_b, union_b
):
    accept(sent, staff_b, union_b)
    make_member(township_b, union=union_b, joined_on=D(2026, 10, 5), name="新会员")

    listing = page_text(
        client_for(staff_b).get(
            reverse("members:member_list"),
            {"from": "2026-10-01", "to": "2026-12-31", "transferred_in": "0"},
        )
    )

    assert "新会员" in listing and "周转会" not in listing


def test_make_transfer_builds_a_pending_transfer(township_a, township_b):
    transfer = make_transfer(township_a, township_b)

    assert transfer.state == TransferState.PENDING
    assert transfer.member.township == township_a
