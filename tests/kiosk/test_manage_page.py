"""The kiosk page warns when the house has no opening hours yet: a check-in outside the
opening hours is flagged and left out, so a tablet paired in a new house counts nobody."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import delete

from booking.extensions import db
from booking.models import OpeningHours
from tests.conftest import login

WARNING = "Dit huis heeft nog geen openingstijden."


def _without_opening_hours(app: Flask, house_id: int) -> None:
    with app.app_context():
        db.session.execute(delete(OpeningHours).where(OpeningHours.house_id == house_id))
        db.session.commit()


def test_no_warning_while_the_house_has_opening_hours(app, make_house, make_user) -> None:
    house = make_house()
    client = app.test_client()
    login(client, make_user("beheerder", house))
    page = client.get(f"/kiosk/beheer/{house.slug}").get_data(as_text=True)
    assert WARNING not in page


def test_the_beheerder_is_warned_and_sent_to_the_opening_hours(app, make_house, make_user):
    house = make_house()
    _without_opening_hours(app, house.id)
    client = app.test_client()
    login(client, make_user("beheerder", house))
    page = client.get(f"/kiosk/beheer/{house.slug}").get_data(as_text=True)
    assert WARNING in page
    assert f'href="/beheer/{house.slug}/openingstijden"' in page


def test_a_sociaal_beheerder_is_told_to_ask_the_beheerder(app, make_house, make_user) -> None:
    house = make_house()
    _without_opening_hours(app, house.id)
    client = app.test_client()
    login(client, make_user("sociaal_beheerder", house))
    page = client.get(f"/kiosk/beheer/{house.slug}").get_data(as_text=True)
    assert WARNING in page
    assert "/openingstijden" not in page  # not theirs to set
    assert "Vraag de beheerder van het huis ze in te stellen." in page
