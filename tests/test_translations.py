"""
Every visible string of ours is in Belarusian and Russian, and the catalogues are in step
with the code (``tracker.catalogues``; ``make messages`` updates them).

The first test checks the real catalogues: every ``locale/`` folder of ours (the project's,
and any app's own, such as ``website/locale``). The others build a small project in a
temporary folder and show that the check catches each kind of problem.
"""

import json
import re
import shutil
import textwrap

import polib
import pytest
from django.test import RequestFactory
from django.utils import translation
from django.views.i18n import JSONCatalog

from tracker import catalogues

THROWAWAY = "A throwaway string nobody translated"


def test_every_catalogue_of_ours_is_complete_and_in_step_with_the_code():
    folders = catalogues.locale_dirs()
    assert catalogues.BASE_DIR / "locale" in folders
    found = [problem for folder in folders for problem in catalogues.problems(folder)]
    assert found == [], "\n".join(["Run `make messages`, then translate:", *found])


def test_the_extractor_reads_python_and_templates_with_plurals():
    messages = catalogues.extract(catalogues.BASE_DIR / "locale")
    assert ("", "people") in messages  # a model's verbose_name_plural
    assert ("", "Two-factor authentication") in messages  # {% translate %} in a template
    count = messages[("", "%(count)s record unpublished.")]
    assert count.plural == "%(count)s records unpublished."
    locked = [m for key, m in messages.items() if key[1].startswith("After %(limit)s failed")]
    assert locked and locked[0].plural  # {% blocktranslate count %}
    # Tests and migrations are not ours to translate.
    assert not any(
        where.startswith(("tests/", "fixtures/")) or "/migrations/" in where
        for message in messages.values()
        for where, _line in message.locations
    )


def test_django_uses_our_compiled_catalogues():
    with translation.override("be"):
        assert translation.gettext("people") == "асобы"
        # Django's own admin string, in the official orthography (Django's be: "Выйсьці").
        assert translation.gettext("Log out") == "Выйсці"
    with translation.override("ru"):
        assert translation.gettext("people") == "люди"
        assert translation.ngettext("entry", "entries", 5) == "записей"


# Taraškievica spellings that the official orthography does not use (docs/glossary.md).
TARASKIEVICA = re.compile(
    r"зьм|зьв|сьц|сьв|сьл|сьп|дзьв|ньн|льл|бясьп|пасьп|\bня\b|\bзь\b|\bбязь\b|\bпразь\b"
)


@pytest.mark.parametrize("domain", [catalogues.DOMAIN, catalogues.JS_DOMAIN])
def test_belarusian_is_in_the_official_orthography(domain):
    path = catalogues.po_path(catalogues.BASE_DIR / "locale", "be", domain)
    catalogue = polib.pofile(str(path))
    found = [
        (entry.msgid, text)
        for entry in catalogue.translated_entries()
        for text in (entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr])
        if TARASKIEVICA.search(text.lower())
    ]
    assert catalogue.translated_entries() and found == []


def admin_javascript(language: str) -> dict:
    """The admin's JavaScript catalogue, as its calendar and selection widgets read it (the
    admin's jsi18n view, as JSON)."""
    with translation.override(language):
        view = JSONCatalog.as_view(packages=["django.contrib.admin"])
        return json.loads(view(RequestFactory().get("/admin/jsi18n/")).content)


def test_the_admins_javascript_is_in_the_official_orthography():
    belarusian = admin_javascript("be")
    catalogue = belarusian["catalog"]
    # Django's own has "Сёньня", "Чацьвер", "Абярыце час", May as "Май", four plural forms.
    assert catalogue["Today"] == "Сёння" and catalogue["Now"] == "Цяпер"
    assert catalogue["Choose a time"] == "Выберыце час"
    assert catalogue["Thursday"] == "Чацвер"
    assert catalogue["abbrev. month May\x04May"] == "Тра"
    assert catalogue["%(sel)s of %(cnt)s selected"] == ["Выбрана %(sel)s з %(cnt)s"] * 3
    assert "n%100<10 || n%100>=20" in belarusian["plural"]  # our rule: three forms
    texts = [
        text
        for value in catalogue.values()
        for text in ([value] if isinstance(value, str) else value)
    ]
    assert not [text for text in texts if TARASKIEVICA.search(text.lower())]
    # Russian is Django's own, complete.
    assert admin_javascript("ru")["catalog"]["Today"] == "Сегодня"


