#!/usr/bin/env python
"""
``make bench``: the public API and exports at 10,000 and 100,000 people, over HTTP.

    make bench                          # BENCH_SIZES="10000 100000"
    make bench BENCH_SIZES=2000         # a smoke run
    scripts/with-postgres .venv/bin/python -m benchmarks.run --sizes 10000 100000
    .venv/bin/python -m benchmarks.run --databases "$DATABASE_URL" --admin-only

On a throwaway PostgreSQL (``scripts/with-postgres``; the script re-runs itself under it),
for each size: a fresh database filled by ``scripts/load_data.py`` (the seed plus that many
generated people), served by gunicorn as deployed (``gunicorn.conf.py``, 2 sync workers,
debug off, rate limits off through the environment), with ``benchmarks.settings``, which
adds reference views on the same server. Then, from one client on loopback:

1. every request of ``requests()`` in turn, round after round (interleaved, so that the
   machine's noise hits all alike), after warm-up rounds: p50, p95 and the query count
   (``X-Bench-Queries``) of each;
2. throughput at 8 connections on the list and on the bare ``JsonResponse``;
3. ``/exports/prisoners.csv`` of everyone and ``/exports/datapackage.zip``: time, bytes and
   the peak RSS of the gunicorn workers (read from /proc while streaming), against
   PostgreSQL ``COPY`` of the same columns (``benchmarks/copy.py``);
4. the editors' admin (``benchmarks/admin.py``): its pages signed in as an Editor and as a
   Reviewer, with query counts; the publish of 1,000 people and the sending of 1,000 to
   review; an import of 10,000 records (``BENCH_ADMIN_ROUNDS``, ``BENCH_IMPORT_ROWS``).

Every request has a time limit, so a hang is a failure in the table, not a stuck run.
Prints a Markdown table per size and one of the growth between sizes, with the machine and
the date, and writes them to ``benchmarks/results-<date>.md``.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import platform
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import loadgen  # noqa: E402

from benchmarks import admin as admin_bench  # noqa: E402

PYTHON = str(ROOT / ".venv" / "bin" / "python")
HOST = loadgen.HOST
RESOURCES = [
    "prisoners",
    "detentions",
    "decisions",
    "releases",
    "facilities",
    "articles",
    "sources",
    "events",
    "figures",
]
# Spellings of names that scripts/names.json makes common or rare, in the three scripts:
# passport Latin, Belarusian and Russian Cyrillic, Łacinka, Latin from the Russian.
SEARCHES = [
    "Kavaliou",
    "Kalesnikava",
    "Калеснікава",
    "Колесникова",
    "Tikhanovsky",
    "Cichanoŭskaja",
    "Ihar Losik",
    "Бабарыка",
]
# Targets of issues 12 and 19 at 100,000 people (ms, or a ratio): every API request, site
# page and statistic no slower than the plain DRF view on the same server.
API_P50, API_P95, STATS_P50 = 30, 60, 100
DRF_RATIO, PUBLISH_MS, REBUILD_S = 1.0, 200, 300
THROUGHPUT_SHARE, CSV_RATIO, CSV_RSS_MB, PACKAGE_RATIO = 0.25, 1.5, 150, 2.0


# --- the client ----------------------------------------------------------------------------


class Fetched:
    def __init__(self):
        self.status = 0
        self.size = 0
        self.seconds = 0.0
        self.queries = None
        self.error = ""
        self.tail = b""

    @property
    def ok(self) -> bool:
        return self.status == 200 and not self.error


def fetch(port: int, path: str, *, timeout: float) -> Fetched:
    """One GET read to the end, within ``timeout`` seconds in all (a hang is an error)."""
    result = Fetched()
    started = time.perf_counter()
    deadline = started + timeout
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Accept-Encoding": "identity"})
        response = connection.getresponse()
        result.status = response.status
        queries = response.getheader("X-Bench-Queries")
        result.queries = int(queries) if queries else None
        while chunk := response.read(1 << 16):
            result.size += len(chunk)
            result.tail = (result.tail + chunk)[-200:]
            if time.perf_counter() > deadline:
                result.error = "timeout"
                break
        if b"# ERROR" in result.tail:
            result.error = "incomplete"
    except TimeoutError:
        result.error = "timeout"
    except (http.client.HTTPException, OSError) as error:
        result.error = type(error).__name__
    finally:
        connection.close()
        result.seconds = time.perf_counter() - started
    return result


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


# --- the gunicorn workers' memory ------------------------------------------------------------


def worker_pids(master: int) -> list[int]:
    try:
        text = Path(f"/proc/{master}/task/{master}/children").read_text()
    except OSError:
        return []
    return [int(pid) for pid in text.split()]


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class PeakRss(threading.Thread):
    """Samples the workers' RSS every 50 ms; ``peak`` is the largest of any worker."""

    def __init__(self, master: int):
        super().__init__(daemon=True)
        self.master = master
        self.before = max((rss_mb(p) for p in worker_pids(master)), default=0.0)
        self.peak = self.before
        self.done = threading.Event()

    def run(self):
        while not self.done.wait(0.05):
            for pid in worker_pids(self.master):
                self.peak = max(self.peak, rss_mb(pid))

    def stop(self) -> float:
        self.done.set()
        self.join()
        return self.peak


