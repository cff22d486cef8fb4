"""
What the website's templates receive: plain data (dicts, lists, strings, numbers, dates)
made from the published edition (``edition.models``), whose texts are already public: a
withheld person's name was replaced by ``[name withheld]`` in every text, and their
masked fields emptied, when the edition was written. A template never gets a model
instance. What the reader typed (a search) is shown back as typed.

People are named in the reader's script (``selectors.shown_name``); a person's page gives
every spelling of their name.

A person's page is the API's own representation of the person (``PersonDetailSerializer``),
so the page and ``/api/v1/prisoners/<id>/`` show the same facts with the same sources.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model
from django.utils.html import format_html

from edition.models import (
    Charge,
    CourtDecision,
    Detention,
    EventParticipant,
    FacilityStay,
    Person,
    Recognition,
    Release,
    ReportedFigure,
)
from prisoners import public
from prisoners.api.citations import attach_citations
from prisoners.api.serializers import PersonDetailSerializer
from prisoners.api.views import PersonViewSet
from prisoners.choices import Script
from sources.claims import compatible
from tracker.lib.api import REQUEST_LANGUAGE
from tracker.lib.languages import active_language, language_tag, pick
from tracker.lib.partial_dates import PartialDateField

from . import selectors
from .formatting import partial_date

# Where the records of a person's page are: those of the API's detail, which the page shows.
CITED_PATHS = PersonViewSet.detail_cited_paths
# The same records in the serialized person, with their models.
RECORD_KEYS = {
    "recognitions": Recognition,
    "detentions": Detention,
    "charges": Charge,
    "facility_stays": FacilityStay,
    "decisions": CourtDecision,
    "releases": Release,
    "events": EventParticipant,
}
# From a cited record to the person it belongs to, by ``Citation.record_type``.
OWNER_PATHS = {
    "person": "",
    "personname": "person__",
    "personidentifier": "person__",
    "recognition": "person__",
    "detention": "person__",
    "eventparticipant": "person__",
    "charge": "detention__person__",
    "facilitystay": "detention__person__",
    "courtdecision": "detention__person__",
    "release": "detention__person__",
}


def person_rows(people, spellings: dict[int, list]) -> list[dict]:
    """People in a list: the name in the reader's script, the other spellings of it (for
    the people in ``spellings``; each with the ``lang`` it is written in, see
    ``tracker.lib.languages.language_tag``), status and since when."""
    rows = []
    for person in people:
        name = selectors.name_shown(person)
        others = []
        if person.pk in spellings:
            tags = {
                variant.name: language_tag(variant.language, variant.script)
                for variant in reversed(spellings[person.pk])
            }
            own = [] if person.name_withheld else [person.public_name]
            others = [
                {"name": spelling, "lang": tags.get(spelling, "")}
                for spelling in dict.fromkeys(
                    own + [variant.name for variant in spellings[person.pk]]
                )
                if spelling != name
            ]
        rows.append(
            {
                "id": person.pk,
                "name": name,
                "withheld": person.name_withheld,
                "spellings": others,
                "status": person.current_status,
                "since": person.status_since,
                "updated_at": person.updated_at,
            }
        )
    return rows


def person_page(person: Person, request) -> dict:
    """The person's record as the API gives it, named in the reader's script, with every
    spelling of the name (``names_by_script``), the sources' disagreements on each record
    (``disagreements``) and the day of the latest publication."""
    attach_citations([person], CITED_PATHS)
    # The API's labels (article titles, facility names) in the page's language.
    setattr(request, REQUEST_LANGUAGE, active_language())
    data = dict(PersonDetailSerializer(person, context={"request": request}).data)
    data["name"] = selectors.name_shown(person)
    for model, record in [(Person, data)] + [
        (model, record) for key, model in RECORD_KEYS.items() for record in _records(data, key)
    ]:
        citations = record.get("citations", [])
        _describe_claims(model, citations)
        record["disagreements"] = disagreements(model, citations)
    changes = [person.updated_at]
    for detention in person.detentions.all():
        changes.append(detention.updated_at)
        changes += [decision.updated_at for decision in detention.decisions.all()]
        changes += [release.updated_at for release in detention.releases.all()]
    data["last_updated"] = max(changes)
    for detention in data.get("detentions", []):
        detention["timeline"] = timeline(detention)
    data["names_by_script"] = _by_script(_every_spelling(person, data.get("names", [])))
    return data


def _every_spelling(person: Person, names: list[dict]) -> list[dict]:
    """The spellings of the name, and the record's own name when no spelling is it (so
    that a Belarusian page, which shows the Belarusian spelling, still gives the Latin
    name); a withheld person's descriptor is not a spelling of a name."""
    names = [{**name, "lang": language_tag(name["language"], name["script"])} for name in names]
    if person.name_withheld or any(name["name"] == person.public_name for name in names):
        return names
    cyrillic = any("\u0400" <= letter <= "\u04ff" for letter in person.public_name)
    script = Script.CYRILLIC if cyrillic else Script.LATIN
    own = {"name": person.public_name, "script": script, "language": "", "kind": "", "lang": ""}
    return [own, *names]


# The parts of a detention, in the order they come when their dates do not tell.
TIMELINE = (
    ("charges", "charge", "charged_on"),
    ("facility_stays", "stay", "started_on"),
    ("decisions", "decision", "decided_on"),
    ("releases", "release", "released_on"),
)


