#!/usr/bin/env python
"""The monthly invoice run of a whole municipality, timed (a measurement, not a test).

The same municipality's two years as `booking_bench.py` (the Oss demo — 13 houses that
invoice as stichtingen — plus N bulk-inserted bookings), then, in process and through the
real services, for the month before today:

1. the run of all 13 houses (`services/invoices/monthly.run_houses`, what
   `flask --app wsgi invoices run --month YYYY-MM` and the monthly job do), one
   transaction, committed — target ≤ 60 s;
2. the same run again (it must add nothing);
3. finalising every concept it made, one transaction each as the HTML page does, which
   numbers it, renders its PDF (and UBL) and queues its mail — per-invoice p50/p95;
4. a check that the numbers of each house are 1..n without gap or duplicate.

    .venv/bin/python bench/invoice_run_bench.py --db both     # --bookings 150000 --seed 1

Exit status: 0 when everything ran (a missed target included), 1 on errors.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

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
from bench.booking_bench import prepare  # noqa: E402

TARGET_RUN_S = 60.0
SQLITE_FILE = "buurthuis-invoice-bench.sqlite"
PG_BENCH_DB = "buurthuis_invoice_bench"


@dataclass
class Outcome:
    kind: str
    bookings: int
    month: str
    run_seconds: float = 0.0
    rerun_seconds: float = 0.0
    invoices: int = 0
    lines: int = 0
    rerun_lines: int = 0
    finalise_ms: list[float] = field(default_factory=list)
    numbering_ok: bool = False


def measure(url: str, outcome: Outcome) -> None:
    from sqlalchemy import func, select

    from bench._bench_app import bench_config
    from booking import create_app
    from booking.extensions import db
    from booking.models import Invoice, OutboxMail, User
    from booking.services.invoices import finalising
    from booking.services.invoices.monthly import run_houses
    from booking.services.invoicing import parse_month, previous_month

    app = create_app(bench_config(url))
    with app.app_context():
        month = previous_month(datetime.now(AMSTERDAM).date())
        outcome.month = str(month)
        started = time.perf_counter()
        outcomes = run_houses(month, house_slug=None, now=datetime.now(UTC))
        db.session.commit()
        outcome.run_seconds = time.perf_counter() - started
        outcome.invoices = sum(len(o.created) for o in outcomes)
        outcome.lines = sum(o.lines_added for o in outcomes)
        log(f"run: {outcome.invoices} concepts, {outcome.lines} lines, {outcome.run_seconds:.1f} s")
        started = time.perf_counter()
        again = run_houses(parse_month(str(month)), house_slug=None, now=datetime.now(UTC))
        db.session.commit()
        outcome.rerun_seconds = time.perf_counter() - started
        outcome.rerun_lines = sum(o.lines_added for o in again)
        gemeente = db.session.scalar(select(User).where(User.email == "gemeente@buurthuis.example"))
        concept_ids = list(
            db.session.scalars(select(Invoice.id).where(Invoice.status == "concept"))
        )
        gemeente_id = gemeente.id
        db.session.remove()
        for invoice_id in concept_ids:
            actor = db.session.get(User, gemeente_id)
            began = time.perf_counter()
            finalising.finalise(actor, invoice_id, now=datetime.now(UTC))
            db.session.commit()
            outcome.finalise_ms.append((time.perf_counter() - began) * 1000)
            db.session.remove()
        log(f"finalised {len(concept_ids)} invoices")
        counts = db.session.execute(
            select(
                Invoice.house_id,
                func.count(Invoice.id),
                func.count(func.distinct(Invoice.sequence)),
                func.min(Invoice.sequence),
                func.max(Invoice.sequence),
            )
            .where(Invoice.sequence.isnot(None))
            .group_by(Invoice.house_id)
        ).all()
        outcome.numbering_ok = all(
            n == distinct == high and low == 1 for _h, n, distinct, low, high in counts
        )
        mails = db.session.scalar(
            select(func.count(OutboxMail.id)).where(OutboxMail.kind == "invoice")
        )
        log(f"{mails} invoice mails queued")
        db.session.remove()
        db.engine.dispose()


def run_one(kind: str, args: argparse.Namespace, workdir: Path) -> Outcome:
    rng = random.Random(args.seed)
    log(f"== {kind}: preparing {args.bookings} bookings ==")
    with fresh_database(
        kind, workdir, args.keep, sqlite_name=SQLITE_FILE, pg_name=PG_BENCH_DB
    ) as url:
        prepared = prepare(url, args.bookings, rng)
        outcome = Outcome(kind, prepared.inserted, "")
        measure(url, outcome)
    if outcome.rerun_lines or not outcome.numbering_ok:
        raise BenchError(
            f"rerun added {outcome.rerun_lines} lines; numbering ok: {outcome.numbering_ok}"
        )
    return outcome


def report(outcome: Outcome) -> str:
    met = "met" if outcome.run_seconds <= TARGET_RUN_S else "MISSED"
    times = outcome.finalise_ms or [0.0]
    numbering = "yes" if outcome.numbering_ok else "NO"
    return "\n".join(
        [
            f"### {outcome.kind}: {outcome.bookings} bookings, month {outcome.month}",
            "",
            "| step | figure |",
            "|---|---:|",
            f"| run, 13 houses (≤ {TARGET_RUN_S:.0f} s, {met}) | {outcome.run_seconds:.1f} s |",
            f"| concepts made / lines | {outcome.invoices} / {outcome.lines} |",
            f"| the same run again (adds {outcome.rerun_lines}) | {outcome.rerun_seconds:.1f} s |",
            f"| finalise one invoice incl. PDF, UBL, mail, p50 | {percentile(times, 50):.0f} ms |",
            f"| finalise one invoice, p95 | {percentile(times, 95):.0f} ms |",
            f"| numbers 1..n per house, no gap or duplicate | {numbering} |",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--bookings", type=int, default=150_000, help="bookings to insert")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    args = parser.parse_args(argv)
    outcomes, failed = run_each_database(args, "buurthuis-invoice-bench-", run_one)
    print(f"\n## Invoice run benchmark, {datetime.now(AMSTERDAM):%Y-%m-%d %H:%M}\n")
    for outcome in outcomes:
        print(report(outcome), end="\n\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
