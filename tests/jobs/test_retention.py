"""retention: old bookings lose their personal data; unused accounts are told, then deleted.

The bookings are made through the real service in the coming days; the job then runs as
if the clock said some years later (`--now`), so the cut-offs fall where the test wants.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from sqlalchemy import select

from booking.extensions import db
from booking.jobs import JOBS, JobSummary
from booking.models import AuditEntry, Booking, OutboxMail, User
from booking.rules.audit import AuditAction, AuditObject
from booking.rules.messages import encode_reason, encode_text_reason
from booking.rules.residents import Resident
from booking.rules.retention import deletion_moment
from booking.rules.slots import AMSTERDAM, local_to_utc
from booking.services import audit, houses
from booking.services import login as login_service
from booking.services.deadlines import EXPIRED_REASON
from booking.services.my_account.deletion import DELETED_NAME
from tests.conftest import PASSWORD, UserRef
from tests.jobs import run_cli, run_in_threads

COUNTS = (
    "boekingen opgeschoond",
    "redenen in het logboek gewist",
    "oude mails verwijderd",
    "aankondigingen verstuurd",
    "accounts verwijderd",
    "kaartcodes gewist",
)


def run(app, now: datetime) -> JobSummary:
    with app.app_context():
        return JOBS["retention"](now)


def set_policy(app, **values: int) -> None:
    with app.app_context():
        settings = houses.policy()
        for name, value in values.items():
            setattr(settings, name, value)
        db.session.commit()


def new_year(year: int, days: int = 0) -> datetime:
    """Local midnight of 1 January of `year`, plus whole days, as UTC."""
    return local_to_utc(datetime(year, 1, 1)) + timedelta(days=days, hours=10)


def retention_entries(app) -> list[dict]:
    with app.app_context():
        rows = db.session.scalars(
            select(AuditEntry).filter_by(action="retention_applied").order_by(AuditEntry.id)
        )
        return [{"actor": r.actor_id, "house": r.house_id, **json.loads(r.details)} for r in rows]


# Bookings ------------------------------------------------------------------------------


@pytest.fixture
def old_bookings(app, make_house, make_user, book):
    """A booking for a resident with every kind of personal text, an expired request (a
    reason the product wrote), and a booking more than a year later."""
    house = make_house()
    staff = make_user("beheerder", house)
    for_resident = book(staff, house.room_ids[0], days_ahead=3, title="Rouwcafé")
    expired = book(staff, house.room_ids[1], days_ahead=3, title="Inloop")
    young = book(staff, house.room_ids[0], days_ahead=400, title="Zomerfeest")
    with app.app_context():
        booking = db.session.get(Booking, for_resident)
        booking.book_for(Resident("Fatma Yilmaz", "0612345678", "fatma@example.org"))
        booking.status_reason = encode_text_reason("Fatma is ziek, haar man belde af")
        booking.override_reason = "Mevrouw Yilmaz heeft een minimuminkomen"
        audit.record(
            AuditAction.booking_overridden,
            AuditObject.booking,
            for_resident,
            actor_id=staff.id,
            house_id=house.id,
            reason="Mevrouw Yilmaz heeft een minimuminkomen",
        )
        db.session.get(Booking, expired).status_reason = encode_reason(EXPIRED_REASON)
        db.session.get(Booking, young).book_for(Resident("Jan Jansen", "0687654321"))
        db.session.commit()
        year = db.session.get(Booking, for_resident).end.astimezone(AMSTERDAM).year
    return {"for_resident": for_resident, "expired": expired, "young": young, "year": year}


def _booking(app, booking_id: int) -> dict:
    with app.app_context():
        b = db.session.get(Booking, booking_id)
        return {
            "resident": (b.on_behalf_name, b.on_behalf_phone, b.on_behalf_email),
            "reasons": (b.status_reason, b.override_reason),
            "kept": (
                b.title,
                b.room_id,
                b.start,
                b.end,
                b.status,
                b.tariff_group,
                b.priority_class,
                b.amount_cents,
                b.list_price_cents,
                b.organiser_id,
            ),
        }


def test_a_booking_keeps_its_personal_data_for_seven_full_years(app, old_bookings):
    before = _booking(app, old_bookings["for_resident"])
    # On 2 January seven years after the booking's year, its year has not been kept for
    # seven full years yet: nothing changes, nothing is audited.
    summary = run(app, new_year(old_bookings["year"] + 7, days=1))
    assert summary.counts["boekingen opgeschoond"] == 0
    assert _booking(app, old_bookings["for_resident"]) == before
    assert retention_entries(app) == []


def test_old_bookings_are_scrubbed_the_houses_records_stay_and_a_rerun_does_nothing(
    app, runner, old_bookings
):
    with app.app_context():  # the confirmation mails of that year were sent long ago
        for mail in db.session.scalars(select(OutboxMail)):
            mail.status, mail.sent_at = "verzonden", mail.created_at
        db.session.add(OutboxMail(kind="x", to_address="a@example.org", subject="s", body_text="t"))
        db.session.commit()
    before = {name: _booking(app, old_bookings[name]) for name in ("for_resident", "expired")}
    young_before = _booking(app, old_bookings["young"])
    now = new_year(old_bookings["year"] + 8, days=1)
    output = run_cli(runner, "retention", now).output
    assert "2 boekingen opgeschoond" not in output  # the expired request had nothing personal
    assert "1 boekingen opgeschoond" in output and "1 redenen in het logboek gewist" in output

    scrubbed = _booking(app, old_bookings["for_resident"])
    assert scrubbed["resident"] == ("", "", "")
    assert scrubbed["reasons"] == ("", "")
    assert scrubbed["kept"] == before["for_resident"]["kept"]
    # a reason the product wrote stays: it names nobody
    assert _booking(app, old_bookings["expired"]) == before["expired"]
    # more than a year younger: untouched
    assert _booking(app, old_bookings["young"]) == young_before
    with app.app_context():
        reasons = db.session.scalars(
            select(AuditEntry.reason).where(AuditEntry.object_type == "booking")
        ).all()
        assert "Mevrouw Yilmaz heeft een minimuminkomen" not in reasons
        # the sent confirmation mails of that year named people: gone; a waiting one stays
        assert db.session.scalars(select(OutboxMail.kind)).all() == ["x"]
    (entry,) = retention_entries(app)
    assert entry["actor"] is None and entry["house"] is None
    assert entry["bookings_scrubbed"] == 1 and entry["audit_reasons_scrubbed"] == 1
    assert entry["old_mails_removed"] >= 3
    assert "Yilmaz" not in json.dumps(entry) and "example.org" not in json.dumps(entry)

    again = run(app, now)
    assert again.counts["boekingen opgeschoond"] == 0
    assert again.counts["redenen in het logboek gewist"] == 0
    assert again.counts["oude mails verwijderd"] == 0
    assert len(retention_entries(app)) == 1  # a run that changes nothing audits nothing


def test_the_retention_period_comes_from_the_policy(app, old_bookings):
    set_policy(app, booking_retention_years=9)
    assert run(app, new_year(old_bookings["year"] + 8, days=1)).counts[COUNTS[0]] == 0
    assert run(app, new_year(old_bookings["year"] + 10, days=1)).counts[COUNTS[0]] == 1


# Accounts ------------------------------------------------------------------------------

T0 = datetime(2030, 3, 4, 9, 0, tzinfo=UTC)  # the last login of the test accounts


def _last_login(app, ref: UserRef, at: datetime | None, created: datetime = T0) -> None:
    with app.app_context():
        user = db.session.get(User, ref.id)
        user.last_login_at, user.created_at = at, created
        db.session.commit()


def _user(app, ref: UserRef) -> dict:
    with app.app_context():
        u = db.session.get(User, ref.id)
        return {
            "name": u.name,
            "email": u.email,
            "deleted": u.deleted_at is not None,
            "noticed_at": u.inactivity_notice_at,
        }


def _notices(app) -> list[tuple[str, str, str]]:
    with app.app_context():
        return [
            (m.to_address, m.dedupe_key or "", m.subject)
            for m in db.session.scalars(
                select(OutboxMail).filter_by(kind="inactivity_notice").order_by(OutboxMail.id)
            )
        ]


@pytest.fixture
def people(app, make_house, make_user):
    house = make_house()
    refs = {
        "anna": make_user(email="anna@example.org"),
        "never_logged_in": make_user(email="oud@example.org"),
        "beheerder": make_user("beheerder", house),
        "gastheer": make_user("gastheer", house),
        "gemeente": make_user("gemeente"),
    }
    for name, ref in refs.items():
        if name == "never_logged_in":  # before logins were recorded: created counts
            _last_login(app, ref, None, created=T0 - timedelta(days=10))
        else:
            _last_login(app, ref, T0)
    return refs


def test_an_unused_account_is_told_once_then_deleted_and_staff_never(app, people):
    anna = people["anna"]
    # 23 months later nobody is unused yet
    assert run(app, T0 + relativedelta(months=23)).counts["aankondigingen verstuurd"] == 0
    # 25 months: anna and the account that never logged in get one notice each
    noticed = T0 + relativedelta(months=25)
    assert run(app, noticed).counts["aankondigingen verstuurd"] == 2
    notices = _notices(app)
    assert [n[0] for n in notices] == ["anna@example.org", "oud@example.org"]
    assert notices[0][2] == "Uw account bij Buurthuis wordt binnenkort verwijderd"
    assert _user(app, anna)["noticed_at"] == noticed
    # the same day, and the next weeks: nothing more
    assert run(app, noticed).counts["aankondigingen verstuurd"] == 0
    assert run(app, noticed + timedelta(days=20)).counts == dict.fromkeys(COUNTS, 0)
    assert len(_notices(app)) == 2
    # the day before the deletion day: still there
    day = deletion_moment(noticed)
    assert run(app, day - timedelta(minutes=1)).counts["accounts verwijderd"] == 0
    assert _user(app, anna)["name"] != DELETED_NAME
    # the deletion day: scrubbed like "delete my account", its mail gone with it
    summary = run(app, day)
    assert summary.counts["accounts verwijderd"] == 2
    gone = _user(app, anna)
    assert gone["deleted"] and gone["name"] == DELETED_NAME
    assert gone["email"].endswith("@verwijderd.invalid")
    assert _notices(app) == []
    with app.app_context():
        assert login_service.authenticate("anna@example.org", PASSWORD, day).user is None
        assert db.session.query(AuditEntry).filter_by(action="account_deleted").count() == 0
    entry = retention_entries(app)[-1]
    assert entry["accounts_deleted"] == 2 and entry["actor"] is None
    assert "anna" not in json.dumps(entry)
    # staff stay, however long they are away; and a rerun changes nothing more
    assert run(app, day).counts == dict.fromkeys(COUNTS, 0)
    assert len(retention_entries(app)) == 2
    for name in ("beheerder", "gastheer", "gemeente"):
        assert not _user(app, people[name])["deleted"]
        assert _user(app, people[name])["noticed_at"] is None
    summary = run(app, day + relativedelta(years=10))
    assert (summary.counts["aankondigingen verstuurd"], summary.counts["accounts verwijderd"]) == (
        0,
        0,
    )


def test_logging_in_after_the_notice_cancels_it_and_a_later_absence_starts_anew(app, people):
    anna = people["anna"]
    noticed = T0 + relativedelta(months=25)
    run(app, noticed)
    logged_in = noticed + timedelta(days=5)
    with app.app_context():
        assert login_service.authenticate("anna@example.org", PASSWORD, logged_in).user
        db.session.commit()
    long_after = deletion_moment(noticed) + timedelta(days=30)
    assert run(app, long_after).counts["accounts verwijderd"] == 1  # only the other one
    assert not _user(app, anna)["deleted"]
    # away again for more than two years: a new notice, with a key of its own
    again = logged_in + relativedelta(months=25)
    assert run(app, again).counts["aankondigingen verstuurd"] == 1
    first_key = f"inactive:{anna.id}:{T0.isoformat()}"
    second_key = f"inactive:{anna.id}:{logged_in.isoformat()}"
    keys = [key for _to, key, _subject in _notices(app)]
    assert keys == [first_key, second_key]
    assert _user(app, anna)["noticed_at"] == again


def test_a_session_that_is_still_used_counts_as_use(app, people):
    from booking.services.my_account import sessions

    anna = people["anna"]
    with app.app_context():
        user = db.session.get(User, anna.id)
        sessions.open_session(user, T0 + relativedelta(months=20))
        db.session.commit()
    run(app, T0 + relativedelta(months=25))
    assert [n[0] for n in _notices(app)] == ["oud@example.org"]


def test_a_booking_to_come_protects_the_account(app, make_house, make_user, book):
    set_policy(app, account_inactivity_months=12)
    house = make_house()
    carla, dirk = make_user(email="carla@example.org"), make_user(email="dirk@example.org")
    future = book(carla, house.room_ids[0], days_ahead=500)
    now = datetime.now(UTC)
    _last_login(app, carla, now, created=now)
    _last_login(app, dirk, now, created=now)
    run(app, now + relativedelta(months=13))
    assert [n[0] for n in _notices(app)] == ["dirk@example.org"]
    with app.app_context():
        end = db.session.get(Booking, future).end
    # once the booking is over, carla is unused like anyone else
    summary = run(app, end + timedelta(days=1))
    assert summary.counts["accounts verwijderd"] == 1  # dirk, noticed months ago
    assert [n[0] for n in _notices(app)] == ["carla@example.org"]


def test_a_deactivated_or_deleted_account_is_left_alone(app, people):
    with app.app_context():
        db.session.get(User, people["anna"].id).active = False
        db.session.commit()
    run(app, T0 + relativedelta(months=25))
    assert [n[0] for n in _notices(app)] == ["oud@example.org"]


# Two schedulers --------------------------------------------------------------------------


@pytest.mark.real_commits
def test_two_runs_at_the_same_moment_notify_and_scrub_once(app, old_bookings, people):
    now = new_year(old_bookings["year"] + 8, days=1)
    _last_login(app, people["anna"], now - relativedelta(months=25))
    summaries = run_in_threads(app, "retention", now, count=2)
    assert sum(s.counts["boekingen opgeschoond"] for s in summaries) == 1
    assert sum(s.counts["aankondigingen verstuurd"] for s in summaries) == 2
    assert sorted(n[0] for n in _notices(app)) == ["anna@example.org", "oud@example.org"]
    assert len(retention_entries(app)) == 1
    later = deletion_moment(now)
    summaries = run_in_threads(app, "retention", later, count=2)
    assert sum(s.counts["accounts verwijderd"] for s in summaries) == 2
    assert len(retention_entries(app)) == 2
