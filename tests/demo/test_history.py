"""The demo's year of history: past bookings judged by the real rules, without overlaps,
a year of visits, rendement figures on the first login, and loading twice changes nothing."""

from __future__ import annotations

import itertools
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select

from booking.demo.programme import dates_of, house_rng, programme
from booking.extensions import db
from booking.models import Booking, Room, Visit
from booking.rules.periods import year_to_date
from booking.rules.pricing import quote_price
from booking.rules.slots import AMSTERDAM
from booking.rules.statuses import ACTIVE_STATUSES, BookingStatus, TariffGroup
from booking.services.house_rules import rules_for
from booking.services.rendement import rendement, rendement_total
from tests.conftest import post_form
from tests.demo.test_loader import counts


def _no_overlaps(rows: list[Booking]) -> list[tuple[int, int]]:
    by_room: dict[int, list[Booking]] = defaultdict(list)
    for b in rows:
        if b.status in ACTIVE_STATUSES:
            by_room[b.room_id].append(b)
    clashes = []
    for bookings in by_room.values():
        bookings.sort(key=lambda b: b.start)
        for before, after in itertools.pairwise(bookings):
            if after.start < before.end:
                clashes.append((before.id, after.id))
    return clashes


def test_the_demo_holds_a_year_of_history_and_loading_twice_changes_nothing(app, runner):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    now = datetime.now(UTC)
    today = now.astimezone(AMSTERDAM).date()
    with app.app_context():
        every = list(db.session.scalars(select(Booking)))
        past = [b for b in every if now - timedelta(days=366) <= b.start < now]
        assert len(past) >= 300, len(past)
        assert not _no_overlaps(every)
        statuses = {b.status for b in past}
        assert BookingStatus.bevestigd in statuses and BookingStatus.geannuleerd in statuses
        assert BookingStatus.onder_voorbehoud not in statuses  # the window confirmed them
        assert {b.tariff_group for b in past} >= {"T1", "T2", "T3", "T4"}
        on_behalf = [b for b in past if b.on_behalf_name]
        assert on_behalf and all(b.on_behalf_phone for b in on_behalf)
        assert all(b.created_at < b.start for b in past)
        for b in past[::25]:  # the frozen price is what the rules give for that slot
            card = rules_for(db.session.get(Room, b.room_id)).rate_card
            price = quote_price(card, TariffGroup(b.tariff_group), b.start, b.end)
            assert (b.amount_cents, b.list_price_cents) == (
                price.amount_cents,
                price.list_price_cents,
            )
        oldest_visit = db.session.scalar(select(func.min(Visit.visited_at)))
        assert oldest_visit.astimezone(AMSTERDAM).date() <= today - timedelta(days=360)
        total = rendement_total(rendement(year_to_date(today)))
        assert total.seconds > 0 and total.seconds_by_class[1] > 0
        assert total.charged_cents > 0 and total.given_away_cents > 0
        assert total.visits > 0 and total.distinct_devices > 0
        first = counts()
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        db.session.expire_all()
        assert counts() == first


def test_the_rendement_overview_opens_on_the_year_to_date_with_figures(app, runner, client):
    runner.invoke(args=["demo"])
    login = {"email": "beheer.de-berchplaets@buurthuis.example", "password": "buurthuis-demo"}
    assert post_form(client, "/login", login).status_code == 302
    response = client.get("/bereik/de-berchplaets/rendement")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    today = datetime.now(AMSTERDAM).date()
    assert f'value="{date(today.year, 1, 1).isoformat()}"' in html
    assert f'value="{today.isoformat()}"' in html
    assert "Dit jaar" in html
    sheet = client.get("/beheer/de-berchplaets/dagstaat")
    assert sheet.status_code == 200


def test_the_programme_is_the_same_on_every_load_and_differs_between_houses():
    first, last = date(2025, 12, 2), date(2026, 12, 2)

    def drawn(slug: str) -> list[tuple[str, list[date]]]:
        rng = house_rng(slug)
        return [(p.title, dates_of(p, first, last)) for p in programme(slug, first, last, rng)]

    assert drawn("de-berchplaets") == drawn("de-berchplaets")
    assert drawn("de-berchplaets") != drawn("hart-van-oijen")
    weekly = dict(drawn("de-berchplaets"))["Koffieochtend"]
    assert 52 <= len(weekly) <= 53 and all(
        b - a == timedelta(weeks=1) for a, b in itertools.pairwise(weekly)
    )
