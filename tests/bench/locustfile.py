"""Simulated job seekers for the load test (driven by tests/bench/test_loadtest.py).

Each simulated user is one signed-in browser session of the big account, with its own share of
its follow-ups so that two users never mark the same one done. Every path comes from the plan
the test writes (built with reverse()), so this file knows no URL.

    LOADTEST_PLAN=plan.json LOADTEST_SAMPLES=samples.json locust -f tests/bench/locustfile.py …

On exit it writes every request's response time by request type to LOADTEST_SAMPLES, so the
test computes exact percentiles rather than Locust's rounded ones.

The users are FastHttpUsers (geventhttpclient): python-requests costs several times the CPU per
request, and Locust shares the machine's cores with gunicorn and PostgreSQL, so a heavier client
slows the very server it measures.
"""

import itertools
import json
import os
import random
from collections import defaultdict
from http.cookiejar import Cookie
from pathlib import Path
from urllib.parse import urlsplit

from locust import FastHttpUser, between, events, task

PLAN = json.loads(Path(os.environ["LOADTEST_PLAN"]).read_text())
THINK = tuple(float(s) for s in os.environ.get("LOADTEST_THINK", "0.5,1.5").split(","))
_sessions = itertools.count()
_samples: dict[str, list[float]] = defaultdict(list)
_failures: dict[str, int] = defaultdict(int)
# The mix: pages people look at most weigh most; every write goes through a real form POST.
MIX = {
    "today": 4,
    "contacts_list": 4,
    "contact_detail": 4,
    "board": 2,
    "name_search": 2,
    "company_search": 2,
    "quick_log": 1,
    "done": 1,
    "snooze": 1,
}
ACTIONS, WEIGHTS = list(MIX), list(MIX.values())
ROUND_ROBIN = os.environ.get("LOADTEST_ROUND_ROBIN") == "1"


@events.request.add_listener
def _record(name, response_time, exception, **_):
    _samples[name].append(response_time)
    if exception is not None:
        _failures[name] += 1


@events.quitting.add_listener
def _write(**_):
    Path(os.environ["LOADTEST_SAMPLES"]).write_text(
        json.dumps({"samples": _samples, "failures": _failures})
    )


def _cookie(name, value, host) -> Cookie:
    """A host-only cookie for the whole site, stored as the server's own Set-Cookie would be (so
    a new session cookie from the server replaces it rather than joining it)."""
    host = host if "." in host else f"{host}.local"  # http.cookiejar's effective host name
    return Cookie(
        version=0, name=name, value=value, port=None, port_specified=False, domain=host,
        domain_specified=False, domain_initial_dot=False, path="/", path_specified=True,
        secure=False, expires=None, discard=True, comment=None, comment_url=None, rest={},
    )  # fmt: skip


class JobSeeker(FastHttpUser):
    wait_time = between(*THINK)

    def on_start(self):
        self.plan = PLAN["sessions"][next(_sessions) % len(PLAN["sessions"])]
        cookie = _cookie(PLAN["session_cookie"], self.plan["session"], urlsplit(self.host).hostname)
        self.client.cookiejar.set_cookie(cookie)
        self.open = list(self.plan["followups"])
        random.shuffle(self.open)
        # Every request type within the first round, then the heavier ones again.
        weighted = [a for k in range(max(WEIGHTS)) for a, weight in MIX.items() if weight > k]
        self.cycle = itertools.cycle(weighted) if ROUND_ROBIN else None
        # At random, but each user first does every request type once (in its own order), so a
        # short run still measures them all.
        self.first_round = random.sample(ACTIONS, len(ACTIONS))
        # A first page sets the CSRF cookie every POST sends back.
        self._get(PLAN["pages"]["today"], "Today")

    def _get(self, path, name):
        with self.client.get(path, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")

    def _cookie_value(self, name):
        return next((c.value for c in self.client.cookiejar if c.name == name), "")

    def _post(self, path, name, data, *, htmx=False, expect=200):
        token = self._cookie_value(PLAN["csrf_cookie"])
        headers = {"X-CSRFToken": token, "Referer": self.host + PLAN["pages"]["today"]}
        if htmx:
            headers["HX-Request"] = "true"
        data = {**data, "csrfmiddlewaretoken": token}
        with self.client.post(
            path, data=data, headers=headers, name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != expect:
                response.failure(f"status {response.status_code}")

    @task
    def act(self):
        # Round robin (the unloaded pass: every request type measured alike) or weighted at random.
        if self.cycle:
            action = next(self.cycle)
        elif self.first_round:
            action = self.first_round.pop()
        else:
            action = random.choices(ACTIONS, WEIGHTS)[0]
        getattr(self, action)()

    def today(self):
        self._get(PLAN["pages"]["today"], "Today")

    def contacts_list(self):
        self._get(PLAN["pages"]["contacts"], "contacts list")

    def contact_detail(self):
        self._get(random.choice(PLAN["contact_pages"]), "contact detail")

    def board(self):
        self._get(PLAN["pages"]["board"], "board")

    def name_search(self):
        self._get(random.choice(PLAN["name_searches"]), "name search")

    def company_search(self):
        self._get(random.choice(PLAN["company_searches"]), "company search")

    def quick_log(self):
        # The quick log without JavaScript: saved, then redirected back.
        data = {**PLAN["quick_log"], "contacts": random.choice(PLAN["contact_ids"])}
        self._post(PLAN["pages"]["quick_log"], "quick log POST", data, expect=302)

    def done(self):
        if not self.open:
            return self.snooze()
        follow_up = self.open.pop()
        self._post(follow_up["done"], "done POST", {"from": "today"}, htmx=True)

    def snooze(self):
        if not self.open:
            return
        follow_up = random.choice(self.open)
        self._post(follow_up["snooze"], "snooze POST", {"from": "today", "days": 1}, htmx=True)
