"""Followthrough settings: one module, everything read from the environment.

Every variable has an embedded default so that `make run` needs no configuration: SQLite and
kombu's filesystem broker under `var/`, and email written as files under `var/mail/`.
"""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from config.env import mailer_from_url, read_environment

env = read_environment()
BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env.str("VAR_DIR", str(BASE_DIR / "var"))).resolve()
# Local state (SQLite, the filesystem broker, mail files) lives here; it must exist before use.
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env.bool("DEBUG", False)
# --- Secret key (production safety) ---
# Anyone who knows the key can sign one-click email links, so a key that ships in this repository
# is as bad as none: outside DEBUG the server refuses to start on either.
DEV_SECRET_KEY = "dev-only-insecure-key-set-SECRET_KEY-in-production"
KNOWN_DEFAULT_SECRET_KEYS = frozenset(
    {DEV_SECRET_KEY, "change-me-to-a-long-random-string-before-going-live", "collectstatic-only"}
)
SECRET_KEY = env.str("SECRET_KEY", "")
if not DEBUG and (not SECRET_KEY or SECRET_KEY in KNOWN_DEFAULT_SECRET_KEYS):
    raise ImproperlyConfigured(
        "SECRET_KEY is "
        + ("a published default" if SECRET_KEY else "not set")
        + ": set it to a long random string (python -c 'import secrets; "
        "print(secrets.token_urlsafe(50))'), or set DEBUG=true on a development machine."
    )
SECRET_KEY = SECRET_KEY or DEV_SECRET_KEY
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", str.strip, default=["127.0.0.1", "localhost", "[::1]", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", str.strip, default=[])
SITE_URL = env.str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_htmx",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "apps.core",
    "apps.accounts",
    "apps.contacts",
    "apps.interactions",
    "apps.opportunities",
    "apps.reminders",
    "apps.insights",
    "apps.portability",
    "apps.onboarding",
    # Above insights: next steps and paths to a referral rank people by relationship strength.
    "apps.followthrough",
    "apps.api",
    "apps.capture",
    "apps.webhooks",
    # django-ninja: in INSTALLED_APPS so its docs page uses the packaged Swagger UI, not a CDN.
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before sessions: a cookie, path or query string no database stores gets a 400 here
    # (under the API as a problem document, like its 405s).
    "apps.api.middleware.ProblemsMiddleware",
    "apps.core.middleware.UnstorableInputMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "apps.accounts.middleware.UserTimezoneMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "apps.core.context_processors.navigation",
            ],
        },
    }
]

