"""Pytest fixtures: named users and the seed data. The factories are in tests/factories.py."""

import os
import shutil

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command


@pytest.fixture
def seed(db):
    """The seed fixtures, loaded as `make run` loads them."""
    call_command("loaddata", "seed", verbosity=0)


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_user(
        username="alena", password="editor-pass-123", is_staff=True, is_superuser=True
    )


# A real Chromium (Debian's), driven by Playwright: skipped where either is missing, a
# failure where REQUIRE_BROWSER is set (as .ci/run does).
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    missing = sync_playwright is None or not shutil.which(CHROMIUM)
    if missing:
        message = f"needs Playwright and Chromium at {CHROMIUM}"
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls
    # are still plain synchronous code.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
