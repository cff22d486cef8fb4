"""Derive the published edition again from the stored published versions."""

import time

from django.core.management.base import BaseCommand

from prisoners import publishing


class Command(BaseCommand):
    help = (
        "Derive every public row of the edition again from the published versions (after a "
        "change of the public rule or of the redaction), in one transaction."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        counts = publishing.rebuild(stdout=self.stdout)
        total = sum(counts.values())
        self.stdout.write(f"Rebuilt {total} public rows in {time.monotonic() - started:.1f} s.")
