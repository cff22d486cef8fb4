"""People, their names and identifiers, and their recognition as political prisoners."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, Q, When
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tracker.lib.editorial import (
    CitedModel,
    EditorialModel,
    ReviewedModel,
    choice_constraint,
    editorial_constraints,
)
from tracker.lib.links import http_constraint, validate_http_url
from tracker.lib.partial_dates import (
    PartialDateField,
    earliest_of,
    latest_of,
    partial_date_constraint,
)

from .. import names
from ..choices import Gender, NameKind, Script, Status


class Person(EditorialModel, CitedModel):
    """
    Someone held, or once held, for political reasons.

    ``name`` is the display name; every spelling, including that one, is a ``PersonName``.
    When the family asks, ``name_withheld`` hides the name and its variants from the
    public, which sees ``public_descriptor`` instead (stored in ``public_name``).

    ``current_status`` and ``status_since`` are derived from the person's published
    detentions, decisions and releases (see ``prisoners.services.refresh_statuses``);
    they are stored so that filtering on them stays cheap at scale.
    """

    name = models.CharField(_("display name"), max_length=300)
    name_withheld = models.BooleanField(
        _("name withheld"),
        default=False,
        help_text=_("The public sees the descriptor, never the name or its spellings."),
    )
    public_descriptor = models.CharField(
        _("public descriptor"),
        max_length=300,
        blank=True,
        help_text=_(
            "Shown instead of the name when it is withheld, e.g. “director of an IT company”."
        ),
    )
    public_name = models.GeneratedField(
        expression=Case(When(name_withheld=True, then=F("public_descriptor")), default=F("name")),
        output_field=models.CharField(max_length=300),
        db_persist=True,
        verbose_name=_("public name"),
    )
    gender = models.CharField(
        _("gender"), max_length=16, choices=Gender.choices, default=Gender.UNKNOWN
    )
    birth_date = PartialDateField(_("birth date"))
    birth_date_earliest = earliest_of("birth_date")
    birth_date_latest = latest_of("birth_date")
    occupation = models.CharField(_("occupation"), max_length=300, blank=True)
    affiliation = models.CharField(
        _("affiliation"), max_length=300, blank=True, help_text=_("Employer, party, campaign, …")
    )
    country = models.CharField(_("country (ISO 3166 code)"), max_length=2, default="BY")
    region = models.CharField(_("region"), max_length=100, blank=True)
    biography = models.TextField(_("public biography"), blank=True)
    photo_url = models.URLField(
        _("photo URL"), max_length=500, blank=True, validators=[validate_http_url]
    )
    private_contacts = models.TextField(
        _("contacts of relatives and lawyers"),
        blank=True,
        help_text=_("Private. Never shown in the public API, exports or error messages."),
    )
    current_status = models.CharField(
        _("current status"),
        max_length=16,
        choices=Status.choices,
        default=Status.UNKNOWN,
        editable=False,
    )
    status_since = PartialDateField(_("status since"), editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["public_name", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        permissions = [("publish_records", _("Can publish and unpublish any record"))]
        indexes = [
            models.Index(fields=["state", "current_status"], name="prisoners_person_status_idx"),
            models.Index(fields=["public_name", "id"], name="prisoners_person_name_idx"),
            # The few withheld names, read on every public response (prisoners.redaction).
            models.Index(
                fields=["name_withheld"],
                condition=Q(name_withheld=True),
                name="prisoners_person_withheld_idx",
            ),
        ]
        constraints = [
            *editorial_constraints(),
            choice_constraint("gender", Gender),
            choice_constraint("current_status", Status),
            partial_date_constraint("birth_date"),
            partial_date_constraint("status_since"),
            models.CheckConstraint(
                condition=~Q(name=""),
                name="%(app_label)s_%(class)s_name_not_empty",
                violation_error_message=_("A person needs a name, even when it is withheld."),
            ),
            models.CheckConstraint(
                condition=Q(name_withheld=False) | ~Q(public_descriptor=""),
                name="%(app_label)s_%(class)s_withheld_name_has_descriptor",
                violation_error_message=_(
                    "A person whose name is withheld needs a public descriptor."
                ),
            ),
            http_constraint("photo_url"),
        ]

    def __str__(self):
        if self.name_withheld:
            return f"{self.name} [withheld: {self.public_descriptor}]"
        return self.name

    def clean(self):
        super().clean()
        if self.name_withheld and not self.public_descriptor.strip():
            raise ValidationError(
                {
                    "public_descriptor": _(
                        "A person whose name is withheld needs a public descriptor."
                    )
                }
            )


class PersonName(ReviewedModel, CitedModel):
    """One spelling of a person's name, in one language and script."""

    public_parents = ("person",)

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="names", verbose_name=_("person")
    )
    name = models.CharField(_("name"), max_length=300)
    language = models.CharField(
        _("language"), max_length=16, blank=True, help_text=_("BCP 47 code: be, ru, en, de, pl, …")
    )
    script = models.CharField(_("script"), max_length=4, choices=Script.choices)
    kind = models.CharField(_("kind"), max_length=16, choices=NameKind.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    search_text = models.CharField(
        _("normalised text"),
        max_length=400,
        editable=False,
        default="",
        help_text=_("Lower-case ASCII of the name (prisoners.names.search_text)."),
    )
    search_key = models.CharField(
        _("search key"),
        max_length=400,
        editable=False,
        default="",
        help_text=_("Spelling-independent key of every word (prisoners.names.search_key)."),
    )

    history = HistoricalRecords(excluded_fields=["search_text", "search_key"])

    class Meta:
        ordering = ["person_id", "name", "id"]
        indexes = [
            models.Index(fields=["search_key"], name="prisoners_name_key_idx"),
            models.Index(fields=["search_text"], name="prisoners_name_text_idx"),
        ]
        verbose_name = _("name variant")
        verbose_name_plural = _("name variants")
        constraints = [
            *editorial_constraints(),
            choice_constraint("script", Script),
            choice_constraint("kind", NameKind),
            models.UniqueConstraint(
                fields=["person", "name"],
                name="%(app_label)s_%(class)s_unique_per_person",
                violation_error_message=_("This person already has this spelling."),
            ),
            models.CheckConstraint(
                condition=~Q(name=""),
                name="%(app_label)s_%(class)s_name_not_empty",
                violation_error_message=_("A name variant cannot be empty."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.language or '?'}, {self.get_kind_display()})"

    def set_search_fields(self):
        """Derive the search columns from the name (also for bulk_create callers)."""
        self.search_text = names.search_text(self.name)
        self.search_key = names.search_key(self.name, self.language)

    def save(self, *args, **kwargs):
        # Derived columns, like a slug: every write path that saves a name keeps them
        # right; bulk writers call set_search_fields() (see refresh_search_keys).
        self.set_search_fields()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text", "search_key"}
        super().save(*args, **kwargs)


class PersonIdentifier(ReviewedModel):
    """A person's identifier in another database, e.g. Viasna's person page."""

    public_parents = ("person",)

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="identifiers", verbose_name=_("person")
    )
    scheme = models.CharField(
        _("scheme"), max_length=50, help_text=_("Whose identifier: viasna, memorial, wikidata, …")
    )
    identifier = models.CharField(_("identifier"), max_length=300)
    url = models.URLField(_("URL"), max_length=500, blank=True, validators=[validate_http_url])
    external_status = models.CharField(
        _("status in that database"),
        max_length=100,
        blank=True,
        help_text=_("As the other database lists it, e.g. Viasna's active / former / np."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["person_id", "scheme", "id"]
        verbose_name = _("identifier")
        verbose_name_plural = _("identifiers")
        constraints = [
            *editorial_constraints(),
            models.UniqueConstraint(
                fields=["scheme", "identifier"],
                name="%(app_label)s_%(class)s_unique_in_scheme",
                violation_error_message=_("Another person already has this identifier."),
            ),
            http_constraint("url"),
        ]

    def __str__(self):
        return f"{self.scheme}:{self.identifier}"


class Recognition(EditorialModel, CitedModel):
    """An organisation's recognition of a person as a political prisoner."""

    public_parents = ("person", "organisation")

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="recognitions", verbose_name=_("person")
    )
    organisation = models.ForeignKey(
        "sources.Organisation",
        on_delete=models.PROTECT,
        related_name="recognitions",
        verbose_name=_("recognised by"),
    )
    recognised_on = PartialDateField(_("recognised on"))
    recognised_on_earliest = earliest_of("recognised_on")
    recognised_on_latest = latest_of("recognised_on")
    statement_url = models.URLField(
        _("statement URL"), max_length=1000, blank=True, validators=[validate_http_url]
    )
    withdrawn_on = PartialDateField(_("withdrawn on"))
    note = models.TextField(_("public note"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["person_id", "recognised_on_earliest", "id"]
        verbose_name = _("recognition")
        verbose_name_plural = _("recognitions")
        constraints = [
            *editorial_constraints(),
            partial_date_constraint("recognised_on"),
            partial_date_constraint("withdrawn_on"),
            models.UniqueConstraint(
                fields=["person", "organisation", "recognised_on"],
                name="%(app_label)s_%(class)s_unique",
                violation_error_message=_("This recognition is already recorded."),
            ),
            http_constraint("statement_url"),
        ]

    def __str__(self):
        return f"{self.person} — {self.organisation} {self.recognised_on}".strip()
