"""Helpers of bench/run.sh: database, port, login, checks and the results table.

Usage: ``bench.py ensure-db | free-port | wait URL | login BASE USER PASSWORD |
check URL | project-id CODE | report RESULTS_DIR``. Only loopback addresses are used.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import socket
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def _loopback_only(url: str) -> str:
    host = urllib.parse.urlsplit(url).hostname
    if host not in LOOPBACK:
        raise SystemExit(f"refusing a non-loopback address: {url}")
    return url


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def ensure_db() -> None:
    """Create the benchmark database named in DATABASE_URL unless it exists."""
    import psycopg
    from psycopg import sql

    url = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
    name = url.path.lstrip("/")
    server = url._replace(path="/postgres").geturl()
    with psycopg.connect(server, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        print(f"created database {name}", file=sys.stderr)


def free_port() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        print(sock.getsockname()[1])


def wait(url: str, timeout: float = 60) -> None:
    """Wait until the server answers at ``url``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(_loopback_only(url), timeout=2).close()  # noqa: S310
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"no answer from {url} after {timeout:.0f} s")


def login(base: str, username: str, password: str) -> None:
    """Sign in through the login form and print the Cookie header of the session."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    url = _loopback_only(f"{base}/accounts/login/")
    page = opener.open(url, timeout=30).read().decode()  # noqa: S310
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if not token:
        raise SystemExit("no CSRF token on the login page")
    form = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": token.group(1)}
    ).encode()
    request = urllib.request.Request(url, data=form, headers={"Referer": url})  # noqa: S310
    opener.open(request, timeout=30).close()  # noqa: S310
    cookies = {c.name: c.value for c in jar}
    if "sessionid" not in cookies:
        raise SystemExit(f"login as {username} failed")
    print("; ".join(f"{k}={v}" for k, v in sorted(cookies.items())))


def check(url: str) -> None:
    """Fail unless ``url`` answers 200 itself (a redirect to the login page would not do)."""
    opener = urllib.request.build_opener(_NoRedirect)
    request = urllib.request.Request(_loopback_only(url))  # noqa: S310
    if os.environ.get("BENCH_COOKIE"):
        request.add_header("Cookie", os.environ["BENCH_COOKIE"])
    try:
        response = opener.open(request, timeout=60)  # noqa: S310
    except urllib.error.HTTPError as error:
        raise SystemExit(f"{url} answered {error.code}, not 200") from error
    body = response.read()
    print(f"  {url} → {response.status}, {len(body) // 1024} KiB", file=sys.stderr)


def project_id(code: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pmo.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()
    from pmo.core.models import Project

    print(Project.objects.values_list("pk", flat=True).get(code=code))


def report(results_dir: str) -> None:
    """Print the table of the runs in ``results_dir``: one file per run, in order, with a
    ``LABEL`` line written by run.sh and the ``BENCH`` line written by wrk.lua."""
    rows = []
    for path in sorted(Path(results_dir).glob("*.txt")):
        lines = path.read_text().splitlines()
        label = next((ln[6:] for ln in lines if ln.startswith("LABEL ")), path.stem)
        line = next((ln for ln in lines if ln.startswith("BENCH ")), None)
        if line is None:
            raise SystemExit(f"no result line in {path}")
        rows.append((label, json.loads(line[len("BENCH ") :])))
    if not rows:
        raise SystemExit("no results")
    base_rps = rows[0][1]["rps"] or 1.0
    header = ("endpoint", "req/s", "p50 ms", "p90 ms", "p99 ms", "vs trivial", "not 200")
    table = [header]
    for label, r in rows:
        table.append(
            (
                label,
                f"{r['rps']:.1f}",
                f"{r['p50_ms']:.1f}",
                f"{r['p90_ms']:.1f}",
                f"{r['p99_ms']:.1f}",
                f"{r['rps'] / base_rps:.2f}",
                str(r["not_200"] + r["socket_errors"]),
            )
        )
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for index, row in enumerate(table):
        cells = [row[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)
        ]
        print("  ".join(cells))
        if index == 0:
            print("  ".join("-" * w for w in widths))
    (Path(results_dir) / "results.json").write_text(json.dumps(dict(rows), indent=2))


COMMANDS = {
    "ensure-db": ensure_db,
    "free-port": free_port,
    "wait": wait,
    "login": login,
    "check": check,
    "project-id": project_id,
    "report": report,
}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        raise SystemExit(__doc__)
    COMMANDS[sys.argv[1]](*sys.argv[2:])
