"""
End to end in a real browser: an Editor enters a record, a Reviewer publishes it; an
Editor who works in Belarusian switches the admin's language and adds a person.

Drives Debian's Chromium (/usr/bin/chromium) through Playwright against a live server.
Skipped when Chromium or Playwright is missing, unless REQUIRE_BROWSER is set (CI sets
it), in which case the missing browser is a failure. Screenshots of the person page and
the person list are saved in test-artifacts/.
"""

import faulthandler
import sys
from importlib import import_module
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from prisoners.models import Detention, Person
from sources.models import Citation

from .admin_client import member
from .conftest import LoggedLiveServer
from .factories import SourceFactory

try:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
except ImportError:  # the browser fixture then skips, or fails where REQUIRE_BROWSER is set
    PlaywrightTimeout = Exception

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
PASSWORD = "pass-for-the-browser-1"


pytestmark = pytest.mark.browser
GROUPS_MIGRATION = ("prisoners", "0006_editorial_groups")


@pytest.fixture
def editorial_groups(transactional_db):
    """
    The Editor and Reviewer groups, made as their migration makes them: a test before this
    one that needed a live server (a real transaction) emptied every table at its end.
    """
    state = MigrationExecutor(connection).loader.project_state(GROUPS_MIGRATION)
    import_module("prisoners.migrations." + GROUPS_MIGRATION[1]).create_groups(state.apps, None)


def log_in(browser, live_server, username):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(30_000)  # two test workers and Chromium on two cores
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#user-tools")
    return page


def choose(page, select_id, text):
    """
    Pick an option of an autocomplete (select2) field by typing part of it, as an Editor
    does, and wait until the form's own <select> holds it.

    The click waits for the answer to the typed search: opening the field lists the empty
    search's answer, which holds the option too, and a quarter of a second after typing
    select2 replaces that list with "Searching…". A click aimed at the first list can land
    on "Searching…", which selects nothing, and the form is then refused.
    """
    page.click(f"#{select_id} + .select2 .select2-selection")
    with page.expect_response(lambda response: _term(response.url) == text):
        page.fill(".select2-container--open .select2-search__field", text)
    page.click(f".select2-results__option:has-text('{text}')")
    page.wait_for_function(
        "id => document.getElementById(id).value !== ''", arg=select_id, polling=100
    )


def _term(url: str) -> str | None:
    """The search an autocomplete request asks for (spaces come as +, Cyrillic encoded)."""
    return parse_qs(urlsplit(url).query).get("term", [None])[0]


def save(page, button="input[name=_continue]"):
    """
    Submit the admin form, wait for the page it leads to, and fail unless that page says
    it was done. A refusal (a form error, an error message) fails with its text; a page
    that never comes fails with the live server's last requests and every thread's stack,
    so a failure on a loaded CI machine says which it was. A warning beside the success
    message (a possible duplicate, a change waiting for review) is not a refusal.
    """
    refused = ".messagelist .error, .errornote, .errorlist"
    try:
        with page.expect_navigation():
            page.click(button)
        page.wait_for_selector(f".messagelist .success, {refused}")
    except PlaywrightTimeout:
        print(f"Timed out on {page.url}. The live server's last requests:", file=sys.stderr)
        for entry in list(LoggedLiveServer.requests):  # a copy: the server may still append
            print(*entry, file=sys.stderr)
        faulthandler.dump_traceback(all_threads=True)
        raise
    errors = page.locator(refused)
    if errors.count():
        pytest.fail(f"{page.url}: refused: {errors.all_inner_texts()}")
    page.wait_for_load_state("networkidle")  # the page's own requests done before the test's


