"""Helpers of bench/run.sh: database, port, login, checks and the results table.

Usage: ``bench.py ensure-db | free-port | wait URL | login BASE USER PASSWORD |
check URL | endpoints | report RESULTS_DIR``. Only loopback addresses are used.

The pages measured (``endpoints``) are every sidebar entry the demo PMO administrator
sees (the navigation registry, so a new page of any duty area is measured without
editing this file), one detail page of every kind of object, every tab of the project
page, a search with a Chinese query, and the executive dashboard as the demo
executive. ``bench/queries.py`` opens the same list with Django's test client.
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


def ensure_db(template_url: str = "") -> None:
    """Create the benchmark database named in DATABASE_URL unless it exists, as a copy
    of the database of ``template_url`` when one is given."""
    import psycopg
    from psycopg import sql

    url = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
    name = url.path.lstrip("/")
    server = url._replace(path="/postgres").geturl()
    with psycopg.connect(server, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return
        create = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template_url:
            template = urllib.parse.urlsplit(template_url).path.lstrip("/")
            create += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
        conn.execute(create)
        print(f"created database {name}" + (f" from {template}" if template_url else ""))


def free_port() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        print(sock.getsockname()[1])


def wait(url: str, timeout: str = "60") -> None:
    """Wait until the server answers at ``url``."""
    timeout = float(timeout)
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


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pmo.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()


TRIVIAL = ("/accounts/login/ (trivial template view)", "/accounts/login/", "")
PROJECT = os.environ.get("BENCH_PROJECT", "HC-PRJ-001")
SEARCH = "风险管理"
# One detail page per kind of object: URL name, model, filter. The object is the
# first of the seeded demo company's (lowest id), so it is the same at every scale.
DETAILS = [
    ("core:person_detail", "core.Person", {"user__username": "pm"}),
    ("core:orgunit_detail", "core.OrgUnit", {"code": "HC"}),
    ("portfolio:objective_detail", "portfolio.Objective", {}),
    ("portfolio:portfolio_detail", "portfolio.Portfolio", {}),
    ("portfolio:scenario_detail", "portfolio.Scenario", {}),
    ("decisions:study_detail", "decisions.Study", {}),
    ("delivery:status_detail", "delivery.StatusReport", {"project__code": PROJECT}),
    ("delivery:issue_detail", "delivery.Issue", {}),
    ("delivery:gate_detail", "delivery.Gate", {"project__code": PROJECT}),
    ("delivery:agreement_detail", "delivery.ResponsibilityAgreement", {}),
    ("delivery:baseline_detail", "delivery.Baseline", {"project__code": PROJECT}),
    ("standards:methodology_detail", "standards.Methodology", {}),
    ("standards:process_detail", "standards.Process", {}),
    ("standards:template_detail", "standards.DocumentTemplate", {}),
    ("standards:change_detail", "standards.ChangeRequest", {}),
    ("standards:tool_detail", "standards.ToolEvaluation", {}),
    ("talent:course_detail", "talent.Course", {}),
    ("talent:session_detail", "talent.TrainingSession", {}),
    ("talent:selection_detail", "talent.SelectionRound", {}),
    ("evaluation:version_detail", "evaluation.SchemeVersion", {}),
    ("evaluation:cycle_detail", "evaluation.Cycle", {}),
    ("evaluation:evaluation_detail", "evaluation.Evaluation", {}),
    ("evaluation:action_detail", "evaluation.ImprovementAction", {}),
    ("culture:idea_detail", "culture.Idea", {}),
    ("culture:campaign_detail", "culture.Campaign", {}),
    ("culture:session_detail", "culture.SharingSession", {}),
    ("culture:survey_detail", "culture.Survey", {}),
    ("culture:improvement_detail", "culture.ImprovementIdea", {}),
    ("knowledge:lesson_detail", "knowledge.Lesson", {}),
    ("knowledge:case_detail", "knowledge.Case", {}),
    ("knowledge:article_detail", "knowledge.Article", {}),
    ("knowledge:archive_detail", "knowledge.ArchiveRecord", {}),
    ("knowledge:loan_detail", "knowledge.Loan", {}),
]


def endpoint_list() -> list[tuple[str, str, str]]:
    """(label, path, user name or "" for anonymous) of every measured page, in order;
    the trivial view first. Needs Django set up on the benchmark database."""
    from django.apps import apps
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from pmo.core.models import Project
    from pmo.core.registry import registry

    pmo = get_user_model().objects.get(username="pmo")
    rows = [TRIVIAL, ("/account/ (signed in, base layout)", "/account/", "pmo")]
    seen = {"/account/"}
    for entry in registry.nav_for(pmo):
        path = entry.url()
        if path not in seen:
            seen.add(path)
            rows.append((f"{path} (nav {entry.key})", path, "pmo"))
    rows.append(("/dashboard/ (executive)", reverse("core:dashboard"), "exec"))
    rows.append(
        ("/projects/?stage=active&sort=-budget", "/projects/?stage=active&sort=-budget", "pmo")
    )
    project = Project.objects.get(code=PROJECT)
    rows.append((f"project {PROJECT}", reverse("core:project_detail", args=[project.pk]), "pmo"))
    for tab in registry.tabs_for(pmo, project):
        # The page with that tab open, as a user gets it from a link or a reload.
        path = reverse("core:project_detail", args=[project.pk]) + f"?tab={tab.key}"
        rows.append((f"project {PROJECT} tab {tab.key}", path, "pmo"))
    for url_name, label, filters in DETAILS:
        pk = (
            apps.get_model(label)
            ._default_manager.filter(**filters)
            .order_by("pk")
            .values_list("pk", flat=True)
            .first()
        )
        if pk is None:
            raise SystemExit(f"no {label} in the benchmark database for {url_name}")
        rows.append((f"{url_name} ({label})", reverse(url_name, args=[pk]), "pmo"))
    query = urllib.parse.urlencode({"q": SEARCH})
    rows.append((f"search {SEARCH}", f"{reverse('core:search')}?{query}", "pmo"))
    return rows


def endpoints() -> None:
    """Print the measured pages for run.sh, one ``label|path|user`` line each."""
    setup_django()
    for row in endpoint_list():
        print("|".join(row))


# The targets of a measured page (issue 12): latency under 16 connections, throughput
# relative to the trivial view measured in the same run, and no failed answer.
P50_MS, P99_MS, MIN_RATIO = 50.0, 250.0, 0.25


def verdict(row: dict, base_rps: float, trivial: bool) -> list[str]:
    """The targets ``row`` misses (empty when it passes)."""
    missed = []
    if row["not_200"] + row["socket_errors"]:
        missed.append("errors")
    if trivial:
        return missed
    if row["p50_ms"] > P50_MS:
        missed.append("p50")
    if row["p99_ms"] > P99_MS:
        missed.append("p99")
    if row["rps"] < MIN_RATIO * base_rps:
        missed.append("ratio")
    return missed


def report(results_dir: str) -> None:
    """Print the table of the runs in ``results_dir``: one file per run, in order, with a
    ``LABEL`` line written by run.sh and the ``BENCH`` line written by wrk.lua. Writes
    results.json and exits 1 when a page misses a target."""
    rows = []
    for path in sorted(Path(results_dir).glob("[0-9]*.txt"), key=lambda p: int(p.stem)):
        lines = path.read_text().splitlines()
        label = next((ln[6:] for ln in lines if ln.startswith("LABEL ")), path.stem)
        line = next((ln for ln in lines if ln.startswith("BENCH ")), None)
        if line is None:
            raise SystemExit(f"no result line in {path}")
        rows.append((label, json.loads(line[len("BENCH ") :])))
    if not rows:
        raise SystemExit("no results")
    base_rps = rows[0][1]["rps"] or 1.0
    header = ("endpoint", "req/s", "p50 ms", "p90 ms", "p99 ms", "vs trivial", "not 200", "")
    table = [header]
    failed = 0
    for index, (label, r) in enumerate(rows):
        missed = verdict(r, base_rps, trivial=index == 0)
        r["ratio"] = round(r["rps"] / base_rps, 3)
        r["missed"] = missed
        failed += bool(missed)
        table.append(
            (
                label,
                f"{r['rps']:.1f}",
                f"{r['p50_ms']:.1f}",
                f"{r['p90_ms']:.1f}",
                f"{r['p99_ms']:.1f}",
                f"{r['ratio']:.2f}",
                str(r["not_200"] + r["socket_errors"]),
                "FAIL " + ",".join(missed) if missed else "PASS",
            )
        )
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for index, row in enumerate(table):
        cells = [row[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(row[1:-1], widths[1:-1], strict=True)
        ]
        print("  ".join([*cells, row[-1]]))
        if index == 0:
            print("  ".join("-" * w for w in widths))
    summary = {
        "targets": {"p50_ms": P50_MS, "p99_ms": P99_MS, "min_ratio_to_trivial": MIN_RATIO},
        "pages": len(rows) - 1,
        "failed": failed,
        "results": dict(rows),
    }
    (Path(results_dir) / "results.json").write_text(
        json.dumps(summary, indent=2, ensure_ascii=False)
    )
    print(f"\n{len(rows) - 1 - failed} of {len(rows) - 1} pages meet every target.")
    if failed:
        raise SystemExit(1)


COMMANDS = {
    "ensure-db": ensure_db,
    "free-port": free_port,
    "wait": wait,
    "login": login,
    "check": check,
    "endpoints": endpoints,
    "report": report,
}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        raise SystemExit(__doc__)
    COMMANDS[sys.argv[1]](*sys.argv[2:])