# The check at work, on a small project of its own ---------------------------------------


@pytest.fixture
def project(tmp_path):
    """A project with one module, one template, and complete be/ru catalogues."""
    (tmp_path / "app" / "templates").mkdir(parents=True)
    (tmp_path / "app" / "models.py").write_text(
        textwrap.dedent(
            """
            from django.utils.translation import gettext_lazy as _, ngettext

            LABEL = _("detention")
            def counted(n):
                return ngettext("%(count)s person", "%(count)s people", n) % {"count": n}
            """
        )
    )
    (tmp_path / "app" / "templates" / "page.html").write_text(
        '{% load i18n %}<h1>{% translate "Release" %}</h1>'
    )
    locale = tmp_path / "locale"
    catalogues.update(locale)
    translations = {
        "detention": "затрыманне",
        "Release": "вызваленне",
        "%(count)s person": ["%(count)s асоба", "%(count)s асобы", "%(count)s асоб"],
    }
    for language in catalogues.LANGUAGES:
        translate(locale, language, translations)
    assert catalogues.problems(locale) == []
    return tmp_path


def translate(locale, language, translations):
    path = catalogues.po_path(locale, language)
    catalogue = polib.pofile(str(path))
    for entry in catalogue:
        text = translations.get(entry.msgid)
        if isinstance(text, list):
            entry.msgstr_plural = dict(enumerate(text))
        elif text is not None:
            entry.msgstr = text
    catalogue.save(str(path))
    catalogues.compile_catalogue(path)


def test_a_new_string_in_a_module_is_reported_until_translated(project):
    locale = project / "locale"
    (project / "app" / "throwaway.py").write_text(
        f'from django.utils.translation import gettext as _\nTEXT = _("{THROWAWAY}")\n'
    )
    assert catalogues.problems(locale) == [
        f"locale/{language}/LC_MESSAGES/django.po: missing (run `make messages`): "
        f"{THROWAWAY!r} (app/throwaway.py:2)"
        for language in catalogues.LANGUAGES
    ]
    catalogues.update(locale)  # make messages: now in the catalogue, untranslated
    assert catalogues.problems(locale) == [
        f"locale/{language}/LC_MESSAGES/django.po: not translated: "
        f"{THROWAWAY!r} (app/throwaway.py:2)"
        for language in catalogues.LANGUAGES
    ]
    for language in catalogues.LANGUAGES:
        translate(locale, language, {THROWAWAY: "Радок"})
    assert catalogues.problems(locale) == []


def test_a_new_string_in_a_template_is_reported(project):
    (project / "app" / "templates" / "other.html").write_text(
        "{% load i18n %}{% blocktranslate trimmed with name=person %}\n"
        "  Hello {{ name }}\n{% endblocktranslate %}"
    )
    found = catalogues.problems(project / "locale")
    assert len(found) == 2 and all("'Hello %(name)s'" in problem for problem in found)


def test_a_fuzzy_translation_counts_as_untranslated(project):
    path = catalogues.po_path(project / "locale", "be")
    catalogue = polib.pofile(str(path))
    catalogue.find("detention").flags.append("fuzzy")
    catalogue.save(str(path))
    catalogues.compile_catalogue(path)
    assert catalogues.problems(project / "locale") == [
        "locale/be/LC_MESSAGES/django.po: not translated: 'detention' (app/models.py:4)"
    ]


def test_a_string_gone_from_the_code_is_reported_until_made_obsolete(project):
    models = project / "app" / "models.py"
    models.write_text(models.read_text().replace('_("detention")', '_("arrest")'))
    found = catalogues.problems(project / "locale")
    gone = "no longer in the code (run `make messages`): 'detention'"
    assert f"locale/ru/LC_MESSAGES/django.po: {gone}" in found
    catalogues.update(project / "locale")
    catalogue = polib.pofile(str(catalogues.po_path(project / "locale", "ru")))
    assert catalogue.find("detention", include_obsolete_entries=True).obsolete  # kept as #~
    assert all("'arrest'" in problem for problem in catalogues.problems(project / "locale"))


def test_a_compiled_catalogue_that_differs_from_its_po_is_reported(project):
    path = catalogues.po_path(project / "locale", "ru")
    catalogue = polib.pofile(str(path))
    catalogue.find("Release").msgstr = "освобождение"
    catalogue.save(str(path))  # edited, not compiled
    assert catalogues.problems(project / "locale") == [
        "locale/ru/LC_MESSAGES/django.po: django.mo differs from django.po (run `make messages`)"
    ]


