"""
The one public rule (``prisoners.public``), proved over every editorial model and every
public surface, both found by enumeration so that new ones are checked without a change
here.

For every model of the ``prisoners`` and ``sources`` apps with a ``state``, and every way
a record of it can be non-public (its own state draft or in review; each record it
depends on, ``public_parents`` recursively, made draft; its owning person's name withheld;
for a citation, the record it cites draft or a withheld person's), the test builds a small
published world around the record with the factories, reads every public surface, adds
the record, reads them all again, and requires that

- every answer is the same as before the record existed (lists, details of the records
  around it, filters given their ids, CSV exports, statistics, every file of the data
  package): nothing non-public is counted, linked or shown;
- a detail URL or an id filter given the id of a non-public record answers exactly as one
  given an id that does not exist, and so does a text filter given a text that only the
  non-public record holds;
- no marker (a unique string in every text field of the record, and the real name of a
  withheld person) appears in any answer; a withheld person's descriptor does.

The public website's pages are surfaces too (``SITE_*`` below): each kind of page, its
filters given the ids and values of the records, the Atom feeds (the site's, and each
person's and facility's) and the sitemaps. A page or a record's feed that is not public
answers exactly as a missing one (the site's 404 page, which does not depend on the
address), and a filter given a non-public id exactly as one given an id
that does not exist (the choice is not among the public ones: the same 400 page).

A withheld person's own records stay public with the fields of ``rule.WITHHELD_MASKS``
masked: for them only those fields, private fields and the person's name are forbidden.
"""

from __future__ import annotations

import io
import json
import sys
import uuid
import zipfile
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.urls import resolve
from django_filters import rest_framework as filters
from factory.django import DjangoModelFactory

from prisoners import public, rule
from prisoners.models import Facility, Person
from sources.models import Source
from tracker.api_urls import router
from tracker.lib.api_plumbing import IdFilter
from tracker.lib.editorial import EditorialState
from tracker.lib.partial_dates import PartialDateField
from website.filtersets import SitePersonFilterSet

from . import factories

PUBLISHED, DRAFT, IN_REVIEW = (
    EditorialState.PUBLISHED,
    EditorialState.DRAFT,
    EditorialState.IN_REVIEW,
)
MISSING = 987654321  # an id that no record has
NOBODY = "mknobodyhasthis"  # a text that no record has
STATS = ["/api/v1/stats/", "/api/v1/stats/in-custody/?from=2019-01-01&to=2026-12-31"]
DATAPACKAGE = "/exports/datapackage.zip"
# The website: every kind of page that shows records (in English: the facts are the same
# in every language; the about and downloads pages show none), the feed and the sitemaps
# of records.
SITE_PAGES = [
    "/en/",
    "/en/prisoners/",
    "/en/facilities/",
    "/en/letters/",
    "/en/sources/",
    "/en/feed/",
    "/sitemap-people.xml",
    "/sitemap-facilities.xml",
    "/sitemap-sources.xml",
]
# A record's pages: its page, and the Atom feed of its changes.
SITE_DETAILS = {
    Person: ["/en/prisoners/{}/", "/en/prisoners/{}/feed/"],
    Facility: ["/en/facilities/{}/", "/en/facilities/{}/feed/"],
    Source: ["/en/sources/{}/"],
}
FILLER = "filler"


# What there is to check -------------------------------------------------------------------


def editorial_models() -> list[type[models.Model]]:
    found = []
    for label in ("prisoners", "sources"):
        for model in apps.get_app_config(label).get_models():
            if model.__name__.startswith("Historical"):
                continue
            try:
                model._meta.get_field("state")
            except FieldDoesNotExist:
                continue
            found.append(model)
    return found


EDITORIAL = editorial_models()
FACTORIES = {
    factory._meta.model: factory
    for factory in vars(factories).values()
    if isinstance(factory, type)
    and issubclass(factory, DjangoModelFactory)
    and factory._meta.model is not None
}


def _join(prefix: str, name: str) -> str:
    return f"{prefix}__{name}" if prefix and name else prefix or name


def _related(model, path: str):
    for name in path.split("__"):
        model = model._meta.get_field(name).related_model
    return model


def parent_paths(model, prefix: str = ""):
    """Every path to a record this model's publication depends on, recursively."""
    for name in getattr(model, "public_parents", ()):
        path = _join(prefix, name)
        yield path
        yield from parent_paths(_related(model, name), path)


