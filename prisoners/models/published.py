"""
The stored published version of every record: what a Reviewer last published.

The editorial row is the working copy, which editors change and send to review; the
public keeps reading the version a Reviewer last published until a Reviewer publishes
the change (``prisoners.publishing``). Each version holds the record's public fields as a
Reviewer published them, before masks and redaction, so that the edition
(``edition.models``) can be derived from the versions again at any time
(``manage.py rebuild_edition``), for instance after a name is withheld or a rule changes.
Editorial: never read by a public surface (it holds withheld names).
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PublishedVersion(models.Model):
    """The last published version of one record (``data``: its public fields by column)."""

    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+", verbose_name=_("record type")
    )
    object_id = models.PositiveBigIntegerField(_("record id"))
    data = models.JSONField(_("published values"))
    first_published_at = models.DateTimeField(_("first published"))
    published_at = models.DateTimeField(_("last published"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )

    class Meta:
        ordering = ["content_type_id", "object_id"]
        verbose_name = _("published version")
        verbose_name_plural = _("published versions")
        indexes = [
            # The few published versions of withheld people, read by every derivation of
            # a text (``edition_writer.withheld_spellings``): without it, a scan of every
            # person's version (0.2 s at 100,000 people).
            models.Index(
                fields=["content_type", "object_id"],
                condition=Q(data__name_withheld=True),
                name="prisoners_version_withheld_idx",
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"],
                name="prisoners_publishedversion_one_per_record",
                violation_error_message=_("A record has one published version."),
            )
        ]

    def __str__(self):
        return f"{self.content_type_id}:{self.object_id} @ {self.published_at:%Y-%m-%d %H:%M}"
