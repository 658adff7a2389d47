"""Mails to beheerders about new requests (at once, per their choice) and to an organiser
about a beheerder's override; snapshots like tests/mail/test_snapshots.py."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from booking.extensions import db
from booking.mail import request_mails, staff_mails
from booking.models import Booking, BookingSeries, OutboxMail, Room, User
from booking.rules.recurrence import Frequency, Recurrence
from booking.rules.statuses import BookingStatus, PriorityClass, TariffGroup
from booking.services import bookings, request_notices, series
from tests.conftest import activity, slot
from tests.mail.snapshot import assert_snapshots
from tests.mail.test_snapshots import CREATED, Scene, build_scene, local


@pytest.fixture
def scene(app: Flask) -> Iterator[Scene]:
    with app.app_context():
        yield build_scene()
        db.session.rollback()


def rendered(case: str) -> dict[str, str]:
    (mail,) = db.session.scalars(select(OutboxMail)).all()
    header = f"Kind: {mail.kind}\nTo: {mail.to_address}\nSubject: {mail.subject}\n\n"
    assert not mail.attachment_name
    return {f"{case}.txt": header + mail.body_text + "\n", f"{case}.html": mail.body_html + "\n"}


# Snapshots -----------------------------------------------------------------------------


def test_a_new_request_mail_renders_as_its_snapshot(scene: Scene) -> None:
    booking = scene.booking(BookingStatus.aangevraagd)
    request_mails.queue_request(scene.beheerder, [booking], request_notices.expires_at(booking))
    assert_snapshots(rendered("request_new"))


def test_a_series_request_is_one_mail_listing_its_dates(scene: Scene) -> None:
    row = BookingSeries(
        room_id=scene.zaal.id,
        organiser_id=scene.anna.id,
        freq="weekly",
        interval=1,
        until=date(2030, 4, 5),
        local_start=local(date(2030, 3, 15), "19:00").time(),
        local_end=local(date(2030, 3, 15), "21:30").time(),
        title="Buurtsoep & bingo",
        created_at=CREATED,
    )
    db.session.add(row)
    db.session.flush()
    dates = [
        scene.booking(
            BookingStatus.aangevraagd,
            series=row,
            start=local(date(2030, 3, d), "19:00"),
            end=local(date(2030, 3, d), "21:30"),
        )
        for d in (15, 22, 29)
    ]
    request_mails.queue_request(scene.beheerder, dates, request_notices.expires_at(dates[0]))
    files = rendered("request_new_series")
    assert files["request_new_series.txt"].count("maart 2030 19:00–21:30") == 3
    assert_snapshots(files)


def test_the_daily_digest_renders_as_its_snapshot(scene: Scene) -> None:
    first = scene.booking(BookingStatus.aangevraagd)
    second = scene.booking(
        BookingStatus.aangevraagd,
        room=scene.huiskamer,
        organiser=scene.olga,
        title="Taalcafé",
        start=local(date(2030, 3, 20), "10:00"),
        end=local(date(2030, 3, 20), "11:30"),
        created_at=CREATED + timedelta(hours=3),
    )
    items = [
        request_notices.WaitingRequest(b, request_notices.expires_at(b)) for b in (first, second)
    ]
    request_mails.queue_digest(scene.beheerder, items, "2030-02-02", still_waiting=5)
    assert_snapshots(rendered("request_digest"))


def test_an_override_mail_renders_as_its_snapshot(scene: Scene) -> None:
    booking = scene.booking(
        BookingStatus.bevestigd,
        tariff_group="T3",
        priority_class=3,
        amount_cents=2500,
        override_reason="Het is een besloten ledenavond.",
        sequence=1,
    )
    staff_mails.notify_overridden(booking, ("T2", 2, 1250))
    files = rendered("booking_overridden")
    text = files["booking_overridden.txt"]
    assert "Eerst: T2, klasse 2, €\u00a012,50. Nu: T3, klasse 3, €\u00a025,00." in text
    assert "Het is een besloten ledenavond." in text
    assert_snapshots(files)


def test_an_english_beheerder_gets_the_request_in_english(scene: Scene) -> None:
    scene.beheerder.locale = "en"
    booking = scene.booking(BookingStatus.aangevraagd)
    request_mails.queue_request(scene.beheerder, [booking], request_notices.expires_at(booking))
    (mail,) = db.session.scalars(select(OutboxMail)).all()
    assert mail.body_html.startswith('<!doctype html>\n<html lang="en"')


# Who gets the mail at once -------------------------------------------------------------


@pytest.fixture
def people(app: Flask, make_house, make_user) -> dict[str, object]:
    house, other = make_house(), make_house()
    refs = {
        "house": house,
        "direct": make_user("beheerder", house, email="direct@example.org"),
        "dagelijks": make_user("beheerder", house, email="dagelijks@example.org"),
        "nooit": make_user("beheerder", house, email="nooit@example.org"),
        "sociaal": make_user("sociaal_beheerder", house, email="sociaal@example.org"),
        "elders": make_user("beheerder", other, email="elders@example.org"),
        "gemeente": make_user("gemeente", email="gemeente@example.org"),
        "organiser": make_user(email="organiser@example.org"),
    }
    with app.app_context():
        for name in ("dagelijks", "nooit"):
            db.session.get(User, refs[name].id).request_mail = name
        db.session.get(Room, house.room_ids[0]).requires_approval = True
        db.session.commit()
    return refs


def _mails_to(kind: str | None = None) -> list[str]:
    query = select(OutboxMail).order_by(OutboxMail.id)
    if kind:
        query = query.where(OutboxMail.kind == kind)
    return [m.to_address for m in db.session.scalars(query)]


def test_a_request_mails_only_the_houses_beheerders_who_chose_direct(app, people, book) -> None:
    booking_id = book(people["organiser"], people["house"].room_ids[0], what=activity("vereniging"))
    with app.app_context():
        assert db.session.get(Booking, booking_id).status == BookingStatus.aangevraagd
        assert _mails_to("request_new") == ["direct@example.org"]
        mail = db.session.scalars(select(OutboxMail).where(OutboxMail.kind == "request_new")).one()
        assert f"/beheer/{people['house'].slug}/boekingen/{booking_id}" in mail.body_text
        assert "Beslis vóór" in mail.body_text


def test_a_confirmed_booking_mails_no_beheerder(app, people, book) -> None:
    book(people["organiser"], people["house"].room_ids[1])
    with app.app_context():
        assert _mails_to() == ["organiser@example.org"]


def test_a_beheerders_own_request_is_not_announced_to_them(app, people, book) -> None:
    book(people["direct"], people["house"].room_ids[0], what=activity("vereniging"))
    with app.app_context():
        assert _mails_to("request_new") == []


def test_a_series_of_requests_is_one_mail_per_beheerder(app, people) -> None:
    start, end = slot(5)
    with app.app_context():
        made = series.create_series(
            db.session.get(User, people["organiser"].id),
            people["house"].room_ids[0],
            start,
            end,
            "Cursus",
            False,
            activity("vereniging"),
            Recurrence(Frequency.weekly, 1, (start + timedelta(days=21)).date()),
            now=datetime.now(UTC),
        )
        assert len(made.occurrences) >= 3
        assert _mails_to("request_new") == ["direct@example.org"]
        (mail,) = db.session.scalars(select(OutboxMail).where(OutboxMail.kind == "request_new"))
        assert "Datums van de reeks die wachten:" in mail.body_text


def test_an_override_mails_the_organiser(app, people, book) -> None:
    booking_id = book(people["organiser"], people["house"].room_ids[1])
    with app.app_context():
        bookings.override_tariff(
            booking_id,
            db.session.get(User, people["direct"].id),
            tariff_group=TariffGroup("T3"),
            priority_class=PriorityClass(3),
            reason="Besloten groep",
            now=datetime.now(UTC),
        )
        assert _mails_to("booking_overridden") == ["organiser@example.org"]
