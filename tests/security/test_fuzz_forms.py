"""No input yields a server error: hypothesis-generated POST bodies to every URL of every
app, and generated query strings on its pages, as the PMO and as a project manager.

The URLs and the objects they need come from the apps' permission matrices (the same
``objects``/``world`` fixtures build the same records); the field names come from the
app's forms, so bodies hit real fields with hostile values: unicode, NUL bytes, huge
strings and numbers, impossible dates, lists where one value is expected.
"""

from __future__ import annotations

import importlib
import inspect
from urllib.parse import urlencode

import pytest
from django import forms
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)

# --- hostile values ---------------------------------------------------------------------

EDGE_STRINGS = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "0",
    "-1",
    "-0",
    "1.5",
    "1e309",
    "-1e309",
    "NaN",
    "Infinity",
    "99999999999999999999999999999999",
    "-99999999999999999999999999999999",
    "0x1F",
    "１２３",
    "2026-02-30",
    "2026-13-01",
    "0000-00-00",
    "9999-12-31",
    "10000-01-01",
    "2026-W05",
    "2026-02",
    "2026-02-28T25:61",
    "on",
    "true",
    "null",
    "[]",
    "{}",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../etc/passwd",
    "=cmd|' /C calc'!A0",
    "项目组合管理",
    "\u202e\u200b\ufeff",
    "😀" * 20,
    "x" * 5000,
    "9" * 400,
]

scalar = st.one_of(
    st.sampled_from(EDGE_STRINGS),
    st.text(max_size=40),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.decimals(allow_nan=True, allow_infinity=True, places=None).map(str),
    st.dates(min_value=__import__("datetime").date(1, 1, 1)).map(lambda d: d.isoformat()),
)
value = st.one_of(scalar, st.lists(scalar, min_size=0, max_size=3))

# Names every app's views read besides form fields (actions, pickers, ids).
COMMON_KEYS = [
    "action",
    "approve",
    "reject",
    "decision",
    "submit",
    "status",
    "period",
    "kind",
    "next",
    "page",
    "sort",
    "q",
    "year",
    "month",
    "cycle",
    "project",
    "person",
    "score_1",
    "text_1",
    "progress_1",
    "c_1",
    "q_1",
    "answer_1",
    "weight_1",
    "rating_1",
    "version_token",
]


def form_field_names(*modules: str) -> list[str]:
    """The declared field names of every form class in the given modules."""
    names: set[str] = set(COMMON_KEYS)
    for dotted in modules:
        module = importlib.import_module(dotted)
        for obj in vars(module).values():
            if inspect.isclass(obj) and issubclass(obj, forms.BaseForm):
                names.update(getattr(obj, "base_fields", {}))
    return sorted(names)


# --- building the objects the URLs need, from the apps' own fixtures ---------------------


def _fixture_function(obj):
    getter = getattr(obj, "_get_wrapped_function", None)
    return getter() if getter else None


class Fixtures:
    """Resolves the fixtures of an app's permission test (module, then app conftest), and
    falls back to pytest for shared ones (users, project, settings, tmp_path)."""

    def __init__(self, request, *modules: str):
        self.request = request
        self.modules = [importlib.import_module(m) for m in modules]
        self.cache: dict = {}
        self.generators: list = []
        for module in self.modules:  # the app's autouse fixtures (private file roots)
            for name, obj in vars(module).items():
                marker = getattr(obj, "_fixture_function_marker", None)
                if marker is not None and marker.autouse:
                    self.get(name)

    def get(self, name: str, skip=None):
        if name in self.cache:
            return self.cache[name]
        function = None
        for module in self.modules:
            obj = vars(module).get(name)
            function = _fixture_function(obj) if obj is not None else None
            if function is not None and module is not skip:
                break
            function = None
        if function is None:
            value = self.request.getfixturevalue(name)
        else:
            args = {
                p: (self.request.getfixturevalue(p) if p == name else self.get(p))
                for p in inspect.signature(function).parameters
            }
            value = function(**args)
            if inspect.isgenerator(value):
                self.generators.append(value)
                value = next(value)
        self.cache[name] = value
        return value

    def close(self):
        for generator in reversed(self.generators):
            for _ in generator:
                pass


def _rows(module, prefix: str = ""):
    """(url name, kwargs key) of a permission matrix of the usual shape."""
    rows = []
    for row in module.MATRIX:
        name, key = row[0], row[1]
        rows.append((name if ":" in name else f"{prefix}:{name}", key))
    return rows


