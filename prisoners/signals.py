"""
Keep each person's derived status in step with their detentions and releases.

A deliberate exception to "no domain logic in signals": every write path (admin forms,
imports, ``loaddata`` fixtures, the shell) must refresh the status, and a signal is the
one place they all pass. The rule itself lives in ``services.derive_status``. Bulk
``QuerySet.update()`` bypasses signals; run ``manage.py refresh_statuses`` after one.

Fixtures (``loaddata``, raw saves) carry their derived status like every other stored
value, so they are loaded as they are, without touching ``updated_at``; the seed's
statuses are checked against the rule by a test, and ``refresh_statuses --check`` checks
any database.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import CourtDecision, Detention, Release
from .services import refresh_statuses


@receiver(post_save, sender=Detention)
@receiver(post_delete, sender=Detention)
def detention_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    refresh_statuses(person_ids=[instance.person_id])


@receiver(post_save, sender=Release)
@receiver(post_delete, sender=Release)
@receiver(post_save, sender=CourtDecision)
@receiver(post_delete, sender=CourtDecision)
def outcome_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    person_id = (
        Detention.objects.filter(pk=instance.detention_id)
        .values_list("person_id", flat=True)
        .first()
    )
    if person_id is not None:
        refresh_statuses(person_ids=[person_id])
