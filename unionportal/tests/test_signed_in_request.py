"""What every signed-in request reads before its page: the session row (unionportal.sessions) and
the user (unionportal.auth_backend), each with one plain query, afresh on every request; and the
static files' addresses, looked up once per process (unionportal.staticfiles)."""

import datetime
import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.contrib.staticfiles.storage import ManifestStaticFilesStorage
from django.http import HttpResponse
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from conftest import PASSWORD
from unionportal.auth_backend import PortalModelBackend, load_user
from unionportal.models import User
from unionportal.sessions import SessionStore
from unionportal.staticfiles import PortalManifestStorage

LOGIN = "/accounts/login/"
PAGE = reverse("password_change_done")


@pytest.fixture
def signed_in(client, staff_a):
    """The test client signed in as staff_a through the login page, as a browser is."""
    response = client.post(LOGIN, {"username": "staff_a", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(PAGE).status_code == 200
    return client


def sent_to_login(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_the_session_records_the_portal_backend(signed_in):
    session = signed_in.session
    assert session["_auth_user_backend"] == "unionportal.auth_backend.PortalModelBackend"


def test_a_deactivated_account_is_signed_out_on_its_next_request(signed_in, staff_a):
    User.objects.filter(pk=staff_a.pk).update(is_active=False)

    assert sent_to_login(signed_in.get(PAGE))


def test_a_password_reset_elsewhere_signs_the_session_out_on_its_next_request(signed_in, staff_a):
    # An administrator's reset (or the user's own change in another browser): a new hash.
    other = User.objects.get(pk=staff_a.pk)
    other.set_password("Another#2026pass")
    other.save()

    assert sent_to_login(signed_in.get(PAGE))


def test_an_expired_session_row_is_refused(signed_in):
    key = signed_in.cookies["sessionid"].value
    Session.objects.filter(pk=key).update(expire_date=timezone.now() - datetime.timedelta(1))

    assert sent_to_login(signed_in.get(PAGE))


def test_a_session_ended_elsewhere_is_refused(signed_in):
    # Signing out in one worker deletes the row; the next request may reach any other worker.
    Session.objects.filter(pk=signed_in.cookies["sessionid"].value).delete()

    assert sent_to_login(signed_in.get(PAGE))


def test_the_store_reads_a_live_row_and_refuses_an_unknown_or_expired_key(db):
    store = SessionStore()
    store["colour"] = "红"
    store.save()
    key = store.session_key

    assert SessionStore(key).load() == {"colour": "红"}

    unknown = SessionStore("x" * 32)
    assert unknown.load() == {}
    assert unknown.session_key is None

    Session.objects.filter(pk=key).update(expire_date=timezone.now() - datetime.timedelta(0, 1))
    expired = SessionStore(key)
    assert expired.load() == {}
    assert expired.session_key is None


def test_a_session_written_by_djangos_own_store_is_read(db):
    # Sessions begun before this store (the same table, the same signing salt) stay valid.
    from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore

    earlier = DjangoSessionStore()
    earlier["portal_login_at"] = 1764900000
    earlier.save()

    assert SessionStore(earlier.session_key).load() == {"portal_login_at": 1764900000}


def test_a_checked_session_text_decodes_to_fresh_data_each_time(db):
    store = SessionStore()
    store["_messages"] = '[["__json_message", 0, 30, "已保存"]]'
    store["pending"] = {"user": 3, "steps": [1, 2]}
    store.save()
    text = Session.objects.get(pk=store.session_key).session_data

    first = SessionStore().decode(text)
    first["pending"]["steps"].append(3)  # a request changing its session's data
    again = SessionStore().decode(text)

    assert again == {"_messages": store["_messages"], "pending": {"user": 3, "steps": [1, 2]}}


def test_a_session_text_with_a_wrong_signature_is_refused_every_time(db):
    store = SessionStore()
    store["_auth_user_id"] = "1"
    store.save()
    text = Session.objects.get(pk=store.session_key).session_data
    assert SessionStore().decode(text) == {"_auth_user_id": "1"}
    forged = text.replace(text[:8], "eyJfYXV0", 1) + "x"

    for _ in range(2):
        assert SessionStore().decode(forged) == {}


def test_a_session_key_too_short_to_be_valid_reads_nothing(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert SessionStore("short").load() == {}


def _state(obj) -> tuple:
    """An object's field values and loaded related objects, as the ORM left them."""
    values = {k: v for k, v in vars(obj).items() if k != "_state"}
    cache = obj._state.fields_cache
    return (
        values,
        obj._state.adding,
        obj._state.db,
        {name: related and _state(related) for name, related in cache.items()},
    )


@pytest.mark.parametrize("who", ["staff_a", "reviewer", "administrator"])
def test_the_user_is_loaded_as_the_orm_loads_it(request, who, django_assert_num_queries):
    user = request.getfixturevalue(who)
    with django_assert_num_queries(1):
        loaded = load_user(user.pk)

    assert _state(loaded) == _state(User.objects.get(pk=user.pk))
    with django_assert_num_queries(0):
        # What the page header shows comes with the user.
        assert str(loaded.township or loaded.county or "") in ("", "慈东镇", "慈溪县")
        if loaded.township:
            assert loaded.township.county.name


def test_an_unknown_user_is_none(db):
    assert load_user(987654) is None


def test_the_backend_refuses_a_deactivated_user(staff_a):
    assert PortalModelBackend().get_user(staff_a.pk) == staff_a
    User.objects.filter(pk=staff_a.pk).update(is_active=False)

    assert PortalModelBackend().get_user(staff_a.pk) is None


def test_the_backend_signs_in_with_the_password(rf, staff_a):
    backend = PortalModelBackend()
    assert backend.authenticate(rf.post(LOGIN), username="staff_a", password=PASSWORD) == staff_a
    assert backend.authenticate(rf.post(LOGIN), username="staff_a", password="Wrong#2026x") is None
    assert get_user_model() is User


def test_a_signed_in_page_reads_session_and_user_in_two_queries(
    signed_in, django_assert_num_queries
):
    # The session row, then the user with township and county; the page itself reads nothing.
    with django_assert_num_queries(2):
        assert signed_in.get(PAGE).status_code == 200


@pytest.fixture
def manifest(tmp_path, settings):
    settings.STATIC_URL = "/static/"
    paths = {"css/portal.css": "css/portal.0123abcd.css"}
    (tmp_path / "staticfiles.json").write_text(
        json.dumps({"paths": paths, "version": "1.1", "hash": "x"})
    )
    return tmp_path


def test_static_addresses_are_the_manifest_storages(manifest):
    kept = PortalManifestStorage(location=manifest)
    plain = ManifestStaticFilesStorage(location=manifest)

    for _ in range(2):
        assert kept.url("css/portal.css") == plain.url("css/portal.css")
        assert kept.url("css/portal.css") == "/static/css/portal.0123abcd.css"


def test_a_file_missing_from_the_manifest_is_refused_every_time(manifest):
    kept = PortalManifestStorage(location=manifest)

    for _ in range(2):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            kept.url("css/missing.css")


@pytest.mark.parametrize("zone", ["Asia/Shanghai", "UTC", "America/Los_Angeles"])
def test_the_print_time_is_what_the_now_tag_writes(zone):
    both = Template(
        '{% load navigation %}{% now "Y-m-d H:i" %}|{% print_time as printed %}{{ printed }}'
        '|{% now "Y-m-d H:i" %}'
    )
    with timezone.override(zone):
        for _ in range(3):
            before, printed, after = both.render(Context()).split("|")
            if before == after:  # not across a minute's turn
                break
    assert printed == before == after
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", printed)


def test_the_page_footer_shows_the_print_time(signed_in):
    html = signed_in.get(PAGE).content.decode()

    assert re.search(r"打印时间：\d{4}-\d\d-\d\d \d\d:\d\d</span>", html)


def test_views_see_the_signed_in_user_itself_with_its_second_factor_state(rf, staff_a):
    from django.contrib.auth.middleware import AuthenticationMiddleware
    from django.contrib.sessions.middleware import SessionMiddleware
    from django_otp.middleware import OTPMiddleware

    from unionportal.security import SignInPolicyMiddleware

    seen = []

    def view(request):
        seen.append(request.user)
        return HttpResponse("")

    request = rf.get(PAGE)
    handler = SessionMiddleware(
        AuthenticationMiddleware(OTPMiddleware(SignInPolicyMiddleware(view)))
    )
    store = SessionStore()
    store.update(
        {
            "_auth_user_id": str(staff_a.pk),
            "_auth_user_backend": "unionportal.auth_backend.PortalModelBackend",
            "_auth_user_hash": staff_a.get_session_auth_hash(),
        }
    )
    store.save()
    request.COOKIES["sessionid"] = store.session_key
    handler(request)

    assert type(seen[0]) is User and seen[0].pk == staff_a.pk
    assert seen[0].is_verified() is False and seen[0].otp_device is None


def test_a_kept_part_of_the_shell_follows_the_language():
    shell = Template(
        '{% load i18n navigation %}{% kept %}{% translate "跳到主要内容" %}{% endkept %}'
    )

    with translation.override("zh-hans"):
        chinese = [shell.render(Context()) for _ in range(2)]
    with translation.override("en"):
        english = [shell.render(Context()) for _ in range(2)]

    assert chinese == ["跳到主要内容"] * 2
    assert english == ["Skip to main content"] * 2


def test_the_kept_parts_of_a_page_read_as_rendered_afresh(signed_in, settings):
    kept = signed_in.get(PAGE).content.decode()
    settings.DEBUG = True  # nothing kept: every part rendered again
    afresh = signed_in.get(PAGE).content.decode()

    def without_tokens(html: str) -> str:
        html = re.sub(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+', r"\1", html)
        return re.sub(r"打印时间：[^<]*", "", html)

    assert without_tokens(kept) == without_tokens(afresh)
    assert 'href="#main">跳到主要内容</a>' in kept
