"""
Publishing or sending to review many selected records works a batch at a time: each batch
in its own transaction, with a message of its own (``tracker.lib.batches``).
"""

import pytest

from prisoners import public
from prisoners.models import Person, PersonName
from tracker.lib import batches, editorial_admin

from .admin_client import member
from .factories import PersonFactory, PersonNameFactory


@pytest.fixture
def drafts(db, monkeypatch):
    monkeypatch.setattr(batches, "BATCH_SIZE", 2)
    people = [PersonFactory(name=f"Draft Person{n}", state="draft") for n in range(5)]
    for person in people:
        PersonNameFactory(person=person, name=f"Чарнавік{person.pk}", state="draft")
    return people


def act(client, action, people):
    return client.post(
        "/admin/prisoners/person/",
        {"action": action, "_selected_action": [p.pk for p in people]},
        follow=True,
    )


def test_publishing_reports_each_batch_and_publishes_every_record_and_part(client, drafts):
    client.force_login(member("Reviewer", "vera"))
    response = act(client, "publish", drafts)
    messages = [str(m) for m in response.context["messages"]]
    assert messages == [
        "Batch 1 of 3: 2 records published, with their parts in waiting: 2.",
        "Batch 2 of 3: 2 records published, with their parts in waiting: 2.",
        "Batch 3 of 3: 1 record published, with its parts in waiting: 1.",
    ]
    assert set(Person.objects.values_list("state", flat=True)) == {"published"}
    # Through the publishing services: the public reads every person and name variant.
    assert set(public.ids(Person).values_list("pk", flat=True)) == {p.pk for p in drafts}
    names = public.rows(PersonName).values_list("name", flat=True)
    assert set(names) == {f"Чарнавік{p.pk}" for p in drafts}


def test_sending_to_review_reports_each_batch(client, drafts):
    client.force_login(member("Editor", "olga"))
    response = act(client, "send_to_review", drafts[:3])
    messages = [str(m) for m in response.context["messages"]]
    assert messages == [
        "Batch 1 of 2: 2 records sent to review, with their draft parts: 2.",
        "Batch 2 of 2: 1 record sent to review, with its draft parts: 1.",
    ]


def test_a_failing_batch_keeps_the_batches_before_it(client, drafts, monkeypatch):
    client.force_login(member("Reviewer", "vera"))
    publish = editorial_admin.EditorialAdminMixin._publish
    seen = []

    def fails_second(self, request, records):
        seen.append(records)
        if len(seen) == 2:
            raise RuntimeError("the database went away")
        return publish(self, request, records)

    monkeypatch.setattr(editorial_admin.EditorialAdminMixin, "_publish", fails_second)
    with pytest.raises(RuntimeError):
        act(client, "publish", drafts)
    states = dict(Person.objects.values_list("pk", "state"))
    assert [states[p.pk] for p in drafts] == ["published"] * 2 + ["draft"] * 3
    # The batch that committed is public; the others are not.
    public_people = set(public.ids(Person).values_list("pk", flat=True))
    assert public_people == {drafts[0].pk, drafts[1].pk}
