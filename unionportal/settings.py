"""Settings for the portal: one module, every deployment value read from the environment.

Each variable is documented in .env.example. Defaults are safe for a developer's machine:
DEBUG is off unless asked for, and the database is a SQLite file inside the project.
"""

import base64
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from whitenoise.compress import Compressor

BASE_DIR = Path(__file__).resolve().parent.parent


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = _env_bool("DEBUG", False)
# The test run (set by unionportal/pytest_plugin.py, which pyproject's pytest options load before
# pytest-django reads these settings) and the benchmarks: pages render without the
# collected-static manifest, django-axes is off and the development keys are accepted.
TESTING = _env_bool("TESTING", False)

# Used when the environment sets no key; published in the repository, so accepted only by a
# developer (DEBUG=1) or the test run. With DEBUG off, a missing key, this one or .env.example's
# placeholder stops start-up (the end of this module).
_DEVELOPMENT_SECRET_KEY = "dev-only-insecure-key-set-SECRET_KEY-in-production-0123456789abcdef"
_PLACEHOLDER_SECRET_KEY = "change-me-to-a-long-random-string"
SECRET_KEY = os.environ.get("SECRET_KEY", "").strip() or _DEVELOPMENT_SECRET_KEY

ALLOWED_HOSTS = _env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = _env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "unionportal.staticfiles.PortalStaticFilesConfig",  # django.contrib.staticfiles, trimmed
    "django.contrib.humanize",
    "simple_history",
    "crispy_forms",
    "crispy_bootstrap5",
    # Sign-in: failed-login lockout, and the optional second factor (TOTP) of reviewers and
    # administrators.
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "unionportal",
    "members",
    "welfare",
    "disputes",
    "events",
    "honours",
    "workbook",
    "portal",
    "reports",
    "audit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "unionportal.security.ContentSecurityPolicyMiddleware",
    # Refuses an oversized request body from its Content-Length, before anything reads it; its
    # process_view runs before the CSRF check's, the first reader of request.POST.
    "unionportal.security.RequestBodyLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below WhiteNoise (static files stay cacheable), around everything else: a signed-in user's
    # responses are `Cache-Control: private, no-store`.
    "unionportal.security.PrivateResponsesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Django's LocaleMiddleware without its language-prefix checks (the URLs have none).
    "unionportal.language.PortalLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Idle and absolute session timeouts, the second factor, password expiry.
    "unionportal.security.SignInPolicyMiddleware",
    # Records who made each change in the history tables (django-simple-history).
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "unionportal.urls"
WSGI_APPLICATION = "unionportal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.navigation.shell",
            ],
        },
    },
]

# Database: DATABASE_URL, or a SQLite file in the project.
_SQLITE_OPTIONS = {
    # Several staff save at once: WAL lets readers run beside the writer, the busy timeout makes a
    # second writer wait instead of failing, and IMMEDIATE transactions take the write lock at
    # BEGIN so a read-then-write transaction never hits "database is locked" on upgrade.
    "timeout": 20,
    "transaction_mode": "IMMEDIATE",
    "init_command": (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
        "PRAGMA busy_timeout=20000;"
    ),
}


def database_config(url: str, *, conn_max_age: int = 60) -> dict:
    """DATABASES["default"] for a DATABASE_URL; an empty URL means the SQLite file in var/.

    PostgreSQL connections are kept open for `conn_max_age` seconds and run without JIT
    compilation; SQLite gets the options above whether it comes from a URL or the default file.
    """
    if url:
        config = dj_database_url.parse(url, conn_max_age=conn_max_age)
    else:
        config = {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "var" / "db.sqlite3"}
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {**_SQLITE_OPTIONS, **config.get("OPTIONS", {})}
        config["TEST"] = {"NAME": os.environ.get("SQLITE_TEST_NAME") or None}
    elif config["ENGINE"] == "django.db.backends.postgresql":
        # The figures' grouped queries carry many FILTER clauses and correlated subqueries, so
        # their estimated cost passes PostgreSQL's JIT thresholds: compiling them took 1.6 s of
        # the county dashboard's 1.9 s query and most of the county roll-up's 9 s, to save
        # milliseconds (docs/performance.md, 十个县). random_page_cost 1.1 (SSD, data in memory):
        # with the default 4 the planner walked a township's every member to find the 244 whose
        # name starts with 王 (4 ms) rather than take the (township, name) and card-number indexes
        # together (0.8 ms). Set per connection; behind PgBouncer, which drops startup options,
        # set both on the database instead (deployment.md).
        # Server-side binding: the SQL text no longer carries the values, so the same query for
        # another member or township is the same statement, and psycopg prepares a statement on
        # its second run on a connection (prepare_threshold): PostgreSQL then skips parsing and
        # planning it (0.3-0.6 ms each; docs/performance.md). DB_PREPARED_STATEMENTS=0 turns
        # both off, for PgBouncer in transaction mode, which cannot keep prepared statements.
        prepared = os.environ.get("DB_PREPARED_STATEMENTS", "1").strip() != "0"
        config["OPTIONS"] = {
            "options": "-c jit=off -c random_page_cost=1.1",
            **({"server_side_binding": True, "prepare_threshold": 2} if prepared else {}),
            **config.get("OPTIONS", {}),
        }
    return config


