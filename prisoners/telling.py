"""
A record whose text names a withheld person is withheld whole.

Redaction (``prisoners.redaction``) replaces each mention of a withheld person. For most
texts that is enough. But a source's title and summary are the words of an article: with
the name replaced, "Programmer [name withheld] detained in Hrodna" and its date, searched
for on the web beside the person's public descriptor, still find the article that names
them. The redactor already replaces a whole URL for that reason; a source's other texts
need the same. So, for the records whose texts point to a document (``POLICIES``): when
any of their ``texts`` names a withheld person, every one of their ``hidden`` fields is
withheld, as ``[withheld]`` (a title), empty (a summary, an author, a URL, a quote) or its
year alone (a date). What stays is what tells no one where to look: a source's kind,
publisher, language and year; an event's kind, year, facility and participants; a
figure's value, qualifier and year.

- A source: by its title, summary, author, URL or archived copy; then its title, summary,
  author, URLs and access date are withheld, and its publication date shows the year.
- A citation: by its quote, or by its source's texts; then its quote is withheld (the
  source shows as above wherever it appears).
- An event: by its title in any language, its place or its description; then those are
  withheld and its date shows the year.
- A reported figure: by what it counts or who counts; then both are withheld and its date
  shows the year.

The decision is a pure function of a record's values and the withheld people
(``tells``, ``concealed``, ``shown``): the edition's writer calls ``shown`` once per
record when it writes the published edition. Until then the public surfaces apply it as
they redact: the API's serializers and the site's views wrap a record's shown data in a
``redaction.Whole`` (``mark``), which ``Redactor.data`` resolves, and the CSV exports and
the data package pass each row through ``row_concealer``.

What it does not do: a record withheld whole still sorts and filters by its stored
values (a title search, a date filter, the in-custody series placing a figure by its
date) until the edition holds the shown values.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.db.models import Model

from sources.models import Citation, Source

from .models import Event, ReportedFigure
from .redaction import Redactor, Whole

HIDDEN = "[withheld]"
LANGUAGES = ("be", "ru", "en")


def as_hidden(value):
    """A title: ``[withheld]`` (in every language of a label)."""
    if isinstance(value, dict):
        return {key: as_hidden(item) for key, item in value.items()}
    return HIDDEN if value else value


def as_empty(value):
    """A text or URL: empty; anything else: None."""
    if isinstance(value, dict):
        return {key: as_empty(item) for key, item in value.items()}
    return "" if isinstance(value, str) else None


def as_none(value):
    """A full date (a source's access date): none."""
    return None


def as_year(value):
    """A partial date (stored text, or the API's object) as its year alone."""
    if isinstance(value, dict):
        year = str(value.get("value") or "")[:4]
        if not year:
            return value
        return {
            "value": year,
            "precision": "year",
            "earliest": f"{year}-01-01",
            "latest": f"{year}-12-31",
        }
    if isinstance(value, str):
        return value[:4]
    return None


@dataclass(frozen=True)
class Policy:
    """Which texts of a record withhold it whole, and how each withheld field is shown."""

    texts: tuple[str, ...]  # fields, or paths through a relation ("source__title")
    hidden: dict[str, Callable] = field(default_factory=dict)


SOURCE_TEXTS = ("title", "summary", "author", "url", "archive_url")
POLICIES: dict[type[Model], Policy] = {
    Source: Policy(
        texts=SOURCE_TEXTS,
        hidden={
            "title": as_hidden,
            "summary": as_empty,
            "author": as_empty,
            "url": as_empty,
            "archive_url": as_empty,
            "accessed_on": as_none,
            "published_on": as_year,
        },
    ),
    Citation: Policy(
        texts=("quote", *(f"source__{name}" for name in SOURCE_TEXTS)),
        hidden={"quote": as_empty},
    ),
    Event: Policy(
        texts=(*(f"title_{language}" for language in LANGUAGES), "place", "description"),
        hidden={
            "title": as_hidden,
            "place": as_empty,
            "description": as_empty,
            "happened_on": as_year,
        },
    ),
    ReportedFigure: Policy(
        texts=("counted", "counted_by"),
        hidden={"counted": as_hidden, "counted_by": as_empty, "as_of": as_year},
    ),
}


def _value(record, path: str):
    if isinstance(record, Mapping):
        return record.get(path)
    for name in path.split("__"):
        record = getattr(record, name, None)
    return record


def texts_of(model: type[Model], record) -> tuple:
    """The texts of a record (a model instance, or a row keyed by field and path) that
    may withhold it whole; () for a model without a policy."""
    policy = POLICIES.get(model)
    if policy is None:
        return ()
    return tuple(_value(record, path) for path in policy.texts)


def tells(redactor: Redactor, model: type[Model], record) -> bool:
    """Whether the record names a withheld person in a text that withholds it whole."""
    return redactor.names(*texts_of(model, record))


def _keys(name: str, rename: Mapping[str, str]) -> tuple[str, ...]:
    """The keys a field is shown under: its own (or renamed), in each language, and all."""
    return (rename.get(name, name), f"{name}_i18n", *(f"{name}_{code}" for code in LANGUAGES))


def hidden_keys(model: type[Model], rename: Mapping[str, str] | None = None) -> dict:
    """Key → how it is shown, for every key a hidden field of the model is shown under."""
    policy = POLICIES.get(model)
    if policy is None:
        return {}
    rename = rename or {}
    return {key: conceal for name, conceal in policy.hidden.items() for key in _keys(name, rename)}


def concealed(model: type[Model], values: Mapping, rename: Mapping[str, str] | None = None):
    """The values as the public sees a record withheld whole (keys by field name, or as
    ``rename`` says: the API shows a source's ``url`` as ``source_url``)."""
    shown = dict(values)
    for key, conceal in hidden_keys(model, rename).items():
        if key in shown:
            shown[key] = conceal(shown[key])
    return shown


def shown(redactor: Redactor, model: type[Model], values: Mapping) -> Mapping:
    """What the public sees of a record's values (keyed by field name): withheld whole
    when it names a withheld person, else as they are. For the edition's writer."""
    return concealed(model, values) if tells(redactor, model, values) else values


def mark(
    model: type[Model],
    data: Mapping,
    record,
    rename: Mapping[str, str] | None = None,
    *,
    source=None,
) -> Whole:
    """
    ``data`` (what a surface shows of ``record``) as a ``Whole`` that the redactor shows
    withheld whole when the record's texts name a withheld person. For a citation shown
    with its source's fields in the same dict, ``source`` is the source (or its row), and
    the source's fields are withheld by the source's own texts.
    """
    groups = [(texts_of(model, record), hidden_keys(model, rename))]
    if source is not None:
        groups.append((texts_of(Source, source), hidden_keys(Source, rename)))
    return Whole(data, groups)


def row_concealer(redactor: Redactor, model: type[Model]) -> Callable[[dict], dict] | None:
    """For an export of the model's rows (keyed by field name, the policy's texts among
    them): a function that shows each row as the public sees it; None when there is
    nothing to withhold."""
    policy = POLICIES.get(model)
    if policy is None or redactor.matcher is None:
        return None
    keys = hidden_keys(model)
    texts = policy.texts

    def conceal(row: dict) -> dict:
        if not redactor.names(*(row.get(path) for path in texts)):
            return row
        for key, hide in keys.items():
            if key in row:
                row[key] = hide(row[key])
        return row

    return conceal


def needed_fields(model: type[Model]) -> tuple[str, ...]:
    """The fields and paths an export's query must read to decide (``row_concealer``)."""
    policy = POLICIES.get(model)
    return policy.texts if policy is not None else ()


def without_redacted_matches(queryset, fields, value: str):
    """
    ``queryset`` less the rows that match the text ``value`` in ``fields`` only where the
    public sees the text redacted, or withheld whole (see
    ``prisoners.filtersets.PublicTextFilterSet``). Reads the candidates' texts once; most
    mention no one and cost a quick look.
    """
    redactor = Redactor.from_database()
    if redactor.matcher is None:
        return queryset
    model = queryset.model
    texts = needed_fields(model)
    hidden = hidden_keys(model)
    needle = value.strip().casefold()
    unseen = []
    rows = queryset.order_by().values("pk", *dict.fromkeys([*fields, *texts]))
    for row in rows.iterator(chunk_size=2000):
        stored = [row[name] for name in fields]
        if texts and redactor.names(*(row[path] for path in texts)):
            stored_shown = [
                hidden[name](text) if name in hidden else text
                for name, text in zip(fields, stored, strict=True)
            ]
        else:
            stored_shown = stored
        shown = [redactor.text(text) if text else text for text in stored_shown]
        if shown != stored and not any(needle in (text or "").casefold() for text in shown):
            unseen.append(row["pk"])
    return queryset.exclude(pk__in=unseen) if unseen else queryset