def generic_link(model) -> GenericForeignKey | None:
    """The generic foreign key of a citing model (a citation's ``record``), if any."""
    for field in model._meta.private_fields:
        if isinstance(field, GenericForeignKey):
            return field
    return None


def default_cited_model():
    """What a citing record cites when the situation is about the citation itself."""
    cited = rule.cited_models()
    return Person if Person in cited else cited[0]


@dataclass(frozen=True)
class Situation:
    name: str
    state: str = PUBLISHED  # the record's own state
    draft_parent: str | None = None  # the path of a parent made draft
    withheld: bool = False  # the record belongs to a person whose name is withheld
    cites_draft: bool = False  # for a citing model: it cites a draft record (of every model)
    cites_withheld: bool = False  # it cites a withheld person's record (of every model)


def situations(model):
    yield Situation("draft", state=DRAFT)
    yield Situation("in_review", state=IN_REVIEW)
    for path in parent_paths(model):
        yield Situation(f"draft_{path}", draft_parent=path)
    if public.owner_path(model) is not None:
        yield Situation("withheld", withheld=True)
    if generic_link(model) is not None:
        yield Situation("cites_draft_record", cites_draft=True)
        yield Situation("cites_withheld_persons_record", cites_withheld=True)


CASES = [
    pytest.param(model, situation, id=f"{model.__name__}-{situation.name}")
    for model in EDITORIAL
    for situation in situations(model)
]


@dataclass(frozen=True)
class Listing:
    """A public list (an API endpoint or a CSV export) and its filters."""

    url: str
    model: type | None  # the records it lists, when a detail URL goes with it
    id_filters: tuple[tuple[str, type], ...]  # (parameter, the model whose id it takes)
    # (parameter, the model and field it searches; None for a method filter)
    text_filters: tuple[tuple[str, tuple[type, str] | None], ...]
    unmapped: tuple[str, ...]
    filterset_class: type | None = None
    value_filters: tuple[tuple[str, type, str], ...] = ()  # (parameter, model, field)


# Filters that take a value of a record other than its id: what they mean is in their
# method, so this one mapping is written by hand (test_value_filters_exist checks it).
VALUE_FILTERS = {
    "article": ("prisoners.CriminalArticle", "number"),
    "recognized_by": ("sources.Organisation", "slug"),
}
VALUE_FIELDS = {(apps.get_model(label), field) for label, field in VALUE_FILTERS.values()}


def editorial(model):
    """The editorial model of an edition model (the public side reads the edition's tables,
    which have the same names): the records this test builds are editorial."""
    if model is None or model._meta.app_label != "edition":
        return model
    for label in ("prisoners", "sources"):
        try:
            return apps.get_model(label, model.__name__)
        except LookupError:
            continue
    return model


def filter_target(filterset_model, name: str, flt) -> type | None:
    """The model whose id an IdFilter takes: from its field path, else from its name."""
    model = filterset_model
    try:
        for part in (flt.field_name or name).split("__"):
            if part in ("pk", "id"):
                return editorial(model)
            field = model._meta.get_field(part)
            if not field.is_relation:
                raise FieldDoesNotExist(part)
            model = field.related_model
        return editorial(model)
    except (FieldDoesNotExist, AttributeError):
        # A method filter, e.g. ``facility`` on people: the model of that name.
        by_name = {m._meta.model_name: m for m in EDITORIAL}
        return by_name.get(name.removesuffix("_id"))


def text_target(model, flt) -> tuple[type, str] | None:
    """The model and field a text filter searches, or None for a method filter."""
    if flt.method is not None:
        return None
    *path, name = flt.field_name.split("__")
    for part in path:
        model = model._meta.get_field(part).related_model
    return editorial(model), name


def listing(url: str, model, filterset_class) -> Listing:
    id_filters, text_filters, unmapped = [], [], []
    if filterset_class is not None:
        for name, flt in filterset_class.base_filters.items():
            if isinstance(flt, IdFilter):
                target = filter_target(filterset_class._meta.model, name, flt)
                if target is None:
                    unmapped.append(name)
                else:
                    id_filters.append((name, target))
            elif type(flt) is filters.CharFilter:
                text_filters.append((name, text_target(filterset_class._meta.model, flt)))
    value_filters = tuple(
        (name, apps.get_model(label), field)
        for name, (label, field) in VALUE_FILTERS.items()
        if filterset_class is not None and name in filterset_class.base_filters
    )
    return Listing(
        url,
        model,
        tuple(id_filters),
        tuple(text_filters),
        tuple(unmapped),
        filterset_class,
        value_filters,
    )


