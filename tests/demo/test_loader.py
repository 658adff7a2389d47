"""`flask demo` loads Oss, and loading it twice changes nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from booking.extensions import db
from booking.models import (
    Area,
    Booking,
    House,
    HouseMembership,
    OpeningHours,
    Organisation,
    Room,
    User,
    Visit,
)

COUNTED = (Area, House, Room, OpeningHours, User, HouseMembership, Booking, Visit, Organisation)


def counts() -> dict[str, int]:
    return {m.__name__: db.session.scalar(select(func.count()).select_from(m)) for m in COUNTED}


def test_demo_loads_oss_and_is_idempotent(app, runner):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "gemeente@buurthuis.example" in result.output
    assert "beheer.mfa-de-snoeck@buurthuis.example" in result.output
    with app.app_context():
        first = counts()
        assert first["House"] == 13
        assert first["Area"] == 18
        assert first["Room"] == 33
        assert first["OpeningHours"] == 13 * 7
        assert first["Visit"] > 10_000
        vulnerable = {a.name for a in db.session.scalars(select(Area).where(Area.vulnerable))}
        assert {"Schadewijk", "Ruwaard", "Herpen"} <= vulnerable
        assert (
            db.session.scalar(select(House).where(House.slug == "mfa-de-snoeck")).area.name
            == "Lith"
        )
        choir = db.session.scalar(select(Organisation))
        assert choir.name == "Zangkoor Vocalis" and choir.billing_city == "Oss"
        assert [c.user.email for c in choir.contacts] == ["vereniging@buurthuis.example"]
        rehearsals = list(
            db.session.scalars(select(Booking).where(Booking.title == "Repetitie Zangkoor Vocalis"))
        )
        assert rehearsals and all(b.organisation_id == choir.id for b in rehearsals)
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        db.session.expire_all()
        assert counts() == first


def test_demo_visits_hold_no_personal_data(app, runner):
    runner.invoke(args=["demo"])
    columns = {c.name for c in Visit.__table__.columns}
    assert not columns & {"ip", "ip_address", "user_agent", "name", "phone", "email", "location"}
    with app.app_context():
        hashes = db.session.scalars(
            select(Visit.device_hash).where(Visit.device_hash.is_not(None)).limit(50)
        )
        assert all(len(h) == 64 for h in hashes)


def test_demo_logins_work(app, runner, client):
    from tests.conftest import post_form

    runner.invoke(args=["demo"])
    response = post_form(
        client,
        "/login",
        {"email": "beheer.de-berchplaets@buurthuis.example", "password": "buurthuis-demo"},
    )
    assert response.status_code == 302
    html = client.get("/dashboard").get_data(as_text=True)
    assert "De Berchplaets" in html
