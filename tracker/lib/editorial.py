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
these in one place, ``prisoners.public``. Besides it, only the workflow's own queues here
filter on the state (``in_review``, ``drafts``, ``sent_back_to``), and they never select a
published row; ``publications`` reads the history, never the records the public sees.

**Whose record, sent back, published when** (the editors' dashboard, from the history of
django-simple-history, whose entries name the user who saved them):

- a record is *mine* when the history entry of its creation names me (``created_by``);
- a record is *sent back to me* when it is a draft now, its latest history entry was
  saved by someone else, and the entry before that, saved by me, had it in review: I sent
  it to review (or changed it while in review) and someone else (a Reviewer) put it back
  to draft (``sent_back_to``);
- a record was *published* at each history entry that has it published when the entry
  before did not, or when there is none (``publications``).
"""

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .constraints import ConstraintsInOneQuery


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


class ReviewedModel(ConstraintsInOneQuery):
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


def drafts(queryset):
    """The rows of ``queryset`` in draft (never a published one)."""
    return queryset.filter(state=EditorialState.DRAFT)


def history_of(model):
    """The historical model of ``model`` (django-simple-history), or None."""
    manager = getattr(model._meta, "simple_history_manager_attribute", None)
    return getattr(model, manager).model if manager else None


def created_by(queryset, user):
    """The rows of ``queryset`` whose creation the history says ``user`` saved."""
    history = history_of(queryset.model)
    key = queryset.model._meta.pk.attname
    created = history._default_manager.filter(history_type="+", history_user=user)
    return queryset.filter(pk__in=created.values(key))


def sent_back_to(queryset, user):
    """The drafts of ``queryset`` sent back to ``user`` (see the module docstring)."""
    history = history_of(queryset.model)
    key = queryset.model._meta.pk.attname
    entries = history._default_manager.filter(**{key: OuterRef("pk")}).order_by(
        "-history_date", "-history_id"
    )
    return (
        drafts(queryset)
        .annotate(
            _last_by=Subquery(entries.values("history_user_id")[:1]),
            _before_by=Subquery(entries.values("history_user_id")[1:2]),
            _before_state=Subquery(entries.values("state")[1:2]),
        )
        .filter(
            ~Q(_last_by=user.pk) | Q(_last_by__isnull=True),
            _before_by=user.pk,
            _before_state=EditorialState.IN_REVIEW,
        )
    )


def publications(model):
    """
    The history entries of ``model`` that published a record (see the module docstring),
    newest first, with the user who saved them.
    """
    history = history_of(model)
    key = model._meta.pk.attname
    before = (
        history._default_manager.filter(
            **{key: OuterRef(key)}, history_date__lt=OuterRef("history_date")
        )
        .order_by("-history_date", "-history_id")
        .values("state")[:1]
    )
    return (
        history._default_manager.filter(state=EditorialState.PUBLISHED)
        .annotate(_before=Subquery(before))
        .filter(Q(_before__isnull=True) | ~Q(_before=EditorialState.PUBLISHED))
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )


def editorial_constraints() -> list[models.BaseConstraint]:
    return [choice_constraint("state", EditorialState)]


class CitedModel(models.Model):
    """A record that sources can cite, as a whole or field by field."""

    citations = GenericRelation("sources.Citation", related_query_name="%(class)s")

    class Meta:
        abstract = True