@pytest.mark.parametrize(
    "translation_text",
    [
        ["%(count)s асоба", "%(count)s асобы", "асоб"],  # a form without the number
        ["%(count)s асоба", "%(count)s асобы", "%(number)s асоб"],  # another name
        ["%(count)s асоба", "%(count)s асобы", "%s асоб"],
    ],
)
def test_placeholders_must_match_between_english_and_translation(project, translation_text):
    translate(project / "locale", "be", {"%(count)s person": translation_text})
    found = catalogues.problems(project / "locale")
    assert len(found) == 1 and found[0].startswith(
        "locale/be/LC_MESSAGES/django.po: placeholders differ: '%(count)s people'"
    )


def test_an_override_of_a_library_string_is_kept_and_not_reported(project):
    locale = project / "locale"
    path = catalogues.po_path(locale, "be")
    catalogue = polib.pofile(str(path))
    catalogue.append(
        polib.POEntry(msgid="Log out", msgstr="Выйсці", comment="Overrides the string of Django.")
    )
    catalogue.save(str(path))
    catalogues.compile_catalogue(path)
    assert catalogues.problems(locale) == []
    catalogues.update(locale)
    assert polib.pofile(str(path)).find("Log out").msgstr == "Выйсці"


def test_an_app_with_its_own_catalogue_is_checked_on_its_own(project):
    site = project / "site"
    shutil.copytree(project / "app", site)
    (site / "locale").mkdir()
    # The site's strings are not the project's to translate...
    (site / "views.py").write_text(
        f'from django.utils.translation import gettext as _\n_("{THROWAWAY}")\n'
    )
    assert catalogues.problems(project / "locale") == []
    assert site / "locale" in catalogues.locale_dirs(project)
    # ...but its own catalogue's: missing until `make messages` writes it.
    assert catalogues.problems(site / "locale") == [
        f"locale/{language}/LC_MESSAGES/django.po: missing (run `make messages`)"
        for language in catalogues.LANGUAGES
    ]


# The JavaScript catalogue: Django's admin strings re-translated in full ----------------------


@pytest.fixture
def js_project(project):
    """The project, with our Belarusian JavaScript catalogue of Django's admin strings."""
    locale = project / "locale"
    for suffix in (".po", ".mo"):
        real = catalogues.po_path(catalogues.BASE_DIR / "locale", "be", catalogues.JS_DOMAIN)
        shutil.copy(
            real.with_suffix(suffix),
            catalogues.po_path(locale, "be", "djangojs").with_suffix(suffix),
        )
    assert catalogues.problems(locale, js_overrides=catalogues.JS_OVERRIDES) == []
    return project


def test_a_javascript_string_of_django_missing_from_ours_is_reported_and_added(js_project):
    locale = js_project / "locale"
    path = catalogues.po_path(locale, "be", catalogues.JS_DOMAIN)
    catalogue = polib.pofile(str(path))
    catalogue.remove(catalogue.find("Today"))
    catalogue.save(str(path))
    catalogues.compile_catalogue(path)
    found = catalogues.problems(locale, js_overrides=catalogues.JS_OVERRIDES)
    assert found == ["locale/be/LC_MESSAGES/djangojs.po: missing (run `make messages`): 'Today'"]
    catalogues._update_js(locale, catalogues.LANGUAGES, catalogues.JS_OVERRIDES)
    assert catalogues.problems(locale, js_overrides=catalogues.JS_OVERRIDES) == [
        "locale/be/LC_MESSAGES/djangojs.po: not translated: 'Today'"
    ]


def test_a_fuzzy_or_uncompiled_javascript_translation_is_reported(js_project):
    locale = js_project / "locale"
    path = catalogues.po_path(locale, "be", catalogues.JS_DOMAIN)
    catalogue = polib.pofile(str(path))
    catalogue.find("Now").flags.append("fuzzy")
    catalogue.find("Noon").msgstr = "Апоўдні"
    catalogue.save(str(path))
    assert catalogues.problems(locale, js_overrides=catalogues.JS_OVERRIDES) == [
        "locale/be/LC_MESSAGES/djangojs.po: not translated: 'Now'",
        "locale/be/LC_MESSAGES/djangojs.po: djangojs.mo differs from djangojs.po "
        "(run `make messages`)",
    ]
