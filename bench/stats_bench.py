#!/usr/bin/env python
"""Latency of the reach statistics on a year of visits (a measurement, not a test).

For each database in turn it builds a fresh database with the real migrations, loads the
Oss demo, bulk-inserts N visits (default 1,000,000: one year up to today, every house,
inside opening hours, with the answer mix of the demo and ~2 % flagged suspicious) with
SQLAlchemy Core, runs ANALYZE, and measures p50/p95 of the monthly reach report (the
last full month) of one house and of the whole municipality:

- through the service functions (`reach.reach` and `reach_visitors`, then
  `publication.published_reach`) in-process, each
  call in a fresh session, rotating over the houses;
- through `GET /api/v1/stats/reach` over a threaded `werkzeug.serving.make_server`, one
  keep-alive connection, with a bearer token of the demo gemeente user;
- and, for information, the HTML pages that render the same reports (house page and the
  gemeente's comparison) and the rendement overview of all houses.

    .venv/bin/python bench/stats_bench.py --db both        # sqlite | postgresql | both
                                                           # --visits 1000000 --requests 60

The reports read the covering index `ix_visit_reach` of migration 0002 (house_id,
visited_at, then every column a report reads); the report also gives the size of the
visit table with its indexes, the price of that index.

PostgreSQL: database `buurthuis_stats_bench` on 127.0.0.1:5432 as `postgres`, dropped and
created for the run and dropped afterwards (unless --keep). Exit status 0 when it ran
(missed targets included), 1 on errors (a request that did not answer 200).
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import logging
import random
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench._common import AMSTERDAM, BenchError, fresh_database, log  # noqa: E402

SQLITE_FILE = "buurthuis-stats-bench.sqlite"  # in the run's temp dir
PG_BENCH_DB = "buurthuis_stats_bench"
GEMEENTE = "gemeente@buurthuis.example"
DEMO_PASSWORD = "buurthuis-demo"
CHUNK = 10_000
WARMUP = 5
TARGET_MS = 200.0
CHANNELS = (("qr", 45), ("tablet", 35), ("tally", 10), ("poster", 5), ("kaart", 5))
HASHED = ("qr", "poster", "kaart")  # a phone's or a card's keyed hash
AGES = ("18-29", "30-49", "50-66", "67+", "67+", "0-17", "geen_antwoord")


def build_app(url: str) -> Any:
    """Built like tests/conftest.py app_config (TestingConfig), without the rate limiter."""
    from bench._bench_app import bench_config
    from booking import create_app

    return create_app(bench_config(url, TESTING=False))


# Loading ---------------------------------------------------------------------------------


@dataclass
class Loaded:
    houses: list[tuple[int, str]]  # (id, slug)
    token: str
    month: tuple[date, date]
    visits: int
    seconds: float
    visit_megabytes: float


def _visit_rows(
    rng: random.Random,
    total: int,
    today: date,
    houses: list[Any],
    areas: list[int],
) -> Iterator[dict[str, Any]]:
    """`total` visits over the 365 days up to yesterday, spread over the houses' huiskamers.

    Day by day and in time order within a day, as check-ins arrive in production: the
    table is an append-only log, so a month's visits lie together on disk.
    """
    days = [today - timedelta(days=d) for d in range(365, 0, -1)]
    weights = [0.4 if d.weekday() == 6 else (1.6 if d.weekday() in (1, 3) else 1.0) for d in days]
    scale = total / sum(weights)
    channels, channel_weights = zip(*CHANNELS, strict=True)
    plan = []
    for house in houses:
        room = next((r for r in house.rooms if r.is_huiskamer), house.rooms[0])
        devices = [f"{house.id:04x}{n:060x}" for n in range(rng.randint(400, 1500))]
        plan.append((house.id, room.id, house.area_id, devices))
    made, owed = 0, 0.0
    for index, (day, weight) in enumerate(zip(days, weights, strict=True)):
        owed += weight * scale
        count = total - made if index == len(days) - 1 else int(owed) - made
        made += count
        minutes = sorted(rng.randint(9 * 60, 21 * 60 + 59) for _ in range(count))
        for minute in minutes:
            house_id, room_id, own_area, devices = rng.choice(plan)
            local = datetime(
                day.year, day.month, day.day, minute // 60, minute % 60, tzinfo=AMSTERDAM
            )
            channel = rng.choices(channels, channel_weights)[0]
            answered = channel in ("qr", "poster") and rng.random() < 0.8
            answer = rng.random()
            area_id = None
            if answered and answer < 0.9:
                area_id = own_area if rng.random() < 0.6 else rng.choice(areas)
            yield {
                "house_id": house_id,
                "room_id": room_id,
                "visited_at": local.astimezone(UTC),
                "channel": channel,
                "first_time": (rng.random() < 0.12) if answered else None,
                "area_id": area_id,
                "area_answer": rng.choice(("elders", "geen_antwoord"))
                if answered and answer >= 0.9
                else None,
                "age_group": rng.choice(AGES) if answered else None,
                "device_hash": rng.choice(devices) if channel in HASHED else None,
                "suspicious": rng.random() < 0.02,
                "suspicious_reason": "",
            }


def load(app: Any, total: int, rng: random.Random) -> Loaded:
    """Migrate, load the demo, bulk-insert the visits, ANALYZE, issue an API token.

    PostgreSQL gets VACUUM ANALYZE, the steady state autovacuum keeps an append-only table
    in (it also sets the visibility map that index-only scans need).
    """
    import flask_migrate
    from sqlalchemy import insert, select, text

    from booking.demo.loader import load_demo
    from booking.extensions import db
    from booking.models import Area, House, Visit
    from booking.rules.periods import previous_month
    from booking.services import accounts

    began = time.perf_counter()
    with app.app_context():
        flask_migrate.upgrade()
        today = datetime.now(AMSTERDAM).date()
        load_demo(today)
        db.session.commit()
        houses = list(db.session.scalars(select(House).order_by(House.id)))
        areas = list(db.session.scalars(select(Area.id)))
        batch: list[dict[str, Any]] = []
        inserted = 0
        for row in _visit_rows(rng, total, today, houses, areas):
            batch.append(row)
            if len(batch) == CHUNK:
                db.session.execute(insert(Visit), batch)
                inserted += len(batch)
                batch = []
                if inserted % 200_000 == 0:
                    db.session.commit()
                    log(f"  {inserted:,} visits")
        if batch:
            db.session.execute(insert(Visit), batch)
            inserted += len(batch)
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE"))
        else:
            db.session.execute(text("ANALYZE"))
            db.session.commit()
        token = accounts.issue_api_token(accounts.find_user(GEMEENTE))
        db.session.commit()
        month = previous_month(today)
        count = db.session.scalar(select(db.func.count()).select_from(Visit))
        result = Loaded(
            [(h.id, h.slug) for h in houses],
            token,
            (month.first, month.last),
            count,
            time.perf_counter() - began,
            _visit_megabytes(db.session),
        )
        db.session.remove()
    log(f"  loaded {result.visits:,} visits in {result.seconds:.0f} s")
    return result


def _visit_megabytes(session: Any) -> float:
    """The visit table with all its indexes, as stored."""
    from sqlalchemy import text

    if session.get_bind().dialect.name == "postgresql":
        size = session.scalar(text("SELECT pg_total_relation_size('visit')"))
    else:
        size = session.scalar(
            text(
                "SELECT sum(pgsize) FROM dbstat WHERE name IN "
                "(SELECT name FROM sqlite_master WHERE tbl_name = 'visit')"
            )
        )
    return (size or 0) / 1_000_000


# Measuring ---------------------------------------------------------------------------------


@dataclass
class Series:
    name: str
    times_ms: list[float] = field(default_factory=list)
    target: float | None = TARGET_MS

    def p(self, q: int) -> float:
        ordered = sorted(self.times_ms)
        return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def measure(
    name: str, count: int, call: Callable[[int], None], target: float | None = TARGET_MS
) -> Series:
    for i in range(WARMUP):
        call(i)
    series = Series(name, target=target)
    for i in range(count):
        began = time.perf_counter()
        call(i)
        series.times_ms.append((time.perf_counter() - began) * 1000)
    log(f"  {name}: p50 {series.p(50):.1f} ms, p95 {series.p(95):.1f} ms")
    return series


def service_series(app: Any, loaded: Loaded, count: int) -> list[Series]:
    from booking.extensions import db
    from booking.rules.periods import Period
    from booking.rules.publication import published_comparison, published_reach
    from booking.rules.visit_vocabulary import CHANNELS
    from booking.services import reach
    from booking.services.reach_visitors import add_house_visitors, with_visitors

    period = Period(*loaded.month)
    ids = [house_id for house_id, _ in loaded.houses]

    def one_house(i: int) -> None:
        with app.app_context():
            scope = reach.Scope((ids[i % len(ids)],))
            counts = with_visitors(period, scope)  # as reach_figures.published does
            published_reach(counts, reach.threshold())
            db.session.remove()

    def municipality(_: int) -> None:
        with app.app_context():
            published_reach(with_visitors(period, reach.Scope()), reach.threshold())
            db.session.remove()

    def comparison(_: int) -> None:
        with app.app_context():
            rows = reach.reach_per_house(period, devices=False)  # as reach_figures.comparison
            add_house_visitors(rows, period)
            published_comparison(period, rows, CHANNELS, reach.threshold())
            db.session.remove()

    return [
        measure("service: one house, one month", count, one_house),
        measure("service: all houses, one month", count, municipality),
        measure("service: comparison per house, one month", count, comparison, None),
    ]


class Client:
    """One keep-alive HTTP connection to the server."""

    def __init__(self, port: int, headers: dict[str, str]) -> None:
        self.port = port
        self.headers = headers
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def get(self, path: str) -> bytes:
        self.connection.request("GET", path, headers=self.headers)
        response = self.connection.getresponse()
        body = response.read()
        if response.status != 200:
            raise BenchError(f"GET {path} answered {response.status}: {body[:300]!r}")
        return body

    def close(self) -> None:
        self.connection.close()


def session_cookie(port: int) -> str:
    """Log in as the demo gemeente through the JSON API; the cookie also opens the pages."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    body = json.dumps({"email": GEMEENTE, "password": DEMO_PASSWORD})
    connection.request(
        "POST", "/api/v1/session", body=body, headers={"Content-Type": "application/json"}
    )
    response = connection.getresponse()
    response.read()
    cookie = response.getheader("Set-Cookie") or ""
    connection.close()
    if response.status != 200 or not cookie:
        raise BenchError(f"login answered {response.status}")
    return cookie.split(";", 1)[0]


