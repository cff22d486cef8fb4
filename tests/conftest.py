"""Factories for every model, named users, and the seed data as a fixture."""

import factory
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from prisoners import models as pm
from prisoners.choices import FacilityKind, ReleaseKind
from sources import models as sm
from sources.choices import SourceKind
from tracker.editorial import EditorialState

PUBLISHED = EditorialState.PUBLISHED


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = sm.Source

    kind = SourceKind.NEWS_ARTICLE
    title = factory.Sequence(lambda n: f"Report {n}")
    publisher = "Test Wire"
    url = factory.Sequence(lambda n: f"https://news.example.org/report-{n}")
    published_on = "2020-10-12"
    state = PUBLISHED


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = sm.Organisation

    name = factory.Sequence(lambda n: f"Rights Group {n}")
    slug = factory.Sequence(lambda n: f"rights-group-{n}")
    state = PUBLISHED


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.Person

    name = factory.Sequence(lambda n: f"Person {n}")
    gender = "female"
    state = PUBLISHED


class PersonNameFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.PersonName

    person = factory.SubFactory(PersonFactory)
    name = factory.Sequence(lambda n: f"Variant {n}")
    language = "en"
    script = "Latn"
    kind = "transliteration"


class FacilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.Facility

    name = factory.Sequence(lambda n: f"Detention centre {n}")
    kind = FacilityKind.PRETRIAL_DETENTION
    city = "Minsk"
    state = PUBLISHED


class DetentionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.Detention

    person = factory.SubFactory(PersonFactory)
    started_on = "2020-08-31"
    state = PUBLISHED


class CourtDecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.CourtDecision

    detention = factory.SubFactory(DetentionFactory)
    decided_on = "2021-07-06"
    penalty_kind = "colony_general"
    term_months = 36
    term_text = "3 years"
    state = PUBLISHED


class ReleaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.Release

    detention = factory.SubFactory(DetentionFactory)
    released_on = "2021-10-16"
    kind = ReleaseKind.END_OF_TERM
    state = PUBLISHED


@pytest.fixture
def seed(db):
    """The seed fixtures, loaded as `make run` loads them."""
    call_command("loaddata", "seed", verbosity=0)


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_user(
        username="alena", password="editor-pass-123", is_staff=True, is_superuser=True
    )
