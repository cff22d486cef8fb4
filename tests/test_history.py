"""Every change to an editorial record is in its history, with who made it."""

import re

import pytest
from django.contrib.auth import get_user_model

from prisoners.models import Person

from .factories import CriminalArticleFactory, PersonFactory, ReleaseFactory


def test_history_records_the_user_who_changed_a_record_through_the_admin(client, editor):
    article = CriminalArticleFactory(number="342", title="")
    client.force_login(editor)
    response = client.post(
        f"/admin/prisoners/criminalarticle/{article.pk}/change/",
        {
            "code": "BY-CC",
            "number": "342",
            "title_en": "Organisation of actions that grossly violate public order",
        },
    )
    assert response.status_code == 302, response.content[:500]
    latest = article.history.first()
    assert latest.history_user == editor
    assert latest.history_type == "~"
    assert latest.title_en.startswith("Organisation of actions")
    assert article.history.last().history_type == "+"


def test_history_shows_what_changed_between_two_versions(db):
    user = get_user_model().objects.create_user("reviewer")
    person = PersonFactory(occupation="lawyer")
    person.occupation = "lawyer and mediator"
    person._history_user = user
    person.save()
    new, old = person.history.all()[:2]
    delta = new.diff_against(old)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [
        ("occupation", "lawyer", "lawyer and mediator")
    ]
    assert new.history_user == user


def test_history_keeps_a_deleted_release(db):
    release = ReleaseFactory(released_on="2020-10-11")
    pk = release.pk
    release.delete()
    kinds = list(release.history.model.objects.filter(id=pk).values_list("history_type", flat=True))
    assert kinds == ["-", "+"]


def test_private_fields_are_kept_in_history_for_editors_only(db):
    person = PersonFactory(private_contacts="mother: +375 29 000 00 00")
    assert person.history.get().private_contacts.startswith("mother")


@pytest.mark.parametrize("page", ["history", "change"])
def test_the_admin_history_page_lists_changes(client, editor, page):
    person = PersonFactory(name="Lilia Vlasova")
    person.occupation = "lawyer"
    person.save()
    client.force_login(editor)
    response = client.get(f"/admin/prisoners/person/{person.pk}/{page}/")
    assert response.status_code == 200
    if page == "history":
        assert len(re.findall(r"Changed|Created", response.content.decode())) >= 2
        assert Person.history.filter(id=person.pk).count() == 2
