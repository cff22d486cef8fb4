from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from prisoners.models import PersonName


class Command(BaseCommand):
    help = (
        "Recompute every name variant's search key (after a bulk import, or a change to "
        "prisoners/names.py). With --check, change nothing and fail if any is stale."
    )

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true")

    def handle(self, *args, check=False, **options):
        stale = []
        for variant in PersonName.objects.order_by("pk").iterator(chunk_size=2000):
            before = (variant.search_text, variant.search_key)
            variant.set_search_fields()
            if (variant.search_text, variant.search_key) != before:
                stale.append(variant)
        if check:
            if stale:
                raise CommandError(f"{len(stale)} name variants have stale search keys.")
            self.stdout.write("All search keys are current.")
            return
        with transaction.atomic():
            PersonName.objects.bulk_update(stale, ["search_text", "search_key"], batch_size=2000)
        self.stdout.write(f"{len(stale)} search keys updated.")
