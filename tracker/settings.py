"""
Settings for the political-prisoner tracker.

One flat file, read from the environment with strict helpers. Nothing insecure is a
default: debug mode, the development secret key and permissive hosts exist only when
DJANGO_DEBUG is set, which `make run` does for a local run.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    value = value.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}.")


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_count(name: str, default: int) -> int:
    """A whole number, zero or more."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        number = int(value.strip())
    except ValueError:
        number = -1
    if number < 0:
        raise ImproperlyConfigured(f"{name} must be a whole number, zero or more, not {value!r}.")
    return number


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = (os.environ.get(name) or default).strip().lower()
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, not {value!r}.")
    return value


DEBUG = env_bool("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off. "
            "For a local run use `make run`, which turns debug on."
        )
    SECRET_KEY = "insecure-local-development-key-never-used-with-debug-off"  # noqa: S105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "corsheaders",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "import_export",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "sources",
    "prisoners",
    "edition",
    "website",
]

MIDDLEWARE = [
    # Outermost: a response that sets a cookie is private (tracker.caching).
    "tracker.caching.PrivateCookiesMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    # The public side's limits, outside the request's transaction (tracker.lib.throttling,
    # tracker.lib.errors): requests per client, then time per SQL statement.
    "tracker.lib.throttling.RateLimitMiddleware",
    "tracker.lib.errors.StatementTimeoutMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # The API and the exports speak the language their request asks for (?lang=, else
    # Accept-Language), not the site's cookie (tracker.lib.errors).
    "tracker.lib.errors.PublicLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Validators and freshness for anonymous reads of the API and the exports (a 304
    # without running the view); private, no-store for everyone else.
    "tracker.caching.PublicCacheMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "tracker.otp.RequireOTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# django-axes first: it refuses any login while the account or the address is locked out.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "tracker.urls"
# The publishing services the shared admin code calls (tracker.lib.editorial_admin).
TRACKER_PUBLISHING = "prisoners.publishing"

# Path prefixes of anonymous, published-only reads, and how long (seconds) a browser or a
# shared cache may keep them before revalidating (tracker.caching). Longest prefix first.
PUBLIC_CACHE_RULES = [
    ("/exports/datapackage.zip", 3600),
    ("/exports/", 300),
    ("/api/v1/", 300),
    # The public website (website/): its pages in each language, the sitemaps, robots.txt.
    ("/en/", 300),
    ("/be/", 300),
    ("/ru/", 300),
    ("/sitemap", 3600),
    ("/robots.txt", 86400),
]
WSGI_APPLICATION = "tracker.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "tracker" / "templates"],
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

# A public-only process (TRACKER_PUBLIC_ONLY=1) serves the website, the API and the exports
# and nothing for editors: no admin URL, no login, no session, no messages, no second
# factor or lockout, no language-switch form (tracker/urls.py). Nothing it runs reads or
# writes the session or user tables, and no public response sets a cookie. The default
# process serves the admin and the public side, as `make run` does on one machine.
PUBLIC_ONLY = env_bool("TRACKER_PUBLIC_ONLY")
# The apps, middleware and template context that exist only for signed-in editors.
EDITORS_ONLY = {
    "django.contrib.admin",
    "django.contrib.sessions",
    "django.contrib.messages",
    "import_export",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Forms of signed-in users; a public-only process takes no form and has no user, and
    # without it no page (such as Swagger UI's) sets a CSRF cookie.
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "tracker.otp.RequireOTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "django.contrib.auth.context_processors.auth",
    "django.contrib.messages.context_processors.messages",
}
if PUBLIC_ONLY:
    INSTALLED_APPS = [name for name in INSTALLED_APPS if name not in EDITORS_ONLY]
    MIDDLEWARE = [name for name in MIDDLEWARE if name not in EDITORS_ONLY]
    TEMPLATES[0]["OPTIONS"]["context_processors"] = [
        name for name in TEMPLATES[0]["OPTIONS"]["context_processors"] if name not in EDITORS_ONLY
    ]
    # No CSRF middleware (security.W003): no one signs in to this process, so a forged
    # request carries no credential, and it takes no form.
    SILENCED_SYSTEM_CHECKS = ["security.W003"]

# SQLite in a git-ignored file unless DATABASE_URL names another database.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'var' / 'tracker.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
# A reused connection that the server dropped is replaced before the request, not failed.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Name search narrows fuzzy candidates with pg_trgm's word similarity ("<%"); keys are
    # short, so the default threshold (0.6) would miss one-letter differences.
    # The edition's tables live in their own schema (edition.schema), found by the path.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        "-c pg_trgm.word_similarity_threshold=0.3 -c search_path=public,edition"
    )
    # An unreachable server is a 503 within seconds (tracker.lib.errors), not a worker
    # stuck until gunicorn kills it. DATABASE_URL may say otherwise (?connect_timeout=N).
    DATABASES["default"]["OPTIONS"].setdefault("connect_timeout", 5)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    (BASE_DIR / "var").mkdir(exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA foreign_keys=ON; PRAGMA journal_mode=WAL;",
        "transaction_mode": "IMMEDIATE",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
# Names in the reader's language; the admin's switch shows each in its own (name_local).
LANGUAGES = [("en", _("English")), ("be", _("Belarusian")), ("ru", _("Russian"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

FIXTURE_DIRS = [BASE_DIR / "fixtures"]


def env_rate(name: str, default: str) -> str | None:
    """A rate limit, <number>/<second|minute|hour|day>; "off" (or empty) for none."""
    value = os.environ.get(name, default).strip().lower()
    if value in {"", "off", "none"}:
        return None
    number, _, period = value.partition("/")
    periods = {"s", "sec", "second", "m", "min", "minute", "h", "hour", "d", "day"}
    valid_number = number.isascii() and number.isdigit() and 0 < int(number) < 10**9
    if not valid_number or period not in periods:
        raise ImproperlyConfigured(
            f"{name} must be <number>/<second|minute|hour|day> or off, not {value!r}."
        )
    return value


# Rate limits per client address (tracker.lib.throttling; the address as NUM_PROXIES
# says), each suited to the cost of what it limits: the API, one CSV file, the whole
# data package. Tests turn them off and set their own.
API_ANON_RATE = env_rate("DJANGO_API_ANON_RATE", "120/minute")
EXPORT_RATE = env_rate("DJANGO_EXPORT_RATE", "20/minute")
DATAPACKAGE_RATE = env_rate("DJANGO_DATAPACKAGE_RATE", "5/hour")
# The website's pages (PUBLIC_PAGE_PREFIXES), answered over the limit with the site's 429
# page in the reader's language.
SITE_RATE = env_rate("DJANGO_SITE_RATE", "120/minute")
RATE_LIMITED_PAGE_VIEW = "website.views.too_many_requests"

# The shared cache (Django's default): the rate limits' counts and the statistics computed
# once per change of public data; nothing else is written by a public process. REDIS_URL
# (redis://host:6379/0): Django's Redis cache, shared by every worker of every server.
# Unset: each process's own memory, enough for one process (runserver) but not for several
# gunicorn workers or servers, which would each count a client apart. Neither needs a
# table: `migrate` is all a database needs.
if "DJANGO_CACHE" in os.environ:
    raise ImproperlyConfigured(
        "DJANGO_CACHE is gone: set REDIS_URL for a cache that every worker shares, or "
        "leave it unset for each process's own memory."
    )
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # An unreachable Redis is a 503 within seconds (tracker.lib.errors), not a
            # worker stuck until gunicorn kills it.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "tracker",
            # One entry per client and limit: room for many clients before culling, which
            # would forget counts.
            "OPTIONS": {"MAX_ENTRIES": 100_000, "CULL_FREQUENCY": 4},
        }
    }

# Every SQL statement of a public request (API, exports) may take this long on PostgreSQL
# before it is cancelled and the request answers 503 (0: no limit). The admin has none.
# gunicorn.conf.py keeps a worker's timeout above it.
PUBLIC_STATEMENT_TIMEOUT_MS = env_count("DJANGO_PUBLIC_STATEMENT_TIMEOUT_MS", 5000)
# The files of everyone sort or hash whole tables before their first row: their statements
# get this longer limit (when the public one is on). They stream, are rate-limited to a few
# per client, and keep the worker alive only while rows flow (tracker.lib.keepalive).
# The public website's pages (website/): the same statement limit as the API.
PUBLIC_PAGE_PREFIXES = ["/be/", "/ru/", "/en/", "/sitemap"]
EXPORT_STATEMENT_TIMEOUT_MS = env_count("DJANGO_EXPORT_STATEMENT_TIMEOUT_MS", 30000)

# The public API: read-only, anonymous, published records only.
REST_FRAMEWORK = {
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["tracker.lib.api_plumbing.StrictFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "tracker.lib.api_plumbing.StrictLimitOffsetPagination",
    # Rate limits are tracker.lib.throttling's middleware, for the exports too.
    "DEFAULT_THROTTLE_CLASSES": [],
    "DEFAULT_SCHEMA_CLASS": "tracker.lib.api_schema.TrackerAutoSchema",
    "EXCEPTION_HANDLER": "tracker.lib.errors.api_exception_handler",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Political-prisoner tracker API",
    "VERSION": "1",
    "DESCRIPTION": (BASE_DIR / "tracker" / "api_description.md").read_text(encoding="utf-8"),
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "StatusEnum": "prisoners.choices.Status",
        "GenderEnum": "prisoners.choices.Gender",
        "ReleaseKindEnum": "prisoners.choices.ReleaseKind",
        "PenaltyKindEnum": "prisoners.choices.PenaltyKind",
        "FacilityKindEnum": "prisoners.choices.FacilityKind",
        "EventKindEnum": "prisoners.choices.EventKind",
        "SourceKindEnum": "sources.choices.SourceKind",
        "FigureQualifierEnum": "prisoners.choices.FigureQualifier",
        "AppealOutcomeEnum": "prisoners.choices.AppealOutcome",
        "NameKindEnum": "prisoners.choices.NameKind",
        "ScriptEnum": "prisoners.choices.Script",
        "PrecisionEnum": "tracker.lib.partial_dates.Precision",
    },
}

# Spreadsheet import in the admin: all or nothing, open to everyone who may change records.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"

# The licence the data package declares (Frictionless "licenses" entry).
DATA_LICENSE = {
    "name": os.environ.get("DJANGO_DATA_LICENSE_NAME", "CC-BY-4.0"),
    "path": os.environ.get(
        "DJANGO_DATA_LICENSE_URL", "https://creativecommons.org/licenses/by/4.0/"
    ),
    "title": os.environ.get("DJANGO_DATA_LICENSE_TITLE", "Creative Commons Attribution 4.0"),
}

# Anyone may read the API and the exports from a notebook or another web page.
CORS_ALLOW_ALL_ORIGINS = True
CORS_URLS_REGEX = r"^/(api|exports)/.*$"
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False

# Security headers. DJANGO_HTTPS (on unless debug) means the site is served over HTTPS,
# usually behind a TLS-terminating proxy: redirect plain HTTP, secure cookies, HSTS.
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# How many reverse proxies stand in front of the app (DJANGO_NUM_PROXIES). 0: clients
# reach it directly, the socket's address is the client's and no X-Forwarded-* header is
# believed, since anyone can send one. N: the client is the Nth address from the right
# of X-Forwarded-For, and X-Forwarded-Proto (which the proxy must set, overwriting the
# client's) says whether the request came over HTTPS.
NUM_PROXIES = env_count("DJANGO_NUM_PROXIES", 0)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if NUM_PROXIES else None
HTTPS = env_bool("DJANGO_HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "3600" if HTTPS else "0"))
# Whether every subdomain is HTTPS too, and whether to ask browsers to preload HSTS, are
# decisions for each deployment.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD")
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy on every response (django-csp). Scripts and style sheets come
# from our own static files, plus inline blocks that carry the response's nonce (the
# admin's language switcher, Swagger UI's start-up script, the docs pages' <style>).
# Style *attributes* (style="…", which the admin, select2 and Redoc's components set)
# may be inline: they cannot run code. Redoc's bundle adds <style> elements as it loads,
# before it can be given the nonce: two hashes let exactly those in, an empty one (which
# its styled-components fill through the CSSOM) and perfect-scrollbar's CSS (this hash
# changes with the Redoc version: tests/test_browser_csp.py fails if it goes stale).
# Redoc builds its search worker from a blob: URL.
REDOC_STYLE_HASHES = [
    "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='",  # ""
    "'sha256-QMIg+bpjm3JdElJ388KYke01izlUW0UoNOeKjpMxdgc='",  # ".ps{overflow:hidden!important;…"
]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE, *REDOC_STYLE_HASHES],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "worker-src": [SELF, "blob:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Failed logins (django-axes): after DJANGO_LOGIN_FAILURE_LIMIT failures for one account,
# or from one client address, further attempts are refused, the right password included,
# for DJANGO_LOGIN_COOLOFF_MINUTES (0: until reset with `manage.py axes_reset`). The
# address is found as the API's rate limit finds it (DJANGO_NUM_PROXIES).
AXES_FAILURE_LIMIT = env_count("DJANGO_LOGIN_FAILURE_LIMIT", 5)
if AXES_FAILURE_LIMIT < 1:
    raise ImproperlyConfigured("DJANGO_LOGIN_FAILURE_LIMIT must be 1 or more.")
AXES_COOLOFF_TIME = timedelta(minutes=env_count("DJANGO_LOGIN_COOLOFF_MINUTES", 30)) or None
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "tracker.lib.client_address.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "tracker.lockout.locked_out"  # the admin's look, status 429
# Failures are kept (they are the lockout's memory); successful logins are not logged, so
# the database holds no record of where and when each editor works.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False  # no start-up banner; failures are still logged, without user agents

# Second factor (django-otp, TOTP) for the admin. DJANGO_OTP_REQUIRED_FOR: "reviewers"
# (default: superusers and whoever may publish records or change accounts and groups),
# "staff" (every admin user) or "off". Whoever has enrolled an authenticator app is asked
# for its code whatever this says. A user without one enrols at /admin/two-factor/setup/.
OTP_REQUIRED_FOR = env_choice("DJANGO_OTP_REQUIRED_FOR", "reviewers", ("reviewers", "staff", "off"))
OTP_TOTP_ISSUER = os.environ.get("DJANGO_OTP_ISSUER", "Political-prisoner tracker")
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    # Django logs every 4xx answer as a warning; gunicorn's access log already has each
    # request, so by default only server errors are logged here: a flood of 400s, 404s
    # and 429s does not flood the log twice.
    "loggers": {
        "django.request": {"level": os.environ.get("DJANGO_REQUEST_LOG_LEVEL", "ERROR")},
    },
}

# Admin URL fields complete a typed "example.org" to https://, as Django 6 will.
FORMS_URLFIELD_ASSUME_HTTPS = True
