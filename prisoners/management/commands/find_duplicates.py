from django.core.management.base import BaseCommand

from prisoners import duplicates


class Command(BaseCommand):
    help = (
        "Recompute every person's name keys and every pair of possible duplicates "
        "(prisoners.duplicates), with progress on stderr; dismissed pairs stay dismissed. "
        "Then list the open pairs, best first. Run it once on a database filled by bulk "
        "writes, and after a change of the matching rule."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--quiet-list", action="store_true", help="Recompute, but list no pairs."
        )

    def handle(self, *args, quiet_list=False, **options):
        counts = duplicates.rebuild(progress=lambda line: self.stderr.write(line))
        if not quiet_list:
            pairs = duplicates.open_pairs().select_related("person_a", "person_b")
            for pair in pairs.iterator(chunk_size=2000):
                self.stdout.write(
                    f"{pair.score:.2f}  #{pair.person_a_id} {pair.person_a.name}  ~  "
                    f"#{pair.person_b_id} {pair.person_b.name}  ({pair.spellings})"
                )
        self.stdout.write(f"{counts['open']} probable duplicate pair(s).")
