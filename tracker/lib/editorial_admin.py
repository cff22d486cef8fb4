"""
The review workflow in the admin: draft → in review → published, for whole records and
for the parts shown with them (name variants, identifiers, charges, facility stays,
facility names, event participants, citations, criminal-code articles).

What the public sees of a published record changes only when a Reviewer publishes. Only
users with ``prisoners.publish_records`` (Reviewers, superusers) publish or unpublish, by
any route (change form, inline rows, add form, the "+" popup, history revert):

- **Editors never save a published state.** The state field offers them draft and in
  review only (a crafted POST with "published" is a form error); in inline rows it is
  read-only for them; the publish actions are not theirs.
- **An Editor's change to a published record or part sends it to review**, whether made
  in its form, in an inline row or by reverting to an earlier version (``editors_state``).
  The public keeps reading the last published version (``prisoners.publishing``) until a
  Reviewer publishes the change; the change list and the page say "changed since
  publication" and show the differences field by field. Only what changed goes to
  review: a new citation on a published person's page sends the citation to review, not
  the person.
- **An Editor's new part waits with its record:** it is saved in review when its record is
  published or in review, as a draft when the record is a draft (an inline row's record is
  the page's record; a citation's is the record it cites).
- **A Reviewer's saves keep the state they choose.** A Reviewer who publishes a record,
  with the publish action or by saving its form (or reverting it) as published, also
  publishes its parts that are draft or in review: the part rows of the record's inlines
  and their citations (``parts_of``). Rows whose state the Reviewer set in that same save
  keep it. Parts are reviewed with the page they are shown on: a Reviewer who publishes
  the page has seen them.
- "Send to review" on a record also sends its draft parts to review; "unpublish" takes
  the record down at once (its parts are hidden with it, and come back when it is
  published again).

A form that sends no state for a part (a part's state is not required) keeps its state.

Every change form and inline row also refuses to overwrite a change someone made since
it was opened (``tracker.lib.concurrency``).
"""

from collections import defaultdict
from importlib import import_module

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.contenttypes.admin import GenericInlineModelAdmin
from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q
from django.forms.formsets import DELETION_FIELD_NAME
from django.forms.models import _get_foreign_key
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .admin_download import CsvDownloadMixin
from .admin_pages import WithoutCount, is_autocomplete
from .batches import BatchedActionsMixin, each_batch
from .concurrency import VersionedAdminMixin, VersionedInlineMixin
from .editorial import (
    EditorialModel,
    EditorialState,
    ReviewedModel,
    created_by,
    drafts,
    history_of,
    in_review,
    sent_back_to,
)

PUBLISH = "prisoners.publish_records"
DRAFT = EditorialState.DRAFT
IN_REVIEW = EditorialState.IN_REVIEW
PUBLISHED = EditorialState.PUBLISHED
# Fields that change by themselves: not an editor's change.
_AUTOMATIC = {"state", "updated_at", "created_at"}


def publishing():
    """
    The publishing services (``settings.TRACKER_PUBLISHING``, ``prisoners.publishing``):
    plugged in by a setting, since this shared code imports no app.
    """
    return import_module(settings.TRACKER_PUBLISHING)


def can_publish(request) -> bool:
    return request.user.has_perm(PUBLISH)


def is_reviewed(model) -> bool:
    return isinstance(model, type) and issubclass(model, ReviewedModel)


def is_part(model) -> bool:
    """A part of a record (a name variant, a citation…), reviewed on its record's page."""
    return is_reviewed(model) and not issubclass(model, EditorialModel)


def stored_row(obj):
    """The row as it is in the database now, or None for a new one."""
    if obj.pk is None:
        return None
    return type(obj)._default_manager.filter(pk=obj.pk).first()


def differs(obj, stored) -> bool:
    """Whether saving ``obj`` changes anything but its state and timestamps."""
    for field in obj._meta.concrete_fields:
        if field.primary_key or field.name in _AUTOMATIC or getattr(field, "generated", False):
            continue
        if field.value_from_object(obj) != field.value_from_object(stored):
            return True
    return False


def editors_state(obj, record=None, stored=None) -> str:
    """
    The state an Editor's save leaves ``obj`` in: never published. ``stored`` is the row as
    it is in the database (None for a new one); ``record`` the record a part belongs to.
    """
    if stored is None:
        state = IN_REVIEW if obj.state == PUBLISHED else obj.state
        if record is not None and getattr(record, "state", DRAFT) != DRAFT:
            state = IN_REVIEW  # waits with its published (or in review) record
        return state
    if obj.state == PUBLISHED:
        if stored.state == PUBLISHED and not differs(obj, stored):
            return PUBLISHED  # nothing changed: the public sees what was reviewed
        return IN_REVIEW
    return obj.state


