"""Settings read from the environment: each documented variable, its default, and bad values.

Each case imports config.settings in a fresh interpreter with exactly the given environment, so
what is checked is what `make run`, the Docker image and CI really get.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
READ = """
import json, sys
try:
    from config import settings as s
except Exception as error:
    print(json.dumps({"error": f"{type(error).__name__}: {error}"}))
    sys.exit(0)
print(json.dumps({name: getattr(s, name) for name in dir(s) if name.isupper()}, default=str))
"""


def settings_under(tmp_path, **variables: str) -> dict:
    env = {"PATH": os.environ["PATH"], "VAR_DIR": str(tmp_path), **variables}
    result = subprocess.run(
        [sys.executable, "-c", READ], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout)


KEY = "k" * 60

REMINDER_TUNING = (
    "LEASE_SECONDS",
    "RETRY_BASE_SECONDS",
    "RETRY_MAX_SECONDS",
    "MAX_ATTEMPTS",
    "CATCH_UP_HOURS",
    "DIGEST_WINDOW_HOURS",
)


def test_no_environment_refuses_to_start_without_a_key(tmp_path):
    # Outside DEBUG the built-in key would let anyone sign one-click email links.
    s = settings_under(tmp_path)
    assert s["error"].startswith("ImproperlyConfigured: SECRET_KEY is not set: set it to a long")


@pytest.mark.parametrize(
    "published",
    [
        "dev-only-insecure-key-set-SECRET_KEY-in-production",
        "change-me-to-a-long-random-string-before-going-live",
    ],
)
def test_a_published_default_key_is_refused_outside_debug(tmp_path, published):
    s = settings_under(tmp_path, SECRET_KEY=published, DEBUG="false")
    assert s["error"].startswith("ImproperlyConfigured: SECRET_KEY is a published default")


def test_debug_alone_runs_on_the_development_key(tmp_path):
    # `make run` (bin/dev) sets DEBUG=true and nothing else.
    s = settings_under(tmp_path, DEBUG="true")
    assert s["DEBUG"] is True
    assert s["SECRET_KEY"] == "dev-only-insecure-key-set-SECRET_KEY-in-production"


def test_a_key_and_nothing_else_runs_on_embedded_defaults(tmp_path):
    s = settings_under(tmp_path, SECRET_KEY=KEY)
    assert s["DEBUG"] is False
    assert s["SECRET_KEY"] == KEY
    assert s["ALLOWED_HOSTS"] == ["127.0.0.1", "localhost", "[::1]", "testserver"]
    assert s["CSRF_TRUSTED_ORIGINS"] == []
    assert s["SITE_URL"] == "http://127.0.0.1:8000"
    db = s["DATABASES"]["default"]
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert db["NAME"] == str(tmp_path / "db.sqlite3")
    assert db["CONN_MAX_AGE"] == 0  # SQLite: one connection per request
    assert db["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert s["IS_POSTGRES"] is False
    assert s["MAILERS"] == {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(tmp_path / "mail")},
        }
    }
    assert s["DEFAULT_FROM_EMAIL"] == "Followthrough <reminders@localhost>"
    assert s["CELERY_BROKER_URL"] == "filesystem://"
    assert s["CELERY_BROKER_TRANSPORT_OPTIONS"]["data_folder_in"] == str(
        tmp_path / "broker" / "queue"
    )
    assert s["CELERY_TASK_ALWAYS_EAGER"] is False
    assert s["ACCOUNT_EMAIL_VERIFICATION"] == "mandatory"
    assert s["REMINDER_SWEEP_SECONDS"] == 60.0
    assert s["CELERY_BEAT_SCHEDULE"]["sweep-due-reminders"]["schedule"] == 60.0
    assert [s[f"REMINDER_{name}"] for name in REMINDER_TUNING] == [120.0, 30.0, 600.0, 8, 48.0, 6]
    assert s["STORAGES"]["staticfiles"]["BACKEND"].endswith("StaticFilesStorage")
    assert "Manifest" not in s["STORAGES"]["staticfiles"]["BACKEND"]
    assert s["WHITENOISE_USE_FINDERS"] is True
    assert s["SESSION_COOKIE_SECURE"] is False
    assert s["SECURE_SSL_REDIRECT"] is False
    assert s["SECURE_HSTS_SECONDS"] == 0
    assert s["SECURE_HSTS_PRELOAD"] is False
    assert s["LOGGING"]["root"]["level"] == "INFO"


def test_a_production_environment_is_read_in_full(tmp_path):
    s = settings_under(
        tmp_path,
        DEBUG="false",
        SECRET_KEY="k" * 60,
        SITE_URL="https://followthrough.example/",
        ALLOWED_HOSTS="followthrough.example, www.followthrough.example",
        CSRF_TRUSTED_ORIGINS="https://followthrough.example",
        DATABASE_URL="postgres://app:s%40cret@db.internal:6543/followthrough",
        DB_CONN_MAX_AGE="120",
        EMAIL_URL="smtp+tls://mailer:secret@smtp.followthrough.example:587",
        DEFAULT_FROM_EMAIL="Followthrough <reminders@followthrough.example>",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/5",
        ACCOUNT_EMAIL_VERIFICATION="mandatory",
        REMINDER_SWEEP_SECONDS="30.5",
        REMINDER_LEASE_SECONDS="90",
        REMINDER_RETRY_BASE_SECONDS="0.5",
        REMINDER_RETRY_MAX_SECONDS="4",
        REMINDER_MAX_ATTEMPTS="12",
        REMINDER_CATCH_UP_HOURS="1.5",
        REMINDER_DIGEST_WINDOW_HOURS="3",
        SECURE_SSL_REDIRECT="true",
        SECURE_HSTS_SECONDS="31536000",
        STATIC_MANIFEST="true",
        LOG_LEVEL="WARNING",
    )
    assert s["DEBUG"] is False
    assert s["SECRET_KEY"] == "k" * 60
    assert s["SITE_URL"] == "https://followthrough.example"
    assert s["ALLOWED_HOSTS"] == ["followthrough.example", "www.followthrough.example"]
    assert s["CSRF_TRUSTED_ORIGINS"] == ["https://followthrough.example"]
    db = s["DATABASES"]["default"]
    assert {k: db[k] for k in ("ENGINE", "NAME", "USER", "PASSWORD", "HOST", "PORT")} == {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "followthrough",
        "USER": "app",
        "PASSWORD": "s@cret",
        "HOST": "db.internal",
        "PORT": 6543,
    }
    assert db["CONN_MAX_AGE"] == 120
    assert db["CONN_HEALTH_CHECKS"] is True
    assert s["IS_POSTGRES"] is True
    assert s["MAILERS"]["default"]["OPTIONS"] == {
        "host": "smtp.followthrough.example",
        "port": 587,
        "use_tls": True,
        "use_ssl": False,
        "timeout": 10.0,
        "username": "mailer",
        "password": "secret",
    }
    assert s["DEFAULT_FROM_EMAIL"] == "Followthrough <reminders@followthrough.example>"
    assert s["SERVER_EMAIL"] == s["DEFAULT_FROM_EMAIL"]
    assert s["CELERY_BROKER_URL"] == "redis://127.0.0.1:6379/5"
    assert s["CELERY_BROKER_TRANSPORT_OPTIONS"] == {
        "visibility_timeout": 3600,
        "socket_connect_timeout": 2,
        "socket_timeout": 3,
    }
    assert s["CELERY_TASK_PUBLISH_RETRY_POLICY"]["max_retries"] == 1
    assert s["ACCOUNT_EMAIL_VERIFICATION"] == "mandatory"
    assert s["ACCOUNT_DEFAULT_HTTP_PROTOCOL"] == "https"
    assert s["REMINDER_SWEEP_SECONDS"] == 30.5
    assert [s[f"REMINDER_{name}"] for name in REMINDER_TUNING] == [90.0, 0.5, 4.0, 12, 1.5, 3]
    assert s["SECURE_SSL_REDIRECT"] is True
    assert s["SECURE_HSTS_SECONDS"] == 31536000
    assert s["SECURE_HSTS_PRELOAD"] is True
    assert s["SESSION_COOKIE_SECURE"] is True  # an https site, not in DEBUG
    assert s["CSRF_COOKIE_SECURE"] is True
    assert s["STORAGES"]["staticfiles"]["BACKEND"] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )
    assert s["WHITENOISE_USE_FINDERS"] is False
    assert s["LOGGING"]["root"]["level"] == "WARNING"


@pytest.mark.parametrize("value", ["1", "true", "True", "yes", "on", " TRUE "])
def test_true_spellings_turn_a_flag_on(tmp_path, value):
    s = settings_under(tmp_path, DEBUG=value, CELERY_TASK_ALWAYS_EAGER=value, SECRET_KEY=KEY)
    assert s["DEBUG"] is True
    assert s["CELERY_TASK_ALWAYS_EAGER"] is True


@pytest.mark.parametrize("value", ["0", "false", "no", "off"])
def test_false_spellings_turn_a_flag_off(tmp_path, value):
    s = settings_under(
        tmp_path,
        SITE_URL="https://followthrough.example",
        SECURE_COOKIES=value,
        DEBUG=value,
        SECRET_KEY=KEY,
    )
    assert s["DEBUG"] is False
    assert s["SESSION_COOKIE_SECURE"] is False  # explicitly off beats the https default


def test_an_empty_variable_counts_as_unset(tmp_path):
    # Compose files pass `${NAME:-}` through as an empty string; it must mean "use the default".
    s = settings_under(
        tmp_path,
        SITE_URL="https://followthrough.example",
        SECURE_COOKIES="",
        ALLOWED_HOSTS="",
        DEBUG="",
        SECRET_KEY=KEY,
    )
    assert s["SESSION_COOKIE_SECURE"] is True
    assert s["ALLOWED_HOSTS"] == ["127.0.0.1", "localhost", "[::1]", "testserver"]
    assert s["DEBUG"] is False
    # An empty key is an unset key: refused outside DEBUG, the development key in DEBUG.
    assert settings_under(tmp_path, SECRET_KEY="", DEBUG="")["error"].startswith(
        "ImproperlyConfigured: SECRET_KEY is not set"
    )
    assert settings_under(tmp_path, SECRET_KEY="", DEBUG="true")["SECRET_KEY"] == (
        "dev-only-insecure-key-set-SECRET_KEY-in-production"
    )


def test_debug_makes_cookies_plain_even_on_an_https_site(tmp_path):
    s = settings_under(tmp_path, DEBUG="true", SITE_URL="https://followthrough.example")
    assert s["DEBUG"] is True
    assert s["SESSION_COOKIE_SECURE"] is False


def test_a_dollar_sign_is_kept_literally_never_read_as_a_reference(tmp_path):
    # Django's generated keys may start with "$"; it must never be taken for another variable.
    s = settings_under(
        tmp_path,
        SECRET_KEY="$PATH-" + "x" * 50,
        DATABASE_URL="postgres://app:$ecret@db:5432/followthrough",
        DEFAULT_FROM_EMAIL="$HOME <a@b.example>",
    )
    assert s["SECRET_KEY"] == "$PATH-" + "x" * 50
    assert s["DATABASES"]["default"]["PASSWORD"] == "$ecret"
    assert s["DEFAULT_FROM_EMAIL"] == "$HOME <a@b.example>"


def test_a_bad_email_url_stops_startup_with_a_clear_message(tmp_path):
    s = settings_under(tmp_path, EMAIL_URL="carrier-pigeon://coop", SECRET_KEY=KEY)
    assert s == {
        "error": "ImproperlyConfigured: EMAIL_URL has an unsupported scheme: 'carrier-pigeon'"
        " (use file://, smtp://, smtp+tls://, smtps://, console://, locmem:// or dummy://)"
    }


def test_a_number_that_is_not_a_number_stops_startup(tmp_path):
    s = settings_under(tmp_path, SECURE_HSTS_SECONDS="a year", SECRET_KEY=KEY)
    assert s["error"].startswith("ValueError")


def manage(tmp_path, *args: str, **variables: str) -> subprocess.CompletedProcess:
    env = {"PATH": os.environ["PATH"], "VAR_DIR": str(tmp_path), **variables}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_manage_check_without_a_key_fails_with_the_message(tmp_path):
    result = manage(tmp_path, "check")
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is not set" in result.stderr


def test_manage_check_with_a_real_key_passes(tmp_path):
    result = manage(tmp_path, "check", SECRET_KEY=KEY)
    assert result.returncode == 0, result.stderr


def test_the_deploy_check_flags_a_published_key_even_in_debug(tmp_path):
    published = "change-me-to-a-long-random-string-before-going-live"
    result = manage(tmp_path, "check", "--deploy", DEBUG="true", SECRET_KEY=published)
    assert result.returncode != 0
    assert "followthrough.E001" in result.stderr
    assert "followthrough.E001" not in manage(tmp_path, "check", "--deploy", SECRET_KEY=KEY).stderr
