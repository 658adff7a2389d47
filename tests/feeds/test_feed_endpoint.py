"""GET /feeds/<token>.ics: caching, 404s that leak nothing, and what each scope may show."""

from __future__ import annotations

import hashlib
import logging
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select

from booking.extensions import db
from booking.models import AuditEntry, FeedToken, HouseMembership
from tests.conftest import local_day
from tests.feeds import api_login, book_at, cancel, events, new_feed, parse


def at(days_ahead: int, hour: int) -> datetime:
    return datetime.combine(local_day(days_ahead), time(hour))


def test_headers_etag_and_304(app, client, make_house, make_user):
    house, user = make_house(), make_user()
    booking_id = book_at(app, user, house.room_ids[0], at(3, 10))
    _, path = new_feed(api_login(client, user), "mine")
    feed = app.test_client()  # a calendar app: no session

    first = feed.get(path)
    assert first.status_code == 200
    assert first.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert first.headers["Cache-Control"] == "private, max-age=900"
    assert "Set-Cookie" not in first.headers
    etag, last_modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert etag.strip('"') == hashlib.sha256(first.data).hexdigest()[:40]

    again = feed.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag
    since = feed.get(path, headers={"If-Modified-Since": last_modified})
    assert since.status_code == 304
    assert feed.get(path, headers={"If-None-Match": '"something-else"'}).status_code == 200

    cancel(app, booking_id, user)
    changed = feed.get(path, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag
    assert str(events(parse(changed.data))[0]["STATUS"]) == "CANCELLED"
    assert feed.get(path, headers={"If-Modified-Since": last_modified}).status_code in (200, 304)


def test_the_body_does_not_change_between_requests(app, client, make_house, make_user):
    """DTSTAMP comes from the data, not the clock: otherwise no poll would ever be a 304."""
    house, user = make_house(), make_user()
    book_at(app, user, house.room_ids[0], at(3, 10))
    _, path = new_feed(api_login(client, user), "mine")
    assert client.get(path).data == client.get(path).data


def test_unknown_and_revoked_tokens_answer_the_same_404(app, client, make_house, make_user):
    user = make_user()
    feed_id, path = new_feed(api_login(client, user), "mine")
    assert client.get(path).status_code == 200
    assert client.delete(f"/api/v1/feeds/{feed_id}").status_code == 204

    revoked = app.test_client().get(path)
    unknown = app.test_client().get("/feeds/" + "x" * 43 + ".ics")
    assert revoked.status_code == unknown.status_code == 404
    assert revoked.data == unknown.data
    assert revoked.headers["Content-Type"] == unknown.headers["Content-Type"]


def test_the_token_is_stored_hashed_and_never_logged(app, client, make_user, caplog):
    user = make_user()
    caplog.set_level(logging.DEBUG)
    feed_id, path = new_feed(api_login(client, user), "mine")
    token = path.removeprefix("/feeds/").removesuffix(".ics")
    assert len(token) >= 43
    client.get(path)
    client.get("/feeds/" + token[::-1] + ".ics")
    with app.app_context():
        stored = db.session.get(FeedToken, feed_id)
        assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
        audit = " ".join(e.details for e in db.session.scalars(select(AuditEntry)))
    assert token not in audit
    assert token not in caplog.text


def test_public_feed_has_no_organiser_data_and_no_private_bookings(
    app, client, make_house, make_user
):
    house, organiser = make_house(), make_user()
    manager = make_user("sociaal_beheerder", house)
    book_at(app, organiser, house.room_ids[0], at(3, 10), title="Open inloop")
    book_at(app, organiser, house.room_ids[0], at(4, 10), title="Besloten overleg", public=False)
    gone = book_at(app, organiser, house.room_ids[1], at(5, 10), title="Afgelaste quiz")
    cancel(app, gone, organiser)
    api_login(client, manager)
    _, public_path = new_feed(client, "public", house.slug)
    _, house_path = new_feed(client, "house", house.slug)

    public = client.get(public_path).get_data(as_text=True)
    assert "Open inloop" in public
    for leak in (
        "Besloten overleg",
        "Afgelaste quiz",
        organiser.email,
        "@example",
        "Test initiatiefnemer",
        "mijn-boekingen",
        "DESCRIPTION",
        "Organisator",
    ):
        assert leak not in public
    (event,) = events(parse(public))
    assert event["URL"] == f"http://localhost/huizen/{house.slug}"

    staff = client.get(house_path).get_data(as_text=True)
    assert "Besloten overleg" in staff and "Afgelaste quiz" in staff
    cal = parse(staff)
    descriptions = " ".join(str(e.get("DESCRIPTION", "")) for e in events(cal))
    assert organiser.email in descriptions and "Test initiatiefnemer" in descriptions


def test_mine_feed_holds_only_the_owners_bookings_without_organiser_data(
    app, client, make_house, make_user
):
    house, me, other = make_house(), make_user(), make_user()
    book_at(app, me, house.room_ids[0], at(3, 10), title="Mijn koffie")
    book_at(app, other, house.room_ids[1], at(3, 10), title="Andermans koffie")
    _, path = new_feed(api_login(client, me), "mine")
    text = client.get(path).get_data(as_text=True)
    assert "Mijn koffie" in text and "Andermans koffie" not in text
    assert me.email not in text and "Organisator" not in text


def test_room_feed_holds_only_that_room(app, client, make_house, make_user):
    house, user = make_house(), make_user()
    beheerder = make_user("beheerder", house)
    book_at(app, user, house.room_ids[0], at(3, 10), title="In zaal 1")
    book_at(app, user, house.room_ids[1], at(3, 10), title="In zaal 2")
    _, path = new_feed(api_login(client, beheerder), "room", house.room_ids[1])
    text = client.get(path).get_data(as_text=True)
    assert "In zaal 2" in text and "In zaal 1" not in text
    assert user.email in text.replace("\r\n ", "")


def test_window_is_31_days_back_to_400_days_ahead(app, client, make_house, make_user):
    house, user = make_house(), make_user()
    beheerder = make_user("beheerder", house)
    book_at(app, user, house.room_ids[0], at(3, 10), title="Binnenkort")
    with app.app_context():
        from booking.models import Booking

        for title, days in (("Lang geleden", -40), ("Net geweest", -20), ("Veel te ver", 420)):
            booking = db.session.scalars(select(Booking)).first()
            copy = Booking(
                **{
                    c.name: getattr(booking, c.name)
                    for c in Booking.__table__.columns
                    if c.name != "id"
                }
            )
            copy.title = title
            copy.start = booking.start + timedelta(days=days)
            copy.end = booking.end + timedelta(days=days)
            db.session.add(copy)
        db.session.commit()
    _, path = new_feed(api_login(client, beheerder), "house", house.slug)
    text = client.get(path).get_data(as_text=True)
    assert "Binnenkort" in text and "Net geweest" in text
    assert "Lang geleden" not in text and "Veel te ver" not in text


def test_a_cancelled_booking_leaves_the_feed_31_days_after_it_changed(
    app, client, make_house, make_user
):
    house, user = make_house(), make_user()
    booking_id = book_at(app, user, house.room_ids[0], at(3, 10), title="Afgezegd")
    cancel(app, booking_id, user)
    _, path = new_feed(api_login(client, user), "mine")
    assert "Afgezegd" in client.get(path).get_data(as_text=True)
    with app.app_context():
        from booking.models import Booking

        db.session.get(Booking, booking_id).updated_at = datetime.now(UTC) - timedelta(days=32)
        db.session.commit()
    assert "Afgezegd" not in client.get(path).get_data(as_text=True)


def test_a_house_feed_stops_when_its_owner_loses_the_house(app, client, make_house, make_user):
    house = make_house()
    beheerder = make_user("beheerder", house)
    _, house_path = new_feed(api_login(client, beheerder), "house", house.slug)
    _, public_path = new_feed(client, "public", house.slug)
    _, mine_path = new_feed(client, "mine")
    with app.app_context():
        db.session.execute(
            HouseMembership.__table__.delete().where(HouseMembership.user_id == beheerder.id)
        )
        db.session.commit()
    assert client.get(house_path).status_code == 404
    assert client.get(public_path).status_code == 200, "public data: a house website keeps it"
    assert client.get(mine_path).status_code == 200


def test_an_empty_feed_is_still_a_valid_calendar(app, client, make_user):
    _, path = new_feed(api_login(client, make_user()), "mine")
    response = client.get(path)
    cal = parse(response.data)
    assert events(cal) == [] and cal.walk("VTIMEZONE")
    assert response.headers["Last-Modified"]
