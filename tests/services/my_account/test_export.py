"""Download my data: the account, own bookings, feeds, notes, tokens; no secrets, no others."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from booking.extensions import db
from booking.models import (
    Booking,
    HostNote,
    Invoice,
    Organisation,
    OrganisationContact,
    User,
)
from booking.services import accounts, feeds
from booking.services.my_account import export, sessions


def test_the_export_holds_what_is_kept_about_the_actor_only(app, make_house, make_user, book):
    house = make_house()
    ref = make_user("gastheer", house, email="henk@example.org")
    stranger = make_user(email="ander@example.org")
    own = book(ref, house.room_ids[0], days_ahead=5, title="Kaartclub")
    for_resident = book(ref, house.room_ids[1], days_ahead=6, title="Voor Annie")
    book(stranger, house.room_ids[0], days_ahead=7, title="Niet van Henk")
    now = datetime.now(UTC)
    with app.test_request_context():
        user = db.session.get(User, ref.id)
        resident = db.session.get(Booking, for_resident)
        resident.on_behalf_name, resident.on_behalf_phone = "Annie Jansen", "0612345678"
        db.session.add(
            HostNote(house_id=house.id, day=now.date(), text="Druk vandaag", author_id=ref.id)
        )
        token = accounts.issue_api_token(user)
        feed = feeds.create_feed(user, "mine", None, now=now)
        key = sessions.open_session(user, now - timedelta(minutes=3))
        choir = Organisation(name="Zangkoor Vocalis", kind="vereniging", kvk_number="40213527")
        choir.contacts.append(OrganisationContact(user_id=user.id))
        db.session.add(choir)
        db.session.flush()
        db.session.get(Booking, own).organisation_id = choir.id
        db.session.add_all(
            [
                Invoice(
                    house_id=house.id,
                    person_id=user.id,
                    number="DH2026-0007",
                    year=2026,
                    sequence=7,
                    status="verzonden",
                    total_cents=5000,
                ),
                Invoice(house_id=house.id, person_id=user.id),  # a concept: not yet a fact
                Invoice(
                    house_id=house.id,
                    organisation_id=choir.id,
                    number="DH2026-0008",
                    year=2026,
                    sequence=8,
                    status="definitief",
                ),  # the choir's, not the person's
            ]
        )
        data = export.my_data(user, key, now)
    text = json.dumps(data, ensure_ascii=False)
    assert data["account"]["email"] == "henk@example.org"
    assert data["account"]["house_roles"] == [
        {
            "house": house.slug,
            "house_name": data["account"]["house_roles"][0]["house_name"],
            "role": "gastheer",
        }
    ]
    assert [b["id"] for b in data["bookings"]] == [own, for_resident]
    assert (
        data["bookings"][1]["for_resident"] is True and data["bookings"][0]["for_resident"] is False
    )
    assert data["bookings"][0]["amount_cents"] >= 0 and data["bookings"][0]["status"]
    assert [n["text"] for n in data["host_notes"]] == ["Druk vandaag"]
    assert [(o["name"], o["kvk_number"]) for o in data["organisations"]] == [
        ("Zangkoor Vocalis", "40213527")
    ]
    assert data["bookings"][0]["on_behalf_of_organisation_id"] == data["organisations"][0]["id"]
    assert [(i["number"], i["total_cents"]) for i in data["invoices"]] == [("DH2026-0007", 5000)]
    assert [f["scope"] for f in data["feeds"]] == ["mine"]
    assert len(data["api_tokens"]) == 1 and data["sessions"][0]["this_session"] is True
    for secret in (token, feed.token, feed.feed.token_hash, key, user.password_hash):
        assert secret not in text
    for other_people in ("Annie Jansen", "0612345678", "Niet van Henk", "ander@example.org"):
        assert other_people not in text
