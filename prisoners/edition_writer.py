"""
The edition's writer: the public rule, applied once, when something is published.

The public reads only the edition (``edition.models``). A row of the edition is derived
from a record's *published version* (``PublishedVersion``, what a Reviewer last
published, kept while the working copy waits for review) by the rule that used to run on
every request:

1. the record has a published version;
2. every record it depends on (``public_parents``) is in the edition (a release needs its
   detention, which needs its person; a citation its source and the record it cites);
3. it does not identify a person whose name is withheld: such a person's name variants,
   identifiers and the citations of all their records are never written, and the fields
   in ``WITHHELD_MASKS`` are written masked (a birth date as its year, no photo…); the
   person's name is written as their public descriptor;
4. every free text is written redacted (``prisoners.redaction``): no withheld name is
   ever stored in the edition;
5. an optional link (``public_references``: an event's facility) is written only when
   the record it points to is in the edition; the edition's foreign keys clear it
   (``SET_NULL``) when that record leaves, and take parts down with their record
   (``CASCADE``).

Derived public rows are written with them: a person's status and custody periods from
their detentions in the edition, and their name in each script (``display_name_be``…).
``created_at`` of an edition row is when it was first published, ``updated_at`` when its
public values last changed: a save that changes nothing public moves neither.

Callers: only ``prisoners.publishing`` (the services) and the rebuild and check
commands. ``derive(model, ids)`` brings the edition rows of these records (and what
depends on them) in line with their versions; ``rebuild()`` does it for everything;
``differences()`` compares the edition with what the rule gives from scratch.
"""

from __future__ import annotations

import datetime
import decimal
from collections import defaultdict
from collections.abc import Iterable
from functools import cache, cached_property

from django.apps import apps
from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models.deletion import Collector
from django.db.models.fields.json import KeyTextTransform
from django.utils import timezone

from sources.models import Citation, Source
from tracker.lib import bulk
from tracker.lib.editorial import ReviewedModel
from tracker.lib.partial_dates import PartialDateField

from . import public, telling
from .choices import Script, Status
from .edition_schema import cited_models, mirrored_fields, mirrored_models
from .models import (
    CourtDecision,
    Detention,
    FacilityStay,
    Person,
    PersonName,
    PublishedVersion,
    Release,
)
from .redaction import Redactor
from .rule import IDENTIFYING, WITHHELD_MASKS, masked

# A person's own name fields: shown as they are (a published namesake of a withheld
# person keeps their name), never passed through the redactor.
OWN_NAMES = {Person: {"name"}, PersonName: {"name", "search_text", "search_key"}}

CHUNK = 2000

# What a person's derived rows (status, custody periods, names in each script, where they
# are held now) are read from: a change to any other row leaves them as they are.
_PERSON_DERIVED_FROM = {Person, PersonName, Detention, CourtDecision, Release, FacilityStay}
_PERSON_DERIVED_NAMES = frozenset(model.__name__ for model in _PERSON_DERIVED_FROM)


@cache
def edition_of(model: type[models.Model]) -> type[models.Model]:
    """The edition's table of an editorial model."""
    return apps.get_model("edition", model.__name__)


@cache
def record_type(model: type[models.Model]) -> str:
    """How the edition's citations name the model of the record they cite."""
    return model._meta.model_name


@cache
def _published_models() -> tuple[type[models.Model], ...]:
    """Parents before their parts; citations last (they may cite a record of any model)."""
    found = [m for m in mirrored_models() if issubclass(m, ReviewedModel)]
    found.remove(Citation)
    return (*found, Citation)


def _is_cited(model) -> bool:
    return any(
        isinstance(f, GenericRelation) and f.related_model is Citation
        for f in model._meta.private_fields
    )


# Fields the edition derives itself from the person's published records (``refresh_people``):
# the working copy's are derived from its working records, so a version never stores them
# (a published release would otherwise make the person "changed since publication").
DERIVED_BY_THE_EDITION = {Person: frozenset({"current_status", "status_since"})}


@cache
def _written_fields(model) -> tuple:
    """The fields a version stores: the mirrored ones the database does not compute and
    the edition does not derive."""
    derived = DERIVED_BY_THE_EDITION.get(model, frozenset())
    return tuple(f for f in mirrored_fields(model) if not f.generated and f.name not in derived)


def _owner_hop(model) -> tuple[str, str] | None:
    """(first parent field, path from that parent to the person) for a person's record."""
    if model is Person:
        return None
    for parent in model.public_parents:
        target = model._meta.get_field(parent).related_model
        path = _owner_path(target)
        if path is not None:
            return parent, path
    return None


