"""Django settings of hsreg, read from the environment.

DATABASE_URL        default: an SQLite file in HSREG_DATA_DIR
HSREG_DATA_DIR      default: the user's data dir (platformdirs), e.g. ~/.local/share/hsreg
HSREG_SECRET_KEY    required unless HSREG_DEBUG=1 or HSREG_DEMO=1
HSREG_SECRET_KEY_FALLBACKS  earlier keys, comma-separated, after a rotation: sessions and
                    the keyed hashes of objections made with them are still recognised
HSREG_DEBUG=1       development: debug pages, a throwaway secret key
HSREG_DEMO=1        the demo: synthetic national id numbers accepted, a fixed demo secret
HSREG_ALLOWED_HOSTS comma-separated, default 127.0.0.1,localhost
HSREG_EMAIL_URL     where mail goes (one-time passwords): "console" (default in the demo),
                    "smtp://host:port" in production
HSREG_REGISTRY_EMAIL the From address of the registry's mail
HSREG_PUBLIC_URL    the address patients reach hsreg at, for the links in their invitations
                    (default http://127.0.0.1:8000; production: https://… of the public site)
HSREG_SMS_URL       where SMS go (patient invitations): "console" (default in the demo and
                    development: printed by the worker), "outbox" (kept in memory, tests), or
                    "https://…" / "http://…" of the SMS gateway (questionnaires.sms, its
                    token in HSREG_SMS_TOKEN)
HSREG_PATIENT_EMAIL the From address of the patients' invitations (default noreply@localhost;
                    it must not name the registry, as the registry's own address may)
HSREG_INSECURE_HTTP=1 serve without TLS (the demo and loopback benchmarks); production runs
                    behind a TLS proxy that sets X-Forwarded-Proto
HSREG_RESEARCH_KEY  the key of the research extract's patient pseudonyms (reports.pseudonyms);
                    default: a random key made on first use and kept in HSREG_DATA_DIR/research-key
HSREG_CHARTS_CACHE_URL  the report charts' cache shared by several machines: redis://host:port/db
                    or memcached://host:port; default: files in HSREG_DATA_DIR/cache/charts
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
import platformdirs

from .caches import charts_cache

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def _flag(name: str) -> bool:
    return os.environ.get(name, "") in {"1", "true", "yes"}


DATA_DIR = Path(os.environ.get("HSREG_DATA_DIR") or platformdirs.user_data_dir("hsreg"))
DEBUG = _flag("HSREG_DEBUG")
DEMO = _flag("HSREG_DEMO")

# Synthetic national id numbers (month + 80, as Skatteetaten's test data) are accepted only
# in the demo and the tests; a production registry refuses them.
HSREG_ACCEPT_SYNTHETIC_IDS = DEMO or DEBUG or _flag("HSREG_ACCEPT_SYNTHETIC_IDS")

SECRET_KEY = os.environ.get("HSREG_SECRET_KEY", "")
if not SECRET_KEY:
    if not (DEBUG or DEMO):
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("Set HSREG_SECRET_KEY (or HSREG_DEMO=1 for the demo).")
    SECRET_KEY = "hsreg-demo-only-not-secret"  # noqa: S105 - demo and development only
SECRET_KEY_FALLBACKS = [
    k.strip() for k in os.environ.get("HSREG_SECRET_KEY_FALLBACKS", "").split(",") if k.strip()
]
# The research extract's pseudonyms are keyed apart from SECRET_KEY (reports.pseudonyms): the
# key never lives in the database, and rotating the secret key does not renumber a study.
HSREG_RESEARCH_KEY = os.environ.get("HSREG_RESEARCH_KEY", "")

ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("HSREG_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "django_tasks",
    "oauth2_provider",  # django-oauth-toolkit: the token endpoint of hsreg.apiclients
    "django_tasks_db",  # the job queue's table (hsreg.jobs: the nightly refresh, reports, mails)
    "hsreg.units",
    "hsreg.accounts",
    "hsreg.patients",
    "hsreg.records",
    "hsreg.assessments",
    "hsreg.treatments",
    "hsreg.delegations",  # H-resept delegation to private practices (TX-6, issue 15)
    "hsreg.worklists",
    "hsreg.audit",
    "hsreg.objections",
    "hsreg.questionnaires",  # the patient answers their own forms through a one-time link
    "hsreg.apiclients",  # systems calling the APIs: OAuth 2.0 client credentials, one unit each
    "hsreg.fhir",  # FHIR R4 faces on the services and selectors (above every app it serves)
    "hsreg.cdshooks",  # the guideline as CDS Hooks 2.0 services for the record systems
    "hsreg.engine_api",  # the guideline engine as a service: POST /api/evaluate (django-ninja)
    "hsreg.reports",
    "hsreg.keycheck",  # above reports: it reads the research key as reports.pseudonyms does
    "hsreg.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "hsreg.web.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "hsreg.accounts.sessions.SessionExpiryMiddleware",
    "hsreg.accounts.middleware.ActorMiddleware",
    "hsreg.accounts.access.AccessMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "hsreg.config.urls"
WSGI_APPLICATION = "hsreg.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "hsreg.web.context_processors.units",
            ],
        },
    },
]

# The report charts drawn once per set of numbers, and the numbers their pages kept for the
# chart images (reports.charts.cache): files in HSREG_DATA_DIR, shared by the worker processes
# of this machine; HSREG_CHARTS_CACHE_URL names a Redis or memcached server for several.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "charts": charts_cache(os.environ.get("HSREG_CHARTS_CACHE_URL", ""), DATA_DIR),
}

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'hsreg.sqlite3'}",
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the demo's readers and its one writer work at once.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        # the demo's job worker writes beside the web server: wait for the other's write
        # transaction (a batch of the nightly job) rather than fail with "database is locked"
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
else:
    # PostgreSQL's JIT compiles the report queries for longer than they take to run (the
    # distributions of 100,000 patients: 2.4 s with it, 1.6 s without; benchmarks/bench_reports.py)
    # and never paid off for the registry's short queries either.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "login"

# Argon2 for new passwords; existing hashes of the others are upgraded at the next login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked-out username before checking
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", "Norsk bokmål"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
FORMAT_MODULE_PATH = ["hsreg.formats"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True  # the demo serves static files without collectstatic

# Login protection (issue 4): lockout after 10 failed attempts for a username, 30 minutes.
AXES_FAILURE_LIMIT = 10
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = ["username"]
# A hospital's users share one public address: locking by address would lock out a whole
# department after ten typing errors, so attempts are counted per username (axes.W006).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False  # axes would log usernames and addresses itself; the audit log has them

# Sessions end after 30 minutes without a request and 12 hours after login whatever happens
# (accounts.sessions.SessionExpiryMiddleware); the cookie dies with the browser.
SESSION_IDLE_SECONDS = 30 * 60
SESSION_ABSOLUTE_SECONDS = 12 * 60 * 60
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_SECONDS
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

OTP_TOTP_ISSUER = "hsreg"

# Behind TLS unless told otherwise: secure cookies, HSTS, redirect to https.
INSECURE_HTTP = DEMO or DEBUG or _flag("HSREG_INSECURE_HTTP")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = not INSECURE_HTTP
SECURE_SSL_REDIRECT = not INSECURE_HTTP
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 0 if INSECURE_HTTP else 365 * 24 * 3600
SECURE_HSTS_INCLUDE_SUBDOMAINS = not INSECURE_HTTP
SECURE_HSTS_PRELOAD = not INSECURE_HTTP
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "hsreg.web.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

EMAIL_URL = os.environ.get("HSREG_EMAIL_URL", "console" if (DEMO or DEBUG) else "")
if EMAIL_URL == "console":
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
elif EMAIL_URL.startswith("smtp://"):
    _host, _, _port = EMAIL_URL.removeprefix("smtp://").partition(":")
    EMAIL_HOST, EMAIL_PORT = _host, int(_port or 25)
DEFAULT_FROM_EMAIL = os.environ.get("HSREG_REGISTRY_EMAIL", "hisreg@localhost")
PUBLIC_URL = os.environ.get("HSREG_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
SMS_URL = os.environ.get("HSREG_SMS_URL", "console" if (DEMO or DEBUG) else "")
SMS_TOKEN = os.environ.get("HSREG_SMS_TOKEN", "")
PATIENT_FROM_EMAIL = os.environ.get("HSREG_PATIENT_EMAIL", "noreply@localhost")

# API clients (hsreg.apiclients, issue 14): OAuth 2.0 client credentials only (oauthlib's
# BackendApplicationServer has no other grant), tokens valid one hour, SMART v2 scopes per
# client, revoked clients refused. README: Security for systems.
OAUTH2_PROVIDER = {
    "OAUTH2_SERVER_CLASS": "oauthlib.oauth2.BackendApplicationServer",
    "OAUTH2_VALIDATOR_CLASS": "hsreg.apiclients.validators.ApiClientValidator",
    "SCOPES_BACKEND_CLASS": "hsreg.apiclients.scopes.ClientScopes",
    "ACCESS_TOKEN_EXPIRE_SECONDS": 3600,
    # the OAuth 2.0 Security BCP (RFC 9700) everywhere, ahead of DOT 4.0's defaults: tokens
    # stored hashed, none in a URL's query string, no implicit or password grant, https only
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_SCHEME": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_MATCHING": True,
    "COMPLIANT_BCP_RFC9700_PKCE_REQUIRED": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
}
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"  # named for migrations

# Background jobs (hsreg.jobs): queued as rows of the registry's own database and run by
# `hsreg worker` (django-tasks' db_worker), so no other server is needed. README: Background jobs.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # a 403 or 404 is one line, without the traceback Django attaches (web.log_filters)
    "filters": {"one_line": {"()": "hsreg.web.log_filters.ClientErrorsOnOneLine"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"filters": ["one_line"]}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