@cache
def api_listings() -> tuple[Listing, ...]:
    return tuple(
        listing(f"/api/v1/{prefix}/", editorial(viewset.queryset.model), viewset.filterset_class)
        for prefix, viewset, _ in router.registry
    )


@cache
def site_listings() -> tuple[Listing, ...]:
    """The website's filtered pages: the list of people (the API's filters) and the
    letters page (by facility)."""
    letters = Listing("/en/letters/", None, (("facility", Facility),), (), ())
    return (listing("/en/prisoners/", None, SitePersonFilterSet), letters)


@cache
def export_listings() -> tuple[Listing, ...]:
    view = resolve("/exports/any.csv").func
    exports = sys.modules[view.__module__].EXPORTS
    return tuple(
        listing(f"/exports/{slug}.csv", None, export.filterset_class)
        for slug, export in exports.items()
    )


def test_every_id_filter_is_mapped_to_a_model():
    listings = api_listings() + export_listings()
    unmapped = [f"{item.url}?{name}" for item in listings for name in item.unmapped]
    assert not unmapped, "IdFilters whose model this test cannot tell: " + ", ".join(unmapped)


def test_value_filters_exist():
    names = {name for item in api_listings() for name, _, _ in item.value_filters}
    assert names == set(VALUE_FILTERS), set(VALUE_FILTERS) - names


def test_every_model_has_a_factory_and_every_situation_is_enumerated():
    assert set(EDITORIAL) <= set(FACTORIES), set(EDITORIAL) - set(FACTORIES)
    assert len(CASES) > 3 * len(EDITORIAL)


# Markers ----------------------------------------------------------------------------------

_LETTERS = "bcdfghjklmnpqrstvwxz"


def marker(prefix: str = "mk") -> str:
    """A unique word of letters only (so that name matching treats it as one word)."""
    bits = uuid.uuid4().int
    return prefix + "".join(_LETTERS[(bits >> (5 * i)) % len(_LETTERS)] for i in range(12))


def number_marker() -> str:
    """A unique number, for a field that a filter takes as a number (an article)."""
    return str(10**11 + uuid.uuid4().int % 10**11)


def text_fields(model):
    """The editable, free text fields of a model (no choices, no partial dates)."""
    for field in model._meta.concrete_fields:
        if not isinstance(field, models.CharField | models.TextField):
            continue
        if isinstance(field, PartialDateField) or field.choices or not field.editable:
            continue
        yield field


def fits(field, value: str) -> bool:
    return field.max_length is None or len(value) <= field.max_length


def is_private(field) -> bool:
    """Never public, whatever the record: editors' notes, contacts of relatives."""
    help_text = str(field.help_text or "")
    return (
        field.name == "editors_notes"
        or field.name.startswith("private_")
        or help_text.startswith("Private")
    )


# The world around one record --------------------------------------------------------------


