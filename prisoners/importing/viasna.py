"""
Import of Viasna's export format (``../shared/data/viasna-sample.json``).

``FIELD_MAP`` says where each field of Viasna's export has its place in our model (the
foundation's tests check that every value of the real sample fits its place without
loss); ``ViasnaImporter`` writes the records.

Each record is one person, written in its own transaction: it imports completely or not
at all, with the reason reported. A re-run of the same file changes nothing (only fields
whose values differ are saved, so the history shows exactly what an updated file
changed, by the import user). Matching an existing person: by Viasna identifier first,
then by a name variant and the birth date; several candidates are reported, never merged.

Everything the importer creates, whole records and their parts alike (name variants,
identifiers, charges, articles, stays, citations), is a draft, or published with
``--publish``; what already exists keeps its state.

Viasna's ``status``: ``active`` and ``former`` are recognitions by Viasna (``former``: a
former political prisoner, so a release is recorded even without a date); ``np`` is kept
as the identifier's status with no recognition, since the source does not say what it
means. Every imported fact cites the person's Viasna page, a source of kind "database
record".
"""

from __future__ import annotations

import csv
import json
from contextlib import nullcontext
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction

from sources.models import Citation, Organisation, Source
from tracker.lib.editorial import EditorialState, ReviewedModel

from .. import duplicates, names, publishing
from ..choices import VIASNA_PENALTIES, PenaltyKind, ReleaseKind
from ..models import (
    Charge,
    CourtDecision,
    CriminalArticle,
    Detention,
    Facility,
    FacilityStay,
    Person,
    PersonIdentifier,
    PersonName,
    Recognition,
    Release,
)
from ..services import refresh_statuses, statuses_refreshed_at_the_end
from .viasna_parsing import ParsedSentence, parse_charge, parse_sentence

# "FALSE" and "" mean a missing value in Viasna's export.
MISSING = frozenset({"", "FALSE"})

# Viasna key -> "app_label.Model.field" that holds the value.
FIELD_MAP = {
    "id": "prisoners.PersonIdentifier.identifier",
    "url": "prisoners.PersonIdentifier.url",
    "name": "prisoners.PersonName.name",
    "status": "prisoners.PersonIdentifier.external_status",
    "gender": "prisoners.Person.gender",
    "photo": "prisoners.Person.photo_url",
    "description": "prisoners.Person.biography",
    "birthday": "prisoners.Person.birth_date",
    "arrested": "prisoners.Detention.started_on",
    "prison/title": "prisoners.Facility.name_en",
    "prison/address": "prisoners.Facility.address",
    "declaration": "prisoners.Recognition.statement_url",
    "decision": "prisoners.CourtDecision.term_text",
    "penalty": "prisoners.CourtDecision.penalty_kind",
    "judge": "prisoners.CourtDecision.judge",
    "councel": "prisoners.Detention.defence_counsel",
    "penalty_start_date": "prisoners.CourtDecision.penalty_starts_on",
    "release_date": "prisoners.Release.released_on",
    "verdict_date": "prisoners.CourtDecision.decided_on",
    "appeal_date": "prisoners.CourtDecision.appeal_decided_on",
    # Flag-like columns that only ever hold a missing-value marker.
    "articles": None,
    "prison": None,
}
# "articles/0" … "articles/12": one charge each, kept as its original text.
ARTICLE_KEYS = tuple(f"articles/{n}" for n in range(13))
for _key in ARTICLE_KEYS:
    FIELD_MAP[_key] = "prisoners.Charge.text"

IMPORT_USER = "viasna-import"
BATCH = 200  # records of one transaction, published together, between two progress reports


class RowError(Exception):
    def __init__(self, field_name: str, reason: str):
        super().__init__(f"{field_name}: {reason}")
        self.field, self.reason = field_name, reason


@dataclass
class RowResult:
    record_id: str
    name: str
    action: str = ""  # created, updated, unchanged, failed, ambiguous
    problems: list[tuple[str, str]] = field(default_factory=list)  # (field, reason)
    changes: list[str] = field(default_factory=list)


REPORT_HEADER = ["record_id", "name", "action", "field", "problem", "changes"]


