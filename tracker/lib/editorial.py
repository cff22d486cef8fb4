"""
What every public record shares: an editorial state that gates publication, private
editors' notes, timestamps, and database checks for choice fields.

Every record the public can see carries its own ``state``: whole records (a person, a
detention, a source: ``EditorialModel``) and the parts shown with them (a name variant, a
charge, a citation: ``ReviewedModel``), so that a change to any part waits for review.

Each model also says what its publication depends on: ``public_parents`` names the
foreign keys whose records must be public too (a release needs its detention, which needs
its person), and ``public_references`` the optional links that the public sees only when
their record is public (an event's facility). What the public may read is decided from
these in one place, ``prisoners.public``. Besides it, only the workflow's queue here
(``in_review``) filters on the state, and it never selects a published row.
"""

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _


class EditorialState(models.TextChoices):
    DRAFT = "draft", _("draft")
    IN_REVIEW = "in_review", _("in review")
    PUBLISHED = "published", _("published")


def choice_constraint(field_name: str, choices: type[models.Choices]) -> models.CheckConstraint:
    """The database's own check that a choice column holds one of its choices."""
    return models.CheckConstraint(
        condition=models.Q(**{f"{field_name}__in": choices.values}),
        name=f"%(app_label)s_%(class)s_{field_name}_valid",
        violation_error_message=format_lazy(_("Unknown value for {field}."), field=field_name),
    )


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True, db_index=True)

    class Meta:
        abstract = True


class ReviewedModel(models.Model):
    """A record, or a part of one, that the public sees only once a Reviewer published it."""

    state = models.CharField(
        _("editorial state"),
        max_length=16,
        choices=EditorialState.choices,
        default=EditorialState.DRAFT,
        db_index=True,
        help_text=_("Only published records are shown to the public."),
    )

    # Foreign keys whose records must be public for this one to be (see the docstring).
    public_parents: tuple[str, ...] = ()
    # Optional foreign keys shown to the public only when their record is public.
    public_references: tuple[str, ...] = ()

    class Meta:
        abstract = True

    @property
    def is_published(self) -> bool:
        return self.state == EditorialState.PUBLISHED


class EditorialModel(ReviewedModel, TimeStampedModel):
    """A record that goes through draft → in review → published, with private notes."""

    editors_notes = models.TextField(
        _("editors' notes"),
        blank=True,
        help_text=_("Private to editors. Never shown in the public API or exports."),
    )

    class Meta:
        abstract = True


def in_review(queryset):
    """
    The rows of ``queryset`` waiting for a Reviewer: the workflow's own queue. It selects
    only unpublished rows; what the public sees is decided in ``prisoners.public`` alone.
    """
    return queryset.filter(state=EditorialState.IN_REVIEW)


def editorial_constraints() -> list[models.BaseConstraint]:
    return [choice_constraint("state", EditorialState)]


class CitedModel(models.Model):
    """A record that sources can cite, as a whole or field by field."""

    citations = GenericRelation("sources.Citation", related_query_name="%(class)s")

    class Meta:
        abstract = True
