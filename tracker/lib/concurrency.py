"""
No lost updates: a save that would overwrite a change someone else made since the form
was opened (or since the spreadsheet was exported) is refused, saying which fields
changed, their value now, who changed them and when (from the records' history,
django-simple-history).

**In the admin**, every change form of a record and every existing inline row carries, in
a hidden field (``record_version``), the version of its row as it was shown: the id of the
row's latest history entry and a short hash of each field the form edits. On save, a form
one of whose fields changed in the database since then is invalid with a non-field error, and
nothing of the page is saved; deleting an inline row that changed is refused the same
way. A change to fields the form does not edit (a recomputed status, another row of the
page) is no conflict. A form posted without a version (an add form, the "+" popup, a
script) is not checked. The history revert form carries the version of the record now,
so a revert is refused too if the record changed since the revert form was opened.

**In the spreadsheet import** (``tracker.lib.spreadsheet``), a row that carries the
export's ``updated_at`` is refused if its record changed after that time in a field the
row would change (``changed_since_export``).
"""

from __future__ import annotations

import datetime
import hashlib
from contextlib import suppress
from dataclasses import dataclass, field
from functools import cache

from django import forms
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Max
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _

VERSION = "record_version"
# Fields that change by themselves: never a conflict.
AUTOMATIC = frozenset({"created_at", "updated_at"})
_HASH = 6  # hex digits of each field's hash in a version
_NOT_SHOWN = "~"  # in place of the hash of a field the form does not edit


# Versions ---------------------------------------------------------------------------------


def history_model(model):
    """The historical model of ``model`` (django-simple-history), or None."""
    manager = getattr(model._meta, "simple_history_manager_attribute", None)
    return getattr(model, manager).model if manager else None


def tracked_fields(model) -> list:
    """The fields a version covers, in a fixed order: all but the key and the timestamps."""
    return [
        f
        for f in model._meta.concrete_fields
        if not f.primary_key and f.name not in AUTOMATIC and not getattr(f, "generated", False)
    ]


def _latest_history_ids(model, pks) -> dict:
    history = history_model(model)
    if history is None:
        return {}
    key = model._meta.pk.attname
    rows = (
        history._default_manager.filter(**{f"{key}__in": pks})
        .order_by()
        .values(key)
        .annotate(latest=Max(history._meta.pk.attname))
    )
    return {row[key]: row["latest"] for row in rows}


def _hash(value) -> str:
    return hashlib.sha256(repr(value).encode()).hexdigest()[:_HASH]


def versions(model, pks, names=None) -> dict:
    """
    The version of each row of ``model`` in ``pks`` as it is now, over the fields named
    ``names`` (all by default): {pk: version}.
    """
    pks = [pk for pk in pks if pk is not None]
    if not pks:
        return {}
    fields = tracked_fields(model)
    rows = model._default_manager.filter(pk__in=pks).values_list("pk", *(f.attname for f in fields))
    latest = _latest_history_ids(model, pks)
    return {
        row[0]: f"{latest.get(row[0]) or 0}."
        + "".join(
            _hash(value) if names is None or f.name in names else _NOT_SHOWN
            for f, value in zip(fields, row[1:], strict=True)
        )
        for row in rows
    }


def _read(model, version: str) -> tuple[int, dict] | None:
    """(history id, {field name: hash}) of a version; None if it is not one of ``model``."""
    history_id, _dot, hashes = version.partition(".")
    if not history_id.isdigit():
        return None
    read, at = {}, 0
    for f in tracked_fields(model):
        if hashes[at : at + 1] == _NOT_SHOWN:
            at += 1
            continue
        read[f.name] = hashes[at : at + _HASH]
        at += _HASH
    if at != len(hashes) or any(len(value) != _HASH for value in read.values()):
        return None
    return int(history_id), read


def changed_fields(model, fields, then: str, now: str) -> list | None:
    """
    Which of ``fields`` differ between two versions of a row, of those both versions
    cover (None: cannot tell).
    """
    before, after = _read(model, then), _read(model, now)
    if before is None or after is None:
        return None
    before, after = before[1], after[1]
    return [
        f
        for f in fields
        if f.name in before and f.name in after and before[f.name] != after[f.name]
    ]


def edited_fields(form) -> list:
    """The fields of the model that a model form writes."""
    return [f for f in tracked_fields(form._meta.model) if f.name in form.fields]


