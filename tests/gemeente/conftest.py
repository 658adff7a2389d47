"""Shared set-up of the gemeente page tests: a gemeente user, a beheerder, two houses."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from booking.extensions import db
from booking.models import AuditEntry
from tests.conftest import HouseRef, UserRef, csrf_token, login


@dataclass(frozen=True)
class Gemeente:
    house: HouseRef
    other_house: HouseRef
    gemeente: UserRef
    beheerder: UserRef
    organiser: UserRef


@pytest.fixture
def town(make_house, make_user) -> Gemeente:
    house, other = make_house("de-haard", area="Ruwaard"), make_house("het-anker", area="Lith")
    return Gemeente(
        house=house,
        other_house=other,
        gemeente=make_user("gemeente"),
        beheerder=make_user("beheerder", house),
        organiser=make_user("initiatiefnemer"),
    )


def client_for(app: Flask, user: UserRef) -> FlaskClient:
    client = app.test_client()
    login(client, user)
    return client


def post(client: FlaskClient, url: str, data: dict[str, Any]) -> Any:
    """Post a form with the CSRF token of the page it is on."""
    return client.post(url, data={**data, "csrf_token": csrf_token(client, url)})


def audit_entries(app: Flask, action: str) -> list[AuditEntry]:
    with app.app_context():
        rows = db.session.query(AuditEntry).filter_by(action=action).order_by(AuditEntry.id)
        return [
            AuditEntry(
                action=r.action,
                object_type=r.object_type,
                object_id=r.object_id,
                actor_id=r.actor_id,
                house_id=r.house_id,
                details=r.details,
            )
            for r in rows
        ]
