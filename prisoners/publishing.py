"""
Publishing: the one door between the editors' working copies and the published edition.

Every route that changes what the public may read goes through these services: the
admin's forms, inlines, popups, actions and history reverts, the importers, ``loaddata``
and the shell. What they do:

- **A record saved in the published state is published** (``record_saved``): its public
  fields become its published version (``PublishedVersion``) and the edition is derived
  from it in the same transaction (``prisoners.edition_writer``). Only Reviewers can save
  a published state (``tracker.lib.editorial_admin``), so this is a Reviewer's decision
  whatever the route; a save that changes nothing public writes nothing.
- **A record saved in any other state leaves the public alone:** an Editor's change to a
  published record sends the working copy to review, and the public keeps reading the
  last published version until a Reviewer publishes the change (then the new values
  replace the old in one step) or sends it back (nothing public changes).
- **Taking down is immediate:** ``unpublish`` and deleting a record remove its version and
  its edition rows (with their parts and citations) in the same transaction; merging two
  people deletes one of them. **Withholding a name is protective:** whoever saves it (an
  Editor too), it takes effect at once on the published version, and every free text of
  the edition is redacted again.
- Each of these is one ``edition.Step``: the numbered sequence of publications that the
  public's ``ETag``, ``Last-Modified``, feeds and the data package's metadata come from.

Declared on the models: ``public_parents`` (the record a part goes with) and
``public_references``; ``parts_of`` finds a record's parts from them, for every caller.

Signals are the exception here, as in ``prisoners.signals``: they are the one place every
write path passes, including fixtures and raw saves.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

from django.apps import apps
from django.contrib.contenttypes.fields import GenericRelation
from django.db import connection, transaction
from django.db.models import Q
from django.db.models.fields.json import KeyTextTransform
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.utils import timezone

from sources.models import Citation, Source
from tracker.lib import bulk
from tracker.lib.editorial import EditorialState

from . import edition_writer as writer
from .models import Person, PersonName, PublishedVersion
from .redaction import Redactor

PUBLISHED = EditorialState.PUBLISHED
IN_REVIEW = EditorialState.IN_REVIEW
DRAFT = EditorialState.DRAFT


# The advisory lock that numbers the steps in the order they commit (``_step``).
STEP_LOCK = 0x5354_4550  # "STEP"


def _step(action: str, record=None, now=None):
    """
    The next step of the edition. On PostgreSQL a step waits for the transaction of the
    one before it to end, and its own transaction then holds the lock to its end, so steps
    commit in the order of their numbers: a reader who sees step 7 sees step 6 too, and
    what is cached under a step (the HTTP cache's ETag, ``stats.cached``) cannot miss a
    withhold that was slower to commit than a later publication. (SQLite has one writer
    at a time already.) Sent on the driver's cursor, like ``exports.base._without_jit``:
    a lock, not a query of data, so the tests' query budgets are the same on both.
    """
    if connection.vendor == "postgresql":  # (in autocommit it still waits for the holder)
        connection.ensure_connection()
        with connection.wrap_database_errors, connection.connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [STEP_LOCK])
    step_model = apps.get_model("edition", "Step")
    return step_model.objects.create(
        at=now or timezone.now(),
        action=action,
        record_type=writer.record_type(type(record)) if record is not None else "",
        object_id=record.pk if record is not None else None,
    )


def version_of(record) -> PublishedVersion | None:
    """The record's published version (what the public reads of it), or None."""
    return PublishedVersion.objects.filter(
        content_type=writer.content_type_of(type(record)), object_id=record.pk
    ).first()


def published_versions(model):
    """The published versions of ``model``'s records (``object_id`` is the record's)."""
    return PublishedVersion.objects.filter(content_type=writer.content_type_of(model))


def has_unpublished_changes(record) -> bool:
    """Whether the working copy differs from its published version (never published: no)."""
    return bool(differences(record))


def differences(record) -> list[tuple[str, object, object]]:
    """
    (field, published value, working value) for each field an editor can change that
    differs (derived fields such as the status are the edition's own business); a choice
    shows as its label in the active language.
    """
    version = version_of(record)
    if version is None:
        return []
    working = writer.snapshot(record)
    changed = []
    for field in type(record)._meta.concrete_fields:
        name = field.attname
        if not field.editable or name not in working:
            continue
        old, new = version.data.get(name), working[name]
        if old == new:
            continue
        if field.choices:
            labels = dict(field.flatchoices)
            old, new = labels.get(old, old), labels.get(new, new)
        changed.append((name, old, new))
    return changed


def _texts_again(context, people: set, names: dict | None = None) -> None:
    """
    The withheld spellings of ``people`` changed (withheld, no longer withheld, a spelling
    added or changed; ``names``: the (name, language) spellings they had before, by id):
    derive again every row of the edition whose published texts mention any of their
    spellings, old or new, and the
    citations of a source that does (its texts can withhold a quote whole). A text that
    mentions none of them reads the same under the new rule, so it is left as it is: a
    withhold costs a read of the published texts, not a derivation of the whole edition.
    """
    narrow = Redactor(_spellings_of(people, names or {}))
    if narrow.matcher is None:
        return
    seen: dict = {}
    found = {model: _mentioning(model, narrow, seen) for model in writer._published_models()}
    if found.get(Source):
        found[Citation] |= set(
            published_versions(Citation)
            .filter(data__source_id__in=sorted(found[Source]))
            .values_list("object_id", flat=True)
        )
    # Everything of these people, in the working copy or in the edition (their records,
    # parts and the citations of them): what of it is public depends on the withholding.
    for model in writer._published_models():
        path = writer._owner_path(model)
        if path is None or model is Citation:
            continue
        lookup = f"{path}__in" if path else "pk__in"
        owned = set(model._default_manager.filter(**{lookup: people}).values_list("pk", flat=True))
        shown = writer.edition_of(model).objects.filter(**{lookup: people})  # same parents
        owned |= set(shown.values_list("pk", flat=True))
        found[model] |= owned
        if owned and writer._is_cited(model):
            found[Citation] |= set(
                Citation.objects.filter(
                    content_type=writer.content_type_of(model), object_id__in=owned
                ).values_list("pk", flat=True)
            )
            found[Citation] |= set(
                writer.edition_of(Citation)
                .objects.filter(record_type=writer.record_type(model), object_id__in=owned)
                .values_list("pk", flat=True)
            )
    for model in writer._published_models():
        if found[model]:
            writer.derive(model, found[model], context, follow=False)


_SEEN_TEXTS = 200_000  # distinct short texts remembered by one ``_mentioning``
_SHORT_TEXT = 300  # characters: a text repeated across versions (a court, a place) is short


def _mentioning(model, narrow: Redactor, seen: dict | None = None) -> set:
    """
    The records of ``model`` whose published texts ``narrow`` would change: only the
    texts the writer redacts (``edition_writer.redacted_fields``), each distinct text
    looked at once. What else a version holds (dates, choices, ids, a person's own name)
    reads the same whoever is withheld.
    """
    fields = sorted(writer.redacted_fields(model))
    if not fields:
        return set()
    seen = {} if seen is None else seen
    columns = {f"text_{index}": KeyTextTransform(name, "data") for index, name in enumerate(fields)}
    versions = published_versions(model).order_by().annotate(**columns)
    if connection.vendor != "postgresql":
        found = set()
        for pk, *texts in versions.values_list("object_id", *columns).iterator(chunk_size=5000):
            if any(text and _names(narrow, text, seen) for text in texts):
                found.add(pk)
        return found
    # PostgreSQL: the distinct texts, in one scan of the model's versions (most repeat:
    # a court, a place, a quote), then the versions that hold one that names them.
    table = connection.ops.quote_name(PublishedVersion._meta.db_table)
    unpivot = ", ".join(["(version.data ->> %s)"] * len(fields))
    sql = (
        f"SELECT DISTINCT text.value FROM {table} version "  # noqa: S608 (names, not values)
        f"CROSS JOIN LATERAL (VALUES {unpivot}) AS text(value) "
        "WHERE version.content_type_id = %s AND text.value <> ''"
    )
    named = []
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, [*fields, writer.content_type_of(model).pk])
        while rows := cursor.fetchmany(5000):
            named += [text for (text,) in rows if _names(narrow, text, seen)]
    if not named:
        return set()
    matches = Q()
    for column in columns:
        matches |= Q(**{f"{column}__in": named})
    return set(versions.filter(matches).values_list("object_id", flat=True))


