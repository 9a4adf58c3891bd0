"""Private servers for the reliability tests: a Redis and a PostgreSQL cluster that a
test may stop and start, the application under gunicorn and Celery workers.

The shared Redis and PostgreSQL serve every other test and are never touched: each
server here runs on a free port, from a temporary folder, and is stopped at the end of
its test whatever happens.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
import requests
from django.conf import settings
from django.db import connection

BASE_DIR = Path(settings.BASE_DIR)
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
PG_BIN = next(iter(sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)), "")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(check, what: str, timeout: float = 120, logs: tuple[Path, ...] = ()):
    """Poll ``check`` until it returns something true; fail with the logs' tails."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.25)
    tails = "\n".join(
        f"--- {log.name} ---\n{log.read_text(errors='replace')[-3000:]}"
        for log in logs
        if log.exists()
    )
    pytest.fail(f"Timed out waiting for {what}.\n{tails}")


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def stop_process(process: subprocess.Popen, *, kill: bool = False) -> None:
    """Stop a process started in its own session, and everything it started."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGKILL if kill else signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


def shared_test_database_url() -> str:
    """The address of the database pytest-django created, for the subprocesses."""
    db = connection.settings_dict
    auth = quote(db["USER"] or "")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"])
    return (
        f"postgres://{auth}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"
    )


class PrivateRedis:
    """A throwaway redis-server on a free port, without persistence."""

    def __init__(self, folder: Path):
        self.port = free_port()
        self.folder = folder
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        log = (self.folder / f"redis-{self.port}.log").open("ab")
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no", "--daemonize", "no"]
            + ["--dir", str(self.folder)],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_until(lambda: port_open(self.port), "the private Redis to listen")

    def stop(self) -> None:
        if self.process is not None:
            stop_process(self.process, kill=True)
            self.process = None
        wait_until(lambda: not port_open(self.port), "the private Redis to stop")


class PrivatePostgres:
    """A throwaway PostgreSQL cluster (initdb) run by the postgres OS user."""

    def __init__(self):
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="pmo-pg-"))
        self.data = self.folder / "data"
        self.log = self.folder / "server.log"
        self.started = False

    def _as_postgres(self, *command: str) -> subprocess.CompletedProcess:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        return subprocess.run(
            [*prefix, *command], capture_output=True, text=True, check=True, timeout=60
        )

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/pmo"

    def init(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        self._as_postgres(
            f"{PG_BIN}/initdb",
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "--locale=C.UTF-8",
            "-E",
            "UTF8",
        )

    def start(self) -> None:
        self._pg_ctl("start")
        self.started = True

    def restart(self) -> None:
        self._pg_ctl("restart", "-m", "fast")

    def _pg_ctl(self, action: str, *extra: str) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
        self._as_postgres(
            f"{PG_BIN}/pg_ctl",
            action,
            *extra,
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-w",
            "-o",
            options,
        )

    def createdb(self, name: str = "pmo") -> None:
        self._as_postgres(f"{PG_BIN}/createdb", "-h", "127.0.0.1", "-p", str(self.port), name)

    def stop(self) -> None:
        if self.started:
            with contextlib.suppress(subprocess.CalledProcessError):
                self._pg_ctl("stop", "-m", "immediate")
            self.started = False
        shutil.rmtree(self.folder, ignore_errors=True)


def app_env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    """Production settings (not the test override) for a subprocess of the application."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "pmo.settings",
        # The test's key: sessions signed in by the test are valid in the subprocess.
        "DJANGO_SECRET_KEY": settings.SECRET_KEY,
        "DJANGO_DEBUG": "false",
        "DATABASE_URL": shared_test_database_url(),
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "EMAIL_URL": f"filemail://{tmp_path / 'mail'}",
        "PMO_VAR_DIR": str(tmp_path / "var"),
        "PMO_PRIVATE_ROOT": str(tmp_path / "private"),
        "PMO_SITE_URL": "http://pmo.test",
        **overrides,
    }


class Processes:
    """The application and workers a test started; all stopped at the end."""

    def __init__(self, tmp_path: Path):
        self.tmp_path = tmp_path
        self.started: list[subprocess.Popen] = []

    def _spawn(self, command: list[str], env: dict, log: Path) -> subprocess.Popen:
        process = subprocess.Popen(
            command,
            cwd=BASE_DIR,
            env=env,
            stdout=log.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.started.append(process)
        return process

    def gunicorn(self, env: dict) -> tuple[str, Path]:
        """Serve the application with gunicorn (one sync worker); returns its address."""
        port = free_port()
        log = self.tmp_path / f"gunicorn-{port}.log"
        command = [
            str(Path(sys.executable).with_name("gunicorn")),
            "pmo.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--timeout",
            "60",
            "--no-control-socket",
        ]
        self._spawn(command, env, log)
        wait_until(lambda: port_open(port), "gunicorn to listen", logs=(log,))
        return f"http://127.0.0.1:{port}", log

    def worker(self, env: dict, *, beat: bool = False) -> tuple[subprocess.Popen, Path]:
        name = f"rel-{uuid.uuid4().hex[:8]}"
        log = self.tmp_path / f"{name}.log"
        command = [
            str(Path(sys.executable).with_name("celery")),
            "-A",
            "pmo",
            "worker",
            "--pool",
            "solo",
            "-l",
            "info",
            "-n",
            f"{name}@%h",
        ]
        if beat:
            command += ["-B", "-s", str(self.tmp_path / f"{name}-beat")]
        return self._spawn(command, env, log), log

    def stop_all(self) -> None:
        for process in self.started:
            stop_process(process)


def browser_session(base_url: str, user) -> requests.Session:
    """A requests session signed in as ``user`` (its session row is in the test
    database the application reads), with the CSRF token for POSTs."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    session = requests.Session()
    session.cookies.set(
        settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value
    )
    session.headers["Accept-Language"] = "en"
    session.base_url = base_url
    return session


def post(session: requests.Session, path: str, data: dict | None = None) -> requests.Response:
    """POST like a browser: with the CSRF cookie and token of a first GET."""
    if settings.CSRF_COOKIE_NAME not in session.cookies:
        session.get(session.base_url + "/", timeout=120)
    token = session.cookies.get(settings.CSRF_COOKIE_NAME, "")
    return session.post(
        session.base_url + path,
        data={"csrfmiddlewaretoken": token, **(data or {})},
        headers={"Referer": session.base_url + "/"},
        timeout=120,
    )
