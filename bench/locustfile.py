"""Mixed load on the application: executives browsing, PMs reporting status, the PMO importing.

Run by ``bench/load.sh`` (``locust -f bench/locustfile.py --headless …``) against a
gunicorn serving the ``pmo_bench`` database (``seed_demo --scale 5000``). Every simulated
user signs in through the login form with a demo login and keeps its own session.

- Executives (the most numerous) open the dashboard, the cockpit, the project register
  (filtered and sorted), project pages and the watch list.
- Project managers open "my status", then the status form of one of their projects,
  and save it as a draft: a real form post with the CSRF token and every field the
  form shows. A draft of the current period is saved again and again, so repeated runs
  leave one draft per project and period, never a pile of reports.
- PMO staff browse the register and now and then upload a small project file
  (20 rows, the same codes every time: the second time they are updates or
  unchanged), check the preview and confirm it.

A request is a failure when its status is not the expected one; ``load.sh`` fails the
run on any failure.
"""

from __future__ import annotations

import csv
import io
import random
import re
from collections import defaultdict
from html.parser import HTMLParser

from gevent.lock import Semaphore
from locust import HttpUser, between, task

PASSWORD = "demo12345"  # noqa: S105 - the published password of the demo logins
IMPORT_ROWS = 20


class FormReader(HTMLParser):
    """The fields of a form (by its data-testid, else the first one with a CSRF token):
    what a browser would post."""

    def __init__(self, testid: str | None = None):
        super().__init__()
        self.testid = testid
        self.fields: dict[str, list[str]] = {}
        self.radios: dict[str, str] = {}
        self.in_form = False
        self.done = False
        self.textarea: str | None = None
        self.select: str | None = None
        self.select_first: str | None = None
        self.selected = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if self.done:
            return
        if tag == "form" and (a.get("method") or "").lower() == "post":
            if self.testid and a.get("data-testid") != self.testid:
                return
            self.in_form = True
            self.fields, self.radios = {}, {}
            return
        if not self.in_form:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "file"):
                return
            if kind == "radio":
                self.radios.setdefault(name, a.get("value", ""))
                if "checked" in a:
                    self.fields[name] = [a.get("value", "")]
            elif kind == "checkbox":
                if "checked" in a:
                    self.fields.setdefault(name, []).append(a.get("value", "on"))
            else:
                self.fields[name] = [a.get("value") or ""]
        elif tag == "textarea" and name:
            self.textarea = name
            self.fields[name] = [""]
        elif tag == "select" and name:
            self.select, self.select_first, self.selected = name, None, False
        elif tag == "option" and self.select:
            if self.select_first is None:
                self.select_first = a.get("value", "")
            if "selected" in a:
                self.fields[self.select] = [a.get("value", "")]
                self.selected = True

    def handle_endtag(self, tag):
        if tag == "textarea":
            self.textarea = None
        elif tag == "select" and self.select:
            if not self.selected and self.select_first is not None:
                self.fields[self.select] = [self.select_first]
            self.select = None
        elif tag == "form" and self.in_form:
            for name, first in self.radios.items():
                self.fields.setdefault(name, [first])
            if "csrfmiddlewaretoken" in self.fields:
                self.done = True
            self.in_form = False

    def handle_data(self, data):
        if self.textarea:
            self.fields[self.textarea] = [self.fields[self.textarea][0] + data]


def form_fields(html: str, testid: str | None = None) -> dict[str, list[str]]:
    reader = FormReader(testid)
    reader.feed(html)
    return reader.fields


# One sign-in per demo login, its session shared by the simulated users of that login:
# people stay signed in through a working day, and 50 password checks (deliberately
# slow hashes) at the start would measure the spawn, not the browsing.
_sessions: dict[str, dict[str, str]] = {}
_signing_in: dict[str, Semaphore] = defaultdict(Semaphore)


class SignedIn(HttpUser):
    abstract = True
    username = ""

    def on_start(self):
        with _signing_in[self.username]:
            if self.username not in _sessions:
                self.sign_in()
                _sessions[self.username] = dict(self.client.cookies)
        self.client.cookies.update(_sessions[self.username])

    def sign_in(self):
        page = self.client.get("/accounts/login/", name="/accounts/login/")
        fields = form_fields(page.text)
        fields.update({"username": [self.username], "password": [PASSWORD]})
        with self.client.post(
            "/accounts/login/", data=fields, name="login (post)", catch_response=True
        ) as response:
            if "/accounts/login/" in response.url:
                response.failure(f"{self.username} could not sign in")

    def csrf(self) -> str:
        return self.client.cookies.get("csrftoken", "")


