"""
Data derived from the public records and stored so that public statistics stay cheap at
scale. Never edited by hand: ``prisoners.services`` writes it on every change of what it
is derived from, and ``manage.py refresh_statuses`` rebuilds (or ``--check``\\s) all of it.
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .people import Person


class CustodyPeriod(models.Model):
    """
    One period a person may have been in custody, by their public records: the union of
    their public detentions that overlap (``prisoners.services.custody_periods``), from the
    earliest possible start to the latest possible end of custody (null: not ended).
    ``gap_since`` is the end of the same person's previous period (null for the first), so
    that an interval of time holding two periods of one person counts them once
    (``prisoners.stats``).
    """

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="custody_periods", verbose_name=_("person")
    )
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)
    gap_since = models.DateField(_("previous period ended on"), null=True, blank=True)

    class Meta:
        ordering = ["person_id", "started_on"]
        verbose_name = _("custody period")
        verbose_name_plural = _("custody periods")
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="prisoners_custodyperiod_ends_after_start",
                violation_error_message=_("A period cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(gap_since__isnull=True) | Q(gap_since__lt=F("started_on")),
                name="prisoners_custodyperiod_gap_before_start",
                violation_error_message=_("The previous period ends before this one starts."),
            ),
        ]

    def __str__(self):
        return f"{self.person_id}: {self.started_on} – {self.ended_on or '…'}"