@cache
def _owner_path(model) -> str | None:
    """The path from ``model`` to the person it belongs to ("" for Person), or None."""
    if model is Person:
        return ""
    hop = _owner_hop(model)
    if hop is None:
        return None
    parent, above = hop
    return f"{parent}__{above}" if above else parent


# Versions -----------------------------------------------------------------------------


def _json(value):
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def snapshot(record, model=None) -> dict:
    """The public fields of an editorial record (or of an entry of its history, with
    ``model``), as its published version stores them."""
    model = model or type(record)
    data = {
        f.attname: _json(f.value_from_object(record))
        for f in _written_fields(model)
        if hasattr(record, f.attname)  # a history leaves out derived fields (search keys)
    }
    if model is Citation:
        data["content_type_id"] = record.content_type_id
    return data


def content_type_of(model) -> ContentType:
    # ContentType's own cache, which Django clears when the table is flushed: a cache of
    # ours would keep ids that a flush (a test database's) has deleted.
    return ContentType.objects.get_for_model(model)


# Deriving the edition --------------------------------------------------------------------


def withheld_spellings() -> list[set]:
    """
    The spellings of every person whose name is withheld in the working copy or in the
    published version (an Editor's un-withholding waits for review; withholding does not):
    the display name and every name variant, in any state, with the published spelling of
    each variant (one renamed in review keeps hiding the name the public last saw).
    """
    # Three queries, each on a partial index of the few withheld (an OR of the two
    # conditions in one query would read every person), and one of their variants'
    # versions, by id.
    people: dict[int, set] = {}
    versions = PublishedVersion.objects.filter(
        content_type=content_type_of(Person), data__name_withheld=True
    ).values_list("object_id", KeyTextTransform("name", "data"))
    for object_id, name in versions:
        people.setdefault(object_id, set()).add((name or "", ""))
    working = Person.objects.filter(name_withheld=True).order_by().values_list("pk", flat=True)
    rows = (
        Person.objects.filter(pk__in={*people, *working})
        .order_by()
        .values_list("pk", "name", "names__pk", "names__name", "names__language")
    )
    owner_of = {}
    for pk, name, variant_pk, variant, language in rows:
        spellings = people.setdefault(pk, set())
        spellings.add((name, ""))
        if variant:
            spellings.add((variant, language or ""))
            owner_of[variant_pk] = pk
    published = PublishedVersion.objects.filter(
        content_type=content_type_of(PersonName), object_id__in=owner_of
    ).values_list(
        "object_id", KeyTextTransform("name", "data"), KeyTextTransform("language", "data")
    )
    for variant_pk, name, language in published:
        if name:
            people[owner_of[variant_pk]].add((name, language or ""))
    return list(people.values())


class _Context:
    """What one derivation reads once: the redactor and the time of this publication."""

    def __init__(self, now=None):
        self.now = now or timezone.now()
        self.people: set[int] = set()  # whose derived rows to refresh at the end
        self.changes = 0  # edition rows written or removed: a publication step or not

    @cached_property
    def redactor(self) -> Redactor:
        # Read when a text is first derived: every withheld person's spellings (0.2 s at
        # 100,000 people), which removing rows, as a take-down does, never needs.
        return Redactor(withheld_spellings())


def _present(model, ids: Iterable) -> set:
    ids = {i for i in ids if i is not None}
    if not ids:
        return set()
    return set(edition_of(model).objects.filter(pk__in=ids).values_list("pk", flat=True))


def _owners(model, rows: dict[int, dict]) -> dict[int, int | None]:
    """The person each row (by version data) belongs to, read from the edition."""
    if model is Person:
        return {pk: pk for pk in rows}
    hop = _owner_hop(model)
    if hop is None:
        return {}
    parent, path = hop
    attname = model._meta.get_field(parent).attname
    target = model._meta.get_field(parent).related_model
    parent_ids = {data[attname] for data in rows.values() if data.get(attname) is not None}
    if path:
        owner_of = dict(
            edition_of(target).objects.filter(pk__in=parent_ids).values_list("pk", path)
        )
    else:
        owner_of = {pk: pk for pk in parent_ids}
    return {pk: owner_of.get(data.get(attname)) for pk, data in rows.items()}


def _withheld(person_ids: Iterable) -> set:
    ids = {i for i in person_ids if i is not None}
    if not ids:
        return set()
    return set(
        edition_of(Person)
        .objects.filter(pk__in=ids, name_withheld=True)
        .values_list("pk", flat=True)
    )


