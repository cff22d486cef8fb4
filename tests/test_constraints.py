"""
Every rule is held twice: by the database (so no write path can break it) and by
full_clean() (so editors get a message next to the field). A rejected write leaves the
database as it was.
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from prisoners.models import CourtDecision, Detention, FacilityStay, Person, Release
from sources.models import Citation, Source

from .factories import (
    CitationFactory,
    CourtDecisionFactory,
    DetentionFactory,
    FacilityFactory,
    FacilityStayFactory,
    PersonFactory,
    PersonIdentifierFactory,
    ReleaseFactory,
    SourceFactory,
)


def rejected_by_database(write):
    """Run a write that must fail, inside its own transaction; return the error."""
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        write()
    return error.value


def field_errors(instance) -> dict:
    with pytest.raises(ValidationError) as error:
        instance.full_clean()
    return error.value.message_dict


class TestReleaseBeforeDetention:
    def test_database_rejects_a_release_dated_before_its_detention(self, db):
        detention = DetentionFactory(started_on="2020-08-31")
        error = rejected_by_database(
            lambda: ReleaseFactory(detention=detention, released_on="2020-08-30")
        )
        assert "release cannot precede its detention" in str(error)
        assert not Release.objects.exists()

    def test_database_rejects_moving_a_detention_after_its_release(self, db):
        release = ReleaseFactory(detention__started_on="2020-08-31", released_on="2020-10-16")
        rejected_by_database(
            lambda: Detention.objects.filter(pk=release.detention_id).update(
                started_on="2020-11-01"
            )
        )
        assert Detention.objects.get().started_on == "2020-08-31"

    def test_a_release_in_the_same_month_as_a_day_precise_detention_is_accepted(self, db):
        # "October 2020" may be after 2020-10-11: the rule only rejects what cannot be true.
        release = ReleaseFactory(detention__started_on="2020-10-11", released_on="2020-10")
        release.full_clean()
        assert Release.objects.get() == release

    def test_full_clean_reports_it_on_the_release_date(self, db):
        detention = DetentionFactory(started_on="2020-08-31")
        release = ReleaseFactory.build(detention=detention, released_on="2020-08")
        release.full_clean()  # August 2020 can include 31 August.
        release.released_on = "2020-07"
        errors = field_errors(release)
        assert errors["released_on"] == [
            "A release cannot precede its detention (detained 2020-08-31)."
        ]

    def test_full_clean_reports_a_detention_moved_after_its_release(self, db):
        release = ReleaseFactory(detention__started_on="2020-08-31", released_on="2020-10-16")
        detention = release.detention
        detention.started_on = "2020-11"
        assert "started_on" in field_errors(detention)


class TestSourceUrl:
    def test_database_rejects_a_second_source_with_the_same_url(self, db):
        SourceFactory(url="https://www.rferl.org/a/33522903.html")
        rejected_by_database(lambda: SourceFactory(url="https://www.rferl.org/a/33522903.html"))
        assert Source.objects.count() == 1

    def test_full_clean_reports_the_duplicate_on_the_url_field(self, db):
        SourceFactory(url="https://www.rferl.org/a/33522903.html")
        duplicate = SourceFactory.build(url="https://www.rferl.org/a/33522903.html")
        assert field_errors(duplicate)["url"] == ["A source with this URL is already recorded."]

    def test_many_sources_may_have_no_url(self, db):
        SourceFactory(url="")
        SourceFactory(url="")
        assert Source.objects.filter(url="").count() == 2


class TestTerms:
    def test_database_rejects_a_negative_term(self, db):
        decision = CourtDecisionFactory(term_months=36)
        rejected_by_database(
            lambda: CourtDecision.objects.filter(pk=decision.pk).update(term_months=-1)
        )
        decision.refresh_from_db()
        assert decision.term_months == 36

    def test_full_clean_reports_a_negative_term_on_its_field(self, db):
        decision = CourtDecisionFactory.build(detention=DetentionFactory(), term_months=-6)
        assert field_errors(decision)["term_months"] == ["A term cannot be negative."]

    def test_database_rejects_an_appeal_decided_before_the_verdict(self, db):
        rejected_by_database(
            lambda: CourtDecisionFactory(decided_on="2021-12-14", appeal_decided_on="2021-06")
        )
        assert not CourtDecision.objects.exists()

    def test_full_clean_reports_the_appeal_date(self, db):
        decision = CourtDecisionFactory.build(
            detention=DetentionFactory(), decided_on="2021-12-14", appeal_decided_on="2021-11"
        )
        assert "appeal_decided_on" in field_errors(decision)


class TestOtherRules:
    def test_exile_needs_a_destination_in_the_database_and_in_the_form(self, db):
        detention = DetentionFactory()
        rejected_by_database(
            lambda: ReleaseFactory(detention=detention, kind="exile", destination_country="")
        )
        release = ReleaseFactory.build(detention=detention, kind="exile", destination_country="")
        assert "destination_country" in field_errors(release)

    def test_a_withheld_name_needs_a_public_descriptor(self, db):
        rejected_by_database(lambda: PersonFactory(name_withheld=True, public_descriptor=""))
        person = PersonFactory.build(name_withheld=True, public_descriptor="")
        assert "public_descriptor" in field_errors(person)
        assert not Person.objects.exists()

    def test_a_stay_cannot_end_before_it_starts(self, db):
        detention, facility = DetentionFactory(), FacilityFactory()
        rejected_by_database(
            lambda: FacilityStayFactory(
                detention=detention, facility=facility, started_on="2020-10", ended_on="2020-09"
            )
        )
        stay = FacilityStay(
            detention=detention, facility=facility, started_on="2020-10", ended_on="2020-09"
        )
        assert "ended_on" in field_errors(stay)

    def test_an_unknown_choice_is_rejected_by_the_database(self, db):
        person = PersonFactory()
        rejected_by_database(lambda: Person.objects.filter(pk=person.pk).update(state="public"))
        rejected_by_database(lambda: Person.objects.filter(pk=person.pk).update(gender="x"))
        person.refresh_from_db()
        assert person.state == "published"

    def test_an_identifier_belongs_to_one_person(self, db):
        first, second = PersonFactory(), PersonFactory()
        PersonIdentifierFactory(person=first, scheme="viasna", identifier="1")
        rejected_by_database(
            lambda: PersonIdentifierFactory(person=second, scheme="viasna", identifier="1")
        )
        assert second.identifiers.count() == 0

    def test_a_citation_must_name_the_field_whose_value_it_states(self, db):
        person, source = PersonFactory(), SourceFactory()
        citation = Citation(record=person, source=source, stated_value="2020-10-16")
        errors = field_errors(citation)
        assert "A stated value belongs to a field" in " ".join(errors["__all__"])
        rejected_by_database(lambda: citation.save())

    def test_a_citation_names_a_real_field(self, db):
        citation = Citation(
            record=PersonFactory(), source=SourceFactory(), field="nickname", stated_value="x"
        )
        assert field_errors(citation)["field"] == ["“nickname” is not a field of person."]

    def test_evidence_cannot_be_deleted_from_under_a_record(self, db):
        from django.db.models import ProtectedError

        release = ReleaseFactory()
        source = SourceFactory()
        CitationFactory(record=release, source=source)
        with pytest.raises(ProtectedError):
            source.delete()
        with pytest.raises(ProtectedError):
            release.detention.delete()
        assert Release.objects.count() == 1 and Source.objects.count() == 1


class TestChecksInOneQuery:
    """``tracker.lib.constraints``: every check constraint of a model asked in one query,
    with the very errors Django's one-query-per-constraint validation gives."""

    @staticmethod
    def _errors(validate, instance) -> dict:
        try:
            validate(instance)
        except ValidationError as error:
            return error.message_dict
        return {}

    def test_the_errors_are_djangos_own_in_the_same_order(self, db):
        from django.db import models

        detention = DetentionFactory()
        broken = [
            CourtDecisionFactory.build(
                detention=detention,
                term_months=-6,
                term_days=-1,
                decided_on="2021-12-14",
                appeal_decided_on="2021-11",
                penalty_kind="not a penalty",
            ),
            PersonFactory.build(name_withheld=True, public_descriptor="", gender="x", name=""),
            ReleaseFactory.build(detention=detention, kind="exile", destination_country=""),
            FacilityStay(
                detention=detention,
                facility=FacilityFactory(),
                started_on="2020-10",
                ended_on="2020-09",
            ),
            CourtDecisionFactory.build(detention=detention),  # none broken
        ]
        for instance in broken:
            ours = self._errors(type(instance).validate_constraints, instance)
            djangos = self._errors(models.Model.validate_constraints, instance)
            assert ours == djangos, type(instance).__name__
        found = self._errors(CourtDecision.validate_constraints, broken[0])
        assert sum(len(messages) for messages in found.values()) >= 3, found

    def test_a_constraint_on_an_excluded_field_is_skipped_as_django_skips_it(self, db):
        from django.db import models

        decision = CourtDecisionFactory.build(detention=DetentionFactory(), term_months=-6)
        for validate in (CourtDecision.validate_constraints, models.Model.validate_constraints):
            validate(decision, exclude={"term_months"})  # raises nothing

    def test_a_model_s_checks_cost_one_query(self, db):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        decision = CourtDecisionFactory.build(detention=DetentionFactory())
        checks = sum(type(c).__name__ == "CheckConstraint" for c in CourtDecision._meta.constraints)
        assert checks >= 5
        with CaptureQueriesContext(connection) as queries:
            decision.validate_constraints()
        asked = [q["sql"] for q in queries if "SAVEPOINT" not in q["sql"]]
        others = len(CourtDecision._meta.constraints) - checks
        assert len(asked) <= others + 1, asked
