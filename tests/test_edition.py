"""
The published edition: the public reads the last reviewed version, written at publication.

Each test acts as editors do (an Editor's save leaves the working copy in review, a
Reviewer's save publishes it) and reads what the public reads: the API, the website, the
CSV files, the counts and the search.
"""

import csv
import io
import re

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import OperationalError, connection, transaction
from django.test.utils import CaptureQueriesContext

from prisoners import publishing
from prisoners.edition_writer import edition_of
from prisoners.models import Person
from prisoners.services import merge_people
from tracker.lib.editorial import EditorialState

from . import factories
from .plans import plan_of, the_statement

PUBLISHED, IN_REVIEW, DRAFT = (
    EditorialState.PUBLISHED,
    EditorialState.IN_REVIEW,
    EditorialState.DRAFT,
)


def _api(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.json()


def _csv(client, slug):
    response = client.get(f"/exports/{slug}.csv")
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(body)))


def _site(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def _edit(record, **values):
    """An Editor's save: the new values, in review (``editors_state``)."""
    for name, value in values.items():
        setattr(record, name, value)
    record.state = IN_REVIEW
    record.save()


def _publish(record):
    record.refresh_from_db()
    record.state = PUBLISHED
    record.save()


def _search(client, text):
    return [row["id"] for row in _api(client, f"/api/v1/prisoners/?q={text}")["results"]]


@pytest.mark.django_db
def test_an_editors_change_to_a_published_person_stays_unpublic_until_a_reviewer_publishes(
    client,
):
    person = factories.PersonFactory(name="Ales Vasilevich", biography="Arrested in August.")
    factories.DetentionFactory(person=person)
    counts = _api(client, "/api/v1/stats/")

    _edit(person, name="Ales Kavaliou", biography="Arrested in September.")

    detail = _api(client, f"/api/v1/prisoners/{person.pk}/")
    assert (detail["name"], detail["biography"]) == ("Ales Vasilevich", "Arrested in August.")
    assert person.pk in _search(client, "Vasilevich")
    assert person.pk not in _search(client, "Kavaliou")
    assert "Ales Vasilevich" in _site(client, f"/en/prisoners/{person.pk}/")
    assert [row["name"] for row in _csv(client, "prisoners")] == ["Ales Vasilevich"]
    assert _api(client, "/api/v1/stats/") == counts

    _publish(person)

    detail = _api(client, f"/api/v1/prisoners/{person.pk}/")
    assert (detail["name"], detail["biography"]) == ("Ales Kavaliou", "Arrested in September.")
    assert person.pk in _search(client, "Kavaliou")
    assert person.pk not in _search(client, "Vasilevich")
    assert "Ales Kavaliou" in _site(client, f"/en/prisoners/{person.pk}/")
    assert [row["name"] for row in _csv(client, "prisoners")] == ["Ales Kavaliou"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("make", "field", "old", "new", "url"),
    [
        (factories.DetentionFactory, "place", "Minsk", "Hrodna", "/api/v1/detentions/{}/"),
        (factories.SourceFactory, "title", "First report", "Second report", "/api/v1/sources/{}/"),
    ],
)
def test_a_changed_record_keeps_its_published_values_until_published(
    client, make, field, old, new, url
):
    record = make(**{field: old})
    _edit(record, **{field: new})
    assert _api(client, url.format(record.pk))[field] == old
    _publish(record)
    assert _api(client, url.format(record.pk))[field] == new


@pytest.mark.django_db
def test_a_changed_part_keeps_its_published_values_until_published(client):
    charge = factories.ChargeFactory(title="Mass riots")
    citation = factories.CitationFactory(record=charge.detention.person, quote="He was taken.")
    person_url = f"/api/v1/prisoners/{charge.detention.person_id}/"

    _edit(charge, title="Tax evasion")
    _edit(citation, quote="He was released.")

    detail = _api(client, person_url)
    [detention] = detail["detentions"]
    assert [c["title"] for c in detention["charges"]] == ["Mass riots"]
    assert [c["quote"] for c in detail["citations"]] == ["He was taken."]

    _publish(charge)
    _publish(citation)
    detail = _api(client, person_url)
    assert [c["title"] for c in detail["detentions"][0]["charges"]] == ["Tax evasion"]
    assert [c["quote"] for c in detail["citations"]] == ["He was released."]


@pytest.mark.django_db
def test_sending_a_change_back_changes_nothing_public(client):
    person = factories.PersonFactory(name="Ales Vasilevich")
    etag = client.get("/api/v1/prisoners/").headers.get("ETag")
    _edit(person, name="Ales Kavaliou")
    person.state = DRAFT  # a Reviewer sends the change back
    person.save()
    assert _api(client, f"/api/v1/prisoners/{person.pk}/")["name"] == "Ales Vasilevich"
    assert client.get("/api/v1/prisoners/").headers.get("ETag") == etag


@pytest.mark.django_db
def test_an_editor_withholding_a_name_hides_it_everywhere_at_once(client):
    person = factories.PersonFactory(name="Ales Vasilevich", biography="Ales Vasilevich, 34.")
    factories.PersonNameFactory(person=person, name="Алесь Васілевіч", language="be")
    factories.CitationFactory(record=person)
    other = factories.PersonFactory(biography="Arrested with Ales Vasilevich.")

    _edit(person, name_withheld=True, public_descriptor="a programmer from Hrodna")

    detail = _api(client, f"/api/v1/prisoners/{person.pk}/")
    assert detail["name"] == "a programmer from Hrodna"
    assert detail["citations"] == []
    assert _search(client, "Vasilevich") == []
    assert "Vasilevich" not in _api(client, f"/api/v1/prisoners/{other.pk}/")["biography"]
    for row in _csv(client, "prisoners"):
        assert "Vasilevich" not in str(row)
    assert "Vasilevich" not in _site(client, f"/en/prisoners/{person.pk}/")
    # Nothing of the name is written into the edition itself.
    for model in apps.get_app_config("edition").get_models():
        for row in model.objects.values():
            assert "Vasilevich" not in str(row) and "Васілевіч" not in str(row), model


@pytest.mark.django_db
def test_a_batch_withholds_at_once_and_hides_a_new_spelling_in_every_text(client):
    """An import's or an admin action's batch (``publishing.deferred``) means what its saves
    would one by one: an Editor's withhold in it takes effect when the batch ends, and a
    draft spelling of a withheld person is hidden in every text of the edition."""
    person = factories.PersonFactory(name="Ales Vasilevich", biography="Ales Vasilevich, 34.")
    other = factories.PersonFactory(biography="Arrested with Ales Vasilevich (Лявон Тарасевіч).")
    other_url = f"/api/v1/prisoners/{other.pk}/"
    assert "Лявон Тарасевіч" in _api(client, other_url)["biography"]

    with publishing.deferred():
        _edit(person, name_withheld=True, public_descriptor="a programmer from Hrodna")
    assert _api(client, f"/api/v1/prisoners/{person.pk}/")["name"] == "a programmer from Hrodna"
    assert _search(client, "Vasilevich") == []
    assert "Vasilevich" not in _api(client, other_url)["biography"]
    assert "Лявон Тарасевіч" in _api(client, other_url)["biography"]

    with publishing.deferred():
        factories.PersonNameFactory(
            person=person, name="Лявон Тарасевіч", language="be", state=DRAFT
        )
    assert "Тарасевіч" not in _api(client, other_url)["biography"]
    for model in apps.get_app_config("edition").get_models():
        for row in model.objects.values():
            assert "Тарасевіч" not in str(row) and "Vasilevich" not in str(row), model


@pytest.mark.django_db
def test_withholding_and_lifting_it_rewrite_exactly_the_texts_that_mention_the_person(client):
    """A withhold re-derives what mentions the person (their records, their citations, a
    text or a source naming them), not the whole edition; lifting it shows them again."""
    person = factories.PersonFactory(name="Ales Vasilevich")
    detention = factories.DetentionFactory(person=person, place="Hrodna")
    factories.CitationFactory(record=detention)
    other = factories.PersonFactory(biography="Arrested with Ales Vasilevich.")
    interview = factories.SourceFactory(title="An interview with Ales Vasilevich")
    factories.CitationFactory(record=other, source=interview)
    unrelated = factories.PersonFactory(biography="Arrested with Ivan Kalinouski.")
    EPerson, ECitation = edition_of(Person), apps.get_model("edition", "Citation")
    ESource = apps.get_model("edition", "Source")
    untouched = EPerson.objects.get(pk=unrelated.pk).updated_at

    _edit(person, name_withheld=True, public_descriptor="a programmer from Hrodna")
    call_command("check_edition")
    assert "Vasilevich" not in _api(client, f"/api/v1/prisoners/{other.pk}/")["biography"]
    assert not ECitation.objects.filter(detention_id=detention.pk).exists()
    assert "Vasilevich" not in ESource.objects.get(pk=interview.pk).title
    assert EPerson.objects.get(pk=unrelated.pk).updated_at == untouched

    person.refresh_from_db()
    person.name_withheld = False
    person.state = PUBLISHED  # a Reviewer publishes the lifting
    person.save()
    call_command("check_edition")
    assert "Ales Vasilevich" in _api(client, f"/api/v1/prisoners/{other.pk}/")["biography"]
    assert ECitation.objects.filter(detention_id=detention.pk).exists()
    assert ESource.objects.get(pk=interview.pk).title == "An interview with Ales Vasilevich"
    assert EPerson.objects.get(pk=unrelated.pk).updated_at == untouched


@pytest.mark.django_db
def test_a_withheld_persons_variant_is_read_again_only_when_its_spelling_changes(client):
    """Renaming a withheld person's variant hides the new spelling in every text; moving
    its state alone (an action's "send to review") reads no text again."""
    person = factories.PersonFactory(name="Ales Vasilevich")
    variant = factories.PersonNameFactory(person=person, name="Ales Vasilevich")
    other = factories.PersonFactory(biography="Arrested with Lavon Tarasevich.")
    publishing.withhold(person=person, descriptor="a programmer from Hrodna")
    other_url = f"/api/v1/prisoners/{other.pk}/"
    assert "Tarasevich" in _api(client, other_url)["biography"]

    with CaptureQueriesContext(connection) as queries:
        _edit(variant)  # to review: its spelling is the same
    assert len(queries) < 12, [q["sql"] for q in queries]
    assert "Tarasevich" in _api(client, other_url)["biography"]

    _edit(variant, name="Lavon Tarasevich")
    assert "Tarasevich" not in _api(client, other_url)["biography"]
    call_command("check_edition")


@pytest.mark.django_db
def test_deleting_a_withheld_persons_variant_shows_again_what_only_it_hid(client):
    """A spelling deleted from a withheld person no longer hides a namesake's mention in
    another text (the edition agrees with the rule); their other spellings still do."""
    person = factories.PersonFactory(name="Ales Vasilevich")
    variant = factories.PersonNameFactory(person=person, name="Lavon Tarasevich")
    other = factories.PersonFactory(biography="Arrested with Lavon Tarasevich and Ales Vasilevich.")
    publishing.withhold(person=person, descriptor="a programmer from Hrodna")
    other_url = f"/api/v1/prisoners/{other.pk}/"
    assert "Tarasevich" not in _api(client, other_url)["biography"]

    variant.delete()
    biography = _api(client, other_url)["biography"]
    assert "Lavon Tarasevich" in biography
    assert "Vasilevich" not in biography
    call_command("check_edition")

    # The person deleted (their variants with them): the edition still agrees with the rule.
    factories.PersonNameFactory(person=person, name="Lavon Tarasevich")
    assert "Tarasevich" not in _api(client, other_url)["biography"]
    person.delete()
    call_command("check_edition")


@pytest.mark.django_db
def test_merging_a_withheld_person_into_another_keeps_the_name_withheld(client):
    """The same person under two records, one of them withheld: the merged record is
    withheld too, at once; none of the withheld spellings shows anywhere."""
    keep = factories.PersonFactory(name="Lavon Tarasevich")
    other = factories.PersonFactory(name="Ales Vasilevich")
    factories.PersonNameFactory(person=other, name="Aliaksandr Vasilevich")
    witness = factories.PersonFactory(biography="Arrested with Aliaksandr Vasilevich.")
    publishing.withhold(person=other, descriptor="a programmer from Hrodna")

    scans = []
    texts_again = publishing._texts_again
    publishing._texts_again = lambda *args: scans.append(args) or texts_again(*args)
    try:
        merge_people(keep=keep, other=other)
    finally:
        publishing._texts_again = texts_again
    assert len(scans) == 1  # the texts are read once (about 12 s at 100,000 people)
    keep.refresh_from_db()
    assert keep.name_withheld
    assert keep.public_descriptor == "a programmer from Hrodna"
    for url in (f"/api/v1/prisoners/{keep.pk}/", f"/api/v1/prisoners/{witness.pk}/"):
        shown = client.get(url, HTTP_ACCEPT="application/json").content.decode()
        for word in ("Vasilevich", "Tarasevich"):
            assert word not in shown, (url, word)
    call_command("check_edition")


@pytest.mark.django_db
def test_a_withheld_name_changed_in_review_stays_hidden_through_a_merge(client):
    """The public last saw "Ales Vasilevich" (withheld); an Editor renamed the record and
    its variant, and un-withheld it with the descriptor cleared, all waiting for review.
    Merged into another record, none of the spellings the rule hid shows, and the merge
    takes the descriptor the public saw."""
    keep = factories.PersonFactory(name="Lavon Tarasevich")
    other = factories.PersonFactory(name="Ales Vasilevich")
    variant = factories.PersonNameFactory(person=other, name="Aliaksandr Vasilevich")
    witness = factories.PersonFactory(
        biography="Arrested with Ales Vasilevich, also written Aliaksandr Vasilevich."
    )
    publishing.withhold(person=other, descriptor="a programmer from Hrodna")
    _publish(other)
    _edit(variant, name="Aliaksandr V.")
    other.refresh_from_db()
    _edit(other, name="Ales V.", name_withheld=False, public_descriptor="")
    witness_url = f"/api/v1/prisoners/{witness.pk}/"
    assert "Vasilevich" not in _api(client, witness_url)["biography"]  # as published

    merge_people(keep=keep, other=other)
    keep.refresh_from_db()
    assert keep.name_withheld and keep.public_descriptor == "a programmer from Hrodna"
    assert "Vasilevich" not in _api(client, witness_url)["biography"]
    call_command("check_edition")


@pytest.mark.django_db
def test_a_withheld_persons_variant_renamed_in_review_keeps_hiding_its_old_spelling(client):
    person = factories.PersonFactory(name="Ales Vasilevich")
    variant = factories.PersonNameFactory(person=person, name="Lavon Tarasevich")
    witness = factories.PersonFactory(biography="Arrested with Lavon Tarasevich.")
    publishing.withhold(person=person, descriptor="a programmer from Hrodna")
    witness_url = f"/api/v1/prisoners/{witness.pk}/"
    assert "Tarasevich" not in _api(client, witness_url)["biography"]

    _edit(variant, name="Piotr Zhuk")  # an Editor's rename, not reviewed
    assert "Tarasevich" not in _api(client, witness_url)["biography"]
    call_command("check_edition")
    _publish(variant)  # reviewed: the old spelling is no longer the person's
    assert "Lavon Tarasevich" in _api(client, witness_url)["biography"]
    call_command("check_edition")


@pytest.mark.django_db
def test_unpublishing_takes_a_record_down_at_once_with_its_parts_and_citations(client):
    detention = factories.DetentionFactory()
    factories.ChargeFactory(detention=detention)
    factories.CitationFactory(record=detention)
    publishing.unpublish(record=detention)
    assert client.get(f"/api/v1/detentions/{detention.pk}/").status_code == 404
    for name in ("Detention", "Charge", "Citation"):
        assert not apps.get_model("edition", name).objects.exists(), name
    _publish(detention)
    assert client.get(f"/api/v1/detentions/{detention.pk}/").status_code == 200
    assert apps.get_model("edition", "Charge").objects.count() == 1


@pytest.mark.django_db
def test_deleting_a_person_removes_everything_of_them(client):
    detention = factories.DetentionFactory()
    person = detention.person
    detention.delete()
    person.delete()
    assert client.get(f"/api/v1/prisoners/{person.pk}/").status_code == 404
    assert not edition_of(Person).objects.exists()


@pytest.mark.django_db
def test_private_and_draft_saves_move_no_public_time(client):
    person = factories.PersonFactory()
    before = _api(client, f"/api/v1/prisoners/{person.pk}/")["updated_at"]
    last_modified = client.get("/api/v1/prisoners/").headers.get("Last-Modified")
    etag = client.get("/api/v1/prisoners/").headers.get("ETag")

    person.private_contacts = "mother: +375 29 000 00 00"
    person.editors_notes = "Call the lawyer."
    person.save()
    factories.PersonFactory(state=DRAFT)

    assert _api(client, f"/api/v1/prisoners/{person.pk}/")["updated_at"] == before
    response = client.get("/api/v1/prisoners/")
    assert response.headers.get("Last-Modified") == last_modified
    assert response.headers.get("ETag") == etag


@pytest.mark.django_db
def test_each_publication_is_one_step_of_the_sequence():
    step = apps.get_model("edition", "Step")
    person = factories.PersonFactory()
    first = step.objects.latest("pk").pk
    _edit(person, name="Another Name")
    assert step.objects.latest("pk").pk == first
    _publish(person)
    assert step.objects.latest("pk").pk == first + 1


@pytest.mark.django_db
def test_the_edition_checks_out_and_rebuilds_the_same_after_a_workflow(seed, capsys):
    person = Person.objects.get(name="Ihar Losik")
    _edit(person, biography="Changed, not yet reviewed.")
    victim = Person.objects.get(name="Viktor Babariko")
    _edit(victim, name_withheld=True, public_descriptor="a banker")
    detention = factories.DetentionFactory(person=person, place="Homiel")
    _edit(detention, place="Brest")

    call_command("check_edition")
    before = _edition_rows()
    call_command("rebuild_edition")
    assert _edition_rows() == before
    call_command("check_edition")


def _edition_rows() -> dict:
    """Every public row but publication times (a rebuild dates rows by their versions)."""
    rows = {}
    for model in apps.get_app_config("edition").get_models():
        if model.__name__ in ("Step", "CustodyPeriod"):
            continue
        rows[model.__name__] = [
            {k: v for k, v in row.items() if k not in ("created_at", "updated_at")}
            for row in model.objects.order_by("pk").values()
        ]
    return rows


@pytest.mark.django_db
def test_the_check_finds_an_edition_out_of_step(seed):
    edition_of(Person).objects.filter(name="Ihar Losik").update(biography="Tampered.")
    with pytest.raises(Exception, match="difference"):
        call_command("check_edition")


# No public surface reads an editorial table ----------------------------------------------

_TABLE = re.compile(r'(?:FROM|JOIN)\s+"?([a-z0-9_]+)"?', re.IGNORECASE)


def _allowed_table(name: str) -> bool:
    return name.startswith("edition_") or name in {"tracker_cache"}


@pytest.mark.django_db
def test_no_public_surface_reads_an_editorial_or_history_table(client, seed):
    from .test_public_rule import surfaces

    records = [
        *Person.objects.all(),
        *apps.get_model("prisoners", "Facility").objects.all(),
        *apps.get_model("sources", "Source").objects.all()[:3],
    ]
    offenders = {}
    for url in surfaces(records):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
            if response.streaming:
                b"".join(response.streaming_content)
        tables = {t for q in queries.captured_queries for t in _TABLE.findall(q["sql"])}
        bad = sorted(t for t in tables if not _allowed_table(t))
        if bad:
            offenders[url] = bad
    assert not offenders, "\n".join(f"{url}: {tables}" for url, tables in offenders.items())


def _held_there_now(client, facility) -> int:
    """The facilities page's "held there now" for this facility, as the reader sees it."""
    body = _site(client, "/en/facilities/")
    row = re.search(rf'href="/en/facilities/{facility.pk}/">.*?</tr>', body, flags=re.DOTALL).group(
        0
    )
    return int(re.search(r'data-label="Held there now">(\d+)<', row).group(1))


@pytest.mark.django_db
def test_where_someone_is_held_now_follows_what_reviewers_publish(client):
    """The edition keeps each person's facility now (``held_in``): it moves when a
    Reviewer publishes a transfer, not when an Editor enters it; it clears when the
    facility is taken down or the person is released."""
    first, second = factories.FacilityFactory(), factories.FacilityFactory()
    detention = factories.DetentionFactory(started_on="2020-06-18")
    stay = factories.FacilityStayFactory(
        detention=detention, facility=first, started_on="2020-06-18"
    )

    def held():
        return list(edition_of(Person).objects.values_list("held_in_id", flat=True))

    assert held() == [first.pk]
    assert (_held_there_now(client, first), _held_there_now(client, second)) == (1, 0)

    _edit(stay, ended_on="2020-09-01")
    transfer = factories.FacilityStayFactory(
        detention=detention, facility=second, started_on="2020-09-01", state=IN_REVIEW
    )
    assert held() == [first.pk]  # an Editor's transfer is not public yet
    _publish(stay)
    _publish(transfer)
    assert held() == [second.pk]
    assert (_held_there_now(client, first), _held_there_now(client, second)) == (0, 1)
    page = _site(client, f"/en/facilities/{second.pk}/")
    assert detention.person.name in page

    publishing.unpublish(record=second)
    assert held() == [None]
    _publish(second)
    assert held() == [second.pk]

    factories.ReleaseFactory(detention=detention, released_on="2021-01-01")
    assert held() == [None]
    assert _held_there_now(client, second) == 0
    call_command("check_edition", verbosity=0)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the plan is PostgreSQL's")
@pytest.mark.django_db
def test_the_facilities_page_counts_who_is_held_now_from_an_index(client):
    """Each facility's "held now" is a count the index (held_in, status, id) answers alone,
    not a read of every held person's row (at 121,005 people the page's query took 64 ms
    that way, 9 ms from the index, an index-only scan on a vacuumed table). The plan is of
    the statement the page ran, with sequential and bitmap scans off: a few rows would be
    read without any index. It is the only index on held_in (the foreign key has none of
    its own), so the planner cannot pick another one of the same cost."""
    factories.FacilityStayFactory(detention=factories.DetentionFactory())
    with CaptureQueriesContext(connection) as queries:
        _site(client, "/en/facilities/")
    plan = plan_of(the_statement(queries, '"held_now"'), off=("seqscan", "bitmapscan"))
    assert "using edition_person_held_idx" in plan, plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the plan is PostgreSQL's")
@pytest.mark.django_db
def test_a_page_of_sources_reads_the_editions_index_of_their_order(client):
    """The sources' order (newest first, then title, then id) is an index of the edition:
    a page reads 50 entries of it instead of sorting every source (14.8 ms for 23,917)."""
    factories.SourceFactory(state="published")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/v1/sources/?limit=50").status_code == 200
    plan = plan_of(the_statement(queries, 'SELECT "edition_source"."id"', "LIMIT 50"))
    assert "edition_source_order_idx" in plan, plan
    assert "Sort" not in plan, plan


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="advisory locks are PostgreSQL's (CI runs it there)"
)
def test_a_step_waits_for_the_transaction_of_the_step_before_it(db):
    """Steps commit in the order of their numbers: what is cached under step 7 (an ETag,
    a rendered page) then cannot miss a slower withhold that took step 6."""
    import psycopg

    with psycopg.connect(**connection.get_connection_params()) as other:
        # Another transaction's step, not committed yet.
        other.execute("SELECT pg_advisory_lock(%s)", [publishing.STEP_LOCK])
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '200ms'")
        with pytest.raises(OperationalError, match="lock timeout"), transaction.atomic():
            publishing._step("publish")
        other.execute("SELECT pg_advisory_unlock(%s)", [publishing.STEP_LOCK])
    assert publishing._step("publish").pk is not None  # once it has ended
