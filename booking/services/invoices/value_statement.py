"""The waardeoverzicht: the rent value a free (or discounted) initiative used in a year,
for its own accounts to funders (issue 13 §6).

Per booking that took place in the year (confirmed, started before now): the list price,
what was charged and what the house gave away. A person asks for their own bookings
(those not made namens an organisation), a contact for an organisation's; the beheerders of
a house (and the gemeente) for any organisation or organiser that booked there — their
statement then holds only the bookings of the houses they manage."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from booking.errors import Forbidden, InvalidInput, NotFound
from booking.extensions import db
from booking.models import Booking, Organisation, Room, User
from booking.rules.messages import N_, Message
from booking.rules.permissions import Permission
from booking.rules.slots import AMSTERDAM, local_to_utc
from booking.rules.statuses import BookingStatus
from booking.services.invoices.common import hours_hundredths
from booking.services.invoicing import BOM, csv_text, decimal_comma


@dataclass(frozen=True)
class ValueLine:
    start: datetime  # Europe/Amsterdam
    end: datetime
    house: str
    room: str
    activity: str
    hours_hundredths: int
    tariff_group: str
    list_price_cents: int
    charged_cents: int

    @property
    def given_away_cents(self) -> int:
        return max(self.list_price_cents - self.charged_cents, 0)  # T4 pays above list


@dataclass(frozen=True)
class ValueStatement:
    recipient: str
    year: int
    made_on: date
    lines: tuple[ValueLine, ...]

    @property
    def list_price_cents(self) -> int:
        return sum(line.list_price_cents for line in self.lines)

    @property
    def charged_cents(self) -> int:
        return sum(line.charged_cents for line in self.lines)

    @property
    def given_away_cents(self) -> int:
        return sum(line.given_away_cents for line in self.lines)

    @property
    def hours_hundredths(self) -> int:
        return sum(line.hours_hundredths for line in self.lines)


def _year(text: str | None, today: date) -> int:
    if not text:
        return today.year
    text = text.strip()
    if not (text.isascii() and text.isdigit() and len(text) == 4) or not (
        2000 <= int(text) <= today.year
    ):
        raise InvalidInput("jaar", Message(N_("Kies een jaar van 2000 tot en met dit jaar.")))
    return int(text)


def _books_in(organisation: Organisation, house_ids: set[int]) -> bool:
    """Whether staff of these houses know the organisation: it was registered or booked there."""
    if not house_ids:
        return False
    if organisation.house_id in house_ids:
        return True
    return (
        db.session.scalar(
            select(Booking.id)
            .join(Room, Room.id == Booking.room_id)
            .where(Booking.organisation_id == organisation.id, Room.house_id.in_(house_ids))
            .limit(1)
        )
        is not None
    )


def value_statement(
    actor: User, *, year_text: str | None, organisation_id: int | None, now: datetime
) -> ValueStatement:
    today = now.astimezone(AMSTERDAM).date()
    year = _year(year_text, today)
    start = local_to_utc(datetime.combine(date(year, 1, 1), time.min))
    end = min(local_to_utc(datetime.combine(date(year + 1, 1, 1), time.min)), now)
    query = (
        select(Booking)
        .join(Room, Room.id == Booking.room_id)
        .options(selectinload(Booking.room).selectinload(Room.house))
        .where(
            Booking.start >= start,
            Booking.start < end,
            Booking.status == BookingStatus.bevestigd.value,
        )
        .order_by(Booking.start)
    )
    if organisation_id is not None:
        organisation = db.session.get(Organisation, organisation_id)
        if organisation is None:
            raise NotFound(str(organisation_id))
        query = query.where(Booking.organisation_id == organisation.id)
        recipient = organisation.name
        if not organisation.has_contact(actor):
            managed = actor.house_ids_with(Permission.manage_invoices)
            if managed is not None:
                if not _books_in(organisation, managed):
                    raise Forbidden(str(organisation_id))
                query = query.where(Room.house_id.in_(managed))
    else:
        query = query.where(
            Booking.organiser_id == actor.id,
            Booking.organisation_id.is_(None),
            Booking.on_behalf_name == "",
        )
        recipient = actor.name
    lines = tuple(
        ValueLine(
            start=b.start.astimezone(AMSTERDAM),
            end=b.end.astimezone(AMSTERDAM),
            house=b.room.house.name,
            room=b.room.name,
            activity=b.title,
            hours_hundredths=hours_hundredths(b.start, b.end),
            tariff_group=b.tariff_group,
            list_price_cents=b.list_price_cents,
            charged_cents=b.amount_cents,
        )
        for b in db.session.scalars(query)
    )
    return ValueStatement(recipient, year, today, lines)


def statement_csv(statement: ValueStatement) -> str:
    """The statement for a spreadsheet, the Dutch way (see services/invoicing.py)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        (
            "datum",
            "begin",
            "eind",
            "huis",
            "ruimte",
            "activiteit",
            "uren",
            "tariefgroep",
            "huurwaarde",
            "betaald",
            "geschonken",
        )
    )
    for line in statement.lines:
        writer.writerow(
            (
                f"{line.start:%d-%m-%Y}",
                f"{line.start:%H:%M}",
                f"{line.end:%H:%M}",
                csv_text(line.house),
                csv_text(line.room),
                csv_text(line.activity),
                decimal_comma(line.hours_hundredths),
                line.tariff_group,
                decimal_comma(line.list_price_cents),
                decimal_comma(line.charged_cents),
                decimal_comma(line.given_away_cents),
            )
        )
    return BOM + out.getvalue()
