"""The one settings module.

The database comes from ``GOODWILL_DB`` (set by ``--db`` on the CLI): a path
means SQLite, a ``postgresql://`` URL means PostgreSQL. The default is a
SQLite file in the user data directory. Bad settings fail fast with one line.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
import platformdirs
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("GOODWILL_HOME") or platformdirs.user_data_dir("goodwill"))


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once per user."""
    key = os.environ.get("GOODWILL_SECRET_KEY")
    if key:
        return key
    path = DATA_DIR / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(50)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(key)
        return key


def database_config(value: str | None) -> dict[str, object]:
    """Turn a path or URL into a Django DATABASES entry."""
    value = value or str(DATA_DIR / "goodwill.sqlite3")
    if "://" in value:
        if not value.startswith(("postgres://", "postgresql://", "sqlite://")):
            raise ImproperlyConfigured(
                f"unsupported database URL {value.split('://')[0]}:// "
                "(use a file path or postgresql://)"
            )
        config: dict[str, object] = dict(dj_database_url.parse(value, conn_max_age=60))
        if config["ENGINE"] == "django.db.backends.postgresql":
            config["CONN_HEALTH_CHECKS"] = True
            return config
        value = str(config["NAME"])
    path = Path(value).expanduser()
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "OPTIONS": {
            # WAL lets readers run beside one writer; IMMEDIATE takes the write
            # lock at BEGIN so concurrent writers wait (busy timeout) instead of
            # failing with "database is locked" half-way through a transaction.
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000;"
            ),
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
        },
        # A server thread keeps its connection (and its page cache) between requests.
        "CONN_MAX_AGE": 600,
        "CONN_HEALTH_CHECKS": True,
    }


DEBUG = os.environ.get("GOODWILL_DEBUG") == "1"
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("GOODWILL_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
]
if os.environ.get("GOODWILL_BEHIND_PROXY") == "1":
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("GOODWILL_CSRF_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "goodwill.db",
    "goodwill.web",
]

MIDDLEWARE = [
    "goodwill.web.middleware.RequestLogMiddleware",
    "goodwill.web.middleware.MaxBodySizeMiddleware",
    "goodwill.web.middleware.NulCharacterMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    "goodwill.web.middleware.UserErrorMiddleware",
]

ROOT_URLCONF = "goodwill.urls"
WSGI_APPLICATION = "goodwill.wsgi.application"
TEMPLATES = [
    # Our pages and emails (web/jinja2/goodwill/...): Jinja2 renders them for a
    # fraction of DTL's cost. See goodwill/web/jinja.py.
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "goodwill.web.jinja.environment",
            # request comes with the backend; csrf_token and csrf_input too, but
            # masked anew at each use: goodwill's csrf masks one per response.
            "context_processors": [
                "goodwill.web.jinja.csrf",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
    # Django's admin and anything else not ours.
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {"default": database_config(os.environ.get("GOODWILL_DB"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "goodwill.services.accounts.UserBackend",  # Django's ModelBackend, a faster get_user
]
AXES_FAILURE_LIMIT = 10
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]

LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/login/"

SESSION_ENGINE = "goodwill.web.sessions"  # Django's database sessions, read faster
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = os.environ.get("GOODWILL_HTTPS") == "1"
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("GOODWILL_MAX_UPLOAD", 20 * 1024 * 1024))
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("GOODWILL_TZ", "UTC")
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "goodwill.requests": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.request": {"handlers": ["console"], "level": "ERROR"},
    },
}

# Email (the daily digest): printed to the console unless an SMTP host is given.
DEFAULT_FROM_EMAIL = os.environ.get("GOODWILL_EMAIL_FROM", "goodwill@localhost")
if os.environ.get("GOODWILL_SMTP_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["GOODWILL_SMTP_HOST"]
    EMAIL_PORT = int(os.environ.get("GOODWILL_SMTP_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("GOODWILL_SMTP_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("GOODWILL_SMTP_PASSWORD", "")
    EMAIL_USE_TLS = os.environ.get("GOODWILL_SMTP_TLS", "1") == "1"
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
