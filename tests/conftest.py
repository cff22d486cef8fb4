"""Pytest fixtures: named users and the seed data. The factories are in tests/factories.py."""

import collections
import contextlib
import os
import shutil
import socket
import subprocess
import threading
import time
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.core.management import call_command
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import connections
from django.test.testcases import LiveServerThread
from django.utils import translation


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache. It is each process's memory here (no
    REDIS_URL), which, unlike a database, no test's transaction rolls back."""
    caches["default"].clear()


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the project's default language. A request leaves the language it
    asked for active in the thread (LocaleMiddleware activates, nothing deactivates), so
    without this a test's messages would be in whatever language the previous test's last
    request used, which under xdist depends on how tests were shared out."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def seed(db):
    """The seed fixtures, loaded as `make run` loads them."""
    call_command("loaddata", "seed", verbosity=0)


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_user(
        username="alena", password="editor-pass-123", is_staff=True, is_superuser=True
    )


# A real Chromium (Debian's), driven by Playwright: skipped where either is missing, a
# failure where REQUIRE_BROWSER is set (as .ci/run does).
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    missing = sync_playwright is None or not shutil.which(CHROMIUM)
    if missing:
        message = f"needs Playwright and Chromium at {CHROMIUM}"
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls
    # are still plain synchronous code.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


class LoggedLiveServer(ThreadedWSGIServer):
    """
    Django's live server, keeping a log of its last requests (``requests``: method, path,
    status, and seconds or where it is) for a browser test to print when it times out.

    Where it shares the test's in-memory SQLite connection (``one_at_a_time``), it lets
    one request at a time into the application: two at once (an autocomplete still
    answering when the form is posted) start a transaction inside the other's, "cannot
    start a transaction within a transaction", and the page is a 500. The connections are
    still accepted by a thread each: a server with no threads waits on a connection
    Chromium opened ahead and never used, and every page hangs behind it.
    """

    one_at_a_time = False
    lock = threading.Lock()
    requests: collections.deque = collections.deque(maxlen=50)

    def set_app(self, application):
        def logged(environ, start_response):
            query = environ.get("QUERY_STRING")
            path = environ.get("PATH_INFO", "") + (f"?{query}" if query else "")
            entry = [environ["REQUEST_METHOD"], path, None, "waiting"]
            self.requests.append(entry)
            started = time.monotonic()

            def start(status, headers, exc_info=None):
                entry[2] = status
                return start_response(status, headers, exc_info)

            try:
                with self.lock if self.one_at_a_time else contextlib.nullcontext():
                    entry[3] = "in the application"
                    result = application(environ, start)
                    try:
                        return list(result)  # the body, read while the connection is ours
                    finally:
                        if hasattr(result, "close"):
                            result.close()
            finally:
                entry[3] = round(time.monotonic() - started, 2)

        super().set_app(logged)


@pytest.fixture(scope="session")
def live_server(request, django_db_setup):
    """
    pytest-django's live server, logged; one request at a time where it shares the
    connection. Made after the test database (``django_db_setup``), so that whether it
    shares the connection does not depend on the order of the tests: made before, where a
    live-server test is a worker's first database test, it would not share, and each of
    its threads would open its own connection to the in-memory database, whose table locks
    fail a request at once where another connection is writing.
    """
    from pytest_django.live_server_helper import LiveServer

    addr = request.config.getvalue("liveserver") or os.environ.get(
        "DJANGO_LIVE_TEST_SERVER_ADDRESS", "localhost"
    )
    shared = any(c.vendor == "sqlite" and c.is_in_memory_db() for c in connections.all())
    server_class = type("LiveServer", (LoggedLiveServer,), {"one_at_a_time": shared})
    with mock.patch.object(LiveServerThread, "server_class", server_class):
        server = LiveServer(addr)  # the server is made and listening when this returns
    yield server
    server.stop()


# A throwaway redis-server (Debian's) on a free loopback port: skipped where it is missing,
# a failure where REQUIRE_REDIS is set (as .ci/run does).
def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def answers_ping(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory):
    """The URL of a redis-server that lives as long as the test module."""
    binary = shutil.which("redis-server")
    if binary is None:
        message = "needs redis-server (apt-get install redis-server)"
        if os.environ.get("REQUIRE_REDIS"):
            pytest.fail(message)
        pytest.skip(message)
    directory = tmp_path_factory.mktemp("redis")
    log = directory / "redis.log"
    for _attempt in range(3):  # another process may take the free port first
        port = free_port()
        command = [binary, "--bind", "127.0.0.1", "--port", str(port), "--dir", str(directory)]
        command += ["--save", "", "--appendonly", "no", "--logfile", str(log)]
        server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while server.poll() is None and not answers_ping(port) and time.monotonic() < deadline:
            time.sleep(0.05)
        if server.poll() is None and answers_ping(port):
            break
        server.kill()
        server.wait()
    else:
        pytest.fail(f"redis-server did not start: {log.read_text() if log.exists() else ''}")
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=10)
