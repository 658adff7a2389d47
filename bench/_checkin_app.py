"""WSGI entry point for the check-in benchmark: `gunicorn 'bench._checkin_app:app'`.

Built like bench/_bench_app.py (config.TestingConfig as a dict, TESTING off so errors
answer 500 through the app's own handler) on the database named by BENCH_DATABASE_URL,
with two differences that the kiosk needs:

- SECRET_KEY comes from BENCH_SECRET_KEY, so the QR tokens that the benchmark signs in
  its own process (`kiosk.places.qr_token`) are authentic for the server;
- the rate limiter is off (RATELIMIT_ENABLED=False): the product limits `/kiosk/tik` and
  the phone POST to 120/min per address (and phones to 10/min per device), and every
  request of a loopback benchmark comes from 127.0.0.1.

With BENCH_TRACE_DIR set (`checkin_bench.py --trace`) each worker also writes one JSON line
per request: SQL statements, time in SQL, and time waiting for and holding SQLite's
write lock, measured with engine/session events and a WSGI wrapper in this module.
"""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path
from typing import Any

from bench._bench_app import DATABASE_URL_VARIABLE, bench_config

SECRET_KEY_VARIABLE = "BENCH_SECRET_KEY"
TRACE_VARIABLE = "BENCH_TRACE_DIR"  # optional: write a per-request SQL/lock trace there


def checkin_config(database_url: str, secret_key: str, **overrides: Any) -> dict[str, Any]:
    config = bench_config(database_url, SECRET_KEY=secret_key, **overrides)
    config["RATELIMIT_ENABLED"] = False
    return config


def _build_app() -> Any:
    from booking import create_app

    app = create_app(
        checkin_config(
            os.environ[DATABASE_URL_VARIABLE], os.environ[SECRET_KEY_VARIABLE], TESTING=False
        )
    )
    if os.environ.get(TRACE_VARIABLE):
        _install_trace(app, Path(os.environ[TRACE_VARIABLE]))
    return app


def _install_trace(app: Any, directory: Path) -> None:
    """Per request: SQL statements, time in SQL, time waiting for SQLite's write lock
    (the `BEGIN IMMEDIATE` statement itself) and time holding it (until after COMMIT).

    One JSON line per request into `<directory>/trace-<pid>.jsonl`. The product code is
    not touched: engine and session events plus a WSGI wrapper, all in this module.
    """
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    from booking.extensions import db

    with app.app_context():
        engine = db.engine
    local = threading.local()
    files: dict[int, Any] = {}

    def out() -> Any:
        pid = os.getpid()  # gunicorn forks after import: open the file per worker
        if pid not in files:
            files[pid] = (directory / f"trace-{pid}.jsonl").open("a", buffering=1)
        return files[pid]

    @event.listens_for(engine, "before_cursor_execute")
    def _before(_conn: Any, _cur: Any, statement: str, *_args: Any) -> None:
        local.started = time.perf_counter()

    @event.listens_for(engine, "after_cursor_execute")
    def _after(_conn: Any, _cur: Any, statement: str, *_args: Any) -> None:
        record = getattr(local, "record", None)
        if record is None:
            return
        now = time.perf_counter()
        spent = now - local.started
        record["queries"] += 1
        record["sql_ms"] += spent * 1000
        word = statement.lstrip().split(None, 1)[0].upper() if statement.strip() else "?"
        record["kinds"][word] = record["kinds"].get(word, 0) + 1
        if statement.startswith("BEGIN IMMEDIATE"):
            record["lock_wait_ms"] += spent * 1000
            local.locked_at = now

    @event.listens_for(Session, "after_commit")
    def _after_commit(_session: Any) -> None:
        record = getattr(local, "record", None)
        locked_at = getattr(local, "locked_at", None)
        if record is not None and locked_at is not None:
            record["lock_hold_ms"] += (time.perf_counter() - locked_at) * 1000
            local.locked_at = None

    @event.listens_for(Session, "after_rollback")
    def _after_rollback(_session: Any) -> None:
        _after_commit(_session)

    inner = app.wsgi_app

    def traced(environ: dict[str, Any], start_response: Any) -> Any:
        local.record = {
            "path": environ.get("PATH_INFO", ""),
            "method": environ.get("REQUEST_METHOD", ""),
            "queries": 0,
            "sql_ms": 0.0,
            "lock_wait_ms": 0.0,
            "lock_hold_ms": 0.0,
            "kinds": {},
        }
        local.locked_at = None
        began = time.perf_counter()
        try:
            return inner(environ, start_response)
        finally:
            record, local.record = local.record, None
            record["total_ms"] = (time.perf_counter() - began) * 1000
            out().write(json.dumps(record) + "\n")

    app.wsgi_app = traced


# Built only when the server imports this module (the benchmark imports checkin_config).
app = _build_app() if os.environ.get(DATABASE_URL_VARIABLE) else None