DATABASE_URL = os.environ.get("DATABASE_URL", "").strip()
_db = database_config(DATABASE_URL, conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")))
if not DATABASE_URL:
    (BASE_DIR / "var").mkdir(exist_ok=True)
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "unionportal.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sign-in security (README “登录与会话安全”).
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out user name + address before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend reading the signed-in user of every request with a query compiled once.
    "unionportal.auth_backend.PortalModelBackend",
]
# Argon2 first: new and changed passwords are hashed with it; older PBKDF2 hashes still verify
# and are re-hashed with Argon2 at the user's next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# 等保 level 2 (GB/T 22239-2019): passwords of at least 10 characters mixing three of
# upper-case, lower-case, digits and symbols; the validator checks both.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "unionportal.passwords.CharacterClassesValidator",
        "OPTIONS": {"min_length": 10, "min_classes": 3},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Days a password stays valid; afterwards every page leads to the password change page.
# 0 (the default) = passwords do not expire.
PASSWORD_MAX_AGE_DAYS = int(os.environ.get("PASSWORD_MAX_AGE_DAYS", "0"))

# Failed-login lockout (django-axes): 5 wrong passwords for one user name from one address lock
# that pair for 30 minutes. Keyed on both, so one person's typos do not lock out a whole office
# behind one NAT address, and an attacker elsewhere cannot lock a user out of the office.
# Off in the test run only (TESTING): the test client signs in without a request, which axes
# needs; unionportal/tests/test_signin.py turns it on.
AXES_ENABLED = not TESTING
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Trying again while locked does not push the time to try again further back: the lockout page
# names that time, and it holds.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "unionportal.security.lockout_response"
# Password spraying (a few passwords tried on many user names from one address) never reaches the
# limit above: this many failures from one address within the cool-off time, whatever the user
# names, lock the whole address for the cool-off time (unionportal.security.PortalAxesHandler).
# An office's own typos stay far below it; `manage.py unlock --ip` lifts it early.
AXES_HANDLER = "unionportal.security.PortalAxesHandler"
SIGN_IN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("SIGN_IN_ADDRESS_FAILURE_LIMIT", "20"))
AXES_CLIENT_IP_CALLABLE = "unionportal.security.client_ip"
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "otp_token"]

# Sessions end after SESSION_IDLE_MINUTES without a request and SESSION_MAX_HOURS after
# sign-in, whichever comes first (unionportal.security.SignInPolicyMiddleware). The session is
# written at most once a minute, not on every request (SESSION_SAVE_EVERY_REQUEST).
SESSION_IDLE_TIMEOUT = timedelta(minutes=int(os.environ.get("SESSION_IDLE_MINUTES", "30")))
SESSION_MAX_AGE = timedelta(hours=int(os.environ.get("SESSION_MAX_HOURS", "8")))
# Sessions in the database, as Django's, read with one plain query (unionportal/sessions.py).
SESSION_ENGINE = "unionportal.sessions"

# Two-step sign-in (TOTP), which county reviewers and administrators may turn on.
OTP_TOTP_ISSUER = "乡镇工会工作平台"
# The admin lists and deletes users' devices (a lost phone) but never shows their secret keys.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [
    ("zh-hans", "简体中文"),
    ("zh-hant", "繁體中文"),
    ("en", "English"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
# Bootstrap, ECharts and htmx come from the npm registry at set-up (package.json) and are
# served by the portal itself: government intranets have no CDN.
_NODE = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", _NODE / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", _NODE / "bootstrap-icons" / "font"),
    ("vendor/echarts", _NODE / "echarts" / "dist"),
    ("vendor/htmx", _NODE / "htmx.org" / "dist"),
]
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "var" / "private"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Attachments (photos, scanned letters) of events and cases: outside the web root, served
    # only by a view that checks the user may see the record.
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "unionportal.staticfiles.PortalManifestStorage"
        )
    },
}
# Development and tests serve files straight from static/ and node_modules/, with no collectstatic.
WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_AUTOREFRESH = DEBUG or TESTING
# Source maps are fetched only by browser developer tools; Brotli-compressing them doubled the
# time collectstatic takes.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))