class World:
    """The records under test (one, or for a citing model one per cited model) and the
    published records around them."""

    def __init__(self, model, situation: Situation):
        self.model = model
        self.situation = situation
        self.by_path: dict[str, models.Model] = {}
        self.forbidden: dict[str, str] = {}  # marker → where it was put
        # Texts only non-public data holds, with the model and field that hold them (None:
        # a withheld name, which no text filter may find anywhere).
        self.search_terms: list[tuple[str, tuple[type, str] | None]] = []
        self.descriptors: dict[str, str] = {}  # withheld name → descriptor
        self.withheld_people: list[models.Model] = []
        self.pending: list[tuple[str, dict]] = []  # (label, links) of the records to create
        self.records: list[models.Model] = []
        self.hidden_context: list[models.Model] = []  # non-public records around them
        self.referrers: list[tuple[models.Model, str]] = []

    # building

    def build(self, model, path: str, overrides: dict, chain: tuple) -> models.Model:
        kwargs = self.parents(model, path, overrides, chain)
        kwargs.update(overrides.get(path, {}))
        if model not in FACTORIES:
            raise AssertionError(f"No factory for {model.__name__} in tests/factories.py")
        instance = FACTORIES[model](**kwargs)
        self.by_path[path] = instance
        return instance

    def parents(self, model, prefix: str, overrides: dict, chain: tuple) -> dict:
        """Published records for every foreign key (required ones and optional links)."""
        kwargs = {}
        for field in model._meta.concrete_fields:
            if not field.many_to_one or field.related_model is ContentType:
                continue
            target = field.related_model
            if field.null and target in chain:
                continue  # an optional link back into the chain (a figure's part_of)
            path = _join(prefix, field.name)
            kwargs[field.name] = self.build(target, path, overrides, (*chain, target))
        return kwargs

    def overrides(self, model, prefix: str = "", *, withheld: bool) -> dict:
        result = {}
        if self.situation.draft_parent:
            result[_join(prefix, self.situation.draft_parent)] = {"state": DRAFT}
        if withheld:
            result[_join(prefix, public.owner_path(model))] = self.withheld_owner()
        return result

    def withheld_owner(self) -> dict:
        given, surname = marker("Zq"), marker("Xv")
        self.full_name = f"{given} {surname}"
        for word in (self.full_name, given, surname):
            self.forbid(word, "a withheld name")
        self.search_terms += [(self.full_name, None), (surname, None)]
        descriptor = self.descriptors[self.full_name] = f"descriptor {marker('dd')}"
        return {"name": self.full_name, "name_withheld": True, "public_descriptor": descriptor}

    def forbid(self, value: str, where: str) -> None:
        self.forbidden[value] = where

    def identify_withheld_people(self) -> None:
        """Name variants, an identifier and a citation of each withheld person: none public."""
        for person in [*self.by_path.values(), *self.records]:
            if not getattr(person, "name_withheld", False) or person in self.withheld_people:
                continue
            self.withheld_people.append(person)
            for n in range(2):
                variant = f"{marker('Yw')} {marker('Wy')}"
                factories.PersonNameFactory(person=person, name=variant)
                self.forbid(variant, f"a withheld person's variant {n}")
                self.search_terms.append((variant, None))
            identifier = marker()
            factories.PersonIdentifierFactory(
                person=person,
                identifier=identifier,
                url=f"https://ids.example.org/{marker()}",
                external_status=marker(),
            )
            self.forbid(identifier, "a withheld person's identifier")
            quote = marker()
            factories.CitationFactory(
                record=person,
                source=factories.SourceFactory(title=f"Trial of {person.name}"),
                quote=quote,
            )
            self.forbid(quote, "a citation of a withheld person")

    def build_context(self) -> None:
        """Everything around the records, all published unless the situation says."""
        model, situation = self.model, self.situation
        overrides = self.overrides(model, withheld=situation.withheld)
        links = self.parents(model, "", overrides, (model,))
        link = generic_link(model)
        if link is None:
            self.pending.append((model.__name__, {**links, **overrides.get("", {})}))
        elif not (situation.cites_draft or situation.cites_withheld):
            cited = default_cited_model()
            links[link.name] = self.build(cited, link.name, {}, (cited,))
            self.pending.append((model.__name__, links))
        else:
            # One record under test per model it can cite: a draft record of that model, or
            # one that belongs to a withheld person.
            for cited in rule.cited_models():
                if situation.cites_withheld and public.owner_path(cited) is None:
                    continue
                path = f"{link.name}_{cited._meta.model_name}"
                cited_overrides = self.overrides(cited, path, withheld=situation.cites_withheld)
                if situation.cites_draft:
                    cited_overrides[path] = {"state": DRAFT}
                instance = self.build(cited, path, cited_overrides, (cited,))
                if situation.cites_draft:
                    self.hidden_context.append(instance)
                label = f"{model.__name__} of {cited.__name__}"
                self.pending.append((label, {**links, link.name: instance}))
        if situation.draft_parent:
            parts = situation.draft_parent.split("__")
            self.hidden_context += [
                self.by_path["__".join(parts[: i + 1])] for i in range(len(parts))
            ]
        self.identify_withheld_people()
        # Published records whose optional link (public_references) will point to the record.
        for referrer in EDITORIAL:
            for name in getattr(referrer, "public_references", ()):
                if referrer._meta.get_field(name).related_model is not model:
                    continue
                path = f"referrer_{referrer._meta.model_name}_{name}"
                values = {name: None}
                for field in text_fields(referrer):
                    if field.blank and not isinstance(field, models.URLField | models.SlugField):
                        values[field.name] = FILLER
                instance = self.build(referrer, path, {path: values}, (referrer, model))
                self.referrers.append((instance, name))

    def create_records(self) -> None:
        for label, links in self.pending:
            self.records.append(self.create_record(label, links))
        self.identify_withheld_people()  # when the record is the withheld person
        for instance, name in self.referrers:
            setattr(instance, name, self.records[0])
            instance.save()  # published: the edition links it where the record is public

    def create_record(self, label: str, links: dict) -> models.Model:
        model, situation = self.model, self.situation
        masked = rule.WITHHELD_MASKS.get(model, {}) if situation.withheld else {}
        values = {}
        for field in text_fields(model):
            if field.name in links:
                continue  # a withheld person's name and descriptor
            mark = marker() if (model, field.name) not in VALUE_FIELDS else number_marker()
            if not fits(field, mark):
                continue
            value = f"https://example.org/{mark}" if isinstance(field, models.URLField) else mark
            if situation.withheld and not self.record_hidden:
                # Public, with the name in its texts: the name must be redacted, and only
                # masked and private fields are forbidden.
                named = f"{value} {self.full_name}"
                if not isinstance(field, models.URLField | models.SlugField) and fits(field, named):
                    value = named
                if field.name in masked or is_private(field):
                    self.forbid(mark, f"{label}.{field.name}")
            else:
                self.forbid(mark, f"{label}.{field.name}")
                self.search_terms.append((mark, (model, field.name)))
            values[field.name] = value
        return FACTORIES[model](**{**values, **links, "state": situation.state})

    # what is public

    @property
    def record_hidden(self) -> bool:
        """False only for a withheld person's own records other than those that name them."""
        if self.situation.withheld:
            return self.model in rule.IDENTIFYING
        return True

    def hidden(self) -> list[models.Model]:
        """The non-public records: those under test, and any non-public one around them."""
        return (self.records if self.record_hidden else []) + self.hidden_context


