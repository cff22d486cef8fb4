"""
Keep each person's editorial status in step with their records (from their published
detentions, decisions and releases), as the admin shows it. What the public reads of a
person (status, custody periods) is derived in the edition by ``prisoners.edition_writer``.

A deliberate exception to "no domain logic in signals": every write path (admin forms,
imports, ``loaddata`` fixtures, the shell) must refresh them, and a signal is the one
place they all pass. The rules themselves live in ``prisoners.services``. Bulk
``QuerySet.update()`` and ``bulk_create()`` bypass signals; run ``manage.py
refresh_statuses`` after one.

Fixtures (``loaddata``, raw saves) carry their derived status like every other stored
value, so they are loaded as they are, without touching ``updated_at``; the seed's
statuses are checked against the rule by a test, and ``refresh_statuses --check`` checks
any database. Custody periods are not part of any fixture: they are derived on raw saves
too.

A record that moves to another person (a detention given to another person, a release to
another detention) refreshes both people: the one it left is read before the save.

**Possible duplicates** (``prisoners.duplicates``) follow each person's spellings and birth
date, for the same reason: a name typed in the admin, imported, loaded from a fixture or
changed in the shell must find its pairs at once. A save of a person or a name variant
refreshes the person's keys and pairs only when what identifies them changed (a display
name or birth date; a variant's text, language or person), read before the save, so that
publishing or sending to review costs no refresh. A variant deleted with its person (a
deletion that started at the person) refreshes nobody: the person's keys and pairs go with
it. The rule lives in ``prisoners.duplicates``; bulk writes that skip signals run
``manage.py find_duplicates``.
"""

from django.core.exceptions import ImproperlyConfigured
from django.db.models.signals import post_delete, post_save, pre_save

from . import duplicates, public
from .models import CourtDecision, Detention, Person, PersonName, Release
from .services import refresh_statuses

# What ``services.derive_status`` reads.
STATUS_SOURCES = (Detention, CourtDecision, Release)


def _owner_id(model, instance) -> int | None:
    """The id of the person this record belongs to, from the record as it is in memory."""
    path = public.owner_path(model)
    if path == "":
        return instance.pk
    first, _, rest = path.partition("__")
    parent_id = getattr(instance, model._meta.get_field(first).attname)
    if not rest or parent_id is None:
        return parent_id
    parent = model._meta.get_field(first).related_model
    return parent._default_manager.filter(pk=parent_id).values_list(rest, flat=True).first()


def _stored_owner_id(model, instance) -> int | None:
    """The id of the person this record belongs to as it is stored, before a save."""
    path = public.owner_path(model)
    if not path or instance.pk is None:
        return None
    return model._default_manager.filter(pk=instance.pk).values_list(path, flat=True).first()


def remember_owner(sender, instance, raw=False, **kwargs):
    instance._owner_before_save = _stored_owner_id(sender, instance)


def record_changed(sender, instance, raw=False, **kwargs):
    people = {_owner_id(sender, instance), instance.__dict__.pop("_owner_before_save", None)}
    people.discard(None)
    if not people:
        return
    if not raw:
        refresh_statuses(person_ids=people)


for model in STATUS_SOURCES:
    if public.owner_path(model) is None:
        raise ImproperlyConfigured(f"{model.__name__} belongs to no person: whose data to refresh?")
    uid = f"prisoners.signals.{model.__name__}"
    pre_save.connect(remember_owner, sender=model, dispatch_uid=uid)
    post_save.connect(record_changed, sender=model, dispatch_uid=uid)
    post_delete.connect(record_changed, sender=model, dispatch_uid=uid)


# --- possible duplicates ---------------------------------------------------------------------

# What identifies a person or a variant for ``prisoners.duplicates``; the person's own id first.
IDENTITY = {
    Person: ("pk", "name", "birth_date"),
    PersonName: ("person_id", "name", "language"),
}


def remember_identity(sender, instance, raw=False, **kwargs):
    fields = IDENTITY[sender]
    stored = None
    if instance.pk is not None:
        stored = sender._default_manager.filter(pk=instance.pk).values_list(*fields).first()
    instance._identity_before_save = stored


def identity_changed(sender, instance, created=False, raw=False, **kwargs):
    before = instance.__dict__.pop("_identity_before_save", None)
    now = tuple(getattr(instance, field) for field in IDENTITY[sender])
    if before != now:
        duplicates.changed({now[0], before[0] if before else None})


def variant_deleted(sender, instance, origin=None, **kwargs):
    if isinstance(origin, Person) or getattr(origin, "model", None) is Person:
        return  # deleted with its person, whose keys and pairs go too
    duplicates.changed({instance.person_id})


for model in IDENTITY:
    uid = f"prisoners.signals.duplicates.{model.__name__}"
    pre_save.connect(remember_identity, sender=model, dispatch_uid=uid)
    post_save.connect(identity_changed, sender=model, dispatch_uid=uid)
post_delete.connect(variant_deleted, sender=PersonName, dispatch_uid="prisoners.signals.duplicates")
