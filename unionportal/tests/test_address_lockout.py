"""Password spraying: one address trying a few passwords on many user names is stopped by a
limit on the address's failures whatever the names (the user name + address lockout never sees
more than one or two per name); and an administrator lifts either lockout with `unlock`."""

import io

import pytest
from axes.models import AccessAttempt
from django.core.management import CommandError, call_command

from conftest import PASSWORD

LOGIN = "/accounts/login/"
OFFICE = "10.8.0.1"
ELSEWHERE = "10.9.0.2"
WRONG = "Wrong#2026pass"


@pytest.fixture
def axes_on(settings):
    # Off for the rest of the suite (the test client signs in without a request).
    settings.AXES_ENABLED = True


def sign_in(client, username: str, password: str = PASSWORD, address: str = OFFICE):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def spray(client, names: int, address: str = OFFICE) -> list[int]:
    """One wrong password on each of `names` user names from one address: the status codes."""
    return [sign_in(client, f"user{n:02d}", WRONG, address).status_code for n in range(names)]


def unlock(**options) -> str:
    out = io.StringIO()
    call_command("unlock", stdout=out, **options)
    return out.getvalue()


def test_thirty_user_names_from_one_address_are_throttled(axes_on, settings, client, staff_a):
    codes = spray(client, 30)

    limit = settings.SIGN_IN_ADDRESS_FAILURE_LIMIT
    assert limit < 30
    assert codes[: limit - 1] == [200] * (limit - 1)
    assert set(codes[limit:]) == {429}
    # While the address is locked, even the right password from it is refused.
    assert sign_in(client, "staff_a").status_code == 429


def test_the_address_lockout_page_says_the_address_is_locked(axes_on, client, staff_a):
    spray(client, 30)

    page = sign_in(client, "someone").content.decode()

    assert "当前网络地址" in page and "登录失败次数过多" in page


def test_users_elsewhere_still_sign_in_during_an_address_lockout(axes_on, client, staff_a):
    spray(client, 30)

    response = sign_in(client, "staff_a", address=ELSEWHERE)

    assert response.status_code == 302


def test_a_few_typos_in_a_busy_office_do_not_lock_the_address(axes_on, client, staff_a, chair_a):
    for name in ("user01", "user02", "user03", "chair_a", "chair_a"):
        assert sign_in(client, name, WRONG).status_code == 200

    assert sign_in(client, "staff_a").status_code == 302


def test_the_administrator_lifts_a_user_name_lockout(axes_on, client, staff_a):
    for _ in range(5):
        sign_in(client, "staff_a", WRONG)
    assert sign_in(client, "staff_a").status_code == 429

    output = unlock(user="staff_a")

    assert "已解除" in output and "staff_a" in output
    assert sign_in(client, "staff_a").status_code == 302


def test_the_administrator_lifts_an_address_lockout(axes_on, client, staff_a):
    spray(client, 30)

    output = unlock(ip=OFFICE)

    assert "已解除" in output and OFFICE in output
    assert not AccessAttempt.objects.filter(ip_address=OFFICE).exists()
    assert sign_in(client, "staff_a").status_code == 302


def test_unlocking_one_name_at_one_address_leaves_other_addresses_locked(axes_on, client, staff_a):
    for address in (OFFICE, ELSEWHERE):
        for _ in range(5):
            sign_in(client, "staff_a", WRONG, address)

    unlock(user="staff_a", ip=OFFICE)

    assert sign_in(client, "staff_a", address=OFFICE).status_code == 302
    client.logout()
    assert sign_in(client, "staff_a", address=ELSEWHERE).status_code == 429


def test_unlock_says_when_there_was_nothing_to_lift(db):
    assert "没有找到" in unlock(user="nobody")


def test_unlock_needs_a_user_name_or_an_address(db):
    with pytest.raises(CommandError, match="--user"):
        unlock()
    with pytest.raises(CommandError, match="不是有效的网络地址"):
        unlock(ip="10.8.0")