# Reading the surfaces ---------------------------------------------------------------------


def read(client, url: str) -> dict[str, tuple[int, bytes]]:
    response = client.get(url)
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if url != DATAPACKAGE or response.status_code != 200:
        return {url: (response.status_code, content)}
    answers = {}
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            data = archive.read(name)
            if name == "datapackage.json":
                descriptor = json.loads(data)
                descriptor.pop("created", None)  # the time of writing
                descriptor.pop("edition", None)  # the latest step: any publication moves it
                data = json.dumps(descriptor, sort_keys=True).encode()
            answers[f"{url}!{name}"] = (response.status_code, data)
    return answers


def detail_urls(instance, pk=None) -> list[str]:
    pk = instance.pk if pk is None else pk
    urls = [f"{item.url}{pk}/" for item in api_listings() if item.model is type(instance)]
    urls += [template.format(pk) for template in SITE_DETAILS.get(type(instance), [])]
    return urls


def filter_urls(instance, *, missing=False, listings=None) -> list[str]:
    """The lists filtered by this record's id (or value): or, with ``missing``, by an id
    (a value) that no record has."""
    urls = []
    for item in listings or api_listings() + export_listings() + site_listings():
        for name, target in item.id_filters:
            if target is type(instance):
                urls.append(f"{item.url}?{urlencode({name: MISSING if missing else instance.pk})}")
        for name, target, field in item.value_filters:
            if target is type(instance):
                value = getattr(instance, field)
                if missing:
                    value = str(MISSING) if value.isdigit() else NOBODY
                urls.append(f"{item.url}?{urlencode({name: value})}")
    return urls


@cache
def own_filter_listings() -> tuple[Listing, ...]:
    """
    The API lists, and the exports whose filters no API list has. An export that takes an
    API list's FilterSet is given the ids of the non-public records only (check 2), to
    keep the test fast: the ids of the public records around them go to the API list.
    """
    api_filters = {item.filterset_class for item in api_listings()}
    return api_listings() + tuple(
        item for item in export_listings() if item.filterset_class not in api_filters
    )


