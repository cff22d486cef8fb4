from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from prisoners.exports.datapackage import write_datapackage


class Command(BaseCommand):
    help = (
        "Write every published table as CSV, with a Frictionless datapackage.json, into a zip file."
    )

    def add_arguments(self, parser):
        parser.add_argument("output", help="Path of the zip file to write, e.g. tracker.zip")

    def handle(self, *args, output, **options):
        path = Path(output)
        if path.suffix != ".zip":
            raise CommandError(f"{output}: the output must be a .zip file.")
        if not path.parent.exists():
            raise CommandError(f"{path.parent}: no such folder.")
        partial = path.with_suffix(".zip.partial")
        try:
            counts = write_datapackage(partial)
            partial.replace(path)
        finally:
            partial.unlink(missing_ok=True)
        for table, rows in counts.items():
            self.stdout.write(f"{table:16} {rows:>9} rows")
        self.stdout.write(f"Wrote {path}.")
