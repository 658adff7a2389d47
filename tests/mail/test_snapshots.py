"""Snapshots of every mail the product sends about a booking, and of one .ics download.

Each case builds one booking in a fixed state, lets the real mail function write it to the
outbox, and compares what was stored with the files under tests/mail/snapshots/:
`<case>.txt` (kind, recipient, subject and the text part), `<case>.html` (the HTML part)
and, when the mail has one, `<case>.ics` (its calendar attachment). The last test GETs a
period download from booking/feeds through the test client and compares the whole .ics.

The output is deterministic: every name, time, price and id in the data is fixed (the
bookings have explicit ids, because iCalendar UIDs carry them), and nothing rendered
depends on the clock except the DTSTAMP of a mail attachment, which is "the moment the mail
is written" by design. That one line is checked to lie within the test run and then
written as DTSTAMP:<written> in the snapshot. The feed's DTSTAMP is the booking's
`updated_at`, fixed here; the download's `now` only decides which cancelled bookings show,
and this period has none. iCalendar's CRLF line ends are checked, then stored as LF.

A mismatch fails with a unified diff. When a change to a mail is meant, regenerate:

    UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/mail/test_snapshots.py

and review `git diff tests/mail/snapshots` like any other change.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from booking.extensions import db
from booking.mail import booking_mails, job_mails
from booking.models import Area, Booking, BookingSeries, House, OutboxMail, Room, User
from booking.rules.messages import N_, Message, encode_reason, encode_text_reason
from booking.rules.permissions import Role
from booking.rules.priority import displacement_reason
from booking.rules.slots import local_to_utc
from booking.rules.statuses import BookingStatus, OrganiserKind, PriorityClass
from booking.services import accounts
from tests.conftest import PASSWORD, UserRef, login
from tests.mail.snapshot import assert_snapshots

CREATED = datetime(2030, 2, 1, 9, 30, tzinfo=UTC)
UPDATED = datetime(2030, 2, 3, 14, 15, tzinfo=UTC)
EXPIRED_REASON = Message(N_("Verlopen: de beheerder heeft niet op tijd beslist."), {})
"""The reason the expiry job (booking/jobs.py) stores on a lapsed request."""


def local(day: date, clock: str) -> datetime:
    """Amsterdam wall-clock time as the UTC moment the database stores."""
    return local_to_utc(datetime.combine(day, time.fromisoformat(clock)))


@dataclass(frozen=True)
class Suggested:
    """An alternative slot as the mail reads it (booking_mails.Suggestion)."""

    room: Room
    start: datetime
    end: datetime


@dataclass
class Scene:
    """One house with two rooms, an organiser in Dutch and one in English, a beheerder."""

    house: House
    zaal: Room
    huiskamer: Room
    anna: User
    olga: User
    beheerder: User
    next_id: int = 4711

    def booking(self, status: BookingStatus, **fields: object) -> Booking:
        """A booking of the big room on Friday 15 March 2030, 19:00-21:30, in `status`."""
        values: dict[str, object] = {
            "id": self.next_id,
            "room": self.zaal,
            "organiser": self.anna,
            "title": "Buurtsoep & bingo",
            "public": True,
            "start": local(date(2030, 3, 15), "19:00"),
            "end": local(date(2030, 3, 15), "21:30"),
            "status": status.value,
            "tariff_group": "T2",
            "priority_class": int(PriorityClass(2)),
            "amount_cents": 1250,
            "list_price_cents": 2500,
            "organiser_kind": OrganiserKind.vereniging.value,
            "open_to_all": True,
            "membership_required": False,
            "contribution_cents": 300,
            "profit_making": False,
            "subsidised": False,
            "mainly_meeting": True,
            "gives_in_return": False,
            "sequence": 0,
            "created_at": CREATED,
            "updated_at": UPDATED,
        }
        values.update(fields)
        self.next_id += 1
        booking = Booking(**values)
        db.session.add(booking)
        db.session.flush()
        return booking


def build_scene() -> Scene:
    area = Area(name="Lith", kind="kern")
    house = House(slug="de-lithse-ham", name="Wijkhuis De Lithse Ham", area=area)
    zaal = Room(name="Grote zaal", capacity=60, base_rate_cents=2500)
    huiskamer = Room(name="Huiskamer", capacity=12, base_rate_cents=1000, is_huiskamer=True)
    house.rooms = [zaal, huiskamer]
    db.session.add(house)
    db.session.flush()
    anna = accounts.create_user(
        "anna@example.org", Role.initiatiefnemer, PASSWORD, name="Anna de Vries"
    )
    olga = accounts.create_user(
        "olga@example.org", Role.initiatiefnemer, PASSWORD, name="Olga Nowak"
    )
    olga.locale = "en"
    beheerder = accounts.create_user(
        "beheer@example.org", Role.beheerder, PASSWORD, name="Bert Beheer", house=house
    )
    db.session.flush()
    return Scene(house, zaal, huiskamer, anna, olga, beheerder)


# The mails ---------------------------------------------------------------------------


def booked(status: BookingStatus, **fields: object) -> Callable[[Scene], None]:
    def make(scene: Scene) -> None:
        booking_mails.notify_booked(scene.booking(status, **fields))

    return make


def series_booked(scene: Scene) -> None:
    first = date(2030, 3, 15)
    series = BookingSeries(
        room_id=scene.zaal.id,
        organiser_id=scene.anna.id,
        freq="weekly",
        interval=1,
        until=date(2030, 4, 5),
        local_start=time(19),
        local_end=time(21, 30),
        title="Buurtsoep & bingo",
        created_at=CREATED,
    )
    db.session.add(series)
    db.session.flush()
    dates = [first.replace(day=d) for d in (15, 22, 29)]
    bookings = [
        scene.booking(
            BookingStatus.bevestigd,
            series=series,
            start=local(day, "19:00"),
            end=local(day, "21:30"),
        )
        for day in dates
    ]
    conflicts = ["5 april 2030: bezet"]  # only counted by the mail
    booking_mails.notify_series_booked(series, bookings, conflicts)


def cancelled(by_organiser: bool) -> Callable[[Scene], None]:
    def make(scene: Scene) -> None:
        reason = "" if by_organiser else encode_text_reason("De zaal wordt geschilderd.")
        booking = scene.booking(BookingStatus.geannuleerd, status_reason=reason, sequence=1)
        booking_mails.notify_cancelled(booking, by_organiser=by_organiser)

    return make


def displaced(scene: Scene) -> None:
    reason = displacement_reason(PriorityClass(1), PriorityClass(3))
    booking = scene.booking(
        BookingStatus.verdrongen, priority_class=3, status_reason=encode_reason(reason), sequence=1
    )
    day = date(2030, 3, 15)
    suggestions = [
        Suggested(scene.zaal, local(day, "15:00"), local(day, "17:30")),
        Suggested(scene.huiskamer, local(day, "19:00"), local(day, "21:30")),
    ]
    booking_mails.notify_displaced(booking, reason, suggestions)


def decision(approved: bool, by_window: bool = False) -> Callable[[Scene], None]:
    def make(scene: Scene) -> None:
        if approved or by_window:
            booking = scene.booking(BookingStatus.bevestigd, sequence=1)
        else:
            booking = scene.booking(
                BookingStatus.afgewezen,
                sequence=1,
                status_reason=encode_text_reason("Die avond is de jaarvergadering van het huis."),
            )
        booking_mails.notify_decision(booking, approved=approved, by_window=by_window)

    return make


def expired(scene: Scene) -> None:
    booking = scene.booking(
        BookingStatus.afgewezen, status_reason=encode_reason(EXPIRED_REASON), sequence=1
    )
    job_mails.queue_expired(booking)


def reminder(scene: Scene) -> None:
    job_mails.queue_reminder(scene.booking(BookingStatus.bevestigd))


def reminder_en(scene: Scene) -> None:
    job_mails.queue_reminder(scene.booking(BookingStatus.bevestigd, organiser=scene.olga))


CASES: dict[str, Callable[[Scene], None]] = {
    "booked_bevestigd": booked(BookingStatus.bevestigd),
    "booked_onder_voorbehoud": booked(BookingStatus.onder_voorbehoud, priority_class=3),
    "booked_aangevraagd": booked(BookingStatus.aangevraagd),
    "series_booked": series_booked,
    "cancelled_by_organiser": cancelled(by_organiser=True),
    "cancelled_by_beheerder": cancelled(by_organiser=False),
    "displaced": displaced,
    "decision_approved": decision(approved=True),
    "decision_rejected": decision(approved=False),
    "decision_confirmed_by_window": decision(approved=False, by_window=True),
    "job_expired": expired,
    "job_reminder": reminder,
    "job_reminder_en": reminder_en,
}


@pytest.fixture
def scene(app: Flask) -> Iterator[Scene]:
    """The fixed data, flushed in the test's own transaction (never committed)."""
    with app.app_context():
        yield build_scene()
        db.session.rollback()


