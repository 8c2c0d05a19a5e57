"""Settings refuse to start production without what production needs.

Each case runs Django's setup in a fresh interpreter, since settings are read once per
process; the environment is the test's own, with the variable under test removed or set.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "DEBUG": "0",
    "SECRET_KEY": "x7!kq2-production-like-secret-for-the-settings-test-9f3b0c1d8e7a6b5c4d3e2",
}
SETUP = "import django; django.setup(); from django.conf import settings; print(settings.SITE_URL)"


def setup_django(**env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "SITE_URL"}
    environment.update(PRODUCTION, **env)
    return subprocess.run(
        [sys.executable, "-c", SETUP],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_with_debug_off_a_missing_site_url_stops_django_with_the_reason():
    result = setup_django()
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SITE_URL must be set when DEBUG is off" in result.stderr


def test_with_debug_off_an_empty_site_url_stops_django_too():
    result = setup_django(SITE_URL="")
    assert result.returncode != 0
    assert "SITE_URL must be set when DEBUG is off" in result.stderr


def test_with_debug_off_and_site_url_set_django_starts_and_uses_it():
    result = setup_django(SITE_URL="https://blueprint.example.org")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "https://blueprint.example.org"


def test_with_debug_on_site_url_defaults_to_the_development_server():
    result = setup_django(DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "http://127.0.0.1:8000"
