"""The permission matrix: every route, every role, the status the server answers.

Columns: anonymous, initiatiefnemer, gastheer (house A), sociaal beheerder (A),
beheerder (A), beheerder of another house (B), gemeente. Objects a user may not see
answer 404, never 403. A route missing here fails `test_every_route_is_in_the_matrix`.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from booking.demo.bookings import RESIDENTS
from booking.extensions import db
from booking.i18n import local_iso
from booking.models import Booking, Organisation, OrganisationContact, User
from booking.rules.slots import AMSTERDAM, local_to_utc
from booking.services import bookings, feeds
from tests.conftest import csrf_token, login

ROLES = (
    "anonymous",
    "initiatiefnemer",
    "gastheer",
    "sociaal_beheerder",
    "beheerder",
    "beheerder_b",
    "gemeente",
)

# endpoint: (method, path with {house} for house A, expected statuses per role)
MATRIX: dict[str, tuple[str, str, str]] = {
    "public.home": ("GET", "/", "200 200 200 200 200 200 200"),
    "public.house": ("GET", "/huizen/{house}", "200 200 200 200 200 200 200"),
    "public.set_language": ("POST", "/taal", "302 302 302 302 302 302 302"),
    "public.healthz": ("GET", "/healthz", "200 200 200 200 200 200 200"),
    "public.how_we_count": ("GET", "/hoe-we-tellen", "200 200 200 200 200 200 200"),
    "accounts.login": ("GET", "/login", "200 302 302 302 302 302 302"),
    "accounts.logout": ("POST", "/logout", "302 302 302 302 302 302 302"),
    "accounts.register": ("GET", "/registreren", "200 200 200 200 200 200 200"),
    "accounts.forgot_password": ("GET", "/wachtwoord-vergeten", "200 200 200 200 200 200 200"),
    "accounts.reset_password": ("GET", "/wachtwoord-herstellen/x", "302 302 302 302 302 302 302"),
    "accounts.dashboard": ("GET", "/dashboard", "302 200 200 200 200 200 200"),
    "accounts.finish_registration": ("GET", "/registreren/x", "302 302 302 302 302 302 302"),
    "accounts.account": ("GET", "/account", "302 200 200 200 200 200 200"),
    "accounts.change_password": ("POST", "/account/wachtwoord", "302 400 400 400 400 400 400"),
    "accounts.end_sessions": ("POST", "/account/overal-uitloggen", "302 302 302 302 302 302 302"),
    "beheer.house_overview": ("GET", "/beheer/{house}", "302 404 404 200 200 404 200"),
    "api.create_session": ("POST", "/api/v1/session", "415 415 415 415 415 415 415"),
    "api.get_session": ("GET", "/api/v1/session", "401 200 200 200 200 200 200"),
    "api.delete_session": ("DELETE", "/api/v1/session", "204 204 204 204 204 204 204"),
    "api.list_houses": ("GET", "/api/v1/houses", "200 200 200 200 200 200 200"),
    "api.openapi": ("GET", "/api/v1/openapi.json", "200 200 200 200 200 200 200"),
    "kiosk.privacy": ("GET", "/privacy", "200 200 200 200 200 200 200"),
    # rooms and bookings (booking issue)
    "rooms.search": ("GET", "/ruimtes", "200 200 200 200 200 200 200"),
    "rooms.room": ("GET", "/ruimtes/{room}", "200 200 200 200 200 200 200"),
    "rooms.book": ("GET", "/ruimtes/{room}/boeken", "302 200 200 200 200 200 200"),
    "rooms.my_bookings": ("GET", "/mijn-boekingen", "302 200 200 200 200 200 200"),
    "rooms.my_booking": ("GET", "/mijn-boekingen/{booking}", "302 404 404 200 200 404 200"),
    "rooms.cancel": ("POST", "/mijn-boekingen/{booking}/annuleren", "302 404 404 404 302 404 302"),
    "rooms.cancel_series": (
        "POST",
        "/mijn-boekingen/{booking}/annuleren-reeks",
        "302 404 404 404 404 404 404",
    ),
    "api.room_availability": (
        "GET",
        "/api/v1/rooms/{room}/availability",
        "200 200 200 200 200 200 200",
    ),
    "api.free_rooms": (
        "GET",
        "/api/v1/free-rooms?start={start}&end={end}",
        "200 200 200 200 200 200 200",
    ),
    "api.quote": ("POST", "/api/v1/quote", "401 415 415 415 415 415 415"),
    "api.create_booking": ("POST", "/api/v1/bookings", "401 415 415 415 415 415 415"),
    "api.list_bookings": ("GET", "/api/v1/bookings", "401 200 200 200 200 200 200"),
    "api.get_booking": ("GET", "/api/v1/bookings/{booking}", "401 404 404 200 200 404 200"),
    "api.cancel_booking": ("DELETE", "/api/v1/bookings/{booking}", "401 404 404 404 200 404 200"),
    # kiosk (kiosk issue); the tablet and phone routes check their own credential
    "kiosk.screen": ("GET", "/kiosk", "200 200 200 200 200 200 200"),
    "kiosk.pair": ("POST", "/kiosk/koppelen", "400 400 400 400 400 400 400"),
    "kiosk.pair_link": ("GET", "/kiosk/koppelen/ABCD2345", "200 200 200 200 200 200 200"),
    "kiosk.status": ("GET", "/kiosk/status.json", "401 401 401 401 401 401 401"),
    "kiosk.qr_image": ("GET", "/kiosk/qr.svg", "404 404 404 404 404 404 404"),
    "kiosk.tap": ("POST", "/kiosk/tik", "302 302 302 302 302 302 302"),
    # the kiosk as an offline web app: public, they hold only the kiosk's own code and names
    "kiosk.service_worker": ("GET", "/kiosk/sw.js", "200 200 200 200 200 200 200"),
    "kiosk.manifest": ("GET", "/kiosk/manifest.webmanifest", "200 200 200 200 200 200 200"),
    "kiosk.phone": ("GET", "/k/1.1.nep", "410 410 410 410 410 410 410"),
    "kiosk.poster": ("GET", "/p/1.nep", "404 404 404 404 404 404 404"),
    "kiosk.questions": ("GET", "/k/vragen", "200 200 200 200 200 200 200"),
    "kiosk.host": ("GET", "/kiosk/gastheer/{house}", "302 404 200 200 200 404 200"),
    "kiosk.undo_tally": ("POST", "/kiosk/gastheer/{house}/ongedaan", "302 404 302 302 302 404 302"),
    "kiosk.manage": ("GET", "/kiosk/beheer/{house}", "302 404 404 200 200 404 200"),
    "kiosk.poster_page": ("GET", "/kiosk/poster/{room}", "302 404 404 200 200 404 200"),
    "kiosk.poster_svg": ("GET", "/kiosk/poster/{room}.svg", "302 404 404 200 200 404 200"),
    "kiosk.poster_png": ("GET", "/kiosk/poster/{room}.png", "302 404 404 200 200 404 200"),
    "kiosk.print_cards": ("POST", "/kiosk/beheer/{house}/kaarten", "302 404 404 302 302 404 302"),
    "kiosk.card_sheet": (
        "GET",
        "/kiosk/beheer/{house}/kaarten/999",
        "302 404 404 404 404 404 404",
    ),
    "kiosk.card_sheet_pdf_file": (
        "GET",
        "/kiosk/beheer/{house}/kaarten/999.pdf",
        "302 404 404 404 404 404 404",
    ),
    "kiosk.block_card": (
        "POST",
        "/kiosk/beheer/{house}/kaarten/blokkeren",
        "302 404 404 400 400 404 400",
    ),
    "kiosk.card_info": ("GET", "/kaart/ABCDEFGHIJKLMNOPQRST", "200 200 200 200 200 200 200"),
    "kiosk.card_read": ("POST", "/kiosk/kaart", "401 401 401 401 401 401 401"),
    "api.create_kiosk": ("POST", "/api/v1/kiosks", "401 415 415 415 415 415 415"),
    # beheer (booking issue)
    "beheer.bookings_overview": ("GET", "/beheer/{house}/boekingen", "302 404 404 200 200 404 200"),
    "beheer.booking_detail": (
        "GET",
        "/beheer/{house}/boekingen/{booking}",
        "302 404 404 200 200 404 200",
    ),
    "beheer.rooms": ("GET", "/beheer/{house}/ruimtes", "302 404 404 404 200 404 200"),
    "beheer.edit_room": ("GET", "/beheer/{house}/ruimtes/{room}", "302 404 404 404 200 404 200"),
    "beheer.settings": ("GET", "/beheer/{house}/instellingen", "302 404 404 404 200 404 200"),
    "beheer.opening_hours": (
        "GET",
        "/beheer/{house}/openingstijden",
        "302 404 404 404 200 404 200",
    ),
    "beheer.closures": ("GET", "/beheer/{house}/sluitingen", "302 404 404 404 200 404 200"),
    "beheer.priority_blocks": (
        "GET",
        "/beheer/{house}/voorrangsblokken",
        "302 404 404 200 200 404 200",
    ),
    "beheer.audit_log": ("GET", "/beheer/{house}/logboek", "302 404 404 200 200 404 200"),
    "beheer.export_csv": (
        "GET",
        "/beheer/{house}/export.csv?maand=2026-12",
        "302 404 404 404 200 404 200",
    ),
    # feeds (calendars issue)
    "feeds.index": ("GET", "/agenda-links", "302 200 200 200 200 200 200"),
    "feeds.create": ("POST", "/agenda-links", "302 400 400 400 400 400 400"),
    "feeds.download": ("GET", "/agenda-links/download.ics", "302 400 400 400 400 400 400"),
    "feeds.feed": ("GET", "/feeds/bogus-token.ics", "404 404 404 404 404 404 404"),
    # the house feed of A that A's beheerder made: the owner and A's feed managers may revoke
    "feeds.confirm_revoke": (
        "GET",
        "/agenda-links/{feed}/intrekken/bevestigen",
        "302 404 404 200 200 404 200",
    ),
    "api.create_feed": ("POST", "/api/v1/feeds", "401 415 415 415 415 415 415"),
    # mailbox (calendars issue)
    "mailbox.outbox": ("GET", "/post", "302 200 200 200 200 200 200"),
    "mailbox.mail": ("GET", "/post/999999", "302 404 404 404 404 404 404"),
    "mailbox.attachment": ("GET", "/post/999999/bijlage/1", "302 404 404 404 404 404 404"),
    # stats (kiosk issue); /bereik/ and /bereik/rendement send staff on to their first house
    "stats.overview": ("GET", "/bereik/", "302 404 302 302 302 302 200"),
    "stats.house": ("GET", "/bereik/{house}", "302 404 200 200 200 404 200"),
    "stats.export_house": ("GET", "/bereik/{house}/export.csv", "302 404 404 200 200 404 200"),
    "stats.export_all": ("GET", "/bereik/export.csv", "302 404 404 404 404 404 200"),
    "stats.rendement_house": ("GET", "/bereik/{house}/rendement", "302 404 404 200 200 404 200"),
    "stats.rendement_house_csv": (
        "GET",
        "/bereik/{house}/rendement.csv",
        "302 404 404 200 200 404 200",
    ),
    "stats.rendement_all": ("GET", "/bereik/rendement", "302 404 404 302 302 302 200"),
    "stats.rendement_all_csv": ("GET", "/bereik/rendement.csv", "302 404 404 404 404 404 200"),
    "api.stats_reach": (
        "GET",
        "/api/v1/stats/reach?house={house}&from=2026-03-02&to=2026-03-08",
        "401 404 404 200 200 404 200",
    ),
    # front desk (issue 11)
    "beheer.day_sheet": ("GET", "/beheer/{house}/dagstaat", "302 404 200 200 200 404 200"),
    "beheer.book_on_behalf": (
        "GET",
        "/beheer/{house}/boeken-voor-bewoner",
        "302 404 404 200 200 404 200",
    ),
    "beheer.on_behalf_confirmation": (
        "GET",
        "/beheer/{house}/boekingen/{booking}/bevestiging",
        "302 404 404 200 200 404 200",
    ),
    "accounts.phone": ("GET", "/account/telefoon", "302 200 200 200 200 200 200"),
    "rooms.confirm_cancel": (
        "GET",
        "/mijn-boekingen/{booking}/annuleren/bevestigen",
        "302 404 404 404 200 404 200",
    ),
    "rooms.confirm_cancel_series": (
        "GET",
        "/mijn-boekingen/{booking}/annuleren-reeks/bevestigen",
        "302 404 404 404 404 404 404",
    ),
    "beheer.confirm_cancel_booking": (
        "GET",
        "/beheer/{house}/boekingen/{booking}/annuleren/bevestigen",
        "302 404 404 404 200 404 200",
    ),
    "accounts.request_mail_choice": (
        "GET",
        "/account/aanvraagmail",
        "302 404 404 404 200 200 404",
    ),
    "beheer.calendar_day": ("GET", "/beheer/{house}/agenda", "302 404 404 200 200 404 200"),
    # administration (issue 12)
    "accounts.update_profile": ("POST", "/account/gegevens", "302 400 400 400 400 400 400"),
    "accounts.request_email_change": (
        "POST",
        "/account/e-mailadres",
        "302 400 400 400 400 400 400",
    ),
    "accounts.confirm_email_change": (
        "GET",
        "/account/e-mailadres/x",
        "404 404 404 404 404 404 404",
    ),
    "accounts.end_session": ("POST", "/account/sessies/uitloggen", "302 400 400 400 400 400 400"),
    "accounts.revoke_api_token": (
        "POST",
        "/account/api-tokens/intrekken",
        "302 400 400 400 400 400 400",
    ),
    "accounts.download_my_data": (
        "GET",
        "/account/mijn-gegevens.json",
        "302 200 200 200 200 200 200",
    ),
    "accounts.delete_account": ("GET", "/account/verwijderen", "302 200 200 200 200 200 200"),
    # organisations and invoicing (issue 13); tests/api/test_invoices.py asks a real
    # invoice as every role, here an unknown one is 404 for all who are logged in
    "accounts.value_statement_page": (
        "GET",
        "/account/waardeoverzicht",
        "302 200 200 200 200 200 200",
    ),
    "accounts.value_statement_download": (
        "GET",
        "/account/waardeoverzicht.pdf",
        "302 200 200 200 200 200 200",
    ),
    "accounts.value_statement_csv": (
        "GET",
        "/account/waardeoverzicht.csv",
        "302 200 200 200 200 200 200",
    ),
    "api.run_invoices": ("POST", "/api/v1/invoices/run", "401 415 415 415 415 415 415"),
    "api.list_invoices": ("GET", "/api/v1/invoices", "401 200 200 200 200 200 200"),
    "api.get_invoice": ("GET", "/api/v1/invoices/999999", "401 404 404 404 404 404 404"),
    "api.invoice_file": ("GET", "/api/v1/invoices/999999.pdf", "401 404 404 404 404 404 404"),
    "api.finalise_invoice": (
        "POST",
        "/api/v1/invoices/999999/finalise",
        "401 404 404 404 404 404 404",
    ),
    "api.record_payment": (
        "POST",
        "/api/v1/invoices/999999/payments",
        "401 415 415 415 415 415 415",
    ),
    "api.credit_invoice": (
        "POST",
        "/api/v1/invoices/999999/credit",
        "401 415 415 415 415 415 415",
    ),
    "gemeente.home": ("GET", "/gemeente/", "302 404 404 404 404 404 200"),
    # gemeente: houses, areas, policy (area 1 is the people fixture's "Lith")
    "gemeente.houses": ("GET", "/gemeente/huizen", "302 404 404 404 404 404 200"),
    "gemeente.new_house": ("GET", "/gemeente/huizen/nieuw", "302 404 404 404 404 404 200"),
    "gemeente.edit_house": ("GET", "/gemeente/huizen/{house}", "302 404 404 404 404 404 200"),
    "gemeente.confirm_deactivate_house": (
        "GET",
        "/gemeente/huizen/{house}/deactiveren",
        "302 404 404 404 404 404 200",
    ),
    "gemeente.deactivate_house": (
        "POST",
        "/gemeente/huizen/{house}/deactiveren",
        "302 404 404 404 404 404 302",
    ),
    "gemeente.reactivate_house": (
        "POST",
        "/gemeente/huizen/{house}/activeren",
        "302 404 404 404 404 404 422",
    ),
    "gemeente.areas": ("GET", "/gemeente/wijken", "302 404 404 404 404 404 200"),
    "gemeente.new_area": ("GET", "/gemeente/wijken/nieuw", "302 404 404 404 404 404 200"),
    "gemeente.edit_area": ("GET", "/gemeente/wijken/1", "302 404 404 404 404 404 200"),
    "gemeente.policy": ("GET", "/gemeente/beleid", "302 404 404 404 404 404 200"),
    # people and roles: user 1 is the people fixture's organiser, user 3 its gastheer of A
    "gemeente.people": ("GET", "/gemeente/mensen", "302 404 404 404 404 404 200"),
    "gemeente.invite_person": ("GET", "/gemeente/mensen/uitnodigen", "302 404 404 404 404 404 200"),
    "gemeente.person": ("GET", "/gemeente/mensen/1", "302 404 404 404 404 404 200"),
    "gemeente.grant_person_role": (
        "POST",
        "/gemeente/mensen/1/rollen",
        "302 404 404 404 404 404 400",
    ),
    "gemeente.confirm_remove_person_role": (
        "GET",
        "/gemeente/mensen/3/rol-weghalen?rol=gastheer&huis=1",
        "302 404 404 404 404 404 200",
    ),
    "gemeente.remove_person_role": (
        "POST",
        "/gemeente/mensen/3/rol-weghalen?rol=gastheer&huis=1",
        "302 404 404 404 404 404 302",
    ),
    "gemeente.confirm_deactivate_person": (
        "GET",
        "/gemeente/mensen/1/deactiveren",
        "302 404 404 404 404 404 200",
    ),
    "gemeente.deactivate_person": (
        "POST",
        "/gemeente/mensen/1/deactiveren",
        "302 404 404 404 404 404 302",
    ),
    "gemeente.reactivate_person": (
        "POST",
        "/gemeente/mensen/1/activeren",
        "302 404 404 404 404 404 422",
    ),
    "gemeente.resend_invitation": (
        "POST",
        "/gemeente/mensen/1/uitnodiging",
        "302 404 404 404 404 404 422",
    ),
    "beheer.staff": ("GET", "/beheer/{house}/medewerkers", "302 404 404 200 200 404 200"),
    "beheer.confirm_remove_staff": (
        "GET",
        "/beheer/{house}/medewerkers/3/weghalen?rol=gastheer",
        "302 404 404 200 200 404 200",
    ),
    "beheer.resend_staff_invitation": (
        "POST",
        "/beheer/{house}/medewerkers/3/uitnodiging",
        "302 404 404 422 422 404 422",
    ),
    "accounts.invitation": ("GET", "/uitnodiging/x", "404 404 404 404 404 404 404"),
    "beheer.calendar_week": ("GET", "/beheer/{house}/agenda/week", "302 404 404 200 200 404 200"),
    "public.whats_on": ("GET", "/wat-is-er-te-doen", "200 200 200 200 200 200 200"),
    "public.agenda_embed": ("GET", "/huizen/{house}/agenda-embed", "200 200 200 200 200 200 200"),
    "rooms.change": ("GET", "/mijn-boekingen/{booking}/wijzigen", "302 404 404 404 404 404 404"),
    "beheer.change_booking": (
        "GET",
        "/beheer/{house}/boekingen/{booking}/bewerken",
        "302 404 404 404 200 404 200",
    ),
    "api.change_booking_api": (
        "PATCH",
        "/api/v1/bookings/{booking}",
        "401 415 415 415 415 415 415",
    ),
    # organisations (issue 13): {organisation} is the people fixture's, registered by
    # house A with the other organiser as its contact
    "accounts.my_organisations": ("GET", "/account/organisaties", "302 200 200 200 200 200 200"),
    "accounts.new_organisation": (
        "GET",
        "/account/organisaties/nieuw",
        "302 200 200 200 200 200 200",
    ),
    "accounts.edit_organisation": (
        "GET",
        "/account/organisaties/{organisation}",
        "302 404 404 404 404 404 404",
    ),
    "accounts.organisation_contacts": (
        "GET",
        "/account/organisaties/{organisation}/contactpersonen",
        "302 404 404 404 404 404 404",
    ),
    "accounts.remove_organisation_contact": (
        "POST",
        "/account/organisaties/{organisation}/contactpersonen/1/weghalen",
        "302 404 404 404 404 404 404",
    ),
    "beheer.organisations": ("GET", "/beheer/{house}/organisaties", "302 404 404 404 200 404 200"),
    "beheer.new_house_organisation": (
        "GET",
        "/beheer/{house}/organisaties/nieuw",
        "302 404 404 404 200 404 200",
    ),
    "beheer.edit_house_organisation": (
        "GET",
        "/beheer/{house}/organisaties/{organisation}",
        "302 404 404 404 200 404 200",
    ),
    "beheer.add_house_contact": (
        "POST",
        "/beheer/{house}/organisaties/{organisation}/contactpersonen",
        "302 404 404 404 400 404 400",
    ),
    "api.list_organisations": (
        "GET",
        "/api/v1/organisations?house={house}",
        "401 404 404 404 200 404 200",
    ),
    # the last contact cannot go: staff are refused with a flash and sent back (302)
    "beheer.remove_house_contact": (
        "POST",
        "/beheer/{house}/organisaties/{organisation}/contactpersonen/1/weghalen",
        "302 404 404 404 302 404 302",
    ),
    # invoicing (issue 13): {invoice} is a concept of house A with one line, {line}
    "beheer.invoices": ("GET", "/beheer/{house}/facturen", "302 404 404 404 200 404 200"),
    "beheer.invoices_csv": ("GET", "/beheer/{house}/facturen.csv", "302 404 404 404 200 404 200"),
    "beheer.outstanding_invoices": (
        "GET",
        "/beheer/{house}/facturen/openstaand",
        "302 404 404 404 200 404 200",
    ),
    "beheer.invoice_settings": (
        "GET",
        "/beheer/{house}/instellingen/facturen",
        "302 404 404 404 200 404 200",
    ),
    "beheer.invoice_detail": (
        "GET",
        "/beheer/{house}/facturen/{invoice}",
        "302 404 404 404 200 404 200",
    ),
    "beheer.invoice_download": (
        "GET",
        "/beheer/{house}/facturen/{invoice}.pdf",
        "302 404 404 404 200 404 200",
    ),
    "beheer.run_invoices": (
        "POST",
        "/beheer/{house}/facturen/klaarzetten",
        "302 404 404 404 400 404 400",
    ),
    # the beheerder finalises it; then the gemeente is told it is final already
    "beheer.finalise_invoice": (
        "POST",
        "/beheer/{house}/facturen/{invoice}/definitief",
        "302 404 404 404 302 404 422",
    ),
    "beheer.remove_invoice_line": (
        "POST",
        "/beheer/{house}/facturen/{invoice}/regels/{line}/weghalen",
        "302 404 404 404 302 404 404",
    ),
    "beheer.record_invoice_payment": (
        "POST",
        "/beheer/{house}/facturen/{invoice}/betaling",
        "302 404 404 404 400 404 400",
    ),
    "beheer.credit_invoice": (
        "POST",
        "/beheer/{house}/facturen/{invoice}/crediteren",
        "302 404 404 404 400 404 400",
    ),
    "beheer.invoice_booking_now": (
        "POST",
        "/beheer/{house}/boekingen/{booking}/factureren",
        "302 404 404 404 422 404 422",
    ),
}
UNCHECKED = {"static"}
# POST routes on one object, each tested for every role in its own module (tests/beheer/)
COVERED_ELSEWHERE = {
    "beheer.decide_booking",
    "beheer.override_booking",
    "beheer.cancel_booking",
    "beheer.delete_closure",
    "beheer.delete_priority_block",
    # kiosk: tests/kiosk/
    "kiosk.add_tally",
    "kiosk.create",
    "kiosk.revoke",
    # feeds: tests/feeds/
    "feeds.revoke",
    "api.revoke_feed",
    # stats: tests/stats/ (host notes)
    "stats.add_note",
    # confirmation pages of one object: tests/beheer/test_confirmations.py
    "beheer.confirm_delete_closure",
    "beheer.confirm_delete_priority_block",
    "kiosk.confirm_revoke",
    # taking a staff role: tests/beheer/test_staff.py (the first success would change the
    # answers of the roles after it)
    "beheer.remove_staff",
}
SLOT = (datetime.now(UTC) + timedelta(days=3), datetime.now(UTC) + timedelta(days=3, hours=1))


def make_booking(app, organiser, room_id: int) -> int:
    """A confirmed booking of another organiser, a few days ahead, for the object routes."""
    day = (datetime.now(AMSTERDAM) + timedelta(days=3)).date()
    with app.app_context():
        booked = bookings.create_booking(
            db.session.get(User, organiser.id),
            room_id,
            local_to_utc(datetime.combine(day, time(10))),
            local_to_utc(datetime.combine(day, time(12))),
            "Andermans boeking",
            False,
            RESIDENTS,
            now=datetime.now(UTC),
        )
        db.session.commit()
        return booked.booking.id


def restore_booking(app, booking_id: int) -> None:
    with app.app_context():
        db.session.get(Booking, booking_id).status = "bevestigd"
        db.session.commit()


def make_feed(app, owner, house_slug: str) -> int:
    """A live feed of all bookings of the house, made by `owner`, for the feed routes."""
    with app.app_context():
        made = feeds.create_feed(
            db.session.get(User, owner.id), "house", house_slug, now=datetime.now(UTC)
        )
        db.session.commit()
        return made.feed.id


def make_organisation(app, contact, house_id: int) -> int:
    """An organisation house A registered, with `contact` (user 1) as its only contact."""
    with app.app_context():
        organisation = Organisation(name="Zangkoor", kind="vereniging", house_id=house_id)
        organisation.contacts.append(OrganisationContact(user_id=contact.id))
        db.session.add(organisation)
        db.session.commit()
        return organisation.id


def make_invoice(app, people) -> tuple[int, int]:
    """House A's invoicing details and a concept invoice charging the people's booking:
    (invoice id, line id), for the invoicing routes."""
    from booking.models import HouseInvoicing, Invoice
    from booking.services.invoices.common import booking_line

    with app.app_context():
        booking = db.session.get(Booking, people["booking"])
        db.session.add(
            HouseInvoicing(
                house_id=people["house"].id,
                legal_name="Stichting A",
                street="Dorpsstraat 1",
                postcode="5391 AA",
                city="Lith",
                kvk_number="12345678",
                iban="NL91ABNA0417164300",
                number_prefix="A",
            )
        )
        invoice = Invoice(house_id=people["house"].id, person_id=booking.organiser_id)
        invoice.lines.append(booking_line(booking, 1))
        db.session.add(invoice)
        db.session.commit()
        return invoice.id, invoice.lines[0].id


@pytest.fixture
def people(app, make_house, make_user):
    house_a, house_b = make_house("huis-a"), make_house("huis-b")
    organiser = make_user("initiatiefnemer")
    found = {
        "house": house_a,
        "booking": make_booking(app, organiser, house_a.room_ids[1]),
        "initiatiefnemer": make_user("initiatiefnemer"),
        "gastheer": make_user("gastheer", house_a),
        "sociaal_beheerder": make_user("sociaal_beheerder", house_a),
        "beheerder": make_user("beheerder", house_a),
        "beheerder_b": make_user("beheerder", house_b),
        "gemeente": make_user("gemeente"),
    }
    found["feed"] = make_feed(app, found["beheerder"], house_a.slug)
    found["organisation"] = make_organisation(app, organiser, house_a.id)
    return found


def test_every_route_is_in_the_matrix(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints - UNCHECKED - COVERED_ELSEWHERE == set(MATRIX), "add new routes to MATRIX"


@pytest.mark.parametrize("endpoint", sorted(MATRIX))
def test_route_answers_each_role_as_designed(app, people, endpoint):
    method, path, expected = MATRIX[endpoint]
    invoice, line = make_invoice(app, people) if "{invoice}" in path else (0, 0)
    path = path.format(
        invoice=invoice,
        line=line,
        house=people["house"].slug,
        room=people["house"].room_ids[0],
        booking=people["booking"],
        feed=people["feed"],
        organisation=people["organisation"],
        start=local_iso(SLOT[0]),
        end=local_iso(SLOT[1]),
    )
    answers = []
    for role, status in zip(ROLES, expected.split(), strict=True):
        client = app.test_client()
        if role != "anonymous":
            login(client, people[role])
        data = (
            {"csrf_token": csrf_token(client)}
            if method == "POST" and not path.startswith("/api/")
            else None
        )
        response = client.open(path, method=method, data=data)
        answers.append((role, response.status_code, int(status)))
        if (
            method in ("POST", "DELETE")
            and response.status_code < 400
            and "{booking}" in MATRIX[endpoint][1]
        ):
            restore_booking(app, people["booking"])
    wrong = [(role, got, want) for role, got, want in answers if got != want]
    assert not wrong, f"{endpoint}: (role, got, expected) {wrong}"


def test_unknown_house_is_404_for_everyone(app, people):
    for role in ROLES[1:]:
        client = app.test_client()
        login(client, people[role])
        assert client.get("/beheer/bestaat-niet").status_code == 404
        assert client.get("/huizen/bestaat-niet").status_code == 404
