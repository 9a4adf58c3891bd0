"""A PMO administrator who must use a second factor enrols an authenticator app at the
first sign-in and then reaches the cockpit, in a real browser."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from pmo.core import roles
from pmo.core.services import user_language_set
from tests.browser.conftest import login
from tests.core.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _code(device: TOTPDevice) -> str:
    device.refresh_from_db()
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{value:0{device.digits}d}"


def test_an_administrator_enrols_and_reaches_the_dashboard(page, live_server, settings, shoot):
    settings.PMO_ADMIN_TOTP_REQUIRED = True
    admin = UserFactory(username="boss", groups=[roles.PMO_ADMIN])
    PersonFactory(user=admin, name="Boss")
    user_language_set(user=admin, language="en")

    login(page, live_server, "boss")
    expect(page).to_have_url(f"{live_server.url}/accounts/second-factor/")
    expect(page.get_by_role("heading", name="Set up an authenticator app")).to_be_visible()
    expect(page.locator("[data-testid=totp-qr] svg")).to_be_visible()
    shoot("second-factor-setup-en")

    # Any other page sends the administrator back until the app is confirmed.
    page.goto(f"{live_server.url}/projects/")
    expect(page).to_have_url(f"{live_server.url}/accounts/second-factor/")

    page.fill("input[name=code]", _code(TOTPDevice.objects.get(user=admin)))
    page.get_by_test_id("totp-confirm").click()
    page.wait_for_load_state()
    expect(page).not_to_have_url(f"{live_server.url}/accounts/second-factor/")
    page.goto(f"{live_server.url}/projects/")
    expect(page.get_by_role("heading", name="Projects", exact=True)).to_be_visible()
    assert TOTPDevice.objects.get(user=admin).confirmed