def _names(narrow: Redactor, text: str, seen: dict) -> bool:
    """Whether ``narrow`` changes the text; a short one's answer remembered in ``seen``."""
    if len(text) > _SHORT_TEXT:
        return narrow.names(text)
    found = seen.get(text)
    if found is None:
        if len(seen) > _SEEN_TEXTS:
            seen.clear()
        found = seen[text] = narrow.names(text)
    return found


def _spellings_of(people: set, names: dict) -> list[set]:
    """Every spelling of these people, withheld or not, working or published, with
    ``names`` (by id: the (name, language) spellings they had before, a name changed or
    a variant deleted), in ``Redactor``'s form."""
    spellings: dict = {pk: set() for pk in people if pk is not None}
    for pk, before in names.items():
        if pk in spellings:
            spellings[pk] |= {pair for pair in before if pair[0]}
    rows = (
        Person.objects.filter(pk__in=spellings)
        .order_by()
        .values_list("pk", "name", "names__name", "names__language")
    )
    for pk, name, variant, language in rows:
        spellings[pk].add((name, ""))
        if variant:
            spellings[pk].add((variant, language or ""))
    for pk, data in (
        published_versions(Person).filter(object_id__in=spellings).values_list("object_id", "data")
    ):
        spellings[pk].add((data.get("name") or "", ""))
    for data in (
        published_versions(PersonName)
        .filter(data__person_id__in=sorted(spellings))
        .values_list("data", flat=True)
    ):
        spellings[data["person_id"]].add((data.get("name") or "", data.get("language") or ""))
    return [found for found in spellings.values() if found]