def test_an_editor_enters_a_record_and_a_reviewer_publishes_it(
    browser, live_server, editorial_groups
):
    ARTIFACTS.mkdir(exist_ok=True)
    member("Editor", "edna", PASSWORD)
    member("Reviewer", "rita", PASSWORD)
    source = SourceFactory(title="Viasna: new political prisoners", state="published")

    # The Editor: a person with a Belarusian and a Russian spelling.
    editor = log_in(browser, live_server, "edna")
    editor.goto(f"{live_server.url}/admin/prisoners/person/add/")
    editor.fill("#id_name", "Maria Kalesnikava")
    editor.select_option("#id_gender", "female")
    for row, (spelling, language) in enumerate(
        [("Марыя Калеснікава", "be"), ("Мария Колесникова", "ru")]
    ):
        editor.click("#names-group .add-row a")
        editor.fill(f"#id_names-{row}-name", spelling)
        editor.fill(f"#id_names-{row}-language", language)
        editor.select_option(f"#id_names-{row}-script", "Cyrl")
        editor.select_option(f"#id_names-{row}-kind", "official")
    save(editor)
    person = Person.objects.get(name="Maria Kalesnikava")

    # A detention with a partial start date, a charge, and a citation of the source.
    editor.goto(f"{live_server.url}/admin/prisoners/detention/add/?person={person.pk}")
    editor.fill("#id_started_on", "2020-09")
    editor.fill("#id_authority", "unidentified men in civilian clothes")
    editor.click("#charges-group .add-row a")
    editor.fill("#id_charges-0-text", "Part 3 of Art. 361 — Calls to harm national security")
    editor.click("#sources-citation-content_type-object_id-group .add-row a")
    choose(editor, "id_sources-citation-content_type-object_id-0-source", "Viasna")
    editor.fill("#id_sources-citation-content_type-object_id-0-quote", "detained in September")
    save(editor)
    assert '<option value="published"' not in editor.content()

    # Send both to review from the lists, as an Editor may.
    for model in ("person", "detention"):
        editor.goto(f"{live_server.url}/admin/prisoners/{model}/")
        editor.check("#action-toggle")
        editor.select_option("select[name=action]", "send_to_review")
        save(editor, "button[name=index]")

    # The Reviewer publishes them.
    reviewer = log_in(browser, live_server, "rita")
    for model in ("person", "detention"):
        reviewer.goto(f"{live_server.url}/admin/prisoners/{model}/")
        reviewer.check("#action-toggle")
        reviewer.select_option("select[name=action]", "publish")
        save(reviewer, "button[name=index]")

    reviewer.goto(f"{live_server.url}/admin/prisoners/person/{person.pk}/change/")
    reviewer.screenshot(path=str(ARTIFACTS / "person-page.png"), full_page=True)
    reviewer.goto(f"{live_server.url}/admin/prisoners/person/")
    reviewer.screenshot(path=str(ARTIFACTS / "person-list.png"), full_page=True)
    reviewer.wait_for_load_state("networkidle")

    person.refresh_from_db()
    detention = Detention.objects.get(person=person)
    assert person.state == detention.state == "published"
    assert set(person.names.values_list("name", "language")) == {
        ("Марыя Калеснікава", "be"),
        ("Мария Колесникова", "ru"),
    }
    assert (detention.started_on, detention.started_on_earliest.isoformat()) == (
        "2020-09",
        "2020-09-01",
    )
    assert detention.charges.get().text.startswith("Part 3 of Art. 361")
    assert Citation.objects.get(object_id=detention.pk, source=source).quote == (
        "detained in September"
    )
    assert person.current_status == "in_custody"
    history = [
        (h.history_type, h.state, h.history_user.username)
        for h in person.history.order_by("history_date")
    ]
    assert history[0] == ("+", "draft", "edna")
    assert ("~", "in_review", "edna") in history
    assert history[-1] == ("~", "published", "rita")
    assert (ARTIFACTS / "person-page.png").stat().st_size > 10_000


def test_an_editor_who_works_in_belarusian(browser, live_server, editorial_groups):
    ARTIFACTS.mkdir(exist_ok=True)
    member("Editor", "alesia", PASSWORD)
    page = log_in(browser, live_server, "alesia")

    # The language switch in the header, by keyboard: focus the button, press Enter.
    page.focus("#language-form button[value=be]")
    page.keyboard.press("Enter")
    page.wait_for_selector("html[lang=be]")
    assert page.get_attribute("#language-form button[value=be]", "aria-current") == "true"

    page.goto(f"{live_server.url}/admin/prisoners/person/add/")
    assert page.inner_text("h1") == "Дадаць: асоба"
    assert page.inner_text("label[for=id_name]") == "Імя для паказу:"
    assert page.inner_text("label[for=id_birth_date]") == "Дата нараджэння:"
    assert page.inner_text("#id_state option:checked") == "чарнавік"
    page.fill("#id_name", "Алесь Бяляцкі")
    page.select_option("#id_gender", "male")
    page.fill("#id_birth_date", "1962-13")
    page.click("input[name=_continue]")
    error = page.inner_text(".field-birth_date .errorlist")
    assert error == (
        "«1962-13» — такой даты няма ў календары. Пішыце так: 2020; 06.2020 або чэрвень 2020;"
        " 25.06.2020 або 25 чэрвеня 2020 (або 2020-06, 2020-06-25)."
    )

    page.fill("#id_birth_date", "верасень 1962")  # the month is all the source says
    page.click("input[name=_continue]")
    message = page.inner_text(".messagelist .success")
    assert message.startswith("Дададзена: асоба «Алесь Бяляцкі».")
    page.screenshot(path=str(ARTIFACTS / "person-page-be.png"), full_page=True)
    page.wait_for_load_state("networkidle")

    person = Person.objects.get(name="Алесь Бяляцкі")
    assert (person.birth_date, person.state) == ("1962-09", "draft")
    assert person.history.get().history_user.username == "alesia"
