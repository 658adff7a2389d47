"""Organisations as use cases (issue 13): create, update, contacts and who may see which,
booking namens one; through the services, on the test database."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from flask import Flask
from sqlalchemy import func, select

from booking.errors import NotFound, RuleViolation
from booking.extensions import db
from booking.models import AuditEntry, Booking, Organisation, OutboxMail, User
from booking.services import bookings
from booking.services.organisations import access, contacts, details
from booking.services.organisations.details import OrganisationInput
from tests.conftest import activity, slot

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
CHOIR = OrganisationInput(
    name="Zangkoor Vocalis",
    kind="vereniging",
    kvk_number="40 21 35 27",
    billing_street="Kerkstraat 1",
    billing_postcode="5341 AB",
    billing_city="Oss",
    billing_email="Penningmeester@Example.org",
)


@pytest.fixture
def ctx(app: Flask) -> Iterator[None]:
    with app.test_request_context():
        yield


@pytest.fixture
def town(make_house, make_user) -> dict:
    house, other = make_house("de-haard"), make_house("het-anker")
    return {
        "house": house,
        "other": other,
        "gemeente": make_user("gemeente"),
        "beheerder": make_user("beheerder", house),
        "beheerder_b": make_user("beheerder", other),
        "sociaal": make_user("sociaal_beheerder", house),
        "anna": make_user("initiatiefnemer", email="anna@example.org"),
        "bert": make_user("initiatiefnemer", email="bert@example.org"),
    }


def user(town: dict, who: str) -> User:
    return db.session.get(User, town[who].id)


def count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_user_creates_one_and_is_its_first_contact(ctx, town):
    made = details.create_organisation(user(town, "anna"), CHOIR)
    assert made.kvk_number == "40213527"
    assert made.billing_email == "Penningmeester@example.org"
    assert made.house_id is None
    assert [c.user_id for c in made.contacts] == [town["anna"].id]
    assert access.my_organisations(user(town, "anna")) == [made]
    assert "organisation_created" in set(db.session.scalars(select(AuditEntry.action)))


def test_staff_create_one_for_their_house(ctx, town):
    made = details.create_organisation(user(town, "beheerder"), CHOIR, slug="de-haard")
    assert made.house_id == town["house"].id and made.contacts == []
    _house, listed = access.house_organisations(user(town, "beheerder"), "de-haard")
    assert listed == [made]
    assert access.house_organisations(user(town, "beheerder_b"), "het-anker")[1] == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kvk_number": "1234"}, "kvk_number"),
        ({"kvk_number": "00000000"}, "kvk_number"),
        ({"billing_email": "geen-adres"}, "billing_email"),
        ({"name": "  "}, "name"),
        ({"name": "x" * 121}, "name"),
        ({"kind": "sekte"}, "kind"),
        ({"billing_postcode": "12345678901"}, "billing_postcode"),
    ],
)
def test_bad_input_is_refused_and_nothing_stored(ctx, town, change, field):
    data = OrganisationInput(**{**details.as_dict(CHOIR), **change})
    with pytest.raises(RuleViolation) as refused:
        details.create_organisation(user(town, "anna"), data)
    assert refused.value.field == field
    assert count(Organisation) == 0


def test_update_by_contact_and_by_staff_who_see_it(ctx, town):
    made = details.create_organisation(user(town, "anna"), CHOIR)
    renamed = OrganisationInput(**{**details.as_dict(CHOIR), "name": "Vocalis Oss"})
    assert details.update_organisation(user(town, "anna"), made.id, renamed) == ["name"]
    # staff see it once it booked in their house
    with pytest.raises(NotFound):
        access.house_organisation(user(town, "beheerder"), "de-haard", made.id)
    start, end = slot(5)
    bookings.create_booking(
        user(town, "anna"),
        town["house"].room_ids[1],
        start,
        end,
        "Repetitie",
        False,
        activity("vereniging"),
        now=datetime.now(UTC),
        organisation_id=made.id,
    )
    _house, seen = access.house_organisation(user(town, "beheerder"), "de-haard", made.id)
    assert seen is made
    details.update_organisation(user(town, "beheerder"), made.id, CHOIR, slug="de-haard")
    assert made.name == "Zangkoor Vocalis"
    bad = OrganisationInput(**{**details.as_dict(CHOIR), "kvk_number": "abc"})
    with pytest.raises(RuleViolation):
        details.update_organisation(user(town, "anna"), made.id, bad)
    assert made.kvk_number == "40213527"


@pytest.mark.parametrize("who", ["bert", "sociaal", "beheerder", "beheerder_b"])
def test_others_get_not_found(ctx, town, who):
    made = details.create_organisation(user(town, "anna"), CHOIR)
    with pytest.raises(NotFound):
        details.update_organisation(user(town, who), made.id, CHOIR)
    with pytest.raises(NotFound):
        contacts.add_contact(user(town, who), made.id, "bert@example.org", NOW)


def test_sociaal_beheerder_has_no_organisation_pages(ctx, town):
    with pytest.raises(NotFound):
        access.house_organisations(user(town, "sociaal"), "de-haard")
    with pytest.raises(NotFound):
        details.create_organisation(user(town, "sociaal"), CHOIR, slug="de-haard")


def test_gemeente_sees_every_organisation(ctx, town):
    made = details.create_organisation(user(town, "anna"), CHOIR)
    assert access.house_organisations(user(town, "gemeente"), "het-anker")[1] == [made]


def test_contacts_are_added_by_email_and_told(ctx, town):
    made = details.create_organisation(user(town, "anna"), CHOIR)
    added = contacts.add_contact(user(town, "anna"), made.id, " BERT@example.org ", NOW)
    assert added.id == town["bert"].id
    assert {c.user_id for c in made.contacts} == {town["anna"].id, town["bert"].id}
    mail = db.session.scalar(select(OutboxMail))
    assert mail.to_address == "bert@example.org"
    assert "Zangkoor Vocalis" in mail.subject
    with pytest.raises(RuleViolation):  # already a contact
        contacts.add_contact(user(town, "anna"), made.id, "bert@example.org", NOW)


def test_an_address_without_account_is_refused(ctx, town):
    made = details.create_organisation(user(town, "anna"), CHOIR)
    with pytest.raises(RuleViolation) as refused:
        contacts.add_contact(user(town, "anna"), made.id, "nieuw@example.org", NOW)
    assert refused.value.code == "geen_account"
    assert len(made.contacts) == 1 and count(OutboxMail) == 0


def test_the_last_contact_stays(ctx, town):
    made = details.create_organisation(user(town, "anna"), CHOIR)
    with pytest.raises(RuleViolation):
        contacts.remove_contact(user(town, "anna"), made.id, town["anna"].id)
    contacts.add_contact(user(town, "anna"), made.id, "bert@example.org", NOW)
    contacts.remove_contact(user(town, "bert"), made.id, town["anna"].id)
    assert [c.user_id for c in made.contacts] == [town["bert"].id]
    with pytest.raises(NotFound):
        access.own_organisation(user(town, "anna"), made.id)


def test_booking_namens_needs_a_contact(ctx, town):
    made = details.create_organisation(user(town, "anna"), CHOIR)
    start, end = slot(6)
    with pytest.raises(NotFound):
        bookings.create_booking(
            user(town, "bert"),
            town["house"].room_ids[1],
            start,
            end,
            "Repetitie",
            False,
            activity("vereniging"),
            now=datetime.now(UTC),
            organisation_id=made.id,
        )
    assert count(Booking) == 0
    booked = bookings.create_booking(
        user(town, "anna"),
        town["house"].room_ids[1],
        start,
        end,
        "Repetitie",
        False,
        activity("vereniging"),
        now=datetime.now(UTC),
        organisation_id=made.id,
    )
    assert booked.booking.organisation_id == made.id
    assert booked.booking.tariff_group != "T1"  # the answers still decide the group