def _cited_rows(rows: dict[int, dict]) -> dict[int, bool]:
    """For citations: whether the record each cites is in the edition and may be cited."""
    by_type: dict[int, dict[int, int]] = defaultdict(dict)
    for pk, data in rows.items():
        by_type[data["content_type_id"]][pk] = data["object_id"]
    result = {}
    for type_id, cites in by_type.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model not in _published_models():
            result.update(dict.fromkeys(cites, False))
            continue
        present = _present(model, cites.values())
        records = {object_id: {} for object_id in present}
        withheld = set()
        if _owner_path(model) is not None:
            path = _owner_path(model)
            owner_of = dict(
                edition_of(model).objects.filter(pk__in=present).values_list("pk", path or "pk")
            )
            hidden = _withheld(owner_of.values())
            withheld = {r for r, owner in owner_of.items() if owner in hidden}
        for pk, object_id in cites.items():
            result[pk] = object_id in records and object_id not in withheld
    return result


@cache
def redacted_fields(model) -> frozenset[str]:
    """
    The fields (attnames) whose texts the writer passes through the redactor: every text
    field of a version but a person's own name fields, choices and partial dates. Only
    these, and the texts that withhold a record whole (``telling``), can read differently
    when a spelling is withheld: what ``publishing`` reads to find the rows to derive again.
    """
    own = OWN_NAMES.get(model, set())
    found = {
        field.attname
        for field in _written_fields(model)
        if isinstance(field, models.CharField | models.TextField)
        and not field.is_relation
        and field.name not in own
        and not field.choices
        and not isinstance(field, PartialDateField)
    }
    telling_texts = telling.POLICIES.get(model)
    if telling_texts is not None:
        found |= {path for path in telling_texts.texts if "__" not in path}
    return frozenset(found)


def _public_values(model, data: dict, withheld: bool, context: _Context, extra=None) -> dict:
    # Rule 4, first the whole record: a source (event, figure, quote) whose texts name a
    # withheld person is withheld whole (``prisoners.telling``), then every text redacted.
    data = dict(telling.shown(context.redactor, model, {**data, **(extra or {})}))
    values = {}
    redacted = redacted_fields(model)
    masks = WITHHELD_MASKS.get(model, {}) if withheld else {}
    for field in _written_fields(model):
        value = data.get(field.attname)
        if value is not None and not field.is_relation:
            value = field.to_python(value)
        if field.name in masks:
            value = masked(masks[field.name], value)
        elif isinstance(value, str) and field.attname in redacted:
            value = context.redactor.text(value)
        if isinstance(value, str) and field.max_length and len(value) > field.max_length:
            value = value[: field.max_length]  # a redaction can lengthen a text past its column
        values[field.attname] = value
    if model is Person and withheld:
        values["name"] = context.redactor.text(data.get("public_descriptor") or "")
    if model is Citation:
        kind = record_type(ContentType.objects.get_for_id(data["content_type_id"]).model_class())
        values["record_type"] = kind
        for link in _citation_links():
            values[link] = data["object_id"] if link == f"{kind}_id" else None
    return values


@cache
def _citation_links() -> tuple[str, ...]:
    return tuple(f"{record_type(model)}_id" for model in cited_models())


def _source_texts(rows: dict, public: set) -> dict:
    """For citations: their sources' published texts, which may withhold a quote whole."""
    source_ids = {rows[pk]["source_id"] for pk in public}
    texts = {
        version.object_id: {
            f"source__{name}": version.data.get(name) for name in telling.SOURCE_TEXTS
        }
        for version in PublishedVersion.objects.filter(
            content_type=content_type_of(Source), object_id__in=source_ids
        )
    }
    return {pk: texts.get(rows[pk]["source_id"], {}) for pk in public}


def _compare_fields(model) -> list[str]:
    names = [f.attname for f in _written_fields(model)]
    if model is Citation:
        names += ["record_type", *_citation_links()]
    return names


def derive(model, ids: Iterable[int], context: _Context | None = None, follow=True) -> None:
    """
    Bring the edition rows of these records of ``model`` in line with their published
    versions and the rule (the module docstring), then what depends on them.
    """
    top = context is None
    context = context or _Context()
    ids = sorted(set(ids))
    for start in range(0, len(ids), CHUNK):
        _derive_chunk(model, ids[start : start + CHUNK], context, follow)
    if top:
        refresh_people(context.people)


