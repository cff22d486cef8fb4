from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from prisoners.services import refresh_statuses


class Command(BaseCommand):
    help = (
        "Recompute every person's derived data: the current status from published "
        "detentions, decisions and releases, and the custody periods the in-custody series "
        "reads from public detentions and releases. With --check, change nothing and fail "
        "if any is stale."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Exit non-zero if any stored status or period is stale.",
        )

    def handle(self, *args, check=False, **options):
        with transaction.atomic():
            changed = refresh_statuses()
            if check:
                transaction.set_rollback(True)
        if check and changed:
            raise CommandError(
                f"{changed} stored statuses or custody periods are stale; run refresh_statuses."
            )
        verb = "stale" if check else "updated"
        self.stdout.write(f"{changed} statuses or custody periods {verb}.")