# --- one size ----------------------------------------------------------------------------------


def requests(count: int, person_id: int) -> list[tuple[str, str, str]]:
    """(label, path, kind); kind: api, stats, ref (a reference view)."""
    half = count // 2
    items = [(f"/{r}/", f"/api/v1/{r}/?limit=50", "api") for r in RESOURCES]
    items += [
        (f"/prisoners/ offset={half:,}", f"/api/v1/prisoners/?limit=50&offset={half}", "api"),
        (
            "/prisoners/ status=in_custody&article=342",
            "/api/v1/prisoners/?status=in_custody&article=342&limit=50",
            "api",
        ),
        (
            "/prisoners/ detained 2022-01-01…06-30",
            "/api/v1/prisoners/?detained_after=2022-01-01&detained_before=2022-06-30&limit=50",
            "api",
        ),
    ]
    items += [
        (f"/prisoners/ q={q}", f"/api/v1/prisoners/?{urlencode({'q': q})}", "api") for q in SEARCHES
    ]
    items += [
        ("/prisoners/<id>/", f"/api/v1/prisoners/{person_id}/", "api"),
        ("/stats/", "/api/v1/stats/", "stats"),
        (
            "/stats/in-custody/ 2020–2024",
            "/api/v1/stats/in-custody/?from=2020-01-01&to=2024-12-31",
            "stats",
        ),
        # The website's pages (issue 19): each read from the edition alone.
        ("site: /en/", "/en/", "site"),
        ("site: /en/prisoners/ status=in_custody", "/en/prisoners/?status=in_custody", "site"),
        (
            "site: /be/prisoners/ q=Калеснікава",
            f"/be/prisoners/?{urlencode({'q': 'Калеснікава'})}",
            "site",
        ),
        ("site: /en/prisoners/<id>/", f"/en/prisoners/{person_id}/", "site"),
        ("site: /en/letters/", "/en/letters/", "site"),
        ("site: /en/facilities/", "/en/facilities/", "site"),
        ("site: /en/sources/", "/en/sources/", "site"),
        ("ref: bare JsonResponse, 50 records", "/bench/bare/", "ref"),
        ("ref: one raw SQL query, 50 people", "/bench/raw/", "ref"),
        ("ref: plain DRF viewset on Person", "/bench/drf/people/?limit=50", "ref"),
    ]
    return items


