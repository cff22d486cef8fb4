"""
Withheld means unfindable, checked as an outsider would: a withheld person's surname is
planted, in every form a reader would still read as the name (``FORMS``: the stored
spellings, inflections, other transliterations, a homoglyph, initials, and the forms that
hide in the characters: soft hyphens, zero-width characters, bidi controls, fullwidth
letters, a hyphen or a space inside the word, letter-spacing in Latin and Cyrillic,
percent-encoded URLs), into every free text field of every public model. Then every
public surface is read (each API list and detail, every CSV export, every file of the
data package, the site's pages and record pages, the feed, the sitemaps, the statistics),
and each answer is read the way a reader or a search engine reads it (``readable``: HTML
entities and percent escapes decoded, NFKC, invisible characters gone, every letter of
the page run together and transliterated): no spelling or stem of the surname may be
found in it, whole or in parts.

Everything is built once and read once (one world, every form in it), so the test takes
seconds: a form that leaks shows in the failure with the text around it.
"""

from __future__ import annotations

import html
import io
import json
import re
import unicodedata
import zipfile
from urllib.parse import quote, unquote

import pytest
from anyascii import anyascii
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from factory.django import DjangoModelFactory

from prisoners import telling
from prisoners.exports import EXPORTS
from prisoners.models import CriminalArticle, Facility, Person, PersonName
from sources.models import Citation, Source
from tracker.lib.partial_dates import PartialDateField

from . import factories
from .api_resources import RESOURCES

pytestmark = pytest.mark.django_db

SURNAME = "Kvyatkovsky"
# Each form a reader (or a search engine) reads as the surname.
FORMS = {
    "stored": "Kvyatkovsky",
    "cyrillic_inflected": "Квятковского",
    "belarusian": "Квяткоўскаму",
    "polish": "Kwiatkowski",
    "homoglyph": "Kvyatk\u043evsky",  # a Cyrillic о
    "initials": "A. Kvyatkovsky",
    "soft_hyphen": "Kvyat\u00adkov\u00adsky",
    "zero_width": "Kvy\u200bat\u200ckov\u200dsky\u2060",
    "bidi": "\u202eKvyatkovsky\u202c",
    "variation_selector": "Kvyat\ufe0fkovsky",
    "fullwidth": "Ｋｖｙａｔｋｏｖｓｋｙ",
    "hyphen_inside": "Kvyat-kovsky",
    "space_inside": "Kvyat kovsky",
    "line_end_hyphen": "Kvyat-\nkovsky",
    "letter_spaced": "K v y a t k o v s k y",
    "letter_spaced_cyrillic": "К в я т к о в с к и й",
    "soft_hyphen_cyrillic": "Квят\u00adковский",
}
# In URL fields, and as URLs in texts: percent-encoded, as a browser's address bar shows.
URL_FORMS = {
    "url_soft_hyphen": "https://news.example.org/kvyat%C2%ADkovsky-detained",
    "url_cyrillic": "https://news.example.org/" + quote("Квят\u200bковский"),
    "url_slug": "https://news.example.org/2021/kvyat-kovsky",
    "url_query": "https://news.example.org/?q=kvyat+kovsky",
}
# What must not be found in a page's letters run together (transliterated to ASCII):
# the surname's spellings and the pieces a partial redaction would leave.
STEMS = ("kvyat", "kviat", "kwiat", "kvjat", "tkovsk", "tkowsk", "tkousk")
# Fields whose value is not a free text: a person's own name (never redacted: it is
# theirs), codes, identifiers of a fixed shape.
NOT_FREE_TEXT = {
    (Person, "name"),
    (Person, "public_descriptor"),
    (PersonName, "name"),
    (Citation, "field"),
    (CriminalArticle, "number"),
}
# Free texts the public never sees (planted all the same).
NOT_SHOWN = {(PersonName, "note")}
# Values some fields need beside the planted texts (a stated value belongs to a field).
NEEDS = {Citation: {"field": "biography"}}

SITE_PAGES = [
    "/en/",
    "/en/prisoners/",
    "/en/facilities/",
    "/en/letters/",
    "/en/sources/",
    "/en/feed/",
    "/sitemap.xml",
    "/sitemap-people.xml",
    "/sitemap-facilities.xml",
    "/sitemap-sources.xml",
]
SITE_DETAILS = {
    Person: "/en/prisoners/{}/",
    Facility: "/en/facilities/{}/",
    Source: "/en/sources/{}/",
}
STATS = ["/api/v1/stats/", "/api/v1/stats/in-custody/?from=2019-01-01&to=2026-12-31"]

FACTORIES = {
    factory._meta.model: factory
    for factory in vars(factories).values()
    if isinstance(factory, type)
    and issubclass(factory, DjangoModelFactory)
    and factory._meta.model is not None
}


def public_models() -> list[type[models.Model]]:
    """Every editorial model of the apps (those with a state), as the public rule's test."""
    found = []
    for label in ("prisoners", "sources"):
        for model in apps.get_app_config(label).get_models():
            try:
                model._meta.get_field("state")
            except FieldDoesNotExist:
                continue
            if not model.__name__.startswith("Historical"):
                found.append(model)
    return found