def _derive_chunk(model, ids: list[int], context: _Context, follow: bool) -> None:
    target = edition_of(model)
    versions, rows = {}, {}
    for pk, data, first, last in PublishedVersion.objects.filter(
        content_type=content_type_of(model), object_id__in=ids
    ).values_list("object_id", "data", "first_published_at", "published_at"):
        versions[pk], rows[pk] = (first, last), data
    public = set(rows)
    # Rule 2: parents in the edition.
    for parent in model.public_parents:
        attname = model._meta.get_field(parent).attname
        present = _present(
            model._meta.get_field(parent).related_model, (d.get(attname) for d in rows.values())
        )
        public = {pk for pk in public if rows[pk].get(attname) in present}
    if model is Citation:
        cited = _cited_rows({pk: rows[pk] for pk in public})
        public = {pk for pk in public if cited.get(pk)}
    # Rule 3: who is withheld.
    owners = _owners(model, {pk: rows[pk] for pk in public})
    if model is Person:  # from the version itself: its edition row may not exist yet
        withheld_people = {pk for pk in public if rows[pk].get("name_withheld")}
    else:
        withheld_people = _withheld(owners.values())
    if model in IDENTIFYING:
        public = {pk for pk in public if owners.get(pk) not in withheld_people}
    # Rule 5: optional links.
    references = {}
    for field_name in model.public_references:
        field = model._meta.get_field(field_name)
        references[field.attname] = _present(
            field.related_model, (rows[pk].get(field.attname) for pk in public)
        )
    extras = _source_texts(rows, public) if model is Citation else {}
    existing = {row.pk: row for row in target.objects.filter(pk__in=ids)}
    create, update, added = [], [], []
    compare = _compare_fields(model)
    for pk in sorted(public):
        values = _public_values(
            model, rows[pk], owners.get(pk) in withheld_people, context, extras.get(pk)
        )
        for attname, present in references.items():
            if values.get(attname) not in present:
                values[attname] = None
        row = existing.get(pk)
        if row is None:
            first_published, last_published = versions[pk]
            values.update(id=pk, created_at=first_published, updated_at=last_published)
            create.append(values)
            added.append(pk)
        elif any(getattr(row, name) != values[name] for name in compare):
            for name, value in values.items():
                setattr(row, name, value)
            row.updated_at = context.now
            update.append(row)
    context.changes += len(create) + len(update)
    bulk.insert(target, create)
    bulk.update(target, update, [*compare, "updated_at"])
    gone = [pk for pk in existing if pk not in public]
    if gone:
        remove(model, gone, context)
    if model in _PERSON_DERIVED_FROM:
        context.people.update(o for o in owners.values() if o is not None)
    if follow and (added or update):
        changed = added + [row.pk for row in update]
        _follow(model, changed, context)


def _follow(model, ids: list[int], context: _Context) -> None:
    """Rows that depend on these records: their parts, the rows linking to them, their
    citations (a change of the person's withholding changes what of them may be shown)."""
    for dependent in _published_models():
        for name in (*dependent.public_parents, *dependent.public_references):
            field = dependent._meta.get_field(name)
            if field.related_model is model:
                pks = list(
                    dependent._default_manager.filter(**{f"{field.attname}__in": ids}).values_list(
                        "pk", flat=True
                    )
                )
                if pks:
                    derive(dependent, pks, context)
    if _is_cited(model):
        citations = Citation.objects.filter(
            content_type=content_type_of(model), object_id__in=ids
        ).values_list("pk", flat=True)
        pks = list(citations)
        if pks:
            derive(Citation, pks, context, follow=False)


def remove(model, ids: Iterable[int], context: _Context | None = None) -> None:
    """
    Take these rows of ``model`` out of the edition at once, with everything that goes
    with them: their parts (the edition's CASCADE) and the citations of all of those.
    """
    top = context is None
    context = context or _Context()
    target = edition_of(model)
    queryset = target.objects.filter(pk__in=list(ids))
    collector = Collector(using=queryset.db)
    collector.collect(queryset)
    doomed: dict = defaultdict(set)
    for doomed_model, rows in collector.data.items():
        doomed[doomed_model].update(row.pk for row in rows)
    for fast in collector.fast_deletes:
        doomed[fast.model].update(fast.values_list("pk", flat=True))
    for doomed_model, pks in doomed.items():
        name = doomed_model._meta.model_name
        if doomed_model.__name__ in _PERSON_DERIVED_NAMES:
            context.people.update(_edition_owners(doomed_model, pks))
        if doomed_model is not edition_of(Citation) and pks:
            edition_of(Citation).objects.filter(record_type=name, object_id__in=pks).delete()
    deleted, _ = queryset.delete()
    context.changes += deleted
    if top:
        refresh_people(context.people)


def _edition_owners(edition_model, pks) -> set:
    """The people these rows of the edition belong to, through their ``public_parents``."""
    path = public.owner_path(edition_model)
    lookup = f"{path}_id" if path else "pk"
    return set(edition_model.objects.filter(pk__in=pks).values_list(lookup, flat=True))


