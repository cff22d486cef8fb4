from django.core.management.base import BaseCommand, CommandError

from prisoners.importing.datapackage import PackageError, load_datapackage


class Command(BaseCommand):
    help = (
        "Load a data package made by export_datapackage into an empty database, in one "
        "transaction, with the same ids (see prisoners.importing.datapackage). Progress "
        "goes to stderr."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The .zip file export_datapackage wrote.")

    def handle(self, *args, path, **options):
        try:
            counts, disagreements = load_datapackage(path, progress=self.stderr.write)
        except PackageError as error:
            raise CommandError(str(error)) from error
        for name, rows in counts.items():
            self.stdout.write(f"{name:16} {rows:>9} rows")
        for disagreement in disagreements:
            self.stderr.write(f"Status recomputed: {disagreement}")
        self.stdout.write(f"Loaded {path}.")
