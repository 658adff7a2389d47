"""The house calendar's blocks as HTML, written in Python rather than a Jinja macro.

Why: a week of a busy house draws a few hundred blocks, and a macro call per block (with
its filters, escapes and url_for) was a quarter of the page's time in
`bench/front_desk_bench.py`. These functions write the same markup a template would,
cleaning and escaping every value that comes from data (as `clean_output` and autoescape
would); the page around them stays a template (`templates/beheer/calendar_week.html`,
`calendar_day.html`).

`CalendarWords` holds what is the same for the whole page (labels translated once, the
booking page's address without its id, each room's booking link), so a block costs string
joins only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import time

from flask import url_for
from flask_babel import gettext as _
from markupsafe import escape

from booking.i18n import STATUS_LABELS, local, say
from booking.input_guard import CleanMarkup
from booking.input_guard import clean_html_text as _text
from booking.models import Room
from booking.rules import calendar_grid as grid
from booking.rules.calendar_grid import CellKind


@dataclass(frozen=True)
class CalendarWords:
    """What is the same for the whole page, cleaned and escaped once."""

    kinds: Mapping[str, str]
    statuses: Mapping[str, str]
    book: str
    booking_href: str  # the booking page's address up to its id
    book_hrefs: Mapping[int, str]  # per room: the page that starts a booking there

    @classmethod
    def for_page(cls, slug: str, rooms: Sequence[Room]) -> CalendarWords:
        """Every label and link the page needs: one gettext and one url_for each."""
        booking_href = url_for("beheer.booking_detail", slug=slug, booking_id=0)
        return cls(
            kinds={kind.value: _text(say(grid.label(kind))) for kind in CellKind},
            statuses={status: _text(_(label)) for status, label in STATUS_LABELS.items()},
            book=_text(_("boeken")),
            booking_href=booking_href.removesuffix("0"),
            book_hrefs={room.id: url_for("rooms.book", room_id=room.id) for room in rooms},
        )


_CLOCKS: dict[time, str] = {}


def _clock(clock: time) -> str:
    """`clock_text`, remembered: a page asks the same few dozen half hours again and again."""
    text = _CLOCKS.get(clock)
    if text is None:
        text = _CLOCKS[clock] = grid.clock_text(clock)
    return text


def run_html(run: grid.Run, room: Room, day_name: str, words: CalendarWords) -> CleanMarkup:
    """One block: a booking (link to its beheer page), a free stretch (link that starts a
    booking there) or a time that cannot be booked, with its reason."""
    return CleanMarkup(_run_html(run, room.id, _free_suffix(room, day_name, words), words))


def _free_suffix(room: Room, day_name: str, words: CalendarWords) -> str:
    """What a screen reader hears after a free stretch: where, when, and that it books."""
    return (
        f'<span class="visually-hidden">, {_text(room.name)}, {_text(day_name)}: '
        f"{words.book}</span>"
    )


def _run_html(run: grid.Run, room_id: int, free_suffix: str, words: CalendarWords) -> str:
    when = f"{_clock(run.start)}–{_clock(run.end)}"
    booking = run.booking
    if booking is not None:
        status = booking.status.value
        start, end = local(booking.start), local(booking.end)
        return (
            f'<a class="cal-booking cal-{escape(status)}" '
            f'href="{words.booking_href}{booking.id}">\n'
            f'  <span class="cal-title">{_text(booking.title)}</span>\n'
            f'  <span class="cal-meta">{start.hour:02d}:{start.minute:02d}–'
            f"{end.hour:02d}:{end.minute:02d} · "
            f"{words.statuses.get(status) or _text(status)}</span>\n"
            "</a>"
        )
    kind = run.kind.value
    if run.kind is CellKind.vrij:
        day = run.day.isoformat()
        href = (
            f"{words.book_hrefs[room_id]}?start={day}T{_clock(run.start)}"
            f"&amp;end={day}T{_clock(run.suggested_end)}"
        )
        return (
            f'<a class="cal-free" href="{href}">\n  {words.kinds[kind]} {when}{free_suffix}\n</a>'
        )
    label = _text(say(grid.label(run.kind, run.reason))) if run.reason else words.kinds[kind]
    meta = "" if run.kind is CellKind.voorbij else f'<span class="cal-meta">{when}</span> '
    return f'<span class="cal-blocked cal-{escape(kind)}">{meta}{label}</span>'


def cell_class(run: grid.Run) -> str:
    """The pattern class of a block: the booking's status, else the kind of time."""
    return run.booking.status.value if run.booking is not None else run.kind.value


def week_cell_html(
    runs: Sequence[grid.Run], room: Room, day_name: str, words: CalendarWords
) -> CleanMarkup:
    """A room's day in the week view: its blocks as a list, past hours left out."""
    suffix = _free_suffix(room, day_name, words)
    items = [
        f'<li class="cal-cell-{cell_class(run)}">{_run_html(run, room.id, suffix, words)}</li>'
        for run in runs
        if run.kind is not CellKind.voorbij
    ]
    if not items:
        voorbij = words.kinds[CellKind.voorbij.value]
        items = [
            f'<li class="cal-cell-voorbij"><span class="cal-blocked cal-voorbij">{voorbij}'
            "</span></li>"
        ]
    return CleanMarkup('<ul class="cal-runs">\n' + "\n".join(items) + "\n</ul>")