# What changed -----------------------------------------------------------------------------


@dataclass
class Change:
    """What changed in a row since a version of it: to tell the person whose save failed."""

    row: object  # the row now; None when it was deleted
    verbose_name: str
    fields: list = field(default_factory=list)  # fields changed (empty: unknown)
    users: list = field(default_factory=list)  # who changed it since, in order
    when: datetime.datetime | None = None  # the latest change

    def message(self, since: str, then: str) -> str:
        """``since``: "since you opened it"; ``then``: what to do now."""
        what = self.verbose_name
        if self.row is not None:
            what = f"{what} “{Truncator(str(self.row)).chars(60)}”"
        params = {
            "what": what,
            "who": _(" by %s") % ", ".join(self.users) if self.users else "",
            "at": _(" at %s") % _moment(self.when) if self.when else "",
            "since": since,
        }
        if self.row is None:
            text = _("This %(what)s was deleted%(who)s%(at)s %(since)s.") % params
        else:
            text = _("This %(what)s was changed%(who)s%(at)s %(since)s") % params
            if self.fields:
                text += ": " + "; ".join(
                    _("%(field)s is now %(value)s")
                    % {"field": f.verbose_name, "value": value_now(self.row, f)}
                    for f in self.fields
                )
            text += "."
        return f"{text} {then}"


def _moment(moment) -> str:
    return date_format(timezone.localtime(moment), "Y-m-d H:i T")


def value_now(row, model_field) -> str:
    """A field's value as an editor reads it: its label for a choice, the linked record."""
    value = getattr(row, model_field.attname)
    if value is None or value == "":
        return _("empty")
    if model_field.choices:
        value = getattr(row, f"get_{model_field.name}_display")()
    elif model_field.is_relation:
        with suppress(ObjectDoesNotExist):  # a link to a deleted row: its id
            value = getattr(row, model_field.name)
    elif isinstance(value, bool):
        value = _("yes") if value else _("no")
    return f"“{Truncator(str(value)).chars(80)}”"


def _history(model, pk):
    """The history of the row ``pk``, oldest first (None for a model without one)."""
    history = history_model(model)
    if history is None:
        return None
    return history._default_manager.filter(**{model._meta.pk.attname: pk}).order_by(
        history._meta.pk.attname
    )


def describe(model, pk, fields, later) -> Change:
    """The change of the row ``pk`` in ``fields``, made by the history entries ``later``."""
    later = list(later)
    users = []
    for entry in later:
        name = str(entry.history_user) if entry.history_user else _("someone")
        if name not in users:
            users.append(name)
    return Change(
        row=model._default_manager.filter(pk=pk).first(),
        verbose_name=str(model._meta.verbose_name),
        fields=list(fields),
        users=users,
        when=later[-1].history_date if later else None,
    )


def change_since(model, pk, fields, version: str) -> Change:
    """The change of the row ``pk`` in ``fields`` since the version ``version``."""
    read = _read(model, version)
    rows = _history(model, pk)
    later = rows.filter(pk__gt=read[0]) if rows is not None and read else []
    return describe(model, pk, fields, later)


def read_exported_at(text: str) -> datetime.datetime:
    """An ``updated_at`` cell as the exports write it (ISO 8601, UTC); ValueError if not."""
    moment = parse_datetime(text.strip())
    if moment is None:
        raise ValueError(text)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, datetime.UTC)
    return moment


def changed_since_export(original, changing, exported_at) -> Change | None:
    """
    Whether the row ``original`` (as stored now) changed, since an export showed it as
    last changed at ``exported_at``, in one of the fields ``changing`` that an import
    would now change: the Change if it did, else None.

    What changed is read from the history: the fields of ``changing`` whose value differs
    from the version the export showed. Without that version in the history (a record
    loaded without history), every field of ``changing`` is taken as changed. A cell
    that lost its microseconds (as a spreadsheet may write it) still names its second.
    """
    stamp = getattr(original, "updated_at", None)
    if stamp is None or not changing:
        return None
    if exported_at.microsecond:
        limit = exported_at + datetime.timedelta(microseconds=1)
    else:
        limit = exported_at + datetime.timedelta(seconds=1)  # any time in that second
    if stamp < limit:
        return None  # not changed since the export
    model = type(original)
    rows = _history(model, original.pk)
    if rows is None:
        return describe(model, original.pk, changing, [])
    shown = rows.filter(updated_at__lt=limit).last()
    if shown is None:
        return describe(model, original.pk, changing, rows)
    kept = {f.attname for f in shown._meta.concrete_fields}
    changed = [
        f
        for f in changing
        if f.attname in kept and getattr(shown, f.attname) != getattr(original, f.attname)
    ]
    if not changed:
        return None  # what changed since is not what this row changes
    return describe(model, original.pk, changed, rows.filter(pk__gt=shown.pk))


