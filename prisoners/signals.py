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
"""

from django.core.exceptions import ImproperlyConfigured
from django.db.models.signals import post_delete, post_save, pre_save

from . import public
from .models import CourtDecision, Detention, Release
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
