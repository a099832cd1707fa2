"""Signing in: the failed-login lockout (user name + address), Argon2, the password rules and
expiry, session timeouts, login required everywhere, and the optional second step (TOTP)."""

import datetime
import time
from collections.abc import Iterator

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db.models import F
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

import unionportal.settings as project_settings
from conftest import PASSWORD
from unionportal import clock
from unionportal.models import Role, User
from unionportal.passwords import CharacterClassesValidator
from unionportal.security import LOGIN_AT, SEEN_AT
from unionportal.twofactor import PENDING

LOGIN = "/accounts/login/"
OFFICE = "10.8.0.1"
ELSEWHERE = "10.9.0.2"


@pytest.fixture
def axes_on(settings):
    # Off for the rest of the suite (the test client signs in without a request).
    settings.AXES_ENABLED = True


def sign_in(client, username: str, password: str = PASSWORD, address: str = OFFICE, **extra):
    return client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address, **extra
    )


def signed_in(client) -> bool:
    return client.get(reverse("home")).status_code == 200


def fail_five_times(client, username: str, address: str = OFFICE) -> None:
    for _ in range(5):
        response = sign_in(client, username, "Wrong#2026pass", address)
    assert response.status_code == 429


# The lockout


def test_five_wrong_passwords_lock_that_name_at_that_address(axes_on, client, staff_a):
    for attempt in range(4):
        response = sign_in(client, "staff_a", "Wrong#2026pass")
        assert response.status_code == 200, attempt
        assert "请输入一个正确的用户名和密码" in response.content.decode()

    response = sign_in(client, "staff_a", "Wrong#2026pass")
    assert response.status_code == 429

    # Even the right password is refused now, with a page that says when to try again.
    response = sign_in(client, "staff_a")
    page = response.content.decode()
    assert response.status_code == 429
    assert "登录已暂时锁定" in page
    assert "连续 5 次登录失败" in page
    assert "约 30 分钟后" in page
    assert "同一单位其他同事的登录不受影响" in page
    assert not signed_in(client)


def test_the_lockout_page_names_the_time_to_try_again(axes_on, client, staff_a):
    fail_five_times(client, "staff_a")
    last = AccessAttempt.objects.get(username="staff_a").attempt_time

    page = sign_in(client, "staff_a").content.decode()

    retry_at = timezone.localtime(last + datetime.timedelta(minutes=30))
    assert f"请于 <strong>{retry_at:%H:%M}</strong> 之后" in page


def test_the_same_user_from_another_address_still_signs_in(axes_on, client, staff_a):
    fail_five_times(client, "staff_a", OFFICE)

    response = sign_in(client, "staff_a", address=ELSEWHERE)

    assert response.status_code == 302
    assert signed_in(client)


def test_a_colleague_behind_the_same_address_still_signs_in(axes_on, client, staff_a, chair_a):
    fail_five_times(client, "staff_a", OFFICE)

    response = sign_in(client, "chair_a", address=OFFICE)

    assert response.status_code == 302
    assert signed_in(client)


def test_the_lock_lifts_after_thirty_minutes(axes_on, client, staff_a):
    fail_five_times(client, "staff_a")
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - datetime.timedelta(minutes=29))
    assert sign_in(client, "staff_a").status_code == 429

    AccessAttempt.objects.update(attempt_time=F("attempt_time") - datetime.timedelta(minutes=2))
    response = sign_in(client, "staff_a")

    assert response.status_code == 302
    assert signed_in(client)


def test_a_successful_sign_in_clears_earlier_failures(axes_on, client, staff_a):
    for _ in range(4):
        sign_in(client, "staff_a", "Wrong#2026pass")
    assert sign_in(client, "staff_a").status_code == 302
    client.post(reverse("logout"))

    for _ in range(4):
        assert sign_in(client, "staff_a", "Wrong#2026pass").status_code == 200
    assert sign_in(client, "staff_a").status_code == 302


