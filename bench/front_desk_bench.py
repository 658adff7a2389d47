#!/usr/bin/env python
"""Latency benchmark of the front desk on SQLite and PostgreSQL (a measurement, not a test).

The same municipality's year as `booking_bench.py` (the Oss demo plus N bulk-inserted
bookings, 30 % of them public), under gunicorn, one keep-alive connection, sequential
requests. It measures the pages a house uses every day:

- the house week calendar of a beheerder (`/beheer/<slug>/agenda/week`, a random week of
  the two years), logged in through the JSON session;
- a house's public agenda (`/huizen/<slug>`, a random house) and the municipality's
  agenda (`/wat-is-er-te-doen`, with and without a day filter), anonymous;
- a booking change (`PATCH /api/v1/bookings/{id}`), moving bookings the resident has just
  made to another free-looking time (200, or 409 when that time is taken).

    .venv/bin/python bench/front_desk_bench.py --db both

Exit status: 0 when everything ran (missed targets included), 1 on errors.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench._common import (  # noqa: E402
    AMSTERDAM,
    BenchError,
    fresh_database,
    log,
    percentile,
    run_each_database,
)
from bench.booking_bench import (  # noqa: E402
    ACTIVITY,
    DAYS_AHEAD,
    DAYS_BACK,
    PG_BENCH_DB,
    SQLITE_FILE,
    WARMUP,
    Client,
    Outcome,
    Request,
    Series,
    _slot_ahead,
    database_facts,
    gunicorn,
    measure,
    prepare,
)

TARGETS_MS = {
    "house week calendar": 30.0,
    "public house agenda": 30.0,
    "municipality agenda": 30.0,
    "municipality agenda, one day": 30.0,
    "booking change": 40.0,
}
BEHEERDER_PASSWORD = "buurthuis-demo"


def _house_slugs(url: str) -> list[str]:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(text("SELECT slug FROM house ORDER BY id")).scalars())
    finally:
        engine.dispose()


def _session_cookie(client: Client, email: str) -> str:
    """Log in through POST /api/v1/session and keep the session cookie it sets."""
    body = json.dumps({"email": email, "password": BEHEERDER_PASSWORD}).encode()
    client.conn.request(
        "POST", "/api/v1/session", body=body, headers={"Content-Type": "application/json"}
    )
    response = client.conn.getresponse()
    response.read()
    cookie = response.getheader("Set-Cookie", "")
    if response.status != 200 or not cookie.startswith("session="):
        raise BenchError(f"logging in {email} answered {response.status}")
    return cookie.split(";", 1)[0]


def _new_bookings(client: Client, rng: random.Random, rooms: list[int], today: date, n: int):
    """`n` bookings the resident makes now (the ones the change series then moves)."""
    made: list[int] = []
    while len(made) < n:
        start, end = _slot_ahead(rng, today, 4)
        status, body, _ms = client.send(
            Request(
                "POST",
                "/api/v1/bookings",
                {
                    "room_id": rng.choice(rooms),
                    "start": start,
                    "end": end,
                    "title": "Te verplaatsen",
                    "activity": ACTIVITY,
                },
            )
        )
        if status == 201:
            made.append(json.loads(body)["id"])
        elif status not in (409, 422):  # taken, or in the demo's Christmas closure
            raise BenchError(f"creating a booking to move answered {status}: {body[:200]!r}")
    return made


def run_requests(port: int, prepared: Any, count: int, rng: random.Random) -> list[Series]:
    today, rooms = prepared.today, prepared.room_ids
    slugs = _house_slugs(prepared.url)
    first_day = today - timedelta(days=DAYS_BACK)
    staff = Client(port, prepared.token)
    anonymous = Client(port, prepared.token)
    anonymous.headers = {"Accept": "text/html"}
    resident = Client(port, prepared.token)
    try:
        house = slugs[0]
        staff.headers = {
            "Accept": "text/html",
            "Cookie": _session_cookie(staff, f"beheer.{house}@buurthuis.example"),
        }

        def week() -> Request:
            day = first_day + timedelta(days=rng.randint(0, DAYS_BACK + DAYS_AHEAD))
            return Request("GET", f"/beheer/{house}/agenda/week?dag={day.isoformat()}")

        def house_agenda() -> Request:
            return Request("GET", f"/huizen/{rng.choice(slugs)}")

        def municipality() -> Request:
            return Request("GET", "/wat-is-er-te-doen")

        def municipality_day() -> Request:
            # the agenda's fortnight: today up to and including next week's Sunday
            day = today + timedelta(days=rng.randint(0, 13 - today.weekday()))
            return Request("GET", f"/wat-is-er-te-doen?dag={day.isoformat()}")

        log(f"the resident makes {WARMUP + count} bookings to move")
        to_move = iter(_new_bookings(resident, rng, rooms, today, WARMUP + count))

        def change() -> Request:
            start, end = _slot_ahead(rng, today, 4)
            return Request(
                "PATCH", f"/api/v1/bookings/{next(to_move)}", {"start": start, "end": end}
            )

        plan = [
            ("floor (GET /healthz)", anonymous, lambda: Request("GET", "/healthz"), (200,)),
            ("house week calendar", staff, week, (200,)),
            ("public house agenda", anonymous, house_agenda, (200,)),
            ("municipality agenda", anonymous, municipality, (200,)),
            ("municipality agenda, one day", anonymous, municipality_day, (200,)),
            ("booking change", resident, change, (200, 409, 422)),
        ]
        results = []
        for name, client, make, ok in plan:
            log(f"measuring {name}: {count} requests after warm-up")
            results.append(measure(client, name, make, count, ok))
        return results
    finally:
        for client in (staff, anonymous, resident):
            client.close()


def report(outcome: Outcome) -> str:
    lines = [
        f"### {outcome.kind}",
        "",
        "| page | p50 ms | p95 ms | n | target p95 | met |",
        "|---|---:|---:|---:|---:|:---:|",
    ]
    for s in outcome.series:
        target = TARGETS_MS.get(s.name)
        p95 = percentile(s.timings_ms, 95)
        met = "—" if target is None else ("yes" if p95 <= target else "**no**")
        statuses = ", ".join(f"{k}: {v}" for k, v in sorted(s.statuses.items()))
        lines.append(
            f"| {s.name} ({statuses}) | {percentile(s.timings_ms, 50):.1f} | {p95:.1f} | "
            f"{len(s.timings_ms)} | {'—' if target is None else f'≤ {target:g}'} | {met} |"
        )
    facts = outcome.facts
    lines += [
        "",
        f"- bookings in the database after the run: {facts['bookings']} ({facts['active']} active)",
        f"- double bookings (pairs of overlapping active bookings of one room): "
        f"{facts['double_bookings']}",
    ]
    errors = [e for s in outcome.series for e in s.errors]
    if errors:
        lines.append(f"- ERRORS: {len(errors)} unexpected answers; first ones:")
        lines += [f"  - {e}" for e in errors[:5]]
    return "\n".join(lines)


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
    return Outcome(kind, prepared, series, facts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--bookings", type=int, default=150_000, help="bookings to insert")
    parser.add_argument("--requests", type=int, default=200, help="measured requests per page")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    args = parser.parse_args(argv)
    outcomes, failed = run_each_database(args, "buurthuis-front-desk-bench-", run_one)
    print(
        f"\n## Front-desk benchmark, {datetime.now(AMSTERDAM):%Y-%m-%d %H:%M} "
        f"({args.bookings} bookings, {args.requests} requests per page)\n"
    )
    for outcome in outcomes:
        print(report(outcome), end="\n\n")
        failed |= any(s.errors for s in outcome.series)
        failed |= outcome.facts["double_bookings"] != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
