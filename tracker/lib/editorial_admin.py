"""
The review workflow in the admin: draft → in review → published.

Editors send records to review; only users with ``prisoners.publish_records``
(Reviewers, superusers) publish or unpublish, by any route: the state field offers an
Editor only draft and in review (a crafted POST with "published" is a form error), the
publish actions are not theirs, and an Editor's change to a published record sends it
back to review rather than changing what the public sees unreviewed.
"""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from .editorial import EditorialState

PUBLISH = "prisoners.publish_records"


def can_publish(request) -> bool:
    return request.user.has_perm(PUBLISH)


class EditorialAdminMixin:
    """For every ModelAdmin of an EditorialModel."""

    actions = ["send_to_review", "publish", "unpublish"]

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "state" and not can_publish(request):
            kwargs["choices"] = [
                (value, label)
                for value, label in EditorialState.choices
                if value != EditorialState.PUBLISHED
            ]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.state == EditorialState.PUBLISHED and not can_publish(request):
            fields.append("state")  # saving sends it back to review (save_model)
        return fields

    def has_publish_permission(self, request):
        return can_publish(request)

    def save_model(self, request, obj, form, change):
        if obj.state == EditorialState.PUBLISHED and not can_publish(request):
            obj.state = EditorialState.IN_REVIEW
            messages.warning(
                request, _("Your change needs a reviewer: “%s” went back to review.") % obj
            )
        super().save_model(request, obj, form, change)

    def _move(self, request, queryset, state, message):
        moved = 0
        for record in queryset:
            record.state = state
            record._history_user = request.user
            record.save()
            moved += 1
        self.message_user(request, message % {"count": moved}, messages.SUCCESS)

    @admin.action(description=_("Send the selected records to review"))
    def send_to_review(self, request, queryset):
        self._move(
            request,
            queryset.exclude(state=EditorialState.PUBLISHED),
            EditorialState.IN_REVIEW,
            _("%(count)s record(s) sent to review."),
        )

    @admin.action(description=_("Publish the selected records"), permissions=["publish"])
    def publish(self, request, queryset):
        self._move(request, queryset, EditorialState.PUBLISHED, _("%(count)s record(s) published."))

    @admin.action(
        description=_("Unpublish the selected records (back to review)"), permissions=["publish"]
    )
    def unpublish(self, request, queryset):
        self._move(
            request, queryset, EditorialState.IN_REVIEW, _("%(count)s record(s) unpublished.")
        )


class EditorialInlineMixin:
    """Inline rows of editorial records: only publishers may change their state here."""

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not can_publish(request):
            fields.append("state")
        return fields
