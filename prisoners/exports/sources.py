"""
Sources, organisations and citations: ``/exports/sources.csv`` and ``citations.csv``, and
the data package's ``organisations``, ``sources`` and ``citations`` tables. Their columns
are the sources app's (``sources.resources``); their rows are the edition's, read through
``prisoners.public`` (a citation is there only where the record it cites is public, and
names that record by ``record_type`` and ``record_id``).
"""

from __future__ import annotations

from django_filters import rest_framework as filters

from edition import models as edition
from edition.models import Citation, Organisation, Source
from sources.choices import Confidence
from sources.resources import CITATION, ORGANISATION, SOURCE
from tracker.lib.api_plumbing import IdFilter
from tracker.lib.csv_streams import API_URL, UPDATED

from .. import public
from ..filtersets import SourceFilterSet
from .base import CsvDownload, PackageTable


def record_types() -> list[tuple[str, str]]:
    """The kinds of record a citation can cite, by model name."""
    return [(model._meta.model_name,) * 2 for model in public.cited_models()]


class CitationFilterSet(filters.FilterSet):
    """The filters of ``/exports/citations.csv``, on the edition's citations."""

    source = IdFilter(field_name="source_id")
    record_type = filters.ChoiceFilter(choices=record_types)
    confidence = filters.MultipleChoiceFilter(choices=Confidence.choices)

    class Meta:
        model = edition.Citation  # the public citations: the edition's
        fields = []


SOURCES_CSV = CsvDownload(
    slug="sources",
    file_stem="sources",
    title="Sources",
    filterset_class=SourceFilterSet,
    api_view="sources",
    model=Source,
    columns=[*SOURCE, UPDATED, API_URL],
)

CITATIONS_CSV = CsvDownload(
    slug="citations",
    file_stem="citations",
    title="Citations",
    filterset_class=CitationFilterSet,
    api_view=None,
    model=Citation,
    columns=CITATION,
)

ORGANISATIONS = PackageTable(
    name="organisations",
    title="Organisations",
    model=Organisation,
    columns=ORGANISATION,
)

SOURCES = PackageTable(
    name="sources",
    title="Sources",
    model=Source,
    columns=SOURCE,
)

CITATIONS = PackageTable(
    name="citations",
    title="Citations",
    model=Citation,
    columns=CITATION,
    foreign_keys=[("source_id", "sources")],
)
