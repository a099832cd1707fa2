"""Signing in, with the optional second step (两步验证, TOTP) of county reviewers and
administrators.

The password step does not sign in a user who has a confirmed TOTP device: it remembers who
passed it (for five minutes) and asks for the six-digit code. Only a correct code signs the
session in, marked as verified (django-otp), so no page, the Django admin included, sees a
half-signed-in user. A wrong code counts as a failed sign-in for the lockout, like a wrong
password.
"""

import base64
import time
from urllib.parse import urlencode

import segno
from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.conf import settings
from django.contrib import admin, auth, messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from unionportal import clock
from unionportal.access import may_use_second_factor
from unionportal.models import User
from unionportal.security import lockout_response

PENDING = "portal_pending_sign_in"
PENDING_SECONDS = 300
DEVICE_NAME = _("手机验证器")


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


class CodeForm(forms.Form):
    otp_token = forms.RegexField(
        label=_("验证码"),
        regex=r"^\s*\d{6}\s*$",
        max_length=20,
        error_messages={
            "required": _("请输入手机验证器上显示的 6 位数字验证码。"),
            "invalid": _("验证码是 6 位数字，请检查后重新输入。"),
        },
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
                "maxlength": 6,
            }
        ),
    )

    def clean_otp_token(self) -> str:
        return self.cleaned_data["otp_token"].strip()


def _throttled_message(device: TOTPDevice) -> str | None:
    """Why django-otp refuses to check a code right now (too many wrong codes in a row)."""
    allowed, details = device.verify_is_allowed()
    if allowed:
        return None
    until = (details or {}).get("locked_until")
    seconds = max(1, int((until - clock.now()).total_seconds()) + 1) if until else 1
    return _("验证码错误次数过多，请等 {seconds} 秒后再输入。").format(seconds=seconds)


class PortalLoginView(auth_views.LoginView):
    """The password step. A user with a confirmed TOTP device goes on to the code step."""

    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if confirmed_device(user) is None:
            return super().form_valid(form)
        self.request.session[PENDING] = {
            "user": user.pk,
            "backend": user.backend,
            "started": int(time.time()),
            "next": self.get_success_url(),
        }
        return redirect("login_code")


def _pending_user(request: HttpRequest) -> tuple[dict, User, TOTPDevice] | None:
    pending = request.session.get(PENDING)
    if not pending or time.time() - pending["started"] > PENDING_SECONDS:
        return None
    user = User.objects.filter(pk=pending["user"], is_active=True).first()
    device = confirmed_device(user) if user else None
    if device is None:
        return None
    return pending, user, device


@login_not_required
@require_http_methods(["GET", "POST"])
def login_code(request: HttpRequest) -> HttpResponse:
    """The code step of signing in: six digits from the user's authenticator app."""
    found = _pending_user(request)
    if found is None:
        request.session.pop(PENDING, None)
        messages.warning(request, _("请重新输入用户名和密码。"))
        return redirect("login")
    pending, user, device = found
    credentials = {"username": user.get_username()}
    if not AxesProxyHandler.is_allowed(request, credentials):
        return lockout_response(request, None, credentials)

    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        throttled = _throttled_message(device)
        verified = None
        if throttled is None:
            verified = verify_token(user, device.persistent_id, form.cleaned_data["otp_token"])
        if verified is not None:
            del request.session[PENDING]
            user.otp_device = verified  # django-otp marks the new session as verified
            auth.login(request, user, backend=pending["backend"])
            return redirect(pending["next"])
        form.add_error(
            "otp_token",
            throttled or _("验证码不正确或已过期：请输入验证器上当前显示的 6 位数字。"),
        )
        if throttled is None:
            # A code checked and wrong counts towards the lockout like a wrong password; if it
            # was the last allowed failure, AxesMiddleware answers with the lockout page.
            user_login_failed.send(sender=__name__, credentials=credentials, request=request)
    return render(request, "registration/login_code.html", {"form": form, "username": user})


@login_not_required
def admin_login(request: HttpRequest) -> HttpResponse:
    """The Django admin signs in through the portal's login (with its second step), never
    through a password-only form of its own."""
    next_url = request.GET.get("next") or reverse("admin:index")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = reverse("admin:index")
    if request.user.is_authenticated:
        if admin.site.has_permission(request):
            return redirect(next_url)
        # Signed in but not an administrator: the admin would only send them here again.
        raise PermissionDenied
    return redirect(f"{reverse(settings.LOGIN_URL)}?{urlencode({'next': next_url})}")


def _qr_data_uri(device: TOTPDevice) -> str:
    # An <img> with a data: URI: no inline style or script, so the page keeps its CSP.
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


def _grouped_secret(device: TOTPDevice) -> str:
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    """Turn 两步验证 on (scan the QR code, confirm with a code) or off (confirm with a code)."""
    user = request.user
    if not may_use_second_factor(user):
        raise PermissionDenied
    device = confirmed_device(user)
    form = CodeForm(request.POST or None)

    if device is not None:
        if request.method == "POST" and form.is_valid():
            throttled = _throttled_message(device)
            if throttled is None and verify_token(
                user, device.persistent_id, form.cleaned_data["otp_token"]
            ):
                TOTPDevice.objects.filter(user=user).delete()
                messages.success(request, _("两步验证已关闭。下次登录只需用户名和密码。"))
                return redirect("two_factor")
            form.add_error("otp_token", throttled or _("验证码不正确或已过期，两步验证仍然开启。"))
        return render(request, "account/two_factor.html", {"enabled": True, "form": form})

    with transaction.atomic():
        setup = (
            TOTPDevice.objects.select_for_update()
            .filter(user=user, confirmed=False)
            .order_by("pk")
            .first()
        ) or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    if request.method == "POST" and form.is_valid():
        throttled = _throttled_message(setup)
        if throttled is None and setup.verify_token(form.cleaned_data["otp_token"]):
            setup.confirmed = True
            setup.save()
            TOTPDevice.objects.filter(user=user, confirmed=False).delete()
            otp_login(request, setup)  # this session has just shown the code
            messages.success(request, _("两步验证已开启。以后登录时，输入密码后还要输入验证码。"))
            return redirect("two_factor")
        form.add_error(
            "otp_token",
            throttled or _("验证码不正确：请确认手机时间准确，并输入验证器上当前显示的 6 位数字。"),
        )
    context = {
        "enabled": False,
        "form": form,
        "qr": _qr_data_uri(setup),
        "secret": _grouped_secret(setup),
    }
    return render(request, "account/two_factor.html", context)