def test_behind_the_proxy_the_address_is_the_one_nginx_appended(axes_on, settings, client, staff_a):
    settings.BEHIND_PROXY = True
    # A client may send its own X-Forwarded-For; nginx appends the address it saw.
    forged_then_real = {"HTTP_X_FORWARDED_FOR": "1.1.1.1, 203.0.113.7"}
    for _ in range(5):
        sign_in(client, "staff_a", "Wrong#2026pass", address="127.0.0.1", **forged_then_real)

    assert AccessAttempt.objects.get().ip_address == "203.0.113.7"
    # A new forged first entry does not get round the lock; another office does.
    again = {"HTTP_X_FORWARDED_FOR": "9.9.9.9, 203.0.113.7"}
    assert sign_in(client, "staff_a", address="127.0.0.1", **again).status_code == 429
    other = {"HTTP_X_FORWARDED_FOR": "198.51.100.4"}
    assert sign_in(client, "staff_a", address="127.0.0.1", **other).status_code == 302


def test_without_the_proxy_a_forwarded_header_is_ignored(axes_on, settings, client, staff_a):
    settings.BEHIND_PROXY = False
    for n in range(5):
        sign_in(client, "staff_a", "Wrong#2026pass", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")

    assert AccessAttempt.objects.get().ip_address == OFFICE
    response = sign_in(client, "staff_a", HTTP_X_FORWARDED_FOR="10.0.0.99")
    assert response.status_code == 429


def test_production_settings_lock_after_five_failures_for_thirty_minutes():
    assert project_settings.AXES_FAILURE_LIMIT == 5
    assert project_settings.AXES_COOLOFF_TIME == datetime.timedelta(minutes=30)
    assert project_settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert project_settings.AXES_RESET_ON_SUCCESS is True
    assert project_settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"


# Argon2


def test_passwords_are_hashed_with_argon2_in_production():
    with override_settings(PASSWORD_HASHERS=project_settings.PASSWORD_HASHERS):
        assert make_password("Gonghui#2026test").startswith("argon2$")


def test_an_old_pbkdf2_hash_still_signs_in_and_is_upgraded_to_argon2(client, staff_a):
    with override_settings(PASSWORD_HASHERS=project_settings.PASSWORD_HASHERS):
        old_hash = make_password(PASSWORD, hasher="pbkdf2_sha256")
        User.objects.filter(pk=staff_a.pk).update(password=old_hash, password_changed_at=None)

        assert sign_in(client, "staff_a").status_code == 302

        staff_a.refresh_from_db()
        assert staff_a.password.startswith("argon2$")
        assert check_password(PASSWORD, staff_a.password)
        # Re-hashing is not a password change: the expiry clock is untouched.
        assert staff_a.password_changed_at is None


# Password rules (等保 level 2)


@pytest.mark.parametrize(
    "password",
    ["Gonghui#2026test", "Demo#2026cd", "abcdefgh12!", "ABCDEFGH12x", "xiangzhen工会2026"],
)
def test_ten_characters_of_three_classes_are_accepted(password):
    CharacterClassesValidator().validate(password)


def test_a_short_password_is_refused_saying_how_long_it_must_be():
    with pytest.raises(ValidationError) as refused:
        CharacterClassesValidator().validate("Ab#12345")

    assert "至少需要 10 个字符，现在只有 8 个" in " ".join(refused.value.messages)


def test_two_classes_are_not_enough_and_the_missing_ones_are_named():
    with pytest.raises(ValidationError) as refused:
        CharacterClassesValidator().validate("gonghui20261")

    message = " ".join(refused.value.messages)
    assert "至少 3 类，现在只有 2 类" in message
    assert "缺少：大写字母、符号" in message


def test_the_portal_validators_include_the_rules():
    with pytest.raises(ValidationError):
        validate_password("gonghuigonghui")
    validate_password("Gonghui#2026x")


def test_changing_to_a_weak_password_is_refused_on_the_page(client, staff_a):
    client.force_login(staff_a)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "gonghui2026", "new_password2": "gonghui2026"},
    )

    assert response.status_code == 200
    assert "缺少：大写字母、符号" in response.content.decode()
    staff_a.refresh_from_db()
    assert staff_a.check_password(PASSWORD)


