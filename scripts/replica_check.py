"""
Prove the public tier on one machine: a primary and a logical replica of the edition.

``make replica-check`` runs it (not part of ``make test``: it starts two PostgreSQL
clusters and three servers, about two minutes). On loopback only, it

1. starts a primary cluster (``wal_level=logical``) and a replica cluster, as the
   ``postgres`` user when run as root (``initdb`` refuses root);
2. migrates the primary, loads the seed, creates the read-only role (``public_role``) and
   publishes the edition (``CREATE PUBLICATION edition FOR TABLES IN SCHEMA edition``);
3. gives the replica the edition's tables only (``pg_dump --schema=edition``), the same
   role, and subscribes it to the publication;
4. starts a public process (``TRACKER_PUBLIC_ONLY=1``, gunicorn as deployed) with the
   read-only role on the primary and another on the replica;

and checks, exiting non-zero on any failure: every public route of the crawl answers the
same on both (bodies compared, a page's CSP nonce aside); the replica has no table but
the edition's; as the public role on the primary, SELECT on an editorial table, INSERT
into the edition and reading the users each fail with permission denied; a Reviewer's
publication on the primary reaches the replica's public process (the delay is printed;
the target is under 2 s); stopping the replica's cluster makes its public process answer
503 (not 500, not a hang) and it recovers by itself once the cluster is back; a public
process does not serve the admin (404).
"""

# ruff: noqa: S603, S107  (a local test driver: its commands and throwaway passwords are its own)

from __future__ import annotations

import glob
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
ROLE, PASSWORD = "tracker_public", "replica-check-only"
FAILURES: list[str] = []
LOGS = Path(tempfile.gettempdir())


def say(text: str) -> None:
    print(f"replica-check: {text}", flush=True)


def check(ok: bool, what: str) -> None:
    say(f"{'ok  ' if ok else 'FAIL'} {what}")
    if not ok:
        FAILURES.append(what)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bindir() -> str:
    found = shutil.which("pg_ctl")
    if found:
        return str(Path(found).resolve().parent)
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if os.path.exists(f"{candidate}/pg_ctl"):
            return candidate
    say("no PostgreSQL server binaries (apt-get install postgresql)")
    sys.exit(77)


BIN = bindir()
AS_OWNER = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


class Cluster:
    def __init__(self, name: str, work: Path, logical: bool):
        self.dir = work / name
        self.port = free_port()
        self.logical = logical
        self.dir.mkdir()
        if AS_OWNER:
            shutil.chown(self.dir, "postgres")

    def run(self, *args, **kwargs):
        return subprocess.run([*AS_OWNER, *args], check=True, capture_output=True, **kwargs)

    def init(self) -> None:
        pwfile = self.dir / "pw"
        pwfile.write_text("owner-pass\n")
        if AS_OWNER:
            shutil.chown(pwfile, "postgres")
        self.run(
            f"{BIN}/initdb",
            "-D",
            f"{self.dir}/data",
            "-U",
            "postgres",
            "--auth=md5",
            f"--pwfile={pwfile}",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        )
        self.start()

    def start(self) -> None:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        if self.logical:
            options += " -c wal_level=logical"
        self.run(
            f"{BIN}/pg_ctl",
            "-D",
            f"{self.dir}/data",
            "-l",
            f"{self.dir}/log",
            "-w",
            "-o",
            options,
            "start",
        )

    def stop(self) -> None:
        subprocess.run(
            [*AS_OWNER, f"{BIN}/pg_ctl", "-D", f"{self.dir}/data", "-m", "fast", "stop"],
            capture_output=True,
        )

    def url(self, user="postgres", password="owner-pass") -> str:
        return f"postgres://{user}:{password}@127.0.0.1:{self.port}/tracker"

    def psql(self, sql: str, user="postgres", password="owner-pass", check=True):
        env = {**os.environ, "PGPASSWORD": password}
        return subprocess.run(
            [
                f"{BIN}/psql",
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                user,
                "-d",
                "tracker",
                "-v",
                "ON_ERROR_STOP=1",
                "-At",
                "-c",
                sql,
            ],
            capture_output=True,
            text=True,
            env=env,
            check=check,
        )


def manage(database_url: str, *args, **extra_env) -> str:
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_DEBUG": "1", **extra_env}
    if extra_env.get("DJANGO_DEBUG") == "":
        env.pop("DJANGO_DEBUG")
    env.pop("REDIS_URL", None)
    done = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode:
        say(done.stdout + done.stderr)
        raise SystemExit(f"manage.py {' '.join(args)} failed")
    return done.stdout


