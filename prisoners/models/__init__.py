from .custody import (
    Charge,
    CourtDecision,
    CriminalArticle,
    Detention,
    Facility,
    FacilityName,
    FacilityStay,
    Release,
)
from .derived import CustodyPeriod
from .duplicates import DuplicatePair, NameKey
from .events import Event, EventParticipant, ReportedFigure
from .people import Person, PersonIdentifier, PersonName, Recognition
from .published import PublishedVersion

__all__ = [
    "Charge",
    "CourtDecision",
    "CriminalArticle",
    "CustodyPeriod",
    "Detention",
    "DuplicatePair",
    "Event",
    "EventParticipant",
    "Facility",
    "FacilityName",
    "FacilityStay",
    "NameKey",
    "Person",
    "PersonIdentifier",
    "PersonName",
    "PublishedVersion",
    "Recognition",
    "Release",
    "ReportedFigure",
]
