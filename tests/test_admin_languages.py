"""
Every admin page, in Belarusian and in Russian, shows none of our English strings.

Drives Chromium over a live server: one signed-in browser context per language visits the
index, every model's list, add form and a change form, the history of a record and one of
its versions, the review queue, the import screens (form and preview) and the password
change. On each page it reads the visible text and looks for every English string of our
catalogue whose translation differs from it (matched as a whole phrase, placeholders as
anything). Screenshots of a few pages go to test-artifacts/.

What is not our wording is left out of the text read: the content of Django's and the
libraries' own model pages (users, groups, devices, login attempts; their header and
sidebar are read), the language switch (each language names itself), ``<code>`` (machine
names, such as the CSV columns an import reads) and the import preview's cells (the
file's own columns and values). The data is written in Belarusian and Russian, as the
editors' own is, so that no English word comes from it.
"""

import re
from pathlib import Path

import polib
import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse

from prisoners.choices import NameKind, ReleaseKind, Script
from prisoners.models import DuplicatePair
from tracker import catalogues

from .factories import (
    ChargeFactory,
    CitationFactory,
    CourtDecisionFactory,
    CriminalArticleFactory,
    DetentionFactory,
    EventFactory,
    EventParticipantFactory,
    FacilityFactory,
    FacilityNameFactory,
    FacilityStayFactory,
    OrganisationFactory,
    PersonFactory,
    PersonIdentifierFactory,
    PersonNameFactory,
    RecognitionFactory,
    ReleaseFactory,
    ReportedFigureFactory,
    SourceFactory,
)

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
PASSWORD = "pass-for-the-crawl-1"
SCREENSHOTS = {"index", "prisoners.person change", "prisoners.person list", "import preview"}

# The page's visible text, leaving out what is not our wording (see the module docstring).
VISIBLE_TEXT = """(libraryPage) => {
  if (libraryPage) document.getElementById("content").remove();
  const notOurs = "#language-form, code, table.import-preview thead, "
    + "table.import-preview td:not(.import-type)";
  document.querySelectorAll(notOurs)
    .forEach((element) => element.remove());
  document.querySelectorAll("select").forEach((select) => {
    const shown = document.createElement("span");
    shown.textContent = select.selectedOptions.length ? select.selectedOptions[0].text : "";
    select.replaceWith(shown);
  });
  return document.body.innerText;
}"""

# Django's and the libraries' own models: their pages' content is theirs (checked: our
# header and sidebar around it).
LIBRARY_APPS = {"auth", "axes", "otp_totp"}
PLACEHOLDER = re.compile(catalogues.PLACEHOLDER_RE.pattern)


def english_phrases(language: str) -> list[tuple[str, re.Pattern]]:
    """Each English string of ours that ``language`` translates differently, as a pattern."""
    path = catalogues.po_path(catalogues.BASE_DIR / "locale", language)
    phrases = {}
    for entry in polib.pofile(str(path)).translated_entries():
        if catalogues.is_override(entry):
            continue  # Django's or a library's string, not ours
        for english, text in catalogues._translations(entry):
            english = english.strip()
            if text.strip() == english or not english:
                continue
            parts = [re.escape(part) for part in PLACEHOLDER.split(english)]
            if len(parts) > 1 and len(" ".join(parts).split()) < 2:
                continue  # "by %s", "at %s": a word and anything, not a phrase to look for
            body = r".{1,80}?".join(parts).replace(r"\ ", r"\s+")
            phrases[english] = re.compile(rf"(?<!\w){body}(?!\w)", re.IGNORECASE)
    return sorted(phrases.items())


