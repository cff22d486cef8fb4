"""Partial dates keep their precision, reject nonsense, and filter by their bounds."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction
from django.utils import translation

from prisoners.models import Detention
from tracker.lib.partial_dates import (
    PartialDateFormField,
    format_partial_date,
    parse_partial_date,
    precision_of,
    read_partial_date,
)

from .factories import DetentionFactory, PersonFactory


@pytest.mark.parametrize(
    ("text", "precision", "earliest", "latest"),
    [
        ("2020", "year", datetime.date(2020, 1, 1), datetime.date(2020, 12, 31)),
        ("2020-06", "month", datetime.date(2020, 6, 1), datetime.date(2020, 6, 30)),
        ("2020-02", "month", datetime.date(2020, 2, 1), datetime.date(2020, 2, 29)),
        ("2021-02", "month", datetime.date(2021, 2, 1), datetime.date(2021, 2, 28)),
        ("2020-06-25", "day", datetime.date(2020, 6, 25), datetime.date(2020, 6, 25)),
    ],
)
def test_it_parses_each_precision_into_its_span(text, precision, earliest, latest):
    parsed = parse_partial_date(text)
    assert (parsed.text, parsed.precision, parsed.earliest, parsed.latest) == (
        text,
        precision,
        earliest,
        latest,
    )


@pytest.mark.parametrize(
    "text",
    [
        "June 2020",
        "2020-6",
        "2020-13",
        "2021-02-29",
        "2020-06-31",
        "20-06-25",
        "0999",
        "2020-06-25T10:00",
        " 2020",
        "2020/06",
        "25.06.2020",
        "２０２０",
        "٢٠٢٠",
    ],
)
def test_it_rejects_what_is_not_a_partial_date(text):
    with pytest.raises(ValidationError) as error:
        parse_partial_date(text)
    assert error.value.code == "invalid_partial_date"
    message = error.value.messages[0]
    assert text.strip() in message and "YYYY, YYYY-MM or YYYY-MM-DD" in message


def test_unknown_is_empty_and_has_no_precision():
    assert parse_partial_date("") is None
    assert precision_of("") is None
    assert precision_of("2020-08") == "month"


# Dates the way editors write them: what they type, what is stored. The stored form alone
# is what parse_partial_date (the API, the files, the database) accepts (above).
TYPED = [
    ("2020", "2020"),
    ("2020-06", "2020-06"),
    ("2020-06-25", "2020-06-25"),
    ("25.06.2020", "2020-06-25"),
    ("5.6.2020", "2020-06-05"),
    ("06.2020", "2020-06"),
    ("June 2020", "2020-06"),
    ("Jun 2020", "2020-06"),
    ("jun. 2020", "2020-06"),
    ("Sept 2020", "2020-09"),
    ("чэрвень 2020", "2020-06"),
    ("ЧЭРВЕНЬ 2020", "2020-06"),
    ("июнь 2020", "2020-06"),
    ("Июнь 2020", "2020-06"),
    ("25 чэрвеня 2020", "2020-06-25"),
    ("25 траўня 2020", "2020-05-25"),
    ("25 июня 2020", "2020-06-25"),
    ("25 June 2020", "2020-06-25"),
    ("  25   June\u00a02020 ", "2020-06-25"),
    ("29.02.2020", "2020-02-29"),
    ("", ""),
    ("   ", ""),
]


@pytest.mark.parametrize("language", ["en", "be", "ru"])
@pytest.mark.parametrize(("typed", "stored"), TYPED)
def test_the_form_field_reads_dates_as_people_write_them_in_any_language(typed, stored, language):
    with translation.override(language):
        assert PartialDateFormField(required=False).clean(typed) == stored


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("31.02.2020", "calendar"),
        ("29.02.2021", "calendar"),
        ("31 чэрвеня 2020", "calendar"),
        ("13.2020", "calendar"),
        ("2020-13", "calendar"),
        ("0999", "calendar"),
        ("Juni 2020", "not a date"),
        ("June", "not a date"),
        ("25 June", "not a date"),
        ("June 25, 2020", "not a date"),
        ("25/06/2020", "not a date"),
        ("25.06.20", "not a date"),
        ("2020-6", "not a date"),
        ("２５.０６.２０２０", "not a date"),
        ("25 June 2020 10:00", "not a date"),
        ("tomorrow", "not a date"),
    ],
)
def test_the_form_field_refuses_anything_else_naming_the_accepted_forms(typed, why):
    with pytest.raises(ValidationError) as error:
        PartialDateFormField(required=False).clean(typed)
    message = " ".join(error.value.messages)
    assert error.value.code == "invalid_partial_date"
    assert why in message and f"“{typed.strip()}”" in message
    assert "06.2020" in message and "25.06.2020" in message and "June 2020" in message


@pytest.mark.parametrize(
    ("language", "day", "month"),
    [
        ("en", "25 June 2020", "June 2020"),
        ("be", "25 чэрвеня 2020", "чэрвень 2020"),
        ("ru", "25 июня 2020", "июнь 2020"),
    ],
)
def test_dates_are_shown_back_in_the_normal_form_of_the_language(language, day, month):
    field = PartialDateFormField(required=False)
    with translation.override(language):
        assert field.prepare_value("2020-06-25") == day
        assert field.prepare_value("2020-06") == month
        assert field.prepare_value("2020") == "2020"
        assert field.prepare_value("") == ""
        # What is shown reads back as what is stored, and counts as no change.
        assert read_partial_date(day) == "2020-06-25"
        assert not field.has_changed("2020-06", month)
        assert field.has_changed("2020-06", "2020-07")
        # A refused value is shown back as it was typed, to be corrected.
        assert field.prepare_value("31.02.2020") == "31.02.2020"


def test_every_month_reads_back_in_every_language():
    for language in ("en", "be", "ru"):
        for month in range(1, 13):
            for stored in (f"2021-{month:02d}", f"2021-{month:02d}-01"):
                shown = format_partial_date(stored, language)
                assert read_partial_date(shown) == stored
                assert read_partial_date(shown.upper()) == stored


def test_the_database_computes_bounds_and_stores_no_invented_day(db):
    detention = DetentionFactory(started_on="2020-06")
    detention.refresh_from_db()
    assert detention.started_on == "2020-06"
    assert detention.started_on_earliest == datetime.date(2020, 6, 1)
    assert detention.started_on_latest == datetime.date(2020, 6, 30)
    unknown = DetentionFactory(started_on="")
    unknown.refresh_from_db()
    assert unknown.started_on_earliest is None and unknown.started_on_latest is None


def test_bounds_follow_an_update_made_without_the_orm_model(db):
    detention = DetentionFactory(started_on="2020-06")
    Detention.objects.filter(pk=detention.pk).update(started_on="2020-08-31")
    detention.refresh_from_db()
    assert (
        detention.started_on_earliest == detention.started_on_latest == datetime.date(2020, 8, 31)
    )


def test_filtering_by_bounds_includes_only_what_can_match(db):
    person = PersonFactory()
    june = DetentionFactory(person=person, started_on="2020-06")
    exact = DetentionFactory(person=person, started_on="2020-06-25")
    year = DetentionFactory(person=person, started_on="2020")
    DetentionFactory(person=person, started_on="2021-01")

    def could_start_on_or_after(day):
        return set(Detention.objects.filter(started_on_latest__gte=day))

    def surely_started_on_or_after(day):
        return set(Detention.objects.filter(started_on_earliest__gte=day))

    # "June 2020" may be on or after 15 June; it is not surely so.
    day = datetime.date(2020, 6, 15)
    assert {june, exact, year} <= could_start_on_or_after(day)
    assert june not in surely_started_on_or_after(day)
    assert exact in surely_started_on_or_after(day)
    assert june not in could_start_on_or_after(datetime.date(2020, 7, 1))
    assert year in could_start_on_or_after(datetime.date(2020, 7, 1))


def test_ordering_by_earliest_bound_puts_month_before_its_days(db):
    person = PersonFactory()
    later = DetentionFactory(person=person, started_on="2020-06-25")
    month = DetentionFactory(person=person, started_on="2020-06")
    earlier_year = DetentionFactory(person=person, started_on="2019")
    ordered = list(Detention.objects.filter(person=person).order_by("started_on_earliest", "pk"))
    assert ordered == [earlier_year, month, later]


@pytest.mark.parametrize("bad", ["2020-13", "June 2020", "2020-6-1", "2020-02-30"])
def test_the_database_itself_rejects_malformed_dates(db, bad):
    detention = DetentionFactory(started_on="2020-06")
    # A CHECK constraint rejects the form; PostgreSQL's make_date() rejects 30 February.
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        Detention.objects.filter(pk=detention.pk).update(started_on=bad)
    detention.refresh_from_db()
    assert detention.started_on == "2020-06"


def test_full_clean_reports_a_malformed_date_on_its_field(db):
    detention = DetentionFactory.build(person=PersonFactory(), started_on="2020-13-01")
    with pytest.raises(ValidationError) as error:
        detention.full_clean()
    assert "started_on" in error.value.message_dict
    assert "YYYY" in error.value.message_dict["started_on"][0]
