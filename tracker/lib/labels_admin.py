"""
Labels in three languages in the admin (``tracker.lib.languages``): on a change form the
three languages of a label side by side on one line; in a list, the label in the editor's
language with the fallback, sortable; the search looks in every language.
"""

from django.contrib import admin

from .languages import LANGUAGES, label, label_expression, variants


def label_column(field: str, description):
    """A list column: ``field`` in the active language, with the fallback, sortable."""

    @admin.display(description=description, ordering=f"{field}_label")
    def column(record):
        return label(record, field)

    column.__name__ = f"{field}_label_column"
    return column


class LabelsAdminMixin:
    """``labels``: the labels of the model (e.g. ``("name", "city")``)."""

    labels: tuple[str, ...] = ()

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset.annotate(
            **{f"{field}_label": label_expression(field) for field in self.labels}
        )

    def get_fieldsets(self, request, obj=None):
        grouped = {}
        for field in self.labels:
            grouped.update(dict.fromkeys(variants(field), tuple(variants(field))))
        fieldsets = []
        for name, options in super().get_fieldsets(request, obj):
            fields = []
            for entry in options.get("fields", ()):
                entry = grouped.get(entry, entry)
                if entry not in fields:
                    fields.append(entry)
            fieldsets.append((name, {**options, "fields": fields}))
        return fieldsets


def searched_labels(*fields: str) -> list[str]:
    """Search fields for labels: every language of each."""
    return [f"{field}_{language}" for field in fields for language in LANGUAGES]
