"""
The one search function for people: the API's ``q``, the admin search, the exports and
the duplicate warning all call it, so improving it improves them all.

Matching is over every public spelling of a person's name. The names of a person whose
name is withheld are never searched on the public side (a hit would reveal the name);
only their public descriptor is.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet

from .models import PersonName


def normalise(query: str) -> str:
    return " ".join(query.split()).casefold()


def search_people(queryset: QuerySet, query: str, *, public: bool = True) -> QuerySet:
    """People of ``queryset`` any of whose names contains ``query`` (case-insensitive)."""
    query = " ".join(query.split())
    if not query:
        return queryset
    names = PersonName.objects.filter(person=OuterRef("pk"), name__icontains=query)
    if public:
        names = names.filter(person__name_withheld=False)
        matches = Q(public_name__icontains=query) | Exists(names)
    else:
        matches = Q(name__icontains=query) | Q(public_descriptor__icontains=query) | Exists(names)
    return queryset.filter(matches)