def write_report(results: list[RowResult], path) -> None:
    """A CSV report: one row per problem of each record (one row for a record without)."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(REPORT_HEADER)
        for result in results:
            for field_name, reason in result.problems or [("", "")]:
                writer.writerow(
                    [
                        result.record_id,
                        result.name,
                        result.action,
                        field_name,
                        reason,
                        "; ".join(result.changes),
                    ]
                )


def _value(record: dict, key: str) -> str:
    value = record.get(key, "")
    value = "" if value is None else str(value).strip()
    return "" if value in MISSING else value


class ViasnaImporter:
    def __init__(self, *, publish: bool = False, dry_run: bool = False):
        self.publish, self.dry_run = publish, dry_run
        self.state = EditorialState.PUBLISHED if publish else EditorialState.DRAFT
        self.user = get_user_model().objects.get_or_create(
            username=IMPORT_USER, defaults={"is_active": False}
        )[0]

    # Reading --------------------------------------------------------------------------

    @staticmethod
    def load(path) -> list[dict]:
        try:
            with open(path, encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise ValueError(f"{path}: not a readable JSON file ({error})") from error
        if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
            raise ValueError(f"{path}: expected a JSON list of records")
        return data

    def run(self, records: list[dict], progress=None) -> list[RowResult]:
        """
        Import the records a batch of ``BATCH`` at a time, each batch in its own
        transaction and each record in a savepoint of it (a record that fails leaves the
        others; a dry run is one transaction, rolled back). When a batch ends, its rows
        are published together (``publishing.deferred``: one derivation of the edition for
        the batch, not one per row), the possible duplicates of its people are found
        (``duplicates.batched``), their statuses are refreshed once
        (``services.statuses_refreshed_at_the_end``), and ``progress(done, total,
        results)`` is told. No
        transaction spans the file: a long import holds no lock for long.
        """
        results: list[RowResult] = []
        with transaction.atomic() if self.dry_run else nullcontext():
            for start in range(0, len(records), BATCH):
                with (
                    transaction.atomic(),
                    publishing.deferred(self.user),
                    duplicates.batched(),
                    statuses_refreshed_at_the_end(),
                ):
                    for index, record in enumerate(records[start : start + BATCH], start + 1):
                        results.append(self._one(index, record))
                if progress is not None:
                    progress(len(results), len(records), results)
            if self.dry_run:
                transaction.set_rollback(True)
        return results

    def _one(self, index: int, record: dict) -> RowResult:
        result = RowResult(str(record.get("id", f"row {index}")), _value(record, "name"))
        try:
            with transaction.atomic():
                self._import(record, result)
        except RowError as error:
            result.action = "failed"
            result.problems.append((error.field, error.reason))
        except ValidationError as error:
            result.action = "failed"
            for field_name, messages in error.message_dict.items():
                result.problems.extend((field_name, m) for m in messages)
        return result

    # Writing --------------------------------------------------------------------------

    def _save(self, instance, result: RowResult, label: str, **values) -> bool:
        """
        Set ``values``; validate and save only if something differs. Returns changed.
        A new record or part gets the import's state; an existing one keeps its own.
        """
        creating = instance.pk is None
        changed = [k for k, v in values.items() if getattr(instance, k) != v]
        if not creating and not changed:
            return False
        for key, value in values.items():
            setattr(instance, key, value)
        if creating and isinstance(instance, ReviewedModel):
            instance.state = self.state
        instance.full_clean()
        instance._history_user = self.user
        instance.save()
        result.changes.append(
            f"{'created' if creating else 'updated'} {label}"
            + ("" if creating else f" ({', '.join(changed)})")
        )
        return True

    def _cite(self, record_obj, source):
        Citation.objects.get_or_create(
            source=source,
            content_type=ContentType.objects.get_for_model(record_obj),
            object_id=record_obj.pk,
            field="",
            defaults={"confidence": "medium", "state": self.state},
        )

    def _import(self, record: dict, result: RowResult) -> None:
        record_id = str(record.get("id", "")).strip()
        if not record_id.isdigit():
            raise RowError("id", "missing or not a number")
        url = _value(record, "url")
        name = _value(record, "name")
        if len(name) > 300:
            raise RowError("name", f"longer than 300 characters ({len(name)})")
        penalty_text = _value(record, "penalty")
        if penalty_text and penalty_text not in VIASNA_PENALTIES:
            raise RowError("penalty", f"unknown penalty “{penalty_text[:80]}”")

        viasna = Organisation.objects.get_or_create(
            slug="viasna",
            defaults={
                "name_en": "Human Rights Centre “Viasna”",
                "short_name_en": "Viasna",
                "kind": "human_rights",
                "country": "BY",
                "state": self.state,
            },
        )[0]
        source = Source.objects.filter(url=url).first() if url else None
        if source is None:
            source = Source(url=url)
        self._save(
            source,
            result,
            "source",
            kind="database_record",
            title=f"Viasna political-prisoner database: {name or record_id}",
            publisher="Human Rights Centre “Viasna”",
            language="en",
        )

        person, action = self._match(record_id, name, _value(record, "birthday"), result)
        if person is None:
            return
        person_values = {
            "gender": _value(record, "gender") or "unknown",
            "birth_date": _value(record, "birthday"),
            "biography": _value(record, "description"),
            "photo_url": _value(record, "photo"),
        }
        if person.pk is None:
            person_values.update(
                name=name or f"Viasna record {record_id}",
                name_withheld=not name,
                public_descriptor="" if name else "name not published by Viasna",
            )
        self._save(person, result, "person", **person_values)
        self._cite(person, source)
        if name:
            variant = PersonName.objects.filter(person=person, name=name).first() or PersonName(
                person=person, name=name
            )
            self._save(variant, result, "name", language="en", script="Latn", kind="as_in_source")
        identifier = PersonIdentifier.objects.filter(scheme="viasna", identifier=record_id).first()
        self._save(
            identifier or PersonIdentifier(person=person, scheme="viasna", identifier=record_id),
            result,
            "identifier",
            url=url,
            external_status=_value(record, "status"),
        )

        status = _value(record, "status")
        if status in {"active", "former"}:
            recognition = Recognition.objects.filter(person=person, organisation=viasna).first()
            values = {"statement_url": _value(record, "declaration")}
            if recognition is None:
                recognition = Recognition(person=person, organisation=viasna)
            self._save(recognition, result, "recognition", **values)
            self._cite(recognition, source)

        detention = Detention.objects.filter(person=person, citations__source=source).first()
        if detention is None:
            detention = Detention(person=person)
        self._save(
            detention,
            result,
            "detention",
            started_on=_value(record, "arrested"),
            defence_counsel=_value(record, "councel"),
        )
        self._cite(detention, source)
        self._charges(record, detention, source, result)
        self._facility(record, detention, source, result)
        self._decision(record, detention, source, penalty_text, result)
        self._release(record, detention, source, status, result)
        refresh_statuses(person_ids=[person.pk])
        result.action = action if result.changes else "unchanged"

    def _match(self, record_id, name, birthday, result):
        identified = Person.objects.filter(
            identifiers__scheme="viasna", identifiers__identifier=record_id
        ).first()
        if identified:
            return identified, "updated"
        if name:
            text = names.search_text(name)
            candidates = list(
                Person.objects.filter(names__search_text=text, birth_date=birthday).distinct()
            )
            if len(candidates) > 1:
                result.action = "ambiguous"
                result.problems.append(
                    ("name", "matches people " + ", ".join(f"#{p.pk}" for p in candidates))
                )
                return None, "ambiguous"
            if candidates:
                return candidates[0], "updated"
        return Person(), "created"

    def _charges(self, record, detention, source, result):
        wanted = [_value(record, key) for key in ARTICLE_KEYS]
        wanted = [text for text in wanted if text]
        existing = {c.text: c for c in detention.charges.all()}
        for text in wanted:
            charge = existing.pop(text, None) or Charge(detention=detention, text=text)
            parsed = parse_charge(text)
            values = {"article": None, "part": "", "title": ""}
            if parsed is None:
                result.problems.append(("articles", f"unparsed charge kept as text: {text}"))
            else:
                article = CriminalArticle.objects.get_or_create(
                    code="BY-CC", number=parsed.number, defaults={"state": self.state}
                )[0]
                values = {"article": article, "part": parsed.part, "title": parsed.title}
            self._save(charge, result, "charge", **values)
            self._cite(charge, source)
        for stale in existing.values():  # no longer in the file
            stale._history_user = self.user
            stale.delete()
            result.changes.append("deleted charge")

    def _facility(self, record, detention, source, result):
        title = _value(record, "prison/title")
        if not title:
            return
        facility = Facility.objects.filter(name_en=title).order_by("pk").first() or Facility(
            name_en=title, kind="other"
        )
        address = _value(record, "prison/address") or facility.address
        self._save(facility, result, "facility", address=address)
        stay = FacilityStay.objects.filter(detention=detention, facility=facility).first()
        if stay is None:
            self._save(FacilityStay(detention=detention, facility=facility), result, "stay")
            stay = FacilityStay.objects.get(detention=detention, facility=facility)
        self._cite(stay, source)

    def _decision(self, record, detention, source, penalty_text, result):
        text = _value(record, "decision")
        verdict = _value(record, "verdict_date")
        if not (text or verdict or penalty_text):
            return
        sentence = parse_sentence(text)
        if text and sentence is None:
            result.problems.append(("decision", f"unparsed sentence kept as text: {text}"))
        sentence = sentence or ParsedSentence()
        decision = CourtDecision.objects.filter(detention=detention).first() or CourtDecision(
            detention=detention
        )
        self._save(
            decision,
            result,
            "decision",
            decided_on=verdict,
            appeal_decided_on=_value(record, "appeal_date"),
            judge=_value(record, "judge"),
            term_text=text,
            penalty_kind=VIASNA_PENALTIES.get(penalty_text, PenaltyKind.OTHER)
            if penalty_text
            else "",
            term_months=sentence.term_months if text else None,
            term_days=sentence.term_days if text else None,
            fine_amount=sentence.fine_amount,
            fine_unit=sentence.fine_unit,
            penalty_starts_on=_value(record, "penalty_start_date"),
        )
        self._cite(decision, source)

    def _release(self, record, detention, source, status, result):
        released_on = _value(record, "release_date")
        release = Release.objects.filter(detention=detention).first()
        if not released_on and status != "former":
            return
        if release is None:
            release = Release(detention=detention)
        self._save(
            release,
            result,
            "release",
            released_on=released_on,
            kind=ReleaseKind.END_OF_TERM if released_on else ReleaseKind.OTHER,
            circumstances=""
            if released_on
            else "Viasna lists the person as a former political prisoner.",
        )
        self._cite(release, source)