def _matrix_urls(fx: Fixtures, perm_module: str, prefix: str, objects="objects"):
    module = importlib.import_module(perm_module)
    built = fx.get(objects)
    urls = []
    for name, key in _rows(module, prefix):
        try:
            kwargs = (built(key) if callable(built) else built[key]) if key else None
            urls.append(reverse(name, kwargs=kwargs))
        except (NoReverseMatch, KeyError):
            continue  # a row for a URL that moved; the app's own matrix test reports it
    return urls


def _talent_urls(fx: Fixtures):
    from tests.talent.urls_table import URLS

    world = fx.get("world")
    return [reverse(f"talent:{name}", args=args(world)) for name, args, *_rest in URLS]


def _reports_urls(fx: Fixtures):
    from tests.reports.factories import ReportRunFactory, SubscriptionFactory
    from tests.reports.test_permissions import MATRIX

    keys = {
        "pending": ReportRunFactory().pk,
        "done": ReportRunFactory(done=True).pk,
        "kind": "project_register",
        "subscription": SubscriptionFactory().pk,
    }
    return [
        reverse(name, args=[keys[key]] if key else [])
        for name, _m, key, _c in MATRIX
        if key is None or key in keys
    ]


# app: (fixture modules, how to list its URLs, forms modules for field names)
APPS = {
    "core": (
        ["tests.core.test_permissions", "tests.core.conftest"],
        lambda fx: _matrix_urls(fx, "tests.core.test_permissions", "core"),
        ["pmo.core.forms", "pmo.core.channel_forms"],
    ),
    "portfolio-strategy": (
        ["tests.portfolio.test_permissions_strategy"],
        lambda fx: _matrix_urls(fx, "tests.portfolio.test_permissions_strategy", "portfolio"),
        ["portfolio.forms.strategy"],
    ),
    "portfolio-prioritisation": (
        ["tests.portfolio.test_permissions_prioritisation"],
        lambda fx: _matrix_urls(fx, "tests.portfolio.test_permissions_prioritisation", "portfolio"),
        ["portfolio.forms.prioritisation"],
    ),
    "portfolio-scenarios": (
        ["tests.portfolio.test_permissions_scenarios"],
        lambda fx: _matrix_urls(fx, "tests.portfolio.test_permissions_scenarios", "portfolio"),
        ["portfolio.forms.scenarios"],
    ),
    "portfolio-monitoring": (
        ["tests.portfolio.test_permissions_monitoring"],
        lambda fx: _matrix_urls(fx, "tests.portfolio.test_permissions_monitoring", "portfolio"),
        ["portfolio.forms.monitoring"],
    ),
    "decisions": (
        ["tests.decisions.test_permissions", "tests.decisions.conftest"],
        lambda fx: _matrix_urls(fx, "tests.decisions.test_permissions", "decisions"),
        ["decisions.forms"],
    ),
    "delivery": (
        ["tests.delivery.test_permissions", "tests.delivery.conftest"],
        lambda fx: _matrix_urls(fx, "tests.delivery.test_permissions", "delivery"),
        ["delivery.forms"],
    ),
    "standards": (
        ["tests.standards.test_permissions", "tests.standards.conftest"],
        lambda fx: _matrix_urls(fx, "tests.standards.test_permissions", "standards"),
        ["standards.forms"],
    ),
    "talent": (["tests.talent.conftest"], _talent_urls, ["talent.forms"]),
    "evaluation": (
        ["tests.evaluation.test_permissions", "tests.evaluation.conftest"],
        lambda fx: _matrix_urls(fx, "tests.evaluation.test_permissions", "evaluation"),
        ["evaluation.forms"],
    ),
    "knowledge": (
        ["tests.knowledge.test_permissions", "tests.knowledge.conftest"],
        lambda fx: _matrix_urls(fx, "tests.knowledge.test_permissions", "knowledge"),
        ["knowledge.forms"],
    ),
    "culture": (
        ["tests.culture.test_permissions", "tests.culture.conftest"],
        lambda fx: _matrix_urls(fx, "tests.culture.test_permissions", "culture"),
        ["culture.forms"],
    ),
    "reports": (["tests.reports.conftest"], _reports_urls, ["pmo.reports.forms"]),
}


@pytest.fixture
def app_world(request, app):
    modules, list_urls, form_modules = APPS[app]
    fx = Fixtures(request, *modules)
    urls = sorted(set(list_urls(fx)))
    yield urls, form_field_names(*form_modules)
    fx.close()


