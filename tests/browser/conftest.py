"""Browser tests: Playwright driving Debian's chromium (never a downloaded browser).

Skipped, with the reason printed, when no chromium is installed; `.ci/run` installs it.
"""

import os
import shutil
from io import StringIO
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# Playwright's sync API runs an event loop in this thread; the test's own ORM calls are still
# synchronous, so Django's async-safety check does not apply to them.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists():
        return
    skip = pytest.mark.skip(reason=f"no Chromium at {CHROMIUM}: install Debian's chromium")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, request):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def sign_in(page, email, password):
    """Sign in through the real sign-in form."""
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_load_state()


class SeededDemo:
    """The demo network behind a live server of one test module (see `seeded_demo`)."""

    def __init__(self, url, totp_secrets):
        self.url = url
        self.totp_secrets = totp_secrets


@pytest.fixture(scope="module")
def seeded_demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The whole demo (`seed_demo`), seeded once for a module and emptied after it.

    Seeding takes most of a minute: a transactional test would flush it after each test. The
    module's tests are marked `django_db` (not transactional) and never write themselves; what
    they do through the pages, the live server commits. The referral officers have an
    authenticator app (`totp_secrets`), as in production.
    """
    from django.core.management import call_command
    from django.test.utils import override_settings
    from pytest_django.live_server_helper import LiveServer

    from accounts.models import User
    from tests.referrals.conftest import give_totp

    media = tmp_path_factory.mktemp("demo-media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media / "public", PRIVATE_MEDIA_ROOT=media / "private"),
    ):
        server = LiveServer("localhost")
        try:
            call_command("seed_demo", force=True, stdout=StringIO())
            secrets = {
                email: give_totp(User.objects.get(email=email))
                for email in ("iom.referrals@example.org", "unhcr.referrals@example.org")
            }
            yield SeededDemo(server.url, secrets)
        finally:
            server.stop()
            # Empty, as after a transactional test (post_migrate brings the reference data back).
            call_command("flush", interactive=False, verbosity=0)