def _store(record, user=None, data=None, now=None) -> bool:
    """Make ``data`` (default: the record's public fields) its published version; return
    whether the public version changed."""
    model = type(record)
    data = writer.snapshot(record) if data is None else data
    version = version_of(record)
    now = now or timezone.now()
    if version is not None and version.data == data:
        return False
    if version is None:
        PublishedVersion.objects.create(
            content_type=writer.content_type_of(model),
            object_id=record.pk,
            data=data,
            first_published_at=now,
            published_at=now,
            published_by=user if getattr(user, "pk", None) else None,
        )
    else:
        version.data = data
        version.published_at = now
        if getattr(user, "pk", None):
            version.published_by = user
        version.save(update_fields=["data", "published_at", "published_by"])
    return True


def _hidden(working, data: dict | None) -> set:
    """What a person adds to the withheld spellings (``edition_writer.withheld_spellings``):
    the name of the working copy (``(name, withheld)``, or None) and of the published
    version, each when withheld there."""
    found = set()
    if working and working[1]:
        found.add(working[0])
    if data and data.get("name_withheld"):
        found.add(data.get("name"))
    return found


class _Respelled:
    """In a deferred block's pending set: (``_Respelled``, person id), a person whose
    withheld spellings a save in the block changed (see ``_respelled_people``)."""


class _RespelledVariant:
    """In a deferred block's pending set: (``_RespelledVariant``, person id), a person
    whose variant a save in the block changed: it matters only if they are withheld."""


_UNKNOWN = object()


