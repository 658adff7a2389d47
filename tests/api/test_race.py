"""The invariant under fire: 50 simultaneous requests for one slot through a real
multi-threaded server store exactly one booking and answer 49 conflicts."""

from __future__ import annotations

import http.client
import json
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select
from werkzeug.serving import make_server

from booking.extensions import db
from booking.models import Booking, User
from booking.services import accounts
from tests.conftest import api_activity, local_day

REQUESTS = 50

# A real multi-threaded server: each request has its own connection.
pytestmark = pytest.mark.real_commits


def test_fifty_racing_requests_book_one_slot_once(app, make_house, make_user):
    house = make_house()
    users = [make_user() for _ in range(REQUESTS)]
    with app.app_context():
        tokens = [accounts.issue_api_token(db.session.get(User, u.id)) for u in users]
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    day = local_day(5).isoformat()
    body = json.dumps(
        {
            "room_id": house.room_ids[0],
            "start": f"{day}T10:00",
            "end": f"{day}T12:00",
            "title": "Race",
            "activity": api_activity("vereniging"),
        }
    )
    barrier = threading.Barrier(REQUESTS)

    def attempt(token: str) -> int:
        connection = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=60)
        connection.connect()
        barrier.wait()
        connection.request(
            "POST",
            "/api/v1/bookings",
            body=body,
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
        )
        status = connection.getresponse().status
        connection.close()
        return status

    try:
        with ThreadPoolExecutor(max_workers=REQUESTS) as pool:
            statuses = list(pool.map(attempt, tokens))
    finally:
        server.shutdown()
    assert sorted(statuses) == [201] + [409] * (REQUESTS - 1)
    with app.app_context():
        assert db.session.scalar(select(func.count(Booking.id))) == 1