def _state_choices(db_field, request, kwargs):
    if db_field.name == "state" and not can_publish(request):
        kwargs["choices"] = [
            (value, label) for value, label in EditorialState.choices if value != PUBLISHED
        ]


def _key(obj):
    return (type(obj)._meta.label, obj.pk)


class EditorialAdminMixin(BatchedActionsMixin, CsvDownloadMixin, VersionedAdminMixin):
    """
    For every ModelAdmin of a reviewed model: whole records and parts with own pages. Its
    change form refuses to overwrite a change made since it was opened; its list offers
    "Download CSV" where a download is registered (``tracker.lib.admin_download``).
    """

    actions = ["send_to_review", "publish", "unpublish"]
    # "N results (M total)" costs a second COUNT of the whole table on every filtered page
    # (100,000 people, a million citations): the list offers "Show all" instead.
    show_full_result_count = False

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        """An autocomplete's pages read one row more instead of counting every match."""
        if is_autocomplete(request):
            return WithoutCount(queryset, per_page, orphans, allow_empty_first_page)
        return super().get_paginator(request, queryset, per_page, orphans, allow_empty_first_page)

    def get_list_filter(self, request):
        """The list's filters, with the review queue's and "mine" (the dashboard's links)."""
        filters = list(super().get_list_filter(request))
        if WaitingForReviewFilter not in filters:
            filters.append(WaitingForReviewFilter)
        if history_of(self.model) is not None:
            filters.append(MineFilter)
        return filters

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        _state_choices(db_field, request, kwargs)
        if db_field.name == "state" and is_part(db_field.model):
            kwargs["required"] = False  # a form without it keeps the part's state
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.state == PUBLISHED and not can_publish(request):
            fields.append("state")  # saving a change sends it to review (save_model)
        return fields

    def has_publish_permission(self, request):
        return can_publish(request)

    # The published version beside the working copy -----------------------------------

    def get_queryset(self, request):
        versions = publishing().published_versions(self.model).filter(object_id=OuterRef("pk"))
        return super().get_queryset(request).annotate(_published_version=Exists(versions))

    def get_list_display(self, request):
        return [*super().get_list_display(request), "public_version"]

    @admin.display(description=_("public version"))
    def public_version(self, obj):
        if not getattr(obj, "_published_version", False):
            return _("not public")
        if obj.state == PUBLISHED:
            return _("published")
        return _("changed since publication")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            record = self.get_object(request, object_id)
            changes = publishing().differences(record) if record is not None else []
            if changes:
                fields = ", ".join(
                    format_html(
                        "{}: “{}” → “{}”",
                        _field_label(self.model, name),
                        "" if old is None else old,
                        "" if new is None else new,
                    )
                    for name, old, new in changes
                )
                messages.warning(
                    request,
                    format_html(
                        "{} {}",
                        _(
                            "Changed since publication: the public sees the published "
                            "version until a reviewer publishes these changes."
                        ),
                        fields,
                    ),
                )
        return super().change_view(request, object_id, form_url, extra_context)

    def review_record(self, obj):
        """The record a part waits with (its first public parent); None for records."""
        if not is_part(type(obj)) or not obj.public_parents:
            return None
        return getattr(obj, obj.public_parents[0], None)

    # Saving ---------------------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        stored = stored_row(obj) if change else None
        if not obj.state:  # sent empty: kept as it is
            obj.state = stored.state if stored is not None else DRAFT
        if not can_publish(request):
            obj.state = editors_state(obj, self.review_record(obj), stored)
            if stored is not None and stored.state == PUBLISHED and obj.state != PUBLISHED:
                messages.warning(
                    request,
                    _(
                        "Your change needs a reviewer: “%s” went back to review; the public "
                        "sees the published version until a reviewer publishes your change."
                    )
                    % obj,
                )
        super().save_model(request, obj, form, change)
        if getattr(request, "_editorial_revert", False):
            self._published_with_parts(request, obj)  # a revert saves no inline rows

    def save_formset(self, request, form, formset, change):
        if is_reviewed(formset.model):
            if can_publish(request):
                kept = request.__dict__.setdefault("_editorial_kept", set())
                kept.update(_key(row.instance) for row in _saved_rows(formset) if _chose(row))
            else:
                waiting = 0
                for row in _saved_rows(formset):
                    stored = stored_row(row.instance)
                    row.instance.state = editors_state(row.instance, formset.instance, stored)
                    waiting += row.instance.state == IN_REVIEW and (
                        stored is None or stored.state != IN_REVIEW
                    )
                if waiting:
                    messages.warning(
                        request,
                        ngettext(
                            "%(count)s change to %(rows)s waits for a reviewer: not public "
                            "until a reviewer publishes it.",
                            "%(count)s changes to %(rows)s wait for a reviewer: not public "
                            "until a reviewer publishes them.",
                            waiting,
                        )
                        % {"count": waiting, "rows": formset.model._meta.verbose_name_plural},
                    )
        super().save_formset(request, form, formset, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        self._published_with_parts(request, form.instance)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        request._editorial_revert = True
        return super().history_form_view(request, object_id, version_id, extra_context)

    def _published_with_parts(self, request, record):
        """A Reviewer saved ``record`` as published: publish its parts in waiting too."""
        if not can_publish(request) or record.state != PUBLISHED:
            return
        kept = getattr(request, "_editorial_kept", set())
        moved = self._move_parts(request, [record], {DRAFT, IN_REVIEW}, PUBLISHED, kept)
        if moved:
            messages.info(
                request,
                ngettext(
                    "%(count)s part of “%(record)s” published with it.",
                    "%(count)s parts of “%(record)s” published with it.",
                    moved,
                )
                % {"count": moved, "record": record},
            )

    # Parts ----------------------------------------------------------------------------

    def _part_rows(self):
        """
        For each inline of parts on this admin's pages: its model, the column naming the
        record a row belongs to, and its rows (of all records).
        """
        for inline in self.inlines:
            if not is_part(inline.model):
                continue
            manager = inline.model._default_manager
            if issubclass(inline, GenericInlineModelAdmin):
                content_type = ContentType.objects.get_for_model(
                    self.model, for_concrete_model=getattr(inline, "for_concrete_model", True)
                )
                yield (
                    inline.model,
                    inline.ct_fk_field,
                    manager.filter(**{inline.ct_field: content_type}),
                )
            else:
                fk = _get_foreign_key(self.model, inline.model, fk_name=inline.fk_name)
                yield inline.model, fk.attname, manager.all()

    def parts_of(self, records) -> list:
        """
        The parts of these records: the rows of their pages' inlines that are parts (not
        whole records, such as a person's detentions), and the citations of those rows.
        """
        pks = [record.pk for record in records]
        if not pks:
            return []
        found = []
        for _model, column, rows in self._part_rows():
            found.extend(rows.filter(**{f"{column}__in": pks}))
        return found + _citations_of(found)

    def waiting_for_review(self, queryset) -> Q:
        """
        A condition for the records of ``queryset`` that are in review or have a part in
        review (a published person with a new name variant, a citation of one of their
        name variants): the Reviewers' queue, as one semi-join on the union of the ids each
        kind of row in review gives (an OR of subqueries would read every record).
        """
        waiting = [in_review(queryset.model._default_manager.all()).values("pk")]
        for model, column, rows in self._part_rows():
            waiting.append(in_review(rows).values(column))
            for citations, object_column in _citation_rows(model):
                cited = in_review(citations).values(object_column)
                waiting.append(rows.filter(pk__in=cited).values(column))
        waiting = [ids.order_by() for ids in waiting]
        return Q(pk__in=waiting[0].union(*waiting[1:]))

    def _move_parts(self, request, records, from_states, state, kept=frozenset()) -> int:
        moved = 0
        for part in self.parts_of(records):
            if part.state in from_states and _key(part) not in kept:
                part.state = state
                part._history_user = request.user
                part.save()
                moved += 1
        return moved

    # Actions --------------------------------------------------------------------------

    def _move(self, request, records, state):
        for record in records:
            record.state = state
            record._history_user = request.user
            record.save()

    # Batches: publishing or sending 1,000 records commits and reports a batch at a time
    # (``tracker.lib.batches``). Each batch goes through the publishing services as a
    # single record would: a published batch is public (its versions and the edition
    # written) when its transaction commits, whatever happens to the batches after it.
    batched_actions = frozenset({"send_to_review", "publish"})

    @admin.action(description=_("Send the selected records to review"))
    def send_to_review(self, request, queryset):
        each_batch(self, request, queryset, lambda records: self._send_to_review(request, records))

    def _send_to_review(self, request, records) -> str:
        moving = [record for record in records if record.state != PUBLISHED]
        self._move(request, moving, IN_REVIEW)
        parts = self._move_parts(request, records, {DRAFT}, IN_REVIEW)
        return ngettext(
            "%(count)s record sent to review, with its draft parts: %(parts)s.",
            "%(count)s records sent to review, with their draft parts: %(parts)s.",
            len(moving),
        ) % {"count": len(moving), "parts": parts}

    @admin.action(description=_("Publish the selected records"), permissions=["publish"])
    def publish(self, request, queryset):
        each_batch(self, request, queryset, lambda records: self._publish(request, records))

    def _publish(self, request, records) -> str:
        parts = 0
        with publishing().deferred(request.user):  # one derivation of the edition per batch
            for record in records:
                parts += len(publishing().publish(record=record, user=request.user))
        return ngettext(
            "%(count)s record published, with its parts in waiting: %(parts)s.",
            "%(count)s records published, with their parts in waiting: %(parts)s.",
            len(records),
        ) % {"count": len(records), "parts": parts}

    @admin.action(
        description=_("Unpublish the selected records (back to review)"), permissions=["publish"]
    )
    def unpublish(self, request, queryset):
        records = list(queryset)
        for record in records:
            publishing().unpublish(record=record, user=request.user)
        self.message_user(
            request,
            ngettext(
                "%(count)s record unpublished.", "%(count)s records unpublished.", len(records)
            )
            % {"count": len(records)},
            messages.SUCCESS,
        )


class EditorialInlineMixin(VersionedInlineMixin):
    """
    Inline rows of reviewed models (records or parts): only publishers may change their
    state here; what an Editor's rows are saved as is the ModelAdmin's ``save_formset``.
    A row changed since the page was opened is not overwritten.
    """

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        _state_choices(db_field, request, kwargs)
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not can_publish(request):
            fields.append("state")
        return fields


def _field_label(model, attname: str) -> str:
    for field in model._meta.concrete_fields:
        if attname in (field.name, field.attname):
            return str(field.verbose_name)
    return attname


def _saved_rows(formset):
    """The forms of an inline formset that its save writes (new or changed, not deleted)."""
    for row in formset.forms:
        if not row.has_changed():
            continue
        if formset.can_delete and row.cleaned_data.get(DELETION_FIELD_NAME):
            continue
        yield row


def _chose(row) -> bool:
    return "state" in row.changed_data


def _citation_rows(model):
    """For each generic relation of ``model`` to parts (its citations): rows, id column."""
    for field in model._meta.private_fields:
        if isinstance(field, GenericRelation) and is_part(field.related_model):
            content_type = ContentType.objects.get_for_model(
                model, for_concrete_model=field.for_concrete_model
            )
            rows = field.related_model._default_manager.filter(
                **{field.content_type_field_name: content_type}
            )
            yield rows, field.object_id_field_name


def _citations_of(rows) -> list:
    """The rows of parts that cite these rows (their citations), by generic relation."""
    pks = defaultdict(list)
    for row in rows:
        pks[type(row)].append(row.pk)
    found = []
    for model, model_pks in pks.items():
        for citations, object_column in _citation_rows(model):
            found.extend(citations.filter(**{f"{object_column}__in": model_pks}))
    return found


class WaitingForReviewFilter(admin.SimpleListFilter):
    """Records in review, or with a part in review: what a Reviewer has to look at."""

    title = _("review")
    parameter_name = "review"

    def __init__(self, request, params, model, model_admin):
        self.model_admin = model_admin
        super().__init__(request, params, model, model_admin)

    def lookups(self, request, model_admin):
        return [
            ("waiting", _("waiting for review (the record or a part of it)")),
            ("changed", _("changed since publication")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "waiting":
            return queryset.filter(self.model_admin.waiting_for_review(queryset))
        if self.value() == "changed":
            versions = publishing().published_versions(queryset.model).values("object_id")
            return in_review(queryset).filter(pk__in=versions) | drafts(queryset).filter(
                pk__in=versions
            )
        return queryset


class MineFilter(admin.SimpleListFilter):
    """My drafts, and the drafts sent back to me (``tracker.lib.editorial``)."""

    title = _("mine")
    parameter_name = "mine"
    DRAFTS = "drafts"
    SENT_BACK = "sent_back"

    def lookups(self, request, model_admin):
        return [
            (self.DRAFTS, _("my drafts")),
            (self.SENT_BACK, _("sent back to me")),
        ]

    def queryset(self, request, queryset):
        if self.value() == self.DRAFTS:
            return drafts(created_by(queryset, request.user))
        if self.value() == self.SENT_BACK:
            return sent_back_to(queryset, request.user)
        return queryset