@contextlib.contextmanager
def server(app: Any) -> Iterator[int]:
    from werkzeug.serving import make_server

    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield httpd.server_port
    finally:
        httpd.shutdown()
        thread.join()


def http_series(app: Any, loaded: Loaded, count: int) -> list[Series]:
    first, last = (d.isoformat() for d in loaded.month)
    slugs = [slug for _, slug in loaded.houses]
    with server(app) as port:
        api = Client(
            port, {"Authorization": f"Bearer {loaded.token}", "Accept": "application/json"}
        )
        pages = Client(port, {"Cookie": session_cookie(port)})
        try:
            out = [
                measure(
                    "API: one house, one month",
                    count,
                    lambda i: api.get(
                        f"/api/v1/stats/reach?house={slugs[i % len(slugs)]}&from={first}&to={last}"
                    ),
                ),
                measure(
                    "API: all houses, one month",
                    count,
                    lambda _: api.get(f"/api/v1/stats/reach?from={first}&to={last}"),
                ),
                measure(
                    "page: house, one month",
                    count,
                    lambda i: pages.get(f"/bereik/{slugs[i % len(slugs)]}?van={first}&tot={last}"),
                    None,
                ),
                measure(
                    "page: comparison, one month",
                    count,
                    lambda _: pages.get(f"/bereik/?van={first}&tot={last}"),
                    None,
                ),
                measure(
                    "page: rendement all houses, one month",
                    count,
                    lambda _: pages.get(f"/bereik/rendement?van={first}&tot={last}"),
                    None,
                ),
            ]
        finally:
            api.close()
            pages.close()
    return out


