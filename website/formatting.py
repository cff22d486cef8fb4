"""
How the website writes dates, terms and choices in the reader's language.

A partial date is written as precisely as it is stored, never more, by the project's
``tracker.lib.partial_dates.format_partial_date``: "2020" is a year, "2020-06" a month
("June 2020", "чэрвень 2020"), "2020-06-25" a day ("25 June 2020", "25 чэрвеня 2020").
A term of months is written in words with the language's plural forms ("4 years and
6 months", "4 гады і 6 месяцаў").
"""

from __future__ import annotations

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from prisoners.choices import (
    AppealOutcome,
    EventKind,
    FacilityKind,
    FigureQualifier,
    Gender,
    NameKind,
    PenaltyKind,
    ReleaseKind,
    Script,
    Status,
)
from sources.choices import Confidence, OrganisationKind, SourceKind
from tracker.lib.partial_dates import format_partial_date

CHOICES = {
    "appeal_outcome": AppealOutcome,
    "confidence": Confidence,
    "event_kind": EventKind,
    "facility_kind": FacilityKind,
    "qualifier": FigureQualifier,
    "gender": Gender,
    "name_kind": NameKind,
    "organisation_kind": OrganisationKind,
    "penalty": PenaltyKind,
    "release_kind": ReleaseKind,
    "script": Script,
    "source_kind": SourceKind,
    "status": Status,
}


def choice_label(value, kind: str) -> str:
    """The reader's label of a stored choice ("in_custody" → "in custody"); the value
    itself when it is not one of the choices."""
    if value in (None, ""):
        return ""
    choices = CHOICES[kind]
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def partial_date(value, *, genitive: bool = False) -> str:
    """
    A partial date as text in the active language (``format_partial_date``): "2020",
    "June 2020", "25 June 2020"; ``genitive`` for the form after "since". ``value`` is the
    stored text or the API's object (``{"value": "2020-06", …}``); "" for an unknown date.
    """
    if isinstance(value, dict):
        value = value.get("value")
    return format_partial_date(str(value), genitive=genitive) if value else ""


def day(value) -> str:
    """A date (or the date of a date-time) as a day in the active language."""
    if value is None:
        return ""
    return date_format(value, "j E Y")


def term_in_words(months: int | None, days: int | None = None) -> str:
    """A sentence's length in words: "15 years", "4 years and 6 months", "10 days"."""
    months, days = months or 0, days or 0
    years, months = divmod(months, 12)
    parts = []
    if years:
        parts.append(ngettext("%(count)d year", "%(count)d years", years) % {"count": years})
    if months:
        parts.append(ngettext("%(count)d month", "%(count)d months", months) % {"count": months})
    if days:
        parts.append(ngettext("%(count)d day", "%(count)d days", days) % {"count": days})
    if not parts:
        return ""
    if len(parts) == 1:
        return parts[0]
    if len(parts) == 2:
        return _("%(first)s and %(second)s") % {"first": parts[0], "second": parts[1]}
    return _("%(first)s, %(second)s and %(third)s") % {
        "first": parts[0],
        "second": parts[1],
        "third": parts[2],
    }


def figure_value(value, qualifier: str | None) -> str:
    """A count as a source states it: "more than 13,000", "about 14,000", "1,197"."""
    if value is None:
        return ""
    number = number_format(value, force_grouping=True)
    if not qualifier or qualifier == FigureQualifier.EXACTLY:
        return number
    return _("%(qualifier)s %(number)s") % {
        "qualifier": choice_label(qualifier, "qualifier"),
        "number": number,
    }


def join_names(names: list[str]) -> str:
    """ "A", "A and B", "A, B and C", in the active language."""
    names = [str(name) for name in names]
    if not names:
        return ""
    if len(names) == 1:
        return names[0]
    return _("%(list)s and %(last)s") % {"list": ", ".join(names[:-1]), "last": names[-1]}
