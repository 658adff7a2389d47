"""The dashboard's "Wacht op uw beslissing": requests for who may decide them, oldest first,
with the day each one expires and a link to decide; a fixed number of queries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import event

from booking.extensions import db
from booking.models import Booking, Room, User
from booking.services import request_notices
from tests.beheer.test_pages import book, client_for, days_ahead, make_setup
from tests.conftest import activity


def two_requests(app, setup) -> tuple[int, int]:
    with app.app_context():
        db.session.get(Room, setup.house.room_ids[0]).requires_approval = True
        db.session.commit()
    newer = book(
        app,
        setup.organiser,
        setup.house.room_ids[0],
        days_ahead(3),
        activity=activity("vereniging"),
        title="Nieuwer",
    )
    older = book(
        app,
        setup.organiser,
        setup.house.room_ids[0],
        days_ahead(5),
        activity=activity("vereniging"),
        title="Ouder",
    )
    with app.app_context():
        db.session.get(Booking, older).created_at = datetime.now(UTC) - timedelta(days=2)
        db.session.commit()
    return older, newer


def test_beheerder_sees_the_requests_oldest_first(app, make_house, make_user):
    setup = make_setup(make_house, make_user)
    older, _newer = two_requests(app, setup)
    html = client_for(app, setup.beheerder).get("/dashboard").get_data(as_text=True)
    assert "Wacht op uw beslissing" in html and "(2)" in html
    assert html.index("Beslis over Ouder") < html.index("Beslis over Nieuwer")
    assert f'href="/beheer/{setup.house.slug}/boekingen/{older}"' in html
    assert "Vervalt op" in html
    with app.app_context():
        expires = request_notices.expires_at(db.session.get(Booking, older))
        assert expires - db.session.get(Booking, older).created_at == timedelta(days=7)


def test_who_may_not_decide_sees_no_requests(app, make_house, make_user):
    setup = make_setup(make_house, make_user)
    two_requests(app, setup)
    for who in (setup.sociaal, setup.gastheer, setup.organiser, setup.other_beheerder):
        html = client_for(app, who).get("/dashboard").get_data(as_text=True)
        assert "Wacht op uw beslissing" not in html, who
    gemeente = client_for(app, setup.gemeente).get("/dashboard").get_data(as_text=True)
    assert "Wacht op uw beslissing" in gemeente  # the gemeente may decide in every house


def test_a_decided_request_leaves_the_list(app, make_house, make_user):
    setup = make_setup(make_house, make_user)
    older, newer = two_requests(app, setup)
    with app.app_context():
        db.session.get(Booking, older).status = "afgewezen"
        db.session.commit()
        waiting = request_notices.waiting_for(
            db.session.get(User, setup.beheerder.id), datetime.now(UTC)
        )
        assert waiting.count == 1 and [w.booking.id for w in waiting.oldest] == [newer]


def test_the_list_costs_a_fixed_number_of_queries(app, make_house, make_user):
    setup = make_setup(make_house, make_user)
    with app.app_context():
        db.session.get(Room, setup.house.room_ids[0]).requires_approval = True
        db.session.commit()
    for n in range(6):
        book(
            app,
            setup.organiser,
            setup.house.room_ids[0],
            days_ahead(3 + n),
            activity=activity("vereniging"),
        )
    with app.app_context():
        user = db.session.get(User, setup.beheerder.id)
        _ = user.memberships
        statements: list[str] = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            db.session.expire_all()
            user = db.session.get(User, setup.beheerder.id)
            _ = user.memberships
            statements.clear()
            waiting = request_notices.waiting_for(user, datetime.now(UTC))
            _ = [(w.booking.room.house.name, w.booking.organiser.name) for w in waiting.oldest]
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        assert waiting.count == 6
        assert len(statements) <= 5, statements