def test_the_admin_cannot_create_a_user_with_a_weak_password(client, administrator, township_a):
    client.force_login(administrator)
    form = {
        "username": "new_staff",
        "full_name": "新录入",
        "role": Role.STAFF,
        "township": township_a.pk,
        "usable_password": "true",
        "password1": "password12",
        "password2": "password12",
    }

    response = client.post(reverse("admin:unionportal_user_add"), form)

    assert response.status_code == 200
    assert "缺少：大写字母、符号" in response.content.decode()
    assert not User.objects.filter(username="new_staff").exists()

    form.update(password1="Xinlu#2026ru", password2="Xinlu#2026ru")
    assert client.post(reverse("admin:unionportal_user_add"), form).status_code == 302
    assert User.objects.get(username="new_staff").password_changed_at is not None


def test_createsuperuser_asks_again_for_a_weak_password(db, monkeypatch, capsys):
    from django.contrib.auth.management.commands import createsuperuser

    passwords = iter(["password12", "password12", "Guanli#2026root", "Guanli#2026root"])
    answers = iter(["root2", "", "N"])  # user name, e-mail, "bypass validation?" no
    monkeypatch.setattr(createsuperuser.getpass, "getpass", lambda prompt="": next(passwords))
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    monkeypatch.setattr(
        createsuperuser.Command, "_get_input_message", lambda self, field, default=None: ""
    )

    class Tty:
        def isatty(self):
            return True

    call_command("createsuperuser", interactive=True, stdin=Tty())

    assert "缺少：大写字母、符号" in capsys.readouterr().err
    root = User.objects.get(username="root2")
    assert root.check_password("Guanli#2026root")
    assert root.role == Role.ADMIN


# Password expiry (off by default)


def test_old_passwords_do_not_expire_by_default(client, staff_a):
    User.objects.filter(pk=staff_a.pk).update(
        password_changed_at=clock.now() - datetime.timedelta(days=2000)
    )
    client.force_login(staff_a)

    assert client.get(reverse("home")).status_code == 200


def test_an_expired_password_leads_to_the_change_page_until_changed(settings, client, staff_a):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    User.objects.filter(pk=staff_a.pk).update(
        password_changed_at=clock.now() - datetime.timedelta(days=91)
    )
    client.force_login(staff_a)

    response = client.get(reverse("members:member_list"))
    assert response.status_code == 302
    assert response["Location"] == reverse("password_change")
    page = client.get(reverse("password_change"))
    assert "您的密码已超过 90 天未修改" in page.content.decode()

    changed = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Xinmima#2026",
            "new_password2": "Xinmima#2026",
        },
    )
    assert changed.status_code == 302
    assert client.get(reverse("members:member_list")).status_code == 200


def test_a_recent_password_is_not_expired(settings, client, staff_a):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    staff_a.set_password(PASSWORD)
    staff_a.save()
    client.force_login(staff_a)

    assert client.get(reverse("home")).status_code == 200


def test_a_password_without_a_change_date_counts_from_the_account_creation(settings, staff_a):
    User.objects.filter(pk=staff_a.pk).update(
        password_changed_at=None, date_joined=clock.now() - datetime.timedelta(days=100)
    )
    staff_a.refresh_from_db()

    assert staff_a.password_expired(90)
    assert not staff_a.password_expired(0)


# Session timeouts


def shift_clock(client, *, login_by: int = 0, seen_by: int = 0) -> None:
    """Move the session's sign-in and last-seen times into the past by that many seconds."""
    session = client.session
    session[LOGIN_AT] -= login_by
    session[SEEN_AT] -= seen_by
    session.save()


def test_thirty_idle_minutes_end_the_session_with_a_message(client, staff_a):
    client.force_login(staff_a)
    shift_clock(client, login_by=31 * 60, seen_by=31 * 60)

    response = client.get(reverse("members:member_list"), follow=True)

    assert response.redirect_chain[0][0].startswith(f"{LOGIN}?next=")
    assert "登录已超时，请重新登录" in response.content.decode()
    assert not signed_in(client)


def test_activity_within_thirty_minutes_keeps_the_session(client, staff_a):
    client.force_login(staff_a)
    shift_clock(client, login_by=29 * 60, seen_by=29 * 60)

    assert client.get(reverse("home")).status_code == 200

    session = client.session
    assert abs(session[SEEN_AT] - time.time()) < 5  # refreshed
    assert session.get_expiry_age() == 30 * 60


