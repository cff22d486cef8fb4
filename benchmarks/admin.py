"""
The editors' side of ``make bench``: the admin over HTTP, signed in as an Editor and as a
Reviewer the way they sign in (password; the Reviewer also a code from an authenticator
app, as deployed), on the server ``benchmarks/run.py`` started:

1. every page of ``pages()`` for both, round after round (interleaved): the dashboard,
   each change list with its search and filters, change forms with their inlines, the
   review queue, a history page, an autocomplete, the CSV download's first byte; p50, p95
   and the query count (``X-Bench-Queries``);
2. the "publish" action on 1,000 selected people (unpublished first, so each is a full
   publication: its version and the edition written) as the Reviewer, and "send to
   review" on 1,000 others (put back to draft first) as the Editor: one POST each, which
   the admin works through in batches (``tracker.lib.batches``);
3. ``manage.py import_viasna`` of generated records in Viasna's format (10,000 by default;
   the names drawn as ``scripts/load_data.py`` draws them, so many have namesakes).

It runs in the benchmark's child process (Django set up on the database measured) and
changes that database: two users, 2,000 people's states, the imported records.
"""

from __future__ import annotations

import copy
import json
import os
import random
import statistics
import subprocess
import sys
import time
from http import client as http
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
ADMIN_P50 = 300  # ms, every admin page at 100,000 people (issue 23)
ROLES = ("Editor", "Reviewer")
BULK = 1000
PASSWORD = "bench-only-password-not-a-secret"  # noqa: S105


