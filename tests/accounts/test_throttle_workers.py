"""The login throttle holds under the README's production shape: several gunicorn workers.

Flask-Limiter's memory store counts per worker, so only the per-account throttle in the
database can promise "no more than LOGIN_MAX_FAILURES guesses" whatever the worker count;
with Redis configured, the per-address limit holds across workers too.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from booking.extensions import db
from booking.models import LoginThrottle

# gunicorn workers in other processes read and write the test database.
pytestmark = pytest.mark.real_commits

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 3
GUESSES = 40


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _redis_reachable() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


@pytest.fixture
def gunicorn(app, tmp_path) -> Iterator[callable]:
    servers: list[subprocess.Popen] = []

    def start(**environment: str) -> int:
        port = _free_port()
        env = {k: v for k, v in os.environ.items() if k != "BUURTHUIS_ENV"}
        env.update(
            DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
            SECRET_KEY="throttle-test-" + "k" * 32,
            BUURTHUIS_INSTANCE=str(tmp_path),
            HOME=str(tmp_path),
            **environment,
        )
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--no-control-socket",
                "-w",
                str(WORKERS),
                "-k",
                "gthread",
                "--threads",
                "4",
                "-b",
                f"127.0.0.1:{port}",
                "wsgi:app",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        servers.append(server)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise AssertionError(server.stderr.read().decode()[-2000:])
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            try:
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200:
                    return port
            except OSError:
                time.sleep(0.2)
            finally:
                connection.close()
        raise AssertionError("gunicorn did not start")

    yield start
    for server in servers:
        server.terminate()
        server.wait(timeout=30)
        server.stderr.close()


def _guess(port: int, email: str, password: str, barrier: threading.Barrier) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.connect()
    barrier.wait()
    connection.request(
        "POST",
        "/api/v1/session",
        body=json.dumps({"email": email, "password": password}),
        headers={"Content-Type": "application/json"},
    )
    status = connection.getresponse().status
    connection.close()
    return status


def _fire(port: int, credentials: list[tuple[str, str]]) -> Counter:
    barrier = threading.Barrier(len(credentials))
    with ThreadPoolExecutor(max_workers=len(credentials)) as pool:
        return Counter(pool.map(lambda c: _guess(port, *c, barrier), credentials))


def test_no_more_guesses_per_account_than_configured_whatever_the_workers(app, gunicorn, make_user):
    user = make_user()
    port = gunicorn(RATELIMIT_STORAGE_URI="memory://")
    statuses = _fire(port, [(user.email, f"gok-{i}-xxxxxxxx") for i in range(GUESSES)])
    # Three memory stores would let up to 3 x 10 through the address limit; the account
    # budget in the database lets exactly 10 passwords be checked.
    assert statuses[401] == app.config["LOGIN_MAX_FAILURES"]
    assert statuses[429] == GUESSES - statuses[401]
    with app.app_context():  # the server's own key: the one row there is
        row = db.session.scalars(db.select(LoginThrottle)).one()
        assert row.failures == app.config["LOGIN_MAX_FAILURES"]


@pytest.mark.skipif(not _redis_reachable(), reason="no Redis on 127.0.0.1:6379")
def test_with_redis_the_address_limit_holds_across_workers(gunicorn):
    """One after another, each on a new connection, so the requests spread over workers.

    (A failed login is counted when its answer is known, so successful logins cost
    nothing; simultaneous guesses may therefore overshoot the address limit by a few.
    The per-account budget above is exact under any concurrency.)
    """
    port = gunicorn(
        RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379",
        RATELIMIT_KEY_PREFIX=f"buurthuis-test-{uuid.uuid4().hex}",
    )
    statuses = Counter(
        _guess(port, f"onbekend-{i}@example.org", "fout", threading.Barrier(1)) for i in range(30)
    )
    assert statuses == Counter({401: 10, 429: 20})
