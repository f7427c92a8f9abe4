"""Django settings, all from the environment (see README: DATABASE_URL, VIGIA_DATA_DIR, …)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("VIGIA_DATA_DIR") or Path.home() / ".local" / "share" / "vigia").resolve()
DATA_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
DATA_DIR.chmod(0o700)  # the database, evidence and secret key are for the service account only


def _truthy(name: str, default: str = "") -> bool:
    return os.environ.get(name, default).strip().lower() in ("1", "true", "yes", "on")


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once and kept in the data folder."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(50))
    path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = _truthy("DEBUG")
# `vigia serve --demo`: a separate data directory with a synthetic registry extract; every page says so.
VIGIA_DEMO = _truthy("VIGIA_DEMO")
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "csp",
    "ninja",
    "simple_history",
    "axes",
    "vigia.core",
    "vigia.reporting",
    "vigia.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = int(os.environ.get("VIGIA_LOGIN_ATTEMPTS", 5))
AXES_COOLOFF_TIME = 0.25  # hours locked out after too many failed logins
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "vigia.web.errors.locked_out"  # 429 in Spanish with Retry-After
AXES_CLIENT_IP_CALLABLE = "vigia.web.proxies.client_ip"  # X-Forwarded-For only from VIGIA_TRUSTED_PROXIES
AXES_VERBOSE = False
# Reverse proxies in front of Vigía, outermost first (addresses or networks, e.g. "10.0.0.0/8,127.0.0.1").
TRUSTED_PROXIES = [p.strip() for p in os.environ.get("VIGIA_TRUSTED_PROXIES", "").split(",") if p.strip()]

ROOT_URLCONF = "vigia.urls"
WSGI_APPLICATION = "vigia.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "vigia.reporting.context.nav",
                "vigia.web.demo.banner",
            ],
        },
    }
]

_sqlite = f"sqlite:///{DATA_DIR / 'vigia.sqlite3'}"
DATABASES = {"default": dj_database_url.config(default=_sqlite, conn_max_age=60, conn_health_checks=True)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while a load writes; IMMEDIATE avoids lock upgrades between workers.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = None  # one connection per thread, kept: opening one costs more than a page

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True  # reasons quote comments and resolutions: no 100-character cap

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
CSRF_FAILURE_VIEW = "vigia.web.errors.csrf_failure"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "reporting:pending"  # «Mis pendientes»: what each role has to do
LOGOUT_REDIRECT_URL = "web:home"

LANGUAGE_CODE = "es"
LANGUAGES = [("es", "Español")]
TIME_ZONE = "America/Lima"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["vigia.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]  # Spanish for libraries that ship none (django-simple-history)

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
WHITENOISE_USE_FINDERS = True  # serve straight from the package: no collectstatic step to forget
WHITENOISE_MAX_AGE = 3600
WHITENOISE_IMMUTABLE_FILE_TEST = r"/vendor/[^/]+-\d+\.\d+\.\d+/"  # vendored assets carry their version in the path

SESSION_COOKIE_AGE = int(os.environ.get("VIGIA_SESSION_SECONDS", 8 * 3600))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
_https = _truthy("VIGIA_HTTPS")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = _https
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if _https else None
SECURE_SSL_REDIRECT = _https
SECURE_HSTS_SECONDS = int(os.environ.get("VIGIA_HSTS_SECONDS", 365 * 24 * 3600)) if _https else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_PRELOAD = _https
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Every asset is served by Vigía itself (no CDN) and no page carries inline script or style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
MEDIA_ROOT = DATA_DIR / "media"
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
EVIDENCE_MAX_BYTES = int(os.environ.get("VIGIA_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024))
XLSX_MAX_BYTES = int(os.environ.get("VIGIA_XLSX_MAX_BYTES", 5 * 1024 * 1024))

_MAIL_BACKENDS = {"smtp": "django.core.mail.backends.smtp.EmailBackend", "consola": "django.core.mail.backends.console.EmailBackend"}
_mail = os.environ.get("VIGIA_EMAIL_BACKEND", "consola")
MAILERS = {"default": {"BACKEND": _MAIL_BACKENDS.get(_mail, _mail)}}
if MAILERS["default"]["BACKEND"] == _MAIL_BACKENDS["smtp"]:
    MAILERS["default"]["OPTIONS"] = {
        "host": os.environ.get("VIGIA_SMTP_HOST", "localhost"),
        "port": int(os.environ.get("VIGIA_SMTP_PORT", 587 if _truthy("VIGIA_SMTP_TLS") else 25)),
        "username": os.environ.get("VIGIA_SMTP_USER", ""),
        "password": os.environ.get("VIGIA_SMTP_PASSWORD", ""),
        "use_tls": _truthy("VIGIA_SMTP_TLS"),
        "use_ssl": _truthy("VIGIA_SMTP_SSL"),
        "timeout": 20,
    }
DEFAULT_FROM_EMAIL = os.environ.get("VIGIA_FROM_EMAIL", "vigia@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler", "level": os.environ.get("VIGIA_LOG_LEVEL", "WARNING")}},
    "root": {"handlers": ["console"], "level": os.environ.get("VIGIA_LOG_LEVEL", "WARNING")},
}
