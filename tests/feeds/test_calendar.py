"""What the calendars say: RRULE/EXDATE only where exact, DST, STATUS, SEQUENCE, mail .ics."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from booking.extensions import db
from booking.models import Booking, OutboxMail, Room, User
from booking.rules.slots import AMSTERDAM, local_to_utc
from booking.services import bookings, feed_contents, feeds
from tests.conftest import local_day, login
from tests.feeds import (
    active_instances,
    api_login,
    book_at,
    cancel,
    events,
    expand,
    make_series,
    new_feed,
    parse,
    stored_active,
)

NOW_2027 = datetime(2027, 3, 1, 9, tzinfo=UTC)


def at(days_ahead: int, hour: int) -> datetime:
    """Naive Amsterdam wall time `days_ahead` local days from today."""
    return datetime.combine(local_day(days_ahead), time(hour))


def window() -> tuple[datetime, datetime]:
    now = datetime.now(UTC)
    return now - timedelta(days=31), now + timedelta(days=400)


def render(app, feed_id: int, now: datetime) -> bytes:
    """The feed as the endpoint would answer it at `now` (the endpoint uses the real clock)."""
    with app.app_context():
        from booking.models import FeedToken

        rendered = feed_contents.render_feed(db.session.get(FeedToken, feed_id), now=now)
        assert rendered is not None
        return rendered.body


def test_weekly_series_with_a_cancelled_occurrence_is_one_rrule_with_exdate(
    app, client, make_house, make_user
):
    house, user = make_house(), make_user()
    first = at(7, 19)
    ids = make_series(
        app,
        user,
        house.room_ids[0],
        first,
        2,
        first.date() + timedelta(weeks=5),
        now=datetime.now(UTC),
    )
    assert len(ids) == 6
    cancel(app, ids[2], user)
    _, path = new_feed(api_login(client, user), "mine")

    cal = parse(client.get(path).data)
    (event,) = events(cal)
    assert event["UID"] == f"series-{_series_id(app, ids[0])}@buurthuis"
    rule = event["RRULE"]
    assert rule["FREQ"] == ["WEEKLY"] and rule["INTERVAL"] == [1]
    assert rule["UNTIL"][0].tzinfo is not None and rule["UNTIL"][0].utcoffset() == timedelta(0)
    assert event["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    exdates = [d.dt for d in event["EXDATE"].dts]
    assert exdates == [(first + timedelta(weeks=2)).replace(tzinfo=AMSTERDAM)]
    assert "EXDATE;TZID=Europe/Amsterdam:" in client.get(path).get_data(as_text=True)
    assert active_instances(cal, *window()) == stored_active(app, ids)
    assert len(stored_active(app, ids)) == 5


def _series_id(app, booking_id: int) -> int:
    with app.app_context():
        return db.session.get(Booking, booking_id).series_id


def test_mixed_single_bookings_expand_to_exactly_the_active_ones(
    app, client, make_house, make_user
):
    house, user = make_house(), make_user()
    confirmed = book_at(app, user, house.room_ids[0], at(3, 10))
    provisional = book_at(app, user, house.room_ids[0], at(30, 10), kind="commercieel")
    cancelled = book_at(app, user, house.room_ids[1], at(4, 14))
    cancel(app, cancelled, user)
    with app.app_context():
        db.session.get(Room, house.room_ids[1]).requires_approval = True
        db.session.commit()
    requested = book_at(app, user, house.room_ids[1], at(5, 10))
    _, path = new_feed(api_login(client, user), "mine")

    cal = parse(client.get(path).data)
    assert active_instances(cal, *window()) == stored_active(
        app, [confirmed, provisional, cancelled, requested]
    )
    status = {str(e["UID"]): str(e["STATUS"]) for e in events(cal)}
    assert status == {
        f"booking-{confirmed}@buurthuis": "CONFIRMED",
        f"booking-{provisional}@buurthuis": "TENTATIVE",
        f"booking-{requested}@buurthuis": "TENTATIVE",
        f"booking-{cancelled}@buurthuis": "CANCELLED",
    }
    with app.app_context():
        stored = {b.id: b.status for b in db.session.scalars(select(Booking))}
    assert stored[provisional] == "onder_voorbehoud" and stored[requested] == "aangevraagd"


def test_every_event_carries_the_required_properties(app, client, make_house, make_user):
    house, user = make_house(), make_user()
    booking_id = book_at(app, user, house.room_ids[0], at(3, 10), title="Buurtsoep")
    _, path = new_feed(api_login(client, user), "mine")
    text = client.get(path).get_data(as_text=True)
    cal = parse(text)
    for name, value in [("VERSION", "2.0"), ("CALSCALE", "GREGORIAN"), ("METHOD", "PUBLISH")]:
        assert str(cal[name]) == value
    assert "PRODID" in cal and "X-WR-CALNAME" in cal
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in text and "X-PUBLISHED-TTL:PT1H" in text
    (tz,) = cal.walk("VTIMEZONE")
    assert tz["TZID"] == "Europe/Amsterdam"
    assert len(tz.to_ical()) < 1000, "the VTIMEZONE must cover only the events' dates"
    (event,) = events(cal)
    assert event["UID"] == f"booking-{booking_id}@buurthuis"
    assert {"DTSTAMP", "SEQUENCE", "STATUS", "DTSTART", "DTEND", "URL"} <= set(event)
    assert event["SUMMARY"] == "Buurtsoep"
    assert event["LOCATION"] == "Zaal 1, Testhuis 1"
    assert event["URL"] == f"http://localhost/mijn-boekingen/{booking_id}"
    assert event["DTSTART"].dt == at(3, 10).replace(tzinfo=AMSTERDAM)
    assert "DTSTART;TZID=Europe/Amsterdam:" in text


def test_sequence_rises_and_status_becomes_cancelled(app, client, make_house, make_user):
    house, user = make_house(), make_user()
    booking_id = book_at(app, user, house.room_ids[0], at(3, 10))
    _, path = new_feed(api_login(client, user), "mine")
    (before,) = events(parse(client.get(path).data))
    cancel(app, booking_id, user)
    (after,) = events(parse(client.get(path).data))
    assert (str(before["STATUS"]), str(after["STATUS"])) == ("CONFIRMED", "CANCELLED")
    assert after["SEQUENCE"] > before["SEQUENCE"]


def test_a_series_sequence_rises_when_an_occurrence_is_cancelled(
    app, client, make_house, make_user
):
    house, user = make_house(), make_user()
    first = at(7, 19)
    ids = make_series(
        app,
        user,
        house.room_ids[0],
        first,
        2,
        first.date() + timedelta(weeks=3),
        now=datetime.now(UTC),
    )
    _, path = new_feed(api_login(client, user), "mine")
    (before,) = events(parse(client.get(path).data))
    cancel(app, ids[1], user)
    (after,) = events(parse(client.get(path).data))
    assert after["UID"] == before["UID"] and after["SEQUENCE"] > before["SEQUENCE"]


def test_dst_weekly_thursday_series_stays_at_19_local(app, make_house, make_user):
    """Thursday 19:00 from before 28 March 2027 until after 31 October 2027."""
    house, user = make_house(), make_user()
    first = datetime(2027, 3, 18, 19)
    ids = make_series(app, user, house.room_ids[0], first, 2, date(2027, 11, 4), now=NOW_2027)
    cancelled = ids[3]  # 8 April, in summer time
    cancel(app, cancelled, user, now=NOW_2027)
    feed_id = _mine_feed(app, user)

    body = render(app, feed_id, NOW_2027)
    cal = parse(body)
    (event,) = events(cal)
    assert "RRULE" in event, "one status, same wall-clock time: the series is exact"
    assert b"EXDATE;TZID=Europe/Amsterdam:20270408T190000" in body
    instances = expand(cal, date(2027, 1, 1), date(2028, 1, 1))
    assert {i["DTSTART"].dt.astimezone(AMSTERDAM).time() for i in instances} == {time(19)}
    assert {i["DTEND"].dt.astimezone(AMSTERDAM).time() for i in instances} == {time(21)}
    utc_hours = {i["DTSTART"].dt.date(): i["DTSTART"].dt.astimezone(UTC).hour for i in instances}
    assert utc_hours[date(2027, 3, 25)] == 18 and utc_hours[date(2027, 4, 1)] == 17
    assert utc_hours[date(2027, 10, 28)] == 17 and utc_hours[date(2027, 11, 4)] == 18
    assert active_instances(cal, date(2027, 1, 1), date(2028, 1, 1)) == stored_active(app, ids)
    assert len(instances) == len(ids) - 1


def test_dst_monthly_series_uses_byday_and_keeps_local_time(app, make_house, make_user):
    """Second Sunday of the month at 19:00, across both changes of 2027."""
    house, user = make_house(), make_user()
    first = datetime(2027, 3, 14, 19)
    ids = make_series(
        app, user, house.room_ids[0], first, 2, date(2027, 12, 31), now=NOW_2027, freq="monthly"
    )
    body = render(app, _mine_feed(app, user), NOW_2027)
    cal = parse(body)
    (event,) = events(cal)
    assert event["RRULE"]["BYDAY"] == ["+2SU"] and event["RRULE"]["FREQ"] == ["MONTHLY"]
    assert b"BYDAY=+2SU" in body
    instances = expand(cal, date(2027, 1, 1), date(2028, 1, 1))
    assert {i["DTSTART"].dt.astimezone(AMSTERDAM).time() for i in instances} == {time(19)}
    assert active_instances(cal, date(2027, 1, 1), date(2028, 1, 1)) == stored_active(app, ids)
    assert len(ids) == 10


def _mine_feed(app, user) -> int:
    with app.app_context():
        created = feeds.create_feed(db.session.get(User, user.id), "mine", None, now=NOW_2027)
        db.session.commit()
        return created.feed.id


def test_mixed_statuses_in_a_series_go_out_as_single_events(app, client, make_house, make_user):
    """A commercial series: the first dates are confirmed (in the window), later ones not."""
    house, user = make_house(), make_user()
    first = at(7, 19)
    ids = make_series(
        app,
        user,
        house.room_ids[0],
        first,
        2,
        first.date() + timedelta(weeks=4),
        now=datetime.now(UTC),
        kind="commercieel",
    )
    with app.app_context():
        statuses = {db.session.get(Booking, i).status for i in ids}
    assert statuses == {"bevestigd", "onder_voorbehoud"}
    _, path = new_feed(api_login(client, user), "mine")
    cal = parse(client.get(path).data)
    assert all("RRULE" not in e for e in events(cal))
    assert {str(e["UID"]) for e in events(cal)} == {f"booking-{i}@buurthuis" for i in ids}
    assert active_instances(cal, *window()) == stored_active(app, ids)


def test_a_moved_occurrence_makes_the_series_single_events(app, client, make_house, make_user):
    house, user = make_house(), make_user()
    first = at(7, 19)
    ids = make_series(
        app,
        user,
        house.room_ids[0],
        first,
        2,
        first.date() + timedelta(weeks=3),
        now=datetime.now(UTC),
    )
    with app.app_context():
        moved = db.session.get(Booking, ids[1])
        moved.start = local_to_utc(first + timedelta(weeks=1, hours=-1))
        moved.end = local_to_utc(first + timedelta(weeks=1, hours=1))
        moved.sequence += 1
        db.session.commit()
    _, path = new_feed(api_login(client, user), "mine")
    cal = parse(client.get(path).data)
    assert len(events(cal)) == len(ids) and all("RRULE" not in e for e in events(cal))
    assert active_instances(cal, *window()) == stored_active(app, ids)


def test_downloads_write_series_as_single_events_within_the_period(
    app, client, make_house, make_user
):
    house, user = make_house(), make_user()
    first = at(7, 19)
    ids = make_series(
        app,
        user,
        house.room_ids[0],
        first,
        2,
        first.date() + timedelta(weeks=5),
        now=datetime.now(UTC),
    )
    login(client, user)
    van, tot = first.date(), first.date() + timedelta(weeks=2)
    response = client.get(f"/agenda-links/download.ics?scope=mine&van={van}&tot={tot}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    cal = parse(response.data)
    assert {str(e["UID"]) for e in events(cal)} == {f"booking-{i}@buurthuis" for i in ids[:3]}


# Mail attachments ------------------------------------------------------------------------


def _mails(app) -> list[OutboxMail]:
    with app.app_context():
        found = list(db.session.scalars(select(OutboxMail).order_by(OutboxMail.id)))
        db.session.expunge_all()
        return found


def test_confirmation_mails_carry_a_parseable_ics(app, make_house, make_user):
    house, user = make_house(), make_user()
    confirmed = book_at(app, user, house.room_ids[0], at(3, 10))
    provisional = book_at(app, user, house.room_ids[0], at(30, 10), kind="commercieel")
    cancel(app, confirmed, user)
    mails = {(m.kind, m.attachment_name): m for m in _mails(app)}
    for kind, booking_id, status in [
        ("booking_bevestigd", confirmed, "CONFIRMED"),
        ("booking_onder_voorbehoud", provisional, "TENTATIVE"),
    ]:
        mail = mails[(kind, "boeking.ics")]
        assert mail.attachment_type == "text/calendar"
        cal = parse(mail.attachment_body)
        assert str(cal["METHOD"]) == "PUBLISH"
        (event,) = events(cal)
        assert event["UID"] == f"booking-{booking_id}@buurthuis"
        assert str(event["STATUS"]) == status
        assert cal.walk("VTIMEZONE")
    assert ("booking_cancelled", "") in mails, "no agenda item for a cancellation"


def test_approval_mail_carries_the_ics_and_a_request_does_not(app, make_house, make_user):
    house, user = make_house(), make_user()
    beheerder = make_user("beheerder", house)
    with app.app_context():
        db.session.get(Room, house.room_ids[0]).requires_approval = True
        db.session.commit()
    requested = book_at(app, user, house.room_ids[0], at(3, 10))
    with app.app_context():
        bookings.decide_request(
            requested,
            db.session.get(User, beheerder.id),
            approve=True,
            reason="",
            now=datetime.now(UTC),
        )
        db.session.commit()
    mails = {m.kind: m for m in _mails(app)}
    assert mails["booking_aangevraagd"].attachment_body == ""
    approved = mails["booking_approved"]
    assert approved.attachment_name == "boeking.ics"
    (event,) = events(parse(approved.attachment_body))
    assert event["UID"] == f"booking-{requested}@buurthuis"
    assert event["SEQUENCE"] == 1 and str(event["STATUS"]) == "CONFIRMED"
