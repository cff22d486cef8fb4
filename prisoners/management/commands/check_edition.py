"""Compare the published edition with what the public rule gives; exit 1 on any difference."""

from django.core.management.base import BaseCommand, CommandError

from prisoners import publishing


class Command(BaseCommand):
    help = (
        "Compare the edition with what the public rule gives from the editorial data and "
        "its history; print every difference and fail on any."
    )

    def handle(self, *args, **options):
        problems = publishing.check_edition()
        for problem in problems:
            self.stdout.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} difference(s) between the edition and the rule.")
        self.stdout.write("The edition matches the public rule.")
