"""A data package made by our export loads into an empty database and reproduces it."""

import io
import json
import zipfile

import pytest
from django.core.management import CommandError, call_command

from prisoners import models as pm
from sources.models import Citation


def export(path):
    call_command("export_datapackage", str(path), stdout=io.StringIO())
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_export_load_export_gives_the_same_files(seed, tmp_path):
    before = export(tmp_path / "before.zip")
    call_command("flush", interactive=False, verbosity=0)
    assert not pm.Person.objects.exists()
    call_command("import_datapackage", str(tmp_path / "before.zip"), stdout=io.StringIO())
    after = export(tmp_path / "after.zip")
    assert set(before) == set(after)
    for name in before:
        if name == "datapackage.json":
            old, new = json.loads(before[name]), json.loads(after[name])
            old.pop("created"), new.pop("created")
            assert old == new
        else:
            assert before[name] == after[name], name
    assert pm.Person.objects.get(name="Lilia Vlasova").current_status == "released"
    assert Citation.objects.count() == before["citations.csv"].count(b"\n") - 1


def test_it_loads_into_an_empty_database_only(seed, tmp_path):
    export(tmp_path / "package.zip")
    with pytest.raises(CommandError, match="not empty"):
        call_command("import_datapackage", str(tmp_path / "package.zip"))


def test_a_bad_file_is_an_error_and_loads_nothing(seed, tmp_path):
    files = export(tmp_path / "package.zip")
    call_command("flush", interactive=False, verbosity=0)
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
