"""Every URL pattern of the application has a row in a role × URL permission matrix.

Each area keeps its own matrix next to its tests (``tests/<app>/test_permissions*.py``),
which requests the URL as every role and checks the status. This test walks the whole
URL configuration, so that a new pattern anywhere (a page, an htmx partial, an export,
a PDF download) fails here until a matrix row says who may open it. The few patterns
outside the areas have their rows below.
"""

from importlib import import_module

import pytest
from django.contrib import admin
from django.urls import URLResolver, get_resolver, reverse

pytestmark = pytest.mark.django_db

ROLES = ("pmo", "executive", "pm", "other_pm", "reviewer", "member", "anonymous")

# module of a matrix → the names of its lists of rows (URL name first) or of URL names.
AREA_MATRICES = {
    "tests.core.test_permissions": ("MATRIX", "DUTY_MATRIX"),
    "tests.reports.test_permissions": "MATRIX",
    "tests.portfolio.test_permissions_strategy": "URL_NAMES",
    "tests.portfolio.test_permissions_prioritisation": "URL_NAMES",
    "tests.portfolio.test_permissions_scenarios": "URL_NAMES",
    "tests.portfolio.test_permissions_monitoring": "URL_NAMES",
    "tests.decisions.test_permissions": "MATRIX",
    "tests.delivery.test_permissions": "MATRIX",
    "tests.standards.test_permissions": "MATRIX",
    "tests.talent.test_permissions": "URL_NAMES",
    "tests.evaluation.test_permissions": "MATRIX",
    "tests.knowledge.test_permissions": "MATRIX",
    "tests.culture.test_permissions": "MATRIX",
}

# Patterns that cannot take a role × status row, with the test that guards them.
GUARDED_ELSEWHERE = {
    # Fetched by calendar programs without a session; the secret token in the address
    # is the permission (tests/core/test_calendar.py: wrong token → 404).
    "core:calendar_feed",
}

LOGIN_REDIRECT = 302

# The patterns outside the areas: (name, method, status per role in ROLES order).
ROOT_MATRIX = [
    # Signed-in users are sent on; anonymous visitors get the form.
    ("login", "get", (302, 302, 302, 302, 302, 302, 200)),
    # Logging out is a POST; everyone lands on the login page.
    ("logout", "post", (302, 302, 302, 302, 302, 302, 302)),
    ("password_change", "get", (200, 200, 200, 200, 200, 200, LOGIN_REDIRECT)),
    # Django's language switch keeps nothing but the language in the session.
    ("set_language", "post", (302, 302, 302, 302, 302, 302, 302)),
    # The second factor: setting one up, the code page (without a device it sends the
    # user to set one up), removing it, and signing out the user's other sessions.
    ("second_factor_setup", "get", (200, 200, 200, 200, 200, 200, LOGIN_REDIRECT)),
    ("second_factor_verify", "get", (302, 302, 302, 302, 302, 302, LOGIN_REDIRECT)),
    ("second_factor_remove", "post", (302, 302, 302, 302, 302, 302, LOGIN_REDIRECT)),
    ("sessions_end_others", "post", (302, 302, 302, 302, 302, 302, LOGIN_REDIRECT)),
]


def _url_names(patterns, prefix=""):
    """(namespace path, full name or None, route) of every pattern."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            yield from _url_names(pattern.url_patterns, namespace)
        else:
            name = f"{prefix}{pattern.name}" if pattern.name else None
            yield prefix, name, str(pattern.pattern)


def _namespace(module: str) -> str:
    return module.split(".")[1]


def _covered() -> set[str]:
    names = {row[0] for row in ROOT_MATRIX} | GUARDED_ELSEWHERE
    for module_name, attributes in AREA_MATRICES.items():
        module = import_module(module_name)
        rows = [
            entry
            for attribute in (attributes if isinstance(attributes, tuple) else (attributes,))
            for entry in getattr(module, attribute)
        ]
        for entry in rows:
            name = entry if isinstance(entry, str) else entry[0]
            # Some areas name their URLs without the namespace of their app.
            if ":" not in name and name not in {row[0] for row in ROOT_MATRIX}:
                name = f"{_namespace(module_name)}:{name}"
            names.add(name)
    return names


def _application_urls():
    """Every pattern but the Django admin's (closed to all roles, tested below)."""
    return [
        (name, route)
        for namespace, name, route in _url_names(get_resolver().url_patterns)
        if not namespace.startswith("admin:")
    ]


def test_every_url_pattern_has_a_name():
    unnamed = [route for name, route in _application_urls() if name is None]
    assert unnamed == []


def test_every_url_pattern_is_in_a_permission_matrix():
    missing = sorted({name for name, _route in _application_urls() if name} - _covered())
    assert missing == [], f"URL patterns without a permission-matrix row: {missing}"


def test_the_matrices_name_no_missing_url():
    """A renamed or removed URL must leave the matrices too."""
    existing = {name for name, _route in _application_urls()}
    stale = sorted(_covered() - existing)
    assert stale == []


@pytest.mark.parametrize(("name", "method", "codes"), ROOT_MATRIX, ids=[r[0] for r in ROOT_MATRIX])
@pytest.mark.parametrize("role", ROLES)
def test_root_matrix(client_for, name, method, codes, role):
    client = client_for(role)
    data = {"language": "en", "next": "/"} if name == "set_language" else {}
    response = getattr(client, method)(reverse(name), data)
    assert response.status_code == codes[ROLES.index(role)], (name, role)
    if name == "password_change" and role == "anonymous":
        assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("role", ROLES)
def test_the_django_admin_is_closed_to_every_application_role(client_for, role):
    """No application role is staff: every admin page sends them to the admin login."""
    client = client_for(role)
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        meta = model._meta
        urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("admin:login")), url