def latencies(port: int, items, *, rounds: int, warmup: int, timeout: float) -> list[dict]:
    samples: dict[str, list[float]] = {label: [] for label, _, _ in items}
    queries: dict[str, int | None] = {}
    failures: dict[str, list[str]] = {label: [] for label, _, _ in items}
    for round_number in range(warmup + rounds):
        for label, path, _ in items:
            result = fetch(port, path, timeout=timeout)
            if not result.ok:
                failures[label].append(result.error or str(result.status))
            elif round_number >= warmup:
                samples[label].append(result.seconds * 1000)
                queries[label] = result.queries
    rows = []
    for label, path, kind in items:
        values = samples[label]
        rows.append(
            {
                "label": label,
                "path": path,
                "kind": kind,
                "p50": statistics.median(values) if values else None,
                "p95": percentile(values, 95) if values else None,
                "n": len(values),
                "queries": queries.get(label),
                "failures": failures[label],
            }
        )
    return rows


def throughput(port: int, path: str, *, seconds: float, connections: int = 8) -> dict:
    done = []
    errors = []
    deadline = time.perf_counter() + seconds

    def client():
        while time.perf_counter() < deadline:
            result = fetch(port, path, timeout=30)
            (done if result.ok else errors).append(result.seconds)

    threads = [threading.Thread(target=client, daemon=True) for _ in range(connections)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 60)
    elapsed = time.perf_counter() - started
    return {"path": path, "rps": len(done) / elapsed, "errors": len(errors)}


def download(port: int, master: int, path: str, *, timeout: float) -> dict:
    monitor = PeakRss(master)
    monitor.start()
    result = fetch(port, path, timeout=timeout)
    peak = monitor.stop()
    return {
        "path": path,
        "seconds": result.seconds,
        "bytes": result.size,
        "status": result.status,
        "error": result.error,
        "rss_before_mb": monitor.before,
        "rss_peak_mb": peak,
    }


def measure(args) -> dict:
    """Serve this database and measure it (runs with Django set up on it)."""
    import django

    django.setup()
    env = loadgen.production_env()
    env.update(
        DJANGO_SETTINGS_MODULE="benchmarks.settings",
        WEB_CONCURRENCY="2",
        DJANGO_LOG_LEVEL="WARNING",
    )
    log = Path(args.log)
    # The static files with their manifest, as deployed (whitenoise serves them): without
    # it every page that names one, the site's and the admin's, answers 500.
    subprocess.run(  # noqa: S603
        [PYTHON, str(ROOT / "manage.py"), "collectstatic", "--no-input", "--verbosity", "0"],
        env=env,
        cwd=ROOT,
        check=True,
    )
    server = loadgen.Server(env, log, workers=2)
    try:
        server.wait_ready(120)
        port = server.port
        first = fetch(port, "/api/v1/prisoners/?limit=1", timeout=120)
        if not first.ok:
            raise RuntimeError(f"/api/v1/prisoners/ answered {first.status} {first.error}")
        _, _, body = loadgen.get(port, "/api/v1/prisoners/?limit=1", timeout=120)
        count = json.loads(body)["count"]
        _, _, body = loadgen.get(port, f"/api/v1/prisoners/?limit=1&offset={count // 3}", 120)
        person_id = json.loads(body)["results"][0]["id"]
        items = requests(count, person_id)
        rows, rates, exports, admin = [], None, None, None
        if args.admin_only:
            items = []
        print(
            f"  {count:,} public people; {len(items)} requests x {args.rounds} rounds", flush=True
        )
        if items:
            rows, rates, exports = public_side(port, server, items, args)
        if args.admin_rounds > 0:
            admin = admin_bench.measure(port, HOST, Path(args.log).parent, args)
    finally:
        server.stop()
    edition = None
    if not args.admin_only:
        print("  the edition: publication and rebuild…", flush=True)
        edition = edition_figures()
    return {
        "people": count,
        "rows": rows,
        "throughput": rates,
        "exports": exports,
        "edition": edition,
        "admin": admin,
    }