DTSTAMP = re.compile(r"^DTSTAMP:(\d{8}T\d{6}Z)$", re.MULTILINE)


def calendar_text(ics: str, *, written_between: tuple[datetime, datetime] | None) -> str:
    """The .ics as stored in a snapshot: CRLF checked and made LF, a mail's DTSTAMP fixed."""
    lines = ics.split("\r\n")
    assert lines[-1] == "" and not any("\n" in line for line in lines), "iCalendar uses CRLF"
    text = "\n".join(lines)
    if written_between is not None:
        earliest, latest = (moment.replace(microsecond=0) for moment in written_between)
        for stamp in DTSTAMP.findall(text):
            moment = datetime.strptime(stamp, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
            assert earliest <= moment <= latest, f"DTSTAMP {stamp} is not the time of writing"
        text = DTSTAMP.sub("DTSTAMP:<written>", text)
    return text


@pytest.mark.parametrize("case", CASES)
def test_a_mail_renders_as_its_snapshot(scene: Scene, case: str) -> None:
    before = datetime.now(UTC)
    CASES[case](scene)
    after = datetime.now(UTC)
    (mail,) = db.session.scalars(select(OutboxMail)).all()
    header = f"Kind: {mail.kind}\nTo: {mail.to_address}\nSubject: {mail.subject}\n\n"
    rendered = {
        f"{case}.txt": header + mail.body_text + "\n",
        f"{case}.html": mail.body_html + "\n",
    }
    if mail.attachment_name:
        assert (mail.attachment_name, mail.attachment_type) == ("boeking.ics", "text/calendar")
        ics = calendar_text(mail.attachment_body, written_between=(before, after))
        rendered[f"{case}.ics"] = ics
    assert_snapshots(rendered)


MAILS_WITH_ICS = {
    "booked_bevestigd",
    "booked_onder_voorbehoud",
    "decision_approved",
    "decision_confirmed_by_window",
}
"""The booked and decided mails whose slot is the organiser's (for now)."""


@pytest.mark.parametrize("case", CASES)
def test_a_mail_carries_an_ics_exactly_when_the_slot_is_theirs(scene: Scene, case: str) -> None:
    """The snapshot files alone would not notice an attachment that went missing."""
    CASES[case](scene)
    (mail,) = db.session.scalars(select(OutboxMail)).all()
    assert bool(mail.attachment_name) == (case in MAILS_WITH_ICS)


def test_every_mail_with_an_ics_is_one_of_the_cases() -> None:
    assert set(CASES) >= MAILS_WITH_ICS


# One .ics feed ---------------------------------------------------------------------------


def test_a_house_agenda_download_renders_as_its_snapshot(app: Flask, client: FlaskClient) -> None:
    """The beheerder downloads March 2030 of the house: single bookings and a series."""
    with app.app_context():
        scene = build_scene()
        scene.booking(BookingStatus.bevestigd)
        scene.booking(
            BookingStatus.aangevraagd,
            room=scene.huiskamer,
            organiser=scene.olga,
            title="Taalcafé\nmet koffie",  # a line break in stored text must stay one line
            public=False,
            start=local(date(2030, 3, 20), "10:00"),
            end=local(date(2030, 3, 20), "11:30"),
            tariff_group="T1",
            priority_class=1,
            amount_cents=0,
            list_price_cents=1000,
        )
        scene.booking(
            BookingStatus.onder_voorbehoud,
            start=local(date(2030, 3, 31), "01:00"),  # over the night the clocks go forward
            end=local(date(2030, 3, 31), "04:00"),
            title="Nachtwandeling",
            priority_class=3,
        )
        beheerder = UserRef(scene.beheerder.id, scene.beheerder.email)
        db.session.commit()
    login(client, beheerder)
    response = client.get(
        "/agenda-links/download.ics?scope=house&id=de-lithse-ham&van=2030-03-01&tot=2030-03-31"
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "text/calendar"
    ics = calendar_text(response.get_data(as_text=True), written_between=None)
    assert_snapshots({"download_house_2030-03.ics": ics})
