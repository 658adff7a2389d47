#!/usr/bin/env python
"""Throughput benchmark of kiosk check-ins on SQLite and PostgreSQL (a measurement).

For each database in turn it builds a fresh database with the real migrations, loads the
Oss demo, pairs one kiosk per house with the service functions, starts the app under
gunicorn (`-w 4 -k gthread --threads 4`) and, from a threaded load generator with
keep-alive connections, fires

- N tablet taps (`POST /kiosk/tik`, a unique uuid4 client id each) spread over the 13
  kiosks, plus a replay of 10 % of those client ids (an offline queue sent again),
  mixed into the same run once their first answer came back;
- 50 more client ids sent twice at the same moment on two connections (a retry while the
  first request is still being answered): one must answer 201, the other 200;
- M phone check-ins (`GET /k/<token>`, then `POST` it with the form's csrf_token), each
  phone with its own cookie jar, then the POST again for 100 of them (same device cookie:
  nothing more may be counted), and 50 more phones that POST twice at the same moment
  (a double tap on *Inchecken*);
- K visitor card reads (`POST /kiosk/kaart`, the JSON of static/js/kiosk-card.js), each a
  card never read before with a unique client id, spread over the kiosks; mixed into the
  run once their first answer came back, a replay of 10 % of those client ids (the
  offline queue) and a re-read of 10 % of those cards with a new client id (the same
  card held up again within three hours): neither may count; then 50 more cards posted
  at the same moment on two connections with two client ids (one camera read, one
  scanner read): one must answer 201;

and checks in SQL that every unique client id, every phone and every card made exactly one
visit. The cards are printed in the preparation with the service
(`booking.services.visitor_cards.print_cards`, ceil(reads / 13) per house), and their plain
codes read back, so that every read is of a card of its kiosk's house and is new. A card
visit must have channel `kaart` and no flag but a burst one: reads are stamped with the
moment they are sent, as the tablet does, so at hundreds a second each kiosk passes the
burst limit of 30 a minute and its visits are flagged `piek`, which is the product working
(the cost of a read is the same either way).

The demo houses are opened around the clock in the benchmark database, so every
check-in takes the daytime path whatever the hour; the tablets poll `/kiosk/status.json`
before each run, as their page does. QR tokens are signed in this process with
`kiosk.places.qr_token` and a SECRET_KEY shared with the server (BENCH_SECRET_KEY).
The app (bench/_checkin_app.py) runs with the rate limiter off. `--trace` makes the server
write, per request, the number of SQL statements, the time in SQL, and the time spent
waiting for and holding SQLite's write lock; the report then shows them.

    .venv/bin/python bench/checkin_bench.py --db both     # --db sqlite|postgresql|both

Exit status: 0 when everything ran (a missed target included), 1 on a lost or doubly
counted check-in, an unexpected answer, or a server that did not start.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import random
import re
import resource
import secrets
import shutil
import statistics
import sys
import threading
import time
import urllib.parse
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
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

APP_MODULE = "bench._checkin_app:app"
SQLITE_FILE = "buurthuis-checkin.sqlite"  # in the run's temp dir
PG_BENCH_DB = "buurthuis_checkin_bench"  # not booking_bench's database: both may run
TARGET_TAPS_PER_S = 300.0
TARGET_CARDS_PER_S = 300.0  # issue 14: card reads must keep up with the taps
TOKEN_HORIZON = timedelta(minutes=90)  # QR tokens are signed ahead for this long
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')
ALREADY = "U was al ingecheckt"
ALL_DAY = (clock(0, 0), clock(23, 59, 59))
CLK_TCK = os.sysconf("SC_CLK_TCK")


class Failure(Exception):
    """A request that answered something the benchmark did not expect."""


# Database preparation ------------------------------------------------------------------


@dataclass
class Tablet:
    kiosk_id: int
    house: str
    credential: str
    tokens: dict[int, str]  # QR token per time slot (kiosk.tokens.slot_of), signed ahead
    slot_seconds: int

    def token(self) -> str:
        """The token the kiosk shows now (its QR changes every slot)."""
        slot = int(time.time()) // self.slot_seconds
        try:
            return self.tokens[slot]
        except KeyError:
            raise BenchError(f"no QR token signed for slot {slot}: the run took too long") from None


@dataclass
class Prepared:
    url: str
    tablets: list[Tablet]
    seconds: float
    cards: dict[str, list[str]]  # unread card codes per house slug (popped as they are read)


def prepare(url: str, secret_key: str, card_reads: int) -> Prepared:
    """Migrate, load the demo, pair one kiosk per house, sign its QR tokens ahead and
    print enough visitor cards that each of `card_reads` reads is of a new card."""
    import flask_migrate
    from sqlalchemy import select

    from bench._checkin_app import checkin_config
    from booking import create_app
    from booking.demo.loader import load_demo
    from booking.extensions import db
    from booking.models import House, VisitorCard
    from booking.rules.visitor_cards import PRINT_BATCH_MAX
    from booking.services import accounts, visitor_cards
    from kiosk import pairing, places, tokens

    began = time.perf_counter()
    app = create_app(checkin_config(url, secret_key))
    tablets = []
    with app.app_context():
        flask_migrate.upgrade()
        log("migrated")
        load_demo()
        db.session.commit()
        log("demo loaded")
        houses = list(db.session.scalars(select(House).order_by(House.id)))
        # Open around the clock, so that every check-in takes the daytime path (the
        # burst count included) whatever the hour the benchmark runs at; outside the
        # opening hours a visit is flagged at once and the burst query is skipped.
        for house in houses:
            for period in house.opening_hours:
                period.opens, period.closes = ALL_DAY
        db.session.commit()
        now = datetime.now(UTC)
        for house in houses:
            beheerder = accounts.find_user(f"beheer.{house.slug}@buurthuis.example")
            if beheerder is None:
                raise BenchError(f"demo beheerder of {house.slug} is missing")
            room = next((r for r in house.rooms if r.is_huiskamer and r.active), None)
            room = room or next(r for r in house.rooms if r.active)
            kiosk, code = pairing.create_kiosk(beheerder, room.id, now, "Benchmarktablet")
            db.session.commit()
            kiosk, credential = pairing.pair(code, now)
            db.session.commit()
            signed = {}
            moment = now
            while moment <= now + TOKEN_HORIZON:
                signed[tokens.slot_of(moment)] = places.qr_token(kiosk, moment)
                moment += timedelta(seconds=tokens.SLOT_SECONDS)
            tablets.append(Tablet(kiosk.id, house.slug, credential, signed, tokens.SLOT_SECONDS))
        log(f"paired {len(tablets)} kiosks")
        # The reads go round-robin over the kiosks, so ceil(reads / houses) cards per
        # house suffice; printed as a beheerder does, in batches of at most 100.
        cards_began = time.perf_counter()
        per_house = -(-card_reads // len(houses)) if card_reads > 0 else 0
        for house in houses:
            left = per_house
            while left > 0:
                left -= visitor_cards.print_cards(house, min(left, PRINT_BATCH_MAX), now).size
        db.session.commit()
        cards: dict[str, list[str]] = {house.slug: [] for house in houses}
        rows = db.session.execute(
            select(House.slug, VisitorCard.plain_code)
            .join(House, House.id == VisitorCard.house_id)
            .order_by(VisitorCard.id)
        )
        for slug, code in rows:
            cards[slug].append(code)
        card_seconds = time.perf_counter() - cards_began
        db.session.remove()
        db.engine.dispose()
    log(f"printed {sum(map(len, cards.values()))} visitor cards in {card_seconds:.1f} s")
    return Prepared(url, tablets, time.perf_counter() - began, cards)


def sql(url: str, query: str, **params: Any) -> list[tuple[Any, ...]]:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(text(query), params)]
    finally:
        engine.dispose()


def max_visit_id(url: str) -> int:
    return sql(url, "SELECT COALESCE(MAX(id), 0) FROM visit")[0][0]


# The server ----------------------------------------------------------------------------


@dataclass
class Server:
    port: int
    pid: int

    def cpu_seconds(self) -> dict[int, float]:
        """utime+stime of the master and each worker (pid -> seconds), from /proc."""
        result = {}
        for pid in [self.pid, *_children(self.pid)]:
            with contextlib.suppress(OSError):
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                result[pid] = (int(fields[11]) + int(fields[12])) / CLK_TCK
        return result


def machine_jiffies() -> tuple[int, int]:
    """(busy, total) CPU jiffies of the whole machine since boot, from /proc/stat."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    user, nice, system, idle, iowait, irq, softirq, steal = fields
    busy = user + nice + system + irq + softirq + steal
    return busy, busy + idle + iowait