# Per-township results kept under the townships' data tokens (unionportal/kept.py): each process
# keeps them in memory, and shares them with the other gunicorn workers through files here, so a
# township written to is computed again once, not once per worker. Under pytest: in memory only.
KEPT_DIR = Path(os.environ.get("KEPT_DIR", BASE_DIR / "var" / "kept"))
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "kept": (
        {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "kept"}
        if TESTING
        else {
            # Django's file cache, counting its files once in 200 writes rather than on each one.
            "BACKEND": "unionportal.keptcache.KeptFileCache",
            "LOCATION": KEPT_DIR,
            "TIMEOUT": 24 * 3600,
            "OPTIONS": {"MAX_ENTRIES": 20000, "CULL_FREQUENCY": 4},
        }
    ),
}

# Summary PDFs and DOCX files render in a thread this much nicer than pages (Linux nice value,
# 0 = same priority): a second of PDF work does not hold up the pages (unionportal/lowpriority.py).
RENDER_NICENESS = int(os.environ.get("RENDER_NICENESS", "10"))

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

SESSION_COOKIE_AGE = int(SESSION_MAX_AGE.total_seconds())
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Sent on every response by unionportal.security.ContentSecurityPolicyMiddleware: only the
# portal's own scripts, styles, fonts and images run (no inline script or style, no CDN).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
# Sent on every response too: the portal uses no device or browser feature, so none is allowed
# (a script that got in despite the CSP could not turn on the camera or read the location).
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), "
    "hid=(), midi=(), magnetometer=(), gyroscope=(), accelerometer=(), display-capture=(), "
    "browsing-topics=(), interest-cohort=()"
)

# Behind HTTPS in production (see README): all of these on.
_HTTPS = _env_bool("HTTPS", False)
SESSION_COOKIE_SECURE = _HTTPS
CSRF_COOKIE_SECURE = _HTTPS
SECURE_SSL_REDIRECT = _HTTPS and _env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000" if _HTTPS else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = _HTTPS
SECURE_HSTS_PRELOAD = _HTTPS
# Behind a reverse proxy that sets X-Forwarded-Proto and appends to X-Forwarded-For (README,
# nginx): trust the scheme it reports, and take the client address for the lockout from it.
BEHIND_PROXY = _env_bool("BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Personal information
# ID numbers are encrypted at rest (unionportal/pii.py). FIELD_ENCRYPTION_KEY is base64 of 32
# random bytes; losing it loses every stored ID number, so it is backed up apart from the
# database (README, 个人信息保护). Older keys stay listed to open values sealed before a rotation;
# FIELD_HASH_KEY (default: the encryption key) makes the look-up hashes, and must stay the same
# across a rotation.
# Development only ("dev-only-field-key-not-for-prod"), like the SECRET_KEY above.
_DEVELOPMENT_FIELD_KEY = "ZGV2LW9ubHktZmllbGQta2V5LW5vdC1mb3ItcHJvZCE="
FIELD_ENCRYPTION_KEY = os.environ.get("FIELD_ENCRYPTION_KEY", "").strip() or _DEVELOPMENT_FIELD_KEY


def development_keys(secret_key: str, field_key: str) -> list[str]:
    """The key variables still missing or at their published development values."""
    return [
        name
        for name, value, published in (
            ("SECRET_KEY", secret_key, {_DEVELOPMENT_SECRET_KEY, _PLACEHOLDER_SECRET_KEY}),
            ("FIELD_ENCRYPTION_KEY", field_key, {_DEVELOPMENT_FIELD_KEY}),
        )
        if value in published
    ]


# Fail closed: production (DEBUG off, outside the test run) never runs on a key anyone can read in
# the repository. Raised here, so check, migrate and gunicorn all stop before serving anything.
_unset = development_keys(SECRET_KEY, FIELD_ENCRYPTION_KEY)
if _unset and not DEBUG and not TESTING:
    _names = "、".join(_unset)
    raise ImproperlyConfigured(
        f"DEBUG=0 时必须设置 {_names}（未设置，或仍是开发用的值；生成方法见 .env.example）。"
        f" {' and '.join(_unset)} must be set in production (DEBUG=0): missing or the"
        " published development value."
    )
try:
    _field_key_bytes = len(base64.b64decode(FIELD_ENCRYPTION_KEY, validate=True))
except ValueError:
    _field_key_bytes = 0
if _field_key_bytes != 32:
    # Checked at start-up, not at the first page that reads an ID number.
    raise ImproperlyConfigured("FIELD_ENCRYPTION_KEY must be base64 of 32 random bytes.")
FIELD_ENCRYPTION_OLD_KEYS = _env_list("FIELD_ENCRYPTION_OLD_KEYS", "")
FIELD_HASH_KEY = os.environ.get("FIELD_HASH_KEY", "").strip()