# Reporting ---------------------------------------------------------------------------------


@dataclass
class Outcome:
    kind: str
    loaded: Loaded
    series: list[Series]


def report(outcomes: list[Outcome]) -> str:
    kinds = [o.kind for o in outcomes]
    lines = [
        "| measurement | target p95 | " + " | ".join(f"{k} p50 | {k} p95" for k in kinds) + " |",
        "|---|---:|" + "---:|---:|" * len(kinds),
    ]
    for index, series in enumerate(outcomes[0].series):
        cells = []
        for outcome in outcomes:
            s = outcome.series[index]
            p95 = f"{s.p(95):.1f}"
            if s.target is not None and s.p(95) > s.target:
                p95 = f"**{p95}**"
            cells.append(f"{s.p(50):.1f} | {p95}")
        target = f"≤ {series.target:.0f}" if series.target is not None else "—"
        lines.append(f"| {series.name} | {target} | " + " | ".join(cells) + " |")
    facts = [
        f"{o.kind}: {o.loaded.visits:,} visits, {len(o.loaded.houses)} houses, month "
        f"{o.loaded.month[0]}..{o.loaded.month[1]}, loaded in {o.loaded.seconds:.0f} s, "
        f"visit table with indexes {o.loaded.visit_megabytes:.0f} MB"
        for o in outcomes
    ]
    return "\n".join([*lines, "", *facts])


def run_one(kind: str, args: argparse.Namespace, workdir: Path) -> Outcome:
    log(f"{kind}: fresh database")
    with fresh_database(
        kind, workdir, args.keep, sqlite_name=SQLITE_FILE, pg_name=PG_BENCH_DB
    ) as url:
        app = build_app(url)
        try:
            loaded = load(app, args.visits, random.Random(args.seed))
            series = service_series(app, loaded, args.requests)
            series += http_series(app, loaded, args.requests)
        finally:
            with app.app_context():
                from booking.extensions import db

                db.session.remove()
                db.engine.dispose()
    return Outcome(kind, loaded, series)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--visits", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    args = parser.parse_args(argv)
    kinds = ("sqlite", "postgresql") if args.db == "both" else (args.db,)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
    outcomes = []
    with tempfile.TemporaryDirectory(prefix="stats-bench-") as tmp:
        workdir = Path(tmp) if not args.keep else Path(tempfile.mkdtemp(prefix="stats-bench-"))
        try:
            for kind in kinds:
                outcomes.append(run_one(kind, args, workdir))
        except BenchError as error:
            log(f"error: {error}")
            return 1
    print(report(outcomes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
