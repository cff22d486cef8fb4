"""
Lists without a serializer per row: the same JSON as the list serializer, built as plain
dicts.

DRF runs each field of each row through a field object (and each nested list through a
new serializer): for a page of 50 people, their 150 spellings and 200 citations, that is
most of the time of a request. The functions here write the same dicts directly, from
the page's records and plain rows (``values``) of their parts. The serializers stay the
documented shape (the schema is generated from them) and what the detail endpoints use;
``tests/test_api_fast_paths.py`` compares the two, field by field, on every list of the
seed data, so any change to a serializer that is not made here too fails there.
"""

from __future__ import annotations

from rest_framework import serializers

from tracker.lib.api import request_language

from .. import selectors
from .citations import attach_citations, partial_date
from .links import api_url
from .serializers import display_name

_DATE_TIME = serializers.DateTimeField()


def _text(value):
    return None if value is None else str(value)


def people(page: list, request) -> list[dict]:
    """``PersonListSerializer``'s output for a page of people (``selectors.people_list``)."""
    attach_citations(page, ("",), request)
    shown_in = request_language({"request": request})
    names: dict[int, list] = {person.pk: [] for person in page}
    for person_id, name, language, script, kind in selectors.names_of(names):
        names[person_id].append(
            {"name": name, "language": _text(language), "script": script, "kind": kind}
        )
    return [
        {
            "id": person.pk,
            "url": api_url(request, "api:person-detail", person.pk),
            "name": person.public_name,
            "display_name": display_name(person, shown_in),
            "name_withheld": person.name_withheld,
            "names": names[person.pk],
            "gender": person.gender,
            "birth_date": partial_date(person.birth_date),
            "country": _text(person.country),
            "region": _text(person.region),
            "occupation": _text(person.occupation),
            "current_status": person.current_status,
            "status_since": partial_date(person.status_since),
            "updated_at": _DATE_TIME.to_representation(person.updated_at),
            "search_score": getattr(person, "search_score", None),
            "citations": person.public_citations,
        }
        for person in page
    ]