@pytest.fixture
def records(transactional_db):
    """One of every record, written as Belarusian editors write them."""
    organisation = OrganisationFactory(
        name="",
        name_be="Праваабарончы цэнтр «Вясна»",
        name_ru="Правозащитный центр «Весна»",
        short_name_be="Вясна",
        short_name_ru="Весна",
        slug="viasna",
    )
    source = SourceFactory(title="Затрыманне журналіста", publisher="Наша Ніва", author="Рэдакцыя")
    person = PersonFactory(name="Ігар Лосік", occupation="блогер", region="Мінская вобласць")
    PersonNameFactory(
        person=person, name="Игорь Лосик", language="ru", script=Script.CYRILLIC,
        kind=NameKind.OFFICIAL,
    )  # fmt: skip
    PersonIdentifierFactory(person=person, scheme="вясна", identifier="1234")
    RecognitionFactory(person=person, organisation=organisation)
    facility = FacilityFactory(
        name="",
        city="",
        name_be="СІЗА № 1",
        name_ru="СИЗО № 1",
        city_be="Мінск",
        city_ru="Минск",
        address="вул. Валадарскага, 2",
    )
    FacilityNameFactory(facility=facility, name="Валадарка")
    article = CriminalArticleFactory(number="342", title="Удзел у парушэнні парадку")
    detention = DetentionFactory(person=person, authority="ГУБАЗіК", place="Баранавічы")
    ChargeFactory(detention=detention, article=article, part="1", title="Парушэнне парадку")
    FacilityStayFactory(detention=detention, facility=facility, started_on="2020-06")
    CourtDecisionFactory(detention=detention, term_text="6 гадоў", court="Гомельскі суд")
    ReleaseFactory(detention=detention, kind=ReleaseKind.PARDON, released_on="2025-06")
    event = EventFactory(
        title="",
        title_be="Сустрэча ў СІЗА",
        title_ru="Встреча в СИЗО",
        facility=facility,
        place="Мінск",
    )
    EventParticipantFactory(event=event, person=person, role="удзельнік")
    ReportedFigureFactory(counted="палітвязні", counted_by="Вясна")
    CitationFactory(source=source, record=person, quote="Ігар Лосік затрыманы")
    waiting = PersonFactory(name="Марыя Калеснікава", state="in_review")
    PersonNameFactory(person=waiting, name="Мария Колесникова", state="in_review")
    PersonFactory(name="Maryia Kalesnikava")  # a possible duplicate of her
    return person


def pages(person):
    """(name, path) of every admin page the crawl visits."""
    yield "index", reverse("admin:index")
    for model in admin.site._registry:
        meta = model._meta
        name = f"{meta.app_label}.{meta.model_name}"
        url = f"admin:{meta.app_label}_{meta.model_name}"
        yield f"{name} list", reverse(f"{url}_changelist")
        if meta.app_label not in ("prisoners", "sources"):
            continue  # Django's and the libraries' own pages: their lists only
        if model is not DuplicatePair:  # pairs are found, never added
            yield f"{name} add", reverse(f"{url}_add")
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            yield f"{name} change", reverse(f"{url}_change", args=[first.pk])
            yield f"{name} history", reverse(f"{url}_history", args=[first.pk])
    version = person.history.order_by("history_id").first()
    yield "version", reverse("admin:prisoners_person_simple_history", args=[person.pk, version.pk])
    yield "review queue", reverse("admin:prisoners_person_changelist") + "?review=waiting"
    yield "review filters", reverse("admin:prisoners_detention_changelist") + "?state=in_review"
    yield "import", reverse("admin:prisoners_person_import")
    yield "password change", reverse("admin:password_change")


def import_preview(page, live_server, csv_path):
    """The import's preview: a file with a changed row, before it is confirmed."""
    page.goto(f"{live_server.url}{reverse('admin:prisoners_person_import')}")
    page.set_input_files("input[type=file]", str(csv_path))
    if page.locator("select[name=format]").count():
        page.select_option("select[name=format]", label="csv")
    page.click("form[enctype='multipart/form-data'] input[type=submit]")
    page.wait_for_selector("table.import-preview")


def test_no_english_string_of_ours_on_any_admin_page(browser, live_server, records, tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    get_user_model().objects.create_superuser("rita", password=PASSWORD)
    csv_path = tmp_path / "people.csv"
    csv_path.write_text(f"id,name,gender\n{records.pk},Ігар Лосік (змена),male\n", encoding="utf-8")
    visits = list(pages(records))
    found = {}
    for language in ("be", "ru"):
        phrases = english_phrases(language)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{live_server.url}/admin/login/")
        page.fill("#id_username", "rita")
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        page.wait_for_selector("#user-tools")
        page.click(f"#language-form button[value={language}]")
        page.wait_for_selector(f"html[lang={language}]")
        for name, path in [*visits, ("import preview", None)]:
            if path is None:
                import_preview(page, live_server, csv_path)
            else:
                response = page.goto(f"{live_server.url}{path}", wait_until="domcontentloaded")
                assert response.status == 200, (language, name, path, response.status)
            assert page.get_attribute("html", "lang") == language, (name, path)
            if name in SCREENSHOTS:
                shot = ARTIFACTS / f"admin-{language}-{name.replace(' ', '-')}.png"
                page.screenshot(path=str(shot), full_page=True)
            text = page.evaluate(VISIBLE_TEXT, name.split(".")[0] in LIBRARY_APPS)
            english = [phrase for phrase, pattern in phrases if pattern.search(text)]
            if english:
                found[f"{language} {name} ({path})"] = english
        context.close()
    assert found == {}, "\n".join(f"{page}: {english}" for page, english in found.items())
    assert (ARTIFACTS / "admin-be-index.png").stat().st_size > 10_000