def free_text_fields(model):
    """The editable free text fields of a model shown to the public (no choices, dates,
    slugs, private fields or editors' notes)."""
    for field in model._meta.concrete_fields:
        if not isinstance(field, models.CharField | models.TextField):
            continue
        if isinstance(field, PartialDateField | models.SlugField) or field.choices:
            continue
        if not field.editable or (model, field.name) in NOT_FREE_TEXT:
            continue
        private = field.name == "editors_notes" or field.name.startswith("private_")
        if private or str(field.help_text or "").startswith("Private"):
            continue
        yield field


def planted(field, offset: int, marker: str) -> str | None:
    """A field's value: its marker and the forms that fit, from ``offset`` on (so that every
    form lands in some field of every model); None if not even one fits."""
    if isinstance(field, models.URLField):
        urls = list(URL_FORMS.values())
        return urls[offset % len(urls)]
    forms = list(FORMS.values()) + list(URL_FORMS.values())
    parts = [marker]
    for index in range(len(forms)):
        sentence = f"{forms[(offset + index) % len(forms)]} note."
        if field.max_length and len(" ".join([*parts, sentence])) > field.max_length:
            break
        parts.append(sentence)
    return " ".join(parts) if len(parts) > 1 else None


def readable(text: str) -> str:
    """A page as a reader or a search engine reads it: entities and percent escapes
    decoded, NFKC, no invisible character, every letter run together, in ASCII."""
    text = unquote(html.unescape(text))
    text = "".join(
        char
        for char in unicodedata.normalize("NFKC", text)
        if unicodedata.category(char) not in ("Cf", "Mn") and not 0xFE00 <= ord(char) <= 0xFE0F
    )
    return re.sub(r"[^a-z]+", "", anyascii(text).lower())


class World:
    """A withheld person, and every public model's record with the surname planted."""

    def __init__(self):
        self.withheld = factories.PersonFactory(
            name="Aliaksei Kvyatkovsky", name_withheld=True, public_descriptor="a programmer"
        )
        for spelling, language, script in (
            ("Аляксей Квяткоўскі", "be", "Cyrl"),
            ("Алексей Квятковский", "ru", "Cyrl"),
        ):
            factories.PersonNameFactory(
                person=self.withheld, name=spelling, language=language, script=script
            )
        self.records: list[models.Model] = []
        self.markers: dict[str, tuple[type, str]] = {}
        for number, model in enumerate(public_models()):
            values = {}
            for offset, field in enumerate(free_text_fields(model)):
                marker = f"zq{model.__name__.lower()}{field.name.replace('_', '')}x"
                value = planted(field, number + offset, marker)
                if value is None:
                    continue
                values[field.name] = value
                shown = (model, field.name) not in NOT_SHOWN
                if shown and not isinstance(field, models.URLField):
                    self.markers[marker] = (model, field.name)
            self.records.append(FACTORIES[model](**values, **NEEDS.get(model, {})))

    def urls(self) -> list[str]:
        urls = [f"/api/v1/{prefix}/?limit=500" for prefix in RESOURCES]
        urls += [f"/exports/{slug}.csv" for slug in EXPORTS]
        urls += ["/exports/datapackage.zip", *SITE_PAGES, *STATS]
        by_model = {model: prefix for prefix, model in RESOURCES.items()}
        for model in {type(record) for record in self.records}:
            ids = model.objects.values_list("pk", flat=True)
            if model in by_model:
                urls += [f"/api/v1/{by_model[model]}/{pk}/" for pk in ids]
            if model in SITE_DETAILS:
                urls += [SITE_DETAILS[model].format(pk) for pk in ids]
        return urls


def read(client, url: str) -> dict[str, str]:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if not url.endswith(".zip"):
        return {url: body.decode()}
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        return {f"{url}!{name}": archive.read(name).decode() for name in archive.namelist()}


def context(text: str, stem: str) -> str:
    """Where a stem was found, in the answer as sent (for the failure message)."""
    for form in [*FORMS.values(), *URL_FORMS.values()]:
        for piece in (form, json.dumps(form)[1:-1], html.escape(form)):
            at = text.find(piece)
            if at >= 0 and stem in readable(piece):
                return repr(text[max(0, at - 60) : at + len(piece) + 60])
    return "(found only when the letters are run together)"


def test_no_form_of_a_withheld_name_is_found_on_any_public_surface(client):
    world = World()
    answers: dict[str, str] = {}
    for url in world.urls():
        answers.update(read(client, url))

    problems = []
    for key, text in answers.items():
        letters = readable(text)
        for stem in STEMS:
            if stem in letters:
                problems.append(f"{key}: “{stem}” readable: {context(text, stem)}")
    assert not problems, f"{len(problems)} leak(s):\n" + "\n".join(problems)

    # The texts were there to be read: each model's planted fields show (those a record
    # withheld whole hides excepted), with the surname redacted in them.
    everything = "\n".join(answers.values())
    seen = {model for marker, (model, _field) in world.markers.items() if marker in everything}
    expected = {
        model
        for model, field in world.markers.values()
        if field.split("_")[0] not in telling.POLICIES.get(model, telling.Policy(())).hidden
    }
    assert expected <= seen, sorted(model.__name__ for model in expected - seen)
    assert "[name withheld]" in everything and "[withheld]" in everything
