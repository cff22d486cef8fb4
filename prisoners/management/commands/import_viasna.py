import time
from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from prisoners.importing.viasna import ViasnaImporter, write_report


class Command(BaseCommand):
    help = (
        "Import records in Viasna's export format. Each record is written in its own "
        "transaction; failures are reported with the record and the reason, and the "
        "command exits non-zero if any record failed (see prisoners.importing.viasna). "
        "Progress goes to stderr, a line per batch of records."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="A JSON file in Viasna's format.")
        parser.add_argument("--dry-run", action="store_true", help="Write nothing.")
        parser.add_argument(
            "--publish", action="store_true", help="Publish what the import creates."
        )
        parser.add_argument("--report", help="Write a CSV report of every record to this file.")

    def handle(self, *args, path, dry_run, publish, report, **options):
        importer = ViasnaImporter(publish=publish, dry_run=dry_run)
        try:
            records = importer.load(path)
        except ValueError as error:
            raise CommandError(str(error)) from error
        started = time.monotonic()

        def progress(done, total, results):
            counts = Counter(result.action for result in results)
            rate = done / max(time.monotonic() - started, 0.001)
            summary = ", ".join(f"{n} {action}" for action, n in sorted(counts.items()))
            left = (total - done) / rate if rate else 0
            self.stderr.write(
                f"{done:,} of {total:,} records ({summary}), {done / total:.0%} done, "
                f"{rate:.0f} a second" + (f", about {_duration(left)} left" if left else "")
            )

        results = importer.run(records, progress=progress)
        for result in results:
            for field_name, reason in result.problems:
                self.stdout.write(
                    f"record {result.record_id} ({result.name}): {field_name}: {reason}"
                )
        if report:
            write_report(results, report)
        counts = Counter(result.action for result in results)
        prefix = "Dry run, nothing written: " if dry_run else ""
        summary = ", ".join(f"{n} {action}" for action, n in sorted(counts.items()))
        self.stdout.write(f"{prefix}{len(results)} records: {summary}.")
        failed = counts["failed"] + counts["ambiguous"]
        if failed:
            raise CommandError(f"{failed} record(s) were not imported; see above.")


def _duration(seconds: float) -> str:
    """ "40 s", "12 min", "2 h 5 min": an estimate, rounded as one."""
    if seconds < 90:
        return f"{max(round(seconds), 1)} s"
    minutes = round(seconds / 60)
    return f"{minutes} min" if minutes < 90 else f"{minutes // 60} h {minutes % 60} min"
