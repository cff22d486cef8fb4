"""
What waits for me on the admin's front page: the Reviewers' queue, my drafts, what was
sent back to me, recent publications and possible duplicates, each with a count and a
link to a list that shows exactly those records; a fixed number of queries.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from prisoners import models as pm
from prisoners.dashboard import RECENT
from sources.models import Source

from .admin_client import member
from .factories import (
    DetentionFactory,
    PersonFactory,
    PersonNameFactory,
    SourceFactory,
)


def created_by(record, user):
    """Say in the history that ``user`` created ``record`` (as the admin would)."""
    record.history.filter(history_type="+").update(history_user=user)
    return record


def saved_by(record, user, **changes):
    for name, value in changes.items():
        setattr(record, name, value)
    record._history_user = user
    record.save()
    return record


@pytest.fixture
def desk(db, client):
    olga = member("Editor", "olga")
    vera = member("Reviewer", "vera")
    mine = created_by(PersonFactory(name="Draft Of Olga", state="draft"), olga)
    created_by(PersonFactory(name="Draft Of Vera", state="draft"), vera)
    # Olga sent a source to review; Vera put it back to draft.
    returned = created_by(SourceFactory(title="Sent back", state="in_review"), olga)
    saved_by(returned, vera, state="draft")
    # Waiting for a reviewer: a detention in review, a published person with a new name.
    waiting = DetentionFactory(state="in_review")
    named = PersonFactory(name="Ihar Losik", state="published")
    PersonNameFactory(person=named, name="Ігар Лосік", state="in_review")
    # Published by Vera: a draft she publishes, then edits (one publication, not two).
    published = created_by(PersonFactory(name="Newly Published", state="draft"), olga)
    saved_by(published, vera, state="published")
    saved_by(published, vera, occupation="lawyer")
    # Two spellings of one man.
    PersonFactory(name="Viktor Babariko", state="draft")
    PersonFactory(name="Viktar Babaryka", state="draft")
    return {
        "olga": olga,
        "vera": vera,
        "mine": mine,
        "returned": returned,
        "waiting": waiting,
        "named": named,
        "published": published,
    }


def front_page(client, user):
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 200
    return response


def counts(lines) -> dict:
    return {line.label: line.count for line in lines}


def shown(client, url) -> set:
    """The records a list link shows."""
    response = client.get(url)
    assert response.status_code == 200, url
    return set(response.context["cl"].queryset)


def test_a_reviewer_sees_what_waits_for_review_and_each_link_shows_it(client, desk):
    response = front_page(client, desk["vera"])
    waiting = counts(response.context["waiting"])
    assert waiting == {"detentions": 1, "people": 1}
    lines = {line.label: line for line in response.context["waiting"]}
    assert shown(client, lines["detentions"].url) == {desk["waiting"]}
    assert shown(client, lines["people"].url) == {desk["named"]}
    assert f'href="{lines["people"].url}"' in response.content.decode()


def test_an_editor_sees_their_drafts_and_what_was_sent_back_but_no_review_queue(client, desk):
    response = front_page(client, desk["olga"])
    assert response.context["waiting"] is None
    assert "Waiting for a reviewer" not in response.content.decode()
    assert counts(response.context["drafts"]) == {"people": 1, "sources": 1}
    drafts = {line.label: line for line in response.context["drafts"]}
    assert shown(client, drafts["people"].url) == {desk["mine"]}
    assert counts(response.context["sent_back"]) == {"sources": 1}
    (sent_back,) = response.context["sent_back"]
    assert shown(client, sent_back.url) == {desk["returned"]}


def test_a_draft_is_not_sent_back_when_its_author_moved_it(client, desk):
    # Olga herself takes her source back to draft after sending it: not "sent back".
    source = created_by(SourceFactory(title="Withdrawn", state="in_review"), desk["olga"])
    saved_by(source, desk["olga"], state="draft")
    response = front_page(client, desk["olga"])
    assert counts(response.context["sent_back"]) == {"sources": 1}
    assert Source.objects.get(title="Withdrawn") not in shown(
        client, response.context["sent_back"][0].url
    )


def test_the_reviewers_drafts_are_theirs(client, desk):
    response = front_page(client, desk["vera"])
    assert counts(response.context["drafts"]) == {"people": 1}
    assert response.context["sent_back"] == []


def test_recent_publications_say_when_and_by_whom(client, desk):
    response = front_page(client, desk["olga"])
    published = response.context["published"][0]  # the newest first
    assert published.record == "Newly Published"
    # Published once: Vera's later edit of the published record is no publication.
    assert [p.record for p in response.context["published"]].count("Newly Published") == 1
    assert published.who == "vera"
    html = response.content.decode()
    assert f'href="{published.url}"' in html and "by vera" in html
    assert client.get(published.url).status_code == 200


def test_possible_duplicates_are_counted_and_linked(client, desk):
    response = front_page(client, desk["olga"])
    duplicates = response.context["duplicates"]
    assert duplicates.count == 1
    (pair,) = shown(client, duplicates.url)
    assert {pair.person_a.name, pair.person_b.name} == {"Viktor Babariko", "Viktar Babaryka"}


def test_the_page_costs_a_fixed_number_of_queries(client, desk):
    client.force_login(desk["vera"])
    for n in range(RECENT):
        saved_by(
            PersonFactory(name=f"Published {n}", state="draft"), desk["vera"], state="published"
        )

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/admin/").status_code == 200
        return len(captured)

    before = queries()
    for n in range(4):
        created_by(PersonFactory(name=f"More Draft {n}", state="draft"), desk["vera"])
        DetentionFactory(state="in_review")
        saved_by(PersonFactory(name=f"Later {n}", state="draft"), desk["vera"], state="published")
    assert queries() == before


def test_the_page_costs_the_same_queries_for_ten_times_the_people_and_names(client, desk):
    # The duplicates are one count of the stored pairs: nobody's names are read.
    client.force_login(desk["vera"])

    def page():
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/admin/")
        assert response.status_code == 200
        return len(captured), response.context["duplicates"].count

    people = pm.Person.objects.count()
    small, pairs = page()
    for n in range(9 * people):
        twin = PersonFactory(name=f"Twin Name{n // 2}", state="draft")
        PersonNameFactory(person=twin, name=f"Твін Імя{n // 2}", language="be", script="Cyrl")
    assert pm.Person.objects.count() >= 10 * people
    large, more_pairs = page()
    assert more_pairs > pairs
    assert large == small


def test_lists_keep_their_new_filters_for_everyone(client, desk):
    client.force_login(desk["olga"])
    for model in (pm.Person, pm.Detention, pm.CriminalArticle, Source):
        meta = model._meta
        url = f"/admin/{meta.app_label}/{meta.model_name}/"
        for query in ("?mine=drafts", "?mine=sent_back", "?review=waiting"):
            assert client.get(url + query).status_code == 200
