"""The invoicing export: one CSV per house and month, the way Dutch spreadsheets read it.

Dutch Excel expects `;` between fields and a decimal comma, opens UTF-8 correctly only
with a byte order mark, and is happiest with CRLF line ends. Amounts are plain numbers
("12,50", no euro sign, no thousands dot) so a spreadsheet can add them up. A booking is
in a month when its start lies in that month in Amsterdam time. Cancelled, displaced and
rejected bookings are not invoiced and so not listed.

`month_export` is the use case: only who may export the house's invoicing (the beheerder,
the gemeente) gets the file; the rest are the pieces it is made of.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from booking.errors import InvalidInput
from booking.extensions import db
from booking.models import Booking, House, Room, User
from booking.rules import dates
from booking.rules.messages import N_, Message
from booking.rules.permissions import Permission
from booking.rules.slots import AMSTERDAM, local_to_utc, real_duration
from booking.rules.statuses import BookingStatus
from booking.services.houses import house_for

BOM = "\ufeff"
INVOICED_STATUSES = (
    BookingStatus.bevestigd.value,
    BookingStatus.onder_voorbehoud.value,
    BookingStatus.aangevraagd.value,
)
STATUS_WORDS = {
    "bevestigd": "bevestigd",
    "onder_voorbehoud": "onder voorbehoud",
    "aangevraagd": "aangevraagd",
}
HEADER = (
    "datum",
    "begin",
    "eind",
    "ruimte",
    "organisator",
    "e-mail",
    "organisatie",
    "activiteit",
    "tariefgroep",
    "voorrangsklasse",
    "uren",
    "bedrag",
    "lijstprijs",
    "kwijtgescholden",
    "status",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def next_first_day(self) -> date:
        return date(self.year + self.month // 12, self.month % 12 + 1, 1)


def parse_month(text: str) -> Month:
    """Read "2026-12"; anything else (or a year outside 2000–2100) is a ValueError."""
    found = dates.parse_month(text)
    if found is None or text != text.strip():
        raise ValueError(f"not a month: {text!r}")
    return Month(*found)


def decimal_comma(cents: int) -> str:
    """12,50 for 1250 cents; -3,00 for -300. No euro sign, no thousands separator."""
    sign = "-" if cents < 0 else ""
    whole, rest = divmod(abs(cents), 100)
    return f"{sign}{whole},{rest:02d}"


def hours_text(start: datetime, end: datetime) -> str:
    """The real duration in hours with two decimals and a comma: 1,75 for 1 h 45 min."""
    seconds = int(real_duration(start, end).total_seconds())
    hundredths = (seconds * 100 + 1800) // 3600  # rounded half up to 0,01 hour
    return decimal_comma(hundredths)


def csv_text(value: str) -> str:
    """Keep a spreadsheet from running what a booker typed as a formula (CSV injection)."""
    value = value or ""
    return "'" + value if value.startswith(_FORMULA_START) else value


def month_bookings(house_id: int, month: Month) -> list[Booking]:
    start = local_to_utc(datetime.combine(month.first_day, datetime.min.time()))
    end = local_to_utc(datetime.combine(month.next_first_day, datetime.min.time()))
    return list(
        db.session.scalars(
            select(Booking)
            .join(Room, Room.id == Booking.room_id)
            .options(
                selectinload(Booking.room),
                selectinload(Booking.organiser),
                selectinload(Booking.organisation),
            )
            .where(
                Room.house_id == house_id,
                Booking.start >= start,
                Booking.start < end,
                Booking.status.in_(INVOICED_STATUSES),
            )
            .order_by(Booking.start, Room.name, Booking.id)
        )
    )


def _row(booking: Booking) -> list[str]:
    local_start = booking.start.astimezone(AMSTERDAM)
    local_end = booking.end.astimezone(AMSTERDAM)
    organiser = booking.organiser
    return [
        local_start.strftime("%d-%m-%Y"),
        local_start.strftime("%H:%M"),
        local_end.strftime("%H:%M"),
        csv_text(booking.room.name),
        csv_text(organiser.name),
        csv_text(organiser.email),
        csv_text(booking.organisation.name if booking.organisation else organiser.organisation),
        csv_text(booking.title),
        booking.tariff_group,
        str(booking.priority_class),
        hours_text(booking.start, booking.end),
        decimal_comma(booking.amount_cents),
        decimal_comma(booking.list_price_cents),
        decimal_comma(booking.list_price_cents - booking.amount_cents),
        STATUS_WORDS.get(booking.status, booking.status),
    ]


def month_csv(house: House, month: Month) -> str:
    """The CSV text of one house and month, BOM first, CRLF line ends, ';' separated."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(HEADER)
    for booking in month_bookings(house.id, month):
        writer.writerow(_row(booking))
    return BOM + out.getvalue()


def filename(house: House, month: Month) -> str:
    return f"buurthuis-{house.slug}-{month}.csv"


def previous_month(today: date) -> Month:
    first = today.replace(day=1) - timedelta(days=1)
    return Month(first.year, first.month)


@dataclass(frozen=True)
class MonthExport:
    filename: str
    text: str


def month_export(actor: User, slug: str, month_text: str | None, today: date) -> MonthExport:
    """The CSV of one month of a house; without a month, the month before `today`."""
    house = house_for(actor, slug, Permission.export_invoicing)
    try:
        month = parse_month(month_text.strip()) if month_text is not None else None
    except ValueError as error:
        raise InvalidInput(
            "maand", Message(N_("Kies een maand in de vorm JJJJ-MM, bijvoorbeeld 2026-12."))
        ) from error
    month = month or previous_month(today)
    return MonthExport(filename(house, month), month_csv(house, month))