def _remember_spelling(sender, instance, raw=False, **kwargs):
    """Before a person or a name variant is saved: what it spelled (None: a new row)."""
    fields = ("name", "name_withheld") if sender is Person else ("name", "language", "person_id")
    stored = None
    if instance.pk is not None:
        stored = sender._default_manager.filter(pk=instance.pk).values_list(*fields).first()
    instance._spelling_before = stored


def _spelling_before(instance):
    """What ``_remember_spelling`` found (``_UNKNOWN`` when it did not run)."""
    return instance.__dict__.pop("_spelling_before", _UNKNOWN)


def _respelled_people(instance, before) -> set:
    """The people whose withheld spellings this save of the working copy may have changed:
    a variant's text, language or person, a person's name or withholding. A save that
    only moves a state changes no spelling, and reads no text again."""
    if isinstance(instance, PersonName):
        now = (instance.name, instance.language, instance.person_id)
        if before is _UNKNOWN or before is None or before != now:
            return {instance.person_id} | ({before[2]} if before not in (None, _UNKNOWN) else set())
        return set()
    if isinstance(instance, Person):
        now = (instance.name, instance.name_withheld)
        if before is _UNKNOWN or _hidden(before, None) != _hidden(now, None):
            return {instance.pk}
    return set()


def _published_spelling(data: dict | None) -> tuple | None:
    """A variant's version as (person, (name, language)): what its publication changes in
    the withheld spellings (``edition_writer.withheld_spellings`` reads it)."""
    if not data:
        return None
    return data.get("person_id"), (data.get("name") or "", data.get("language") or "")


def publish_saved(record, user=None) -> None:
    """
    What a save of ``record`` means for the public (see the module docstring): publish it
    if it was saved published; withhold the name at once if it was withheld. A save that
    changes nothing public costs a query or two and writes nothing.
    """
    model = type(record)
    version = version_of(record)
    before = version.data if version is not None else None
    working_before = _spelling_before(record)
    now = timezone.now()
    changed = False
    if record.state == PUBLISHED:
        changed = _store(record, user, now=now)
    elif (
        isinstance(record, Person)
        and version is not None
        and record.name_withheld
        and not version.data.get("name_withheld")
    ):
        data = dict(version.data)
        data["name_withheld"] = True
        data["public_descriptor"] = record.public_descriptor
        changed = _store(record, user, data=data, now=now)
    respell = set()
    names: dict = {record.pk: {((before or {}).get("name") or "", "")}}
    if isinstance(record, PersonName):
        # A new or changed spelling of a withheld person: hidden in every text, whatever
        # its state (a variant's state alone changes nothing there); and a published one
        # replaced, which no longer hides what only it hid.
        people = _respelled_people(record, working_before)
        old = _published_spelling(before)
        if changed and old is not None and old != _published_spelling(version_of(record).data):
            people.add(old[0])
            names = {old[0]: {old[1]}}
        respell = _withheld_among(people)
    elif isinstance(record, Person):
        after = version_of(record).data if changed else before
        working = (record.name, record.name_withheld)
        if working_before is _UNKNOWN or _hidden(working_before, before) != _hidden(working, after):
            respell = {record.pk}
    if not changed and not respell:
        return
    context = writer._Context(now)
    if respell:
        _texts_again(context, respell, names)
    if changed:
        writer.derive(model, [record.pk], context)
    writer.refresh_people(context.people)
    if context.changes:  # a step only where the public edition changed
        _step("publish" if changed else "redact", record, now)


def take_down(record, user=None) -> None:
    """Remove ``record``'s published version and everything of it from the edition."""
    version = version_of(record)
    if version is None:
        return
    version.delete()
    context = writer._Context()
    writer.remove(type(record), [record.pk], context)
    writer.refresh_people(context.people)
    if context.changes:
        _step("unpublish", record, context.now)


