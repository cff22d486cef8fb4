"""
The columns of the sources app's tables, each defined once, and the admin's spreadsheet
import of sources made from them (see ``tracker.lib.spreadsheet``).

The CSV download ``/exports/sources.csv``, the data package's ``sources``,
``organisations`` and ``citations`` tables, their loader and ``SourceResource`` are all
made from these lists (``prisoners.exports.sources`` adds the queries, which the public
rule in ``prisoners.public`` decides).
"""

from tracker.lib.csv_streams import ID, field_column, partial_date
from tracker.lib.languages import language_columns
from tracker.lib.spreadsheet import spreadsheet_resource

from .models import Source

# A source's own fields: the columns an editor may change in a spreadsheet.
SOURCE = [
    ID,
    field_column("kind", "string", "news_article, ngo_statement, court_document, …"),
    field_column("title", "string", "Title (in brackets where descriptive).", required=True),
    field_column("publisher", "string", "Publisher."),
    field_column("author", "string", "Author."),
    field_column("url", "string", "Where the source is published."),
    partial_date("published_on", "Publication date"),
    field_column("language", "string", "BCP 47 language code."),
    field_column("archive_url", "string", "An archived copy."),
]

ORGANISATION = [
    ID,
    *language_columns("name", "Name", "At least one language is given."),
    *language_columns("short_name", "Short name"),
    field_column("slug", "string", "Slug used by the API's recognized_by filter."),
    field_column("kind", "string", "Kind of organisation."),
    field_column("country", "string", "ISO country code."),
    field_column("url", "string", "Website."),
]

CITATION = [
    ID,
    field_column("source_id", "integer", "The source (sources.csv id).", required=True),
    field_column(
        "record_type",
        "string",
        "Kind of record cited, by model name: person, personname, detention, charge, "
        "facilitystay, courtdecision, release, recognition, facility, event, "
        "eventparticipant, reportedfigure, organisation.",
        # The edition's citation holds it; the admin's download of editorial citations
        # reads it from the content type (``prisoners.admin_downloads``).
        load="",  # read back as the content type (the loader's citation hook)
        required=True,
    ),
    field_column(
        "record_id",
        "integer",
        "Id of the cited record in its table.",
        read="object_id",
        load="object_id",
        required=True,
    ),
    field_column("field", "string", "The field the source speaks to; empty for the whole record."),
    field_column(
        "stated_value",
        "string",
        "The value the source states for that field; where sources disagree, each "
        "citation keeps its own.",
    ),
    field_column("quote", "string", "A short quote from the source."),
    field_column("locator", "string", "Where in the source."),
    field_column("confidence", "string", "low, medium or high."),
]

SourceResource = spreadsheet_resource(Source, SOURCE, __module__=__name__)
