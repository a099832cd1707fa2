"""An administrator restores deleted records; nobody else may."""

import pytest
from django.urls import reverse

from members.models import GrassrootsUnion, Member
from unionportal.tests.factories import make_member, make_union, page_text


@pytest.fixture
def deleted_member(client, staff_a, township_a):
    union = make_union(township_a, name="慈东镇五金厂工会")
    member = make_member(township_a, union=union, name="郑十一", card_number="HY-0001")
    client.force_login(staff_a)
    client.post(reverse("members:member_delete", args=[member.pk]))
    assert not Member.objects.filter(pk=member.pk).exists()
    return member


def test_administrator_sees_the_deleted_record_with_who_deleted_it(
    client, administrator, deleted_member
):
    client.force_login(administrator)

    text = page_text(client.get(reverse("deleted_records")))

    assert " 会员 郑十一 慈东镇 " in text
    assert " 张录入 恢复 " in text


def test_administrator_restores_a_deleted_member_with_its_id_and_history(
    client, administrator, deleted_member
):
    client.force_login(administrator)
    entry = Member.history.get(id=deleted_member.pk, history_type="-")

    response = client.post(
        reverse("restore_record", args=["members", entry.history_id]), follow=True
    )

    assert "已恢复会员“郑十一”。" in page_text(response)
    restored = Member.objects.get(pk=deleted_member.pk)
    assert restored.card_number == "HY-0001"
    assert restored.created_at == deleted_member.created_at
    assert "没有已删除的记录。" in page_text(response)
    kinds = list(restored.history.order_by("history_id").values_list("history_type", flat=True))
    assert kinds == ["+", "-", "+"]
    assert restored.history.latest().history_user == administrator
    detail = client.get(reverse("members:member_detail", args=[restored.pk]))
    assert " 删除 张录入 " in page_text(detail)


def test_restoring_twice_says_it_is_already_back(client, administrator, deleted_member):
    client.force_login(administrator)
    entry = Member.history.get(id=deleted_member.pk, history_type="-")
    url = reverse("restore_record", args=["members", entry.history_id])
    client.post(url)

    response = client.post(url, follow=True)

    assert "该记录已经恢复，无需再次恢复。" in page_text(response)
    assert Member.objects.filter(pk=deleted_member.pk).count() == 1


def test_a_record_whose_union_is_gone_too_is_not_restored_and_says_why(
    client, administrator, staff_a, deleted_member
):
    client.force_login(staff_a)
    client.post(reverse("members:union_delete", args=[deleted_member.union_id]))
    assert not GrassrootsUnion.objects.exists()
    client.force_login(administrator)
    entry = Member.history.get(id=deleted_member.pk, history_type="-")

    response = client.post(
        reverse("restore_record", args=["members", entry.history_id]), follow=True
    )

    assert "无法恢复会员“郑十一”" in page_text(response)
    assert not Member.objects.exists()


@pytest.mark.parametrize("role", ["staff_a", "chair_a", "staff_b", "reviewer"])
def test_only_administrators_may_list_or_restore(client, request, role, deleted_member):
    entry = Member.history.get(id=deleted_member.pk, history_type="-")
    client.force_login(request.getfixturevalue(role))

    assert client.get(reverse("deleted_records")).status_code == 403
    url = reverse("restore_record", args=["members", entry.history_id])
    assert client.post(url).status_code == 403
    assert not Member.objects.filter(pk=deleted_member.pk).exists()


@pytest.mark.parametrize(
    "kind", ["employers", "unions", "members", "contracts", "dues", "visits", "cases", "events"]
)
def test_every_record_kind_can_be_deleted_and_restored(
    client, administrator, staff_a, township_a, kind
):
    from portal.kinds import KINDS
    from unionportal.record_services import delete_record
    from unionportal.tests import factories as f

    make = {
        "employers": f.make_employer,
        "unions": f.make_union,
        "members": f.make_member,
        "contracts": f.make_contract,
        "dues": f.make_dues,
        "visits": f.make_visit,
        "cases": f.make_case,
        "events": f.make_event,
    }[kind]
    model = {key: model for key, _label, model in KINDS}[kind]
    record = make(township_a)
    pk, label = record.pk, str(record)
    delete_record(user=staff_a, record=record)
    client.force_login(administrator)
    entry = model.history.get(id=pk, history_type="-")

    assert label in page_text(client.get(reverse("deleted_records")))
    client.post(reverse("restore_record", args=[kind, entry.history_id]))

    assert model.objects.filter(pk=pk, township=township_a).exists()
