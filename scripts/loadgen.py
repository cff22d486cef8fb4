"""
The load generator shared by scripts/load-test and scripts/fault-test (stdlib only).

- ``production_env``: the environment the app runs with in production (debug off, a
  throwaway secret key, plain HTTP on loopback, every rate limit named in settings off);
- ``Server``: gunicorn (sync workers) on 127.0.0.1, its log in a file;
- ``Mix``: a realistic mix of public requests (lists, filters, name searches in several
  scripts, person details, stats, the in-custody series, small filtered CSV exports and,
  every ``full_every`` seconds a full download: everyone's CSV, every detention's, or the
  whole data package, in turn), with ids discovered from the running API;
- ``run``: N client threads for D seconds, one request at a time each, bounded by a
  per-request socket timeout; every request's timing and outcome is kept;
- ``report``: per-kind counts and latency percentiles, requests/s, status classes.

Only 127.0.0.1 is ever a target.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = ROOT / ".venv" / "bin"
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def production_env(base: dict | None = None) -> dict:
    """Production settings for a local run: see tracker/settings.py."""
    env = dict(os.environ if base is None else base)
    env.pop("DJANGO_DEBUG", None)
    env["DJANGO_SECRET_KEY"] = f"load-test-only-{os.getpid()}-{time.time_ns()}-not-a-secret"
    env["DJANGO_HTTPS"] = "false"
    env["DJANGO_ALLOWED_HOSTS"] = HOST
    env["DJANGO_LOG_LEVEL"] = env.get("DJANGO_LOG_LEVEL", "WARNING")
    # Every rate limit the settings read from the environment (the API's, and any
    # export limit added later), off: the test measures capacity, not throttling.
    settings_text = (ROOT / "tracker" / "settings.py").read_text(encoding="utf-8")
    for name in sorted(set(re.findall(r"\bDJANGO_[A-Z0-9_]*RATE[A-Z0-9_]*\b", settings_text))):
        env[name] = "off"
    return env


def rate_settings_off(env: dict) -> list[str]:
    return sorted(
        k for k, v in env.items() if k.startswith("DJANGO_") and "RATE" in k and v == "off"
    )


def prepare_database(people: int, env: dict) -> None:
    """Migrate, load the seed and generate ``people`` more (scripts/load_data.py)."""
    subprocess.run(  # noqa: S603 (our own venv and script)
        [str(VENV_BIN / "python"), str(ROOT / "scripts" / "load_data.py"), "--people", str(people)],
        env=env,
        cwd=ROOT,
        check=True,
    )


class Server:
    """
    gunicorn serving tracker.wsgi on loopback; stdout and stderr go to ``log_path``. It
    runs from the project's folder, so it reads ./gunicorn.conf.py if there is one (as a
    deployment would); only the address, the number of workers and the log level are set
    here.
    """

    def __init__(self, env: dict, log_path: Path, workers: int = 3):
        self.port = free_port()
        self.log_path = log_path
        self.log = open(log_path, "ab")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(  # noqa: S603 (our own venv)
            [
                str(VENV_BIN / "gunicorn"),
                "tracker.wsgi:application",
                "--bind",
                f"{HOST}:{self.port}",
                "--workers",
                str(workers),
                "--log-level",
                "info",
            ],
            env=env,
            cwd=ROOT,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}")
            try:
                status, _, _ = get(self.port, "/api/v1/articles/", timeout=5)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not answer within {seconds} s")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()

    def log_tail(self, lines: int = 60) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])


def get(port: int, path: str, timeout: float) -> tuple[int, str, bytes]:
    """One GET; the whole body. Raises OSError / http.client errors on failure."""
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Connection": "close"})
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type", ""), response.read()
    finally:
        connection.close()


# --- the mix -------------------------------------------------------------------------

SEARCHES = [
    "Losik",
    "Лосік",
    "Лосик",
    "Ihar Losik",
    "Бабарыка",
    "Babariko",
    "Babaryka",
    "Бабарико",
    "Ціханоўскі",
    "Tikhanovsky",
    "Tsikhanouski",
    "Kalesnikava",
    "Колесникова",
    "Марыя Калеснікава",
    "Vlasova",
    "Рабцэвіч",
    "Shkliarov",
    "Statkevich",
]


@dataclass
class Mix:
    """Weighted kinds of request; each kind draws one URL at random."""

    person_ids: list[int]
    facility_ids: list[int]
    person_count: int
    full_every: float = 20.0  # seconds between full downloads; 0: none
    weights: dict[str, float] = field(
        default_factory=lambda: {
            "list": 18,
            "filter": 20,
            "search": 16,
            "detail": 20,
            "stats": 5,
            "in-custody": 5,
            "csv-small": 8,
        }
    )
    FULL = ("/exports/prisoners.csv", "/exports/detentions.csv", "/exports/datapackage.zip")

    @classmethod
    def discover(cls, port: int, full_every: float = 20.0) -> Mix:
        """Ids of real records, read from the API itself (this also warms the workers)."""
        status, _, body = get(port, "/api/v1/prisoners/?limit=1", timeout=60)
        if status != 200:
            raise RuntimeError(f"/api/v1/prisoners/ answered {status}")
        count = json.loads(body)["count"]
        rng = random.Random(1)
        person_ids: list[int] = []
        for offset in sorted({rng.randrange(max(1, count - 500)) for _ in range(4)}):
            _, _, body = get(port, f"/api/v1/prisoners/?limit=500&offset={offset}", timeout=60)
            person_ids += [row["id"] for row in json.loads(body)["results"]]
        _, _, body = get(port, "/api/v1/facilities/?limit=500", timeout=60)
        facility_ids = [row["id"] for row in json.loads(body)["results"]]
        return cls(sorted(set(person_ids)), facility_ids, count, full_every)

    def pick(self, rng: random.Random) -> tuple[str, str]:
        kind = rng.choices(list(self.weights), list(self.weights.values()))[0]
        return kind, getattr(self, "_" + kind.replace("-", "_"))(rng)

    def _list(self, rng):
        resource = rng.choice(
            ["prisoners"] * 4
            + ["detentions", "decisions", "releases", "facilities", "articles", "sources"]
            + ["events", "figures"]
        )
        limit = rng.choice([20, 50, 50, 100])
        offset = (
            rng.randrange(0, max(1, self.person_count - limit)) if resource == "prisoners" else 0
        )
        offset = rng.choice([0, 0, offset])
        return f"/api/v1/{resource}/?limit={limit}&offset={offset}"

    def _filter(self, rng):
        year = rng.randint(2020, 2025)
        facility = rng.choice(self.facility_ids)
        article = rng.choice(["342", "293", "361-1", "130", "411", "369", "342-1"])
        status = rng.choice(["in_custody", "released", "restricted"])
        return rng.choice(
            [
                f"/api/v1/prisoners/?status={status}&limit=50",
                f"/api/v1/prisoners/?status=in_custody&article={article}&limit=50",
                f"/api/v1/prisoners/?article={article}&limit=50",
                f"/api/v1/prisoners/?facility={facility}&limit=50",
                f"/api/v1/prisoners/?detained_after={year}-01-01&detained_before={year}-06-30&limit=50",
                "/api/v1/prisoners/?status=in_custody&gender=female&region=Minsk&limit=50",
                f"/api/v1/prisoners/?released_after={year}-01-01&release_kind=pardon&limit=50",
                "/api/v1/prisoners/?sentenced=true&term_min_months=36&ordering=-id&limit=50",
                f"/api/v1/detentions/?started_after={year}-01-01&article={article}&limit=50",
                f"/api/v1/detentions/?facility={facility}&limit=50",
                f"/api/v1/decisions/?term_min_months=48&decided_after={year}-01-01&limit=50",
                f"/api/v1/releases/?released_after={year}-01-01&kind=pardon&limit=50",
            ]
        )

    def _search(self, rng):
        extra = rng.choice(["", "", "&status=in_custody", "&limit=10"])
        return f"/api/v1/prisoners/?{urlencode({'q': rng.choice(SEARCHES)})}{extra}"

    def _detail(self, rng):
        return f"/api/v1/prisoners/{rng.choice(self.person_ids)}/"

    def _stats(self, rng):
        return "/api/v1/stats/"

    def _in_custody(self, rng):
        year = rng.randint(2020, 2024)
        return rng.choice(
            [
                "/api/v1/stats/in-custody/",
                "/api/v1/stats/in-custody/?interval=month&from=2020-08-01",
                "/api/v1/stats/in-custody/?interval=year&from=2020-01-01&to=2025-12-31",
                f"/api/v1/stats/in-custody/?interval=week&from={year}-01-01&to={year}-12-31",
            ]
        )

    def _csv_small(self, rng):
        year = rng.randint(2021, 2025)
        person = rng.choice(self.person_ids)
        return rng.choice(
            [
                f"/exports/prisoners.csv?status=in_custody&article=342&detained_after={year}-01-01",
                f"/exports/prisoners.csv?{urlencode({'q': rng.choice(SEARCHES)})}",
                f"/exports/detentions.csv?person={person}",
                f"/exports/decisions.csv?person={person}",
                f"/exports/releases.csv?released_after={year}-06-01&kind=pardon",
                "/exports/facilities.csv",
                "/exports/figures.csv",
                f"/exports/prisoners.csv?facility={rng.choice(self.facility_ids)}&status=in_custody",
            ]
        )


# --- running -------------------------------------------------------------------------


@dataclass
class Result:
    kind: str
    path: str
    started: float  # time.monotonic()
    ended: float
    status: int = 0  # 0: no response
    content_type: str = ""
    size: int = 0
    error: str = ""  # "timeout", "truncated", "refused", "reset", …
    head: bytes = b""  # the start of the body of a 5xx

    @property
    def seconds(self) -> float:
        return self.ended - self.started

    @property
    def ok(self) -> bool:
        return not self.error and 200 <= self.status < 500

    @property
    def json_503(self) -> bool:
        return not self.error and self.status == 503 and "json" in self.content_type


def fetch(port: int, kind: str, path: str, timeout: float) -> Result:
    result = Result(kind, path, time.monotonic(), 0.0)
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request(
            "GET", path, headers={"Connection": "close", "Accept-Encoding": "identity"}
        )
        response = connection.getresponse()
        result.status = response.status
        result.content_type = response.getheader("Content-Type", "")
        while True:
            chunk = response.read(65536)
            if not chunk:
                break
            if result.status >= 500 and len(result.head) < 400:
                result.head += chunk[: 400 - len(result.head)]
            result.size += len(chunk)
    except TimeoutError:
        result.error = "timeout"
    except http.client.IncompleteRead:
        result.error = "truncated"
    except ConnectionRefusedError:
        result.error = "refused"
    except (ConnectionResetError, BrokenPipeError):
        result.error = "reset" if not result.status else "truncated"
    except (http.client.HTTPException, OSError) as error:
        result.error = type(error).__name__
    finally:
        connection.close()
        result.ended = time.monotonic()
    return result


def run(
    port: int,
    mix: Mix,
    *,
    duration: float,
    concurrency: int,
    timeout: float,
    seed: int = 20200809,
    stop: threading.Event | None = None,
) -> tuple[list[Result], float, float]:
    """Run the mix; return every result, the start and the end (monotonic seconds)."""
    results: list[Result] = []
    lock = threading.Lock()
    # One full download every mix.full_every seconds, the first a few seconds in, by
    # whichever client is free first.
    full_due = [time.monotonic() + min(5.0, duration / 4), 0]
    started = time.monotonic()
    deadline = started + duration
    stop = stop or threading.Event()

    def client(number: int) -> None:
        rng = random.Random(seed * 1000 + number)
        time.sleep(rng.random() * min(1.0, duration / 10))  # not all at once
        while time.monotonic() < deadline and not stop.is_set():
            kind = ""
            if mix.full_every:
                with lock:
                    if time.monotonic() >= full_due[0]:
                        path = mix.FULL[full_due[1] % len(mix.FULL)]
                        kind = "full-zip" if path.endswith(".zip") else "full-csv"
                        full_due[0] += mix.full_every
                        full_due[1] += 1
            if not kind:
                kind, path = mix.pick(rng)
            result = fetch(port, kind, path, timeout)
            with lock:
                results.append(result)

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(concurrency)]
    for thread in threads:
        thread.start()
    # Bounded: every request ends within its socket timeout (per read), the loop by the
    # deadline; a generous join timeout still keeps the whole run bounded.
    for thread in threads:
        thread.join(timeout=max(1.0, deadline - time.monotonic()) + timeout * 4 + 60)
    return results, started, time.monotonic()


def percentile(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(p / 100 * len(sorted_values) + 0.5) - 1))
    return sorted_values[index]


def status_class(result: Result) -> str:
    if result.error:
        return f"error:{result.error}"
    return f"{result.status // 100}xx"


def report(results: list[Result], elapsed: float, out=sys.stdout) -> dict:
    """Print per-kind figures and totals; return them."""
    kinds = sorted({r.kind for r in results}, key=lambda k: -sum(r.kind == k for r in results))
    print(
        f"{'kind':12} {'count':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8} "
        f"{'MB':>7}  statuses",
        file=out,
    )
    summary = {"kinds": {}}
    for kind in [*kinds, "all"]:
        rows = results if kind == "all" else [r for r in results if r.kind == kind]
        times = sorted(r.seconds * 1000 for r in rows)
        classes: dict[str, int] = {}
        for r in rows:
            classes[status_class(r)] = classes.get(status_class(r), 0) + 1
        figures = {
            "count": len(rows),
            "p50": statistics.median(times) if times else float("nan"),
            "p95": percentile(times, 95),
            "p99": percentile(times, 99),
            "max": times[-1] if times else float("nan"),
            "mb": sum(r.size for r in rows) / 1e6,
            "classes": classes,
        }
        summary["kinds"][kind] = figures
        if kind == "all":
            print("-" * 78, file=out)
        print(
            f"{kind:12} {figures['count']:>7} {figures['p50']:>8.0f} {figures['p95']:>8.0f} "
            f"{figures['p99']:>8.0f} {figures['max']:>8.0f} {figures['mb']:>7.1f}  "
            + " ".join(f"{k} {v}" for k, v in sorted(classes.items())),
            file=out,
        )
    summary["elapsed"] = elapsed
    summary["rps"] = len(results) / elapsed if elapsed else 0.0
    summary["classes"] = summary["kinds"]["all"]["classes"]
    print(
        f"{len(results)} requests in {elapsed:.1f} s: {summary['rps']:.1f} requests/s; "
        + ", ".join(f"{k}: {v}" for k, v in sorted(summary["classes"].items())),
        file=out,
    )
    slowest = sorted(
        (r for r in results if not r.kind.startswith("full")), key=lambda r: -r.seconds
    )
    if slowest:
        print("slowest requests (full downloads aside):", file=out)
        for r in slowest[:5]:
            print(f"  {r.seconds * 1000:7.0f} ms  {r.kind:10} {r.path}", file=out)
    return summary


def describe(result: Result, origin: float = 0.0) -> str:
    head = result.head.decode("utf-8", "replace").replace("\n", " ")[:160]
    what = result.error or f"{result.status} {result.content_type}"
    return (
        f"t={result.started - origin:6.2f}s +{result.seconds * 1000:.0f}ms {result.kind:10} "
        f"GET {result.path} -> {what}" + (f" {head!r}" if head else "")
    )


def relaunch_under_postgres(argv: list[str]) -> None:
    """Re-run this script under scripts/with-postgres unless that has been done already."""
    if os.environ.get("TRACKER_LOADGEN_INNER") == "1":
        return
    env = dict(os.environ, TRACKER_LOADGEN_INNER="1")
    os.execve(  # noqa: S606 (our own script)
        str(ROOT / "scripts" / "with-postgres"),
        [str(ROOT / "scripts" / "with-postgres"), str(VENV_BIN / "python"), *argv],
        env,
    )
