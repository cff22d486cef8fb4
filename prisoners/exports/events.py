"""
Events and reported figures: ``/exports/figures.csv``, and the data package's ``events``,
``participants`` and ``figures`` tables. Their optional links (an event's facility, a
figure's larger figure and event) are shown only where the linked record is public
(see ``base.as_public``).
"""

from __future__ import annotations

from edition.models import Event, EventParticipant, ReportedFigure
from tracker.lib.csv_streams import API_URL, ID, UPDATED, field_column, partial_date
from tracker.lib.languages import language_columns

from .. import filtersets as fs
from .base import CsvDownload, PackageTable
from .people import PERSON

FIGURE = [
    field_column("value", "integer", "The count.", required=True),
    field_column(
        "qualifier", "string", "exactly, at_least, more_than, about, at_most or fewer_than."
    ),
    field_column("counted", "string", "What is counted."),
    partial_date("as_of", "Date the count refers to"),
    field_column("counted_by", "string", "Whose count the source reports."),
]
PART_OF = field_column(
    "part_of_id",
    "integer",
    "The larger figure this one is part of (its id in this file).",
)


FIGURES_CSV = CsvDownload(
    slug="figures",
    file_stem="reported-figures",
    title="Reported figures",
    filterset_class=fs.FigureFilterSet,
    api_view="figures",
    model=ReportedFigure,
    columns=[
        ID,
        *FIGURE,
        field_column("country", "string", "ISO country code."),
        PART_OF,
        UPDATED,
        API_URL,
    ],
)

EVENTS = PackageTable(
    name="events",
    title="Events",
    model=Event,
    columns=[
        ID,
        *language_columns("title", "Title", "At least one language is given."),
        field_column("kind", "string", "Kind of event."),
        partial_date("happened_on", "Date"),
        field_column("facility_id", "integer", "facilities.id."),
        field_column("place", "string", "Place."),
        field_column("description", "string", "Public description."),
        field_column("participant_count", "integer", "Empty where sources disagree."),
    ],
    foreign_keys=[("facility_id", "facilities")],
)

PARTICIPANTS = PackageTable(
    name="participants",
    title="Event participants",
    model=EventParticipant,
    columns=[
        ID,
        field_column("event_id", "integer", "events.id", required=True),
        PERSON,
        field_column("role", "string", "Role."),
        field_column("attended", "boolean", "Empty where sources disagree."),
    ],
    foreign_keys=[("event_id", "events"), ("person_id", "people")],
)

FIGURES = PackageTable(
    name="figures",
    title="Reported figures",
    model=ReportedFigure,
    columns=[
        ID,
        *FIGURE,
        PART_OF,
        field_column("event_id", "integer", "events.id."),
    ],
    foreign_keys=[("part_of_id", "figures"), ("event_id", "events")],
)