class Session:
    """An admin session over HTTP: its cookies, the CSRF token, one request at a time."""

    def __init__(self, port: int, host: str):
        self.port, self.host = port, host
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, fields=None, *, timeout: float = 60.0):
        """(status, headers, body, seconds to the first byte, seconds in all, queries)."""
        headers = {"Accept-Encoding": "identity", "Host": f"{self.host}:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if fields is not None:
            body = urlencode(
                {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **fields}, doseq=True
            )
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
            headers["Referer"] = f"http://{self.host}:{self.port}{path}"
        started = time.perf_counter()
        connection = http.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            first = response.read(1)
            first_byte = time.perf_counter() - started
            rest = response.read()
            for cookie in response.msg.get_all("Set-Cookie") or []:
                name, _, value = cookie.split(";", 1)[0].partition("=")
                self.cookies[name.strip()] = value.strip().strip('"')
            queries = response.getheader("X-Bench-Queries")
            return (
                response.status,
                response,
                first + rest,
                first_byte,
                time.perf_counter() - started,
                int(queries) if queries else None,
            )
        finally:
            connection.close()

    def first_byte(self, path: str, *, timeout: float):
        """A download's status and seconds to its first byte; the rest is not read."""
        headers = {"Accept-Encoding": "identity", "Host": f"{self.host}:{self.port}"}
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        started = time.perf_counter()
        connection = http.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read(1)
            return response.status, time.perf_counter() - started
        finally:
            connection.close()

    def log_in(self, username: str, device=None) -> None:
        self.request("GET", "/admin/login/")
        status, *_ = self.request(
            "POST",
            "/admin/login/?next=/admin/",
            {"username": username, "password": PASSWORD, "next": "/admin/"},
        )
        if status != 302:
            raise RuntimeError(f"{username}: the login answered {status}")
        if device is not None:
            from django_otp.oath import totp

            code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
            self.request("GET", "/admin/two-factor/?next=/admin/")
            status, *_ = self.request(
                "POST", "/admin/two-factor/?next=/admin/", {"token": f"{code:06d}"}
            )
            if status != 302:
                raise RuntimeError(f"{username}: the second factor answered {status}")
        status, *_ = self.request("GET", "/admin/")
        if status != 200:
            raise RuntimeError(f"{username}: /admin/ answered {status} after signing in")


def sessions(port: int, host: str) -> dict[str, Session]:
    """The bench's Editor and Reviewer (made or reset here), signed in."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django_otp.plugins.otp_totp.models import TOTPDevice

    found = {}
    for role in ROLES:
        user, _ = get_user_model().objects.get_or_create(
            username=f"bench-{role.lower()}", defaults={"is_staff": True}
        )
        user.set_password(PASSWORD)
        user.is_staff = True
        user.save()
        user.groups.set([Group.objects.get(name=role)])
        device = None
        if role == "Reviewer":  # as deployed: whoever may publish gives a second factor
            TOTPDevice.objects.filter(user=user).delete()
            device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
        session = Session(port, host)
        session.log_in(user.username, device)
        found[role] = session
    return found


def pages() -> list[tuple[str, str]]:
    """(label, path) of the admin pages measured, with records of this database."""
    from django.contrib.contenttypes.models import ContentType

    from prisoners.models import (
        CriminalArticle,
        Detention,
        DuplicatePair,
        Person,
        Recognition,
        Release,
    )
    from sources.models import Citation, Source

    count = Person.objects.count()
    person = Person.objects.order_by("pk").values_list("pk", flat=True)[count // 3]
    detention = Detention.objects.filter(person_id=person).order_by("pk").first().pk
    source = Source.objects.order_by("pk").values_list("pk", flat=True).first()
    citation = Citation.objects.filter(
        content_type=ContentType.objects.get_for_model(Person), object_id=person
    ).first()
    article = CriminalArticle.objects.filter(number="342").values_list("pk", flat=True).first()
    pair = DuplicatePair.objects.order_by("pk").values_list("pk", flat=True).first()
    found = [
        ("dashboard", "/admin/"),
        ("people", "/admin/prisoners/person/"),
        ("people ?q=Kavaliou", "/admin/prisoners/person/?q=Kavaliou"),
        ("people ?q=Калеснікава", "/admin/prisoners/person/?" + urlencode({"q": "Калеснікава"})),
        (
            "people status+article",
            f"/admin/prisoners/person/?current_status__exact=in_custody&article={article}",
        ),
        (
            "people detained between",
            "/admin/prisoners/person/?detained_from=2022&detained_to=06.2022",
        ),
        ("people region+gender", "/admin/prisoners/person/?region=Minsk&gender__exact=female"),
        ("people review queue", "/admin/prisoners/person/?review=waiting"),
        ("people possible duplicates", "/admin/prisoners/person/?duplicates=probable"),
        ("person change form", f"/admin/prisoners/person/{person}/change/"),
        ("person history", f"/admin/prisoners/person/{person}/history/"),
        ("detentions", "/admin/prisoners/detention/"),
        ("detentions ?q=Kavaliou", "/admin/prisoners/detention/?q=Kavaliou"),
        ("detentions review queue", "/admin/prisoners/detention/?review=waiting"),
        ("detention change form", f"/admin/prisoners/detention/{detention}/change/"),
        ("decisions ?q=Kavaliou", "/admin/prisoners/courtdecision/?q=Kavaliou"),
        ("releases", "/admin/prisoners/release/"),
        ("recognitions", f"/admin/prisoners/{Recognition._meta.model_name}/"),
        ("facilities", "/admin/prisoners/facility/"),
        ("events", "/admin/prisoners/event/"),
        ("figures", "/admin/prisoners/reportedfigure/"),
        ("sources ?q=viasna", "/admin/sources/source/?q=viasna"),
        ("source change form", f"/admin/sources/source/{source}/change/"),
        ("citations", "/admin/sources/citation/"),
        ("citations ?q=viasna", "/admin/sources/citation/?q=viasna"),
        ("citation change form", f"/admin/sources/citation/{citation.pk}/change/"),
        ("possible duplicates", "/admin/prisoners/duplicatepair/?status__exact=open"),
        (
            "autocomplete: a detention's person",
            "/admin/autocomplete/?"
            + urlencode(
                {
                    "term": "Kaval",
                    "app_label": "prisoners",
                    "model_name": "detention",
                    "field_name": "person",
                }
            ),
        ),
        (
            "autocomplete: a release's detention",
            "/admin/autocomplete/?"
            + urlencode(
                {
                    "term": "Kavaliou",
                    "app_label": "prisoners",
                    "model_name": Release._meta.model_name,
                    "field_name": "detention",
                }
            ),
        ),
    ]
    if pair is not None:
        path = f"/admin/prisoners/duplicatepair/{pair}/change/"
        found.append(("possible duplicate change form", path))
    return found


def measure_pages(clients: dict, items, *, rounds: int, warmup: int, timeout: float) -> list:
    samples = {(label, role): [] for label, _ in items for role in clients}
    queries, failures = {}, {key: [] for key in samples}
    for round_number in range(warmup + rounds):
        for label, path in items:
            for role, session in clients.items():
                try:
                    status, _, _, _, seconds, count = session.request("GET", path, timeout=timeout)
                except (OSError, http.HTTPException) as error:
                    failures[(label, role)].append(type(error).__name__)
                    continue
                if status != 200:
                    failures[(label, role)].append(str(status))
                elif round_number >= warmup:
                    samples[(label, role)].append(seconds * 1000)
                    queries[(label, role)] = count
    rows = []
    for label, path in items:
        for role in clients:
            values = sorted(samples[(label, role)])
            rows.append(
                {
                    "label": label,
                    "path": path,
                    "role": role,
                    "p50": statistics.median(values) if values else None,
                    "p95": values[min(len(values) - 1, round(0.95 * len(values) + 0.5) - 1)]
                    if values
                    else None,
                    "queries": queries.get((label, role)),
                    "failures": failures[(label, role)],
                }
            )
    return rows


DOWNLOAD = "/admin/prisoners/person/download.csv"


def first_bytes(clients: dict, *, rounds: int, timeout: float) -> list:
    """
    The people list's CSV download, time to its first byte, apart from the pages: the rest
    is not read, and the worker that was streaming it takes a moment to notice, so each
    try waits a little before the next request.
    """
    rows = []
    for role, session in clients.items():
        values, failures = [], []
        for _ in range(rounds):
            try:
                status, seconds = session.first_byte(DOWNLOAD, timeout=timeout)
            except (OSError, http.HTTPException) as error:
                failures.append(type(error).__name__)
                continue
            if status == 200:
                values.append(seconds * 1000)
            else:
                failures.append(str(status))
            time.sleep(3)
        values.sort()
        rows.append(
            {
                "label": "CSV download, first byte",
                "path": DOWNLOAD,
                "role": role,
                "p50": statistics.median(values) if values else None,
                "p95": values[-1] if values else None,
                "queries": None,
                "failures": failures,
            }
        )
    return rows


def _act(session: Session, action: str, state: str, timeout: float) -> dict:
    """
    One POST of an admin action on every person in ``state``, as an editor does it: the
    list filtered to them, "select all", the action (a POST of 1,000 ids would pass
    Django's limit of fields); then the page that shows its messages.
    """
    from prisoners.models import Person

    count = Person.objects.filter(state=state).count()
    shown = Person.objects.filter(state=state).values_list("pk", flat=True).first()
    path = f"/admin/prisoners/person/?state__exact={state}"
    fields = {"action": action, "index": "0", "select_across": "1", "_selected_action": shown}
    status, _, _, _, seconds, queries = session.request("POST", path, fields, timeout=timeout)
    _, _, page, *_ = session.request("GET", path, timeout=timeout)
    return {
        "action": action,
        "records": count,
        "status": status,
        "seconds": seconds,
        "queries": queries,
        "batches": page.decode("utf-8", "replace").count('<li class="success">'),
    }


def bulk(clients: dict, *, timeout: float) -> list[dict]:
    """Publish 1,000 people in review, and send 1,000 drafts to review (see the module)."""
    from prisoners import publishing
    from prisoners.models import Person, PersonName

    published = Person.objects.filter(state="published").order_by("-pk")
    last = list(published.values_list("pk", flat=True)[: 2 * BULK])
    to_publish, to_send = sorted(last[:BULK]), sorted(last[BULK:])
    # The people to publish are taken down first (through the publishing services, so
    # the edition agrees): the action then publishes them anew, a full publication each.
    for person in Person.objects.filter(pk__in=to_publish):
        publishing.unpublish(record=person)
    # Back to draft is the editors' side alone: the public keeps the published versions.
    for ids, state in ((to_publish, "in_review"), (to_send, "draft")):
        Person.objects.filter(pk__in=ids).update(state=state)
        PersonName.objects.filter(person_id__in=ids).update(state=state)
    return [
        _act(clients["Reviewer"], "publish", "in_review", timeout),
        _act(clients["Editor"], "send_to_review", "draft", timeout),
    ]


def viasna_records(count: int, sample_path: Path) -> list[dict]:
    """``count`` records in Viasna's format: the sample's records, with new ids and names."""
    sys.path.insert(0, str(ROOT / "scripts"))
    import load_data  # scripts/; it needs Django set up

    sample = json.loads(sample_path.read_text(encoding="utf-8"))
    rng = random.Random(23)
    maker = load_data.NameMaker(rng)
    records = []
    first = 10_000_000 + int(time.time())  # new records on every run
    for n in range(count):
        record = copy.deepcopy(sample[n % len(sample)])
        gender = record.get("gender") or "male"
        record["id"] = first + n
        record["url"] = f"https://prisoners.spring96.org/en/person/bench-{first + n}"
        record["name"] = maker.person("female" if gender == "female" else "male")[0][0]
        year = rng.randint(1950, 2004)
        record["birthday"] = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        records.append(record)
    return records


def import_viasna(count: int, work: Path, *, timeout: float) -> dict:
    """``manage.py import_viasna`` of ``count`` generated records, as a command is run."""
    shared = Path(os.environ.get("TRACKER_SHARED_DIR", ROOT.parent / "shared"))
    sample = shared / "data" / "viasna-sample.json"
    if count <= 0 or not sample.exists():
        return {"records": count, "skipped": f"no sample at {sample}" if count > 0 else "off"}
    path = work / f"viasna-{count}.json"
    path.write_text(json.dumps(viasna_records(count, sample)), encoding="utf-8")
    started = time.perf_counter()
    done = subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "manage.py"), "import_viasna", str(path), "--publish"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    seconds = time.perf_counter() - started
    progress = [line for line in done.stderr.splitlines() if " records (" in line]
    return {
        "records": count,
        "seconds": seconds,
        "status": done.returncode,
        "summary": done.stdout.strip().splitlines()[-1] if done.stdout.strip() else "",
        "progress_lines": len(progress),
        "error": done.stderr.strip().splitlines()[-1] if done.returncode else "",
    }


def measure(port: int, host: str, work: Path, args) -> dict:
    """Everything above, on the server at ``port``; returns the figures for the report."""
    clients = sessions(port, host)
    items = pages()
    print(
        f"  admin: {len(items)} pages x {len(clients)} roles x {args.admin_rounds} rounds",
        flush=True,
    )
    rows = measure_pages(clients, items, rounds=args.admin_rounds, warmup=1, timeout=args.timeout)
    rows += first_bytes(clients, rounds=args.admin_rounds, timeout=args.timeout)
    print("  admin: bulk actions…", flush=True)
    actions = bulk(clients, timeout=args.bulk_timeout)
    print(f"  admin: import of {args.import_rows:,} records…", flush=True)
    imported = import_viasna(args.import_rows, work, timeout=args.import_timeout)
    return {"rows": rows, "bulk": actions, "import": imported}


# --- reporting -------------------------------------------------------------------------


def _ms(value) -> str:
    return "—" if value is None else f"{value:,.0f}"


def table(result: dict) -> list[str]:
    admin = result.get("admin")
    if not admin:
        return []
    lines = [
        "",
        f"| admin page (p50 ≤ {ADMIN_P50} ms) | Editor p50 / p95 ms | queries "
        "| Reviewer p50 / p95 ms | queries | met |",
        "|---|---:|---:|---:|---:|---|",
    ]
    by_label: dict[str, dict] = {}
    for row in admin["rows"]:
        by_label.setdefault(row["label"], {})[row["role"]] = row
    for label, roles in by_label.items():
        cells, met = [], True
        for role in ROLES:
            row = roles.get(role)
            if row is None:
                cells += ["—", "—"]
                continue
            failed = f" ({len(row['failures'])} failed)" if row["failures"] else ""
            cells += [
                f"{_ms(row['p50'])} / {_ms(row['p95'])}{failed}",
                "—" if row["queries"] is None else str(row["queries"]),
            ]
            met = met and not row["failures"] and row["p50"] is not None
            met = met and row["p50"] <= ADMIN_P50
        lines.append(f"| {label} | {' | '.join(cells)} | {'yes' if met else '**no**'} |")
    lines += [
        "",
        "| bulk work | records | s | batches | status |",
        "|---|---:|---:|---:|---|",
    ]
    for action in admin["bulk"]:
        lines.append(
            f"| admin action `{action['action']}` | {action['records']:,} | "
            f"{action['seconds']:.1f} | {action['batches']} | {action['status']} |"
        )
    imported = admin["import"]
    if "skipped" in imported:
        lines.append(
            f"| `import_viasna` | {imported['records']:,} | — | — | skipped: "
            f"{imported['skipped']} |"
        )
    else:
        rate = imported["records"] / imported["seconds"] if imported["seconds"] else 0
        outcome = imported["summary"] if imported["status"] == 0 else imported["error"]
        lines.append(
            f"| `import_viasna --publish` ({rate:.0f} records/s) | {imported['records']:,} | "
            f"{imported['seconds']:.0f} | {imported['progress_lines']} progress lines | "
            f"{outcome} |"
        )
    return lines
