"""Invoice numbers are gapless per house and year, also when two treasurers finalise at the
same moment (DESIGN §14): two threads, two connections, numbers 1 and 2, no duplicate and
no gap — on SQLite (BEGIN IMMEDIATE) and on PostgreSQL (the counter row's lock)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from booking.extensions import db
from booking.models import Invoice, InvoiceCounter, InvoiceLine, User
from booking.rules.slots import AMSTERDAM
from booking.services.invoices import finalising
from booking.services.invoices import settings as invoicing_settings

YEAR = datetime.now(AMSTERDAM).year


def _concepts(app, make_house, make_user, count: int) -> tuple[int, int, list[int]]:
    house = make_house("de-haard")
    beheerder = make_user("beheerder", house)
    organiser = make_user("initiatiefnemer")
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)
    with app.app_context():
        invoicing_settings.save_invoicing(
            db.session.get(User, beheerder.id),
            house.slug,
            invoicing_settings.InvoicingInput(
                legal_name="Stichting De Haard",
                street="Dorpsstraat 1",
                postcode="5391 AA",
                city="Lith",
                kvk_number="12345678",
                iban="NL91ABNA0417164300",
                number_prefix="DH",
            ),
        )
        ids = []
        for n in range(count):
            invoice = Invoice(house_id=house.id, person_id=organiser.id)
            invoice.lines.append(
                InvoiceLine(
                    position=1,
                    description=f"Repetitie {n}",
                    room_name="Zaal 2",
                    start=start,
                    end=start + timedelta(hours=2),
                    hours_hundredths=200,
                    tariff_group="T3",
                    list_price_cents=5000,
                    amount_cents=5000,
                )
            )
            db.session.add(invoice)
            db.session.flush()
            ids.append(invoice.id)
        db.session.commit()
    return house.id, beheerder.id, ids


def _numbers(app, house_id: int) -> list[str | None]:
    with app.app_context():
        return [
            i.number
            for i in db.session.query(Invoice).filter_by(house_id=house_id).order_by(Invoice.id)
        ]


@pytest.mark.real_commits  # two threads, two connections: each must see the other's commit
def test_two_finalising_at_once_get_one_and_two(app, make_house, make_user):
    house_id, beheerder_id, ids = _concepts(app, make_house, make_user, 2)
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def finalise(invoice_id: int) -> None:
        try:
            with app.app_context():
                actor = db.session.get(User, beheerder_id)
                start.wait(timeout=10)
                finalising.finalise(actor, invoice_id, now=datetime.now(UTC))
                db.session.commit()
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)

    threads = [threading.Thread(target=finalise, args=(i,)) for i in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    assert sorted(_numbers(app, house_id)) == [f"DH{YEAR}-0001", f"DH{YEAR}-0002"]
    with app.app_context():
        counter = db.session.get(InvoiceCounter, (house_id, YEAR))
        assert counter is not None and counter.last_sequence == 2


@pytest.mark.real_commits
def test_a_rolled_back_finalising_gives_its_number_back(app, make_house, make_user):
    house_id, beheerder_id, ids = _concepts(app, make_house, make_user, 2)
    with app.app_context():
        actor = db.session.get(User, beheerder_id)
        assert finalising.finalise(actor, ids[0], now=datetime.now(UTC)).sequence == 1
        db.session.rollback()  # the request failed after numbering: nothing is kept
        finalising.finalise(db.session.get(User, beheerder_id), ids[1], now=datetime.now(UTC))
        db.session.commit()
    assert _numbers(app, house_id) == [None, f"DH{YEAR}-0001"]