@transaction.atomic
def publish(*, record, user=None) -> list:
    """A Reviewer publishes ``record`` and its parts in waiting, in one step; returns the
    parts that were waiting (the admin's actions count them)."""
    waited = []
    with deferred(user) as pending:
        for item in [record, *parts_of(record)]:
            pending.add((type(item), item.pk))  # published already: maybe a new version
            if item.state != PUBLISHED:
                item.state = PUBLISHED
                item._history_user = user
                item.save()
                if item is not record:
                    waited.append(item)
    return waited


@transaction.atomic
def unpublish(*, record, user=None) -> None:
    """A Reviewer takes ``record`` down at once: it goes back to review, the public sees
    nothing of it (nor of its parts) until it is published again."""
    if record.state == PUBLISHED:
        record.state = IN_REVIEW
        record._history_user = user
        record.save()
    take_down(record, user)


@transaction.atomic
def withhold(*, person: Person, descriptor: str, user=None) -> None:
    """Withhold a person's name, at once, whoever asks (a protective change)."""
    person.name_withheld = True
    person.public_descriptor = descriptor
    person._history_user = user
    person.full_clean()
    person.save()


def parts_of(record) -> list:
    """
    The parts that go with ``record`` (declared by their ``public_parents``: a person's
    name variants and identifiers, a detention's charges and stays…, never another whole
    record) and the citations of the record and of those parts.
    """
    from tracker.lib.editorial import EditorialModel

    found = []
    for model in writer._published_models():
        if issubclass(model, EditorialModel) or model is Citation:
            continue
        for name in model.public_parents[:1]:
            field = model._meta.get_field(name)
            if isinstance(record, field.related_model):
                found.extend(model._default_manager.filter(**{field.attname: record.pk}))
    citations = []
    by_model: dict = {}
    for item in [record, *found]:
        by_model.setdefault(type(item), []).append(item.pk)
    for model, pks in by_model.items():
        if any(
            isinstance(field, GenericRelation) and field.related_model is Citation
            for field in model._meta.private_fields
        ):
            citations.extend(
                Citation.objects.filter(
                    content_type=writer.content_type_of(model), object_id__in=pks
                )
            )
    return found + citations


# The one place every write path passes (see the module docstring). -------------------


_DEFERRED: ContextVar[set | None] = ContextVar("deferred_publications", default=None)


@contextmanager
def deferred(user=None, dated_by_record=False):
    """
    Publish the rows saved inside this block together, at its end (``loaddata``: one
    derivation of the edition for a whole fixture instead of one per row; an import's or
    an admin action's batch). What a save means is what ``publish_saved`` says of it, for
    the whole block at once: rows saved published are published, a withheld name is
    withheld, and the texts are redacted again at most once. A block inside another
    publishes with the outer one.
    """
    outer = _DEFERRED.get()
    if outer is not None:  # inside another such block: published with its rows, at its end
        yield outer
        return
    pending: set = set()
    token = _DEFERRED.set(pending)
    try:
        yield pending
    finally:
        _DEFERRED.reset(token)
    if pending:
        _publish_many(pending, user, dated_by_record)


def _store_many(model, records: list, user, now, dated_by_record=False) -> tuple[set, list]:
    """Make these published records' public fields their versions, in a few queries;
    return the ids whose public version changed and the people's (before, after) data."""
    content_type = writer.content_type_of(model)
    stored = {
        v.object_id: v
        for v in PublishedVersion.objects.filter(
            content_type=content_type, object_id__in=[r.pk for r in records]
        )
    }
    publisher = user if getattr(user, "pk", None) else None
    create, update, changed, people = [], [], set(), []
    for record in records:
        data = writer.snapshot(record)
        version = stored.get(record.pk)
        if version is not None and version.data == data:
            continue
        changed.add(record.pk)
        if model is Person or (model is PersonName and version is not None):
            people.append((record.pk, version.data if version else None, data))
        if version is None:
            # A fixture's rows keep the times they carry (as ``bootstrap`` does).
            created = getattr(record, "created_at", None) if dated_by_record else None
            changed_at = getattr(record, "updated_at", None) if dated_by_record else None
            create.append(
                PublishedVersion(
                    content_type=content_type,
                    object_id=record.pk,
                    data=data,
                    first_published_at=created or now,
                    published_at=changed_at or now,
                    published_by=publisher,
                )
            )
        else:
            version.data, version.published_at = data, now
            version.published_by = publisher or version.published_by
            update.append(version)
    PublishedVersion.objects.bulk_create(create)
    PublishedVersion.objects.bulk_update(update, ["data", "published_at", "published_by"])
    return changed, people


