"""
Two processes, as deployed (docker-compose.yml): a public-only one (TRACKER_PUBLIC_ONLY=1)
serves the website, the API and the exports and nothing for editors; the default one
serves the admin and the public side, as `make run` does.

Real servers (`manage.py runserver`) on a fresh SQLite database that `migrate` and the
seed made, and nothing else (no `createcachetable`): every API and export request
answers. The public process's copy of the database has no session, user, admin-log,
lockout or second-factor table, so anything it served shows it needs none of them.
"""

import http.client
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from contextlib import contextmanager

import pytest
from django.conf import settings

from prisoners.exports import EXPORTS

MANAGE = [sys.executable, "manage.py"]
EDITOR_TABLES = ("django_session", "django_admin_log", "auth_", "axes_", "otp_")
ADMIN_ONLY = ["/admin/", "/admin/login/", "/admin/two-factor/", "/i18n/setlang/"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def environment(database, **extra) -> dict:
    """`make run`'s settings (debug mode: static files without `collectstatic`'s
    manifest) over this database, nothing from the test run."""
    prefixes = ("DJANGO_", "DATABASE_", "TRACKER_", "REDIS_")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}
    return clean | {
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_DEBUG": "1",
        **extra,
    }


@pytest.fixture(scope="module")
def fresh_database(tmp_path_factory):
    """`migrate` and the seed, as `make run` does on a new machine; nothing else."""
    database = tmp_path_factory.mktemp("fresh") / "tracker.sqlite3"
    for command in (["migrate", "--no-input"], ["loaddata", "seed"]):
        subprocess.run(
            [*MANAGE, *command, "-v", "0"],
            cwd=settings.BASE_DIR,
            env=environment(database),
            check=True,
        )
    return database


class Server:
    def __init__(self, port):
        self.port = port

    def get(self, path, method="GET", headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request(method, path, headers=headers or {})
            response = connection.getresponse()
            response.read()
            return response
        finally:
            connection.close()


@contextmanager
def runserver(env, log):
    port = free_port()
    with open(log, "w") as output:
        process = subprocess.Popen(
            [*MANAGE, "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        server = Server(port)
        deadline = time.monotonic() + 60
        while True:
            try:
                if server.get("/robots.txt").status == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"runserver did not start:\n{log.read_text()}")
            time.sleep(0.2)
        yield server
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture(scope="module")
def admin_process(fresh_database, tmp_path_factory):
    """The default process, as `make run` starts it."""
    log = tmp_path_factory.mktemp("admin") / "runserver.log"
    with runserver(environment(fresh_database), log) as server:
        yield server


@pytest.fixture(scope="module")
def public_process(fresh_database, tmp_path_factory):
    """A public-only process on a copy of the database without the editors' tables."""
    folder = tmp_path_factory.mktemp("public")
    database = folder / "tracker.sqlite3"
    shutil.copy(fresh_database, database)
    with sqlite3.connect(database) as connection:
        tables = [
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]
        connection.execute("PRAGMA foreign_keys = OFF")
        editors = [table for table in tables if table.startswith(EDITOR_TABLES)]
        assert "django_session" in editors and "auth_user" in editors
        for table in editors:
            connection.execute(f'DROP TABLE "{table}"')
    env = environment(database, TRACKER_PUBLIC_ONLY="1")
    with runserver(env, folder / "runserver.log") as server:
        yield server


def read_json(server, path):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    try:
        connection.request("GET", path)
        return json.loads(connection.getresponse().read())
    finally:
        connection.close()


def first_person(server) -> int:
    return read_json(server, "/api/v1/prisoners/?limit=1")["results"][0]["id"]


def api_and_exports(server) -> list[str]:
    """Every list of the API (from its root), a detail, the statistics, the schema and
    its documentation; every CSV file, the data package and the data dictionary."""
    root = f"http://127.0.0.1:{server.port}"
    lists = [url.removeprefix(root) for url in read_json(server, "/api/v1/").values()]
    assert "/api/v1/prisoners/" in lists and len(lists) == 9
    return [
        *lists,
        f"/api/v1/prisoners/{first_person(server)}/",
        "/api/v1/stats/",
        "/api/v1/stats/in-custody/?from=2020-01-01&to=2021-12-31",
        "/api/v1/schema/",
        "/api/v1/docs/",
        "/api/v1/redoc/",
        *(f"/exports/{slug}.csv" for slug in EXPORTS),
        "/exports/datapackage.zip",
        "/exports/data-dictionary.md",
    ]


def website(person: int) -> list[str]:
    pages = ["", "prisoners/", f"prisoners/{person}/", "facilities/", "letters/", "sources/"]
    pages += ["about/", "downloads/", "feed/"]
    languages = [code for code, _name in settings.LANGUAGES]
    return [f"/{code}/{page}" for code in languages for page in pages] + [
        "/sitemap.xml",
        "/robots.txt",
    ]


def test_a_fresh_migrate_and_runserver_answer_every_api_and_export_request(admin_process):
    paths = api_and_exports(admin_process)
    answers = {path: admin_process.get(path).status for path in paths}
    assert answers == dict.fromkeys(paths, 200)


def test_the_default_process_serves_the_admin_and_the_public_side(admin_process):
    login = admin_process.get("/admin/login/")
    assert login.status == 200
    assert "csrftoken" in (login.getheader("Set-Cookie") or "")
    assert admin_process.get("/en/").status == 200


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_public_process_has_no_admin_login_or_language_form(public_process, method):
    answers = {path: public_process.get(path, method=method).status for path in ADMIN_ONLY}
    assert answers == dict.fromkeys(ADMIN_ONLY, 404)


def test_a_public_process_serves_every_public_surface_and_sets_no_cookie(public_process):
    paths = api_and_exports(public_process) + website(first_person(public_process))
    responses = {path: public_process.get(path) for path in paths}
    assert {path: r.status for path, r in responses.items()} == dict.fromkeys(paths, 200)
    cookies = {path: r.getheader("Set-Cookie") for path, r in responses.items()}
    assert cookies == dict.fromkeys(paths, None)


def test_a_session_cookie_changes_nothing_a_public_process_answers(public_process):
    # No one signs in here: the answer is the public one, cacheable by anyone in between.
    response = public_process.get(
        "/api/v1/prisoners/", headers={"Cookie": "sessionid=stolen-or-stale; csrftoken=x"}
    )
    assert response.status == 200
    assert response.getheader("Cache-Control") == "public, max-age=300"
    assert response.getheader("Set-Cookie") is None
