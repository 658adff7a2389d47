"""Staff book for a resident who phoned or walked in (issue 11, deliverable 6).

The same questionnaire and the same create path as every booking; the organiser is the
staff member, the resident's name, phone and e-mail are on the booking, seen by the
house's staff only; mails go to the resident's e-mail when there is one.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from booking.extensions import db
from booking.models import AuditEntry, Booking, OutboxMail, User
from booking.rules.residents import Resident
from booking.services import bookings, on_behalf
from tests.beheer.test_pages import book, client_for, days_ahead, make_setup, require_approval
from tests.conftest import activity, csrf_token, slot
from tests.rooms.test_views import form as booking_form

RESIDENT = {
    "resident_name": "Mevrouw Jansen",
    "resident_phone": "06-1234 5678",
    "resident_email": "jansen@example.org",
}


@pytest.fixture
def setup(make_house, make_user):
    return make_setup(make_house, make_user)


def form(setup, room: int = 0, **extra) -> dict:
    data = {**booking_form(), "room": str(setup.house.room_ids[room]), **RESIDENT}
    data.pop("repeat"), data.pop("interval"), data.pop("until")
    data.update(extra)
    return data


def post(client, url: str, data: dict):
    return client.post(url, data={**data, "csrf_token": csrf_token(client, url)})


def token_of(html: str) -> str:
    return re.search(r'name="quote_token" type="hidden" value="([0-9a-f]+)"', html).group(1)


def book_through_the_page(client, setup, **extra):
    """Quote, then confirm exactly that quote: the way a beheerder at the desk does it."""
    url = f"{setup.base}/boeken-voor-bewoner"
    shown = post(client, url, {**form(setup, **extra), "action": "quote"})
    assert shown.status_code == 200, shown.get_data(as_text=True)
    html = shown.get_data(as_text=True)
    return shown, post(
        client, url, {**form(setup, **extra), "action": "confirm", "quote_token": token_of(html)}
    )


def rows(app) -> list[Booking]:
    with app.app_context():
        found = db.session.query(Booking).order_by(Booking.id).all()
        db.session.expunge_all()
        return found


def mails(app) -> list[tuple[str, str]]:
    with app.app_context():
        return [
            (m.kind, m.to_address) for m in db.session.query(OutboxMail).order_by(OutboxMail.id)
        ]


# The journey ----------------------------------------------------------------------------


def test_beheerder_books_for_a_resident_quote_first(app, setup):
    client = client_for(app, setup.beheerder)
    page = client.get(f"{setup.base}/boeken-voor-bewoner")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Naam van de bewoner" in html and "Mag iedere bewoner meedoen?" in html
    shown, confirmed = book_through_the_page(client, setup)
    quoted = shown.get_data(as_text=True)
    assert "T1 bewonersinitiatief (gratis)" in quoted and 'id="bevestig"' in quoted
    assert confirmed.status_code == 302
    [made] = rows(app)
    assert confirmed.headers["Location"].endswith(f"{setup.base}/boekingen/{made.id}/bevestiging")
    assert made.organiser_id == setup.beheerder.id
    assert (made.on_behalf_name, made.on_behalf_phone, made.on_behalf_email) == (
        "Mevrouw Jansen",
        "0612345678",
        "jansen@example.org",
    )
    assert (made.tariff_group, made.priority_class, made.status) == ("T1", 1, "bevestigd")
    assert mails(app) == [("booking_bevestigd", "jansen@example.org")]
    with app.app_context():
        actions = [a for (a,) in db.session.query(AuditEntry.action).order_by(AuditEntry.id)]
    assert "booking_created" in actions and "booked_on_behalf" in actions


def test_the_confirmation_page_has_what_the_resident_needs(app, setup):
    client = client_for(app, setup.beheerder)
    _, confirmed = book_through_the_page(client, setup)
    page = client.get(confirmed.headers["Location"])
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Bevestiging van uw boeking" in html and "Voor Mevrouw Jansen" in html
    assert "Testhuis 1" in html and "Zaal 1" in html and "Koffieochtend" in html
    assert "bevestigd" in html and "10:00" in html and "12:00" in html
    assert "Geboekt voor Mevrouw Jansen" in html  # the flash
    assert "css/confirmation.css" in html and "<script>" not in html and " style=" not in html


def test_the_confirmation_shows_the_house_contact(app, setup):
    from booking.models import House

    with app.app_context():
        house = db.session.get(House, setup.house.id)
        house.contact_phone, house.contact_email = "0412 123456", "info@dehaard.example"
        house.address = "Kerkstraat 1, Lith"
        db.session.commit()
    client = client_for(app, setup.sociaal)
    _, confirmed = book_through_the_page(client, setup)
    html = client.get(confirmed.headers["Location"]).get_data(as_text=True)
    assert "0412 123456" in html and "info@dehaard.example" in html and "Kerkstraat 1" in html


def test_same_questionnaire_same_outcome_as_a_resident_booking(app, setup):
    """An association's answers give T3, class 3, provisional far ahead; a request for a
    room that needs approval waits for the beheerder — as when they book themselves."""
    client = client_for(app, setup.beheerder)
    vereniging = {
        "organiser_kind": "vereniging",
        "open_to_all": "nee",
        "membership_required": "ja",
        "mainly_meeting": "nee",
        "day": days_ahead(30).isoformat(),
    }
    _, confirmed = book_through_the_page(client, setup, **vereniging)
    assert confirmed.status_code == 302
    [made] = rows(app)
    assert (made.tariff_group, made.priority_class, made.status) == ("T3", 3, "onder_voorbehoud")
    assert made.amount_cents > 0


def test_a_resident_booking_by_staff_displaces_like_any_other(app, setup):
    """Class 1 for the resident displaces a provisional class 3 booking: the same create path."""
    from booking.demo.bookings import CHOIR

    far = days_ahead(30)
    choir = book(app, setup.organiser, setup.house.room_ids[0], far, activity=CHOIR)
    with app.app_context():
        actor = db.session.get(User, setup.beheerder.id)
        start, end = slot(30)
        booked = on_behalf.book_for_resident(
            actor,
            setup.house.slug,
            setup.house.room_ids[0],
            (start, end),
            "Buurtsoep",
            True,
            activity(),
            Resident("Meneer de Vries", "+31 6 1111 2222"),
            now=datetime.now(UTC),
        )
        assert [b.id for b in booked.displaced] == [choir]
        assert booked.booking.on_behalf_phone == "0611112222"
        # No e-mail for the resident: no booking mail at all (the staff member prints it).
        kinds = [m.kind for m in db.session.query(OutboxMail)]
        assert "booking_displaced" in kinds and "booking_bevestigd" not in kinds


def test_a_room_that_needs_approval_makes_a_request(app, setup):
    require_approval(app, setup.house.room_ids[0])
    client = client_for(app, setup.beheerder)
    _, confirmed = book_through_the_page(client, setup)
    assert confirmed.status_code == 302
    [made] = rows(app)
    assert made.status == "aangevraagd"


def test_later_mails_go_to_the_residents_email(app, setup):
    client = client_for(app, setup.beheerder)
    book_through_the_page(client, setup)
    [made] = rows(app)
    with app.app_context():
        actor = db.session.get(User, setup.beheerder.id)
        bookings.cancel_booking(made.id, actor, now=datetime.now(UTC), reason="Ziek")
        db.session.commit()
    assert mails(app)[-1] == ("booking_cancelled", "jansen@example.org")
    assert all(to != setup.beheerder.email for _, to in mails(app))
    with app.app_context():
        body = db.session.query(OutboxMail).order_by(OutboxMail.id.desc()).first().body_text
    assert "Beste Mevrouw Jansen" in body and "/mijn-boekingen" not in body


def test_without_an_email_no_mail_and_later_mails_reach_the_staff_member(app, setup):
    client = client_for(app, setup.beheerder)
    _, confirmed = book_through_the_page(client, setup, resident_email="", resident_phone="")
    assert confirmed.status_code == 302 and mails(app) == []
    [made] = rows(app)
    assert (made.on_behalf_phone, made.on_behalf_email) == ("", "")
    with app.app_context():
        bookings.cancel_booking(
            made.id, db.session.get(User, setup.beheerder.id), now=datetime.now(UTC)
        )
        db.session.commit()
    assert mails(app) == [("booking_cancelled", setup.beheerder.email)]


# Bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "phone", ["06 1234", "bel me maar", "06 12345678 9", "+1 23", "٠٦١٢٣٤٥٦٧٨"]
)
def test_a_phone_number_that_is_not_one_is_400_and_nothing_is_stored(app, setup, phone):
    client = client_for(app, setup.beheerder)
    url = f"{setup.base}/boeken-voor-bewoner"
    for action in ("quote", "confirm"):
        response = post(client, url, {**form(setup, resident_phone=phone), "action": action})
        assert response.status_code == 400
        html = response.get_data(as_text=True)
        assert 'id="resident_phone-error"' in html and "telefoonnummer" in html.lower()
        assert 'aria-invalid="true"' in html
    assert rows(app) == [] and mails(app) == []


def test_the_service_checks_the_resident_too(app, setup):
    from booking.errors import InvalidInput

    with app.app_context():
        actor = db.session.get(User, setup.beheerder.id)
        for who, field in (
            (Resident("", "0612345678"), "resident_name"),
            (Resident("Jansen", "12"), "resident_phone"),
            (Resident("Jansen", "", "geen-adres"), "resident_email"),
        ):
            with pytest.raises(InvalidInput) as refused:
                on_behalf.book_for_resident(
                    actor,
                    setup.house.slug,
                    setup.house.room_ids[0],
                    slot(3),
                    "Koffie",
                    False,
                    activity(),
                    who,
                    now=datetime.now(UTC),
                )
            assert refused.value.field == field
        assert db.session.query(Booking).count() == 0


def test_missing_name_and_bad_email_are_field_errors(app, setup):
    client = client_for(app, setup.beheerder)
    url = f"{setup.base}/boeken-voor-bewoner"
    response = post(
        client, url, {**form(setup, resident_name="", resident_email="nee"), "action": "quote"}
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Vul de naam van de bewoner in." in html and 'id="resident_email-error"' in html
    assert rows(app) == []


def test_a_room_of_another_house_is_refused(app, setup):
    client = client_for(app, setup.beheerder)
    url = f"{setup.base}/boeken-voor-bewoner"
    data = {**form(setup), "room": str(setup.other_house.room_ids[0]), "action": "quote"}
    assert post(client, url, data).status_code == 400
    with app.app_context(), pytest.raises(Exception) as refused:
        on_behalf.quote_for_resident(
            db.session.get(User, setup.beheerder.id),
            setup.house.slug,
            setup.other_house.room_ids[0],
            *slot(3),
            activity(),
            now=datetime.now(UTC),
        )
    assert refused.value.status == 422
    assert rows(app) == []


def test_a_taken_slot_is_409_with_alternatives(app, setup):
    book(app, setup.organiser, setup.house.room_ids[0], days_ahead(3))
    client = client_for(app, setup.beheerder)
    url = f"{setup.base}/boeken-voor-bewoner"
    shown = post(client, url, {**form(setup), "action": "quote"})
    taken = post(
        client,
        url,
        {**form(setup), "action": "confirm", "quote_token": token_of(shown.get_data(as_text=True))},
    )
    assert taken.status_code == 409
    assert "al bezet" in taken.get_data(as_text=True)
    assert len(rows(app)) == 1


# Who may ----------------------------------------------------------------------------------


def test_who_may_book_for_a_resident(app, setup):
    url = f"{setup.base}/boeken-voor-bewoner"
    for user, status in (
        (setup.beheerder, 200),
        (setup.sociaal, 200),
        (setup.gemeente, 200),
        (setup.gastheer, 404),
        (setup.organiser, 404),
        (setup.other_beheerder, 404),
    ):
        assert client_for(app, user).get(url).status_code == status, user
    assert app.test_client().get(url).status_code == 302  # to the login page
    assert (
        client_for(app, setup.beheerder).get("/beheer/geen-huis/boeken-voor-bewoner").status_code
        == 404
    )


def test_gastheer_cannot_post_either(app, setup):
    client = client_for(app, setup.gastheer)
    response = client.post(
        f"{setup.base}/boeken-voor-bewoner",
        data={**form(setup), "action": "confirm", "csrf_token": csrf_token(client, "/")},
    )
    assert response.status_code == 404 and rows(app) == []


def test_confirmation_of_another_house_is_404(app, setup):
    other = book(app, setup.organiser, setup.other_house.room_ids[0], days_ahead(3))
    client = client_for(app, setup.beheerder)
    assert client.get(f"{setup.base}/boekingen/{other}/bevestiging").status_code == 404
    foreign = f"/beheer/{setup.other_house.slug}/boekingen/{other}/bevestiging"
    assert client.get(foreign).status_code == 404
    assert client_for(app, setup.other_beheerder).get(foreign).status_code == 200
    assert (
        client_for(app, setup.gastheer).get(f"{setup.base}/boekingen/1/bevestiging").status_code
        == 404
    )
    assert client.get(f"{setup.base}/boekingen/999999/bevestiging").status_code == 404


def test_links_from_the_house_overview_and_the_nav(app, setup):
    html = client_for(app, setup.beheerder).get(setup.base).get_data(as_text=True)
    assert html.count(f'href="{setup.base}/boeken-voor-bewoner"') == 2
    bookings_page = client_for(app, setup.gastheer).get(f"{setup.base}/dagstaat")
    assert "boeken-voor-bewoner" not in bookings_page.get_data(as_text=True)


# Staff only --------------------------------------------------------------------------------


def test_resident_and_organiser_phone_are_for_the_houses_staff_only(app, setup):
    with app.app_context():
        db.session.get(User, setup.organiser.id).phone = "0698765432"
        db.session.commit()
    own = book(app, setup.organiser, setup.house.room_ids[1], days_ahead(3), title="Eigen")
    staff = client_for(app, setup.beheerder)
    book_through_the_page(staff, setup)
    made = next(b for b in rows(app) if b.on_behalf_name)
    with app.app_context():
        db.session.get(Booking, made.id).public = True
        db.session.get(Booking, own).public = True
        db.session.commit()
    detail = staff.get(f"{setup.base}/boekingen/{made.id}").get_data(as_text=True)
    assert "Mevrouw Jansen" in detail and "0612345678" in detail and "jansen@example.org" in detail
    organiser_page = staff.get(f"{setup.base}/boekingen/{own}").get_data(as_text=True)
    assert "0698765432" in organiser_page
    overview = staff.get(f"{setup.base}/boekingen?weergave=dag&datum={days_ahead(3).isoformat()}")
    listed = overview.get_data(as_text=True)
    assert "Mevrouw Jansen" in listed and "0612345678" in listed and "0698765432" in listed
    assert "geboekt door Test beheerder" in listed
    secrets = ("Mevrouw Jansen", "0612345678", "jansen@example.org", "0698765432")
    outsider = client_for(app, setup.outsider)
    anonymous = app.test_client()
    day = days_ahead(3).isoformat()
    for client, url in (
        (anonymous, f"/huizen/{setup.house.slug}"),
        (anonymous, f"/ruimtes/{setup.house.room_ids[0]}?week={day}"),
        (anonymous, f"/ruimtes/{setup.house.room_ids[1]}?week={day}"),
        (outsider, f"/ruimtes/{setup.house.room_ids[0]}?week={day}"),
        (outsider, f"/api/v1/bookings?house={setup.house.slug}"),
        (outsider, f"/api/v1/bookings/{made.id}"),
        (outsider, f"/mijn-boekingen/{made.id}"),
        (client_for(app, setup.organiser), f"/api/v1/bookings/{own}"),
        (client_for(app, setup.other_beheerder), f"{setup.base}/boekingen/{made.id}"),
    ):
        body = client.get(url).get_data(as_text=True)
        assert not any(s in body for s in secrets), url


def test_the_public_feed_carries_no_resident(app, setup):
    from booking.services import feeds

    staff = client_for(app, setup.beheerder)
    book_through_the_page(staff, setup, public="y")
    with app.app_context():
        made = feeds.create_feed(
            db.session.get(User, setup.beheerder.id),
            "public",
            setup.house.slug,
            now=datetime.now(UTC),
        )
        db.session.commit()
        token = made.token
    ics = app.test_client().get(f"/feeds/{token}.ics")
    assert ics.status_code == 200
    body = ics.get_data(as_text=True)
    assert "Koffieochtend" in body
    assert "Jansen" not in body and "0612345678" not in body and setup.beheerder.email not in body
