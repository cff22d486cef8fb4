"""``loaddata`` that publishes a fixture's published rows together, once it is loaded,
dated by the times the fixture gives them."""

from django.core.management.commands.loaddata import Command as LoadData

from prisoners import publishing


class Command(LoadData):
    def handle(self, *fixture_labels, **options):
        with publishing.deferred(dated_by_record=True):
            return super().handle(*fixture_labels, **options)
