"""
Where each field of Viasna's public database export has its place in our model.

The importer (``import_viasna``) reads records through this map; the foundation's tests
check that every value of the real sample fits its place without loss.
"""

from .choices import VIASNA_PENALTIES

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
    "prison/title": "prisoners.Facility.name",
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

__all__ = ["ARTICLE_KEYS", "FIELD_MAP", "MISSING", "VIASNA_PENALTIES"]
