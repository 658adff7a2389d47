"""The house calendar for staff: a day (rooms as columns) and a week (rooms as rows).

`?dag=JJJJ-MM-DD` for a day, `?week=JJJJ-Www` (or `?dag=`) for a week; who may see it and
what each half hour is are `booking.services.house_calendar`'s business, the blocks'
markup `booking.beheer.calendar_html`'s.
"""

from __future__ import annotations

from datetime import timedelta

from flask import request
from flask_login import current_user

from booking.beheer import calendar_html
from booking.beheer.blueprint import bp
from booking.beheer.pages import Page, now, render_page
from booking.rules import calendar_grid
from booking.services import house_calendar as service


@bp.route("/<slug>/agenda")
def calendar_day(slug: str) -> Page:
    moment = now()
    day = service.read_day(request.args.get(service.DAY_FIELD), moment)
    calendar = service.house_calendar(current_user, slug, day, 1, moment)
    return render_page(
        "beheer/calendar_day.html",
        calendar.house,
        calendar=calendar,
        day=day,
        previous=(day - timedelta(days=1)).isoformat(),
        next=(day + timedelta(days=1)).isoformat(),
        week=service.iso_week(day - timedelta(days=day.weekday())),
        grid=calendar_grid,
        cal=calendar_html,
        words=calendar_html.CalendarWords.for_page(calendar.house.slug, calendar.rooms),
    )


@bp.route("/<slug>/agenda/week")
def calendar_week(slug: str) -> Page:
    moment = now()
    args = request.args
    monday = service.read_week(args.get(service.WEEK_FIELD), args.get(service.DAY_FIELD), moment)
    calendar = service.house_calendar(current_user, slug, monday, 7, moment)
    return render_page(
        "beheer/calendar_week.html",
        calendar.house,
        calendar=calendar,
        monday=monday,
        week=service.iso_week(monday),
        previous=service.iso_week(monday - timedelta(days=7)),
        next=service.iso_week(monday + timedelta(days=7)),
        cal=calendar_html,
        words=calendar_html.CalendarWords.for_page(calendar.house.slug, calendar.rooms),
    )