class Executive(SignedIn):
    """Reads dashboards and projects; most of the traffic."""

    weight = 6
    wait_time = between(1, 4)
    username = "exec"
    project_ids: list[int] = []

    def on_start(self):
        super().on_start()
        page = self.client.get("/projects/?sort=-budget", name="/projects/?sort")
        self.project_ids = [int(pk) for pk in re.findall(r'href="/projects/(\d+)/"', page.text)]

    @task(3)
    def dashboard(self):
        self.client.get("/dashboard/", name="/dashboard/")

    @task(2)
    def register(self):
        stage = random.choice(["active", "approved", "closing"])
        self.client.get(f"/projects/?stage={stage}&sort=-budget", name="/projects/?stage&sort")
        self.client.get(f"/projects/?page={random.randint(1, 20)}", name="/projects/?page")

    @task(3)
    def project(self):
        if self.project_ids:
            self.client.get(f"/projects/{random.choice(self.project_ids)}/", name="/projects/<id>/")

    @task(1)
    def watchlist(self):
        self.client.get("/portfolio/watchlist/", name="/portfolio/watchlist/")


class ProjectManager(SignedIn):
    """Opens the status of their projects and saves this period's report as a draft."""

    weight = 3
    wait_time = between(2, 6)
    username = "pm"
    status_urls: list[str] = []

    def on_start(self):
        self.username = random.choice(["pm", "pm2"])
        super().on_start()
        page = self.client.get("/delivery/my/status/", name="/delivery/my/status/")
        self.status_urls = sorted(
            set(re.findall(r'href="(/delivery/projects/\d+/status/)', page.text))
        )

    @task(1)
    def my_work(self):
        self.client.get("/my/", name="/my/")

    @task(3)
    def status_report(self):
        if not self.status_urls:
            self.client.get("/delivery/my/status/", name="/delivery/my/status/")
            return
        url = random.choice(self.status_urls)
        page = self.client.get(url, name="/delivery/projects/<id>/status/")
        fields = form_fields(page.text, "status-form")
        if "csrfmiddlewaretoken" not in fields:
            return
        fields["percent_complete"] = [str(random.randint(10, 90))]
        fields["accomplishments"] = ["负载测试：本周完成接口联调。"]
        fields["draft"] = ["1"]
        with self.client.post(
            url,
            data=fields,
            headers={"Referer": self.host + url},
            name="/delivery/projects/<id>/status/ (save draft)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"status draft refused: {response.status_code}")


def import_file(rows: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["code", "name", "org_unit_code", "classification", "budget"])
    for n in range(rows):
        writer.writerow([f"LOAD-{n:03d}", f"负载测试项目{n:03d}", "HC-PMO", "一般", 50_000 + n])
    return out.getvalue().encode("utf-8")


class PmoStaff(SignedIn):
    """Browses the register and now and then imports a small project file."""

    weight = 1
    wait_time = between(5, 15)
    username = "pmo"

    @task(3)
    def register(self):
        self.client.get("/projects/?sort=code", name="/projects/?sort")

    @task(1)
    def small_import(self):
        page = self.client.get("/import/", name="/import/")
        fields = form_fields(page.text, "import-form")
        fields["kind"] = ["projects"]
        with self.client.post(
            "/import/",
            data=fields,
            files={"file": ("load.csv", import_file(IMPORT_ROWS), "text/csv")},
            headers={"Referer": self.host + "/import/"},
            name="/import/ (upload and preview)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"upload refused: {response.status_code}")
                return
            preview = response.headers["Location"]
        page = self.client.get(preview, name="/import/<id>/")
        fields = form_fields(page.text, "commit-form")
        if "csrfmiddlewaretoken" not in fields:
            return
        with self.client.post(
            preview,
            data=fields,
            headers={"Referer": self.host + preview},
            name="/import/<id>/ (commit)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"commit refused: {response.status_code}")
