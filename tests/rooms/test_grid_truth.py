"""The public room grid tells the truth: closed, outside opening hours and voorrang are not
"vrij", and say why, before anyone fills in a form."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from booking.extensions import db
from booking.models import Closure, PriorityBlock, Room
from booking.rules.slots import AMSTERDAM, local_to_utc


def next_monday() -> date:
    today = datetime.now(AMSTERDAM).date()
    return today + timedelta(days=7 - today.weekday())


def cells_of(html: str) -> list[str]:
    return re.findall(r"<td class=\"([^\"]+)\">(.*?)</td>", html, re.S)


def test_a_closed_house_is_not_free_and_says_why(app, client, make_house):
    house = make_house()
    monday = next_monday()
    with app.app_context():
        db.session.add(
            Closure(
                house_id=house.id,
                starts_at=local_to_utc(datetime.combine(monday, time(0))),
                ends_at=local_to_utc(datetime.combine(monday + timedelta(days=7), time(0))),
                reason="kerstvakantie",
            )
        )
        db.session.commit()
    html = client.get(f"/ruimtes/{house.room_ids[0]}?week={monday}").get_data(as_text=True)
    cells = cells_of(html)
    assert cells and all("gesloten: kerstvakantie" in text for _cls, text in cells)
    assert "/boeken?start=" not in html


def test_a_room_closure_closes_only_that_room(app, client, make_house):
    house = make_house()
    monday = next_monday()
    with app.app_context():
        db.session.add(
            Closure(
                house_id=house.id,
                room_id=house.room_ids[0],
                starts_at=local_to_utc(datetime.combine(monday, time(0))),
                ends_at=local_to_utc(datetime.combine(monday + timedelta(days=1), time(0))),
                reason="schilderwerk",
            )
        )
        db.session.commit()
    closed = client.get(f"/ruimtes/{house.room_ids[0]}?week={monday}").get_data(as_text=True)
    other = client.get(f"/ruimtes/{house.room_ids[1]}?week={monday}").get_data(as_text=True)
    assert "gesloten: schilderwerk" in closed and "gesloten: schilderwerk" not in other
    assert f"start={monday}T10:00" not in closed and f"start={monday}T10:00" in other


def test_outside_opening_hours_and_voorrang_are_shown(app, client, make_house):
    house = make_house()
    monday = next_monday()
    with app.app_context():
        room = db.session.get(Room, house.room_ids[0])
        room.house.opening_hours[1].opens = time(12)  # Tuesday from noon
        db.session.add(
            PriorityBlock(room_id=room.id, weekday=0, starts=time(14), ends=time(16), note="")
        )
        db.session.commit()
    html = client.get(f"/ruimtes/{house.room_ids[0]}?week={monday}").get_data(as_text=True)
    tuesday = monday + timedelta(days=1)
    assert "buiten openingstijden" in html and f"start={tuesday}T10:00" not in html
    assert f"start={tuesday}T12:00" in html
    assert "alleen voor bewonersactiviteiten" in html
    assert f"start={monday}T14:00" not in html and f"start={monday}T13:30" in html