def postgres_cpu_seconds() -> float:
    """utime+stime of every `postgres` process on the machine (ours and anyone else's)."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            head, tail = (entry / "stat").read_text().rsplit(")", 1)
            if head.split("(", 1)[1] == "postgres":
                fields = tail.split()
                total += (int(fields[11]) + int(fields[12])) / CLK_TCK
    return total


def _children(parent: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == parent:
                found.append(int(entry.name))
    return sorted(found)


@contextlib.contextmanager
def gunicorn(
    url: str, secret_key: str, logfile: Path, workers: int, threads: int, trace: Path | None
) -> Iterator[Server]:
    """The app under gunicorn as its own process; always terminated on the way out."""
    env = {
        **os.environ,
        "BENCH_DATABASE_URL": url,
        "BENCH_SECRET_KEY": secret_key,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    env.pop("BENCH_TRACE_DIR", None)
    if trace is not None:
        env["BENCH_TRACE_DIR"] = str(trace)
    with gunicorn_process(APP_MODULE, env, logfile, workers, threads) as (process, port):
        deadline = time.monotonic() + 30
        while len(_children(process.pid)) < workers and time.monotonic() < deadline:
            time.sleep(0.1)
        log(f"gunicorn pid {process.pid} answers on 127.0.0.1:{port} ({workers} workers)")
        yield Server(port, process.pid)


# The load generator --------------------------------------------------------------------


class Connection:
    """One keep-alive HTTP/1.1 connection; reconnects when the server closed it idle."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def send(
        self, method: str, path: str, body: bytes | None, headers: dict[str, str]
    ) -> tuple[int, http.client.HTTPMessage, bytes, float, float]:
        """(status, headers, body, started, elapsed ms)."""
        for attempt in (1, 2):
            try:
                began = time.perf_counter()
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                elapsed = (time.perf_counter() - began) * 1000
                if response.will_close:
                    self.reconnect()
                return response.status, response.msg, data, began, elapsed
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.reconnect()  # an idle keep-alive connection the server closed
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def reconnect(self) -> None:
        self.conn.close()
        self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)

    def close(self) -> None:
        self.conn.close()


@dataclass
class Sample:
    kind: str
    started: float
    elapsed_ms: float


# A job runs on one connection, returns its samples and optionally follow-up jobs that
# are mixed into the rest of the queue (a replay is sent only after its first answer).
Job = Callable[[Connection], tuple[list[Sample], list["Job"]]]


@dataclass
class Run:
    samples: list[Sample]
    errors: list[str]
    wall_s: float
    generator_cpu_s: float
    server_cpu_s: dict[int, float]
    load_before: float
    postgres_cpu_s: float = 0.0
    machine_busy_s: float = 0.0  # all CPU time used on the machine during the run

    def of(self, kind: str) -> list[float]:
        return [s.elapsed_ms for s in self.samples if s.kind == kind]

    def count(self, kind: str) -> int:
        return sum(1 for s in self.samples if s.kind == kind)


def run_jobs(server: Server, jobs: list[Job], concurrency: int, rng: random.Random) -> Run:
    """Run the jobs on `concurrency` threads with one keep-alive connection each."""
    queue = list(reversed(jobs))
    lock = threading.Lock()
    samples: list[Sample] = []
    errors: list[str] = []
    connections = [Connection(server.port) for _ in range(concurrency)]

    def worker(conn: Connection) -> None:
        mine: list[Sample] = []
        while True:
            with lock:
                if not queue or len(errors) > 50:
                    break
                job = queue.pop()
            try:
                got, more = job(conn)
            except Failure as failure:
                with lock:
                    errors.append(str(failure))
                continue
            except Exception as error:  # reported; makes the run fail
                with lock:
                    errors.append(f"{type(error).__name__}: {error}")
                conn.reconnect()
                continue
            mine.extend(got)
            if more:
                with lock:
                    for follow_up in more:
                        queue.insert(rng.randint(0, len(queue)), follow_up)
        with lock:
            samples.extend(mine)

    load_before = os.getloadavg()[0]
    cpu_before = server.cpu_seconds()
    postgres_before = postgres_cpu_seconds()
    machine_before = machine_jiffies()
    own_before = resource.getrusage(resource.RUSAGE_SELF)
    threads = [threading.Thread(target=worker, args=(c,), daemon=True) for c in connections]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ended = time.perf_counter()
    own_after = resource.getrusage(resource.RUSAGE_SELF)
    machine_after = machine_jiffies()
    cpu_after = server.cpu_seconds()
    postgres_after = postgres_cpu_seconds()
    for conn in connections:
        conn.close()
    if samples:
        first = min(s.started for s in samples)
        last = max(s.started + s.elapsed_ms / 1000 for s in samples)
        wall = last - first
    else:
        wall = ended - began
    return Run(
        samples,
        errors,
        wall,
        (own_after.ru_utime + own_after.ru_stime) - (own_before.ru_utime + own_before.ru_stime),
        {pid: cpu_after[pid] - cpu_before.get(pid, 0.0) for pid in cpu_after},
        load_before,
        postgres_after - postgres_before,
        (machine_after[0] - machine_before[0]) / CLK_TCK,
    )