DATABASES = {
    "default": {
        **env.db_url("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        "CONN_MAX_AGE": env.int("DB_CONN_MAX_AGE", 60),
        "CONN_HEALTH_CHECKS": True,
    }
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat share one file: WAL and IMMEDIATE transactions avoid "database is
    # locked" under that light concurrency.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file, not memory, so that real worker processes started by tests see the test data.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
    # Covering indexes (INCLUDE columns) are PostgreSQL's; SQLite keeps their key columns only,
    # which is all it needs at the embedded default's size.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
IS_POSTGRES = DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "reminders:today"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"

ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
# Mandatory by default, in production and on `make run` alike: an address is used for reminders
# only once its owner clicked the link (on `make run` the link is one click away, in the
# development mailbox). In every mode sign-up answers a new and a known address the same way and
# never signs in (accounts.signup); "none" is weaker: whoever signs up with a new address can log
# in with the password they chose, so a known one shows by that password being refused.
ACCOUNT_EMAIL_VERIFICATION = env.str("ACCOUNT_EMAIL_VERIFICATION", "mandatory")
if ACCOUNT_EMAIL_VERIFICATION not in {"none", "optional", "mandatory"}:
    raise ImproperlyConfigured("ACCOUNT_EMAIL_VERIFICATION must be none, optional or mandatory.")
ACCOUNT_PREVENT_ENUMERATION = True
# The confirmation link signs in the browser that signed up.
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Followthrough] "
# First ten minutes: sign-up keeps the browser's time zone.
ACCOUNT_SIGNUP_FORM_CLASS = "apps.accounts.forms.SignupTimezoneForm"
ACCOUNT_FORMS = {
    "login": "apps.accounts.login_form.LoginForm",
    "signup": "apps.accounts.signup.SignupForm",
}
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
# Two-factor authentication, optional per user: an authenticator app, and one-time recovery
# codes for a lost phone. Security keys (WebAuthn) stay off: their pages need allauth's scripts.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Followthrough"
MFA_FORMS = {
    "authenticate": "apps.accounts.mfa_forms.AuthenticateForm",
    "reauthenticate": "apps.accounts.mfa_forms.ReauthenticateForm",
    "activate_totp": "apps.accounts.mfa_forms.ActivateTOTPForm",
}

# --- Cache (production safety) ---
# Shared by every process when CACHE_URL (or REDIS_URL) is set, so that allauth's login, signup
# and password-reset rate limits hold across web processes; per process (locmem) otherwise.
CACHE_URL = env.str("CACHE_URL", "") or env.str("REDIS_URL", "")
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "followthrough",
            # Bounded like the broker: a frozen cache must not hang a login.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# How long a finished Insights report is kept while nothing it reads changes (0: never kept).
# Any write to the rows it reads replaces it sooner (apps/insights/snapshots.py).
INSIGHTS_SNAPSHOT_SECONDS = env.int("INSIGHTS_SNAPSHOT_SECONDS", 300)

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Production images run collectstatic and opt into hashed, compressed names.
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env.bool("STATIC_MANIFEST", False)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = VAR_DIR / "media"
WHITENOISE_USE_FINDERS = not env.bool("STATIC_MANIFEST", False)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Email: Django 6.1 mailers, built from one URL.
EMAIL_URL = env.str("EMAIL_URL", f"file://{VAR_DIR / 'mail'}")
MAILERS = {"default": mailer_from_url(EMAIL_URL)}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", "Followthrough <reminders@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security. Scripts only from our origin (plus the nonce for the tiny inline config); styles allow
# inline attributes because server-rendered SVG charts and progress bars size themselves with them.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", not DEBUG and SITE_URL.startswith("https"))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Celery: JSON only, late acks so a killed worker's task is redelivered, results not kept.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", "filesystem://")
REDIS_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3600,
    # Bounded sockets: a frozen Redis must not hang the request that queues a task.
    "socket_connect_timeout": 2,
    "socket_timeout": 3,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "broker"
    # kombu lists these folders on every poll and crashes if they are missing.
    for _folder in ("queue", "processed", "control"):
        (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = REDIS_TRANSPORT_OPTIONS
# A failed publish is retried once (a pooled connection may be stale), then given up on: the
# database row stays queued and a beat sweep sends it again (core.queue).
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
REMINDER_SWEEP_SECONDS = env.float("REMINDER_SWEEP_SECONDS", 60.0)
# Reminder delivery tuning (apps/reminders/conf.py says what each one bounds).
REMINDER_LEASE_SECONDS = env.float("REMINDER_LEASE_SECONDS", 120.0)
REMINDER_RETRY_BASE_SECONDS = env.float("REMINDER_RETRY_BASE_SECONDS", 30.0)
REMINDER_RETRY_MAX_SECONDS = env.float("REMINDER_RETRY_MAX_SECONDS", 600.0)
REMINDER_MAX_ATTEMPTS = env.int("REMINDER_MAX_ATTEMPTS", 8)
REMINDER_CATCH_UP_HOURS = env.float("REMINDER_CATCH_UP_HOURS", 48.0)
REMINDER_DIGEST_WINDOW_HOURS = env.int("REMINDER_DIGEST_WINDOW_HOURS", 6)
# Queues: reminder sends have a queue of their own, so a 30,000-row import or an export keeping
# a worker busy never delays a due reminder. The sweep that finds due reminders has its own too,
# which the reminders workers also read (kombu takes from their queues in turn): behind a backlog
# of sends a sweep waits for a few batches, not for the whole backlog. Everything else runs on
# "bulk". Run a worker per kind of work (`-Q sweep,reminders`, `-Q bulk`), scaled apart.
SWEEP_QUEUE = "sweep"
REMINDER_QUEUE = "reminders"
BULK_QUEUE = "bulk"
CELERY_TASK_DEFAULT_QUEUE = BULK_QUEUE
CELERY_TASK_ROUTES = {
    "apps.reminders.tasks.sweep_due_reminders": {"queue": SWEEP_QUEUE},
    "apps.reminders.tasks.*": {"queue": REMINDER_QUEUE},
}
# Import jobs whose task was never picked up (or whose worker died) are queued again.
IMPORT_SWEEP_SECONDS = env.float("IMPORT_SWEEP_SECONDS", 60.0)
IMPORT_REQUEUE_AFTER_SECONDS = env.float("IMPORT_REQUEUE_AFTER_SECONDS", 60.0)
IMPORT_LEASE_SECONDS = env.float("IMPORT_LEASE_SECONDS", 300.0)
PLANNER_STATISTICS_SECONDS = env.float("PLANNER_STATISTICS_SECONDS", 3600.0)
# Webhook deliveries whose task was lost or whose retry time came are queued again
# (apps/webhooks). Endpoints on loopback or private networks are refused unless this is on; it
# follows DEBUG, so `make run` and the tests can deliver to 127.0.0.1 and production cannot.
WEBHOOK_SWEEP_SECONDS = env.float("WEBHOOK_SWEEP_SECONDS", 60.0)
WEBHOOKS_ALLOW_PRIVATE = env.bool("WEBHOOKS_ALLOW_PRIVATE", DEBUG)
# Webhook delivery tuning (apps/webhooks/conf.py says what each bounds).
WEBHOOK_TIMEOUT_SECONDS = env.float("WEBHOOK_TIMEOUT_SECONDS", 5.0)
WEBHOOK_LEASE_SECONDS = env.float("WEBHOOK_LEASE_SECONDS", 60.0)
WEBHOOK_RETRY_BASE_SECONDS = env.float("WEBHOOK_RETRY_BASE_SECONDS", 30.0)
WEBHOOK_RETRY_MAX_SECONDS = env.float("WEBHOOK_RETRY_MAX_SECONDS", 3600.0)
WEBHOOK_COUNTDOWN_MAX_SECONDS = env.float("WEBHOOK_COUNTDOWN_MAX_SECONDS", 600.0)
WEBHOOK_MAX_ATTEMPTS = env.int("WEBHOOK_MAX_ATTEMPTS", 8)
CELERY_BEAT_SCHEDULE = {
    "sweep-due-reminders": {
        "task": "apps.reminders.tasks.sweep_due_reminders",
        "schedule": REMINDER_SWEEP_SECONDS,
    },
    "requeue-stuck-imports": {
        "task": "apps.portability.tasks.requeue_stuck_imports",
        "schedule": IMPORT_SWEEP_SECONDS,
    },
    # SQLite only (a no-op on PostgreSQL, whose autovacuum does it): see apps/core/planner.py.
    "refresh-planner-statistics": {
        "task": "apps.core.tasks.refresh_planner_statistics",
        "schedule": PLANNER_STATISTICS_SECONDS,
    },
    "sweep-webhooks": {
        "task": "apps.webhooks.tasks.sweep_webhooks",
        "schedule": WEBHOOK_SWEEP_SECONDS,
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "filters": {"one_line_warning": {"()": "apps.core.logging.OneLineWarning"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Scanners send bad Host headers all day: one warning line each, no traceback.
        "django.security.DisallowedHost": {"level": "WARNING", "filters": ["one_line_warning"]},
    },
}

# --- JSON API (apps/api) ----------------------------------------------------------------------
# Requests per personal access token, counted in Django's cache ("120/min", "5000/day").
API_RATE_LIMIT = env.str("API_RATE_LIMIT", "120/min")
