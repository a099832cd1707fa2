"""Sign-in and response security: the lockout page, the client address the lockout counts by,
session timeouts, the second-factor and password-expiry rules, the Content-Security-Policy, and
the request-body limits.

README “登录与会话安全” describes the rules; settings.py holds the numbers.
"""

import ipaddress
import time
from collections.abc import Callable
from datetime import timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import auth, messages
from django.db.models import Max, Sum
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.functional import LazyObject, empty
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django_otp import user_has_device

from unionportal import clock

# Session keys: when the user signed in and when the session was last refreshed (epoch seconds).
LOGIN_AT = "portal_login_at"
SEEN_AT = "portal_seen_at"
# Refreshing the last-seen time (and the cookie's expiry) costs a session write; once a minute
# is enough for a 30-minute idle limit and keeps SQLite free of a write per page.
REFRESH_EVERY = 60
# A timed-out session usually never reaches the server: the browser drops the session cookie at
# the idle limit (its expiry) and the server the session row. This cookie, holding nothing but
# "1", outlives both, so the next visit knows the user was signed in and says the sign-in timed
# out; signing out removes it. A week: someone back after longer is simply signed out.
SIGNED_IN_COOKIE = "portal_signed_in"
SIGNED_IN_COOKIE_AGE = 7 * 24 * 3600

TIMEOUT_MESSAGE = _("登录已超时，请重新登录。")
SECOND_FACTOR_MESSAGE = _("您的账号已开启两步验证，请重新登录并输入验证码。")
ONE_TIME_PASSWORD_MESSAGE = _("您正在使用管理员重置的一次性密码，请先设置自己的新密码。")
PASSWORD_EXPIRED_MESSAGE = _("您的密码已超过 %(days)d 天未修改，请先修改密码再继续使用。")


def client_ip(request: HttpRequest) -> str | None:
    """The address the lockout counts failed sign-ins by.

    Behind the reverse proxy (BEHIND_PROXY=1) it is the last X-Forwarded-For entry: nginx's
    $proxy_add_x_forwarded_for appends the address it saw, while anything before it came from
    the client and could be forged. Otherwise it is the connection's own address.
    """
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.rsplit(",", 1)[-1].strip()
        try:
            return str(ipaddress.ip_address(last))
        except ValueError:
            pass
    return request.META.get("REMOTE_ADDR")


def address_failures(address: str | None) -> int:
    """Failed sign-ins from `address` within the cool-off time, whatever the user names."""
    if not address:
        return 0
    since = clock.now() - settings.AXES_COOLOFF_TIME
    found = AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=since)
    return found.aggregate(n=Sum("failures_since_start"))["n"] or 0


def address_locked(address: str | None) -> bool:
    return address_failures(address) >= settings.SIGN_IN_ADDRESS_FAILURE_LIMIT


class PortalAxesHandler(AxesDatabaseHandler):
    """django-axes' database handler (AXES_HANDLER) with a second rule against password spraying.

    The lockout counts a user name at an address, so one wrong password on each of thirty user
    names from one address never reaches it. Here the address's failures are counted too,
    whatever the names: at SIGN_IN_ADDRESS_FAILURE_LIMIT the whole address is locked for the
    same cool-off time (an office's typos stay well below it). `manage.py unlock` lifts either.
    """

    def get_failures(self, request, credentials: dict | None = None) -> int:
        # Both the check before a sign-in and the lockout after a failure ask for this count.
        failures = super().get_failures(request, credentials)
        if address_locked(getattr(request, "axes_ip_address", None)):
            return max(failures, get_failure_limit(request, credentials))
        return failures