# Tablet taps ---------------------------------------------------------------------------


def tap_job(
    tablet: Tablet,
    client_id: str,
    tapped_at: str,
    kind: str,
    replay: bool,
    answers: dict[str, list[tuple[int, Any]]],
) -> Job:
    """One tap; `replay` marks an original whose client id is sent a second time."""
    body = json.dumps({"client_id": client_id, "tapped_at": tapped_at}).encode()
    headers = {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "Cookie": f"bh_kiosk={tablet.credential}",
    }

    def job(conn: Connection) -> tuple[list[Sample], list[Job]]:
        status, _headers, data, started, elapsed = conn.send("POST", "/kiosk/tik", body, headers)
        try:
            counted = json.loads(data).get("counted")
        except (ValueError, AttributeError):
            counted = None
        answers.setdefault(client_id, []).append((status, counted))
        sample = [Sample(kind, started, elapsed)]
        if kind == "replay":
            if (status, counted) != (200, False):
                raise Failure(f"replay of {client_id} answered {status} {data[:200]!r}")
            return sample, []
        if (status, counted) != (201, True):
            raise Failure(f"tap {client_id} answered {status} {data[:200]!r}")
        follow = [tap_job(tablet, client_id, tapped_at, "replay", False, answers)]
        return sample, follow if replay else []

    return job


def race_job(
    tablet: Tablet, client_id: str, barrier: threading.Barrier, answers: dict[str, list[Any]]
) -> Job:
    """Half of a pair: the same client id sent on two connections at the same moment
    (a retry fired while the first request is still being answered)."""
    body = json.dumps({"client_id": client_id}).encode()
    headers = {"Content-Type": "application/json", "Cookie": f"bh_kiosk={tablet.credential}"}

    def job(conn: Connection) -> tuple[list[Sample], list[Job]]:
        barrier.wait(timeout=60)
        status, _headers, data, started, elapsed = conn.send("POST", "/kiosk/tik", body, headers)
        try:
            counted = json.loads(data).get("counted")
        except (ValueError, AttributeError):
            counted = None
        answers.setdefault(client_id, []).append((status, counted))
        if status not in (200, 201):
            raise Failure(f"simultaneous tap {client_id} answered {status} {data[:200]!r}")
        return [Sample("race", started, elapsed)], []

    return job


@dataclass
class TapResult:
    warmup: Run
    run: Run
    expected_ids: int
    replays_sent: int
    replay_answers: Counter[tuple[int, Any]]
    new_rows: int
    found_ids: int
    lost: int
    unexpected: int
    duplicates: int
    reasons: dict[str, int]
    race: Run
    race_pairs: int
    race_answers: Counter[tuple[tuple[int, Any], ...]]


