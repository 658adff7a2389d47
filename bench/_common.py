"""What the benchmark scripts share: logging, their error, percentiles, fresh databases,
gunicorn as its own process and the loop over the databases of `--db`.

Imported as `bench._common`; each script puts the project root on sys.path first.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"

T = TypeVar("T")


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


class BenchError(Exception):
    """Something went wrong that makes the measurement invalid."""


def percentile(values: list[float], p: int) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


# Databases -----------------------------------------------------------------------------


@contextlib.contextmanager
def fresh_database(
    kind: str, workdir: Path, keep: bool, *, sqlite_name: str, pg_name: str
) -> Iterator[str]:
    """A new empty database for one run; yields its URL.

    SQLite: the file `sqlite_name` in `workdir`, any earlier one (and its -wal and -shm)
    removed first; it goes with `workdir`. PostgreSQL: database `pg_name` on the server of
    PG_ADMIN_URL, dropped and created, and dropped again afterwards unless `keep`.
    """
    if kind == "sqlite":
        path = workdir / sqlite_name
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        yield f"sqlite:///{path}"
        return
    from sqlalchemy import create_engine, text

    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {pg_name} WITH (FORCE)"))
            conn.execute(text(f"CREATE DATABASE {pg_name}"))
        yield PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{pg_name}"
    finally:
        if not keep:
            with admin.connect() as conn:
                conn.execute(text(f"DROP DATABASE IF EXISTS {pg_name} WITH (FORCE)"))
        admin.dispose()


def run_each_database(
    args: argparse.Namespace,
    prefix: str,
    run_one: Callable[[str, argparse.Namespace, Path], T],
) -> tuple[list[T], bool]:
    """`run_one(kind, args, workdir)` for each database of `--db`, in a new temp dir.

    A BenchError of one database is printed as that database's section and the next one
    runs. The temp dir (name starting with `prefix`) is removed afterwards unless --keep.
    Returns the outcomes and whether any database failed.
    """
    kinds = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    outcomes: list[T] = []
    failed = False
    try:
        for kind in kinds:
            try:
                outcomes.append(run_one(kind, args, workdir))
            except BenchError as error:
                print(f"\n### {kind}\n\nERROR: {error}\n", flush=True)
                failed = True
    finally:
        if args.keep:
            log(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return outcomes, failed


# The server ----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def gunicorn_process(
    app_module: str, env: dict[str, str], logfile: Path, workers: int, threads: int
) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    """`gunicorn -k gthread` serving `app_module` on a free loopback port, as its own process.

    Yields (process, port) once /healthz answers 200; always terminated on the way out.
    """
    port = free_port()
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "--no-control-socket",
        "-w",
        str(workers),
        "-k",
        "gthread",
        "--threads",
        str(threads),
        "-b",
        f"127.0.0.1:{port}",
        app_module,
    ]
    with logfile.open("wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait_healthy(process, port, logfile)
        yield process, port
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        log(f"gunicorn stopped (exit {process.returncode})")


def _wait_healthy(process: subprocess.Popen[bytes], port: int, logfile: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchError(f"gunicorn exited with {process.returncode}:\n{_tail(logfile)}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                conn.close()
                return
            conn.close()
        except OSError:
            pass
        time.sleep(0.2)
    raise BenchError(f"/healthz did not answer 200 within 60 s:\n{_tail(logfile)}")


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"