def _withhold_many(people: list, user, now) -> tuple[set, list]:
    """Withhold at once the names of these unpublished working copies that withhold a name
    their published version still shows (``publish_saved``'s protective rule, in bulk)."""
    withholding = {person.pk: person for person in people if person.name_withheld}
    if not withholding:
        return set(), []
    versions = published_versions(Person).filter(object_id__in=withholding)
    changed, spellings = set(), []
    for version in versions:
        if version.data.get("name_withheld"):
            continue
        person = withholding[version.object_id]
        before = version.data
        version.data = {
            **before,
            "name_withheld": True,
            "public_descriptor": person.public_descriptor,
        }
        version.published_at = now
        version.save(update_fields=["data", "published_at"])
        changed.add(person.pk)
        spellings.append((person.pk, before, version.data))
    return changed, spellings


def spellings_of(person: Person) -> set[tuple[str, str]]:
    """Every spelling of the person, working or published, as (name, language) pairs."""
    return set().union(*_spellings_of({person.pk}, {}))


def is_withheld(person: Person) -> bool:
    """Whether the person's name is withheld, in the working copy or in public."""
    return bool(person.name_withheld or _withheld_among({person.pk}))


def _withheld_among(person_ids: set) -> set:
    """Those of these people whose name is withheld, in the working copy or in public."""
    if not person_ids:
        return set()
    working = Person.objects.filter(pk__in=person_ids, name_withheld=True)
    public = published_versions(Person).filter(object_id__in=person_ids, data__name_withheld=True)
    return set(working.values_list("pk", flat=True)) | set(
        public.values_list("object_id", flat=True)
    )


def _publish_many(pending: set, user=None, dated_by_record=False) -> None:
    """Publish these (model, id) rows together: one derivation of the edition for all."""
    by_model: dict = {}
    for model, pk in pending:
        by_model.setdefault(model, set()).add(pk)
    now = timezone.now()
    changed: dict = {}
    # The people whose spellings to hide or show again in every text: those whose working
    # spellings a save in the block changed (a variant's only while they are withheld),
    # then those whose published version changes what is withheld.
    respell: set = by_model.pop(_Respelled, set()) | _withheld_among(
        by_model.pop(_RespelledVariant, set())
    )
    before_names: dict = {}
    with transaction.atomic():
        for model in writer._published_models():
            if not by_model.get(model):
                continue
            records = list(model._default_manager.filter(pk__in=by_model[model]))
            published = [record for record in records if record.state == PUBLISHED]
            ids, people = _store_many(model, published, user, now, dated_by_record)
            if model is Person:
                waiting = [record for record in records if record.state != PUBLISHED]
                withheld, also = _withhold_many(waiting, user, now)
                ids |= withheld
                people += also
            if ids:
                changed[model] = ids
            if model is PersonName:  # a published spelling replaced (``publish_saved``)
                for _pk, before, after in people:
                    old = _published_spelling(before)
                    if old != _published_spelling(after) and _withheld_among({old[0]}):
                        respell.add(old[0])
                        before_names.setdefault(old[0], set()).add(old[1])
                continue
            working = {r.pk: (r.name, r.name_withheld) for r in records if model is Person}
            for pk, before, after in people:
                if _hidden(working.get(pk), before) != _hidden(working.get(pk), after):
                    respell.add(pk)
                    before_names.setdefault(pk, set()).add(((before or {}).get("name") or "", ""))
        if not changed and not respell:
            return
        # The redactor reads the withheld spellings as the versions now have them.
        context = writer._Context(now)
        if respell:
            _texts_again(context, respell, before_names)
        for model in writer._published_models():
            if changed.get(model):
                writer.derive(model, changed[model], context)
        writer.refresh_people(context.people)
        if context.changes:
            _step("publish", now=context.now)


