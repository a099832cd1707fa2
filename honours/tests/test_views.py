"""Honour pages (荣誉表彰): add, link to the member by ID, masked ID, list filters and export,
a member's page naming their honours, stale edits, and other townships kept out."""

import datetime

from django.urls import reverse

from audit.models import PersonalInfoAccess
from honours.models import Honour
from unionportal.tests.factories import id_number, make_honour, make_member, page_text

D = datetime.date


def _post(**changes) -> dict:
    data = {
        "recipient": "王小红",
        "recipient_type": "person",
        "title": "劳动模范",
        "level": "city",
        "granted_by": "慈溪市人民政府",
        "granted_on": "2026-04-28",
        "workplace": "恒达机械有限公司",
    }
    data.update(changes)
    return data


def test_a_persons_honour_is_linked_to_the_member_with_that_id(client, staff_a, township_a):
    member = make_member(township_a, name="王小红")
    client.force_login(staff_a)

    response = client.post(reverse("honours:honour_create"), _post(id_number=member.id_number))

    assert response.status_code == 302
    honour = Honour.objects.get()
    assert (honour.member, honour.created_by, honour.level) == (member, staff_a, "city")
    assert honour.id_number_hash == member.id_number_hash


def test_a_collective_honour_with_an_id_number_is_refused(client, staff_a):
    client.force_login(staff_a)

    response = client.post(
        reverse("honours:honour_create"),
        _post(recipient="装配车间", recipient_type="collective", id_number=id_number()),
    )

    assert "集体荣誉不填身份证号。" in page_text(response)
    assert not Honour.objects.exists()


def test_the_same_honour_twice_is_refused_in_chinese(client, staff_a, township_a):
    make_honour(township_a, recipient="王小红", title="劳动模范", granted_on=D(2026, 4, 28))
    client.force_login(staff_a)

    response = client.post(reverse("honours:honour_create"), _post())

    assert "本乡镇已有同一获奖对象、同一荣誉、同一授予日期的记录。" in page_text(response)
    assert Honour.objects.count() == 1


def test_the_detail_masks_the_id_and_links_the_member(client, staff_a, township_a):
    member = make_member(township_a, name="王小红")
    honour = make_honour(township_a, recipient="王小红", id_number=member.id_number, member=member)
    client.force_login(staff_a)

    html = client.get(reverse("honours:honour_detail", args=[honour.pk])).content.decode()

    assert member.id_number not in html
    assert honour.masked_id_number in html
    assert reverse("members:member_detail", args=[member.pk]) in html


def test_revealing_the_id_is_logged(client, staff_a, township_a):
    honour = make_honour(township_a)
    client.force_login(staff_a)

    html = client.post(reverse("honours:honour_reveal", args=[honour.pk])).content.decode()

    assert honour.id_number in html
    assert PersonalInfoAccess.objects.filter(user=staff_a).exists()


def test_a_members_page_lists_their_honours(client, staff_a, township_a):
    member = make_member(township_a)
    make_honour(township_a, id_number=member.id_number, member=member, title="五一劳动奖章")
    make_honour(township_a, title="十佳职工")  # someone else's
    client.force_login(staff_a)

    text = page_text(client.get(reverse("members:member_detail", args=[member.pk])))

    assert "荣誉表彰" in text and "五一劳动奖章" in text
    assert "十佳职工" not in text


def test_the_list_filters_model_workers_and_level(client, staff_a, township_a):
    make_honour(township_a, recipient="甲", title="劳动模范", level="city")
    make_honour(township_a, recipient="乙", title="文明职工", level="city")
    make_honour(township_a, recipient="丙", title="五一劳动奖章", level="province")
    client.force_login(staff_a)

    text = page_text(
        client.get(reverse("honours:honour_list"), {"model_worker": "1", "level": "city"})
    )

    assert "甲" in text and "乙" not in text and "丙" not in text


def test_an_export_of_the_list_is_logged_and_masked(client, staff_a, township_a):
    honour = make_honour(township_a)
    client.force_login(staff_a)

    response = client.get(reverse("honours:honour_list"), {"format": "xlsx"})

    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert honour.id_number.encode() not in body
    assert PersonalInfoAccess.objects.filter(user=staff_a).exists()


def test_an_honour_edited_meanwhile_is_not_overwritten(client, staff_a, township_a):
    honour = make_honour(township_a, recipient="王小红", title="劳动模范")
    Honour.objects.filter(pk=honour.pk).update(version=2, level="province")
    client.force_login(staff_a)

    response = client.post(
        reverse("honours:honour_update", args=[honour.pk]),
        _post(id_number=honour.id_number, level="national", version="1"),
    )

    assert response.status_code == 409
    honour.refresh_from_db()
    assert honour.level == "province"


def test_other_township_staff_get_404_and_nothing_changes(client, staff_b, township_a):
    honour = make_honour(township_a)
    client.force_login(staff_b)

    for page in ("detail", "update", "delete", "reveal"):
        url = reverse(f"honours:honour_{page}", args=[honour.pk])
        if page != "reveal":
            assert client.get(url).status_code == 404
        assert client.post(url, _post(version="1")).status_code == 404
    assert Honour.objects.filter(pk=honour.pk, title=honour.title).exists()


def test_a_reviewer_reads_but_cannot_write(client, reviewer, township_a):
    honour = make_honour(township_a)
    client.force_login(reviewer)

    assert client.get(reverse("honours:honour_detail", args=[honour.pk])).status_code == 200
    assert client.post(reverse("honours:honour_delete", args=[honour.pk])).status_code == 403
    assert Honour.objects.filter(pk=honour.pk).exists()
