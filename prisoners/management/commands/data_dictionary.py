from django.core.management.base import BaseCommand, CommandError

from prisoners.exports.dictionary import PATH, render


class Command(BaseCommand):
    help = "Write docs/data-dictionary.md from the exports' column definitions."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Fail if the file is stale.")

    def handle(self, *args, check=False, **options):
        text = render()
        if check:
            if not PATH.exists() or PATH.read_text(encoding="utf-8") != text:
                raise CommandError(f"{PATH} is out of date: run manage.py data_dictionary.")
            return
        PATH.parent.mkdir(exist_ok=True)
        PATH.write_text(text, encoding="utf-8")
        self.stdout.write(f"Wrote {PATH}.")
