"""
What every public record shares: an editorial state that gates publication, private
editors' notes, timestamps, and database checks for choice fields.

Only ``state == published`` is ever shown to the public; ``Model.objects.published()``
is the one way the public side reads.
"""

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
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
        violation_error_message=_("Unknown value for %(field)s.") % {"field": field_name},
    )


class EditorialQuerySet(models.QuerySet):
    def published(self):
        return self.filter(state=EditorialState.PUBLISHED)


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True, db_index=True)

    class Meta:
        abstract = True


class EditorialModel(TimeStampedModel):
    """A record that goes through draft → in review → published, with private notes."""

    state = models.CharField(
        _("editorial state"),
        max_length=16,
        choices=EditorialState.choices,
        default=EditorialState.DRAFT,
        db_index=True,
        help_text=_("Only published records are shown to the public."),
    )
    editors_notes = models.TextField(
        _("editors' notes"),
        blank=True,
        help_text=_("Private to editors. Never shown in the public API or exports."),
    )

    objects = EditorialQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_published(self) -> bool:
        return self.state == EditorialState.PUBLISHED


def editorial_constraints() -> list[models.BaseConstraint]:
    return [choice_constraint("state", EditorialState)]


class CitedModel(models.Model):
    """A record that sources can cite, as a whole or field by field."""

    citations = GenericRelation("sources.Citation", related_query_name="%(class)s")

    class Meta:
        abstract = True