# Derived rows of people -------------------------------------------------------------------


def _display_names(person, names: list) -> dict:
    """A person's name in each script: the Belarusian spelling on Belarusian pages, the
    Russian on Russian pages, the Latin display name on English pages, each falling back
    to the others in that order."""
    if person.name_withheld:
        return dict.fromkeys(("be", "ru", "en"), person.name)
    cyrillic = [n for n in names if n.script == Script.CYRILLIC]
    by_language = {}
    for language in ("be", "ru"):
        match = next((n.name for n in cyrillic if n.language == language), "")
        by_language[language] = match
    latin = person.name
    if not any(c.isascii() and c.isalpha() for c in latin):
        latin = next((n.name for n in names if n.script == Script.LATIN), latin)
    return {
        "be": by_language["be"] or by_language["ru"] or person.name,
        "ru": by_language["ru"] or by_language["be"] or person.name,
        "en": latin,
    }


def _latest(rows, field: str):
    """The row that starts last (undated rows before dated ones, then by id)."""
    return max(
        rows,
        key=lambda row: (
            getattr(row, field) is not None,
            getattr(row, field) or datetime.date.min,
            row.pk,
        ),
        default=None,
    )


def _held_in(detentions) -> int | None:
    """
    Where a person in custody is held now: the facility of the last open stay (no end
    date) of their latest detention, detentions and stays ordered by their earliest
    possible start (undated first), then id; None when no open stay says where. The
    same definition as the CSV export's ``current_facility``.
    """
    latest = _latest(detentions, "started_on_earliest")
    if latest is None:
        return None
    stay = _latest(latest.facility_stays.all(), "started_on_earliest")
    return stay.facility_id if stay is not None else None


def refresh_people(person_ids: Iterable[int]) -> None:
    """Rewrite the derived rows of these people in the edition: status, custody periods,
    names in each script, where they are held now."""
    from .services import derive_status, refresh_custody_periods

    ids = sorted({pk for pk in person_ids if pk is not None})
    if not ids:
        return
    EPerson = edition_of(Person)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        people = list(EPerson.objects.filter(pk__in=chunk))
        detentions = defaultdict(list)
        EDetention = edition_of(Detention)
        for detention in EDetention.objects.filter(person_id__in=chunk).prefetch_related(
            models.Prefetch("releases", to_attr="published_releases"),
            models.Prefetch("decisions", to_attr="published_decisions"),
            models.Prefetch(
                "facility_stays", queryset=edition_of(FacilityStay).objects.filter(ended_on="")
            ),
        ):
            detentions[detention.person_id].append(detention)
        names = defaultdict(list)
        for name in edition_of(PersonName).objects.filter(person_id__in=chunk).order_by("pk"):
            names[name.person_id].append(name)
        changed = []
        for person in people:
            status, since = derive_status(detentions[person.pk])
            shown = _display_names(person, names[person.pk])
            new = {
                "current_status": status,
                "status_since": since,
                "display_name_be": shown["be"],
                "display_name_ru": shown["ru"],
                "display_name_en": shown["en"],
                "held_in_id": (
                    _held_in(detentions[person.pk]) if status == Status.IN_CUSTODY else None
                ),
            }
            if any(getattr(person, key) != value for key, value in new.items()):
                for key, value in new.items():
                    setattr(person, key, value)
                changed.append(person)
        if changed:
            bulk.update(EPerson, changed, list(new))
        refresh_custody_periods(person_ids=chunk)


# Whole edition ------------------------------------------------------------------------------


def rebuild(stdout=None) -> dict:
    """Derive the whole edition again from the published versions; return counts."""
    counts = {}
    with transaction.atomic():
        context = _Context()
        # Every table of the edition but its steps, emptied (what depends on a row is in
        # them): one statement each, and readers see the edition before until the commit.
        bulk.delete_all(edition_of(apps.get_model("prisoners", "CustodyPeriod")))
        for model in reversed(_published_models()):
            bulk.delete_all(edition_of(model))
        for model in _published_models():
            ids = list(
                PublishedVersion.objects.filter(content_type=content_type_of(model))
                .order_by("object_id")
                .values_list("object_id", flat=True)
            )
            derive(model, ids, context, follow=False)
            if any(
                model._meta.get_field(name).related_model is model
                for name in model.public_references
            ):
                derive(model, ids, context, follow=False)  # links to rows written after them
            counts[model.__name__] = edition_of(model).objects.count()
            if stdout is not None:
                stdout.write(f"{model.__name__}: {counts[model.__name__]} public of {len(ids)}")
        refresh_people(edition_of(Person).objects.values_list("pk", flat=True))
    return counts
