"""Union milestones (工会建设) and dues remitted upward (经费上缴): pages, the union's present
marks following its milestones, the union form's yes/no shortcut, re-founding a dissolved
union, and other townships kept out."""

import datetime
from decimal import Decimal

from django.urls import reverse

from members.models import DuesRemittance, GrassrootsUnion, UnionMilestone
from unionportal import clock
from unionportal.tests.factories import make_milestone, make_remittance, make_union, page_text

D = datetime.date


def _union_post(union: GrassrootsUnion, **changes) -> dict:
    data = {
        "name": union.name,
        "kind": union.kind,
        "founded_on": union.founded_on.isoformat(),
        "chair_name": union.chair_name,
        "star": union.star,
        "version": union.version,
    }
    for flag in ("chair_is_migrant", "standardised", "has_congress", "has_affairs_openness"):
        if getattr(union, flag):
            data[flag] = "on"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_a_star_rating_recorded_as_a_milestone_becomes_the_unions_star(client, staff_a, township_a):
    union = make_union(township_a, name="恒达机械工会")
    client.force_login(staff_a)

    response = client.post(
        reverse("members:milestone_create"),
        {"union": union.pk, "kind": "star", "happened_on": "2026-03-01", "level": "three"},
    )

    assert response.status_code == 302
    milestone = UnionMilestone.objects.get()
    assert (milestone.union, milestone.level, milestone.created_by) == (union, "three", staff_a)
    union.refresh_from_db()
    assert union.star == "three"
    assert union.history.first().history_change_reason == "依工会建设记录更新"


def test_a_star_rating_without_a_level_is_refused_beside_the_field(client, staff_a, township_a):
    union = make_union(township_a)
    client.force_login(staff_a)

    response = client.post(
        reverse("members:milestone_create"),
        {"union": union.pk, "kind": "star", "happened_on": "2026-03-01"},
    )

    assert response.status_code == 200
    assert "星级评定须填写等级" in page_text(response)
    assert not UnionMilestone.objects.exists()


def test_a_chair_on_a_congress_is_refused(client, staff_a, township_a):
    union = make_union(township_a)
    client.force_login(staff_a)

    response = client.post(
        reverse("members:milestone_create"),
        {
            "union": union.pk,
            "kind": "congress_held",
            "happened_on": "2026-03-01",
            "chair_name": "甲",
        },
    )

    assert "工会主席只在换届时填写。" in page_text(response)
    assert not UnionMilestone.objects.exists()


def test_changing_a_mark_on_the_union_form_records_a_milestone_dated_today(
    client, staff_a, township_a
):
    union = make_union(township_a, name="恒达机械工会", founded_on=D(2015, 5, 1))
    client.force_login(staff_a)

    response = client.post(
        reverse("members:union_update", args=[union.pk]),
        _union_post(union, standardised="on", star="two", chair_name="陈建国"),
    )

    assert response.status_code == 302
    found = {
        (m.kind, m.happened_on, m.level, m.chair_name)
        for m in UnionMilestone.objects.filter(union=union)
    }
    today = clock.today()
    assert found == {
        ("standardised", today, "", ""),
        ("star", today, "two", ""),
        ("election", today, "", "陈建国"),
    }


def test_a_new_unions_marks_hold_from_its_founding_day(client, staff_a, township_a):
    client.force_login(staff_a)

    client.post(
        reverse("members:union_create"),
        {
            "name": "新建工会",
            "kind": "enterprise",
            "founded_on": "2026-02-01",
            "star": "one",
            "has_congress": "on",
        },
    )

    union = GrassrootsUnion.objects.get(name="新建工会")
    assert set(union.milestones.values_list("kind", "happened_on", "level")) == {
        ("star", D(2026, 2, 1), "one"),
        ("congress_system", D(2026, 2, 1), ""),
    }


def test_a_dissolved_union_is_re_founded_under_its_name(client, staff_a, township_a):
    old = make_union(
        township_a, name="老街联合工会", founded_on=D(2001, 1, 1), dissolved_on=D(2024, 6, 30)
    )
    client.force_login(staff_a)

    response = client.post(
        reverse("members:union_create"),
        {"name": "老街联合工会", "kind": "joint", "founded_on": "2026-03-01", "star": "none"},
    )

    assert response.status_code == 302
    assert GrassrootsUnion.objects.filter(name="老街联合工会").count() == 1
    old.refresh_from_db()
    assert old.dissolved_on is None
    assert old.founded_on == D(2001, 1, 1)
    assert list(old.milestones.values_list("kind", "happened_on")) == [("refounded", D(2026, 3, 1))]


def test_re_founding_before_the_dissolution_is_refused(client, staff_a, township_a):
    make_union(
        township_a, name="老街联合工会", founded_on=D(2001, 1, 1), dissolved_on=D(2024, 6, 30)
    )
    client.force_login(staff_a)

    response = client.post(
        reverse("members:union_create"),
        {"name": "老街联合工会", "kind": "joint", "founded_on": "2024-01-01", "star": "none"},
    )

    assert "重建日期不能早于撤销日期" in page_text(response)
    assert not UnionMilestone.objects.exists()


def test_a_refounding_milestone_on_a_union_not_dissolved_is_refused(client, staff_a, township_a):
    union = make_union(township_a)
    client.force_login(staff_a)

    response = client.post(
        reverse("members:milestone_create"),
        {"union": union.pk, "kind": "refounded", "happened_on": "2026-03-01"},
    )

    assert "该工会未撤销，不能登记重建。" in page_text(response)


