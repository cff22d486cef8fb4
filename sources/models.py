"""
Published sources, the organisations behind them, and citations: the link from any
record, or any single field of it, to the source that states it.
"""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tracker.lib.editorial import (
    CitedModel,
    EditorialModel,
    ReviewedModel,
    TimeStampedModel,
    choice_constraint,
    editorial_constraints,
)
from tracker.lib.languages import label, labelled_constraint, require_label
from tracker.lib.links import http_constraint, validate_http_url
from tracker.lib.partial_dates import (
    PartialDateField,
    earliest_of,
    latest_of,
    partial_date_constraint,
)

from .choices import Confidence, OrganisationKind, SourceKind
from .claims import citable_fields, field_label, stored_text, supports_stored


class Organisation(EditorialModel, CitedModel):
    """A body that recognises political prisoners, publishes sources, or counts people."""

    name_be = models.CharField(_("name in Belarusian"), max_length=300, blank=True)
    name_ru = models.CharField(_("name in Russian"), max_length=300, blank=True)
    name_en = models.CharField(_("name in English"), max_length=300, blank=True)
    short_name_be = models.CharField(_("short name in Belarusian"), max_length=100, blank=True)
    short_name_ru = models.CharField(_("short name in Russian"), max_length=100, blank=True)
    short_name_en = models.CharField(_("short name in English"), max_length=100, blank=True)
    slug = models.SlugField(
        _("slug"), max_length=100, unique=True, help_text=_("Used in filters, e.g. “viasna”.")
    )
    kind = models.CharField(
        _("kind"), max_length=32, choices=OrganisationKind.choices, default=OrganisationKind.OTHER
    )
    country = models.CharField(_("country (ISO 3166 code)"), max_length=2, blank=True)
    url = models.URLField(_("website"), max_length=500, blank=True, validators=[validate_http_url])
    description = models.TextField(_("public description"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name_en", "id"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            *editorial_constraints(),
            choice_constraint("kind", OrganisationKind),
            labelled_constraint(
                "name", _("Give the organisation's name in at least one language.")
            ),
            http_constraint("url"),
        ]

    def __str__(self):
        return self.short_name or self.name

    @property
    def name(self) -> str:
        """The name in the active language, with the fallback (``tracker.lib.languages``)."""
        return label(self, "name")

    @property
    def short_name(self) -> str:
        return label(self, "short_name")

    def clean(self):
        super().clean()
        require_label(self, "name", _("Give the organisation's name in at least one language."))


class Source(EditorialModel):
    """A published document that states facts: an article, a statement, a court record."""

    public_references = ("publisher_organisation",)

    kind = models.CharField(_("kind"), max_length=32, choices=SourceKind.choices)
    title = models.CharField(_("title"), max_length=500)
    publisher = models.CharField(_("publisher"), max_length=300, blank=True)
    publisher_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="sources",
        null=True,
        blank=True,
        verbose_name=_("publisher (organisation record)"),
    )
    author = models.CharField(_("author"), max_length=300, blank=True)
    url = models.URLField(
        _("URL"),
        max_length=1000,
        blank=True,
        validators=[validate_http_url],
        help_text=_("Unique. Leave empty for print or unpublished documents."),
    )
    published_on = PartialDateField(_("publication date"))
    published_on_earliest = earliest_of("published_on")
    published_on_latest = latest_of("published_on")
    language = models.CharField(
        _("language"), max_length=16, blank=True, help_text=_("BCP 47 code: en, be, ru, uk, …")
    )
    archive_url = models.URLField(
        _("archived copy"), max_length=1000, blank=True, validators=[validate_http_url]
    )
    accessed_on = models.DateField(_("accessed on"), null=True, blank=True)
    summary = models.TextField(_("public summary"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-published_on_earliest", "title", "id"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        constraints = [
            *editorial_constraints(),
            choice_constraint("kind", SourceKind),
            partial_date_constraint("published_on"),
            models.UniqueConstraint(
                fields=["url"],
                condition=~models.Q(url=""),
                name="%(app_label)s_%(class)s_url_unique",
                violation_error_message=_("A source with this URL is already recorded."),
            ),
            models.CheckConstraint(
                condition=~models.Q(title=""),
                name="%(app_label)s_%(class)s_title_not_empty",
                violation_error_message=_("A source needs a title."),
            ),
            http_constraint("url"),
            http_constraint("archive_url"),
        ]

    def __str__(self):
        parts = [self.title]
        if self.publisher:
            parts.append(self.publisher)
        if self.published_on:
            parts.append(self.published_on)
        return " · ".join(parts)

    def clean(self):
        super().clean()
        if self.url:
            duplicate = Source.objects.filter(url=self.url).exclude(pk=self.pk)
            if duplicate.exists():
                raise ValidationError(
                    {"url": _("A source with this URL is already recorded.")}, code="unique"
                )


class Citation(ReviewedModel, TimeStampedModel):
    """
    One source's support for one record, or for one field of it.

    ``stated_value`` is what the source itself says for ``field``. Where it differs from
    the record's stored value, the source gives another value: conflicting claims are
    kept side by side this way, each with its own citation.

    Its publication depends on its source and on the record it cites, whatever model
    that is: the rule is in ``prisoners.public``.
    """

    public_parents = ("source",)

    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="citations", verbose_name=_("source")
    )
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("record type")
    )
    object_id = models.PositiveBigIntegerField(_("record id"))
    record = GenericForeignKey("content_type", "object_id")
    field = models.CharField(
        _("field"),
        max_length=64,
        blank=True,
        help_text=_("The field this source supports; empty when it supports the whole record."),
    )
    stated_value = models.CharField(
        _("value stated by the source"),
        max_length=500,
        blank=True,
        help_text=_("What the source says for this field, especially where sources disagree."),
    )
    quote = models.TextField(
        _("quote"), max_length=1000, blank=True, help_text=_("A short quote: a sentence or less.")
    )
    locator = models.CharField(
        _("locator"), max_length=200, blank=True, help_text=_("Paragraph, page or timestamp.")
    )
    confidence = models.CharField(
        _("confidence"), max_length=8, choices=Confidence.choices, default=Confidence.MEDIUM
    )
    editors_notes = models.TextField(_("editors' notes"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["content_type_id", "object_id", "field", "id"]
        verbose_name = _("citation")
        verbose_name_plural = _("citations")
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="sources_citation_record_idx")
        ]
        constraints = [
            *editorial_constraints(),
            choice_constraint("confidence", Confidence),
            models.CheckConstraint(
                condition=models.Q(stated_value="") | ~models.Q(field=""),
                name="%(app_label)s_%(class)s_stated_value_has_field",
                violation_error_message=_("A stated value belongs to a field: name the field."),
            ),
        ]

    def __str__(self):
        # The record's kind and field as editors read them (verbose names, translated).
        where = f" · {self.field_label()}" if self.field else ""
        return f"{self.content_type.name} #{self.object_id}{where} ← {self.source_id}"

    def field_label(self) -> str:
        """The cited field's name in the admin's language ("occupation", "занятак")."""
        return field_label(self.content_type.model_class(), self.field) if self.field else ""

    def clean(self):
        super().clean()
        if not self.content_type_id or not self.field:
            return
        model = self.content_type.model_class()
        try:
            model._meta.get_field(self.field)
        except (AttributeError, FieldDoesNotExist):
            message = ValidationError(
                _("“%(field)s” is not a field of %(model)s."),
                params={"field": self.field, "model": self.content_type.name},
            )
            raise ValidationError({"field": message}) from None
        if self.field not in {field.name for field in citable_fields(model)}:
            raise ValidationError({"field": _("Cite a stored field of the record.")})

    @property
    def agrees_with_record(self) -> bool | None:
        """
        Whether the value this source states supports the record's stored value.

        None when the citation supports the whole record or states no value.
        """
        if not self.field or not self.stated_value or self.record is None:
            return None
        record = self.record
        model_field = record._meta.get_field(self.field)
        return supports_stored(model_field, stored_text(record, self.field), self.stated_value)
