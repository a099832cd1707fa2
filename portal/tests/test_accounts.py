"""账号管理: an administrator creates counties, townships and accounts, deactivates, resets a
password to a one-time one that must be changed at the next sign-in, lifts a lockout; each change
is in the audit log. County reviewers see their county's accounts read-only."""

import re

from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audit.models import AccountChange
from conftest import PASSWORD
from unionportal.models import County, Role, Township, User
from unionportal.tests.factories import page_text

NEW_PASSWORD = "Xin#mima2026ab"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def one_time(response) -> str:
    match = re.search(r'id="one-time-password">([^<]+)<', response.content.decode())
    assert match, "the page shows the one-time password"
    return match.group(1)


def actions() -> list[str]:
    return list(AccountChange.objects.order_by("id").values_list("action", flat=True))


def test_an_administrator_creates_a_township_and_its_accounts(administrator, county):
    admin = client_for(administrator)

    admin.post(
        reverse("accounts:units"),
        {
            "what": "township",
            "township-county": county.pk,
            "township-name": "新河镇",
            "township-code": "xinhe",
        },
    )
    township = Township.objects.get(code="xinhe")
    response = admin.post(
        reverse("accounts:create"),
        {
            "username": "xinhe_chair",
            "full_name": "周主席",
            "role": Role.CHAIR,
            "township": township.pk,
            "is_active": "on",
        },
    )

    assert response.status_code == 200
    password = one_time(response)
    chair = User.objects.get(username="xinhe_chair")
    assert chair.township == township and chair.role == Role.CHAIR
    assert chair.must_change_password and chair.check_password(password)
    assert actions() == ["create_township", "create_account"]
    entry = AccountChange.objects.order_by("id").last()
    assert entry.user == administrator and entry.target == "xinhe_chair"
    # A reviewer must belong to a county: the form says so and nothing is saved.
    bad = admin.post(
        reverse("accounts:create"), {"username": "r2", "role": Role.REVIEWER, "is_active": "on"}
    )
    assert "县总审阅须属于一个县总工会" in page_text(bad)
    assert not User.objects.filter(username="r2").exists()


def test_a_one_time_password_must_be_changed_at_the_next_sign_in(administrator, staff_a):
    response = client_for(administrator).post(
        reverse("accounts:reset_password", kwargs={"pk": staff_a.pk})
    )
    password = one_time(response)
    staff_a.refresh_from_db()
    assert not staff_a.check_password(PASSWORD)
    client = Client()
    assert client.login(username="staff_a", password=password)

    home = client.get(reverse("home"))
    assert home.status_code == 302 and home["Location"] == reverse("password_change")
    client.post(
        reverse("password_change"),
        {"old_password": password, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    staff_a.refresh_from_db()
    assert not staff_a.must_change_password
    assert client.get(reverse("home")).status_code == 200
    assert actions() == ["reset_password"]


def test_deactivating_an_account_stops_its_sign_in_and_is_logged(administrator, staff_a):
    client_for(administrator).post(
        reverse("accounts:update", kwargs={"pk": staff_a.pk}),
        {
            "username": "staff_a",
            "full_name": "张录入",
            "role": Role.STAFF,
            "township": staff_a.township_id,
        },
    )

    staff_a.refresh_from_db()
    assert not staff_a.is_active
    assert not Client().login(username="staff_a", password=PASSWORD)
    assert actions() == ["deactivate"]


def test_lifting_a_lockout_removes_the_failed_attempts(administrator, staff_a, settings):
    AccessAttempt.objects.create(
        username="staff_a",
        ip_address="10.0.0.9",
        user_agent="x",
        get_data="",
        post_data="",
        http_accept="",
        path_info="/accounts/login/",
        failures_since_start=settings.AXES_FAILURE_LIMIT,
        attempt_time=timezone.now(),
    )
    admin = client_for(administrator)
    assert "登录已锁定" in page_text(admin.get(reverse("accounts:list")))

    admin.post(reverse("accounts:unlock", kwargs={"pk": staff_a.pk}))

    assert not AccessAttempt.objects.filter(username="staff_a").exists()
    assert actions() == ["unlock"]
    assert AccountChange.objects.get().detail == "清除 1 条失败记录"


def test_renaming_a_county_and_a_township_is_logged(administrator, county, township_a):
    admin = client_for(administrator)

    admin.post(reverse("accounts:county_update", kwargs={"pk": county.pk}), {"name": "慈溪市"})
    admin.post(
        reverse("accounts:township_update", kwargs={"pk": township_a.pk}),
        {"county": county.pk, "name": "慈东街道", "code": "cidong"},
    )

    assert County.objects.get(pk=county.pk).name == "慈溪市"
    assert Township.objects.get(pk=township_a.pk).name == "慈东街道"
    assert actions() == ["rename_county", "rename_township"]
    assert AccountChange.objects.order_by("id").last().detail == "原为：慈溪市 慈东镇（cidong）"


def test_a_reviewer_sees_the_countys_accounts_read_only(
    reviewer, staff_a, staff_b, other_reviewer, administrator
):
    staff_a.last_login = timezone.now()
    staff_a.save()
    client = client_for(reviewer)

    text = page_text(client.get(reverse("accounts:list")))

    assert "staff_a" in text and "staff_b" in text and "reviewer" in text
    assert "other_reviewer" not in text and "admin" not in text
    assert "从未登录" in text
    page = client.get(reverse("accounts:list")).content.decode()
    assert reverse("accounts:reset_password", kwargs={"pk": staff_a.pk}) not in page
    assert 'method="post"' not in page.split("<main", 1)[-1]
    assert client.post(reverse("accounts:create"), {}).status_code == 403
    assert (
        client.post(reverse("accounts:reset_password", kwargs={"pk": staff_a.pk})).status_code
        == 403
    )
    assert "staff_a" not in page_text(client_for(other_reviewer).get(reverse("accounts:list")))
    assert AccountChange.objects.count() == 0


def test_township_users_cannot_see_accounts(staff_a, chair_a):
    for user in (staff_a, chair_a):
        assert client_for(user).get(reverse("accounts:list")).status_code == 403
