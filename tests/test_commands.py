"""The local set-up that `make run` performs."""

import re
from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.http import HttpRequest

from prisoners.models import Person


def prepare():
    out = StringIO()
    call_command("prepare_local_site", stdout=out)
    return out.getvalue()


def test_a_fresh_database_gets_the_seed_and_an_editor_whose_password_is_shown_once(db, client):
    first = prepare()
    assert "Loaded seed data: 7 people." in first
    password = re.search(r"password: (\S+)", first).group(1)
    # django-axes reads the request of a login; the test client passes none.
    assert client.login(request=HttpRequest(), username="editor", password=password)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/prisoners/person/").status_code == 200

    second = prepare()
    assert "password" not in second
    assert get_user_model().objects.filter(username="editor").count() == 1
    account = get_user_model().objects.get(username="editor")
    assert list(account.groups.values_list("name", flat=True)) == ["Reviewer"]
    assert account.has_perm("prisoners.publish_records")


def test_seed_history_is_recorded_as_the_first_version(db):
    prepare()
    losik = Person.objects.get(name="Ihar Losik")
    assert losik.history.count() == 1


def test_local_edits_survive_a_restart(db):
    prepare()
    Person.objects.filter(name="Ihar Losik").update(occupation="edited locally")
    prepare()
    assert Person.objects.get(name="Ihar Losik").occupation == "edited locally"


def test_the_admin_login_page_is_served(client, db):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert b"Log in" in response.content
