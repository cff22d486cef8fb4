"""
The Content-Security-Policy in a real browser: the admin, Swagger UI and Redoc work under
it, and Chromium reports no violation on their pages.

Drives Debian's Chromium (/usr/bin/chromium) through Playwright against a live server;
skipped when either is missing, unless REQUIRE_BROWSER is set (then it fails).
"""

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings

PASSWORD = "pass-for-the-browser-1"

# Every violation the page sees, whether or not it reaches the console.
WATCH_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const where = `${event.sourceFile}:${event.lineNumber}`;
  window.__cspViolations.push(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline"} at ${where}`
  );
});
"""

pytestmark = pytest.mark.browser


def superuser(username: str):
    # Not a group member: a transactional test flushes the groups that migrations made.
    return get_user_model().objects.create_user(
        username, password=PASSWORD, is_staff=True, is_superuser=True
    )


class Watched:
    """A page that records CSP violations, console errors and requests to other hosts."""

    def __init__(self, browser, live_server):
        self.base = live_server.url
        self.page = browser.new_page(viewport={"width": 1400, "height": 1000})
        self.page.set_default_timeout(20_000)
        self.page.add_init_script(WATCH_VIOLATIONS)
        self.problems: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        self.page.on("request", self._request)
        self.page.on("response", self._response)

    def _console(self, message):
        text = message.text
        if text.startswith("Failed to load resource"):
            return  # reported with its address by _response
        if message.type == "error" or "Content Security Policy" in text:
            self.problems.append(f"console {message.type}: {text}")

    def _response(self, response):
        # The browser asks for /favicon.ico on its own; the site has none.
        if response.status >= 400 and not response.url.endswith("/favicon.ico"):
            self.problems.append(f"{response.status} for {response.url}")

    def _request(self, request):
        url = request.url
        if not url.startswith((self.base, "data:", "blob:", "about:")):
            self.problems.append(f"request to another host: {url}")

    def goto(self, path: str):
        response = self.page.goto(self.base + path)
        assert response.status == 200, (path, response.status)
        assert "Content-Security-Policy" in {k.title() for k in response.headers}
        return response

    def assert_clean(self, where: str):
        violations = self.page.evaluate("window.__cspViolations")
        assert violations == [], (where, violations)
        assert self.problems == [], (where, self.problems)


def test_the_admin_and_the_api_docs_work_under_the_policy(browser, live_server, transactional_db):
    superuser("rita")
    watched = Watched(browser, live_server)
    page = watched.page

    watched.goto("/admin/login/")
    watched.assert_clean("admin login")
    page.fill("#id_username", "rita")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#user-tools")
    watched.assert_clean("admin index")

    # A change form with inlines and select2 autocompletes, and the language switcher.
    watched.goto("/admin/prisoners/detention/add/")
    page.click("#charges-group .add-row a")
    page.wait_for_selector("#id_charges-0-text")
    page.click("#sources-citation-content_type-object_id-group .add-row a")
    page.click("#id_sources-citation-content_type-object_id-0-source + .select2 .select2-selection")
    page.wait_for_selector(".select2-container--open .select2-search__field")
    page.keyboard.press("Escape")
    watched.assert_clean("detention form")
    page.click("#language-form button[value=be]")
    page.wait_for_selector("html[lang=be]")
    page.click("#language-form button[value=en]")
    page.wait_for_selector("html[lang=en]")
    watched.assert_clean("language switch")

    # Swagger UI: the sidecar's bundle plus the nonce'd start-up script render the API.
    watched.goto("/api/v1/docs/")
    page.wait_for_selector(".opblock-summary-path >> text=/api/v1/prisoners/")
    page.get_by_text("List published detentions").first.wait_for()
    # "Try it out" calls the API from the page (connect-src).
    page.click("#operations-articles-articles_list .opblock-summary")
    page.click("#operations-articles-articles_list .try-out__btn")
    page.click("#operations-articles-articles_list .execute")
    page.wait_for_selector(
        "#operations-articles-articles_list .live-responses-table .response-col_status"
    )
    watched.assert_clean("Swagger UI")

    # Redoc: the sidecar's standalone bundle renders the operations.
    watched.goto("/api/v1/redoc/")
    page.get_by_role("heading", name="List published detentions").first.wait_for()
    watched.assert_clean("Redoc")


def test_the_second_factor_pages_work_under_the_policy(browser, live_server, transactional_db):
    superuser("rita")
    watched = Watched(browser, live_server)
    page = watched.page
    with override_settings(OTP_REQUIRED_FOR="reviewers"):
        watched.goto("/admin/login/")
        page.fill("#id_username", "rita")
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        # Straight to enrolment: a QR code drawn as inline SVG, the key, a field for the code.
        page.wait_for_selector("#otp-qr svg")
        page.wait_for_selector("#otp-secret")
        assert "/admin/two-factor/setup/" in page.url
        watched.assert_clean("two-factor setup")
    assert get_user_model().objects.get(username="rita").totpdevice_set.count() == 1