def test_the_session_is_written_at_most_once_a_minute(client, staff_a):
    client.force_login(staff_a)
    shift_clock(client, seen_by=30)
    seen = client.session[SEEN_AT]

    assert client.get(reverse("home")).status_code == 200

    assert client.session[SEEN_AT] == seen


def test_eight_hours_after_sign_in_the_session_ends_even_when_busy(client, staff_a):
    client.force_login(staff_a)
    shift_clock(client, login_by=8 * 3600 + 1, seen_by=60)

    response = client.get(reverse("home"), follow=True)

    assert "登录已超时，请重新登录" in response.content.decode()
    assert not signed_in(client)


def test_the_cookie_never_outlives_the_eight_hours(client, staff_a):
    client.force_login(staff_a)
    shift_clock(client, login_by=8 * 3600 - 600, seen_by=60)

    assert client.get(reverse("home")).status_code == 200

    assert client.session.get_expiry_age() == 600


def test_an_htmx_request_after_the_timeout_sends_the_window_to_the_login_page(client, staff_a):
    client.force_login(staff_a)
    shift_clock(client, seen_by=31 * 60)

    response = client.get(reverse("members:member_list"), HTTP_HX_REQUEST="true")

    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(f"{LOGIN}?next=")


def test_signing_in_starts_both_clocks(client, staff_a):
    sign_in(client, "staff_a")

    session = client.session
    assert abs(session[LOGIN_AT] - time.time()) < 5
    assert session[SEEN_AT] == session[LOGIN_AT]
    assert session.get_expiry_age() == 30 * 60


# Login required on every page


# Pages a signed-out visitor may open (URL names).
OPEN_PAGES = {"login", "login_code", "logout", "set_language", "admin_login"}
# A sample value for each path converter; anything else gets "x".
SAMPLE_ARGUMENTS = {
    "IntConverter": "1",
    "PathConverter": "x/y",
    "UUIDConverter": "00000000-0000-0000-0000-000000000001",
}


