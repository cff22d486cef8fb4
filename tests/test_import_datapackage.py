"""A data package made by our export loads into an empty database and reproduces it."""

import io
import json
import zipfile

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import connection

from prisoners import models as pm
from prisoners import publishing
from sources.models import Citation, Source
from tracker.lib.editorial import ReviewedModel


def flush():
    """Empty the database, and forget content-type ids that the test's rollback restores."""
    # PostgreSQL truncates no table with deferred foreign-key checks pending (the edition's
    # rows written in this test's transaction): run them first.
    connection.check_constraints()
    call_command("flush", interactive=False, verbosity=0)
    ContentType.objects.clear_cache()


@pytest.fixture(autouse=True)
def _fresh_content_types():
    yield
    ContentType.objects.clear_cache()  # ids cached after a flush are stale after rollback


def export(path):
    call_command("export_datapackage", str(path), stdout=io.StringIO())
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_export_load_export_gives_the_same_files(seed, tmp_path):
    before = export(tmp_path / "before.zip")
    flush()
    assert not pm.Person.objects.exists()
    call_command("import_datapackage", str(tmp_path / "before.zip"), stdout=io.StringIO())
    after = export(tmp_path / "after.zip")
    assert set(before) == set(after)
    for name in before:
        if name == "datapackage.json":
            old, new = json.loads(before[name]), json.loads(after[name])
            for moment in ("created", "edition"):  # the mirror's own edition: its own steps
                old.pop(moment), new.pop(moment)
            assert old == new
        else:
            assert before[name] == after[name], name
    assert pm.Person.objects.get(name="Lilia Vlasova").current_status == "released"
    assert Citation.objects.count() == before["citations.csv"].count(b"\n") - 1


def test_everything_loads_published_records_and_parts_alike(seed, tmp_path):
    export(tmp_path / "package.zip")
    flush()
    call_command("import_datapackage", str(tmp_path / "package.zip"), stdout=io.StringIO())
    reviewed = [model for model in apps.get_models() if issubclass(model, ReviewedModel)]
    states = {
        model.__name__: set(model.objects.values_list("state", flat=True)) for model in reviewed
    }
    assert {name for name, found in states.items() if found} >= {
        "Person",
        "PersonName",
        "Charge",
        "FacilityStay",
        "FacilityName",
        "CriminalArticle",
        "EventParticipant",
        "Citation",
    }
    assert {name: found - {"published"} for name, found in states.items()} == {
        name: set() for name in states
    }


def withhold(name: str, descriptor: str) -> pm.Person:
    person = pm.Person.objects.get(name=name)
    person.birth_date = "1965-05-17"
    publishing.withhold(person=person, descriptor=descriptor)
    return person


def test_a_withheld_person_loads_masked_and_exports_the_same(seed, tmp_path):
    person = withhold("Yury Voskresensky", "a political scientist")
    before = export(tmp_path / "before.zip")
    flush()
    call_command("import_datapackage", str(tmp_path / "before.zip"), stdout=io.StringIO())
    mirrored = pm.Person.objects.get(pk=person.pk)
    assert (mirrored.name, mirrored.public_descriptor, mirrored.birth_date) == (
        "—",  # not in the package
        "a political scientist",
        "1965",
    )
    assert not mirrored.names.exists() and not mirrored.identifiers.exists()
    after = export(tmp_path / "after.zip")
    for name in before:
        if name != "datapackage.json":
            assert before[name] == after[name], name


def test_a_url_that_names_a_withheld_person_loads_empty(seed, tmp_path):
    withhold("Lilia Vlasova", "an activist")
    files = export(tmp_path / "package.zip")
    assert files["sources.csv"].count(b"[name withheld]") >= 2  # two URLs, among others
    flush()
    call_command("import_datapackage", str(tmp_path / "package.zip"), stdout=io.StringIO())
    assert not Source.objects.filter(url__contains="[name withheld]").exists()
    assert Source.objects.filter(url="").count() > 2


def test_it_loads_into_an_empty_database_only(seed, tmp_path):
    export(tmp_path / "package.zip")
    with pytest.raises(CommandError, match="not empty"):
        call_command("import_datapackage", str(tmp_path / "package.zip"))


def test_a_bad_file_is_an_error_and_loads_nothing(seed, tmp_path):
    files = export(tmp_path / "package.zip")
    flush()
    broken = tmp_path / "broken.zip"
    with zipfile.ZipFile(broken, "w") as archive:
        for name, content in files.items():
            if name == "detentions.csv":
                content = content.replace(b"2020-08-31", b"2020-13-31")
            archive.writestr(name, content)
    with pytest.raises(CommandError, match=r"detentions.csv, line \d+"):
        call_command("import_datapackage", str(broken), stdout=io.StringIO())
    assert not pm.Person.objects.exists() and not pm.Detention.objects.exists()
    (tmp_path / "junk.zip").write_bytes(b"not a zip")
    with pytest.raises(CommandError, match="not a data package"):
        call_command("import_datapackage", str(tmp_path / "junk.zip"))