def edition_figures(rounds: int = 3) -> dict:
    """A Reviewer's publication of one person with 20 parts (in the same transaction as
    the edition's update), and a full rebuild of the edition, timed in this process."""
    from django.apps import apps
    from django.db import transaction

    from prisoners import publishing
    from prisoners.choices import NameKind, Script
    from prisoners.models import Detention, Person, PersonName
    from sources.models import Citation, Source

    source = Source.objects.filter(state="published").first()
    times = []
    for round_ in range(rounds):
        with transaction.atomic():
            person = Person.objects.create(name=f"Bench Person {round_}", state="in_review")
            parts = [
                PersonName(
                    person=person,
                    name=f"Bench Variant {round_} {i}",
                    language="en",
                    script=Script.LATIN,
                    kind=NameKind.ALIAS,
                    state="in_review",
                )
                for i in range(10)
            ]
            for part in parts:
                part.save()
            for i in range(10):
                Citation.objects.create(
                    source=source, record=person, field="", quote=f"q{i}", state="in_review"
                )
            Detention.objects.create(person=person, started_on="2021-05", state="published")
        started = time.perf_counter()
        with transaction.atomic():
            publishing.publish(record=person)
        times.append((time.perf_counter() - started) * 1000)
    # An Editor withholds a published person's name (protective: at once, whoever asks).
    named = Person.objects.filter(state="published", name_withheld=False).order_by("pk")
    person = named[named.count() // 2]
    started = time.perf_counter()
    publishing.withhold(person=person, descriptor="a person of the benchmark")
    withhold_s = time.perf_counter() - started
    started = time.perf_counter()
    publishing.rebuild()
    rebuild_s = time.perf_counter() - started
    rows = sum(m.objects.count() for m in apps.get_app_config("edition").get_models())
    return {
        "parts": 20,
        "publish_ms": times,
        "withhold_s": withhold_s,
        "rebuild_s": rebuild_s,
        "rows": rows,
    }


def public_side(port: int, server, items, args) -> tuple:
    """The API's latencies, its throughput, and the exports against COPY."""
    from benchmarks import copy as copies  # needs Django

    rows = latencies(port, items, rounds=args.rounds, warmup=args.warmup, timeout=args.timeout)
    print("  throughput…", flush=True)
    rates = {
        "list": throughput(port, "/api/v1/prisoners/?limit=50", seconds=args.seconds),
        "bare": throughput(port, "/bench/bare/", seconds=args.seconds),
    }
    print("  exports…", flush=True)
    exports = {
        "csv": download(
            port, server.process.pid, "/exports/prisoners.csv", timeout=args.export_timeout
        ),
        "package": download(
            port, server.process.pid, "/exports/datapackage.zip", timeout=args.export_timeout
        ),
    }
    copy_csv = [copies.copy_prisoners() for _ in range(3)]
    copy_package = [copies.copy_package() for _ in range(2)]
    exports["csv"]["copy_seconds"] = statistics.median(s for s, _ in copy_csv)
    exports["csv"]["copy_bytes"] = copy_csv[0][1]
    exports["package"]["copy_seconds"] = statistics.median(s for s, _ in copy_package)
    exports["package"]["copy_bytes"] = copy_package[0][1]
    return rows, rates, exports


# --- reporting -----------------------------------------------------------------------------------


def machine(database_url: str) -> dict:
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            memory = int(line.split()[1]) / 1024 / 1024
    postgres = subprocess.run(  # noqa: S603
        [
            PYTHON,
            "-c",
            "import psycopg,sys; print(psycopg.connect(sys.argv[1]).info.server_version)",
            database_url,
        ],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    if postgres.isdigit():
        postgres = f"{int(postgres) // 10000}.{int(postgres) % 10000}"
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gb": round(memory, 1),
        "postgres": postgres,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
    }


def _ms(value) -> str:
    return "—" if value is None else f"{value:,.1f}" if value < 10 else f"{value:,.0f}"


def _ratio(value, reference) -> str:
    if value is None or not reference:
        return "—"
    return f"{value / reference:,.1f}×"


def _met(flag) -> str:
    return "—" if flag is None else ("yes" if flag else "**no**")


def size_table(result: dict) -> list[str]:
    if not result["rows"]:  # --admin-only
        return [f"### {result['people']:,} people", *admin_bench.table(result)]
    rows = {row["label"]: row for row in result["rows"]}
    drf = rows["ref: plain DRF viewset on Person"]["p50"]
    bare = rows["ref: bare JsonResponse, 50 records"]["p50"]
    generated = result.get("generate_seconds")
    lines = [
        f"### {result['people']:,} people"
        + (f" (generated in {generated:.0f} s)" if generated else ""),
        "",
        "| request | p50 ms | p95 ms | queries | × DRF | × bare | target | met |",
        "|---|---:|---:|---:|---:|---:|---|---|",
    ]
    for row in result["rows"]:
        if row["kind"] in ("api", "site", "stats"):
            target = f"≤ {DRF_RATIO}× DRF"
            met = None if row["p50"] is None else row["p50"] <= DRF_RATIO * drf
        else:
            target, met = "", None
        if row["failures"]:
            met = False
        label = f"`{row['label']}`" if not row["label"].startswith("ref:") else row["label"]
        failures = (
            f" ({len(row['failures'])} failed: {', '.join(sorted(set(row['failures'])))})"
            if row["failures"]
            else ""
        )
        lines.append(
            f"| {label}{failures} | {_ms(row['p50'])} | {_ms(row['p95'])} | "
            f"{'—' if row['queries'] is None else row['queries']} | {_ratio(row['p50'], drf)} | "
            f"{_ratio(row['p50'], bare)} | {target} | {_met(met)} |"
        )
    edition = result.get("edition")
    if edition:
        publish = statistics.median(edition["publish_ms"])
        rebuild = edition["rebuild_s"]
        lines += [
            "",
            "| the edition | measured | target | met |",
            "|---|---:|---|---|",
            f"| a Reviewer's publication of one person with {edition['parts']} parts "
            f"(median of {len(edition['publish_ms'])}) | {publish:.0f} ms "
            f"| ≤ {PUBLISH_MS} ms | {_met(publish <= PUBLISH_MS)} |",
            f"| full rebuild of the edition ({edition['rows']:,} rows) | {rebuild:.0f} s "
            f"| ≤ {REBUILD_S} s | {_met(rebuild <= REBUILD_S)} |",
        ]
        if "withhold_s" in edition:
            lines.append(
                f"| an Editor withholds a published person's name (every text redacted "
                f"again) | {edition['withhold_s']:.1f} s | at once | — |"
            )
    rates = result["throughput"]
    share = rates["list"]["rps"] / rates["bare"]["rps"] if rates["bare"]["rps"] else 0
    lines += [
        "",
        "| at 8 connections | requests/s | errors | share of bare | target | met |",
        "|---|---:|---:|---:|---|---|",
        f"| `/prisoners/?limit=50` | {rates['list']['rps']:.1f} | {rates['list']['errors']} | "
        f"{share:.0%} | ≥ {THROUGHPUT_SHARE:.0%} of bare | {_met(share >= THROUGHPUT_SHARE)} |",
        f"| bare `JsonResponse` | {rates['bare']['rps']:.1f} | {rates['bare']['errors']} | | | |",
        "",
        "| export | s | MB | worker RSS before → peak MB | COPY s | COPY MB | × COPY | target "
        "| met |",
        "|---|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for key, ratio_target in (("csv", CSV_RATIO), ("package", PACKAGE_RATIO)):
        e = result["exports"][key]
        ratio = e["seconds"] / e["copy_seconds"] if e["copy_seconds"] else 0
        complete = e["status"] == 200 and not e["error"]
        met = complete and ratio <= ratio_target
        target = f"≤ {ratio_target}× COPY"
        if key == "csv":
            met = met and e["rss_peak_mb"] < CSV_RSS_MB
            target += f", RSS < {CSV_RSS_MB} MB"
        outcome = "" if complete else f" (**{e['error'] or e['status']}**: cut off)"
        lines.append(
            f"| `{e['path']}`{outcome} | {e['seconds']:.1f} | {e['bytes'] / 1e6:.1f} | "
            f"{e['rss_before_mb']:.0f} → {e['rss_peak_mb']:.0f} | {e['copy_seconds']:.1f} | "
            f"{e['copy_bytes'] / 1e6:.1f} | {f'{ratio:.1f}×' if complete else '—'} | {target} | "
            f"{_met(met)} |"
        )
    return lines + admin_bench.table(result)


def growth_table(results: list[dict]) -> list[str]:
    if len(results) < 2:
        return []
    heads = [f"{r['people']:,}" for r in results]
    lines = [
        "### Growth (p50 ms)",
        "",
        "| request | " + " | ".join(heads) + " | growth |",
        "|---|" + "---:|" * len(heads) + "---:|",
    ]
    labels = [row["label"] for row in results[0]["rows"]]
    if not all(r["rows"] for r in results):
        labels = []  # --admin-only
    for index, label in enumerate(labels):
        values = [r["rows"][index]["p50"] for r in results]
        name = label.split(" offset=")[0] + " offset=half" if " offset=" in label else label
        lines.append(
            f"| {name} | "
            + " | ".join(_ms(v) for v in values)
            + f" | {_ratio(values[-1], values[0])} |"
        )
    if all(r.get("admin") for r in results):
        by_size = [{(x["label"], x["role"]): x["p50"] for x in r["admin"]["rows"]} for r in results]
        for row in results[0]["admin"]["rows"]:
            values = [found.get((row["label"], row["role"])) for found in by_size]
            lines.append(
                f"| admin: {row['label']} ({row['role']}) | "
                + " | ".join(_ms(v) for v in values)
                + f" | {_ratio(values[-1], values[0])} |"
            )
    for key, name in (
        ("csv", "`/exports/prisoners.csv` (s)"),
        ("package", "`/exports/datapackage.zip` (s)"),
    ):
        if not all(r["exports"] for r in results):
            break
        values = [r["exports"][key]["seconds"] for r in results]
        lines.append(
            f"| {name} | "
            + " | ".join(f"{v:.1f}" for v in values)
            + f" | {_ratio(values[-1], values[0])} |"
        )
    return lines


def report(results: list[dict], info: dict, started: datetime.datetime, load: list[str]) -> str:
    lines = [
        f"## Benchmark of {started:%Y-%m-%d %H:%M} UTC",
        "",
        f"Machine: {info['cpu']}, {info['cores']} cores, {info['ram_gb']} GB RAM; "
        f"PostgreSQL {info['postgres']}; Python {info['python']}; {info['os']}. "
        f"Load average at each size's start: {', '.join(load)} (a shared machine is noisy: "
        "read ratios rather than absolute times). gunicorn: 2 sync workers, `gunicorn.conf.py`, "
        "debug off, rate limits off. Each request timed over HTTP on loopback, interleaved "
        "round-robin after warm-up.",
        "",
    ]
    for result in results:
        lines += [*size_table(result), ""]
    lines += growth_table(results)
    return "\n".join(lines).rstrip() + "\n"


# --- orchestration --------------------------------------------------------------------------------


def database_url(base: str, name: str) -> str:
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path="/" + quote(name)))