def test_deleting_the_latest_milestone_gives_the_union_its_earlier_status(
    client, staff_a, township_a
):
    union = make_union(township_a)
    make_milestone(township_a, union=union, kind="star", happened_on=D(2020, 1, 1), level="one")
    client.force_login(staff_a)
    client.post(
        reverse("members:milestone_create"),
        {"union": union.pk, "kind": "star", "happened_on": "2026-01-01", "level": "two"},
    )
    latest = UnionMilestone.objects.get(level="two")

    client.post(reverse("members:milestone_delete", args=[latest.pk]))

    union.refresh_from_db()
    assert union.star == "one"


def test_the_union_page_shows_its_milestones_as_a_timeline(client, staff_a, township_a):
    union = make_union(township_a, name="恒达机械工会")
    make_milestone(
        township_a, union=union, kind="congress_held", happened_on=D(2026, 3, 18), delegates=45
    )
    make_milestone(
        township_a, union=union, kind="election", happened_on=D(2021, 5, 10), chair_name="陈建国"
    )
    client.force_login(staff_a)

    html = client.get(reverse("members:union_detail", args=[union.pk])).content.decode()

    timeline = html[html.index('id="milestone-timeline"') :]
    assert timeline.index("2026-03-18") < timeline.index("2021-05-10")
    assert "职工代表 45 人" in timeline and "主席 陈建国" in timeline


def test_the_milestone_list_filters_by_kind_and_exports(client, staff_a, township_a):
    make_milestone(township_a, kind="congress_held")
    make_milestone(township_a, kind="election", chair_name="甲")
    client.force_login(staff_a)

    listed = page_text(client.get(reverse("members:milestone_list"), {"kind": "election"}))
    export = client.get(reverse("members:milestone_list"), {"format": "xlsx"})

    assert "共 1 条" in listed or "工会建设 1 条" in listed
    assert "— 甲 —" in listed
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_a_remittance_is_added_with_its_period_and_listed(client, staff_a, township_a):
    client.force_login(staff_a)

    response = client.post(
        reverse("members:remittance_create"),
        {
            "period": "2026h1",
            "amount_due": "52000",
            "amount_paid": "50000",
            "paid_on": "2026-07-15",
        },
    )

    assert response.status_code == 302
    remittance = DuesRemittance.objects.get()
    assert (remittance.period, remittance.period_start) == ("2026H1", D(2026, 1, 1))
    assert "2026H1" in page_text(client.get(reverse("members:remittance_list")))


def test_a_second_remittance_for_the_same_period_is_refused(client, staff_a, township_a):
    make_remittance(township_a, period="2026Q1")
    client.force_login(staff_a)

    response = client.post(
        reverse("members:remittance_create"),
        {"period": "2026Q1", "amount_due": "1", "amount_paid": "1"},
    )

    assert "本乡镇这一所属期间已有经费上缴记录。" in page_text(response)
    assert DuesRemittance.objects.count() == 1


def test_a_remittance_edited_meanwhile_is_not_overwritten(client, staff_a, township_a):
    remittance = make_remittance(township_a, period="2026Q1", amount_paid=Decimal("10"))
    DuesRemittance.objects.filter(pk=remittance.pk).update(version=2)
    client.force_login(staff_a)

    response = client.post(
        reverse("members:remittance_update", args=[remittance.pk]),
        {"period": "2026Q1", "amount_due": "1000", "amount_paid": "999", "version": "1"},
    )

    assert response.status_code == 409
    remittance.refresh_from_db()
    assert remittance.amount_paid == Decimal("10")


def test_other_township_staff_get_404_for_milestones_and_remittances(client, staff_b, township_a):
    milestone = make_milestone(township_a)
    remittance = make_remittance(township_a)
    client.force_login(staff_b)

    for kind, record in (("milestone", milestone), ("remittance", remittance)):
        for page in ("detail", "update", "delete"):
            url = reverse(f"members:{kind}_{page}", args=[record.pk])
            assert client.get(url).status_code == 404
            assert client.post(url, {"version": "1"}).status_code == 404
    assert UnionMilestone.objects.filter(pk=milestone.pk).exists()
    assert DuesRemittance.objects.filter(pk=remittance.pk).exists()


def test_a_reviewer_sees_the_pages_but_cannot_add(client, reviewer, township_a):
    milestone = make_milestone(township_a)
    client.force_login(reviewer)

    assert client.get(reverse("members:milestone_detail", args=[milestone.pk])).status_code == 200
    assert client.post(reverse("members:milestone_create"), {}).status_code == 403


def test_the_union_list_on_a_past_day_leaves_out_a_union_dissolved_then(
    client, staff_a, township_a
):
    union = make_union(township_a, name="老街联合工会", founded_on=D(2001, 1, 1))
    make_milestone(township_a, union=union, kind="dissolved", happened_on=D(2024, 6, 30))
    make_milestone(township_a, union=union, kind="refounded", happened_on=D(2026, 3, 1))
    client.force_login(staff_a)

    then = page_text(client.get(reverse("members:union_list"), {"active": "1", "at": "2025-06-30"}))
    now = page_text(client.get(reverse("members:union_list"), {"active": "1", "at": "2026-06-30"}))

    assert "老街联合工会" not in then
    assert "老街联合工会" in now
