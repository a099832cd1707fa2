"""After the idle timeout the browser has dropped the session cookie and the server the session,
so the next request arrives signed out, not timed out: the sign-in page must still say
登录已超时. A plain sign-out, or a first visit, says nothing of the kind."""

import datetime

from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse

from conftest import PASSWORD
from unionportal import clock

LOGIN = "/accounts/login/"
TIMED_OUT = "登录已超时，请重新登录"


def sign_in(client) -> None:
    response = client.post(LOGIN, {"username": "staff_a", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def thirty_one_idle_minutes_pass(client) -> None:
    """What the browser and the server do on their own after the idle limit: the session row
    has expired, and the cookie (its expiry set to the idle limit) is no longer sent."""
    Session.objects.update(expire_date=clock.now() - datetime.timedelta(minutes=1))
    del client.cookies[settings.SESSION_COOKIE_NAME]


def test_after_the_idle_timeout_the_sign_in_page_says_the_sign_in_timed_out(client, staff_a):
    sign_in(client)
    thirty_one_idle_minutes_pass(client)

    response = client.get(reverse("members:member_list"), follow=True)

    assert response.redirect_chain[0][0].startswith(f"{LOGIN}?next=")
    assert TIMED_OUT in response.content.decode()


def test_opening_the_sign_in_page_itself_after_the_timeout_says_so_too(client, staff_a):
    sign_in(client)
    thirty_one_idle_minutes_pass(client)

    assert TIMED_OUT in client.get(LOGIN).content.decode()


def test_the_timeout_is_said_once(client, staff_a):
    sign_in(client)
    thirty_one_idle_minutes_pass(client)
    client.get(LOGIN)

    assert TIMED_OUT not in client.get(LOGIN).content.decode()


def test_signing_out_is_not_called_a_timeout(client, staff_a):
    sign_in(client)

    client.post(reverse("logout"))

    page = client.get(reverse("home"), follow=True).content.decode()
    assert TIMED_OUT not in page


def test_a_first_visit_is_not_called_a_timeout(db, client):
    page = client.get(reverse("home"), follow=True).content.decode()

    assert TIMED_OUT not in page
