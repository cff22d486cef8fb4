"""
factory_boy factories for every editorial model, each published by default.

Parts (name variants, charges, citations, …) default to draft in the models, so a test
that wants a draft part says so: ``ChargeFactory(state="draft")``.
"""

import factory

from prisoners import models as pm
from prisoners.choices import EventKind, FacilityKind, NameKind, ReleaseKind, Script
from sources import models as sm
from sources.choices import OrganisationKind, SourceKind
from tracker.lib.editorial import EditorialState

PUBLISHED = EditorialState.PUBLISHED


# Sources ----------------------------------------------------------------------------------


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = sm.Organisation

    class Params:  # ``name=``: the English name (the model has one field per language)
        name = factory.Sequence(lambda n: f"Rights Group {n}")

    name_en = factory.SelfAttribute("name")
    slug = factory.Sequence(lambda n: f"rights-group-{n}")
    kind = OrganisationKind.HUMAN_RIGHTS
    state = PUBLISHED


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = sm.Source

    kind = SourceKind.NEWS_ARTICLE
    title = factory.Sequence(lambda n: f"Report {n}")
    publisher = "Test Wire"
    url = factory.Sequence(lambda n: f"https://news.example.org/report-{n}")
    published_on = "2020-10-12"
    state = PUBLISHED


# People -----------------------------------------------------------------------------------


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
    script = Script.LATIN
    kind = NameKind.TRANSLITERATION
    state = PUBLISHED


class PersonIdentifierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.PersonIdentifier

    person = factory.SubFactory(PersonFactory)
    scheme = "viasna"
    identifier = factory.Sequence(lambda n: f"id-{n}")
    state = PUBLISHED


class RecognitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.Recognition

    person = factory.SubFactory(PersonFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    recognised_on = "2021-01-15"
    state = PUBLISHED


# Facilities and articles ------------------------------------------------------------------


class FacilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.Facility

    class Params:  # ``name=``, ``city=``: in English (the model has one field per language)
        name = factory.Sequence(lambda n: f"Detention centre {n}")
        city = "Minsk"

    name_en = factory.SelfAttribute("name")
    city_en = factory.SelfAttribute("city")
    kind = FacilityKind.PRETRIAL_DETENTION
    state = PUBLISHED


class FacilityNameFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.FacilityName

    facility = factory.SubFactory(FacilityFactory)
    name = factory.Sequence(lambda n: f"Other name {n}")
    state = PUBLISHED


class CriminalArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.CriminalArticle

    class Params:  # ``title=``: in English (the model has one field per language)
        title = factory.Sequence(lambda n: f"Article title {n}")

    number = factory.Sequence(lambda n: str(7000 + n))
    title_en = factory.SelfAttribute("title")
    state = PUBLISHED


# Custody ----------------------------------------------------------------------------------


class DetentionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.Detention

    person = factory.SubFactory(PersonFactory)
    started_on = "2020-08-31"
    state = PUBLISHED


class ChargeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.Charge

    detention = factory.SubFactory(DetentionFactory)
    article = factory.SubFactory(CriminalArticleFactory)
    state = PUBLISHED


class FacilityStayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.FacilityStay

    detention = factory.SubFactory(DetentionFactory)
    facility = factory.SubFactory(FacilityFactory)
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


# Events and figures -----------------------------------------------------------------------


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.Event

    class Params:  # ``title=``: in English (the model has one field per language)
        title = factory.Sequence(lambda n: f"Event {n}")

    title_en = factory.SelfAttribute("title")
    kind = EventKind.TRIAL
    happened_on = "2021-03-01"
    state = PUBLISHED


class EventParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.EventParticipant

    event = factory.SubFactory(EventFactory)
    person = factory.SubFactory(PersonFactory)
    state = PUBLISHED


class ReportedFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.ReportedFigure

    value = 100
    counted = factory.Sequence(lambda n: f"people counted {n}")
    as_of = "2021-01"
    state = PUBLISHED


# Citations --------------------------------------------------------------------------------


class CitationFactory(factory.django.DjangoModelFactory):
    """A citation of a whole record (``record=``; a new published person by default)."""

    class Meta:
        model = sm.Citation

    source = factory.SubFactory(SourceFactory)
    record = factory.SubFactory(PersonFactory)
    state = PUBLISHED