def _routes(patterns, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            namespace = pattern.namespace
            if namespace == "admin":
                continue  # the admin guards its own pages (test below)
            yield from _routes(pattern.url_patterns, f"{namespace}:" if namespace else prefix)
        elif pattern.name:
            yield f"{prefix}{pattern.name}", pattern


def portal_urls() -> list[tuple[str, str]]:
    urls = []
    for name, pattern in _routes(get_resolver().url_patterns):
        kwargs = {
            key: SAMPLE_ARGUMENTS.get(type(converter).__name__, "x")
            for key, converter in pattern.pattern.converters.items()
        }
        urls.append((name, reverse(name, kwargs=kwargs)))
    return sorted(set(urls))


def test_the_walk_finds_the_portal_pages():
    names = {name for name, _ in portal_urls()}

    assert {"home", "members:member_detail", "reports:county_dashboard"} <= names
    assert OPEN_PAGES - {"admin_login"} <= names
    assert len(names) > 60


@pytest.mark.parametrize(("name", "url"), portal_urls())
def test_signed_out_visitors_are_sent_to_the_login_page(db, client, name, url):
    response = client.get(url)

    if name in OPEN_PAGES:
        # Opened on purpose (login_not_required), whatever the page then does.
        assert resolve(url).func.login_required is False, url
    else:
        assert response.status_code == 302, url
        assert response["Location"].startswith(f"{LOGIN}?next="), url


def test_the_admin_sends_signed_out_visitors_to_the_portal_login(db, client):
    response = client.get("/admin/", follow=True)

    assert response.redirect_chain[-1][0].startswith(f"{LOGIN}?next=")
    assert response.status_code == 200
    assert "请使用系统管理员为您开设的账号登录" in response.content.decode()


def test_a_signed_in_non_administrator_gets_403_at_the_admin_login(client, staff_a):
    client.force_login(staff_a)

    assert client.get("/admin/login/?next=/admin/").status_code == 403


# Two-step sign-in (TOTP)


def current_code(device: TOTPDevice, offset: int = 0) -> str:
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return str((code + offset) % 10**6).zfill(6)


@pytest.fixture
def reviewer_device(reviewer) -> TOTPDevice:
    return TOTPDevice.objects.create(user=reviewer, name="手机验证器", confirmed=True)


def test_reviewers_and_administrators_see_the_option_staff_and_chairs_do_not(
    client, reviewer, administrator, staff_a, chair_a
):
    for user, offered in [
        (reviewer, True),
        (administrator, True),
        (staff_a, False),
        (chair_a, False),
    ]:
        client.force_login(user)
        home = client.get(reverse("home")).content.decode()
        assert (reverse("two_factor") in home) is offered, user.username
        assert client.get(reverse("two_factor")).status_code == (200 if offered else 403)


def test_turning_it_on_shows_a_qr_code_and_asks_for_a_code(client, reviewer):
    client.force_login(reviewer)

    page = client.get(reverse("two_factor")).content.decode()

    device = TOTPDevice.objects.get(user=reviewer)
    assert not device.confirmed
    assert 'src="data:image/svg+xml' in page
    secret = page.split('id="totp-secret">')[1].split("<")[0].replace(" ", "")
    assert device.config_url.split("secret=")[1].startswith(secret)
    # A second visit shows the same key instead of making another.
    client.get(reverse("two_factor"))
    assert TOTPDevice.objects.filter(user=reviewer).count() == 1


def test_a_wrong_code_does_not_turn_it_on(client, reviewer):
    client.force_login(reviewer)
    client.get(reverse("two_factor"))
    device = TOTPDevice.objects.get(user=reviewer)

    response = client.post(reverse("two_factor"), {"otp_token": current_code(device, 1)})

    assert "验证码不正确" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed


def test_the_right_code_turns_it_on_and_keeps_this_session(client, reviewer):
    client.force_login(reviewer)
    client.get(reverse("two_factor"))
    device = TOTPDevice.objects.get(user=reviewer)

    response = client.post(reverse("two_factor"), {"otp_token": current_code(device)}, follow=True)

    assert "两步验证已开启" in response.content.decode()
    device.refresh_from_db()
    assert device.confirmed
    # The session that showed the code stays signed in, also after the once-a-minute check.
    shift_clock(client, seen_by=61)
    assert signed_in(client)


def test_with_a_device_the_password_alone_does_not_sign_in(client, reviewer, reviewer_device):
    response = sign_in(client, "reviewer")

    assert response.status_code == 302
    assert response["Location"] == reverse("login_code")
    assert not signed_in(client)
    # Not the admin either.
    assert client.get("/admin/").status_code == 302


def test_a_wrong_code_is_refused(client, reviewer, reviewer_device):
    sign_in(client, "reviewer")

    response = client.post(reverse("login_code"), {"otp_token": current_code(reviewer_device, 7)})

    assert response.status_code == 200
    assert "验证码不正确或已过期" in response.content.decode()
    assert not signed_in(client)


def test_the_right_code_signs_in_verified(client, reviewer, reviewer_device):
    sign_in(client, "reviewer")

    response = client.post(reverse("login_code"), {"otp_token": current_code(reviewer_device)})

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert signed_in(client)
    shift_clock(client, seen_by=61)  # the once-a-minute check finds the session verified
    assert signed_in(client)
    assert PENDING not in client.session


def test_the_code_step_returns_to_the_page_asked_for(client, reviewer, reviewer_device):
    dashboard = reverse("reports:county_dashboard")
    client.post(f"{LOGIN}?next={dashboard}", {"username": "reviewer", "password": PASSWORD})

    response = client.post(reverse("login_code"), {"otp_token": current_code(reviewer_device)})

    assert response["Location"] == dashboard


def test_the_code_step_without_the_password_step_goes_back_to_login(client, reviewer_device):
    response = client.post(reverse("login_code"), {"otp_token": "123456"}, follow=True)

    assert response.redirect_chain[-1][0] == LOGIN
    assert "请重新输入用户名和密码" in response.content.decode()


def test_the_password_step_expires_after_five_minutes(client, reviewer, reviewer_device):
    sign_in(client, "reviewer")
    session = client.session
    session[PENDING] = {**session[PENDING], "started": session[PENDING]["started"] - 301}
    session.save()

    response = client.post(reverse("login_code"), {"otp_token": current_code(reviewer_device)})

    assert response["Location"] == LOGIN
    assert not signed_in(client)


def test_quick_retries_are_slowed_down(client, reviewer, reviewer_device):
    sign_in(client, "reviewer")
    client.post(reverse("login_code"), {"otp_token": current_code(reviewer_device, 3)})

    response = client.post(reverse("login_code"), {"otp_token": current_code(reviewer_device)})

    assert "验证码错误次数过多，请等" in response.content.decode()
    assert not signed_in(client)


def test_wrong_codes_count_towards_the_lockout(axes_on, client, reviewer, reviewer_device):
    sign_in(client, "reviewer")
    for _ in range(4):
        reviewer_device.throttle_reset()
        response = client.post(
            reverse("login_code"),
            {"otp_token": current_code(reviewer_device, 5)},
            REMOTE_ADDR=OFFICE,
        )
        assert response.status_code == 200
    reviewer_device.throttle_reset()
    response = client.post(
        reverse("login_code"), {"otp_token": current_code(reviewer_device, 5)}, REMOTE_ADDR=OFFICE
    )

    assert response.status_code == 429
    assert "登录已暂时锁定" in response.content.decode()
    # The right password and code are refused too until the lock lifts.
    assert sign_in(client, "reviewer").status_code == 429


def test_a_session_from_before_the_device_is_ended_within_a_minute(client, reviewer):
    client.force_login(reviewer)
    TOTPDevice.objects.create(user=reviewer, name="手机验证器", confirmed=True)
    assert signed_in(client)  # checked once a minute, not on every page

    shift_clock(client, seen_by=61)
    response = client.get(reverse("home"), follow=True)

    assert "您的账号已开启两步验证，请重新登录" in response.content.decode()
    assert not signed_in(client)


def test_turning_it_off_needs_a_current_code(client, reviewer, reviewer_device):
    sign_in(client, "reviewer")
    client.post(reverse("login_code"), {"otp_token": current_code(reviewer_device)})
    reviewer_device.refresh_from_db()
    reviewer_device.throttle_reset()
    reviewer_device.last_t = -1  # the sign-in used this step's code
    reviewer_device.save()

    refused = client.post(reverse("two_factor"), {"otp_token": current_code(reviewer_device, 1)})
    assert "两步验证仍然开启" in refused.content.decode()
    reviewer_device.throttle_reset()

    client.post(reverse("two_factor"), {"otp_token": current_code(reviewer_device)})

    assert not TOTPDevice.objects.filter(user=reviewer).exists()


def test_an_administrator_removes_a_lost_phone(client, administrator, reviewer, reviewer_device):
    client.force_login(administrator)
    url = reverse("admin:otp_totp_totpdevice_delete", args=[reviewer_device.pk])

    assert client.get(url).status_code == 200
    client.post(url, {"post": "yes"})

    assert not TOTPDevice.objects.filter(user=reviewer).exists()
    client.post(reverse("logout"))
    assert sign_in(client, "reviewer").status_code == 302
    assert signed_in(client)


def test_the_admin_never_shows_a_device_key(client, administrator, reviewer_device):
    client.force_login(administrator)

    listing = client.get(reverse("admin:otp_totp_totpdevice_changelist")).content.decode()
    change = client.get(
        reverse("admin:otp_totp_totpdevice_change", args=[reviewer_device.pk])
    ).content.decode()

    assert "赵审阅" in listing
    assert reviewer_device.key not in listing + change


def test_a_retry_refused_for_speed_is_not_counted_as_a_failure(
    axes_on, client, reviewer, reviewer_device
):
    sign_in(client, "reviewer")
    client.post(
        reverse("login_code"), {"otp_token": current_code(reviewer_device, 3)}, REMOTE_ADDR=OFFICE
    )

    response = client.post(
        reverse("login_code"), {"otp_token": current_code(reviewer_device, 4)}, REMOTE_ADDR=OFFICE
    )

    assert "验证码错误次数过多，请等" in response.content.decode()
    assert AccessAttempt.objects.get(username="reviewer").failures_since_start == 1
