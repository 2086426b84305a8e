"""Simulated users against a real deployment (reporting.load_server): leaders reading pages and
the API, bureau staff recording observations through the API, for a fixed time.

Each user is a thread with its own connection and pause between requests (think time). Every
write gets a key (indicator, year) that no other write uses, so afterwards each acknowledged
write can be checked in the database: the row exists and holds the value that was sent.
"""

from __future__ import annotations

import http.client
import json
import random
import statistics
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode, urlsplit

import psycopg2

from reporting.load_server import Deployment

# Years before the demo data (which starts in 2020): history a bureau back-fills.
WRITE_YEARS = range(2005, 2020)


@dataclass
class Sample:
    kind: str  # "read" or "write"
    label: str
    status: int  # 0: no answer (connection error or time-out)
    seconds: float


@dataclass
class LoadResult:
    users: int
    seconds: float
    samples: list[Sample] = field(default_factory=list)
    acknowledged: list[tuple[int, str, str]] = field(default_factory=list)  # indicator, period, value
    lost: list[tuple[int, str, str]] = field(default_factory=list)
    error_examples: list[str] = field(default_factory=list)

    def errors(self) -> list[Sample]:
        return [s for s in self.samples if not _ok(s)]

    def as_dict(self) -> dict:
        def quantiles(samples: list[Sample]) -> dict[str, float]:
            p50, p95, p99 = percentiles([s.seconds * 1000 for s in samples])
            return {"p50_ms": round(p50, 1), "p95_ms": round(p95, 1), "p99_ms": round(p99, 1)}

        reads = [s for s in self.samples if s.kind == "read"]
        writes = [s for s in self.samples if s.kind == "write"]
        return {
            "users": self.users,
            "seconds": round(self.seconds, 1),
            "requests": len(self.samples),
            "requests_per_s": round(len(self.samples) / self.seconds, 1) if self.seconds else 0.0,
            "all": quantiles(self.samples),
            "reads": {"count": len(reads), **quantiles(reads)},
            "writes": {"count": len(writes), **quantiles(writes)},
            "errors": len(self.errors()),
            "acknowledged_writes": len(self.acknowledged),
            "lost_writes": len(self.lost),
        }


def percentiles(times: list[float]) -> tuple[float, float, float]:
    """p50, p95 and p99 of the times (inclusive method: a value that was measured bounds them)."""
    ordered = sorted(times) or [0.0]
    cuts = statistics.quantiles(ordered, n=100, method="inclusive") if len(ordered) > 1 else ordered * 99
    return cuts[49], cuts[94], cuts[98]


def _ok(sample: Sample) -> bool:
    if sample.kind == "write":
        return sample.status in (200, 201)
    return sample.status in (200, 302)


class Session:
    """One simulated user's HTTP client: cookies, CSRF token, timing of every request."""

    def __init__(self, base_url: str, result: LoadResult, lock: threading.Lock) -> None:
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.cookies: dict[str, str] = {}
        self.result, self.lock = result, lock

    def request(
        self, method: str, path: str, *, kind: str, label: str, body: bytes | None = None, headers: dict | None = None
    ) -> tuple[int, bytes]:
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        started = time.perf_counter()
        status, payload = 0, b""
        connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            payload = response.read()
            status = response.status
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        except (OSError, http.client.HTTPException) as exc:
            payload = repr(exc).encode()
        finally:
            connection.close()
        sample = Sample(kind, label, status, time.perf_counter() - started)
        with self.lock:
            self.result.samples.append(sample)
            if not _ok(sample) and len(self.result.error_examples) < 10:
                self.result.error_examples.append(f"{method} {path} -> {status}: {payload[:200]!r}")
        return status, payload

    def login(self, username: str, password: str) -> None:
        self.request("GET", "/accounts/login/", kind="read", label="login page")
        form = urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
        )
        self.request(
            "POST",
            "/accounts/login/",
            kind="read",
            label="login",
            body=form.encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded", "Referer": "http://127.0.0.1/"},
        )


@dataclass(frozen=True)
class Workload:
    pages: list[tuple[str, str]]  # label, path
    keys: deque  # (token, indicator id, year, value) still free to write


def workload_prepare(deployment: Deployment, *, seed: int) -> Workload:
    """The pages leaders open and the writes staff may make, read from the deployment."""
    rng = random.Random(seed)
    with psycopg2.connect(deployment.database_url) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT code FROM targets_city ORDER BY code")
        cities = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT id FROM targets_target ORDER BY id")
        target_ids = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            "SELECT DISTINCT ON (indicator_id) indicator_id, value FROM reporting_observation "
            "WHERE value IS NOT NULL ORDER BY indicator_id, period_end DESC"
        )
        latest = dict(cursor.fetchall())
    pages = [("overview", "/"), ("measures", "/measures/"), ("sector", "/sectors/energy/")]
    pages += [(f"city {c}", f"/cities/{c}/") for c in cities]
    pages += [(f"measures {c}", f"/measures/?city={c}") for c in cities]
    pages += [("api targets", f"/api/v1/targets/?city={c}") for c in cities]
    pages += [("target", f"/targets/{t}/") for t in rng.sample(target_ids, min(40, len(target_ids)))]
    keys: list[tuple[str, int, int, str]] = []
    for token in deployment.tokens.values():
        for indicator_id in _reportable(deployment.base_url, token):
            value = latest.get(indicator_id) or Decimal(1)
            keys += [(token, indicator_id, year, f"{value:.2f}") for year in WRITE_YEARS]
    rng.shuffle(keys)
    return Workload(pages=pages, keys=deque(keys))


