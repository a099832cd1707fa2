"""Employers, grassroots unions, collective contracts and dues: add, correct, delete, and the
list filters the dashboards link to. Other townships' records stay out of reach."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from members.models import CollectiveContract, DuesRecord, Employer, GrassrootsUnion
from unionportal.tests.factories import (
    make_contract,
    make_dues,
    make_employer,
    make_member,
    make_union,
    page_text,
)
from unionportal.validators import credit_check_char


def _field_error(response, field: str) -> str:
    html = response.content.decode()
    found = re.search(
        rf'<div id="id_{field}_error" class="invalid-feedback[^"]*">(.*?)</div>', html, re.S
    )
    return re.sub(r"<[^>]+>", "", found.group(1)).strip() if found else ""


def _links(response, kind: str) -> list[str]:
    return re.findall(rf'<a href="/records/{kind}/\d+/">([^<]+)</a>', response.content.decode())


def test_adding_an_employer_with_more_migrants_than_employees_is_refused_beside_the_field(
    client, staff_a
):
    client.force_login(staff_a)

    response = client.post(
        reverse("members:employer_create"),
        {"name": "慈东镇模具厂", "employees": "10", "migrant_employees": "12"},
    )

    assert _field_error(response, "migrant_employees") == "外来职工人数不能超过职工人数。"
    assert not Employer.objects.exists()


def test_an_employer_with_a_full_width_credit_code_is_saved_and_linked_to_its_union(
    client, staff_a, township_a
):
    union = make_union(township_a, name="慈东镇联合工会")
    first17 = "91330282MA2H00001"
    code = first17 + credit_check_char(first17)
    typed = "".join(chr(ord(c) + 0xFEE0) for c in code.lower())
    client.force_login(staff_a)

    response = client.post(
        reverse("members:employer_create"),
        {
            "name": "慈东镇模具厂",
            "credit_code": typed,
            "economic_type": "private",
            "employees": "30",
            "migrant_employees": "5",
            "should_unionise": "on",
            "union": union.pk,
        },
        follow=True,
    )

    employer = Employer.objects.get()
    assert employer.credit_code == code
    assert employer.created_by == staff_a
    text = page_text(response)
    assert "已新增单位“慈东镇模具厂”。" in text
    assert " 所属工会 慈东镇联合工会 " in text
    assert " 新增 张录入 " in text


def test_a_duplicate_union_name_in_the_township_is_refused_in_chinese(client, staff_a, township_a):
    make_union(township_a, name="慈东镇机械厂工会")
    client.force_login(staff_a)

    response = client.post(
        reverse("members:union_create"),
        {
            "name": "慈东镇机械厂工会",
            "kind": "enterprise",
            "founded_on": "2020-01-01",
            "star": "none",
        },
    )

    assert "本乡镇已有同名的基层工会。" in page_text(response)
    assert GrassrootsUnion.objects.count() == 1


def test_a_union_dissolved_before_it_was_founded_is_refused_beside_the_date(client, staff_a):
    client.force_login(staff_a)

    response = client.post(
        reverse("members:union_create"),
        {
            "name": "新工会",
            "kind": "enterprise",
            "founded_on": "2020-01-01",
            "dissolved_on": "2019-01-01",
            "star": "none",
        },
    )

    assert "撤销日期不能早于成立日期。" in page_text(response)
    assert not GrassrootsUnion.objects.exists()


def test_a_contract_expiring_before_it_was_signed_is_refused_beside_the_field(
    client, staff_a, township_a
):
    client.force_login(staff_a)

    response = client.post(
        reverse("members:contract_create"),
        {
            "party_name": "慈东镇模具厂",
            "kind": "general",
            "signed_on": "2026-01-01",
            "expires_on": "2025-01-01",
            "workers_covered": "30",
        },
    )

    assert _field_error(response, "expires_on") == "期满日期不能早于签订日期。"
    assert not CollectiveContract.objects.exists()


def test_dues_take_a_quarter_and_show_its_dates(client, staff_a, township_a):
    employer = make_employer(township_a, name="慈东镇五金厂")
    client.force_login(staff_a)

    response = client.post(
        reverse("members:dues_create"),
        {"employer": employer.pk, "period": "2026q1", "amount_due": "1200", "amount_paid": "800"},
        follow=True,
    )

    dues = DuesRecord.objects.get()
    assert dues.period == "2026Q1"
    assert dues.amount_paid == Decimal("800")
    assert " 所属期间 2026Q1（2026-01-01 至 2026-03-31） " in page_text(response)


def test_dues_of_an_employer_of_another_township_cannot_be_chosen(client, staff_a, township_b):
    elsewhere = make_employer(township_b)
    client.force_login(staff_a)

    response = client.post(
        reverse("members:dues_create"),
        {"employer": elsewhere.pk, "period": "2026", "amount_due": "1", "amount_paid": "1"},
    )

    assert _field_error(response, "employer") == "所选记录不存在或不属于本乡镇，请重新选择。"
    assert not DuesRecord.objects.exists()


def test_editing_a_contract_saves_and_records_the_change(client, staff_a, township_a):
    contract = make_contract(township_a, party_name="慈东镇模具厂", workers_covered=10)
    client.force_login(staff_a)

    response = client.post(
        reverse("members:contract_update", args=[contract.pk]),
        {
            "party_name": "慈东镇模具厂",
            "kind": "general",
            "signed_on": "2025-01-01",
            "expires_on": "2027-12-31",
            "workers_covered": "45",
            "version": "1",
        },
        follow=True,
    )

    contract.refresh_from_db()
    assert contract.workers_covered == 45 and contract.version == 2
    assert "覆盖职工人数：10 → 45" in page_text(response)


def test_an_employer_without_dependants_is_deleted(client, staff_a, township_a):
    employer = make_employer(township_a, name="慈东镇空壳厂")
    client.force_login(staff_a)

    response = client.post(reverse("members:employer_delete", args=[employer.pk]), follow=True)

    assert "已删除单位“慈东镇空壳厂”。" in page_text(response)
    assert not Employer.objects.exists()


@pytest.mark.parametrize("kind", ["employer", "union", "contract", "dues"])
def test_other_township_staff_get_404_and_reviewers_403_on_changes(
    client, staff_b, reviewer, township_a, kind
):
    record = {
        "employer": lambda: make_employer(township_a),
        "union": lambda: make_union(township_a),
        "contract": lambda: make_contract(township_a),
        "dues": lambda: make_dues(township_a),
    }[kind]()
    for user, status in ((staff_b, 404), (reviewer, 403)):
        client.force_login(user)
        for view in ("update", "delete"):
            url = reverse(f"members:{kind}_{view}", args=[record.pk])
            assert client.get(url).status_code == status
            assert client.post(url, {"version": "1"}).status_code == status
    assert client.get(reverse(f"members:{kind}_detail", args=[record.pk])).status_code == 200
    assert type(record).objects.get(pk=record.pk).version == 1


# Filters the dashboards link to


def test_employer_list_filters_should_unionise_and_unionised(client, staff_a, township_a):
    union = make_union(township_a)
    make_employer(township_a, name="甲厂", should_unionise=True, union=union)
    make_employer(township_a, name="乙厂", should_unionise=True)
    make_employer(township_a, name="丙厂", should_unionise=False)
    client.force_login(staff_a)
    url = reverse("members:employer_list")

    assert _links(client.get(url, {"should_unionise": "1"}), "employers") == ["乙厂", "甲厂"]
    assert _links(client.get(url, {"should_unionise": "1", "unionised": "0"}), "employers") == [
        "乙厂"
    ]
    assert _links(client.get(url, {"unionised": "1"}), "employers") == ["甲厂"]


def test_union_list_shows_unions_active_at_a_date(client, staff_a, township_a):
    make_union(
        township_a,
        name="老工会",
        founded_on=datetime.date(2010, 1, 1),
        dissolved_on=datetime.date(2020, 1, 1),
    )
    make_union(township_a, name="新工会", founded_on=datetime.date(2022, 1, 1))
    client.force_login(staff_a)
    url = reverse("members:union_list")

    assert _links(client.get(url, {"active": "1", "at": "2019-06-30"}), "unions") == ["老工会"]
    assert _links(client.get(url, {"active": "1", "at": "2023-06-30"}), "unions") == ["新工会"]
    assert _links(client.get(url, {"active": "1"}), "unions") == ["新工会"]


def test_member_list_filters_active_at_a_date_migrants_union_employer_and_joining_dates(
    client, staff_a, township_a
):
    union = make_union(township_a)
    employer = make_employer(township_a)
    make_member(
        township_a,
        name="甲",
        union=union,
        joined_on=datetime.date(2019, 1, 1),
        left_on=datetime.date(2021, 1, 1),
    )
    make_member(
        township_a,
        name="乙",
        union=union,
        employer=employer,
        is_migrant=True,
        joined_on=datetime.date(2020, 6, 1),
    )
    make_member(township_a, name="丙", joined_on=datetime.date(2022, 3, 1))
    client.force_login(staff_a)
    url = reverse("members:member_list")

    def names(**params):
        return sorted(_links(client.get(url, params), "members"))

    assert names(active="1", at="2020-12-31") == ["乙", "甲"]
    assert names(active="1", at="2021-06-30") == ["乙"]
    assert names(active="1") == ["丙", "乙"]
    assert names(migrant="1") == ["乙"]
    assert names(union=str(union.pk)) == ["乙", "甲"]
    assert names(employer=str(employer.pk)) == ["乙"]
    assert names(joined_from="2020-01-01", joined_to="2021-12-31") == ["乙"]
    assert " 已按所属工会筛选 " in page_text(client.get(url, {"union": union.pk}))


def test_union_detail_shows_its_employers_members_contracts_and_dues(client, staff_a, township_a):
    union = make_union(township_a, name="慈东镇联合工会")
    employer = make_employer(township_a, name="慈东镇五金厂", union=union)
    for i in range(12):
        make_member(township_a, union=union, name=f"会员{i:02d}")
    make_contract(township_a, union=union, party_name="慈东镇联合工会")
    make_dues(township_a, employer=employer, period="2026-02")
    client.force_login(staff_a)

    response = client.get(reverse("members:union_detail", args=[union.pk]))

    text = page_text(response)
    assert " 覆盖单位（1） 查看全部 慈东镇五金厂 职工 40 人 " in text
    assert " 会员（12） 查看全部 " in text
    assert "仅显示前 10 条，共 12 条。" in text
    assert f'href="/records/members/?union={union.pk}"' in response.text
    assert " 集体合同（1） " in text
    dues = " 所属单位的经费记录（1） 慈东镇五金厂 2026-02 应缴 1,000.00 元，实缴 1,000.00 元 "
    assert dues in text


def test_administrator_chooses_the_township_of_a_new_record(
    client, administrator, township_a, township_b
):
    client.force_login(administrator)

    form = client.get(reverse("members:employer_create"), {"township": township_b.pk})
    response = client.post(
        reverse("members:employer_create"),
        {
            "township": township_b.pk,
            "name": "西山乡石材厂",
            "employees": "30",
            "migrant_employees": "0",
        },
    )

    assert " 录入到乡镇 慈东镇 西山乡 切换 " in page_text(form)
    assert response.status_code == 302
    assert Employer.objects.get().township == township_b


def test_staff_cannot_put_a_new_record_in_another_township(client, staff_a, township_b):
    client.force_login(staff_a)

    client.post(
        reverse("members:employer_create"),
        {"township": township_b.pk, "name": "越界厂", "employees": "30", "migrant_employees": "0"},
    )

    assert Employer.objects.get().township.name == "慈东镇"


def test_a_wrong_union_choice_shows_its_error_beside_the_type_ahead_box(client, staff_a):
    client.force_login(staff_a)

    response = client.post(
        reverse("members:member_create"),
        {"name": "张三", "id_number": "", "union": "", "joined_on": "2020-01-01"},
    )

    assert _field_error(response, "union") == "请选择一项（输入名称后从列表中选择）。"
    assert 'class="typeahead position-relative is-invalid"' in response.text


def test_the_type_ahead_box_is_described_by_its_error_for_screen_readers(client, staff_a):
    client.force_login(staff_a)

    response = client.post(reverse("members:member_create"), {"name": "张三", "union": ""})

    box = response.text.split('id="div_id_union"')[1].split("</div>")[0]
    assert re.search(r'id="id_union"[^>]*aria-describedby="[^"]*id_union_error', box, re.S)
