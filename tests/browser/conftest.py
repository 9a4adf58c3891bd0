"""Real Chromium (Debian's package) driven by Playwright against the live test server."""

import os
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is needed for the browser tests (make test installs it)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1400, "height": 900}, "locale": "zh-CN"}


@pytest.fixture(autouse=True)
def no_csp_violations(request):
    """Every browser test also proves the pages (htmx, charts, forms) run under the CSP.

    Chromium reports each blocked script, style, frame or connection as a console
    error naming the Content Security Policy; any such error fails the test.
    """
    if "page" not in request.fixturenames:
        yield
        return
    page = request.getfixturevalue("page")
    violations = []

    def watch(message):
        if message.type == "error" and "Content Security Policy" in message.text:
            violations.append(f"{page.url}: {message.text}")

    page.on("console", watch)
    yield
    assert violations == [], "\n".join(violations)


@pytest.fixture
def shoot(page):
    """Save a screenshot of the page as documentation when PMO_SCREENSHOTS is set."""

    def take(name: str) -> None:
        if os.environ.get("PMO_SCREENSHOTS"):
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)

    return take


def login(page, live_server, username: str, password: str = "Secret-pass-123") -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()
