from django.core.management.base import BaseCommand

from prisoners.duplicates import probable_duplicates


class Command(BaseCommand):
    help = "List pairs of people who are probably the same person, with a score."

    def handle(self, *args, **options):
        pairs = probable_duplicates()
        for score, first, second, key in pairs:
            self.stdout.write(
                f"{score:.2f}  #{first.pk} {first.name}  ~  #{second.pk} {second.name}"
                f"  (name key: {key})"
            )
        self.stdout.write(f"{len(pairs)} probable duplicate pair(s).")