def timeline(detention: dict) -> list[dict]:
    """
    A detention's charges, stays, decisions and releases in the order they happened: by
    the earliest day each date can mean; a part with no date goes with the detention's
    start, and the kinds keep their usual order (charge, stay, verdict, release) where
    the dates do not tell them apart.
    """
    start = (detention.get("started_on") or {}).get("earliest") or ""
    items = []
    for rank, (key, kind, date_key) in enumerate(TIMELINE):
        for index, record in enumerate(detention.get(key, [])):
            when = (record.get(date_key) or {}).get("earliest") or start
            items.append(((when, rank, index), {"kind": kind, "record": record}))
    return [item for _key, item in sorted(items, key=lambda pair: pair[0])]


def _records(data: dict, key: str) -> list[dict]:
    if key in data:
        return data[key]
    return [record for detention in data.get("detentions", []) for record in detention[key]]


def _by_script(names: list[dict]) -> list[tuple[str, list[dict]]]:
    grouped: dict[str, list[dict]] = {}
    for name in names:
        grouped.setdefault(name["script"], []).append(name)
    return list(grouped.items())


def _model_field(model: type[Model], name: str):
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:  # a field since removed: shown as stored
        return None


def _describe_claims(model: type[Model], citations: list[dict]) -> None:
    """Each citation of one field gets the field's label and the stated value as the
    reader reads it (a date in words, a choice's label)."""
    for citation in citations:
        model_field = _model_field(model, citation.get("field") or "")
        if model_field is None:
            continue
        citation["field_label"] = model_field.verbose_name
        if citation.get("stated_value"):
            citation["stated_shown"] = _shown_value(model_field, citation["stated_value"])


def _shown_value(model_field, value: str) -> str:
    """A value a source states, as the reader reads it: a date in words, a choice's label,
    or else the source's own words, quoted (``<q>``: a name as the source spells it is the
    source's spelling, in its language, not the page's)."""
    if isinstance(model_field, PartialDateField):
        return partial_date(value)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    return format_html("<q>{}</q>", value)


def disagreements(model: type[Model], citations: list[dict]) -> list[dict]:
    """
    The fields of a record on which its sources disagree (``sources.claims.compatible``:
    two values that cannot both be true), each with every value and the sources that
    state it: "16 October 2020 according to A and B; 19 October 2020 according to C".
    """
    by_field: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for citation in citations:
        if citation.get("field") and citation.get("stated_value"):
            by_field[citation["field"]][citation["stated_value"]].append(citation["source"])
    found = []
    for field_name, by_value in by_field.items():
        model_field = _model_field(model, field_name)
        if model_field is None:
            continue
        values = list(by_value)
        if not any(compatible(model_field, a, b) is False for a, b in combinations(values, 2)):
            continue
        found.append(
            {
                "field": model_field.verbose_name,
                "claims": [
                    {"value": _shown_value(model_field, value), "sources": sources}
                    for value, sources in by_value.items()
                ],
            }
        )
    return found


def supported_records(citations) -> list[dict]:
    """
    What a source supports, one entry per cited record: the person it belongs to (or the
    facility, event, figure, organisation it is), the kind of record, the field and the
    quote. One query per kind of record cited, whatever their number.
    """
    ids_by_type: dict[str, set[int]] = defaultdict(set)
    citations = list(citations)
    for citation in citations:
        ids_by_type[citation.record_type].add(citation.object_id)
    described: dict[tuple[str, int], dict] = {}
    shown = selectors.shown_name()
    for record_type, ids in ids_by_type.items():
        model = selectors.cited_model(record_type)
        if model is None:
            continue
        records = public.rows(model).filter(pk__in=ids).order_by()
        prefix = OWNER_PATHS.get(record_type)
        if prefix is not None:
            for pk, owner, name in records.values_list("pk", f"{prefix}pk", f"{prefix}{shown}"):
                described[(record_type, pk)] = {"person": {"id": owner, "name": name}}
        else:
            for record in records:
                described[(record_type, record.pk)] = {"label": _label(record), "record": record}
    rows = []
    for citation in citations:
        about = described.get((citation.record_type, citation.object_id))
        if about is None:
            continue
        model = selectors.cited_model(citation.record_type)
        model_field = _model_field(model, citation.field) if citation.field else None
        record = about.get("record")
        rows.append(
            {
                "kind": model._meta.verbose_name,
                "person": about.get("person"),
                "label": about.get("label", ""),
                "facility_id": record.pk if citation.record_type == "facility" else None,
                "field": model_field.verbose_name if model_field is not None else "",
                "stated_value": (
                    _shown_value(model_field, citation.stated_value)
                    if model_field is not None and citation.stated_value
                    else citation.stated_value
                ),
                "quote": citation.quote,
                "locator": citation.locator,
            }
        )
    return rows


def figure_text(figure: ReportedFigure, field: str) -> str:
    """A reported figure's ``counted`` or ``counted_by`` in the page's language: its
    ``_be`` or ``_ru`` field, else the English (``tracker.lib.languages.pick``)."""
    return pick(
        {
            "be": getattr(figure, f"{field}_be"),
            "ru": getattr(figure, f"{field}_ru"),
            "en": getattr(figure, field),
        }
    )


def _label(record: Model) -> str:
    if isinstance(record, ReportedFigure):
        return figure_text(record, "counted") or str(record.pk)
    for attribute in ("title", "name"):
        value = getattr(record, attribute, "")
        if value:
            return str(value)
    return str(record.pk)
