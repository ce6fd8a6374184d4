"""`bin/dev` (what `make run` starts) in a private var/ folder, on a port of our choosing."""

import os
import subprocess
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from tests.support.processes import ROOT, stop, wait_for
from tests.support.smtp import free_port


def dev_env(var_dir: Path, port: int, **extra: str) -> dict[str, str]:
    """The environment of a fresh checkout: embedded defaults only, nothing from the test run."""
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")
    env = {name: os.environ[name] for name in keep if name in os.environ}
    env.update(
        PORT=str(port),
        # bin/dev exports it for its processes; `manage.py shell` beside them needs it too.
        DEBUG="true",
        VAR_DIR=str(var_dir),
        DATABASE_URL=f"sqlite:///{var_dir / 'db.sqlite3'}",
        CELERY_BROKER_URL="filesystem://",
        EMAIL_URL=f"file://{var_dir / 'mail'}",
        REMINDER_SWEEP_SECONDS="1",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


class DevServer:
    def __init__(self, var_dir: Path, port: int, env: dict[str, str]):
        self.var_dir, self.port, self.env = var_dir, port, env
        self.url = f"http://127.0.0.1:{port}"

    def manage(self, *args: str) -> str:
        """Run a management command against this server's database; its output."""
        result = subprocess.run(  # noqa: S603 - our own interpreter and arguments
            [str(ROOT / ".venv/bin/python"), "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        return result.stdout

    def mails(self) -> list[Path]:
        folder = self.var_dir / "mail"
        return sorted(folder.glob("*.log")) if folder.exists() else []


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - our own server
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


@contextmanager
def dev_server(var_dir: Path, **extra: str):
    """Start bin/dev and yield once /accounts/login/ answers 200; stop it afterwards."""
    port = free_port()
    env = dev_env(var_dir, port, **extra)
    var_dir.mkdir(parents=True, exist_ok=True)
    with open(var_dir / "dev.log", "ab") as log:
        proc = subprocess.Popen(  # noqa: S603 - our own script
            [str(ROOT / "bin/dev")],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = DevServer(var_dir, port, env)
    started = time.monotonic()
    try:
        wait_for(
            lambda: proc.poll() is not None or answers(f"{server.url}/accounts/login/"),
            timeout=120,
            message=f"bin/dev did not answer; see {var_dir / 'dev.log'}",
        )
        assert proc.poll() is None, (var_dir / "dev.log").read_text()[-3000:]
        server.startup_seconds = time.monotonic() - started
        yield server
    finally:
        stop(proc)