def _client(request, role: str) -> Client:
    client = Client(raise_request_exception=True)
    client.force_login(request.getfixturevalue(f"{role}_user"))
    return client


@pytest.mark.parametrize("role", ["pmo", "pm"])
@pytest.mark.parametrize("app", list(APPS))
def test_generated_posts_and_queries_never_give_a_server_error(request, app_world, app, role):
    urls, field_names = app_world
    client = _client(request, role)

    @FUZZ
    @given(
        url=st.sampled_from(urls),
        body=st.dictionaries(st.sampled_from(field_names), value, max_size=8),
        page=st.sampled_from(urls),
        query=st.dictionaries(st.sampled_from(field_names), scalar, max_size=4),
        htmx=st.booleans(),
    )
    def run(url, body, page, query, htmx):
        headers = {"HX-Request": "true"} if htmx else {}
        response = client.post(url, body, headers=headers)
        assert response.status_code < 500, (url, body, response.status_code)
        response = client.get(f"{page}?{urlencode(query, doseq=True)}", headers=headers)
        assert response.status_code < 500, (page, query, response.status_code)

    run()


@pytest.mark.parametrize("app", list(APPS))
def test_every_url_of_the_app_survives_one_hostile_post(request, app_world, app):
    """Sampling may miss a URL; this pass posts the same hostile body to each one."""
    urls, field_names = app_world
    client = _client(request, "pmo")
    body = {
        name: ["\x00", "x" * 3000, "2026-02-30", "-1e309"][i % 4]
        for i, name in enumerate(field_names)
    }
    wrong = []
    for url in urls:
        status = client.post(url, body).status_code
        if status >= 500:
            wrong.append((url, status))
    assert wrong == []


@pytest.mark.parametrize("role", ["sysadmin", "secadmin", "auditor"])
def test_the_administrator_duties_pages_survive_generated_input(request, role):
    """User administration, security administration and the log, as each duty."""
    from tests.core.test_permissions import DUTY_MATRIX

    fx = Fixtures(request, "tests.core.test_permissions", "tests.core.conftest")
    objects = fx.get("duty_objects")
    urls = sorted(
        {reverse(name, kwargs=objects[key] if key else None) for name, key, *_r in DUTY_MATRIX}
    )
    field_names = form_field_names("pmo.core.duty_forms") + ["q", "role", "kind", "page"]
    client = Client(raise_request_exception=True)
    client.force_login(fx.get(f"{role}_user"))

    @FUZZ
    @given(
        url=st.sampled_from(urls),
        body=st.dictionaries(st.sampled_from(field_names), value, max_size=8),
        query=st.dictionaries(st.sampled_from(field_names), scalar, max_size=4),
    )
    def run(url, body, query):
        response = client.post(url, body)
        assert response.status_code < 500, (url, body, response.status_code)
        response = client.get(f"{url}?{urlencode(query, doseq=True)}")
        assert response.status_code < 500, (url, query, response.status_code)

    run()
    fx.close()


def _all_url_names(resolver=None, namespace="") -> set[str]:
    resolver = resolver or get_resolver()
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or ""
            inner = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            names |= _all_url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)
    return names


# Covered elsewhere: imports by test_fuzz_imports.py, the calendar feed needs its secret,
# the login and account pages belong to the session tests.
NOT_FUZZED_HERE = {
    "core:import_start",
    "core:import_preview",
    "core:import_template",
    "core:calendar_feed",
    "core:project_export",
}


def test_the_fuzzed_urls_cover_every_app_url():
    """Walks the URL resolver: every named URL of an app namespace is in one of the
    matrices the fuzzing uses, so a new URL is fuzzed without anyone remembering to."""
    from tests.core.test_permissions import DUTY_MATRIX
    from tests.reports.test_permissions import MATRIX as REPORTS
    from tests.talent.urls_table import URLS as TALENT

    covered = {f"talent:{name}" for name, *_r in TALENT} | {row[0] for row in DUTY_MATRIX}
    covered |= {row[0] for row in REPORTS}
    for app, (modules, _list, _forms) in APPS.items():
        if app in ("talent", "reports"):
            continue
        module = importlib.import_module(modules[0])
        prefix = app.split("-")[0]
        covered |= {name for name, _key in _rows(module, prefix)}
    namespaces = {"core", "portfolio", "decisions", "delivery", "standards", "talent"}
    namespaces |= {"evaluation", "knowledge", "culture", "reports"}
    app_names = {n for n in _all_url_names() if n.split(":")[0] in namespaces}
    missing = app_names - covered - NOT_FUZZED_HERE
    assert missing == set()
