"""Write ``edition/models.py`` from the editorial models, or check that it is in step."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from prisoners.edition_schema import render


class Command(BaseCommand):
    help = "Write edition/models.py from the editorial models (--check: fail if it differs)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Fail if the file is stale.")

    def handle(self, *args, check=False, **options):
        path = Path(settings.BASE_DIR) / "edition" / "models.py"
        text = render()
        if check:
            if not path.exists() or path.read_text() != text:
                raise CommandError(
                    "edition/models.py is out of step with the editorial models: "
                    "run `manage.py edition_models` and make a migration."
                )
            self.stdout.write("edition/models.py is in step with the editorial models.")
            return
        path.write_text(text)
        self.stdout.write(f"Wrote {path}.")
