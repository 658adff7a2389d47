"""The invariant under changes: bookings moved at the same moment into one slot, through a
real multi-threaded server, leave exactly one there; the others answer 409, unchanged."""

from __future__ import annotations

import http.client
import json
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from booking.extensions import db
from booking.models import Booking, User
from booking.rules.slots import AMSTERDAM
from booking.services import accounts
from tests.conftest import api_activity, local_day

MOVERS = 12

pytestmark = pytest.mark.real_commits


def test_racing_changes_into_one_slot_move_one_booking(app, make_house, make_user, book):
    house = make_house()
    users = [make_user() for _ in range(MOVERS)]
    ids = [
        book(
            u,
            house.room_ids[0],
            days_ahead=3,
            start=f"{8 + i}:00".zfill(5),
            end=f"{9 + i}:00".zfill(5),
        )
        for i, u in enumerate(users, start=1)
    ]
    with app.app_context():
        tokens = [accounts.issue_api_token(db.session.get(User, u.id)) for u in users]
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    day = local_day(6).isoformat()
    body = json.dumps(
        {
            "start": f"{day}T10:00",
            "end": f"{day}T12:00",
            "activity": api_activity("vereniging"),
        }
    )
    barrier = threading.Barrier(MOVERS)

    def attempt(pair: tuple[int, str]) -> int:
        booking_id, token = pair
        connection = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=60)
        connection.connect()
        barrier.wait()
        connection.request(
            "PATCH",
            f"/api/v1/bookings/{booking_id}",
            body=body,
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
        )
        status = connection.getresponse().status
        connection.close()
        return status

    try:
        with ThreadPoolExecutor(max_workers=MOVERS) as pool:
            statuses = list(pool.map(attempt, zip(ids, tokens, strict=True)))
    finally:
        server.shutdown()
    assert sorted(statuses) == [200] + [409] * (MOVERS - 1)
    with app.app_context():
        rows = list(db.session.scalars(select(Booking).where(Booking.id.in_(ids))))
        moved = [b for b in rows if b.start.astimezone(AMSTERDAM).date() == local_day(6)]
        assert len(moved) == 1 and moved[0].sequence == 1
        assert all(b.sequence == 0 for b in rows if b is not moved[0])
