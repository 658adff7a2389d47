"""Delete my account: refused while bookings are to come; otherwise scrubbed, history kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from booking.errors import RuleViolation
from booking.extensions import db
from booking.mail.outbox import queue_mail
from booking.models import ApiToken, AuditEntry, Booking, FeedToken, OutboxMail, User
from booking.models.accounts import LoginSession
from booking.rules.statuses import BookingStatus
from booking.services import accounts, feeds
from booking.services import login as login_service
from booking.services.my_account import deletion, sessions
from tests.conftest import PASSWORD

PAST = datetime.now(UTC) - timedelta(days=30)


@pytest.fixture
def resident(app, make_house, make_user, book):
    house = make_house()
    ref = make_user("sociaal_beheerder", house, email="fatma@example.org")  # staff, too
    with app.app_context():
        user = db.session.get(User, ref.id)
        user.phone, user.organisation = "0612345678", "Buurtkoor"
        db.session.commit()
    past = book(ref, house.room_ids[1], days_ahead=-5, now=PAST, title="Buurtkoffie")
    return ref, house, past


def _delete(app, ref, password=PASSWORD, now=None):
    with app.test_request_context():
        deletion.delete_account(db.session.get(User, ref.id), password, now or datetime.now(UTC))
        db.session.commit()


def test_a_future_booking_stands_in_the_way_and_nothing_changes(app, resident, book):
    ref, house, _past = resident
    future = book(ref, house.room_ids[0], days_ahead=4)
    with app.test_request_context():
        user = db.session.get(User, ref.id)
        check = deletion.deletion_check(user, datetime.now(UTC))
        assert not check.allowed and check.future_count == 1
        assert [b.id for b in check.future_bookings] == [future]
        with pytest.raises(RuleViolation) as refused:
            deletion.delete_account(user, PASSWORD, datetime.now(UTC))
        assert "Annuleer die eerst" in refused.value.message.template
        db.session.rollback()
        assert db.session.get(User, ref.id).email == "fatma@example.org"
        db.session.get(Booking, future).status = BookingStatus.geannuleerd
        db.session.commit()
        assert deletion.deletion_check(db.session.get(User, ref.id), datetime.now(UTC)).allowed


def test_the_last_gemeente_account_stays(app, make_user):
    only = make_user("gemeente")
    with app.test_request_context():
        assert deletion.deletion_check(
            db.session.get(User, only.id), datetime.now(UTC)
        ).last_gemeente
    second = make_user("gemeente")
    with app.test_request_context():
        assert deletion.deletion_check(db.session.get(User, only.id), datetime.now(UTC)).allowed
    _delete(app, second)
    with app.test_request_context():
        assert not deletion.deletion_check(db.session.get(User, only.id), datetime.now(UTC)).allowed


def test_a_wrong_password_deletes_nothing(app, resident):
    ref, _house, _past = resident
    with app.test_request_context():
        with pytest.raises(RuleViolation) as refused:
            deletion.delete_account(db.session.get(User, ref.id), "verkeerd-ww", datetime.now(UTC))
        assert refused.value.field == "current_password"
        db.session.rollback()
        user = db.session.get(User, ref.id)
        assert user.active and user.deleted_at is None and user.phone == "0612345678"


def test_the_account_is_scrubbed_and_its_past_booking_kept_for_the_house(app, resident, make_user):
    ref, house, past = resident
    other = make_user(email="iemand-anders@example.org")
    now = datetime.now(UTC)
    with app.test_request_context():
        user = db.session.get(User, ref.id)
        before = db.session.get(Booking, past)
        kept = (before.amount_cents, before.list_price_cents, before.tariff_group, before.status)
        token = accounts.issue_api_token(user)
        key = sessions.open_session(user, now)
        mine = feeds.create_feed(user, "mine", None, now=now).feed.id
        public = feeds.create_feed(user, "public", house.slug, now=now).feed.id
        queue_mail("x", "fatma@example.org", template="password_reset", user=user, link="l")
        queue_mail("x", "iemand-anders@example.org", template="password_reset", user=user, link="l")
        db.session.commit()
    _delete(app, ref)
    with app.test_request_context():
        user = db.session.get(User, ref.id)
        assert user.name == deletion.DELETED_NAME and user.email.endswith("@verwijderd.invalid")
        assert (user.phone, user.organisation, user.locale) == ("", "", None)
        assert not user.active and user.deleted_at is not None and user.memberships == []
        assert user.role == "initiatiefnemer"
        assert accounts.find_user("fatma@example.org") is None  # free to register again
        assert login_service.authenticate("fatma@example.org", PASSWORD, now).user is None
        booking = db.session.get(Booking, past)
        assert booking.organiser_id == ref.id and booking.title == "Buurtkoffie"
        assert (booking.amount_cents, booking.list_price_cents) == kept[:2]
        assert (booking.tariff_group, booking.status) == kept[2:]
        assert accounts.user_for_api_token(token) is None
        assert db.session.scalar(db.select(ApiToken.revoked_at)) is not None
        assert db.session.get(FeedToken, mine).revoked_at is not None
        assert db.session.get(FeedToken, public).revoked_at is not None  # every feed dies
        assert db.session.scalars(db.select(LoginSession)).all() == []
        assert not sessions.is_open(user, key, now)
        addresses = db.session.scalars(db.select(OutboxMail.to_address)).all()
        assert addresses == ["iemand-anders@example.org"]
        entry = db.session.scalars(db.select(AuditEntry).filter_by(action="account_deleted")).one()
        assert (entry.actor_id, entry.object_id, entry.house_id) == (None, None, None)
        assert "fatma" not in entry.details and str(ref.id) not in entry.details
        assert db.session.get(User, other.id).active


def test_two_deleted_accounts_do_not_share_an_address(app, make_user):
    first, second = make_user(), make_user()
    _delete(app, first)
    _delete(app, second)
    with app.app_context():
        emails = {db.session.get(User, r.id).email for r in (first, second)}
        assert len(emails) == 2
