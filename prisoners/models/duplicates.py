"""
Possible duplicates, kept up to date rather than recomputed on every page
(``prisoners.duplicates`` writes both tables; nobody edits them by hand):

- ``NameKey``: every whole-name key of every spelling of a person (the display name and
  each name variant), so that the people who share one are found by an indexed equality;
- ``DuplicatePair``: two people who may be one, with the score and reason, for editors to
  merge or dismiss. A dismissed pair stays dismissed whatever later changes.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from tracker.lib.editorial import choice_constraint

from ..choices import DuplicateReason, DuplicateStatus
from .people import Person


class NameKey(models.Model):
    """
    One whole-name key of one of a person's spellings: the sorted keys of its words in one
    reading (``prisoners.names.keys``), e.g. "bbrk vktr" for Viktar Babaryka, Виктор
    Бабарико and Viktor Babariko alike. Names of one word have none.
    """

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="+", verbose_name=_("person")
    )
    key = models.CharField(_("name key"), max_length=400)
    spelling = models.CharField(
        _("spelling"), max_length=300, help_text=_("The spelling this is the key of.")
    )

    class Meta:
        ordering = ["key", "person_id"]
        verbose_name = _("name key")
        verbose_name_plural = _("name keys")
        constraints = [
            # Also the index that finds everyone with a key.
            models.UniqueConstraint(
                fields=["key", "person"], name="%(app_label)s_%(class)s_unique_per_person"
            ),
        ]

    def __str__(self):
        return f"{self.key} ({self.spelling})"


class DuplicatePair(models.Model):
    """
    Two people who may be the same person: a spelling of each has the same whole-name key,
    and their birth dates could be the same day (``prisoners.duplicates``). The person with
    the lower id is ``person_a``.
    """

    person_a = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="+", verbose_name=_("person")
    )
    person_b = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="+", verbose_name=_("possibly the same as")
    )
    score = models.FloatField(_("score"), help_text=_("0.95: the same full birth date too."))
    reason = models.CharField(_("reason"), max_length=32, choices=DuplicateReason.choices)
    spellings = models.CharField(
        _("matching spellings"),
        max_length=700,
        help_text=_("A spelling of each person that has the same name key."),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=DuplicateStatus.choices,
        default=DuplicateStatus.OPEN,
    )
    found_at = models.DateTimeField(_("found"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dismissed by"),
    )
    decided_at = models.DateTimeField(_("dismissed on"), null=True, blank=True)

    class Meta:
        ordering = ["-score", "person_a_id", "person_b_id"]
        verbose_name = _("possible duplicate")
        verbose_name_plural = _("possible duplicates")
        indexes = [
            # The open pairs, best first: the dashboard's count and the list's first page.
            models.Index(
                fields=["status", "-score", "person_a", "person_b"],
                name="prisoners_duplicate_open_idx",
            ),
        ]
        constraints = [
            choice_constraint("status", DuplicateStatus),
            choice_constraint("reason", DuplicateReason),
            models.UniqueConstraint(
                fields=["person_a", "person_b"],
                name="%(app_label)s_%(class)s_unique",
                violation_error_message=_("This pair is already recorded."),
            ),
            models.CheckConstraint(
                condition=Q(person_a__lt=F("person_b")),
                name="%(app_label)s_%(class)s_ordered",
                violation_error_message=_("A pair names the person with the lower id first."),
            ),
        ]

    def __str__(self):
        return f"#{self.person_a_id} ~ #{self.person_b_id}"
