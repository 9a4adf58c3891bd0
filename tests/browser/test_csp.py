"""The browser enforces the Content Security Policy, and the check of every browser test sees it.

The autouse ``no_csp_violations`` fixture fails a browser test when Chromium blocks
anything on its pages; this test shows that an inline script really is blocked and
reported, so that an empty list there means something.
"""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_inline_script_is_blocked_and_reported(browser, live_server):
    page = browser.new_page()
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto(f"{live_server.url}/accounts/login/")
    page.evaluate(
        """() => {
            const script = document.createElement('script');
            script.textContent = 'window.injected = true';
            document.body.appendChild(script);
        }"""
    )
    page.wait_for_timeout(300)
    assert page.evaluate("() => window.injected === undefined")
    assert any("Content Security Policy" in text for text in errors)
    page.close()
