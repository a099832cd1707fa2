"""Medical mutual aid pages (职工医疗互助): staff, reviewers and other townships."""

from decimal import Decimal

import pytest
from django.urls import reverse

from unionportal.tests.factories import make_union
from welfare.models import MutualAidEnrolment


def make_row(township, **fields) -> MutualAidEnrolment:
    fields.setdefault("union", make_union(township, name="恒达机械工会"))
    fields.setdefault("year", 2026)
    fields.setdefault("workers", 200)
    fields.setdefault("enrolled", 190)
    fields.setdefault("payouts", 4)
    fields.setdefault("paid_out", Decimal("12000.00"))
    return MutualAidEnrolment.objects.create(township=township, **fields)


def row_post(union, **extra) -> dict:
    data = {
        "union": str(union.pk),
        "year": "2026",
        "workers": "200",
        "enrolled": "190",
        "premiums": "19000",
        "payouts": "4",
        "paid_out": "12000",
    }
    data.update(extra)
    return data


def test_staff_list_their_rows_with_the_rate_and_totals(client, staff_a, township_a, township_b):
    make_row(township_a)
    make_row(township_b, union=make_union(township_b, name="西山工会"))
    client.force_login(staff_a)

    page = client.get(reverse("welfare:mutualaid_list")).content.decode()

    assert "恒达机械工会" in page and "西山工会" not in page
    assert "95.0%" in page


def test_adding_a_row_and_the_same_union_and_year_again_is_refused(client, staff_a, township_a):
    union = make_union(township_a, name="甲工会")
    client.force_login(staff_a)

    first = client.post(reverse("welfare:mutualaid_create"), row_post(union))
    second = client.post(reverse("welfare:mutualaid_create"), row_post(union))

    assert first.status_code == 302
    assert "该基层工会本年度已有医疗互助记录" in second.content.decode()
    assert MutualAidEnrolment.objects.count() == 1


def test_more_enrolled_than_workers_is_refused_beside_the_field(client, staff_a, township_a):
    union = make_union(township_a, name="甲工会")
    client.force_login(staff_a)

    response = client.post(reverse("welfare:mutualaid_create"), row_post(union, enrolled="201"))

    assert "参加人数不能超过在职职工人数" in response.content.decode()
    assert not MutualAidEnrolment.objects.exists()


def test_editing_records_history_and_deleting_asks_first(client, staff_a, township_a):
    row = make_row(township_a)
    client.force_login(staff_a)

    client.post(
        reverse("welfare:mutualaid_update", args=[row.pk]),
        row_post(row.union, enrolled="180", version="1"),
    )
    detail = client.get(reverse("welfare:mutualaid_detail", args=[row.pk])).content.decode()
    confirm = client.get(reverse("welfare:mutualaid_delete", args=[row.pk]))
    client.post(reverse("welfare:mutualaid_delete", args=[row.pk]))

    assert "90.0%" in detail and "参加人数" in detail
    assert confirm.status_code == 200
    assert not MutualAidEnrolment.objects.exists()


def test_the_list_exports_its_sheet(client, staff_a, township_a):
    make_row(township_a)
    client.force_login(staff_a)

    response = client.get(reverse("welfare:mutualaid_list"), {"format": "xlsx"})

    assert response.status_code == 200
    assert (
        response["Content-Disposition"].endswith('.xlsx"')
        or "xlsx" in response["Content-Disposition"]
    )


@pytest.mark.parametrize("name", ["mutualaid_detail", "mutualaid_update", "mutualaid_delete"])
def test_other_township_gets_404_and_nothing_changes(client, staff_b, township_a, name):
    row = make_row(township_a)
    client.force_login(staff_b)
    url = reverse(f"welfare:{name}", args=[row.pk])

    assert client.get(url).status_code == 404
    assert client.post(url, row_post(row.union, enrolled="1", version="1")).status_code == 404
    row.refresh_from_db()
    assert (row.enrolled, row.version) == (190, 1)


@pytest.mark.parametrize("name", ["mutualaid_create", "mutualaid_update", "mutualaid_delete"])
def test_reviewer_reads_but_writes_are_refused(client, reviewer, township_a, name):
    row = make_row(township_a)
    client.force_login(reviewer)
    args = [] if name == "mutualaid_create" else [row.pk]

    assert client.get(reverse("welfare:mutualaid_detail", args=[row.pk])).status_code == 200
    response = client.post(reverse(f"welfare:{name}", args=args), row_post(row.union, version="1"))
    assert response.status_code == 403
    row.refresh_from_db()
    assert MutualAidEnrolment.objects.count() == 1 and row.version == 1