# Forms ------------------------------------------------------------------------------------


class VersionField(forms.CharField):
    """The hidden version: never a change of the form (nor in the change message)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def has_changed(self, initial, data):
        return False


class VersionedModelForm(forms.ModelForm):
    """A model form that refuses to overwrite a change made since it was shown."""

    record_version = VersionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.stale = ""  # the refusal, once found
        self.known_versions = None  # set by a formset: its rows' versions, in one query
        self.fields[VERSION].initial = self.version_now  # evaluated when shown

    def version_now(self) -> str:
        """The version of the form's row in the database now ("" for a new row)."""
        if self.instance.pk is None or self.instance._state.adding:
            return ""
        if self.known_versions is not None:
            return self.known_versions(self)
        names = [f.name for f in edited_fields(self)]
        return versions(self._meta.model, [self.instance.pk], names).get(self.instance.pk, "")

    def clean(self):
        cleaned = super().clean()
        self.check_version(self.cleaned_data.get(VERSION) or "")
        return cleaned

    def check_version(self, posted: str):
        """Refuse the form if its row changed in one of its fields since ``posted``."""
        if not posted:
            return  # shown without a version (an add form, a script): not checked
        model = self._meta.model
        fields = edited_fields(self)
        pk = self.instance.pk
        if pk is None or self.instance._state.adding:
            # A row shown with a version is new here: it was deleted since.
            pk = self.data.get(self.add_prefix(model._meta.pk.name)) or None
            if pk is None:
                return
            changed = []
        else:
            changed = changed_fields(model, fields, posted, self.version_now())
            if changed == []:
                return
        change = change_since(model, pk, changed or [], posted)
        self.stale = change.message(
            _("since you opened it"),
            _("Reload the page to see the changes, then make yours again."),
        )
        raise ValidationError(self.stale, code="stale")


class VersionedFormSetMixin:
    """Inline rows: their versions in two queries, and no deleting a row that changed."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        if isinstance(form, VersionedModelForm):
            form.known_versions = self._version_of
        return form

    def _version_of(self, form) -> str:
        if getattr(self, "_versions", None) is None:
            names = [f.name for f in edited_fields(form)]
            self._versions = versions(self.model, [row.pk for row in self.get_queryset()], names)
        return self._versions.get(form.instance.pk, "")

    def clean(self):
        super().clean()
        for form in self.forms:
            if self.can_delete and self._should_delete_form(form) and form.stale:
                raise ValidationError(form.stale, code="stale")


@cache
def versioned_formset(formset):
    if issubclass(formset, VersionedFormSetMixin):
        return formset
    return type(f"Versioned{formset.__name__}", (VersionedFormSetMixin, formset), {})


def _with_version(fieldsets, wanted: bool):
    """The fieldsets with the hidden version field (last), or without it."""
    if (VERSION in flatten_fieldsets(fieldsets)) == wanted:
        return fieldsets
    changed = [(name, dict(options)) for name, options in fieldsets]
    if wanted:
        options = changed[-1][1]
        options["fields"] = [*options["fields"], VERSION]
    else:
        for _name, options in changed:
            options["fields"] = [f for f in options["fields"] if f != VERSION]
    return changed


def _wants_version(admin, request, obj) -> bool:
    return (
        obj is not None
        and issubclass(admin.form, VersionedModelForm)
        and admin.has_change_permission(request, obj)
    )


class VersionedAdminMixin:
    """For a ModelAdmin: its change form (and history revert form) carries the version."""

    form = VersionedModelForm

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        return _with_version(fieldsets, _wants_version(self, request, obj))


class VersionedInlineMixin:
    """For an InlineModelAdmin: each row of the page's record carries its version."""

    form = VersionedModelForm

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        return _with_version(fieldsets, _wants_version(self, request, obj))

    def get_formset(self, request, obj=None, **kwargs):
        kwargs.setdefault("formset", versioned_formset(self.formset))
        return super().get_formset(request, obj, **kwargs)