def _saved(sender, instance, raw=False, **kwargs):
    pending = _DEFERRED.get()
    if pending is not None:
        pending.add((sender, instance.pk))
        if sender in (Person, PersonName):
            respelled = _respelled_people(instance, _spelling_before(instance))
            marker = _RespelledVariant if sender is PersonName else _Respelled
            pending.update((marker, pk) for pk in respelled if pk is not None)
        return
    publish_saved(instance, getattr(instance, "_history_user", None))


def _before_delete(sender, instance, **kwargs):
    """Before a withheld person is deleted with their variants: every spelling they had,
    for ``_deleted``."""
    if instance.pk is not None and _withheld_among({instance.pk}):
        instance._spellings_gone = _spellings_of({instance.pk}, {})


def _deleted(sender, instance, origin=None, **kwargs):
    take_down(instance)
    gone = None
    if sender is Person:
        gone = instance.__dict__.pop("_spellings_gone", None)
        gone = {instance.pk: set().union(*gone)} if gone else None
    elif (
        sender is PersonName
        # (a person's own deletion reads their texts once, above)
        and not (isinstance(origin, Person) or getattr(origin, "model", None) is Person)
        and _withheld_among({instance.person_id})
    ):
        gone = {instance.person_id: {(instance.name, instance.language or "")}}
    if gone:
        # Spellings another withheld person still has (a merge's) hide the same texts.
        still = set().union(*writer.withheld_spellings())
        gone = {pk: spellings - still for pk, spellings in gone.items() if spellings - still}
    if gone:
        # A withheld spelling is gone: what only it hid reads as the rule now says.
        context = writer._Context()
        _texts_again(context, set(gone), gone)
        writer.refresh_people(context.people)
        if context.changes:
            _step("redact", now=context.now)


def connect() -> None:
    for model in writer._published_models():
        uid = f"prisoners.publishing.{model.__name__}"
        post_save.connect(_saved, sender=model, dispatch_uid=uid)
        post_delete.connect(_deleted, sender=model, dispatch_uid=uid)
    for model in (Person, PersonName):
        pre_save.connect(
            _remember_spelling, sender=model, dispatch_uid=f"prisoners.publishing.{model}"
        )
    pre_delete.connect(_before_delete, sender=Person, dispatch_uid="prisoners.publishing.gone")


def bootstrap(using: str = "default") -> bool:
    """
    After ``migrate``: give a database that has published records but no published
    versions (one from before the edition) a version of each published row, and derive
    its edition, so that what the public saw before stays what it sees.
    """
    if PublishedVersion.objects.using(using).exists():
        return False
    return adopt_published(using=using)


def adopt_published(using: str = "default") -> bool:
    """
    After a bulk write that bypassed the services (``bulk_create``, ``COPY``: the data
    package's loader, the benchmark's generator): every published row without a version
    gets one, as it is, and the edition is derived again. Returns whether any did.
    """
    now = timezone.now()
    versions = []
    for model in writer._published_models():
        have = PublishedVersion.objects.using(using).filter(
            content_type=writer.content_type_of(model)
        )
        rows = (
            model._default_manager.using(using)
            .filter(state=PUBLISHED)
            .exclude(pk__in=have.values("object_id"))
        )
        for row in rows.iterator(chunk_size=2000):
            versions.append(
                PublishedVersion(
                    content_type=writer.content_type_of(model),
                    object_id=row.pk,
                    data=writer.snapshot(row),
                    first_published_at=getattr(row, "created_at", None) or now,
                    published_at=getattr(row, "updated_at", None) or now,
                )
            )
    if not versions:
        return False
    with transaction.atomic(using=using):
        bulk.insert(PublishedVersion, versions, using=using)
        writer.rebuild()
        _step("rebuild", now=now)
    return True


