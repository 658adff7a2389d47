#!/usr/bin/env python
"""Latency benchmark of the booking API on SQLite and PostgreSQL (a measurement, not a test).

For each database in turn it builds a fresh database with the real migrations, loads the
Oss demo, bulk-inserts N non-overlapping bookings (one year back, one year ahead, all
rooms), starts the app under gunicorn as its own process and measures p50/p95 of the
booking endpoints with one keep-alive connection and sequential requests. Afterwards it
checks in SQL that no two active bookings of one room overlap.

    .venv/bin/python bench/booking_bench.py --db both          # or: make bench

Exit status: 0 when everything ran (missed targets included), 1 on errors (a request
that answered something unexpected, a server that did not start, a double booking).
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import random
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench._common import (  # noqa: E402
    AMSTERDAM,
    BenchError,
    fresh_database,
    gunicorn_process,
    log,
    percentile,
    run_each_database,
)

GRID = timedelta(minutes=15)
OPENS, CLOSES = clock(8, 30), clock(23, 0)
QUARTERS_PER_DAY = 58  # 08:30-23:00
DAYS_BACK = DAYS_AHEAD = 365
CHUNK = 5000
WARMUP = 20
SQLITE_FILE = "buurthuis-bench.sqlite"  # in the run's temp dir
PG_BENCH_DB = "buurthuis_bench"
TOKEN_USER = "bewoner@buurthuis.example"
ACTIVE = ("aangevraagd", "onder_voorbehoud", "bevestigd")
ACTIVITY = {
    "organiser_kind": "vereniging",
    "open_to_all": False,
    "membership_required": True,
    "contribution_cents": 0,
    "profit_making": False,
    "subsidised": False,
    "mainly_meeting": False,
    "gives_in_return": False,
}
TARGETS_MS = {"availability": 20.0, "free-rooms": 20.0, "quote": 20.0, "create": 40.0}
TITLES = (
    "Koffieochtend",
    "Repetitie koor",
    "Taalcafé",
    "Yoga voor 60+",
    "Bewonersoverleg",
    "Huiswerkbegeleiding",
    "Kaartclub",
    "Training",
    "Spreekuur",
    "Repair café",
    "Breiclub",
    "Vergadering VvE",
    "Kinderdisco",
    "Schaakclub",
    "Workshop",
)


# Database preparation ------------------------------------------------------------------


@dataclass
class Prepared:
    url: str
    room_ids: list[int]
    token: str
    today: date
    inserted: int
    seconds: float


def _local(day: date, quarter: int) -> datetime:
    """Quarter `quarter` after 08:30 on `day`, Amsterdam time, as aware UTC."""
    minutes = 8 * 60 + 30 + 15 * quarter
    naive = datetime.combine(day, clock(minutes // 60, minutes % 60))
    return naive.replace(tzinfo=AMSTERDAM).astimezone(UTC)


def _day_plan(rng: random.Random, count: int) -> list[tuple[int, int]]:
    """`count` non-overlapping (first quarter, quarters) pairs inside one opening day."""
    if count == 0:
        return []
    longest = max(2, min(12, QUARTERS_PER_DAY // count))  # 30 min .. 3 h
    lengths = [rng.randint(2, longest) for _ in range(count)]
    while sum(lengths) > QUARTERS_PER_DAY:
        lengths[lengths.index(max(lengths))] -= 1
    slack = QUARTERS_PER_DAY - sum(lengths)
    cuts = sorted(rng.randint(0, slack) for _ in range(count))
    plan, position, previous_cut = [], 0, 0
    for length, cut in zip(lengths, cuts, strict=True):
        position += cut - previous_cut
        previous_cut = cut
        plan.append((position, length))
        position += length
    return plan


def _booking_rows(
    rng: random.Random,
    total: int,
    today: date,
    now: datetime,
    rooms: list[Any],
    organisers: list[tuple[int, Any]],
    weights: list[int],
    taken: dict[int, list[tuple[datetime, datetime]]],
) -> Iterator[dict[str, Any]]:
    """Exactly `total` bookings spread over all rooms and days, never overlapping per room."""
    from booking.rules.pricing import quote_price
    from booking.rules.tariff import decide_tariff
    from booking.services.house_rules import rules_for

    cards = {}
    for room in rooms:
        rules = rules_for(room)
        cards[room.id] = (rules.rate_card, rules.policy.contribution_cap_cents)
    days = [today + timedelta(days=d) for d in range(-DAYS_BACK, DAYS_AHEAD + 1)]
    slots_total = len(days) * len(rooms)
    base, extra = divmod(total, slots_total)
    if base + (1 if extra else 0) > QUARTERS_PER_DAY // 2:
        raise BenchError(f"{total} bookings do not fit in {len(rooms)} rooms x {len(days)} days")
    bonus = set(rng.sample(range(slots_total), extra))
    index = 0
    for day in days:
        for room in rooms:
            count = base + (1 if index in bonus else 0)
            index += 1
            card, cap = cards[room.id]
            for first, length in _day_plan(rng, count):
                start, end = _local(day, first), _local(day, first + length)
                user_id, activity = rng.choices(organisers, weights)[0]
                decision = decide_tariff(activity, cap)
                price = quote_price(card, decision.tariff_group, start, end)
                roll = rng.random()
                if roll < 0.06:
                    status = "geannuleerd"
                elif (
                    roll < 0.16
                    and int(decision.priority_class) > 1
                    and start - now > timedelta(days=14)
                ):
                    status = "onder_voorbehoud"
                else:
                    status = "bevestigd"
                if status != "geannuleerd" and any(
                    s < end and start < e for s, e in taken.get(room.id, ())
                ):
                    status = "geannuleerd"  # the demo already holds this time
                created = min(now, start) - timedelta(days=rng.randint(1, 60))
                yield {
                    "room_id": room.id,
                    "organiser_id": user_id,
                    "series_id": None,
                    "title": rng.choice(TITLES),
                    "public": rng.random() < 0.3,
                    "start": start,
                    "end": end,
                    "status": status,
                    "status_reason": "",
                    "tariff_group": decision.tariff_group.value,
                    "priority_class": int(decision.priority_class),
                    "amount_cents": price.amount_cents,
                    "list_price_cents": price.list_price_cents,
                    "override_reason": "",
                    "displaced_by_id": None,
                    "organiser_kind": activity.organiser_kind.value,
                    "open_to_all": activity.open_to_all,
                    "membership_required": activity.membership_required,
                    "contribution_cents": activity.contribution_cents,
                    "profit_making": activity.profit_making,
                    "subsidised": activity.subsidised,
                    "mainly_meeting": activity.mainly_meeting,
                    "gives_in_return": activity.gives_in_return,
                    "sequence": 0,
                    "created_at": created,
                    "updated_at": created,
                }


def prepare(url: str, total: int, rng: random.Random) -> Prepared:
    """Migrate, load the demo, bulk-insert the bookings, analyse, issue an API token."""
    import flask_migrate
    from sqlalchemy import insert, select, text

    from bench._bench_app import bench_config
    from booking import create_app
    from booking.demo import bookings as demo_bookings
    from booking.demo.loader import load_demo
    from booking.extensions import db
    from booking.models import Booking, Room
    from booking.services import accounts

    began = time.perf_counter()
    app = create_app(bench_config(url))
    with app.app_context():
        flask_migrate.upgrade()
        log("migrated")
        load_demo()
        db.session.commit()
        log("demo loaded")
        rooms = list(
            db.session.scalars(select(Room).where(Room.active.is_(True)).order_by(Room.id))
        )
        profiles = [
            ("bewoner", demo_bookings.RESIDENTS, 35),
            ("vereniging", demo_bookings.CHOIR, 30),
            ("sociaal", demo_bookings.WELFARE, 20),
            ("bedrijf", demo_bookings.COMPANY, 15),
        ]
        organisers, weights = [], []
        for who, activity, weight in profiles:
            user = accounts.find_user(f"{who}@buurthuis.example")
            if user is None:
                raise BenchError(f"demo user {who} is missing")
            organisers.append((user.id, activity))
            weights.append(weight)
        taken: dict[int, list[tuple[datetime, datetime]]] = {}
        for room_id, start, end in db.session.execute(
            select(Booking.room_id, Booking.start, Booking.end).where(Booking.status.in_(ACTIVE))
        ):
            taken.setdefault(room_id, []).append((start, end))
        now = datetime.now(UTC)
        today = now.astimezone(AMSTERDAM).date()
        table = Booking.__table__
        chunk: list[dict[str, Any]] = []
        inserted = 0
        for row in _booking_rows(rng, total, today, now, rooms, organisers, weights, taken):
            chunk.append(row)
            if len(chunk) == CHUNK:
                db.session.execute(insert(table), chunk)
                db.session.commit()
                inserted += len(chunk)
                chunk = []
                if inserted % 50_000 == 0:
                    log(f"{inserted} bookings inserted")
        if chunk:
            db.session.execute(insert(table), chunk)
            db.session.commit()
            inserted += len(chunk)
        log(f"{inserted} bookings inserted; analysing")
        db.session.execute(text("ANALYZE"))
        db.session.commit()
        token = accounts.issue_api_token(accounts.find_user(TOKEN_USER))
        db.session.commit()
        room_ids = [r.id for r in rooms]
        db.session.remove()
        db.engine.dispose()
    return Prepared(url, room_ids, token, today, inserted, time.perf_counter() - began)


def database_facts(url: str) -> dict[str, int]:
    """Booking count and the double-booking check, straight in SQL."""
    from sqlalchemy import create_engine, text

    active = ", ".join(f"'{s}'" for s in ACTIVE)
    # Every overlapping pair has exactly one member whose start lies in [other.start,
    # other.end); ties on start are counted once by id. Index-friendly on (room_id, start).
    pairs = text(f"""
        SELECT COUNT(*) FROM booking a JOIN booking b
          ON b.room_id = a.room_id
         AND b.start >= a.start AND b.start < a."end"
         AND (b.start > a.start OR b.id > a.id)
        WHERE a.status IN ({active}) AND b.status IN ({active})
    """)
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return {
                "bookings": conn.execute(text("SELECT COUNT(*) FROM booking")).scalar_one(),
                "active": conn.execute(
                    text(f"SELECT COUNT(*) FROM booking WHERE status IN ({active})")
                ).scalar_one(),
                "double_bookings": conn.execute(pairs).scalar_one(),
            }
    finally:
        engine.dispose()


# The server ----------------------------------------------------------------------------


@contextlib.contextmanager
def gunicorn(url: str, logfile: Path) -> Iterator[int]:
    """The app under gunicorn as its own process; always terminated on the way out."""
    env = {**os.environ, "BENCH_DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
    with gunicorn_process("bench._bench_app:app", env, logfile, 2, 4) as (process, port):
        log(f"gunicorn pid {process.pid} answers on 127.0.0.1:{port}")
        yield port


# Measuring -----------------------------------------------------------------------------


@dataclass
class Request:
    method: str
    path: str
    body: dict[str, Any] | None = None


@dataclass
class Series:
    name: str
    timings_ms: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    by_status_ms: dict[int, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


class Client:
    """One keep-alive HTTP/1.1 connection; requests strictly one after another."""

    def __init__(self, port: int, token: str) -> None:
        self.port = port
        self.headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def send(self, request: Request) -> tuple[int, bytes, float]:
        headers = dict(self.headers)
        payload = None
        if request.body is not None:
            payload = json.dumps(request.body).encode()
            headers["Content-Type"] = "application/json"
        for attempt in (1, 2):
            try:
                began = time.perf_counter()
                self.conn.request(request.method, request.path, body=payload, headers=headers)
                response = self.conn.getresponse()
                body = response.read()
                elapsed = (time.perf_counter() - began) * 1000
                if response.will_close:
                    self.reconnect()
                return response.status, body, elapsed
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # the server closed an idle keep-alive connection: reconnect, send again
                self.reconnect()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def reconnect(self) -> None:
        self.conn.close()
        self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)

    def close(self) -> None:
        self.conn.close()


def measure(
    client: Client, name: str, make: Callable[[], Request], count: int, ok: tuple[int, ...]
) -> Series:
    series = Series(name)
    for n in range(WARMUP + count):
        request = make()
        status, body, elapsed = client.send(request)
        if status not in ok:
            series.errors.append(
                f"{request.method} {request.path} -> {status}: "
                f"{body[:300].decode(errors='replace')}"
            )
        if n < WARMUP:
            continue
        series.timings_ms.append(elapsed)
        series.statuses[status] += 1
        series.by_status_ms.setdefault(status, []).append(elapsed)
    return series


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M")


def _slot_ahead(rng: random.Random, today: date, quarters: int) -> tuple[str, str]:
    """A grid-aligned slot of `quarters` inside opening hours, 1..365 days ahead (local)."""
    day = today + timedelta(days=rng.randint(1, DAYS_AHEAD))
    first = rng.randint(0, QUARTERS_PER_DAY - quarters)
    start = datetime.combine(day, OPENS) + first * GRID
    return _iso(start), _iso(start + quarters * GRID)


def run_requests(port: int, prepared: Prepared, count: int, rng: random.Random) -> list[Series]:
    today, rooms = prepared.today, prepared.room_ids
    first_monday = today - timedelta(days=DAYS_BACK) + timedelta(days=7)
    first_monday -= timedelta(days=first_monday.weekday())
    weeks = (today + timedelta(days=DAYS_AHEAD) - first_monday).days // 7 - 1

    def availability() -> Request:
        monday = first_monday + timedelta(weeks=rng.randint(0, weeks))
        start = datetime.combine(monday, clock(0))
        return Request(
            "GET",
            f"/api/v1/rooms/{rng.choice(rooms)}/availability"
            f"?from={_iso(start)}&to={_iso(start + timedelta(days=7))}",
        )

    def free_rooms() -> Request:
        start, end = _slot_ahead(rng, today, 8)
        return Request("GET", f"/api/v1/free-rooms?start={start}&end={end}")

    def quote() -> Request:
        start, end = _slot_ahead(rng, today, 4)
        return Request(
            "POST",
            "/api/v1/quote",
            {"room_id": rng.choice(rooms), "start": start, "end": end, "activity": ACTIVITY},
        )

    def create() -> Request:
        start, end = _slot_ahead(rng, today, 4)
        return Request(
            "POST",
            "/api/v1/bookings",
            {
                "room_id": rng.choice(rooms),
                "start": start,
                "end": end,
                "title": "Benchmarkrepetitie",
                "activity": ACTIVITY,
            },
        )

    client = Client(port, prepared.token)
    try:
        plan = [
            ("floor (GET /healthz)", lambda: Request("GET", "/healthz"), (200,)),
            ("availability", availability, (200,)),
            ("free-rooms", free_rooms, (200,)),
            ("quote", quote, (200,)),
            # 422: a slot in the demo's Christmas closure of De Berchplaets
            ("create", create, (201, 409, 422)),
        ]
        results = []
        for name, make, ok in plan:
            log(f"measuring {name}: {WARMUP} warm-up + {count} requests")
            results.append(measure(client, name, make, count, ok))
        return results
    finally:
        client.close()


# Reporting -----------------------------------------------------------------------------


@dataclass
class Outcome:
    kind: str
    prepared: Prepared
    series: list[Series]
    facts: dict[str, int]

    def p95(self, name: str) -> float:
        return percentile(next(s for s in self.series if s.name == name).timings_ms, 95)


def report(outcome: Outcome) -> str:
    lines = [
        f"### {outcome.kind}",
        "",
        "| endpoint | p50 ms | p95 ms | n | target p95 | met |",
        "|---|---:|---:|---:|---:|:---:|",
    ]
    for s in outcome.series:
        target = TARGETS_MS.get(s.name)
        p95 = percentile(s.timings_ms, 95)
        met = "—" if target is None else ("yes" if p95 <= target else "**no**")
        lines.append(
            f"| {s.name} | {percentile(s.timings_ms, 50):.1f} | {p95:.1f} | "
            f"{len(s.timings_ms)} | {'—' if target is None else f'≤ {target:g}'} | {met} |"
        )
        if s.name == "create":
            for status in sorted(s.by_status_ms):
                values = s.by_status_ms[status]
                lines.append(
                    f"| create, only {status} | {percentile(values, 50):.1f} | "
                    f"{percentile(values, 95):.1f} | {len(values)} | | |"
                )
    create = next(s for s in outcome.series if s.name == "create")
    floor = next(s for s in outcome.series if s.name.startswith("floor"))
    facts = outcome.facts
    lines += [
        "",
        f"- floor (GET /healthz): p50 {percentile(floor.timings_ms, 50):.1f} ms, "
        f"p95 {percentile(floor.timings_ms, 95):.1f} ms",
        f"- bookings in the database after the run: {facts['bookings']} "
        f"({facts['active']} active; {outcome.prepared.inserted} bulk-inserted, "
        f"preparation took {outcome.prepared.seconds:.0f} s)",
        f"- create outcomes: 201 = {create.statuses.get(201, 0)}, "
        f"409 = {create.statuses.get(409, 0)}, other = "
        f"{sum(v for k, v in create.statuses.items() if k not in (201, 409))} "
        f"(warm-up requests not counted)",
        f"- double bookings (pairs of overlapping active bookings of one room): "
        f"{facts['double_bookings']}",
    ]
    errors = [e for s in outcome.series for e in s.errors]
    if errors:
        lines.append(f"- ERRORS: {len(errors)} unexpected answers; first ones:")
        lines += [f"  - {e}" for e in errors[:5]]
    return "\n".join(lines)


def comparison(outcomes: list[Outcome]) -> str:
    head = "| endpoint | target p95 | " + " | ".join(f"{o.kind} p95" for o in outcomes) + " |"
    lines = ["### Targets", "", head, "|---|---:|" + "---:|" * len(outcomes)]
    for name, target in TARGETS_MS.items():
        cells = []
        for o in outcomes:
            p95 = o.p95(name)
            cells.append(
                f"{p95:.1f} {'ok' if p95 <= target else f'**missed ({p95 / target:.1f}×)**'}"
            )
        lines.append(f"| {name} | ≤ {target:g} ms | " + " | ".join(cells) + " |")
    return "\n".join(lines)


# Main ----------------------------------------------------------------------------------


def run_one(kind: str, args: argparse.Namespace, workdir: Path) -> Outcome:
    rng = random.Random(args.seed)
    log(f"== {kind}: preparing {args.bookings} bookings ==")
    with fresh_database(
        kind, workdir, args.keep, sqlite_name=SQLITE_FILE, pg_name=PG_BENCH_DB
    ) as url:
        prepared = prepare(url, args.bookings, rng)
        log(f"{kind} prepared in {prepared.seconds:.0f} s")
        with gunicorn(url, workdir / f"gunicorn-{kind}.log") as port:
            series = run_requests(port, prepared, args.requests, rng)
        facts = database_facts(url)
        if args.keep:
            log(f"kept the {kind} database: {url}")
    return Outcome(kind, prepared, series, facts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--bookings", type=int, default=150_000, help="bookings to insert")
    parser.add_argument("--requests", type=int, default=300, help="measured requests per endpoint")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the databases (and the SQLite temp dir) for profiling",
    )
    args = parser.parse_args(argv)
    outcomes, failed = run_each_database(args, "buurthuis-bench-", run_one)
    print(
        f"\n## Booking benchmark, {datetime.now(AMSTERDAM):%Y-%m-%d %H:%M} "
        f"({args.bookings} bookings, {args.requests} requests per endpoint, "
        f"gunicorn -w 2 -k gthread --threads 4)\n"
    )
    for outcome in outcomes:
        print(report(outcome), end="\n\n")
        failed |= any(s.errors for s in outcome.series)
        failed |= outcome.facts["double_bookings"] != 0
    if outcomes:
        print(comparison(outcomes))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
