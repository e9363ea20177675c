"""Django settings for duban.

Everything an office may need to change comes from the environment, so the same package
runs the demo on a laptop and the production service on PostgreSQL:

    DUBAN_DATA_DIR     where the SQLite file, uploads and the secret key live
    DATABASE_URL       e.g. postgres://user:pass@host/db; SQLite in DUBAN_DATA_DIR when unset
    DUBAN_SECRET_KEY   otherwise generated once into DUBAN_DATA_DIR/secret_key
    DUBAN_SECRET_KEY_FALLBACKS  earlier secret keys, comma-separated, still accepted
    DUBAN_DEBUG        "1" for development only
    DUBAN_ALLOWED_HOSTS  comma-separated, default 127.0.0.1,localhost
    DUBAN_HTTPS        "1" when served behind HTTPS: secure cookies, HSTS
    DUBAN_TRUSTED_PROXY  the proxy whose X-Forwarded-Proto is believed (default 127.0.0.1)
    DUBAN_EMAIL_*      SMTP settings for reminders
    DUBAN_BASE_URL     the site's address for links in e-mails, default http://127.0.0.1:8000
    DUBAN_INVITATION_DAYS  days an invitation link stays valid (7)
    DUBAN_PASSWORD_RESET_HOURS  hours a password reset link stays valid (24)
    DUBAN_SETUP_PASSWORD  the first account's password for `duban setup --no-input`
"""

import datetime
import os
import secrets
from pathlib import Path

import dj_database_url

PACKAGE_DIR = Path(__file__).resolve().parent


def _default_data_dir() -> Path:
    checkout = PACKAGE_DIR.parent
    if (checkout / "pyproject.toml").exists():
        return checkout / "data"
    return Path.home() / ".local" / "share" / "duban"


def _env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DATA_DIR = Path(os.environ.get("DUBAN_DATA_DIR") or _default_data_dir()).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)
(DATA_DIR / "static").mkdir(exist_ok=True)


def _secret_key() -> str:
    if os.environ.get("DUBAN_SECRET_KEY"):
        return os.environ["DUBAN_SECRET_KEY"]
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
# Keys that were the secret key before: what they signed or encrypted (sessions, links, the
# group robots' credentials) still reads until they are dropped. Comma-separated.
SECRET_KEY_FALLBACKS = [
    k.strip() for k in os.environ.get("DUBAN_SECRET_KEY_FALLBACKS", "").split(",") if k.strip()
]
DEBUG = _env_flag("DUBAN_DEBUG")
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("DUBAN_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "duban.audit",
    "duban.organisations",
    "duban.accounts",
    "duban.documents",
    "duban.targets",
    "duban.supervision",
    "duban.reports",
    "duban.api",
    "duban.web",
    "duban.demo",
    "axes",  # sign-in throttling, see the block "Sign-in throttling" below
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "duban.accounts.middleware.FirstRunMiddleware",  # an empty database opens the setup page
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "duban.audit.middleware.AuditContextMiddleware",
    "axes.middleware.AxesMiddleware",  # sign-in throttling, see below
]

ROOT_URLCONF = "duban.urls"
WSGI_APPLICATION = "duban.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "duban.web.context_processors.product",
                "duban.supervision.context_processors.notifications",
            ],
        },
    },
    {
        # The parts of pages that print long lists of rows (duban/web/jinja.py).
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "NAME": "jinja2",
        "DIRS": [PACKAGE_DIR / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "duban.web.jinja.environment",
            "keep_trailing_newline": True,  # as Django's templates print them
        },
    },
]