def serve(database_url: str, port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url + "?connect_timeout=2",
        "TRACKER_PUBLIC_ONLY": "1",
        "DJANGO_SECRET_KEY": "replica-check-only-not-a-secret-" + "x" * 20,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_HTTPS": "false",
        "DJANGO_API_ANON_RATE": "off",
        "DJANGO_EXPORT_RATE": "off",
        "DJANGO_DATAPACKAGE_RATE": "off",
        "DJANGO_SITE_RATE": "off",
        "DJANGO_CONN_MAX_AGE": "0",
        "WEB_CONCURRENCY": "2",
    }
    env.pop("DJANGO_DEBUG", None)
    env.pop("REDIS_URL", None)
    process = subprocess.Popen(
        [
            GUNICORN,
            "tracker.wsgi:application",
            "-c",
            "gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(LOGS / f"gunicorn-{port}.log", "w"),  # noqa: SIM115
    )
    for _ in range(100):
        try:
            get(port, "/robots.txt")
            return process
        except OSError:
            time.sleep(0.2)
    raise SystemExit("a public process did not start")


def get(port: int, path: str, timeout: float = 20) -> tuple[int, bytes]:
    # One host name for both processes, so that absolute links are alike.
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", headers={"Host": "127.0.0.1"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


NONCE = re.compile(rb'nonce="[^"]*"|"created": "[^"]*"')


def routes(port: int) -> list[str]:
    """The crawl: every list, page, file and the details of every public record."""
    paths = [
        "/en/",
        "/be/",
        "/ru/",
        "/en/prisoners/",
        "/be/prisoners/",
        "/en/facilities/",
        "/en/letters/",
        "/en/sources/",
        "/en/feed/",
        "/sitemap.xml",
        "/api/v1/stats/",
        "/api/v1/stats/in-custody/?from=2020-01-01&to=2021-12-31",
    ]
    _, body = get(port, "/api/v1/")
    for url in json.loads(body).values():
        path = url.split("127.0.0.1", 1)[-1].split(":", 1)[-1]
        path = path[path.index("/") :]
        paths.append(path)
        _, listing = get(port, path)
        for row in json.loads(listing).get("results", []):
            if "id" in row:
                paths.append(f"{path}{row['id']}/")
    for slug in (
        "prisoners",
        "detentions",
        "decisions",
        "releases",
        "facilities",
        "figures",
        "sources",
        "citations",
    ):
        paths.append(f"/exports/{slug}.csv")
    _, people = get(port, "/api/v1/prisoners/")
    for row in json.loads(people)["results"]:
        paths.append(f"/en/prisoners/{row['id']}/")
    return list(dict.fromkeys(paths))


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="replica-check-"))
    os.chmod(work, 0o755)  # noqa: S103  (the postgres user walks into it)
    primary = Cluster("primary", work, logical=True)
    replica = Cluster("replica", work, logical=False)
    servers: list[subprocess.Popen] = []
    try:
        for cluster in (primary, replica):
            cluster.init()
            cluster.psql("SELECT 1", check=False)
            subprocess.run(
                [
                    *AS_OWNER,
                    f"{BIN}/createdb",
                    "-h",
                    str(cluster.dir),
                    "-p",
                    str(cluster.port),
                    "-U",
                    "postgres",
                    "tracker",
                ],
                check=True,
                env={**os.environ, "PGPASSWORD": "owner-pass"},
            )
        say(f"primary on 127.0.0.1:{primary.port}, replica on 127.0.0.1:{replica.port}")
        # The static files with their manifest, as deployed (whitenoise serves them).
        manage(
            primary.url(),
            "collectstatic",
            "--no-input",
            DJANGO_DEBUG="",
            DJANGO_SECRET_KEY="collectstatic-only-" + "x" * 40,
        )
        manage(primary.url(), "migrate", "--no-input")
        manage(primary.url(), "loaddata", "seed")
        manage(primary.url(), "public_role", ROLE, PUBLIC_ROLE_PASSWORD=PASSWORD)
        primary.psql("CREATE PUBLICATION edition FOR TABLES IN SCHEMA edition")
        # The replica: the edition's tables only, the same role, a subscription.
        replica.psql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        replica.psql(f"CREATE ROLE {ROLE} LOGIN PASSWORD '{PASSWORD}'")
        dump = subprocess.run(
            [
                f"{BIN}/pg_dump",
                "-h",
                "127.0.0.1",
                "-p",
                str(primary.port),
                "-U",
                "postgres",
                "--schema-only",
                "--schema=edition",
                "--no-owner",
                "--no-publications",
                "tracker",
            ],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PGPASSWORD": "owner-pass"},
        ).stdout
        env = {**os.environ, "PGPASSWORD": "owner-pass"}
        applied = subprocess.run(
            [
                f"{BIN}/psql",
                "-h",
                "127.0.0.1",
                "-p",
                str(replica.port),
                "-U",
                "postgres",
                "-d",
                "tracker",
                "-v",
                "ON_ERROR_STOP=1",
                "-q",
            ],
            input=dump,
            text=True,
            check=False,
            env=env,
            capture_output=True,
        )
        if applied.returncode:
            raise SystemExit(f"the edition's schema did not apply on the replica: {applied.stderr}")
        replica.psql(
            f"GRANT USAGE ON SCHEMA edition TO {ROLE}; "
            f"GRANT SELECT ON ALL TABLES IN SCHEMA edition TO {ROLE}; "
            f"ALTER ROLE {ROLE} SET search_path = public, edition"
        )
        replica.psql(
            f"CREATE SUBSCRIPTION edition CONNECTION 'host=127.0.0.1 port={primary.port} "
            "dbname=tracker user=postgres password=owner-pass' PUBLICATION edition"
        )
        for _ in range(100):
            state = replica.psql(
                "SELECT count(*) FROM pg_subscription_rel WHERE srsubstate <> 'r'"
            ).stdout.strip()
            if state == "0":
                break
            time.sleep(0.2)
        check(state == "0", "the replica's initial copy of the edition is complete")

        public_port, replica_port = free_port(), free_port()
        servers.append(serve(primary.url(ROLE, PASSWORD), public_port))
        servers.append(serve(replica.url(ROLE, PASSWORD), replica_port))

        paths = routes(public_port)
        differing = []
        for path in paths:
            a, b = get(public_port, path), get(replica_port, path)
            if a[0] != b[0] or NONCE.sub(b"", a[1]) != NONCE.sub(b"", b[1]) or a[0] != 200:
                differing.append(f"{path}: {a[0]} / {b[0]}")
                if len(differing) == 1:  # kept for a look: the first pair that differs
                    (LOGS / "replica-check-primary.body").write_bytes(a[1])
                    (LOGS / "replica-check-replica.body").write_bytes(b[1])
        say(f"compared {len(paths)} public routes on the primary and the replica")
        for path in paths:
            print(f"  {path}")
        check(
            not differing,
            "every public route answers the same on the replica: "
            + ("; ".join(differing[:5]) or "all 200 and equal"),
        )

        others = replica.psql(
            "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN "
            "('pg_catalog', 'information_schema', 'edition')"
        ).stdout.strip()
        check(others == "0", f"the replica holds no table but the edition's ({others} others)")

        for sql, what in (
            ("SELECT 1 FROM prisoners_person LIMIT 1", "SELECT on an editorial table"),
            (
                "INSERT INTO edition_step (at, action, record_type) VALUES (now(), 'x', '')",
                "INSERT into the edition",
            ),
            ("SELECT username FROM auth_user LIMIT 1", "reading the users"),
        ):
            done = primary.psql(sql, user=ROLE, password=PASSWORD, check=False)
            # Refused by its rights, or first by the role's read-only transactions.
            refused = "permission denied" in done.stderr or "read-only transaction" in done.stderr
            if done.returncode == 0 or not refused:
                say(f"  {what}: {done.stderr.strip() or 'accepted'}")
            check(
                done.returncode != 0 and refused,
                f"the public role is refused {what}",
            )

        marker = f"replica-marker-{int(time.time())}"
        _, people = get(replica_port, "/api/v1/prisoners/")
        person_id = json.loads(people)["results"][0]["id"]
        manage(
            primary.url(),
            "shell",
            "-c",
            "from prisoners.models import Person; "
            f"p = Person.objects.get(pk={person_id}); p.biography = {marker!r}; "
            "p.state = 'published'; p.save()",
        )
        published = time.monotonic()
        delay = None
        while time.monotonic() - published < 30:
            status, body = get(replica_port, f"/api/v1/prisoners/{person_id}/")
            if marker.encode() in body:
                delay = time.monotonic() - published
                break
            time.sleep(0.05)
        say(f"replication delay: {delay:.2f} s" if delay is not None else "never replicated")
        check(delay is not None and delay < 2, "a publication reaches the replica in under 2 s")

        replica.stop()
        started = time.monotonic()
        status, body = get(replica_port, "/api/v1/prisoners/", timeout=30)
        took = time.monotonic() - started
        check(
            status == 503,
            f"with the replica down its public process answers {status} "
            f"in {took:.1f} s (503 expected)",
        )
        replica.start()
        recovered = None
        for _ in range(100):
            status, _ = get(replica_port, "/api/v1/prisoners/")
            if status == 200:
                recovered = True
                break
            time.sleep(0.2)
        check(bool(recovered), "the replica's public process recovers by itself")

        status, _ = get(replica_port, "/admin/")
        check(status == 404, f"a public process does not serve the admin ({status})")
    finally:
        for server in servers:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        replica.stop()
        primary.stop()
        shutil.rmtree(work, ignore_errors=True)
    if FAILURES:
        say(f"{len(FAILURES)} check(s) failed")
        return 1
    say("every check passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