def run_taps(
    server: Server, prepared: Prepared, args: argparse.Namespace, rng: random.Random
) -> TapResult:
    base_id = max_visit_id(prepared.url)
    tablets = prepared.tablets
    answers: dict[str, list[tuple[int, Any]]] = {}
    now = datetime.now(UTC)

    def taps(count: int, offset: int, replay_fraction: float, kind: str) -> list[Job]:
        ids = [str(uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in range(count)]
        replayed = set(rng.sample(range(count), round(count * replay_fraction)))
        jobs = []
        for n, client_id in enumerate(ids):
            tapped_at = (now - timedelta(seconds=rng.randint(0, 900))).isoformat()
            tablet = tablets[(offset + n) % len(tablets)]
            jobs.append(tap_job(tablet, client_id, tapped_at, kind, n in replayed, answers))
        return jobs

    heartbeat(server, prepared)
    log(f"tablet warm-up: {args.warmup} taps")
    warmup = run_jobs(server, taps(args.warmup, 0, 0.0, "warmup"), args.concurrency, rng)
    log(f"tablet run: {args.taps} taps + {args.replay:.0%} replayed, {args.concurrency} conns")
    run = run_jobs(server, taps(args.taps, args.warmup, args.replay, "tap"), args.concurrency, rng)
    log(f"tablet run took {run.wall_s:.1f} s")
    race_answers: dict[str, list[Any]] = {}
    pairs = []
    for n in range(args.races):
        client_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        tablet, barrier = tablets[n % len(tablets)], threading.Barrier(2)
        pairs += [race_job(tablet, client_id, barrier, race_answers) for _ in range(2)]
    log(f"simultaneous duplicates: {args.races} client ids sent twice at the same moment")
    race = run_jobs(server, pairs, max(2, args.concurrency), rng)
    rows = sql(
        prepared.url,
        "SELECT client_id, channel FROM visit WHERE id > :base ORDER BY id",
        base=base_id,
    )
    found = [client_id for client_id, _channel in rows]
    expected = set(answers) | set(race_answers)
    reasons = dict(
        sql(
            prepared.url,
            "SELECT suspicious_reason, COUNT(*) FROM visit WHERE id > :base "
            "GROUP BY suspicious_reason",
            base=base_id,
        )
    )
    return TapResult(
        warmup=warmup,
        run=run,
        expected_ids=len(expected),
        replays_sent=run.count("replay"),
        replay_answers=Counter(a[1] for a in answers.values() if len(a) > 1),
        new_rows=len(rows),
        found_ids=len(set(found) & expected),
        lost=len(expected - set(found)),
        unexpected=len(set(found) - expected),
        duplicates=len(found) - len(set(found)),
        reasons={k or "—": v for k, v in reasons.items()},
        race=race,
        race_pairs=args.races,
        race_answers=Counter(tuple(sorted(a)) for a in race_answers.values()),
    )


# Phones --------------------------------------------------------------------------------


@dataclass
class Phone:
    tablet: Tablet
    jar: dict[str, str] = field(default_factory=dict)
    csrf: str = ""

    def cookie_header(self) -> dict[str, str]:
        if not self.jar:
            return {}
        return {"Cookie": "; ".join(f"{k}={v}" for k, v in self.jar.items())}

    def keep(self, headers: http.client.HTTPMessage) -> None:
        for line in headers.get_all("Set-Cookie") or []:
            name, _, value = line.split(";", 1)[0].partition("=")
            self.jar[name.strip()] = value.strip()


def phone_job(phone: Phone) -> Job:
    """A fresh phone: open the QR link, then press *Inchecken*."""

    def job(conn: Connection) -> tuple[list[Sample], list[Job]]:
        path, started, get_ms = open_phone(conn, phone)
        status, headers, data, _started, post_ms = post_phone(conn, phone, path)
        if status != 302 or not headers.get("Location", "").endswith("/k/vragen"):
            raise Failure(f"POST {path} answered {status} {data[:200]!r}")
        phone.keep(headers)
        return [
            Sample("phone_get", started, get_ms),
            Sample("phone_post", started + get_ms / 1000, post_ms),
            Sample("phone", started, get_ms + post_ms),
        ], []

    return job


def open_phone(conn: Connection, phone: Phone) -> tuple[str, float, float]:
    """GET the QR link: keep the cookies and the form's csrf_token; (path, started, ms)."""
    path = f"/k/{phone.tablet.token()}"
    status, headers, data, started, elapsed = conn.send("GET", path, None, phone.cookie_header())
    if status != 200:
        raise Failure(f"GET {path} answered {status}")
    phone.keep(headers)
    match = CSRF_FIELD.search(data.decode())
    if match is None or "bh_apparaat" not in phone.jar:
        raise Failure(f"GET {path}: no csrf_token or no device cookie")
    phone.csrf = match.group(1)
    return path, started, elapsed


def post_phone(
    conn: Connection, phone: Phone, path: str
) -> tuple[int, http.client.HTTPMessage, bytes, float, float]:
    body = urllib.parse.urlencode({"csrf_token": phone.csrf}).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded", **phone.cookie_header()}
    return conn.send("POST", path, body, headers)


def repeat_job(phone: Phone) -> Job:
    """The same phone presses *Inchecken* again (current QR, same cookies): not counted."""

    def job(conn: Connection) -> tuple[list[Sample], list[Job]]:
        path = f"/k/{phone.tablet.token()}"
        status, headers, data, started, elapsed = post_phone(conn, phone, path)
        if status != 302:
            raise Failure(f"repeat POST {path} answered {status} {data[:200]!r}")
        phone.keep(headers)
        status, headers, data, _s, _ms = conn.send("GET", "/k/vragen", None, phone.cookie_header())
        if status != 200 or ALREADY not in data.decode():
            raise Failure(f"repeat of a phone: /k/vragen did not say '{ALREADY}' ({status})")
        phone.keep(headers)
        return [Sample("repeat_post", started, elapsed)], []

    return job


def double_post_job(phone: Phone, path: str, barrier: threading.Barrier) -> Job:
    """Half of a double tap on *Inchecken*: the same phone POSTs twice at the same moment."""

    def job(conn: Connection) -> tuple[list[Sample], list[Job]]:
        barrier.wait(timeout=60)
        status, _headers, data, started, elapsed = post_phone(conn, phone, path)
        if status != 302:
            raise Failure(f"double POST {path} answered {status} {data[:200]!r}")
        return [Sample("phone_race", started, elapsed)], []

    return job


@dataclass
class PhoneResult:
    run: Run
    repeat: Run
    new_rows: int
    distinct_devices: int
    rows_after_repeat: int
    race: Run
    race_phones: int
    race_rows: int
    race_devices: int
    warmed: int  # warm-up check-ins before the run, included in new_rows

    @property
    def expected(self) -> int:
        return self.warmed + self.run.count("phone")


def run_phones(
    server: Server, prepared: Prepared, args: argparse.Namespace, rng: random.Random
) -> PhoneResult:
    base_id = max_visit_id(prepared.url)
    tablets = prepared.tablets
    warm = [Phone(tablets[n % len(tablets)]) for n in range(args.phone_warmup)]
    phones = [Phone(tablets[n % len(tablets)]) for n in range(args.phones)]
    heartbeat(server, prepared)
    log(f"phone warm-up: {len(warm)} phones")
    warmup = run_jobs(server, [phone_job(p) for p in warm], args.concurrency, rng)
    log(f"phone run: {args.phones} phones (GET + POST), {args.concurrency} connections")
    run = run_jobs(server, [phone_job(p) for p in phones], args.concurrency, rng)
    run.errors[:0] = warmup.errors
    log(f"phone run took {run.wall_s:.1f} s")
    rows = sql(
        prepared.url,
        "SELECT COUNT(*), COUNT(DISTINCT device_hash) FROM visit WHERE id > :base",
        base=base_id,
    )[0]
    done = [p for p in phones if p.csrf and "session" in p.jar]
    again = rng.sample(done, min(args.repeat_phones, len(done)))
    log(f"phone repeat: {len(again)} phones press again")
    repeat = run_jobs(server, [repeat_job(p) for p in again], args.concurrency, rng)
    after = sql(prepared.url, "SELECT COUNT(*) FROM visit WHERE id > :base", base=base_id)[0][0]

    race_base = max_visit_id(prepared.url)
    doubles = [Phone(tablets[n % len(tablets)]) for n in range(args.phone_races)]
    log(f"double taps: {len(doubles)} new phones POST twice at the same moment")
    paths: dict[int, str] = {}

    def opener(phone: Phone) -> Job:
        def job(conn: Connection) -> tuple[list[Sample], list[Job]]:
            paths[id(phone)] = open_phone(conn, phone)[0]
            return [], []

        return job

    opened = run_jobs(server, [opener(p) for p in doubles], args.concurrency, rng)
    pairs = []
    for phone in doubles:
        if id(phone) in paths:
            barrier = threading.Barrier(2)
            pairs += [double_post_job(phone, paths[id(phone)], barrier) for _ in range(2)]
    race = run_jobs(server, pairs, max(2, args.concurrency), rng)
    race.errors[:0] = opened.errors
    race_rows = sql(
        prepared.url,
        "SELECT COUNT(*), COUNT(DISTINCT device_hash) FROM visit WHERE id > :base",
        base=race_base,
    )[0]
    return PhoneResult(
        run,
        repeat,
        rows[0],
        rows[1],
        after,
        race,
        len(doubles),
        race_rows[0],
        race_rows[1],
        warmup.count("phone"),
    )


def heartbeat(server: Server, prepared: Prepared) -> None:
    """Each tablet polls `/kiosk/status.json` (as its page does every few seconds), which
    keeps `last_seen_at` fresh: a kiosk silent for 5 minutes flags its QR visits at once."""
    conn = Connection(server.port)
    try:
        for tablet in prepared.tablets:
            cookie = {"Cookie": f"bh_kiosk={tablet.credential}"}
            status, _h, data, _s, _ms = conn.send("GET", "/kiosk/status.json", None, cookie)
            if status != 200:
                raise BenchError(f"status.json of kiosk {tablet.kiosk_id}: {status} {data[:200]!r}")
    finally:
        conn.close()


def run_floor(server: Server, args: argparse.Namespace, rng: random.Random) -> Run:
    """`GET /healthz` (one `SELECT 1`) at the same concurrency: the stack's ceiling."""

    def job(conn: Connection) -> tuple[list[Sample], list[Job]]:
        status, _h, _d, started, elapsed = conn.send("GET", "/healthz", None, {})
        if status != 200:
            raise Failure(f"/healthz answered {status}")
        return [Sample("floor", started, elapsed)], []

    log(f"floor: {args.floor} x GET /healthz")
    return run_jobs(server, [job] * args.floor, args.concurrency, rng)


# Visitor cards --------------------------------------------------------------------------


CardAnswer = tuple[int, Any, Any]  # (status, counted, outcome)
CARD_NEW: CardAnswer = (201, True, "welkom")
CARD_AGAIN: CardAnswer = (200, False, "welkom_terug")


def card_job(
    tablet: Tablet,
    client_id: str,
    code: str,
    kind: str,
    answers: dict[str, list[CardAnswer]],
    read_at: str | None = None,
    replay: bool = False,
    reread_id: str | None = None,
) -> Job:
    """One card read as kiosk-card.js posts it. A first read (`card`, `card_warmup`) may
    bring its replay (same client id and moment, from the offline queue) and a re-read
    (the same card later, `reread_id`) into the queue; both must count nothing."""
    headers = {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "Cookie": f"bh_kiosk={tablet.credential}",
    }
    expected = CARD_AGAIN if kind in ("card_replay", "card_reread") else CARD_NEW

    def job(conn: Connection) -> tuple[list[Sample], list[Job]]:
        moment = read_at or datetime.now(UTC).isoformat()  # the tablet stamps it on reading
        body = json.dumps({"client_id": client_id, "code": code, "read_at": moment}).encode()
        status, _headers, data, started, elapsed = conn.send("POST", "/kiosk/kaart", body, headers)
        answer = _card_answer(status, data)
        answers.setdefault(client_id, []).append(answer)
        if answer != expected:
            raise Failure(f"{kind} {client_id} answered {status} {data[:200]!r}")
        follow = []
        if replay:
            follow.append(card_job(tablet, client_id, code, "card_replay", answers, moment))
        if reread_id is not None:
            follow.append(card_job(tablet, reread_id, code, "card_reread", answers))
        return [Sample(kind, started, elapsed)], follow

    return job


def _card_answer(status: int, data: bytes) -> CardAnswer:
    try:
        body = json.loads(data)
        return status, body.get("counted"), body.get("outcome")
    except (ValueError, AttributeError):
        return status, None, None


def card_race_job(
    tablet: Tablet,
    client_id: str,
    code: str,
    barrier: threading.Barrier,
    answers: dict[str, list[CardAnswer]],
) -> Job:
    """Half of a pair: one card read twice at the same moment with two client ids (the
    camera and a scanner, or two tablets' queues): the 3-hour rule must hold under the
    write lock (SQLite) or the per-card advisory lock (PostgreSQL), not by the client id."""
    headers = {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "Cookie": f"bh_kiosk={tablet.credential}",
    }

    def job(conn: Connection) -> tuple[list[Sample], list[Job]]:
        barrier.wait(timeout=60)
        moment = datetime.now(UTC).isoformat()
        body = json.dumps({"client_id": client_id, "code": code, "read_at": moment}).encode()
        status, _headers, data, started, elapsed = conn.send("POST", "/kiosk/kaart", body, headers)
        answer = _card_answer(status, data)
        answers.setdefault(client_id, []).append(answer)
        if answer not in (CARD_NEW, CARD_AGAIN):
            raise Failure(f"simultaneous card read {client_id} answered {status} {data[:200]!r}")
        return [Sample("card_race", started, elapsed)], []

    return job


@dataclass
class CardResult:
    warmup: Run
    run: Run
    race: Run
    expected: int  # cards read for the first time (warm-up, run, races): one visit each
    new_rows: int  # visits made during the card phase
    found: int  # of the expected cards, those with a visit
    lost: int  # expected cards without a visit
    doubled: int  # visits beyond the first of a card (same card, or same device hash)
    stray: int  # visits of a re-read's client id or of a client id never sent
    not_kaart: int  # visits with another channel than `kaart`
    reasons: dict[str, int]  # suspicion flags of the visits ("—" for none)
    replay_answers: Counter[CardAnswer]
    reread_answers: Counter[CardAnswer]
    race_pairs: int
    race_answers: Counter[tuple[CardAnswer, ...]]

    @property
    def bad_flags(self) -> dict[str, int]:
        """Flags a known, unblocked card in an open house must never get."""
        return {k: v for k, v in self.reasons.items() if k not in CARD_FLAGS_UNDER_LOAD}


# A burst of the kiosk (more than 30 visits a minute) or of the room's card reads: what
# hundreds of reads a second are; any other flag of a card visit here is a bug.
CARD_FLAGS_UNDER_LOAD = frozenset({"—", "piek", "piek_ruimte_kaart"})


def run_cards(
    server: Server, prepared: Prepared, args: argparse.Namespace, rng: random.Random
) -> CardResult:
    base_id = max_visit_id(prepared.url)
    tablets = prepared.tablets
    answers: dict[str, list[CardAnswer]] = {}
    card_of: dict[str, str] = {}  # client id -> card code, of every read sent
    first_ids: dict[str, str] = {}  # card code -> client id of its first read
    reread_ids: set[str] = set()
    sequence = iter(range(10**9))  # one round-robin over the kiosks for all card phases

    def new_id() -> str:
        return str(uuid.UUID(int=rng.getrandbits(128), version=4))

    def fresh_card() -> tuple[Tablet, str]:
        tablet = tablets[next(sequence) % len(tablets)]
        try:
            return tablet, prepared.cards[tablet.house].pop()
        except IndexError:
            raise BenchError(f"no unread visitor card left for {tablet.house}") from None

    def reads(count: int, kind: str, replay_fraction: float, reread_fraction: float) -> list[Job]:
        replayed = set(rng.sample(range(count), round(count * replay_fraction)))
        reread = set(rng.sample(range(count), round(count * reread_fraction)))
        jobs = []
        for n in range(count):
            tablet, code = fresh_card()
            client_id = new_id()
            card_of[client_id], first_ids[code] = code, client_id
            again = new_id() if n in reread else None
            if again is not None:
                card_of[again] = code
                reread_ids.add(again)
            jobs.append(
                card_job(tablet, client_id, code, kind, answers, None, n in replayed, again)
            )
        return jobs

    heartbeat(server, prepared)
    log(f"card warm-up: {args.card_warmup} reads")
    warmup = run_jobs(
        server, reads(args.card_warmup, "card_warmup", 0.0, 0.0), args.concurrency, rng
    )
    log(
        f"card run: {args.cards} reads of new cards + {args.card_replay:.0%} replayed + "
        f"{args.card_rereads:.0%} read again, {args.concurrency} conns"
    )
    jobs = reads(args.cards, "card", args.card_replay, args.card_rereads)
    run = run_jobs(server, jobs, args.concurrency, rng)
    log(f"card run took {run.wall_s:.1f} s")
    race_answers: dict[str, list[CardAnswer]] = {}
    race_pairs: list[tuple[str, str]] = []
    pairs = []
    for _ in range(args.card_races):
        tablet, code = fresh_card()
        ids = (new_id(), new_id())
        race_pairs.append(ids)
        barrier = threading.Barrier(2)
        for client_id in ids:
            card_of[client_id] = code
            pairs.append(card_race_job(tablet, client_id, code, barrier, race_answers))
    log(f"simultaneous card reads: {args.card_races} cards read twice at the same moment")
    race = run_jobs(server, pairs, max(2, args.concurrency), rng)

    rows = sql(
        prepared.url,
        "SELECT client_id, channel, device_hash, suspicious_reason FROM visit "
        "WHERE id > :base ORDER BY id",
        base=base_id,
    )
    visits = Counter(client_id for client_id, _channel, _device, _reason in rows)
    devices = {device for _client_id, _channel, device, _reason in rows}
    counted = [visits[first] > 0 for first in first_ids.values()]
    counted += [visits[a] + visits[b] > 0 for a, b in race_pairs]
    # A card counted twice shows twice: as a second visit of its pair or of its re-read,
    # and as a device hash seen twice; the larger of the two is reported.
    twice = sum(1 for a, b in race_pairs if visits[a] and visits[b])
    twice += sum(visits[reread] for reread in reread_ids)
    return CardResult(
        warmup=warmup,
        run=run,
        race=race,
        expected=len(counted),
        new_rows=len(rows),
        found=sum(counted),
        lost=counted.count(False),
        doubled=max(twice, len(rows) - len(devices)),
        stray=sum(n for client_id, n in visits.items() if client_id not in card_of),
        not_kaart=sum(1 for _client_id, channel, _d, _r in rows if channel != "kaart"),
        reasons=dict(Counter(reason or "—" for _client_id, _channel, _d, reason in rows)),
        replay_answers=Counter(
            answer
            for client_id, sent in answers.items()
            if client_id not in reread_ids
            for answer in sent[1:]
        ),
        reread_answers=Counter(a for reread in reread_ids for a in answers.get(reread, [])),
        race_pairs=len(race_pairs),
        race_answers=Counter(
            tuple(sorted(a for client_id in ids for a in race_answers.get(client_id, [])))
            for ids in race_pairs
        ),
    )


# The trace (optional, --trace) ---------------------------------------------------------


def read_trace(directory: Path) -> dict[str, dict[str, float]]:
    """Per request kind: mean queries, SQL ms, lock wait ms and lock hold ms, from the
    per-worker JSON lines bench/_checkin_app.py wrote."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for path in sorted(directory.glob("trace-*.jsonl")):
        for line in path.read_text().splitlines():
            record = json.loads(line)
            name = f"{record['method']} {record['path']}"
            if record["path"].startswith("/k/") and record["path"] != "/k/vragen":
                name = f"{record['method']} /k/<token>"
            groups.setdefault(name, []).append(record)
    summary = {}
    for name, records in groups.items():
        summary[name] = {
            "n": len(records),
            "queries": statistics.fmean(r["queries"] for r in records),
            "total_ms": statistics.fmean(r["total_ms"] for r in records),
            "total_p95": percentile([r["total_ms"] for r in records], 95),
            "sql_ms": statistics.fmean(r["sql_ms"] for r in records),
            "lock_wait_ms": statistics.fmean(r["lock_wait_ms"] for r in records),
            "lock_wait_p95": percentile([r["lock_wait_ms"] for r in records], 95),
            "lock_hold_ms": statistics.fmean(r["lock_hold_ms"] for r in records),
            "lock_hold_total_s": sum(r["lock_hold_ms"] for r in records) / 1000,
        }
    return summary


# Reporting -----------------------------------------------------------------------------


@dataclass
class Outcome:
    kind: str
    prepared: Prepared
    floor: Run
    taps: TapResult
    phones: PhoneResult
    cards: CardResult
    trace: dict[str, dict[str, float]] | None

    @property
    def tap_rate(self) -> float:
        """New (counted) tablet check-ins per second of the counted run's wall time."""
        return _rate(self.taps.run.count("tap"), self.taps.run.wall_s)

    @property
    def card_rate(self) -> float:
        """New card check-ins (201) per second of the card run's wall time, which also
        holds its replays and re-reads, as the tap rate holds the taps' replays."""
        return _rate(self.cards.run.count("card"), self.cards.run.wall_s)

    def failures(self) -> list[str]:
        t, p, c = self.taps, self.phones, self.cards
        found = []
        if t.lost or t.duplicates or t.unexpected or t.new_rows != t.expected_ids:
            found.append(
                f"tablet: {t.expected_ids} unique client ids, {t.new_rows} new visits "
                f"({t.lost} lost, {t.duplicates} counted twice, {t.unexpected} unexpected)"
            )
        if t.replay_answers != Counter({(200, False): t.replays_sent}):
            found.append(f"tablet replays answered {dict(t.replay_answers)}")
        one_each = ((200, False), (201, True))
        if t.race_answers != Counter({one_each: t.race_pairs} if t.race_pairs else {}):
            found.append(f"simultaneous duplicates answered {dict(t.race_answers)}")
        if p.new_rows != p.expected or p.distinct_devices != p.expected:
            found.append(
                f"phones: {p.expected} checked in, {p.new_rows} new visits, "
                f"{p.distinct_devices} devices"
            )
        if p.rows_after_repeat != p.new_rows:
            found.append(f"phones: the repeat added {p.rows_after_repeat - p.new_rows} visits")
        if p.race_rows != p.race_phones or p.race_devices != p.race_phones:
            found.append(
                f"phones: {p.race_phones} double taps (two POSTs at once) made {p.race_rows} "
                f"visits from {p.race_devices} devices"
            )
        if c.lost or c.doubled or c.stray or c.not_kaart or c.new_rows != c.expected:
            found.append(
                f"cards: {c.expected} new cards read, {c.new_rows} new visits ({c.lost} lost, "
                f"{c.doubled} counted twice, {c.stray} of a client id never sent, "
                f"{c.not_kaart} not channel kaart)"
            )
        if c.bad_flags:
            found.append(f"cards: visits flagged {c.bad_flags}")
        if c.replay_answers != Counter({CARD_AGAIN: c.run.count("card_replay")}):
            found.append(f"card replays answered {dict(c.replay_answers)}")
        if c.reread_answers != Counter({CARD_AGAIN: c.run.count("card_reread")}):
            found.append(f"card re-reads answered {dict(c.reread_answers)}")
        one_new = (CARD_AGAIN, CARD_NEW)
        if c.race_answers != Counter({one_new: c.race_pairs} if c.race_pairs else {}):
            found.append(f"simultaneous card reads answered {dict(c.race_answers)}")
        for name, run in (
            ("floor", self.floor),
            ("tablet warm-up", t.warmup),
            ("tablet", t.run),
            ("simultaneous duplicates", t.race),
            ("phones", p.run),
            ("phone repeat", p.repeat),
            ("phone double taps", p.race),
            ("card warm-up", c.warmup),
            ("cards", c.run),
            ("simultaneous card reads", c.race),
        ):
            found += [f"{name}: {e}" for e in run.errors[:5]]
        return found


def _rate(count: int, seconds: float) -> float:
    return count / seconds if count and seconds > 0 else 0.0


def _ms(values: list[float], p: int) -> str:
    return f"{percentile(values, p):.1f}" if values else "—"


def _cpu_line(name: str, run: Run, requests: int, kind: str) -> str:
    """Where the machine's CPU went during a run, in cores (CPU seconds per wall second).
    On SQLite any postgres process is someone else's and counts as other."""
    server = sum(run.server_cpu_s.values())
    shares = sorted((v for v in run.server_cpu_s.values() if v > 0.05), reverse=True)
    postgres = run.postgres_cpu_s if kind == "postgresql" else 0.0
    ours = server + run.generator_cpu_s + postgres
    others = max(0.0, run.machine_busy_s - ours)
    wall = run.wall_s or float("nan")
    requests = requests or 1
    pg = f"postgres processes {postgres / wall:.2f}; " if kind == "postgresql" else ""
    return (
        f"- {name}, CPU in cores: machine busy {run.machine_busy_s / wall:.2f} of "
        f"{os.cpu_count()}; gunicorn {server / wall:.2f} ({server / requests * 1000:.2f} ms "
        f"per request; per process {', '.join(f'{v:.1f}' for v in shares)} s); {pg}"
        f"load generator {run.generator_cpu_s / wall:.2f} "
        f"({run.generator_cpu_s / requests * 1000:.2f} ms per request); other processes on "
        f"the machine {others / wall:.2f}; 1-min load average before {run.load_before:.2f}"
    )


def _answers(counter: Counter[CardAnswer]) -> str:
    return ", ".join(f"{s} counted: {json.dumps(c)} {o} × {n}" for (s, c, o), n in counter.items())


def report(o: Outcome, args: argparse.Namespace) -> str:
    t, p, c = o.taps, o.phones, o.cards
    run = t.run
    taps = run.of("tap")
    replays = run.of("replay")
    all_taps = taps + replays
    phone_all = p.run.of("phone")
    target = "met" if o.tap_rate >= TARGET_TAPS_PER_S else "**missed**"
    cards, card_replays, rereads = (
        c.run.of("card"),
        c.run.of("card_replay"),
        c.run.of("card_reread"),
    )
    all_cards = cards + card_replays + rereads
    card_target = "met" if o.card_rate >= TARGET_CARDS_PER_S else "**missed**"
    card_stray = c.doubled + c.stray
    lines = [
        f"### {o.kind}",
        "",
        "| measure | requests | wall s | per s | p50 ms | p95 ms | visits expected | "
        "visits found | lost | counted twice or stray |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| floor `GET /healthz` | {len(o.floor.of('floor'))} | {o.floor.wall_s:.1f} | "
        f"{_rate(len(o.floor.of('floor')), o.floor.wall_s):.0f} | {_ms(o.floor.of('floor'), 50)} | "
        f"{_ms(o.floor.of('floor'), 95)} | | | | |",
        f"| tablet taps, all (new + replays) | {len(all_taps)} | {run.wall_s:.1f} | "
        f"{_rate(len(all_taps), run.wall_s):.0f} | {_ms(all_taps, 50)} | {_ms(all_taps, 95)} | "
        f"{t.expected_ids} | {t.found_ids} | {t.lost} | {t.new_rows - t.found_ids} |",
        f"| tablet check-ins, new (201) | {len(taps)} | | **{o.tap_rate:.0f}** | "
        f"{_ms(taps, 50)} | {_ms(taps, 95)} | | | | |",
        f"| tablet replays (200, counted false) | {len(replays)} | | | {_ms(replays, 50)} | "
        f"{_ms(replays, 95)} | 0 new | {t.new_rows - t.expected_ids} new | | |",
        f"| card reads, all (new + replays + re-reads) | {len(all_cards)} | {c.run.wall_s:.1f} | "
        f"{_rate(len(all_cards), c.run.wall_s):.0f} | {_ms(all_cards, 50)} | "
        f"{_ms(all_cards, 95)} | {c.expected} | {c.found} | {c.lost} | {card_stray} |",
        f"| card check-ins, new (201) | {len(cards)} | | **{o.card_rate:.0f}** | "
        f"{_ms(cards, 50)} | {_ms(cards, 95)} | | | | |",
        f"| card replays, same client id (200, counted false) | {len(card_replays)} | | | "
        f"{_ms(card_replays, 50)} | {_ms(card_replays, 95)} | | | | |",
        f"| card re-reads, new client id (200, counted false) | {len(rereads)} | | | "
        f"{_ms(rereads, 50)} | {_ms(rereads, 95)} | 0 new | "
        f"{c.new_rows - c.found} new | | |",
        f"| phone check-ins (GET + POST) | {len(phone_all)} | {p.run.wall_s:.1f} | "
        f"{_rate(len(phone_all), p.run.wall_s):.0f} | {_ms(phone_all, 50)} | "
        f"{_ms(phone_all, 95)} | "
        f"{p.expected} | {p.new_rows} | {max(0, p.expected - p.new_rows)} | "
        f"{p.new_rows - p.distinct_devices} |",
        f"| phone `GET /k/<token>` | {len(p.run.of('phone_get'))} | | | "
        f"{_ms(p.run.of('phone_get'), 50)} | {_ms(p.run.of('phone_get'), 95)} | | | | |",
        f"| phone `POST /k/<token>` | {len(p.run.of('phone_post'))} | | | "
        f"{_ms(p.run.of('phone_post'), 50)} | {_ms(p.run.of('phone_post'), 95)} | | | | |",
        f"| phone POST again (same device) | {len(p.repeat.of('repeat_post'))} | | | "
        f"{_ms(p.repeat.of('repeat_post'), 50)} | {_ms(p.repeat.of('repeat_post'), 95)} | "
        f"0 new | {p.rows_after_repeat - p.new_rows} new | | |",
        "",
        f"- target ≥ {TARGET_TAPS_PER_S:.0f} new tablet check-ins/s: {target} "
        f"({o.tap_rate:.0f}/s; {args.concurrency} client connections, "
        f"gunicorn -w {args.workers} -k gthread --threads {args.threads})",
        f"- target ≥ {TARGET_CARDS_PER_S:.0f} new card check-ins/s: {card_target} "
        f"({o.card_rate:.0f}/s)",
        f"- tablet: {t.expected_ids} unique client ids ({args.warmup} warm-up + {args.taps} "
        f"+ {t.race_pairs} sent simultaneously), "
        f"{t.new_rows} new visit rows, {t.lost} lost, {t.duplicates} with a client id twice, "
        f"{t.unexpected} with a client id never sent; "
        f"{t.replays_sent} replays answered "
        + ", ".join(
            f"{k[0]} counted: {json.dumps(k[1])} × {v}" for k, v in t.replay_answers.items()
        )
        + "; suspicion flags of the new visits: "
        + ", ".join(f"{k} {v}" for k, v in sorted(t.reasons.items())),
        f"- simultaneous duplicates: {t.race_pairs} client ids sent twice at the same moment "
        f"on two connections; answers per pair: "
        + (
            ", ".join(
                f"{' + '.join(f'{st} {json.dumps(c)}' for st, c in k)} × {v}"
                for k, v in t.race_answers.items()
            )
            or "—"
        )
        + " (their visits are in the counts above)",
        f"- phones: {p.warmed} warm-up + {len(phone_all)} check-ins, {p.new_rows} new visits "
        f"with "
        f"{p.distinct_devices} distinct device hashes; {len(p.repeat.of('repeat_post'))} "
        f"repeated POSTs added {p.rows_after_repeat - p.new_rows} visits and /k/vragen said "
        f"'{ALREADY}'",
        f"- phone double taps: {p.race_phones} new phones POSTed twice at the same moment "
        f"(after one GET): {p.race_rows} new visits from {p.race_devices} devices "
        f"(expected {p.race_phones})",
        f"- cards: {c.expected} cards read for the first time ({args.card_warmup} warm-up + "
        f"{len(cards)} + {c.race_pairs} read simultaneously), each a card of its kiosk's house "
        f"never read before; {c.new_rows} new visit rows, {c.lost} lost, {c.doubled} counted "
        f"twice, {c.stray} with a client id never sent, {c.not_kaart} not channel kaart; "
        f"{len(card_replays)} replays answered {_answers(c.replay_answers) or '—'}; "
        f"{len(rereads)} re-reads answered {_answers(c.reread_answers) or '—'}; suspicion "
        "flags of the new visits: "
        + ", ".join(f"{k} {v}" for k, v in sorted(c.reasons.items()))
        + " (a burst flag, piek or piek_ruimte_kaart, is the load itself: more than 30 visits "
        "a minute per kiosk)",
        f"- simultaneous card reads: {c.race_pairs} cards posted at the same moment on two "
        "connections with two client ids; answers per pair: "
        + (
            ", ".join(
                f"{' + '.join(f'{st} {json.dumps(ct)}' for st, ct, _o in k)} × {v}"
                for k, v in c.race_answers.items()
            )
            or "—"
        )
        + " (their visits are in the counts above)",
        _cpu_line("tablet run", run, len(all_taps), o.kind),
        _cpu_line("phone run", p.run, 2 * len(phone_all), o.kind),
        _cpu_line("card run", c.run, len(all_cards), o.kind),
    ]
    if o.trace:
        lines += [
            "",
            "Server-side trace (means per request; lock = SQLite's write lock, `BEGIN "
            "IMMEDIATE` until after `COMMIT`):",
            "",
            "| request | n | queries | total ms | total p95 | SQL ms | lock wait ms | "
            "lock wait p95 | lock held ms | lock held, sum s |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for name, s in sorted(o.trace.items(), key=lambda kv: -kv[1]["n"]):
            lines.append(
                f"| `{name}` | {s['n']:.0f} | {s['queries']:.1f} | {s['total_ms']:.1f} | "
                f"{s['total_p95']:.1f} | {s['sql_ms']:.1f} | {s['lock_wait_ms']:.1f} | "
                f"{s['lock_wait_p95']:.1f} | {s['lock_hold_ms']:.2f} | "
                f"{s['lock_hold_total_s']:.1f} |"
            )
    failures = o.failures()
    if failures:
        lines.append("")
        lines.append(f"- FAILURES ({len(failures)}):")
        lines += [f"  - {f}" for f in failures[:20]]
    return "\n".join(lines)


# Main ----------------------------------------------------------------------------------


def run_one(kind: str, args: argparse.Namespace, workdir: Path) -> Outcome:
    rng = random.Random(args.seed)
    secret_key = secrets.token_urlsafe(48)  # one key for this process and the server
    log(f"== {kind} ==")
    with fresh_database(
        kind, workdir, args.keep, sqlite_name=SQLITE_FILE, pg_name=PG_BENCH_DB
    ) as url:
        prepared = prepare(url, secret_key, args.card_warmup + args.cards + args.card_races)
        log(f"{kind} prepared in {prepared.seconds:.0f} s")
        trace = None
        if args.trace:
            trace = workdir / f"trace-{kind}"
            shutil.rmtree(trace, ignore_errors=True)
            trace.mkdir()
        logfile = workdir / f"gunicorn-{kind}.log"
        with gunicorn(url, secret_key, logfile, args.workers, args.threads, trace) as server:
            floor = run_floor(server, args, rng)
            taps = run_taps(server, prepared, args, rng)
            phones = run_phones(server, prepared, args, rng)
            cards = run_cards(server, prepared, args, rng)
        if args.keep:
            log(f"kept the {kind} database: {url}")
    trace_summary = read_trace(trace) if trace else None
    return Outcome(kind, prepared, floor, taps, phones, cards, trace_summary)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--taps", type=int, default=6000, help="tablet taps (unique ids)")
    parser.add_argument("--replay", type=float, default=0.10, help="share of ids sent again")
    parser.add_argument("--phones", type=int, default=1000, help="phone check-ins")
    parser.add_argument("--repeat-phones", type=int, default=100, help="phones that POST again")
    parser.add_argument(
        "--races", type=int, default=50, help="client ids sent twice at the same moment"
    )
    parser.add_argument(
        "--phone-races", type=int, default=50, help="phones that POST twice at the same moment"
    )
    parser.add_argument("--phone-warmup", type=int, default=32, help="phones before the run")
    parser.add_argument("--warmup", type=int, default=200, help="tablet taps before the run")
    parser.add_argument("--cards", type=int, default=6000, help="card reads (new cards)")
    parser.add_argument(
        "--card-replay", type=float, default=0.10, help="share of card client ids sent again"
    )
    parser.add_argument(
        "--card-rereads", type=float, default=0.10, help="share of cards read again (new id)"
    )
    parser.add_argument(
        "--card-races", type=int, default=50, help="cards read twice at the same moment"
    )
    parser.add_argument("--card-warmup", type=int, default=200, help="card reads before the run")
    parser.add_argument("--floor", type=int, default=2000, help="GET /healthz requests")
    parser.add_argument("--concurrency", type=int, default=16, help="client connections")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--trace",
        action="store_true",
        help="server-side trace: queries, SQL time, SQLite lock wait/hold per request",
    )
    parser.add_argument("--keep", action="store_true", help="keep the databases and temp dir")
    args = parser.parse_args(argv)
    outcomes, failed = run_each_database(args, "buurthuis-checkin-", run_one)
    print(
        f"\n## Check-in benchmark, {datetime.now(AMSTERDAM):%Y-%m-%d %H:%M} "
        f"({args.taps} taps + {args.replay:.0%} replays, {args.phones} phones, "
        f"{args.cards} card reads + {args.card_replay:.0%} replays + "
        f"{args.card_rereads:.0%} re-reads, "
        f"{args.concurrency} connections, gunicorn -w {args.workers} -k gthread "
        f"--threads {args.threads}, {os.cpu_count()} cores)\n"
    )
    for outcome in outcomes:
        print(report(outcome, args), end="\n\n")
        failed |= bool(outcome.failures())
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
