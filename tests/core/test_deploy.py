"""The production profile passes Django's deployment checks, and every page carries the
security headers (CSP without inline scripts, no framing, referrer policy)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

BASE = Path(__file__).resolve().parents[2]


def _check_deploy(**env) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PMO_")) and key != "DATABASE_URL"
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="pmo.settings",
        DJANGO_SECRET_KEY="k7#Qv9!rT2@xLm4$Zp8&Wn3^Hs6*Jd1(Fb5)Gc0-Yt=Ue+Ri_Oa~Pl;Ks:Mj,Nh.",
        DJANGO_ALLOWED_HOSTS="pmo.example.com",
        DJANGO_CSRF_TRUSTED_ORIGINS="https://pmo.example.com",
        **env,
    )
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deployment_checks():
    result = _check_deploy(PMO_HTTPS="true")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_deployment_checks_fail_without_https_hardening():
    """The check above is a real one: without PMO_HTTPS it names what is missing."""
    result = _check_deploy(PMO_HTTPS="false")
    assert result.returncode != 0
    assert "security.W004" in result.stdout + result.stderr  # no HSTS


def _directives(response) -> dict[str, list[str]]:
    policy = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


@pytest.mark.django_db
def test_pages_carry_the_security_headers(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    directives = _directives(response)
    scripts = directives["script-src"]
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_a_dashboard_has_no_inline_script(pmo):
    """Scripts come from our static files only, so the policy needs no inline exception."""
    response = pmo.get(reverse("core:cockpit"))
    assert response.status_code == 200
    assert "'unsafe-inline'" not in _directives(response)["script-src"]
    page = response.content.decode()
    assert page.count("<script") == page.count("<script src=") > 0
    assert " onclick=" not in page and " onload=" not in page