def _database() -> dict:
    url = os.environ.get("DATABASE_URL")
    if url:
        config = dj_database_url.parse(url, conn_max_age=60)
    else:
        config = {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "duban.sqlite3",
            # Kept open by each server thread: opening one means reading the schema again,
            # which cost more than a whole light page.
            "CONN_MAX_AGE": 600,
        }
    if config["ENGINE"] == "django.db.backends.postgresql":
        options = config.setdefault("OPTIONS", {})
        # Parameters bound by the server: prepared statements, and no quoting in Python.
        options["server_side_binding"] = True
        # Statements run five times on a connection are prepared: a page's session, user and
        # stamp queries, and a target page's, are the same every time, and PostgreSQL then
        # parses and plans them once per connection; its CPU over bench_loop fell by a quarter.
        options.setdefault("prepare_threshold", 5)
        # No JIT compilation of queries: the list's light counts are estimated costly enough
        # for PostgreSQL to compile them, which took 50 ms where running them takes 5; over the
        # load benchmark, compiling was 85% of the database's time. Analytical databases gain
        # from JIT, short queries like ours do not. A `jit` given in DATABASE_URL's options wins.
        if "jit" not in options.get("options", ""):
            options["options"] = f"{options.get('options', '')} -c jit=off".strip()
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers go on while a report is being saved; IMMEDIATE avoids
        # "database is locked" upgrades from read to write inside a transaction.
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
        config.setdefault("TEST", {})["NAME"] = None
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Django's, with its message in Chinese (duban/accounts/validators.py says why).
    {"NAME": "duban.accounts.validators.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        # Uploaded files live outside any web root; views serve them after a permission check.
        "OPTIONS": {"location": str(DATA_DIR / "files"), "base_url": None},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = DATA_DIR / "files"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# The import preview of a long document has about ten inputs per item; without scripts the
# browser sends them all. Django's default of 1,000 guards against a hash-flooding attack that
# Python's randomised string hashes have long since closed.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20_000

# A covering index's extra columns are PostgreSQL's; SQLite uses the index without them.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

AUTHENTICATION_BACKENDS = [
    "duban.web.throttle.ThrottleBackend",  # sign-in throttling, see below; must come first
    "duban.organisations.backends.PersonAwareBackend",
]

# Sign-in throttling (django-axes, duban/web/throttle.py): an account is locked after
# DUBAN_LOGIN_FAILURE_LIMIT failed sign-ins from any address, an address after
# DUBAN_LOGIN_ADDRESS_FAILURE_LIMIT failed sign-ins or API tokens for any accounts, each for
# DUBAN_LOGIN_COOLOFF_MINUTES after the last failure; the right password is refused meanwhile.
DUBAN_LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("DUBAN_LOGIN_ADDRESS_FAILURE_LIMIT", "20"))
AXES_FAILURE_LIMIT = int(os.environ.get("DUBAN_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(
    minutes=int(os.environ.get("DUBAN_LOGIN_COOLOFF_MINUTES", "15"))
)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # this order: see ThrottleHandler
AXES_HANDLER = "duban.web.throttle.ThrottleHandler"
AXES_LOCKOUT_CALLABLE = "duban.web.throttle.lockout_response"
AXES_CLIENT_IP_CALLABLE = "duban.web.throttle.client_address"
AXES_RESET_ON_SUCCESS = True  # a successful sign-in clears its account's failures
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # retrying does not extend the lock
AXES_ENABLE_ACCESS_FAILURE_LOG = False  # failures and lockouts go to the audit trail
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False

# Django's database sessions, read with a plain query (see duban.accounts.sessions).
SESSION_ENGINE = "duban.accounts.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 12
if _env_flag("DUBAN_HTTPS"):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 30
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

EMAIL_BACKEND = os.environ.get("DUBAN_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("DUBAN_EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = int(os.environ.get("DUBAN_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("DUBAN_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DUBAN_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = _env_flag("DUBAN_EMAIL_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DUBAN_EMAIL_FROM", "duban@localhost")

# Product rules an office may tune.
DUBAN_DUE_SOON_DAYS = int(os.environ.get("DUBAN_DUE_SOON_DAYS", "7"))
# Days after a period ends within which its report still counts as on time (按时报送).
DUBAN_REPORT_GRACE_DAYS = int(os.environ.get("DUBAN_REPORT_GRACE_DAYS", "10"))
# Whether a deadline extension (延期申请) the office staff approved also needs the approval of
# the target's leader in charge (分管领导) before the deadline moves: on ("1", the default) a
# target with a leader waits for them; off ("0") the office's approval is final. A target
# without a leader in charge is decided by the office either way.
DUBAN_EXTENSION_LEADER_APPROVAL = _env_flag("DUBAN_EXTENSION_LEADER_APPROVAL", True)
# The office's name in bulletins (情况通报), e.g. 市科技局; by default the unit of the office
# staff who opens the bulletin (全市 when that unit is the city government).
DUBAN_OFFICE_NAME = os.environ.get("DUBAN_OFFICE_NAME", "").strip()
# Days an invitation link (账号邀请) stays valid.
DUBAN_INVITATION_DAYS = int(os.environ.get("DUBAN_INVITATION_DAYS", "7"))
# Hours a password reset link stays valid (Django's PASSWORD_RESET_TIMEOUT is in seconds).
PASSWORD_RESET_TIMEOUT = int(os.environ.get("DUBAN_PASSWORD_RESET_HOURS", "24")) * 3600
# The address people open the site at, for links in e-mails.
DUBAN_BASE_URL = os.environ.get("DUBAN_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
DUBAN_PAGE_SIZE = 50
# Group robots (群机器人, duban/supervision/channels.py): the host (with its port, if any) each
# kind's webhook address must name. A private deployment of WeCom or DingTalk names its own;
# https is required unless the host is a loopback address (tests, a local relay).
DUBAN_WEBHOOK_HOSTS = {
    "wecom": os.environ.get("DUBAN_WECOM_WEBHOOK_HOST", "qyapi.weixin.qq.com").strip(),
    "dingtalk": os.environ.get("DUBAN_DINGTALK_WEBHOOK_HOST", "oapi.dingtalk.com").strip(),
}
DUBAN_WEBHOOK_TIMEOUT = int(os.environ.get("DUBAN_WEBHOOK_TIMEOUT", "10"))
# Minutes before the 2nd, 3rd and 4th attempt of a failed post; the 4th failure gives up.
DUBAN_WEBHOOK_RETRY_MINUTES = (1, 5, 30)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
CSRF_FAILURE_VIEW = "duban.web.views.csrf_failure"
DUBAN_EVIDENCE_MAX_BYTES = int(os.environ.get("DUBAN_EVIDENCE_MAX_MB", "20")) * 1024 * 1024

# --- Browser-facing hardening (issue 12, item 9): proxy trust for HTTPS, Content-Security-Policy.
# The reverse proxy whose X-Forwarded-Proto `duban serve` believes when DUBAN_HTTPS=1 (an address,
# or * for any); HSTS and secure cookies depend on it. Empty: trust no proxy.
DUBAN_TRUSTED_PROXY = (
    os.environ.get("DUBAN_TRUSTED_PROXY", "127.0.0.1").strip() if _env_flag("DUBAN_HTTPS") else ""
)
# Scripts only from our own static files. Style sheets likewise (style-src-elem), but style
# attributes are allowed: ECharts' tooltips, Swagger UI and the admin write them, and they cannot
# run code. Images may be data: URLs (Swagger UI's icons, ECharts' saved charts).
DUBAN_CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "style-src-elem 'self'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "duban.web.middleware.ContentSecurityPolicyMiddleware",
)
