"""Events that link people, and figures that sources report."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tracker.lib.editorial import (
    CitedModel,
    EditorialModel,
    ReviewedModel,
    choice_constraint,
    editorial_constraints,
)
from tracker.lib.languages import label, labelled_constraint, require_label
from tracker.lib.partial_dates import (
    PartialDateField,
    earliest_of,
    latest_of,
    partial_date_constraint,
)

from ..choices import EventKind, FigureQualifier
from .custody import Facility
from .people import Person


class Event(EditorialModel, CitedModel):
    """Something that happened to several people at once, e.g. a meeting in a detention centre."""

    public_references = ("facility",)

    title_be = models.CharField(_("title in Belarusian"), max_length=300, blank=True)
    title_ru = models.CharField(_("title in Russian"), max_length=300, blank=True)
    title_en = models.CharField(_("title in English"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=EventKind.choices)
    happened_on = PartialDateField(_("date"))
    happened_on_earliest = earliest_of("happened_on")
    happened_on_latest = latest_of("happened_on")
    facility = models.ForeignKey(
        Facility,
        on_delete=models.PROTECT,
        related_name="events",
        null=True,
        blank=True,
        verbose_name=_("facility"),
    )
    place = models.CharField(_("place"), max_length=300, blank=True)
    description = models.TextField(_("public description"), blank=True)
    participant_count = models.IntegerField(
        _("number of participants"),
        null=True,
        blank=True,
        help_text=_("Leave empty where sources disagree; cite each source's figure."),
    )
    participants = models.ManyToManyField(
        Person, through="EventParticipant", related_name="events", verbose_name=_("participants")
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-happened_on_earliest", "title_en", "id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            *editorial_constraints(),
            labelled_constraint("title", _("Give the event's title in at least one language.")),
            choice_constraint("kind", EventKind),
            partial_date_constraint("happened_on"),
            models.CheckConstraint(
                condition=Q(participant_count__isnull=True) | Q(participant_count__gte=0),
                name="%(app_label)s_%(class)s_participant_count_not_negative",
                violation_error_message=_("A number of participants cannot be negative."),
            ),
        ]

    def __str__(self):
        return f"{self.happened_on} {self.title}".strip()

    @property
    def title(self) -> str:
        """The title in the active language, with the fallback (``tracker.lib.languages``)."""
        return label(self, "title")

    def clean(self):
        super().clean()
        require_label(self, "title", _("Give the event's title in at least one language."))


class EventParticipant(ReviewedModel, CitedModel):
    """A person's part in an event. ``attended`` is empty where sources disagree."""

    public_parents = ("event", "person")

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="participations", verbose_name=_("event")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="participations", verbose_name=_("person")
    )
    role = models.CharField(_("role"), max_length=200, blank=True)
    attended = models.BooleanField(
        _("attended"), null=True, default=True, help_text=_("Empty: sources disagree.")
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["event_id", "id"]
        verbose_name = _("event participant")
        verbose_name_plural = _("event participants")
        constraints = [
            *editorial_constraints(),
            models.UniqueConstraint(
                fields=["event", "person"],
                name="%(app_label)s_%(class)s_unique",
                violation_error_message=_("This person is already listed for this event."),
            ),
        ]

    def __str__(self):
        return f"{self.person} @ {self.event}"


class ReportedFigure(EditorialModel, CitedModel):
    """
    A count that a source states: “more than 13,000 people detained as of 2020-10-12”.

    ``counted`` and ``counted_by`` are in English: the API and the files give them as
    they are. ``counted_be``/``_ru`` and ``counted_by_be``/``_ru`` say the same for the
    website's Belarusian and Russian pages, read with the labels' fallback
    (``tracker.lib.languages.pick``: the page's language, else English).
    """

    public_references = ("part_of", "event")

    value = models.BigIntegerField(_("value"))
    qualifier = models.CharField(
        _("qualifier"),
        max_length=16,
        choices=FigureQualifier.choices,
        default=FigureQualifier.EXACTLY,
    )
    counted = models.CharField(_("what is counted"), max_length=300)
    counted_be = models.CharField(
        _("what is counted, in Belarusian"),
        max_length=300,
        blank=True,
        help_text=_("For the website's pages in this language; empty: the English."),
    )
    counted_ru = models.CharField(
        _("what is counted, in Russian"),
        max_length=300,
        blank=True,
        help_text=_("For the website's pages in this language; empty: the English."),
    )
    as_of = PartialDateField(_("as of"))
    as_of_earliest = earliest_of("as_of")
    as_of_latest = latest_of("as_of")
    counted_by = models.CharField(
        _("who counts"), max_length=300, blank=True, help_text=_("Whose count the source reports.")
    )
    counted_by_be = models.CharField(
        _("who counts, in Belarusian"),
        max_length=300,
        blank=True,
        help_text=_("For the website's pages in this language; empty: the English."),
    )
    counted_by_ru = models.CharField(
        _("who counts, in Russian"),
        max_length=300,
        blank=True,
        help_text=_("For the website's pages in this language; empty: the English."),
    )
    country = models.CharField(_("country (ISO 3166 code)"), max_length=2, default="BY")
    part_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        related_name="parts",
        null=True,
        blank=True,
        verbose_name=_("part of"),
        help_text=_("For “of them, …” figures."),
    )
    event = models.ForeignKey(
        Event,
        on_delete=models.PROTECT,
        related_name="figures",
        null=True,
        blank=True,
        verbose_name=_("event"),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-as_of_earliest", "counted", "id"]
        verbose_name = _("reported figure")
        verbose_name_plural = _("reported figures")
        indexes = [models.Index(fields=["as_of_earliest"], name="prisoners_figure_asof_idx")]
        constraints = [
            *editorial_constraints(),
            choice_constraint("qualifier", FigureQualifier),
            partial_date_constraint("as_of"),
            models.CheckConstraint(
                condition=Q(value__gte=0),
                name="%(app_label)s_%(class)s_value_not_negative",
                violation_error_message=_("A count cannot be negative."),
            ),
        ]

    def __str__(self):
        return f"{self.get_qualifier_display()} {self.value:,} {self.counted} ({self.as_of})"
