"""The booking page with its quote: price and voorrang, and what the calendar says per date.

Helpers of rooms/views.py (no routes here). An alternative's link carries the title and
every answer of the questionnaire (`carried_answers`), and the booking form picks them up
again (`answers_from_link`), so choosing an alternative keeps what the booker filled in.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

from flask import flash, render_template
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from booking.i18n import say
from booking.models import Room
from booking.rooms.forms import BookingForm
from booking.rules import slots
from booking.rules.recurrence import Recurrence, RecurrenceError
from booking.rules.slot_outcome import summary
from booking.rules.tariff import Activity
from booking.services import slot_outcomes
from booking.services.organisations.access import my_organisations
from booking.services.series import OccurrenceConflict

ANSWER_FIELDS = (
    "organiser_kind",
    "open_to_all",
    "membership_required",
    "contribution",
    "profit_making",
    "subsidised",
    "mainly_meeting",
    "gives_in_return",
    "organisation",
)
CARRIED_MAX = 200


def carried_answers(form: BookingForm) -> dict[str, str]:
    """Title, public flag and questionnaire answers, as query arguments of a link."""
    carried = {name: str(form[name].data) for name in ("title", *ANSWER_FIELDS) if form[name].data}
    if form.public.data:
        carried["public"] = "y"
    return carried


def answers_from_link(args: Mapping[str, str]) -> dict[str, object]:
    """The carried answers of a link, as form data (only known fields, printable text)."""
    found: dict[str, object] = {
        name: args[name][:CARRIED_MAX]
        for name in ("title", *ANSWER_FIELDS)
        if args.get(name) and args[name].isprintable()
    }
    if "title" in found:
        found["public"] = args.get("public") == "y"
    return found


def with_organisations(form: BookingForm) -> BookingForm:
    """Offer "Namens" with the organiser's own organisations (none: the field is not shown)."""
    form.organisation.choices = [
        SelectChoice("", _("mijzelf")),
        *(SelectChoice(str(o.id), o.name) for o in my_organisations(current_user)),
    ]
    return form


def outcome_context(room: Room) -> dict[str, object]:
    """What rooms/_outcomes.html needs besides the calendar: may the viewer read who is
    in the way, and how to say each outcome."""
    return {
        "details": slot_outcomes.shows_details(current_user, room),
        "outcome_summary": summary,
        "shown_title": slot_outcomes.shown_title,
    }


def quote_status(calendar: slot_outcomes.CalendarQuote, *, changed: bool = False) -> int:
    """409 when a confirmation found the calendar changed; 422 when the rules leave no date
    to book (not only taken dates); 200 otherwise."""
    return 409 if changed else 422 if calendar.bookable == 0 and _broken(calendar) else 200


def flash_not_booked(conflicts: list[OccurrenceConflict]) -> None:
    """After a series was booked: each date that was not, and why."""
    for conflict in conflicts:
        flash(
            _(
                "Niet geboekt op %(when)s: %(why)s",
                when=conflict.start.astimezone(slots.AMSTERDAM).strftime("%d-%m-%Y %H:%M"),
                why=" ".join(say(m) for m in conflict.reasons),
            ),
            "info",
        )


def book_page(room: Room, form: BookingForm, status: int, **shown: object) -> tuple[str, int]:
    shown.setdefault("quote", None)
    shown.setdefault("calendar", None)
    return render_template(
        "rooms/book.html",
        room=room,
        form=form,
        carry=carried_answers(form),
        **outcome_context(room),
        **shown,
    ), status


def quote_page(
    room: Room,
    form: BookingForm,
    slot: tuple[datetime, datetime],
    activity: Activity,
    recurrence: Recurrence | None,
    token: str,
    *,
    changed: list[str] | None = None,
) -> tuple[str, int]:
    """The quote for these answers with each date's outcome; `changed`: the confirmation
    was refused because the calendar changed (409, the fresh outcome is shown)."""
    try:
        calendar = slot_outcomes.calendar_quote(
            room.id, *slot, activity, recurrence, now=datetime.now(UTC)
        )
    except RecurrenceError as error:
        form.until.errors = [say(error.message)]
        return book_page(room, form, 422)
    form.quote_token.data = token
    form.shown_outcomes.data = calendar.fingerprint
    return book_page(
        room,
        form,
        quote_status(calendar, changed=bool(changed)),
        quote=calendar.quote,
        calendar=calendar,
        recurrence=recurrence,
        problems=[*(changed or []), *(say(m) for m in calendar.problems)],
    )


def _broken(calendar: slot_outcomes.CalendarQuote) -> bool:
    """No date can be booked because of the rules (not only because it is taken)."""
    return bool(calendar.problems) or all(
        d.outcome.reasons and not d.outcome.blocking for d in calendar.dates
    )
