"""Detentions and what follows them: charges, places of detention, court decisions, releases."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tracker.lib.editorial import (
    CitedModel,
    EditorialModel,
    ReviewedModel,
    choice_constraint,
    editorial_constraints,
)
from tracker.lib.languages import LANGUAGES, label, labelled_constraint, require_label
from tracker.lib.partial_dates import (
    PartialDateField,
    earliest_of,
    latest_of,
    parse_partial_date,
    partial_date_constraint,
)

from ..choices import AppealOutcome, FacilityKind, PenaltyKind, ReleaseKind
from .people import Person


def _not_before(later: str, earlier: str) -> Q:
    """Q: ``later`` may fall on or after ``earlier`` (true when either is unknown)."""
    return (
        Q(**{f"{later}_latest__isnull": True})
        | Q(**{f"{earlier}_earliest__isnull": True})
        | Q(**{f"{later}_latest__gte": F(f"{earlier}_earliest")})
    )


def _check_order(later_value, earlier_value, later_field, message):
    later, earlier = parse_partial_date(later_value), parse_partial_date(earlier_value)
    if later and earlier and not later.could_be_after(earlier):
        raise ValidationError({later_field: message})


class Facility(EditorialModel, CitedModel):
    """A place where people are held: a detention centre, a colony, a prison."""

    name_be = models.CharField(_("name in Belarusian"), max_length=300, blank=True)
    name_ru = models.CharField(_("name in Russian"), max_length=300, blank=True)
    name_en = models.CharField(_("name in English"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=FacilityKind.choices)
    country = models.CharField(_("country (ISO 3166 code)"), max_length=2, default="BY")
    city_be = models.CharField(_("city in Belarusian"), max_length=100, blank=True)
    city_ru = models.CharField(_("city in Russian"), max_length=100, blank=True)
    city_en = models.CharField(_("city in English"), max_length=100, blank=True)
    address = models.TextField(
        _("address for letters"), blank=True, help_text=_("As it must be written on an envelope.")
    )
    description = models.TextField(_("public description"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name_en", "id"]
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        constraints = [
            *editorial_constraints(),
            choice_constraint("kind", FacilityKind),
            labelled_constraint("name", _("Give the facility's name in at least one language.")),
            *(
                models.UniqueConstraint(
                    fields=[f"name_{language}", f"city_{language}"],
                    condition=~Q(**{f"name_{language}": ""}),
                    name=f"%(app_label)s_%(class)s_unique_name_city_{language}",
                    violation_error_message=_("A facility with this name in this city exists."),
                )
                for language in LANGUAGES
            ),
        ]

    def __str__(self):
        return f"{self.name}, {self.city}" if self.city else self.name

    @property
    def name(self) -> str:
        """The name in the active language, with the fallback (``tracker.lib.languages``)."""
        return label(self, "name")

    @property
    def city(self) -> str:
        return label(self, "city")

    def clean(self):
        super().clean()
        require_label(self, "name", _("Give the facility's name in at least one language."))


class FacilityName(ReviewedModel):
    """Another name of a facility, e.g. “Amerykanka” or “Valadarka”."""

    public_parents = ("facility",)

    facility = models.ForeignKey(
        Facility, on_delete=models.CASCADE, related_name="other_names", verbose_name=_("facility")
    )
    name = models.CharField(_("name"), max_length=300)
    language = models.CharField(_("language"), max_length=16, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["facility_id", "name", "id"]
        verbose_name = _("other facility name")
        verbose_name_plural = _("other facility names")
        constraints = [
            *editorial_constraints(),
            models.UniqueConstraint(
                fields=["facility", "name"], name="%(app_label)s_%(class)s_unique"
            ),
        ]

    def __str__(self):
        return self.name


class CriminalArticle(ReviewedModel):
    """An article of a criminal code, e.g. Art. 293 of the Belarusian Criminal Code."""

    code = models.CharField(
        _("code"),
        max_length=16,
        default="BY-CC",
        help_text=_("Which code: BY-CC is the Criminal Code of the Republic of Belarus."),
    )
    number = models.CharField(_("article"), max_length=16, help_text=_("e.g. 293, 361-3"))
    title_be = models.CharField(_("title in Belarusian"), max_length=300, blank=True)
    title_ru = models.CharField(_("title in Russian"), max_length=300, blank=True)
    title_en = models.CharField(_("title in English"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["code", "number", "id"]
        verbose_name = _("criminal-code article")
        verbose_name_plural = _("criminal-code articles")
        constraints = [
            *editorial_constraints(),
            models.UniqueConstraint(
                fields=["code", "number"],
                name="%(app_label)s_%(class)s_unique",
                violation_error_message=_("This article is already recorded."),
            ),
        ]

    def __str__(self):
        article = _("Art. %(number)s") % {"number": self.number}
        return f"{article} — {self.title}" if self.title else article

    @property
    def title(self) -> str:
        """The title in the active language, with the fallback (``tracker.lib.languages``)."""
        return label(self, "title")


class Detention(EditorialModel, CitedModel):
    """One deprivation of liberty, from arrest through trial, sentence and release."""

    public_parents = ("person",)

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="detentions", verbose_name=_("person")
    )
    started_on = PartialDateField(_("detained on"))
    started_on_earliest = earliest_of("started_on")
    started_on_latest = latest_of("started_on")
    place = models.CharField(_("place of detention"), max_length=300, blank=True)
    authority = models.CharField(_("detaining authority"), max_length=300, blank=True)
    circumstances = models.TextField(_("public account"), blank=True)
    case_number = models.CharField(_("criminal case number"), max_length=100, blank=True)
    defence_counsel = models.CharField(_("defence counsel"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["person_id", "started_on_earliest", "id"]
        verbose_name = _("detention")
        verbose_name_plural = _("detentions")
        indexes = [
            models.Index(
                fields=["person", "started_on_earliest"], name="prisoners_detention_person_idx"
            ),
            models.Index(
                fields=["started_on_earliest", "started_on_latest"],
                name="prisoners_detention_start_idx",
            ),
        ]
        constraints = [*editorial_constraints(), partial_date_constraint("started_on")]

    def __str__(self):
        return f"{self.person} — {self.started_on or _('date unknown')}"

    def clean(self):
        super().clean()
        if self.pk and self.started_on:
            for release in self.releases.all():
                _check_order(
                    release.released_on,
                    self.started_on,
                    "started_on",
                    _("A release of this detention is recorded before this date."),
                )


class Charge(ReviewedModel, CitedModel):
    """One criminal-code article a detention's case is brought under."""

    public_parents = ("detention",)
    public_references = ("article",)

    detention = models.ForeignKey(
        Detention, on_delete=models.CASCADE, related_name="charges", verbose_name=_("detention")
    )
    article = models.ForeignKey(
        CriminalArticle,
        on_delete=models.PROTECT,
        related_name="charges",
        null=True,
        blank=True,
        verbose_name=_("article"),
    )
    part = models.CharField(_("part"), max_length=16, blank=True)
    title = models.CharField(
        _("title as charged"),
        max_length=500,
        blank=True,
        help_text=_("e.g. Participation in riots"),
    )
    text = models.TextField(
        _("original text"), blank=True, help_text=_("The charge as the source words it.")
    )
    charged_on = PartialDateField(_("charged on"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["detention_id", "id"]
        verbose_name = _("charge")
        verbose_name_plural = _("charges")
        constraints = [
            *editorial_constraints(),
            partial_date_constraint("charged_on"),
            models.CheckConstraint(
                condition=Q(article__isnull=False) | ~Q(text=""),
                name="%(app_label)s_%(class)s_article_or_text",
                violation_error_message=_("Give the article or the charge's original text."),
            ),
        ]

    def __str__(self):
        if self.article_id:
            numbers = {"part": self.part, "number": self.article.number}
            if self.part:
                article = _("Part %(part)s of Art. %(number)s") % numbers
            else:
                article = _("Art. %(number)s") % numbers
            return f"{article} — {self.title}" if self.title else article
        return self.text


class FacilityStay(ReviewedModel, CitedModel):
    """A period a detained person spent in one facility."""

    public_parents = ("detention", "facility")

    detention = models.ForeignKey(
        Detention,
        on_delete=models.CASCADE,
        related_name="facility_stays",
        verbose_name=_("detention"),
    )
    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, related_name="stays", verbose_name=_("facility")
    )
    started_on = PartialDateField(_("from"))
    started_on_earliest = earliest_of("started_on")
    started_on_latest = latest_of("started_on")
    ended_on = PartialDateField(_("until"))
    ended_on_earliest = earliest_of("ended_on")
    ended_on_latest = latest_of("ended_on")
    note = models.CharField(_("public note"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["detention_id", "started_on_earliest", "id"]
        verbose_name = _("facility stay")
        verbose_name_plural = _("facility stays")
        constraints = [
            *editorial_constraints(),
            partial_date_constraint("started_on"),
            partial_date_constraint("ended_on"),
            models.CheckConstraint(
                condition=_not_before("ended_on", "started_on"),
                name="%(app_label)s_%(class)s_ends_after_start",
                violation_error_message=_("A stay cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return f"{self.facility} {self.started_on}–{self.ended_on}"

    def clean(self):
        super().clean()
        _check_order(
            self.ended_on, self.started_on, "ended_on", _("A stay cannot end before it starts.")
        )


class CourtDecision(EditorialModel, CitedModel):
    """A verdict and sentence, with its appeal."""

    public_parents = ("detention",)

    detention = models.ForeignKey(
        Detention, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("detention")
    )
    decided_on = PartialDateField(_("verdict date"))
    decided_on_earliest = earliest_of("decided_on")
    decided_on_latest = latest_of("decided_on")
    court = models.CharField(_("court"), max_length=300, blank=True)
    judge = models.CharField(_("judge"), max_length=300, blank=True)
    penalty_kind = models.CharField(
        _("penalty"), max_length=32, choices=PenaltyKind.choices, blank=True
    )
    term_months = models.IntegerField(
        _("term (months)"), null=True, blank=True, help_text=_("4½ years is 54 months.")
    )
    term_days = models.IntegerField(
        _("term (days)"), null=True, blank=True, help_text=_("Days beyond the months, if any.")
    )
    term_text = models.CharField(
        _("sentence as worded"),
        max_length=300,
        blank=True,
        help_text=_("The source's own words, e.g. “4 1/2 years” or “80 base rates”."),
    )
    fine_amount = models.DecimalField(
        _("fine"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    fine_unit = models.CharField(
        _("fine unit"), max_length=50, blank=True, help_text=_("base rates, BYN, …")
    )
    penalty_starts_on = PartialDateField(_("penalty starts on"))
    appeal_decided_on = PartialDateField(_("appeal date"))
    appeal_decided_on_earliest = earliest_of("appeal_decided_on")
    appeal_decided_on_latest = latest_of("appeal_decided_on")
    appeal_court = models.CharField(_("appeal court"), max_length=300, blank=True)
    appeal_outcome = models.CharField(
        _("appeal outcome"), max_length=16, choices=AppealOutcome.choices, blank=True
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["detention_id", "decided_on_earliest", "id"]
        verbose_name = _("court decision")
        verbose_name_plural = _("court decisions")
        indexes = [
            models.Index(fields=["detention", "decided_on_earliest"], name="prisoners_dec_det_idx"),
            models.Index(fields=["term_months"], name="prisoners_dec_term_idx"),
        ]
        constraints = [
            *editorial_constraints(),
            partial_date_constraint("decided_on"),
            partial_date_constraint("penalty_starts_on"),
            partial_date_constraint("appeal_decided_on"),
            models.CheckConstraint(
                condition=Q(penalty_kind="") | Q(penalty_kind__in=PenaltyKind.values),
                name="%(app_label)s_%(class)s_penalty_kind_valid",
                violation_error_message=_("Unknown penalty."),
            ),
            models.CheckConstraint(
                condition=Q(appeal_outcome="") | Q(appeal_outcome__in=AppealOutcome.values),
                name="%(app_label)s_%(class)s_appeal_outcome_valid",
                violation_error_message=_("Unknown appeal outcome."),
            ),
            models.CheckConstraint(
                condition=(Q(term_months__isnull=True) | Q(term_months__gte=0))
                & (Q(term_days__isnull=True) | Q(term_days__gte=0)),
                name="%(app_label)s_%(class)s_term_not_negative",
                violation_error_message=_("A term cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(fine_amount__isnull=True) | Q(fine_amount__gte=0),
                name="%(app_label)s_%(class)s_fine_not_negative",
                violation_error_message=_("A fine cannot be negative."),
            ),
            models.CheckConstraint(
                condition=_not_before("appeal_decided_on", "decided_on"),
                name="%(app_label)s_%(class)s_appeal_after_verdict",
                violation_error_message=_("An appeal cannot be decided before the verdict."),
            ),
        ]

    def __str__(self):
        return f"{self.detention.person} — {self.decided_on}: {self.term_text or self.penalty_kind}"

    def clean(self):
        super().clean()
        errors = {}
        for field in ("term_months", "term_days"):
            value = getattr(self, field)
            if value is not None and value < 0:
                errors[field] = _("A term cannot be negative.")
        if self.fine_amount is not None and self.fine_amount < 0:
            errors["fine_amount"] = _("A fine cannot be negative.")
        if errors:
            raise ValidationError(errors)
        _check_order(
            self.appeal_decided_on,
            self.decided_on,
            "appeal_decided_on",
            _("An appeal cannot be decided before the verdict."),
        )

    @property
    def term_total_months(self) -> float | None:
        if self.term_months is None and self.term_days is None:
            return None
        return (self.term_months or 0) + (self.term_days or 0) / 30.4375


class Release(EditorialModel, CitedModel):
    """
    The end of custody, or a change to a lighter restraint.

    A move to house arrest is a release from custody, not freedom: the person's status
    becomes "house arrest / restricted freedom". A release cannot precede its detention;
    the database enforces this with a trigger (migration 0002), since the rule spans
    two tables.
    """

    public_parents = ("detention",)

    detention = models.ForeignKey(
        Detention, on_delete=models.PROTECT, related_name="releases", verbose_name=_("detention")
    )
    released_on = PartialDateField(_("released on"))
    released_on_earliest = earliest_of("released_on")
    released_on_latest = latest_of("released_on")
    kind = models.CharField(_("kind"), max_length=32, choices=ReleaseKind.choices)
    destination_country = models.CharField(_("exiled to (ISO 3166 code)"), max_length=2, blank=True)
    circumstances = models.TextField(_("public account"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["detention_id", "released_on_earliest", "id"]
        verbose_name = _("release")
        verbose_name_plural = _("releases")
        indexes = [
            models.Index(
                fields=["detention", "released_on_earliest"], name="prisoners_release_det_idx"
            ),
            models.Index(
                fields=["kind", "released_on_earliest"], name="prisoners_release_kind_idx"
            ),
        ]
        constraints = [
            *editorial_constraints(),
            choice_constraint("kind", ReleaseKind),
            partial_date_constraint("released_on"),
            models.CheckConstraint(
                condition=~Q(kind=ReleaseKind.EXILE) | ~Q(destination_country=""),
                name="%(app_label)s_%(class)s_exile_has_destination",
                violation_error_message=_("A release into exile needs the destination country."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.released_on}".strip()

    def clean(self):
        super().clean()
        if self.kind == ReleaseKind.EXILE and not self.destination_country:
            raise ValidationError(
                {"destination_country": _("A release into exile needs the destination country.")}
            )
        if self.detention_id:
            _check_order(
                self.released_on,
                self.detention.started_on,
                "released_on",
                _("A release cannot precede its detention (detained %(date)s).")
                % {"date": self.detention.started_on},
            )