def surfaces(records) -> list[str]:
    """Every list and export, the statistics, the data package, and the details of these
    records and the lists filtered by their ids."""
    urls = [item.url for item in api_listings() + export_listings()] + STATS + [DATAPACKAGE]
    urls += SITE_PAGES
    for instance in records:
        urls += detail_urls(instance)
        urls += filter_urls(instance, listings=own_filter_listings() + site_listings())
    return list(dict.fromkeys(urls))


def searches(item: Listing, target, origin) -> bool:
    """
    Whether a text filter could find a term: a field filter the terms of its own field, a
    method filter (``q``) those of its list's model and of models that point to it (a name
    variant to its person); a withheld name by any filter.
    """
    if origin is None:
        return True
    if target is not None:
        return target == origin
    model = origin[0]
    return model is item.model or any(
        field.many_to_one and field.related_model is item.model
        for field in model._meta.concrete_fields
    )


def difference(expected, got, first="before", second="after") -> str:
    """Where two answers part, with a little of each around that place."""
    if got is None:
        return "  (not read)"
    (status_a, body_a), (status_b, body_b) = expected, got
    a, b = body_a.decode("utf-8", "replace"), body_b.decode("utf-8", "replace")
    pairs = enumerate(zip(a, b, strict=False))
    at = next((i for i, (x, y) in pairs if x != y), min(len(a), len(b)))
    start = max(0, at - 60)
    return (
        f"  {first}: {status_a} …{a[start : at + 240]!r}\n"
        f"  {second}: {status_b} …{b[start : at + 240]!r}"
    )


def short(answer: tuple[int, bytes] | None) -> str:
    if answer is None:
        return "(not read)"
    status, body = answer
    text = body.decode("utf-8", "replace")
    return f"{status} {text[:300]}{'…' if len(text) > 300 else ''}"


@pytest.mark.django_db
@pytest.mark.parametrize(("model", "situation"), CASES)
def test_no_public_surface_shows_a_non_public_record(client, model, situation):
    world = World(model, situation)
    world.build_context()
    context = list(world.by_path.values())
    compare_before = world.record_hidden
    before = {}
    if compare_before:
        for url in surfaces(context):
            before.update(read(client, url))

    world.create_records()
    after = {}
    for url in surfaces([*context, *world.records]):
        after.update(read(client, url))

    problems = []
    # 1. Nothing changed on any public surface.
    for key, answer in before.items():
        if after.get(key) != answer:
            problems.append(f"{key}: changed\n{difference(answer, after.get(key))}")

    # 2. A non-public id answers like a missing one, on details and id filters alike.
    for instance in world.hidden():
        pairs = [
            *zip(detail_urls(instance), detail_urls(instance, MISSING), strict=True),
            *zip(filter_urls(instance), filter_urls(instance, missing=True), strict=True),
        ]
        for url, missing in pairs:
            shown = after.get(url) or read(client, url)[url]
            absent = read(client, missing)[missing]
            if shown != absent:
                problems.append(
                    f"{url} ({type(instance).__name__} {instance.pk}, not public): "
                    f"differs from a missing id\n{difference(absent, shown, 'missing', 'got')}"
                )

    # 3. A text only non-public data holds finds what a text nobody holds finds.
    for item in api_listings():
        for name, target in item.text_filters:
            terms = [term for term, origin in world.search_terms if searches(item, target, origin)]
            if not terms:
                continue
            nobody = f"{item.url}?{urlencode({name: marker()})}"
            absent = read(client, nobody)[nobody]
            for term in terms:
                url = f"{item.url}?{urlencode({name: term})}"
                shown = read(client, url)[url]
                if shown != absent:
                    problems.append(
                        f"{url}: finds what only non-public data holds\n  got: {short(shown)}"
                    )

    # 4. No marker anywhere.
    for key, (_, body) in after.items():
        text = body.decode("utf-8", "replace").lower()
        for mark, where in world.forbidden.items():
            if mark.lower() in text:
                problems.append(f"{key}: shows {where} ({mark})")

    # 5. A withheld person is shown by their descriptor.
    for person in world.withheld_people:
        for url in detail_urls(person):
            status, body = after.get(url) or read(client, url)[url]
            if status != 200 or world.descriptors[person.name] not in body.decode():
                problems.append(f"{url}: the withheld person's descriptor is not shown ({status})")

    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems)
