"""Settings come from the environment so one build runs on a laptop, in CI and in production.

JIGSAW_ENV=development (the default) generates and keeps a secret key and prints email to
the console; JIGSAW_ENV=production requires SECRET_KEY and turns on every HTTPS setting.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent.parent
DATA_DIR = Path(os.environ.get("JIGSAW_DATA_DIR", PROJECT_DIR / "var"))
DATA_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


ENVIRONMENT = os.environ.get("JIGSAW_ENV", "development")
if ENVIRONMENT not in {"development", "production"}:
    raise ImproperlyConfigured("JIGSAW_ENV must be 'development' or 'production'.")
PRODUCTION = ENVIRONMENT == "production"
DEBUG = env_bool("DEBUG", False)


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when JIGSAW_ENV=production.")
    # Development keeps one generated key so sessions survive a restart.
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(64))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# How many proxies in front of Jigsaw add to X-Forwarded-For: the throttles count the client
# address the nearest of them saw. 0 (the default) counts REMOTE_ADDR.
NUM_PROXIES = int(os.environ.get("JIGSAW_NUM_PROXIES", "0"))
# Where people reach Jigsaw: links in emails sent outside a request (reminders, follow-ups,
# bookings) start with it.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "rest_framework",
    "drf_spectacular",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "auditlog",
    "django_tasks",
    "django_tasks_db",
    "django_htmx",
    "csp",
    "jigsaw.core",
    # Capabilities: each may depend on those above it (the learning log on governance, the
    # report on all), never on one below.
    "jigsaw.governance",
    "jigsaw.actions",
    "jigsaw.learning",
    "jigsaw.assurance",
    "jigsaw.performance",
    "jigsaw.training",
    "jigsaw.policies",
    "jigsaw.impact",
    # Reads every capability's personal data (retention, subject access); nothing imports it.
    "jigsaw.privacy",
    "jigsaw.reports",
]

MIDDLEWARE = [
    # First: a body larger than any upload is refused before anything reads it.
    "jigsaw.core.middleware.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "jigsaw.core.middleware.NoStoreMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # django-otp's, which also counts multi-factor authentication asserted by an identity provider.
    "jigsaw.core.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "jigsaw.core.middleware.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "jigsaw.core.middleware.SignInPolicyMiddleware",
    "jigsaw.core.middleware.TwoFactorPolicyMiddleware",
    # Axes must be last: it turns a lockout raised by authenticate() into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "jigsaw.urls"
WSGI_APPLICATION = "jigsaw.wsgi.application"

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
                "jigsaw.core.context_processors.jigsaw",
                "jigsaw.policies.context_processors.public_site",
            ],
            "builtins": ["jigsaw.core.templatetags.govuk", "jigsaw.core.templatetags.records"],
        },
    }
]
# Every form field is drawn by GOV.UK templates: no template writes a field by hand.
FORM_RENDERER = "jigsaw.core.forms_renderer.GovukFormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'jigsaw.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the one writer; IMMEDIATE avoids 'database is locked'
    # upgrades from read to write locks under concurrent requests.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"


# OpenID Connect identity providers a partnership may sign its staff in with (jigsaw.core.oidc).
# JIGSAW_OIDC_PROVIDERS names them ("county,nhs-trust"); each has its own variables,
# JIGSAW_OIDC_<NAME>_ISSUER, _CLIENT_ID, _CLIENT_SECRET, _NAME (the button's "Sign in with ..."),
# and optionally _MFA_AMR, _MFA_ACR and _EMAIL_DOMAINS. Secrets stay in the environment: a
# partnership's record names the providers it uses, nothing more.
OIDC_MFA_AMR_DEFAULT = ["mfa", "mca", "otp", "hwk", "sc"]


def _oidc_providers() -> dict[str, dict]:
    import re

    providers = {}
    for key in env_list("JIGSAW_OIDC_PROVIDERS", []):
        key = key.lower()
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,39}", key):
            raise ImproperlyConfigured(
                f"JIGSAW_OIDC_PROVIDERS: '{key}' is not a provider name (letters, digits and hyphens)."
            )
        prefix = f"JIGSAW_OIDC_{key.upper().replace('-', '_')}_"
        missing = [
            prefix + name for name in ("ISSUER", "CLIENT_ID", "CLIENT_SECRET") if not os.environ.get(prefix + name)
        ]
        if missing:
            raise ImproperlyConfigured(f"The identity provider '{key}' needs {', '.join(missing)}.")
        providers[key] = {
            "name": os.environ.get(prefix + "NAME") or key,
            "issuer": os.environ[prefix + "ISSUER"],
            "client_id": os.environ[prefix + "CLIENT_ID"],
            "client_secret": os.environ[prefix + "CLIENT_SECRET"],
            "mfa_amr": env_list(prefix + "MFA_AMR", OIDC_MFA_AMR_DEFAULT),
            "mfa_acr": env_list(prefix + "MFA_ACR", []),
            "email_domains": [domain.lower() for domain in env_list(prefix + "EMAIL_DOMAINS", [])],
        }
    return providers


OIDC_PROVIDERS = _oidc_providers()

# Computed figures (jigsaw.core.freshness) are kept in the database: shared by every server
# process, kept across restarts, no other service to run. The table is made by a core migration.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "jigsaw_cache",
        "OPTIONS": {"MAX_ENTRIES": 200_000, "CULL_FREQUENCY": 4},
    }
}
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:login"

# Lock an email address out after 5 failures in an hour, whichever address they come from.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# Lockout is per email address, not per IP: a council's or trust's staff share one NAT
# address, and one person's typos must not lock out a whole office.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

OTP_TOTP_ISSUER = "Jigsaw"

# Signed out 8 hours after signing in whatever happens (SessionTimeoutMiddleware), and after
# JIGSAW_SESSION_IDLE_MINUTES without a request, with a warning SESSION_TIMEOUT_WARNING seconds before.
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_IDLE_TIMEOUT = int(os.environ.get("JIGSAW_SESSION_IDLE_MINUTES", "30")) * 60
SESSION_TIMEOUT_WARNING = 120
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # A load balancer checks each web server over plain HTTP, without the proxy's headers: the
    # health check answers it rather than redirecting to HTTPS (it shows nothing but "ok").
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# No inline script or style anywhere: the only sources are our own static files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "jigsaw@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Production refuses to start with a backend that prints or drops mail (jigsaw.core.checks)
# unless this says so on purpose.
ALLOW_UNSENT_EMAIL = env_bool("JIGSAW_ALLOW_UNSENT_EMAIL", False)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [
    ("govuk", PROJECT_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"),
    ("htmx", PROJECT_DIR / "node_modules" / "htmx.org" / "dist"),
    # Charts: the UMD builds (globals vega, vegaLite, vegaEmbed), drawn with vega's expression
    # interpreter so the strict Content Security Policy needs no 'unsafe-eval'.
    ("vega", PROJECT_DIR / "node_modules" / "vega" / "build"),
    ("vega-lite", PROJECT_DIR / "node_modules" / "vega-lite" / "build"),
    ("vega-embed", PROJECT_DIR / "node_modules" / "vega-embed" / "build"),
    ("jigsaw", PACKAGE_DIR / "static_build"),
]
# What the pages load from each package (with its source map): the rest (sources, maps, per-component modules) is not
# collected (jigsaw.core.staticfiles).
STATICFILES_PACKAGE_FILES = {
    "govuk": ["govuk-frontend.min.js*", "assets/*"],
    "htmx": ["htmx.min.js*"],
    "vega": ["vega.min.js*"],
    "vega-lite": ["vega-lite.min.js*"],
    "vega-embed": ["vega-embed.min.js*"],
}
STATICFILES_FINDERS = [
    "jigsaw.core.staticfiles.PackageFilesFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))
MEDIA_URL = "/media/"  # never served: every stored file goes out through jigsaw.core.files.FileDownload


def file_storage(env) -> dict:
    """Where uploaded files and report builds live (jigsaw.core.files), from JIGSAW_FILE_STORAGE:
    `local` (the default: MEDIA_ROOT on this server's disk), `s3` (Amazon S3 or any S3-compatible
    store) or `azure` (Azure Blob Storage, with django-storages' azure extra installed). Several
    web servers need a shared store: s3 or azure. Credentials come from the environment only:
    boto3 reads AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY itself (or uses the instance's role);
    Azure's AZURE_ACCOUNT_KEY or AZURE_CONNECTION_STRING are passed to django-storages."""
    kind = (env.get("JIGSAW_FILE_STORAGE") or "local").strip().lower()
    timeout = float(env.get("JIGSAW_FILE_STORAGE_TIMEOUT") or 10)
    if kind == "local":
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if kind == "s3":
        from botocore.config import Config

        bucket = env.get("AWS_STORAGE_BUCKET_NAME")
        if not bucket:
            raise ImproperlyConfigured("JIGSAW_FILE_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME.")
        return {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": env.get("AWS_S3_ENDPOINT_URL") or None,
                "region_name": env.get("AWS_S3_REGION_NAME") or None,
                "location": env.get("AWS_LOCATION", ""),
                "addressing_style": env.get("AWS_S3_ADDRESSING_STYLE") or None,
                # Private objects, never overwritten: files leave only through the download view.
                "default_acl": None,
                "file_overwrite": False,
                "querystring_auth": True,
                "object_parameters": {"ServerSideEncryption": env["AWS_S3_SSE"]} if env.get("AWS_S3_SSE") else {},
                # An unreachable store answers an upload or a download within seconds, with a
                # message, rather than holding a web worker for boto3's default minute and retries.
                "client_config": Config(
                    connect_timeout=timeout,
                    read_timeout=max(timeout, 30),
                    retries={"max_attempts": 2, "mode": "standard"},
                ),
            },
        }
    if kind == "azure":
        container = env.get("AZURE_CONTAINER")
        if not container:
            raise ImproperlyConfigured("JIGSAW_FILE_STORAGE=azure needs AZURE_CONTAINER.")
        return {
            "BACKEND": "storages.backends.azure_storage.AzureStorage",
            "OPTIONS": {
                "azure_container": container,
                "account_name": env.get("AZURE_ACCOUNT_NAME") or None,
                "account_key": env.get("AZURE_ACCOUNT_KEY") or None,
                "connection_string": env.get("AZURE_CONNECTION_STRING") or None,
                "location": env.get("AZURE_LOCATION", ""),
                "overwrite_files": False,
                "timeout": int(timeout),
            },
        }
    raise ImproperlyConfigured("JIGSAW_FILE_STORAGE must be 'local', 's3' or 'azure'.")


STORAGES = {
    "default": file_storage(os.environ),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "jigsaw.core.api_auth.PersonalTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 100,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Jigsaw API",
    "DESCRIPTION": "Read and write a partnership's records with a personal API token. "
    "Every endpoint applies the same scoping rules as the web pages.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Several records have a "status"; the report's gets a name of its own in the schema. An
    # action review's "rag" and a section 11 answer's "rating" are the same red, amber, green.
    "ENUM_NAME_OVERRIDES": {
        "ReportStatusEnum": "jigsaw.reports.models.ReportStatus",
        "RagEnum": "jigsaw.actions.models.Rag",
    },
}

AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_DISABLE_REMOTE_ADDR = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Booking, survey, newsletter and password-reset codes are cut out of logged paths.
    "filters": {"redact_paths": {"()": "jigsaw.core.access_log.RedactPaths"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact_paths"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # Refused and accepted identity-provider sign-ins: why, which provider, which email; never a token or code.
    "loggers": {"jigsaw.sign_in": {"level": "INFO"}},
}

JIGSAW_PHASE = os.environ.get("JIGSAW_PHASE", "Beta")