def admin(base: str, statement: str) -> None:
    subprocess.run(  # noqa: S603
        [
            PYTHON,
            "-c",
            "import psycopg, sys; "
            "psycopg.connect(sys.argv[1], autocommit=True).execute(sys.argv[2])",
            base,
            statement,
        ],
        check=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sizes = os.environ.get("BENCH_SIZES", "10000 100000").split()
    parser.add_argument("--sizes", type=int, nargs="+", default=[int(s) for s in sizes])
    parser.add_argument("--rounds", type=int, default=int(os.environ.get("BENCH_ROUNDS", 20)))
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=10, help="of each throughput run")
    parser.add_argument("--timeout", type=float, default=30, help="per API request (s)")
    parser.add_argument("--export-timeout", type=float, default=180, help="per export (s)")
    parser.add_argument(
        "--admin-rounds",
        type=int,
        default=int(os.environ.get("BENCH_ADMIN_ROUNDS", 5)),
        help="rounds of the admin pages (benchmarks/admin.py); 0: no admin section",
    )
    parser.add_argument(
        "--import-rows",
        type=int,
        default=int(os.environ.get("BENCH_IMPORT_ROWS", 10000)),
        help="records of the timed import_viasna (0: none)",
    )
    parser.add_argument("--import-timeout", type=float, default=3600, help="of the import (s)")
    parser.add_argument(
        "--bulk-timeout", type=float, default=1800, help="of each bulk admin action (s)"
    )
    parser.add_argument(
        "--admin-only", action="store_true", help="the editors' admin only, not the API"
    )
    parser.add_argument(
        "--databases",
        nargs="+",
        metavar="DATABASE_URL",
        help="measure these databases, already filled by scripts/load_data.py, instead of "
        "generating one per size (nothing is dropped)",
    )
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--log", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.measure:  # the child: one database, already generated
        result = measure(args)
        Path(args.out).write_text(json.dumps(result), encoding="utf-8")
        return 0

    if not args.databases:
        loadgen.relaunch_under_postgres(["-m", "benchmarks.run", *sys.argv[1:]])
    base = args.databases[0] if args.databases else os.environ["DATABASE_URL"]
    started = datetime.datetime.now(datetime.UTC)
    info = machine(base)
    results, load = [], []
    work = ROOT / "var" / "bench"
    work.mkdir(parents=True, exist_ok=True)
    for index, people in enumerate(args.databases or args.sizes):
        name = f"bench_{index}"
        url = people if args.databases else database_url(base, f"bench_{people}")
        load.append(" ".join(f"{x:.1f}" for x in os.getloadavg()))
        env = dict(os.environ, DATABASE_URL=url)
        env.setdefault("DJANGO_SECRET_KEY", "benchmark-only-not-a-secret")
        env.setdefault("DJANGO_HTTPS", "false")
        generate_seconds = None
        if not args.databases:
            print(f"=== {people:,} people: generating (load average {load[-1]})", flush=True)
            admin(base, f"DROP DATABASE IF EXISTS bench_{people}")
            admin(base, f"CREATE DATABASE bench_{people}")
            began = time.perf_counter()
            subprocess.run(  # noqa: S603
                [PYTHON, str(ROOT / "scripts" / "load_data.py"), "--people", str(people)],
                env=env,
                cwd=ROOT,
                check=True,
            )
            generate_seconds = time.perf_counter() - began
        print(f"=== {name}: measuring (load average {load[-1]})", flush=True)
        out = work / f"{name}.json"
        child_env = loadgen.production_env(env)
        child_env["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"
        subprocess.run(  # noqa: S603
            [
                PYTHON,
                "-m",
                "benchmarks.run",
                "--measure",
                "--out",
                str(out),
                "--log",
                str(work / f"{name}-gunicorn.log"),
                "--rounds",
                str(args.rounds),
                "--warmup",
                str(args.warmup),
                "--seconds",
                str(args.seconds),
                "--timeout",
                str(args.timeout),
                "--export-timeout",
                str(args.export_timeout),
                "--admin-rounds",
                str(args.admin_rounds),
                "--import-rows",
                str(args.import_rows),
                "--import-timeout",
                str(args.import_timeout),
                "--bulk-timeout",
                str(args.bulk_timeout),
                *(["--admin-only"] if args.admin_only else []),
            ],
            env=child_env,
            cwd=ROOT,
            check=True,
        )
        result = json.loads(out.read_text(encoding="utf-8"))
        result["generate_seconds"] = generate_seconds
        results.append(result)
        print("\n".join(size_table(result)), flush=True)
        if not args.databases:
            admin(base, f"DROP DATABASE IF EXISTS bench_{people}")
    text = report(results, info, started, load)
    print("\n" + text)
    suffix = "-admin" if args.admin_only else ""
    target = ROOT / "benchmarks" / f"results-{started:%Y-%m-%d}{suffix}.md"
    target.write_text(text, encoding="utf-8")
    print(f"written to {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
