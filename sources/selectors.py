"""Reads of sources for the public side: published only."""

from django.db.models import QuerySet

from tracker.editorial import EditorialState

from .models import Organisation, Source


def sources_list() -> QuerySet[Source]:
    return Source.objects.filter(state=EditorialState.PUBLISHED)


def organisations_list() -> QuerySet[Organisation]:
    return Organisation.objects.filter(state=EditorialState.PUBLISHED)
