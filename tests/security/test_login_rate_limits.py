"""Login rate limits hold across processes: two gunicorn servers sharing one Redis cache count
the same failed attempts, and the admin's login goes through the same limits."""

import http.cookiejar
import re
import sys
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.conf import settings
from django.test import Client

from tests import factories
from tests.support import processes
from tests.support.redis_server import free_port, private_redis

PASSWORD = "correct horse battery staple"
LOCKED = "Too many failed login attempts"


class Browser:
    """Cookies and CSRF like a browser, against one server; redirects followed. Both servers
    get the same Host, as behind one load balancer (allauth's key includes the site's host)."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path: str) -> tuple[str, str]:
        request = urllib.request.Request(self.base + path, headers={"Host": "localhost"})
        with self.opener.open(request, timeout=20) as response:
            return response.geturl(), response.read().decode()

    def sign_in(self, email: str, password: str) -> tuple[str, str]:
        url, page = self.get("/admin/login/?next=/admin/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token, "login": email, "password": password}
        ).encode()
        request = urllib.request.Request(url, data=data, headers={"Host": "localhost"})
        try:
            with self.opener.open(request, timeout=20) as response:
                return response.geturl(), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.geturl(), error.read().decode()


def gunicorn(port: int) -> list[str]:
    return [
        sys.executable, "-m", "gunicorn", "config.wsgi:application",
        "--bind", f"127.0.0.1:{port}", "--workers", "1", "--no-control-socket",
    ]  # fmt: skip


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_admin_login_lockout_holds_across_two_processes_sharing_redis(tmp_path):
    staff = factories.UserFactory(is_staff=True, is_superuser=True)
    staff.set_password(PASSWORD)
    staff.save()
    logs = settings.VAR_DIR / "logs"
    with private_redis(tmp_path) as cache:
        env = processes.process_env(CACHE_URL=cache.url(2), DEBUG="false")
        ports = free_port(), free_port()
        with (
            processes.running(gunicorn(ports[0]), env, logs / "gunicorn-a.log"),
            processes.running(gunicorn(ports[1]), env, logs / "gunicorn-b.log"),
        ):
            a, b = (Browser(f"http://127.0.0.1:{port}") for port in ports)
            for browser in (a, b):
                processes.wait_for(lambda br=browser: _answers(br), timeout=60)
            # The admin's login is allauth's: same page, same limits.
            assert "/accounts/login/" in a.get("/admin/login/")[0]
            # Five wrong passwords in all (allauth's limit per email), split over the two.
            for browser in (a, a, a, b, b):
                _, page = browser.sign_in(staff.email, "wrong password")
                assert "you specified are not correct" in page
            for browser in (a, b):
                url, page = browser.sign_in(staff.email, PASSWORD)
                assert LOCKED in page, url
                assert not url.rstrip("/").endswith("/admin")


def _answers(browser) -> bool:
    try:
        browser.get("/healthz")
    except urllib.error.HTTPError:
        return True  # up, whatever it thinks of the broker
    except OSError:
        return False
    return True


def test_the_admin_login_page_sends_staff_to_the_rate_limited_login(db):
    response = Client().get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    staff = factories.UserFactory(is_staff=True)
    client = Client()
    client.force_login(staff)
    assert client.get("/admin/").status_code == 200
    plain = Client()
    plain.force_login(factories.UserFactory())
    assert plain.get("/admin/login/").status_code == 403
