"""Fixtures of the kiosk tests."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from booking.extensions import db
from booking.models import Visit
from tests.conftest import login, post_form


@pytest.fixture
def paired(app, client, make_house, make_user):
    """A house, its beheerder, and a tablet client paired to the huiskamer."""
    house = make_house()
    beheerder = make_user("beheerder", house)
    staff = app.test_client()
    login(staff, beheerder)
    page = post_form(
        staff,
        f"/kiosk/beheer/{house.slug}/nieuw",
        {"room": house.room_ids[0], "name": "Tablet"},
        page=f"/kiosk/beheer/{house.slug}",
    )
    assert page.status_code == 200
    code = re.search(r'class="pair-code"[^>]*>([A-Z0-9-]+)<', page.get_data(as_text=True)).group(1)
    tablet = app.test_client()
    response = post_form(tablet, "/kiosk/koppelen", {"code": code.lower()}, page="/kiosk")
    assert response.status_code == 302
    assert (
        "bh_kiosk" in response.headers["Set-Cookie"]
        and "HttpOnly" in response.headers["Set-Cookie"]
    )
    return house, staff, tablet, beheerder


def visit_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Visit.id)))
