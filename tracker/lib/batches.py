"""
Admin actions over many selected records, a batch at a time.

Publishing or sending to review 1,000 records saves each of them and their parts (names,
charges, citations…), with history: minutes at that size. In one transaction, it would
hold the locks of every row it touched for all that time and show nothing until the end.
``each_batch`` runs an action's work ``BATCH_SIZE`` records at a time, each batch in its
own transaction, and tells the editor what each batch did, in a message of its own; a
failure leaves the batches before it done, and says so by what they reported. Each batch
done also tells the server's watchdog that the worker is making progress
(``tracker.lib.keepalive``): a long action is not killed at ``GUNICORN_TIMEOUT`` while its
batches keep finishing, only one whose batch stalls.

For that, the change list runs the POST of a batched action outside the request's
transaction (``ATOMIC_REQUESTS``): ``BatchedActionsMixin.batched_actions`` names them.
Everything else the change list does (its page, other actions such as deleting) stays in
one transaction, as every request does. The mixin also writes each row's selection
checkbox as plain HTML, the same markup as Django's, instead of rendering a form widget
through the template engine for every row of the list.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.admin import helpers
from django.db import transaction
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from . import keepalive

BATCH_SIZE = 100
# Django's own words for a row's checkbox (its catalogue, and our Belarusian override).
SELECT_ROW = "Select this object for an action - {}"


def each_batch(model_admin, request, queryset, work: Callable) -> None:
    """
    Call ``work(records)`` on the records of ``queryset``, ``BATCH_SIZE`` at a time in order
    of id, each call in its own transaction; ``work`` returns the message of its batch.
    """
    size = BATCH_SIZE
    ids = list(queryset.order_by("pk").values_list("pk", flat=True))
    batches = -(-len(ids) // size)
    for number, start in enumerate(range(0, len(ids), size), start=1):
        with transaction.atomic():
            records = queryset.model._default_manager.filter(pk__in=ids[start : start + size])
            message = work(list(records.order_by("pk")))
        keepalive.alive()
        if batches > 1:
            message = _("Batch %(number)s of %(count)s: %(message)s") % {
                "number": number,
                "count": batches,
                "message": message,
            }
        model_admin.message_user(request, message, messages.SUCCESS)


class BatchedActionsMixin:
    """A ModelAdmin whose ``batched_actions`` commit batch by batch (see the module)."""

    batched_actions: frozenset[str] = frozenset()

    def get_urls(self):
        # The change list's view, however the admin's mixins wrap it, leaves the request's
        # transaction to changelist_view below.
        urls = super().get_urls()
        name = f"{self.opts.app_label}_{self.opts.model_name}_changelist"
        for pattern in urls:
            if getattr(pattern, "name", None) == name:
                transaction.non_atomic_requests(pattern.callback)
        return urls

    def changelist_view(self, request, extra_context=None):
        if request.method == "POST" and request.POST.get("action") in self.batched_actions:
            return super().changelist_view(request, extra_context)
        with transaction.atomic():
            return super().changelist_view(request, extra_context)

    def action_checkbox(self, obj):
        label = format_html(gettext(SELECT_ROW), str(obj))
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            obj.pk,
            label,
        )