@transaction.atomic
def rebuild(stdout=None) -> dict:
    """Derive the whole edition again from the published versions (one step)."""
    counts = writer.rebuild(stdout=stdout)
    _step("rebuild")
    return counts


def _edition_dump() -> dict:
    """Every row of the edition, less its publication times, by table and id."""
    dump = {}
    for model in [*writer._published_models()]:
        target = writer.edition_of(model)
        names = [
            f.attname
            for f in target._meta.concrete_fields
            if f.name not in ("created_at", "updated_at")
        ]
        dump[target.__name__] = {row["id"]: row for row in target.objects.values(*names)}
    periods = apps.get_model("edition", "CustodyPeriod")
    dump["CustodyPeriod"] = {
        (row["person_id"], row["started_on"]): row
        for row in periods.objects.values("person_id", "started_on", "ended_on", "gap_since")
    }
    return dump


class _RolledBack(Exception):
    pass


def check_edition() -> list[str]:
    """
    Every difference between the edition and what the public rule gives from the
    editorial data and its history, as sentences (none: the edition is right):

    - a record whose working copy is published must have that copy as its published
      version;
    - a record with a published version whose working copy waits for review must have,
      as its version, the last published entry of its history;
    - a version must belong to a record that exists;
    - the edition must equal what the writer derives from the versions from scratch.
    """
    problems = []
    from simple_history.utils import get_history_model_for_model

    for model in writer._published_models():
        name = model.__name__
        versions = {v.object_id: v for v in published_versions(model)}
        for row in model._default_manager.all().iterator():
            version = versions.pop(row.pk, None)
            if row.state == PUBLISHED:
                if version is None:
                    problems.append(f"{name} {row.pk}: published, but has no published version")
                elif version.data != writer.snapshot(row):
                    problems.append(f"{name} {row.pk}: published, but its version differs")
            elif version is not None:
                history = get_history_model_for_model(model)
                entry = (
                    history.objects.filter(id=row.pk, state=PUBLISHED)
                    .order_by("-history_date", "-history_id")
                    .first()
                )
                if entry is None:
                    first = history.objects.filter(id=row.pk).order_by("history_date").first()
                    if first is not None and first.history_type == "+":
                        # Its whole life is in the history (not loaded from a fixture).
                        problems.append(f"{name} {row.pk}: a version, but never published")
                    continue
                expected = writer.snapshot(entry, model)
                if name == "Person" and version.data.get("name_withheld"):
                    expected["name_withheld"] = True  # withheld at once, not yet reviewed
                    expected["public_descriptor"] = version.data.get("public_descriptor")
                if {key: version.data.get(key) for key in expected} != expected:
                    changed = sorted(k for k in expected if expected[k] != version.data.get(k))
                    problems.append(
                        f"{name} {row.pk}: its version differs from its last published "
                        f"history entry in {', '.join(changed)}"
                    )
        for object_id in versions:
            problems.append(f"{name} {object_id}: a version of a record that does not exist")
    stored = _edition_dump()
    try:
        with transaction.atomic():
            writer.rebuild()
            derived = _edition_dump()
            raise _RolledBack
    except _RolledBack:
        pass
    for table, rows in derived.items():
        have = stored.get(table, {})
        for key in sorted(set(rows) | set(have), key=str):
            if key not in have:
                problems.append(f"edition {table} {key}: missing")
            elif key not in rows:
                problems.append(f"edition {table} {key}: should not be public")
            elif rows[key] != have[key]:
                fields = sorted(k for k in rows[key] if rows[key][k] != have[key].get(k))
                problems.append(f"edition {table} {key}: differs in {', '.join(fields)}")
    return problems