def _reportable(base_url: str, token: str) -> list[int]:
    parts = urlsplit(base_url)
    connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=30)
    connection.request(
        "GET", "/api/v1/indicators/?can_report=true&page_size=200", headers={"Authorization": f"Token {token}"}
    )
    payload = json.loads(connection.getresponse().read())
    connection.close()
    return [row["id"] for row in payload["results"]]


def _reader(session: Session, workload: Workload, stop: float, think: tuple[float, float], rng: random.Random) -> None:
    session.login("demo-leader", "demo-leader-pass")
    while time.monotonic() < stop:
        label, path = rng.choice(workload.pages)
        session.request("GET", path, kind="read", label=label)
        time.sleep(rng.uniform(*think))


def _writer(session: Session, workload: Workload, stop: float, think: tuple[float, float], rng: random.Random) -> None:
    while time.monotonic() < stop:
        try:
            token, indicator_id, year, value = workload.keys.popleft()
        except IndexError:
            return
        body = json.dumps({"indicator": indicator_id, "period": str(year), "value": value, "note": "load test"})
        status, _ = session.request(
            "POST",
            "/api/v1/observations/",
            kind="write",
            label="record observation",
            body=body.encode(),
            headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
        )
        if status in (200, 201):
            with session.lock:
                session.result.acknowledged.append((indicator_id, str(year), value))
        session.request(
            "GET",
            f"/api/v1/observations/?indicator={indicator_id}",
            kind="read",
            label="api observations",
            headers={"Authorization": f"Token {token}"},
        )
        time.sleep(rng.uniform(*think))


def load_run(
    deployment: Deployment,
    *,
    users: int,
    writers: int,
    seconds: float,
    think: tuple[float, float],
    ramp: float = 10.0,
    seed: int = 7,
) -> LoadResult:
    workload = workload_prepare(deployment, seed=seed)
    result, lock = LoadResult(users=users, seconds=0.0), threading.Lock()
    started = time.monotonic()
    stop = started + seconds
    threads = []
    for index in range(users):
        role = _writer if index < writers else _reader
        session = Session(deployment.base_url, result, lock)
        thread = threading.Thread(
            target=role, args=(session, workload, stop, think, random.Random(seed + index)), daemon=True
        )
        threads.append(thread)
        thread.start()
        # Users arrive over `ramp` seconds, as a load tool's spawn rate has them; the run's
        # clock starts with the first one.
        time.sleep(ramp / users)
    for thread in threads:
        thread.join(timeout=seconds + 120)
    result.seconds = time.monotonic() - started
    result.lost = writes_missing(deployment.database_url, result.acknowledged)
    return result


def writes_missing(database_url: str, acknowledged: list[tuple[int, str, str]]) -> list[tuple[int, str, str]]:
    """Acknowledged writes whose row is absent or holds another value."""
    if not acknowledged:
        return []
    with psycopg2.connect(database_url) as connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT indicator_id, period, value FROM reporting_observation WHERE period = ANY(%s)",
            ([str(year) for year in WRITE_YEARS],),
        )
        stored = {(indicator, period): value for indicator, period, value in cursor.fetchall()}
    return [
        (indicator, period, value)
        for indicator, period, value in acknowledged
        if stored.get((indicator, period)) is None or Decimal(value) != stored[(indicator, period)]
    ]


def report_lines(result: LoadResult) -> list[str]:
    figures = result.as_dict()
    lines = [
        f"{figures['users']} users for {figures['seconds']} s: {figures['requests']} requests, "
        f"{figures['requests_per_s']} per second",
    ]
    for name in ("all", "reads", "writes"):
        row = figures[name]
        count = f"{row['count']:>6} " if "count" in row else "       "
        lines.append(
            f"  {name:<7}{count}p50 {row['p50_ms']:>7.1f} ms   "
            f"p95 {row['p95_ms']:>7.1f} ms   p99 {row['p99_ms']:>7.1f} ms"
        )
    lines.append("  slowest (p95) by page:")
    by_label: dict[str, list[float]] = {}
    for sample in result.samples:
        by_label.setdefault(sample.label.split(" ")[0], []).append(sample.seconds * 1000)
    ranked = sorted(
        ((label, percentiles(times), len(times)) for label, times in by_label.items()), key=lambda r: -r[1][1]
    )
    lines += [f"    {label:<12} n={n:<5} p50 {p50:>7.1f} ms   p95 {p95:>7.1f} ms"
              for label, (p50, p95, _), n in ranked[:8]]  # fmt: skip
    lines.append(f"errors: {figures['errors']}")
    lines += [f"  {example}" for example in result.error_examples]
    lines.append(
        f"acknowledged writes: {figures['acknowledged_writes']}, missing from the database: {figures['lost_writes']}"
    )
    return lines
