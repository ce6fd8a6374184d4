import os
import shutil
from pathlib import Path

import pytest
from django.conf import global_settings, settings
from django.test import Client

from config.celery import app as celery_app
from tests import factories

# Playwright drives the browser from an event loop in this thread; Django's ORM guard would
# refuse the test's own database calls otherwise.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
HAS_CHROMIUM = Path(CHROMIUM).exists()


def pytest_configure(config):
    # Before any password is hashed (the hashers are cached on first use).
    settings.PASSWORD_HASHERS = [
        "tests.support.hashers.QuickPBKDF2PasswordHasher",
        *global_settings.PASSWORD_HASHERS,
    ]
    # The Insights fingerprint tells writes apart by their transaction, and every write of a
    # test in one transaction shares one: tests/insights/test_snapshots.py turns it on with
    # committed transactions instead.
    settings.INSIGHTS_SNAPSHOT_SECONDS = 0


def _is_postgres() -> bool:
    return settings.DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql")


def _is_redis() -> bool:
    return settings.CELERY_BROKER_URL.startswith(("redis://", "rediss://"))


def pytest_collection_modifyitems(config, items):
    reasons = {
        "postgres": None if _is_postgres() else "needs PostgreSQL: set DATABASE_URL=postgres://…",
        "redis": None if _is_redis() else "needs Redis: set CELERY_BROKER_URL=redis://…",
        "browser": None
        if HAS_CHROMIUM
        else f"needs Chromium at {CHROMIUM} (apt-get install chromium)",
    }
    # CI's services leg sets REQUIRE_SERVICES so that nothing it must exercise is quietly skipped.
    required = {name for name in os.environ.get("REQUIRE_SERVICES", "").split(",") if name}
    missing = sorted(name for name in required if reasons.get(name))
    if missing:
        raise pytest.UsageError(
            "REQUIRE_SERVICES asks for "
            + ", ".join(missing)
            + ": "
            + "; ".join(reasons[name] for name in missing)
        )
    for item in items:
        for mark, reason in reasons.items():
            if reason and item.get_closest_marker(mark):
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(autouse=True)
def _eager_celery(request):
    """Unit tests run tasks in-process; tests marked `real_worker` use a real worker instead."""
    if request.node.get_closest_marker("real_worker"):
        yield
        return
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield
    celery_app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER


@pytest.fixture
def user(db):
    return factories.UserFactory()


@pytest.fixture
def other_user(db):
    return factories.UserFactory()


@pytest.fixture
def client_for():
    """A logged-in client that enforces CSRF exactly like a browser would."""

    def make(user) -> Client:
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        return client

    return make


@pytest.fixture
def auth_client(user, client_for):
    return client_for(user)


def csrf_token(client: Client, url: str = "/settings/") -> str:
    """Fetch a page so the CSRF cookie is set, and return the token to send back."""
    client.get(url)
    return client.cookies["csrftoken"].value


@pytest.fixture
def csrf():
    return csrf_token


# Browser tests: Debian's Chromium, never a downloaded browser.
@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def logged_in_page(page, live_server, transactional_db):
    """A Chromium page on the live server, signed in as a fresh user (returned as page.user)."""
    account = factories.UserFactory(timezone="Europe/Berlin")
    client = Client()
    client.force_login(account)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )
    page.set_default_timeout(10_000)
    page.user = account
    return page