def lockout_response(
    request: HttpRequest, original_response=None, credentials: dict | None = None
) -> HttpResponse:
    """The page a locked-out sign-in gets (AXES_LOCKOUT_CALLABLE): in Chinese, with the time
    the user name (or, locked as a whole, the address) may try again from this address."""
    username = get_client_username(request, credentials) or ""
    address = getattr(request, "axes_ip_address", None) or client_ip(request)
    by_address = address_locked(address)
    attempts = AccessAttempt.objects.filter(ip_address=address)
    if not by_address:
        attempts = attempts.filter(username=username)
    last_failure = attempts.aggregate(last=Max("attempt_time"))["last"]
    cool_off = get_cool_off(request) or timedelta(0)
    retry_at = timezone.localtime((last_failure or clock.now()) + cool_off)
    minutes = max(1, -(-int((retry_at - clock.now()).total_seconds()) // 60))
    context = {
        "username": username,
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "by_address": by_address,
        "retry_at": retry_at,
        "minutes": minutes,
    }
    return render(
        request,
        "registration/locked_out.html",
        context,
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )


class ContentSecurityPolicyMiddleware:
    """Sends settings.CONTENT_SECURITY_POLICY and settings.PERMISSIONS_POLICY with every response
    that has none of its own."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


# Request bodies. Django streams a multipart upload to a temporary file before a view can refuse
# it, and DATA_UPLOAD_MAX_MEMORY_SIZE counts form fields only, so a 200 MB POST to any page would
# be written to /tmp first. RequestBodyLimitMiddleware refuses it from its declared length.
MB = 1024 * 1024
# Every page but the uploads: sign-in and record forms are a few KB.
DEFAULT_MAX_BODY_BYTES = 1 * MB


def accepts_body_up_to(limit: int) -> Callable:
    """Lets a view receive a file of up to `limit` bytes instead of DEFAULT_MAX_BODY_BYTES.

    The request may be a quarter larger (upload_allowance): that covers the form around the file,
    and lets a file a little over the limit (a 12 MB photo) reach the page, which names its exact
    size and keeps the form. Anything larger is refused unread."""

    def decorate(view: Callable) -> Callable:
        view.max_body_bytes = limit
        return view

    return decorate


def upload_allowance(limit: int) -> int:
    """The largest request body a view accepting `limit`-byte files receives."""
    return limit + limit // 4


def _size(n: int) -> str:
    return f"{n / MB:.0f} MB" if n >= MB else f"{max(1, n // 1024)} KB"


class RequestBodyLimitMiddleware:
    """Refuses a request body larger than its view accepts (413), from the Content-Length header
    alone, before anything reads it; and a body that declares no length at all (chunked transfer,
    411), which could not be checked before reading. Runs before the CSRF check, the first
    reader of request.POST."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view, args, kwargs) -> HttpResponse | None:
        declared = request.META.get("CONTENT_LENGTH", "")
        if not declared:
            if "HTTP_TRANSFER_ENCODING" in request.META:
                return _refusal(411, limit=None, size=None)
            return None
        try:
            size = int(declared)
        except ValueError:
            return _refusal(411, limit=None, size=None)
        limit = getattr(view, "max_body_bytes", None)
        allowed = DEFAULT_MAX_BODY_BYTES if limit is None else upload_allowance(limit)
        if size > allowed:
            return _refusal(413, limit=limit or DEFAULT_MAX_BODY_BYTES, size=size)
        return None


def _refusal(status: int, *, limit: int | None, size: int | None) -> HttpResponse:
    # Without the request context, like the 500 page: nothing on it reads the request.
    body = loader.get_template("request_too_large.html").render(
        {"limit": _size(limit) if limit else "", "size": _size(size) if size else ""}
    )
    return HttpResponse(body, status=status)


class PrivateResponsesMiddleware:
    """Marks every response to a signed-in user (the one signing in included)
    `Cache-Control: private, no-store`: record pages, lists and exports hold personal
    information even masked, and must stay neither in a shared proxy nor in the browser's cache
    once the user has gone. Directives a view set itself (never_cache) are kept. Static files
    (served by WhiteNoise, before this runs) stay cacheable."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # Set by AuthenticationMiddleware further in (absent if an outer one answered first).
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response


def start_session_clock(sender, request: HttpRequest | None, user, **kwargs) -> None:
    """At sign-in (auth's user_logged_in signal): start the idle and absolute clocks."""
    if request is None or not hasattr(request, "session"):
        return
    _start(request, int(time.time()))


def _start(request: HttpRequest, now: int) -> None:
    request.session[LOGIN_AT] = now
    request.session[SEEN_AT] = now
    request.session.set_expiry(_cookie_seconds(0))


def _cookie_seconds(signed_in_for: int) -> int:
    """How long the session cookie should live from now: until the idle limit, or the absolute
    limit if that comes first."""
    idle = int(settings.SESSION_IDLE_TIMEOUT.total_seconds())
    remaining = int(settings.SESSION_MAX_AGE.total_seconds()) - signed_in_for
    return max(1, min(idle, remaining))


def needs_second_factor(request: HttpRequest) -> bool:
    """A signed-in user who has a confirmed TOTP device but whose session has not passed it."""
    user = request.user
    return not user.is_verified() and user_has_device(user)


class SignInPolicyMiddleware:
    """For a signed-in user, before the view:

    - ends the session after SESSION_IDLE_TIMEOUT without a request or SESSION_MAX_AGE after
      sign-in, and says so on the login page, also when the browser and the server have already
      dropped the session by themselves (SIGNED_IN_COOKIE);
    - ends a session that has not passed the second factor its user has since turned on
      (checked at sign-in and then once a minute);
    - with PASSWORD_MAX_AGE_DAYS on, sends a user whose password is too old to the password
      change page until it is changed.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        was_signed_in = request.COOKIES.get(SIGNED_IN_COOKIE) == "1"
        response = None
        # The user is read here, first (the session, then the user row): from now on the page
        # uses the object itself rather than through auth's and django-otp's lazy wrappers,
        # which cost a few microseconds on each of the hundreds of reads a page makes.
        request.user = _evaluated(request.user)
        if request.user.is_authenticated:
            response = self._check(request)
        elif was_signed_in:
            # The session ended without a sign-out: by the idle or absolute limit.
            messages.warning(request, TIMEOUT_MESSAGE)
        if response is None:
            response = self.get_response(request)
        if request.user.is_authenticated:
            if not was_signed_in:
                response.set_cookie(
                    SIGNED_IN_COOKIE,
                    "1",
                    max_age=SIGNED_IN_COOKIE_AGE,
                    secure=settings.SESSION_COOKIE_SECURE,
                    httponly=True,
                    samesite="Lax",
                )
        elif was_signed_in:
            # Signed out now (the 退出 button, a timeout just said, a second factor required).
            response.delete_cookie(SIGNED_IN_COOKIE, samesite="Lax")
        return response

    def _check(self, request: HttpRequest) -> HttpResponse | None:
        session = request.session
        now = int(time.time())
        login_at, seen_at = session.get(LOGIN_AT), session.get(SEEN_AT)
        if login_at is None or seen_at is None:
            # A session begun before these clocks existed: start them now.
            _start(request, now)
            if needs_second_factor(request):
                return self._sign_out(request, SECOND_FACTOR_MESSAGE)
        elif (
            now - seen_at > settings.SESSION_IDLE_TIMEOUT.total_seconds()
            or now - login_at > settings.SESSION_MAX_AGE.total_seconds()
        ):
            return self._sign_out(request, TIMEOUT_MESSAGE)
        elif now - seen_at >= REFRESH_EVERY:
            session[SEEN_AT] = now
            session.set_expiry(_cookie_seconds(now - login_at))
            if needs_second_factor(request):
                return self._sign_out(request, SECOND_FACTOR_MESSAGE)
        return self._password_check(request)

    def _sign_out(self, request: HttpRequest, message: str) -> HttpResponse | None:
        auth.logout(request)
        messages.warning(request, message)
        if request.headers.get("HX-Request"):
            # An htmx fragment request: send the whole window to the login page instead of
            # swapping the login form into a part of the page.
            response = HttpResponse(status=204)
            response["HX-Redirect"] = _login_url(request.get_full_path())
            return response
        # Signed out now: LoginRequiredMiddleware sends the request to the login page, with
        # the page to come back to. Pages open to everyone (the language switch) go on.
        return None

    def _password_check(self, request: HttpRequest) -> HttpResponse | None:
        days = settings.PASSWORD_MAX_AGE_DAYS
        # A one-time password from an administrator's reset must be replaced before anything.
        one_time = request.user.must_change_password
        if not one_time and (not days or not request.user.password_expired(days)):
            return None
        allowed = {reverse(name) for name in ("password_change", "logout", "set_language")}
        if request.path_info in allowed:
            return None
        messages.warning(
            request,
            ONE_TIME_PASSWORD_MESSAGE if one_time else PASSWORD_EXPIRED_MESSAGE % {"days": days},
        )
        response = HttpResponseRedirect(reverse("password_change"))
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = reverse("password_change")
        return response


def _evaluated(user):
    """The object behind request.user's lazy wrappers (each wraps the next), read now."""
    while isinstance(user, LazyObject):
        if user._wrapped is empty:
            user._setup()
        user = user._wrapped
    return user


def _login_url(next_url: str) -> str:
    return f"{reverse(settings.LOGIN_URL)}?{urlencode({'next': next_url})}"
