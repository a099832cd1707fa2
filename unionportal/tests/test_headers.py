"""Security headers on every page, the templates' readiness for the CSP, and the production
settings `make check` runs `check --deploy` with."""

import base64
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def directives(header: str) -> dict[str, list[str]]:
    parts = (part.split() for part in header.split(";") if part.strip())
    return {name: sources for name, *sources in parts}


def assert_security_headers(response) -> None:
    assert response["Content-Security-Policy"] == POLICY
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Permissions-Policy"] == settings.PERMISSIONS_POLICY


def test_the_policy_allows_nothing_inline_and_nothing_from_elsewhere():
    policy = directives(settings.CONTENT_SECURITY_POLICY)

    assert "unsafe-inline" not in settings.CONTENT_SECURITY_POLICY
    assert "unsafe-eval" not in settings.CONTENT_SECURITY_POLICY
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert all("http" not in source for sources in policy.values() for source in sources)


def test_the_permissions_policy_turns_off_camera_microphone_and_location():
    # The portal uses no device feature; a script injected despite the CSP gets none either.
    features = dict(part.strip().split("=", 1) for part in settings.PERMISSIONS_POLICY.split(","))

    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert features[feature] == "()", feature


def test_the_login_page_sends_the_security_headers(db, client):
    assert_security_headers(client.get(reverse("login")))


def test_a_signed_in_page_sends_the_security_headers(client, staff_a):
    client.force_login(staff_a)

    response = client.get(reverse("members:member_list"))

    assert response.status_code == 200
    assert_security_headers(response)


def test_the_admin_sends_the_security_headers(client, administrator):
    client.force_login(administrator)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 200
    assert_security_headers(response)


def test_error_pages_send_the_policy_too(client, staff_a):
    client.force_login(staff_a)

    response = client.get(reverse("deleted_records"))

    assert response.status_code == 403
    assert response["Content-Security-Policy"] == POLICY


def test_with_https_the_session_cookie_is_secure_and_hsts_is_sent(settings, client, staff_a):
    # The values settings.py gives HTTPS=1 (checked in a fresh interpreter below).
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True

    login_page = client.get(reverse("login"), secure=True)
    signed_in = client.post(
        reverse("login"), {"username": "staff_a", "password": "Gonghui#2026test"}, secure=True
    )

    assert login_page["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )
    assert login_page.cookies["csrftoken"]["secure"]
    session = signed_in.cookies[settings.SESSION_COOKIE_NAME]
    assert session["secure"] and session["httponly"]
    assert session["samesite"] == "Lax"


# Templates: nothing the policy would refuse


TEMPLATE_FOLDERS = [Path(settings.BASE_DIR) / "templates"] + [
    Path(app.path) / "templates"
    for app in apps.get_app_configs()
    if Path(app.path).parent == Path(settings.BASE_DIR)
]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.I)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I)
JAVASCRIPT_URL = re.compile(r"javascript:", re.I)


def template_files() -> list[Path]:
    return sorted(path for folder in TEMPLATE_FOLDERS for path in folder.rglob("*.html"))


def test_the_template_scan_sees_the_templates():
    names = {path.name for path in template_files()}

    assert {"base.html", "login.html", "two_factor.html", "dashboard_county.html"} <= names


@pytest.mark.parametrize("pattern", [INLINE_SCRIPT, INLINE_STYLE, EVENT_HANDLER, JAVASCRIPT_URL])
def test_no_template_has_inline_script_style_or_handlers(pattern):
    offenders = []
    for path in template_files():
        # Django comments ({# #}) are never sent to the browser.
        text = re.sub(r"{#.*?#}", "", path.read_text(encoding="utf-8"))
        offenders += [f"{path.name}: {m.group(0)}" for m in pattern.finditer(text)]

    assert not offenders


def test_the_scan_would_catch_an_inline_style():
    assert INLINE_STYLE.search('<div class="x" style="width: 1em">')
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert not INLINE_SCRIPT.search('<script src="/static/x.js" defer></script>')
    assert EVENT_HANDLER.search('<button onclick="go()">')


def test_htmx_is_told_not_to_inject_its_indicator_style(client, staff_a):
    client.force_login(staff_a)

    page = client.get(reverse("home")).content.decode()

    config = re.search(r'<meta name="htmx-config" content=\'([^\']*)\'>', page)
    assert json.loads(config.group(1)) == {"includeIndicatorStyles": False}
    css = (Path(settings.BASE_DIR) / "static" / "css" / "portal.css").read_text()
    assert ".htmx-request .htmx-indicator" in css


# Production settings, in a fresh interpreter


# Variables settings.py reads that a developer's shell may have set.
LOCAL_VARIABLES = {
    "DEBUG",
    "TESTING",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "HTTPS",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "BEHIND_PROXY",
    "AXES_FAILURE_LIMIT",
    "AXES_COOLOFF_MINUTES",
    "SESSION_IDLE_MINUTES",
    "SESSION_MAX_HOURS",
    "PASSWORD_MAX_AGE_DAYS",
}


def production_env() -> dict[str, str]:
    """The environment the Makefile's `make check` uses (DEPLOY_ENV)."""
    clean = {k: v for k, v in os.environ.items() if k not in LOCAL_VARIABLES}
    clean.pop("PYTEST_CURRENT_TEST", None)
    return {
        **clean,
        "DJANGO_SETTINGS_MODULE": "unionportal.settings",
        "DEBUG": "0",
        "TESTING": "0",
        "HTTPS": "1",
        "ALLOWED_HOSTS": "portal.example.gov.cn",
        "CSRF_TRUSTED_ORIGINS": "https://portal.example.gov.cn",
        "SECRET_KEY": base64.urlsafe_b64encode(os.urandom(48)).decode(),
        # Required in production by the personal-information settings (ID-number encryption).
        "FIELD_ENCRYPTION_KEY": base64.b64encode(os.urandom(32)).decode(),
    }


def run_python(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        env=production_env(),
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_at_warning_level_with_production_settings():
    result = run_python("manage.py", "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_turn_on_every_sign_in_protection():
    script = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({k: getattr(s, k) for k in ["
        "'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', "
        "'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SECURE_HSTS_PRELOAD', "
        "'SECURE_SSL_REDIRECT', 'X_FRAME_OPTIONS', 'AXES_ENABLED', 'AXES_FAILURE_LIMIT', "
        "'PASSWORD_HASHERS', 'PASSWORD_MAX_AGE_DAYS', 'CONTENT_SECURITY_POLICY', "
        "'SESSION_COOKIE_AGE']}))"
    )

    result = run_python("-c", script)

    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["SECURE_HSTS_SECONDS"] == 31536000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_HSTS_PRELOAD"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["X_FRAME_OPTIONS"] == "DENY"
    assert values["AXES_ENABLED"] is True  # off only under pytest
    assert values["AXES_FAILURE_LIMIT"] == 5
    assert values["PASSWORD_HASHERS"][0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert values["PASSWORD_MAX_AGE_DAYS"] == 0
    assert values["CONTENT_SECURITY_POLICY"] == POLICY
    assert values["SESSION_COOKIE_AGE"] == 8 * 3600
